//! The crate's error type.

/// Everything that can go wrong in `amorph-sisso`; each variant names the bad input.
#[derive(Debug, thiserror::Error)]
pub enum SissoError {
    /// A table could not be read or parsed.
    #[error("table {source_name}: {message}")]
    Table {
        /// File name or other label of the table.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// A named column does not exist.
    #[error("no column named `{0}`")]
    MissingColumn(String),
    /// The configuration is invalid (unknown key, bad value, inconsistent settings).
    #[error("config: {0}")]
    Config(String),
    /// An operator name that is not known.
    #[error(
        "unknown operator `{0}` (known: + - * / |-| ^-1 ^2 ^3 ^6 sqrt cbrt exp exp- log abs sin cos)"
    )]
    UnknownOperator(String),
    /// A unit string that cannot be parsed.
    #[error("cannot parse unit `{0}` (expected e.g. `eV^-1*AA^2`, `eV/AA`, `1`)")]
    BadUnit(String),
    /// Input data are unusable (wrong lengths, non-finite values, too few samples).
    #[error("data: {0}")]
    Data(String),
    /// I/O error with the path that caused it.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A table that cannot be read, in this crate's words: [`SissoError::Table`] naming the
/// table (and the line of a ragged row), or [`SissoError::Io`] with its cause.
impl From<amorph_table::TableError> for SissoError {
    fn from(e: amorph_table::TableError) -> SissoError {
        use amorph_table::TableError as T;
        let (source_name, message) = match e {
            T::Io { path, source } => {
                return SissoError::Io {
                    path: path.display().to_string(),
                    source,
                };
            }
            T::NoHeader { source_name } => (source_name, "empty file".to_string()),
            T::TooFewColumns { source_name, .. } => (
                source_name,
                "the header needs an id column and at least one data column".to_string(),
            ),
            T::Ragged {
                source_name,
                line,
                fields,
                columns,
            } => (
                source_name,
                format!("line {line}: {fields} fields, the header has {columns}"),
            ),
            T::NoRows { source_name } => (source_name, "no data rows".to_string()),
        };
        SissoError::Table {
            source_name,
            message,
        }
    }
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, SissoError>;
