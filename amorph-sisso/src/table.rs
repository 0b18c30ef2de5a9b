//! Numeric tables with a header and row ids, read by `amorph-table` (the workspace's one table
//! reader).

use crate::error::{Result, SissoError};
use std::path::Path;

/// An id column and at least one data column.
const OPTIONS: amorph_table::Options = amorph_table::Options { min_columns: 2 };

/// A numeric table: the first column holds row ids; non-numeric columns are dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Name of the id column (the first column of the file).
    pub id_name: String,
    /// Row ids (the first column, as text).
    pub ids: Vec<String>,
    /// Names of the numeric columns.
    pub names: Vec<String>,
    /// Numeric columns, each with one value per row.
    pub columns: Vec<Vec<f64>>,
    /// Names of the columns that were skipped because a value was not a number.
    pub skipped: Vec<String>,
}

impl Table {
    /// Reads a table from a file (see [`Table::parse`]).
    pub fn read(path: &Path) -> Result<Table> {
        let table = amorph_table::Table::read_with(path, &OPTIONS)?;
        Table::from_table(table, &path.display().to_string())
    }

    /// Parses a table: header line, then rows. Comma-separated when the header contains a comma,
    /// whitespace-separated otherwise; `"quoted names"` may contain spaces; lines starting with
    /// `#` and blank lines are ignored. The first column is the row id. (Read by
    /// `amorph-table`, the workspace's one table reader.)
    pub fn parse(text: &str, source_name: &str) -> Result<Table> {
        Table::from_table(
            amorph_table::Table::parse_with(text, source_name, &OPTIONS)?,
            source_name,
        )
    }

    /// The numeric view of a table: its first column as the ids, then every other column
    /// whose cells are all numbers (the others named in `skipped`). A numeric column whose
    /// name appears twice is an error.
    fn from_table(table: amorph_table::Table, source_name: &str) -> Result<Table> {
        let amorph_table::Parts {
            mut names,
            rows,
            numeric,
        } = table.into_parts();
        let mut out = Table {
            id_name: std::mem::take(&mut names[0]),
            ids: rows
                .into_iter()
                .map(|mut r| std::mem::take(&mut r[0]))
                .collect(),
            ..Table::default()
        };
        for (name, column) in names.into_iter().zip(numeric).skip(1) {
            match column {
                Some(col) => {
                    if out.names.contains(&name) {
                        return Err(SissoError::Table {
                            source_name: source_name.to_string(),
                            message: format!("column `{name}` appears twice"),
                        });
                    }
                    out.names.push(name);
                    out.columns.push(col);
                }
                None => out.skipped.push(name),
            }
        }
        Ok(out)
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.ids.len()
    }

    /// The values of a column by name.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|k| self.columns[k].as_slice())
    }

    /// Maps row ids to row positions: by id when the ids are unique, otherwise by 0-based
    /// position (the ids must then be integers below the number of rows).
    pub fn resolve_rows(&self, ids: &[String]) -> Result<Vec<usize>> {
        let mut seen = std::collections::HashMap::with_capacity(self.ids.len());
        let mut unique = true;
        for (k, id) in self.ids.iter().enumerate() {
            if seen.insert(id.as_str(), k).is_some() {
                unique = false;
                break;
            }
        }
        ids.iter()
            .map(|id| {
                if unique {
                    seen.get(id.as_str()).copied().ok_or_else(|| {
                        SissoError::Data(format!("row id `{id}` is not in the table"))
                    })
                } else {
                    match id.parse::<usize>() {
                        Ok(k) if k < self.n_rows() => Ok(k),
                        _ => Err(SissoError::Data(format!(
                            "row `{id}`: the table's ids are not unique, so rows are addressed by \
                             0-based position below {}",
                            self.n_rows()
                        ))),
                    }
                }
            })
            .collect()
    }

    /// A new table with the given rows (positions), in that order.
    pub fn select_rows(&self, rows: &[usize]) -> Table {
        Table {
            id_name: self.id_name.clone(),
            ids: rows.iter().map(|&r| self.ids[r].clone()).collect(),
            names: self.names.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| rows.iter().map(|&r| c[r]).collect())
                .collect(),
            skipped: self.skipped.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_quotes() {
        let t = Table::parse(
            "\"Unnamed: 0\" formula a b\n0 LiF 1 2.5\n1 NaCl 3 -4e-1\n",
            "t",
        )
        .unwrap();
        assert_eq!(t.id_name, "Unnamed: 0");
        assert_eq!(t.names, vec!["a", "b"]);
        assert_eq!(t.skipped, vec!["formula"]);
        assert_eq!(t.column("b").unwrap(), &[2.5, -0.4]);
        assert_eq!(t.resolve_rows(&["1".into()]).unwrap(), vec![1]);
        assert!(t.resolve_rows(&["7".into()]).is_err());
    }

    #[test]
    fn comma_and_positions() {
        let t = Table::parse("id, x ,y\nA,1,2\nA,3,4\n", "t").unwrap();
        assert_eq!(t.names, vec!["x", "y"]);
        assert_eq!(t.resolve_rows(&["1".into()]).unwrap(), vec![1]);
        assert_eq!(t.select_rows(&[1]).column("y").unwrap(), &[4.0]);
        assert!(Table::parse("a b\n1 2 3\n", "t").is_err());
        assert!(Table::parse("", "t").is_err());
    }
}
