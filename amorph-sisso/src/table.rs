//! Reading whitespace- or comma-separated tables with a header.

use crate::error::{Result, SissoError};
use std::path::Path;

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

fn split_line(line: &str, comma: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut had_token = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                had_token = true;
            }
            ',' if comma && !quoted => {
                out.push(std::mem::take(&mut cur).trim().to_string());
                had_token = false;
            }
            c if !comma && !quoted && c.is_whitespace() => {
                if had_token || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    had_token = false;
                }
            }
            _ => {
                cur.push(c);
                had_token = true;
            }
        }
    }
    if comma {
        out.push(cur.trim().to_string());
    } else if had_token || !cur.is_empty() {
        out.push(cur);
    }
    out
}

impl Table {
    /// Reads a table from a file (see [`Table::parse`]).
    pub fn read(path: &Path) -> Result<Table> {
        let text = std::fs::read_to_string(path).map_err(|e| SissoError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Table::parse(&text, &path.display().to_string())
    }

    /// Parses a table: header line, then rows. Comma-separated when the header contains a comma,
    /// whitespace-separated otherwise; `"quoted names"` may contain spaces; lines starting with
    /// `#` and blank lines are ignored. The first column is the row id.
    pub fn parse(text: &str, source_name: &str) -> Result<Table> {
        let err = |message: String| SissoError::Table {
            source_name: source_name.to_string(),
            message,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        let (_, header) = lines.next().ok_or_else(|| err("empty file".into()))?;
        let comma = header.contains(',');
        let head = split_line(header, comma);
        if head.len() < 2 {
            return Err(err(
                "the header needs an id column and at least one data column".into(),
            ));
        }
        let ncol = head.len();
        let mut cells: Vec<Vec<String>> = vec![Vec::new(); ncol];
        for (lineno, line) in lines {
            let row = split_line(line, comma);
            if row.len() != ncol {
                return Err(err(format!(
                    "line {}: {} fields, the header has {ncol}",
                    lineno + 1,
                    row.len()
                )));
            }
            for (k, v) in row.into_iter().enumerate() {
                cells[k].push(v);
            }
        }
        if cells[0].is_empty() {
            return Err(err("no data rows".into()));
        }
        let mut table = Table {
            id_name: head[0].clone(),
            ids: std::mem::take(&mut cells[0]),
            ..Table::default()
        };
        for (k, name) in head.iter().enumerate().skip(1) {
            let parsed: Option<Vec<f64>> = cells[k].iter().map(|v| v.parse::<f64>().ok()).collect();
            match parsed {
                Some(col) => {
                    if table.names.contains(name) {
                        return Err(err(format!("column `{name}` appears twice")));
                    }
                    table.names.push(name.clone());
                    table.columns.push(col);
                }
                None => table.skipped.push(name.clone()),
            }
        }
        Ok(table)
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
