//! Tables of features and targets, read by `amorph-table` (the workspace's one table reader).
//!
//! The separator is a comma when the header contains one, otherwise runs of whitespace.
//! Double-quoted fields may contain separators (the paper's header starts with
//! `"Unnamed: 0"`); `#` lines and blank lines are skipped. The first column is the row id; a
//! column is numeric when every cell parses as a float (`nan`/`inf` included — they are
//! rejected later, when used as features). Non-numeric columns such as `formula` are carried
//! along but never used as features; [`Table::matrix`] and [`Table::column`] give `ndarray`s.

use crate::error::{MlError, Result};
use ndarray::{Array1, Array2};
use std::path::Path;

/// A parsed table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names from the header.
    pub names: Vec<String>,
    /// Cells, row by row, as text.
    pub cells: Vec<Vec<String>>,
    numeric: Vec<Option<Vec<f64>>>,
}

impl From<amorph_table::Table> for Table {
    fn from(table: amorph_table::Table) -> Table {
        let amorph_table::Parts {
            names,
            rows,
            numeric,
        } = table.into_parts();
        Table {
            names,
            cells: rows,
            numeric,
        }
    }
}

impl Table {
    /// Parses table text; `source_name` names it in errors: [`MlError::Empty`] for a text
    /// without header or rows, [`MlError::Parse`] naming the line of a ragged row.
    pub fn parse(text: &str, source_name: &str) -> Result<Table> {
        Ok(amorph_table::Table::parse(text, source_name)?.into())
    }

    /// Reads and parses a file ([`MlError::Io`] when it cannot be read).
    pub fn read(path: &Path) -> Result<Table> {
        Ok(amorph_table::Table::read(path)?.into())
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.cells.len()
    }

    /// The row ids (first column).
    pub fn row_ids(&self) -> Vec<String> {
        self.cells.iter().map(|r| r[0].clone()).collect()
    }

    /// Index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// A column's text cells.
    pub fn text_column(&self, name: &str) -> Result<Vec<String>> {
        let j = self
            .column_index(name)
            .ok_or_else(|| MlError::UnknownColumn(name.to_string()))?;
        Ok(self.cells.iter().map(|r| r[j].clone()).collect())
    }

    /// A numeric column.
    pub fn column(&self, name: &str) -> Result<Array1<f64>> {
        self.column_index(name)
            .and_then(|j| self.numeric[j].clone())
            .map(Array1::from)
            .ok_or_else(|| MlError::UnknownColumn(name.to_string()))
    }

    /// Names of the numeric columns other than the row id (first column).
    pub fn numeric_columns(&self) -> Vec<String> {
        (1..self.names.len())
            .filter(|&j| self.numeric[j].is_some())
            .map(|j| self.names[j].clone())
            .collect()
    }

    /// Names of the non-numeric columns other than the row id (carried, never features).
    pub fn text_columns(&self) -> Vec<String> {
        (1..self.names.len())
            .filter(|&j| self.numeric[j].is_none())
            .map(|j| self.names[j].clone())
            .collect()
    }

    /// The feature matrix of the named numeric columns, in that order.
    pub fn matrix(&self, columns: &[String]) -> Result<Array2<f64>> {
        let mut x = Array2::zeros((self.n_rows(), columns.len()));
        for (k, name) in columns.iter().enumerate() {
            x.column_mut(k).assign(&self.column(name)?);
        }
        Ok(x)
    }

    /// Feature names for predicting `target`: every numeric column except the row id and the
    /// target.
    pub fn feature_names(&self, target: &str) -> Result<Vec<String>> {
        if self.column_index(target).is_none() || self.column(target).is_err() {
            return Err(MlError::UnknownColumn(target.to_string()));
        }
        let f: Vec<String> = self
            .numeric_columns()
            .into_iter()
            .filter(|n| n != target)
            .collect();
        if f.is_empty() {
            return Err(MlError::Empty(
                "the table has no numeric feature columns".into(),
            ));
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_header_and_text_columns() {
        let t = Table::parse(
            "\"Unnamed: 0\" formula y a\n0 LiF 1.5 2\n1 Li2O 2.5 3\n",
            "t",
        )
        .unwrap();
        assert_eq!(t.names, ["Unnamed: 0", "formula", "y", "a"]);
        assert_eq!(t.numeric_columns(), ["y", "a"]);
        assert_eq!(t.text_columns(), ["formula"]);
        assert_eq!(t.feature_names("y").unwrap(), ["a"]);
        assert_eq!(t.row_ids(), ["0", "1"]);
    }

    #[test]
    fn comma_separated() {
        let t = Table::parse("id,y,a b\nr1,1,2\nr2,3,4\n", "t").unwrap();
        assert_eq!(t.names, ["id", "y", "a b"]);
        assert_eq!(t.column("a b").unwrap().to_vec(), [2.0, 4.0]);
    }

    #[test]
    fn bad_tables_are_typed_errors() {
        assert!(matches!(Table::parse("", "t"), Err(MlError::Empty(_))));
        assert!(matches!(Table::parse("a b\n", "t"), Err(MlError::Empty(_))));
        assert!(matches!(
            Table::parse("a b\n1 2 3\n", "t"),
            Err(MlError::Parse { line: 2, .. })
        ));
        let t = Table::parse("id y\n0 1\n", "t").unwrap();
        assert!(matches!(t.feature_names("y"), Err(MlError::Empty(_))));
        assert!(matches!(t.column("z"), Err(MlError::UnknownColumn(_))));
    }
}
