//! The error type of amorph-core. Every variant names the input that was wrong and why.

use std::path::PathBuf;

/// Errors of amorph-core: bad chemical input, bad geometry, unreadable files, failed calculators.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An element symbol or atomic number that amorph does not know (Z = 1–94 are known).
    #[error("unknown element '{0}' (amorph knows H–Pu, Z = 1–94)")]
    UnknownElement(String),

    /// A chemical formula that cannot be parsed.
    #[error("invalid formula '{formula}': {reason}")]
    Formula {
        /// The formula as given.
        formula: String,
        /// What is wrong with it.
        reason: String,
    },

    /// Lattice vectors that do not span a cell (zero volume, non-finite numbers, bad angles).
    #[error("invalid lattice: {0}")]
    Lattice(String),

    /// A structure whose parts do not fit together (length mismatch, non-finite positions …).
    #[error("invalid structure: {0}")]
    Structure(String),

    /// A file (or text) that does not follow its format.
    #[error("{source_name}:{line}: {reason}")]
    Parse {
        /// File name (or `<string>` for in-memory text).
        source_name: String,
        /// 1-based line number where the problem was seen (0 when not line-specific).
        line: usize,
        /// What is wrong.
        reason: String,
    },

    /// A file name whose format cannot be recognised, or a format that cannot hold the data.
    #[error("{path}: {reason}")]
    Format {
        /// The path in question.
        path: PathBuf,
        /// Why the format does not fit.
        reason: String,
    },

    /// An I/O failure on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file being read or written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A neighbour-list request that cannot be served (bad cutoff, non-periodic overflow …).
    #[error("neighbour list: {0}")]
    Neighbors(String),

    /// A calculator failed: a plug-in's error, a dead socket, a non-finite result.
    #[error("calculator '{calculator}': {source}")]
    Calculator {
        /// The calculator's name ([`crate::Calculator::name`]).
        calculator: String,
        /// What went wrong.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

impl Error {
    /// Wraps any error (or message) as a calculator failure; the helper plug-in authors use.
    ///
    /// ```
    /// use amorph_core::Error;
    /// let err = Error::calculator("my-dft", "SCF did not converge");
    /// assert_eq!(err.to_string(), "calculator 'my-dft': SCF did not converge");
    /// ```
    pub fn calculator(
        name: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Error::Calculator {
            calculator: name.into(),
            source: source.into(),
        }
    }

    /// A parse error at `line` of `source_name`.
    pub fn parse(source_name: impl Into<String>, line: usize, reason: impl Into<String>) -> Self {
        Error::Parse {
            source_name: source_name.into(),
            line,
            reason: reason.into(),
        }
    }
}

/// Result alias of amorph-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its causes (outermost first, as `Error::source` walks them) on one line,
/// joined with ": ": the line the `amorph` command prints after `error: ` and the message of
/// the Python bindings' `AmorphError`. Newlines become spaces. A cause whose text the line
/// already holds is left out, since many error types print their source inside their own
/// message; a cause that begins with the whole line so far (a context naming a file, then the
/// file's own error naming it again) replaces it.
///
/// ```
/// let causes = ["data.xyz", "data.xyz: line 3: expected 3 coordinates", "bad float"];
/// assert_eq!(
///     amorph_core::error::one_line(causes),
///     "data.xyz: line 3: expected 3 coordinates: bad float"
/// );
/// ```
pub fn one_line<S: AsRef<str>>(causes: impl IntoIterator<Item = S>) -> String {
    let mut line = String::new();
    for cause in causes {
        let text = cause.as_ref().replace('\n', " ");
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() && text.starts_with(&line) {
            line = text;
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}
