//! A table with a header: text cells, and the columns whose every cell is a number.

use crate::error::{Result, TableError};
use crate::split::{Separator, lines};
use std::path::Path;

/// What a reader requires of a table beyond a header and rectangular rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The fewest columns the header may have (1 by default; e.g. 2 for an id column and at
    /// least one value column). Checked before the rows are read.
    pub min_columns: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_columns: 1 }
    }
}

/// A table read from text: a header line of column names, then rows of as many fields.
///
/// The dialect is the header's ([`Separator::of_header`]): comma-separated when the header
/// holds a comma, whitespace-separated otherwise; blank lines and lines whose first
/// non-blank character is `#` are skipped everywhere. Cells are kept as text; a column is
/// *numeric* when every one of its cells parses as an `f64` (`nan`, `inf` and `1e-3`
/// included), and its values are parsed once, as the table is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    names: Vec<String>,
    rows: Vec<Vec<String>>,
    numeric: Vec<Option<Vec<f64>>>,
}

/// A [`Table`] taken apart ([`Table::into_parts`]), for readers that keep their own view.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    /// Column names, from the header.
    pub names: Vec<String>,
    /// Cells, row by row, each row as long as `names`.
    pub rows: Vec<Vec<String>>,
    /// Per column: its values when every cell is a number.
    pub numeric: Vec<Option<Vec<f64>>>,
}

impl Table {
    /// Parses a table; `source_name` (a path, or a label such as `<string>`) names it in
    /// errors. Errors: [`TableError::NoHeader`], [`TableError::Ragged`] (naming the line),
    /// [`TableError::NoRows`].
    ///
    /// ```
    /// let t = amorph_table::Table::parse("id formula y\n0 LiF 1.5\n1 Li2O 2\n", "<string>")?;
    /// assert_eq!(t.names(), ["id", "formula", "y"]);
    /// assert_eq!(t.numeric(2), Some(&[1.5, 2.0][..]));
    /// assert_eq!(t.numeric(1), None); // text
    /// # Ok::<(), amorph_table::TableError>(())
    /// ```
    pub fn parse(text: &str, source_name: &str) -> Result<Table> {
        Table::parse_with(text, source_name, &Options::default())
    }

    /// [`Table::parse`] with [`Options`]; a header narrower than `min_columns` is
    /// [`TableError::TooFewColumns`].
    pub fn parse_with(text: &str, source_name: &str, options: &Options) -> Result<Table> {
        let mut content = lines(text).filter(|l| !l.is_comment());
        let Some(header) = content.next() else {
            return Err(TableError::NoHeader {
                source_name: source_name.to_string(),
            });
        };
        let separator = Separator::of_header(header.text);
        let names = separator.split(header.text);
        if names.len() < options.min_columns {
            return Err(TableError::TooFewColumns {
                source_name: source_name.to_string(),
                line: header.number,
                columns: names.len(),
                needed: options.min_columns,
            });
        }
        let mut rows = Vec::new();
        for line in content {
            let row = separator.split(line.text);
            if row.len() != names.len() {
                return Err(TableError::Ragged {
                    source_name: source_name.to_string(),
                    line: line.number,
                    fields: row.len(),
                    columns: names.len(),
                });
            }
            rows.push(row);
        }
        if rows.is_empty() {
            return Err(TableError::NoRows {
                source_name: source_name.to_string(),
            });
        }
        let numeric = (0..names.len())
            .map(|j| rows.iter().map(|r| r[j].parse::<f64>().ok()).collect())
            .collect();
        Ok(Table {
            names,
            rows,
            numeric,
        })
    }

    /// Reads and parses a file, named in errors by its path. A file that cannot be read is
    /// [`TableError::Io`] (`PATH: No such file or directory (os error 2)`).
    pub fn read(path: &Path) -> Result<Table> {
        Table::read_with(path, &Options::default())
    }

    /// [`Table::read`] with [`Options`].
    pub fn read_with(path: &Path, options: &Options) -> Result<Table> {
        let text = std::fs::read_to_string(path).map_err(|source| TableError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Table::parse_with(&text, &path.display().to_string(), options)
    }

    /// Column names, from the header.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of columns.
    pub fn n_columns(&self) -> usize {
        self.names.len()
    }

    /// Number of rows (at least 1).
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// The cells, row by row; each row has [`n_columns`](Table::n_columns) fields.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// Position of the first column called `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The cells of column `j` as text (`None` when there is no column `j`).
    pub fn text(&self, j: usize) -> Option<Vec<&str>> {
        (j < self.names.len()).then(|| self.rows.iter().map(|r| r[j].as_str()).collect())
    }

    /// The values of column `j` when every cell of it is a number (`None` when it is not, or
    /// there is no column `j`).
    pub fn numeric(&self, j: usize) -> Option<&[f64]> {
        self.numeric.get(j)?.as_deref()
    }

    /// The table taken apart, without copying.
    pub fn into_parts(self) -> Parts {
        Parts {
            names: self.names,
            rows: self.rows,
            numeric: self.numeric,
        }
    }

    /// Writes the table so that [`Table::parse`] reads it back equal (see [`write_table`]).
    ///
    /// [`write_table`]: crate::write_table
    pub fn write<W: std::io::Write>(&self, w: W, separator: Separator) -> std::io::Result<()> {
        crate::write_table(w, &self.names, &self.rows, separator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_dialects_and_numeric_columns() {
        let t = Table::parse(
            "# made by hand\n\"Unnamed: 0\" formula y a\n\n0 LiF 1.5 2\n# between\n1 Li2O 2.5 nan\n",
            "t",
        )
        .unwrap();
        assert_eq!(t.names(), ["Unnamed: 0", "formula", "y", "a"]);
        assert_eq!((t.n_rows(), t.n_columns()), (2, 4));
        assert_eq!(t.numeric(0), Some(&[0.0, 1.0][..]));
        assert_eq!(t.numeric(1), None);
        assert!(t.numeric(3).unwrap()[1].is_nan());
        assert_eq!(t.numeric(4), None);
        assert_eq!(t.text(1).unwrap(), ["LiF", "Li2O"]);
        assert_eq!(t.text(4), None);
        assert_eq!(t.column_index("a"), Some(3));
        let c = Table::parse("id, y ,a b\nr1,1,2\nr2,3,4\n", "c").unwrap();
        assert_eq!(c.names(), ["id", "y", "a b"]);
        assert_eq!(c.into_parts().rows, [["r1", "1", "2"], ["r2", "3", "4"]]);
    }

    #[test]
    fn errors_name_the_table_and_line() {
        let msg = |text: &str| Table::parse(text, "t.dat").unwrap_err().to_string();
        assert_eq!(
            msg(""),
            "table t.dat: no header (only blank and comment lines)"
        );
        assert_eq!(
            msg("# a b\n\n"),
            "table t.dat: no header (only blank and comment lines)"
        );
        assert_eq!(msg("a b\n"), "table t.dat: no data rows");
        assert_eq!(
            msg("a b\n1 2\n\n1 2 3\n"),
            "table t.dat, line 4: 3 fields, the header has 2"
        );
        let narrow = Table::parse_with("id\n0\n", "t.dat", &Options { min_columns: 2 });
        assert_eq!(
            narrow.unwrap_err().to_string(),
            "table t.dat, line 1: the header has 1 columns, at least 2 are needed"
        );
        let missing = Table::read(Path::new("/nonexistent/t.dat")).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "/nonexistent/t.dat: No such file or directory (os error 2)"
        );
        assert!(std::error::Error::source(&missing).is_some());
    }
}
