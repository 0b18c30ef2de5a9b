//! The error type of the analyses, figures and reports of this crate ([`crate::analysis`],
//! [`crate::figure`], [`crate::plot`], [`crate::report`]).

use std::path::PathBuf;

/// Errors of [`crate::analysis`], [`crate::figure`], [`crate::plot`] and [`crate::report`].
///
/// Errors of the workspace crates pass through unchanged (their message and their causes);
/// [`Error::Context`] says which input an error is about, the way `anyhow`'s `context` does:
/// its message is the context alone and the error it wraps is its [`source`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written; the message is its path, the cause the I/O error.
    #[error("{}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// An error of `amorph-core` (elements, formulas, structures).
    #[error(transparent)]
    Core(#[from] amorph_core::Error),
    /// An error of `amorph-diffusion` (Arrhenius tables and fits, MSD, RDFs).
    #[error(transparent)]
    Diffusion(#[from] amorph_diffusion::DiffusionError),
    /// An error of `amorph-ml` (tables, metrics, models).
    #[error(transparent)]
    Ml(#[from] amorph_ml::MlError),
    /// An error of `amorph-morph` (the workflow database).
    #[error(transparent)]
    Morph(#[from] amorph_morph::MorphError),
    /// A value that could not be converted to JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// `source`, about `context` (a file, a column, a composition).
    #[error("{context}")]
    Context {
        /// What the error is about.
        context: String,
        /// The error.
        #[source]
        source: Box<Error>,
    },
    /// A workflow database that does not exist (reports never create one).
    #[error("{}: no such database (create one with `amorph run` or `amorph demo`)", path.display())]
    NoDatabase {
        /// The path given.
        path: PathBuf,
    },
    /// A table without the columns an analysis needs.
    #[error("{table}: needs columns {needs}")]
    MissingColumns {
        /// The table (its path).
        table: String,
        /// The columns it needs, in words.
        needs: String,
    },
    /// A table with no numeric column to correlate with the target.
    #[error("no numeric feature columns besides {target}")]
    NoFeatures {
        /// The target column.
        target: String,
    },
    /// A figure with nothing to draw.
    #[error("{figure}: {reason}")]
    NothingToPlot {
        /// Which figure, e.g. `arrhenius plot`.
        figure: &'static str,
        /// What is missing.
        reason: &'static str,
    },
    /// A parity plot whose truths and predictions differ in number (or are empty).
    #[error("parity plot: {truths} true and {predictions} predicted values")]
    ParityLengths {
        /// Number of true values.
        truths: usize,
        /// Number of predictions.
        predictions: usize,
    },
    /// A model without built-in feature importances (a linear model).
    #[error("{model}: the model has no built-in importances (linear model?)")]
    NoImportances {
        /// The model file.
        model: String,
    },
    /// A figure path whose extension is neither `.svg` nor `.png`.
    #[error("{}: unknown figure format (the extension must be .svg or .png)", path.display())]
    FigureFormat {
        /// The path given.
        path: PathBuf,
    },
    /// The drawing backend failed (plotters' own message).
    #[error("plot: {0:?}")]
    Draw(Box<dyn std::error::Error + Send + Sync>),
    /// The SVG of a figure could not be parsed for rasterising.
    #[error("svg: {0}")]
    Svg(#[from] resvg::usvg::Error),
    /// The pixels of a PNG could not be allocated.
    #[error("png: cannot allocate {width}×{height} pixels")]
    PngSize {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// A PNG could not be encoded.
    #[error("png: {0}")]
    PngEncode(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds a context to an error, like `anyhow::Context`.
pub(crate) trait Context<T> {
    /// Wraps the error in [`Error::Context`] with the context `f()`.
    fn context_with(self, f: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context_with(self, f: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error::Context {
            context: f(),
            source: Box::new(e.into()),
        })
    }
}

/// Reads a text file; the error names it.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes a file; the error names it.
pub(crate) fn write_file(path: &std::path::Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}
