//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in `amorph-ml`; each variant names the bad input.
#[derive(Debug, thiserror::Error)]
pub enum MlError {
    /// A matrix, target or table has no rows (or no feature columns).
    #[error("empty input: {0}")]
    Empty(String),
    /// Two inputs that must agree in length do not.
    #[error("length mismatch in {what}: expected {expected}, got {got}")]
    LengthMismatch {
        /// Which input.
        what: String,
        /// The length required.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// A NaN or infinite value in the features or the target.
    #[error("non-finite value {value} in {what} at row {row}, column {column}")]
    NonFinite {
        /// `features`, `target` or `sample weights`.
        what: &'static str,
        /// Row index (0-based).
        row: usize,
        /// Column index (0-based; 0 for a vector).
        column: usize,
        /// The offending value.
        value: f64,
    },
    /// A hyper-parameter outside its valid range.
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// A table could not be parsed.
    #[error("table {source_name}, line {line}: {reason}")]
    Parse {
        /// File name or `<string>`.
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A named column is not in the table (or is not numeric).
    #[error("column `{0}` not found among the table's numeric columns")]
    UnknownColumn(String),
    /// A row id asked for is not in the table.
    #[error("row id `{0}` is not in the table")]
    UnknownRow(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A saved model could not be (de)serialised.
    #[error("model (de)serialisation: {0}")]
    Serde(#[from] serde_json::Error),
    /// A model file that is not a model this crate wrote: bad JSON, or parts that do not
    /// fit together (a tree node pointing nowhere, a width that is not the feature count).
    #[error("model {source_name}: {reason}")]
    BadModel {
        /// File name (or `<memory>`).
        source_name: String,
        /// What is wrong.
        reason: String,
    },
    /// An error reported by linfa.
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
    /// The linear solver failed (e.g. singular design matrix).
    #[error("linear model: {0}")]
    Linear(String),
}

/// A table that cannot be read, in this crate's words: no header or no rows is
/// [`MlError::Empty`], a ragged row [`MlError::Parse`] naming its line, an unreadable file
/// [`MlError::Io`] (its cause kept as the source).
impl From<amorph_table::TableError> for MlError {
    fn from(e: amorph_table::TableError) -> MlError {
        use amorph_table::TableError as T;
        match e {
            T::NoHeader { source_name } => {
                MlError::Empty(format!("table {source_name} has no header"))
            }
            T::NoRows { source_name } => MlError::Empty(format!("table {source_name} has no rows")),
            T::Ragged {
                source_name,
                line,
                fields,
                columns,
            } => MlError::Parse {
                source_name,
                line,
                reason: format!("{fields} fields, header has {columns}"),
            },
            T::TooFewColumns {
                source_name,
                line,
                columns,
                needed,
            } => MlError::Parse {
                source_name,
                line,
                reason: format!("{columns} columns, at least {needed} needed"),
            },
            T::Io { path, source } => MlError::Io { path, source },
        }
    }
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, MlError>;
