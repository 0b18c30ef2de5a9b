//! The crate's error type.

use std::path::PathBuf;

/// Why a table could not be read; each message is one line naming the table (and the line).
///
/// Readers built on this crate turn it into their own error type, keeping their own wording
/// (`amorph-ml`'s `MlError`, `amorph-sisso`'s `SissoError`).
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Nothing but blank and comment lines: no header.
    #[error("table {source_name}: no header (only blank and comment lines)")]
    NoHeader {
        /// The table's name (a path, or a label such as `<string>`).
        source_name: String,
    },
    /// The header has fewer columns than the reader needs ([`Options::min_columns`](crate::Options)).
    #[error(
        "table {source_name}, line {line}: the header has {columns} columns, at least {needed} are needed"
    )]
    TooFewColumns {
        /// The table's name.
        source_name: String,
        /// 1-based line number of the header.
        line: usize,
        /// Columns in the header.
        columns: usize,
        /// Columns needed.
        needed: usize,
    },
    /// A row whose number of fields is not the header's.
    #[error("table {source_name}, line {line}: {fields} fields, the header has {columns}")]
    Ragged {
        /// The table's name.
        source_name: String,
        /// 1-based line number of the row.
        line: usize,
        /// Fields in the row.
        fields: usize,
        /// Columns in the header.
        columns: usize,
    },
    /// A header and no data rows.
    #[error("table {source_name}: no data rows")]
    NoRows {
        /// The table's name.
        source_name: String,
    },
    /// The file could not be read (missing, unreadable, not UTF-8).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with [`TableError`].
pub type Result<T, E = TableError> = std::result::Result<T, E>;
