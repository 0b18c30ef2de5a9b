//! # amorph-morph
//!
//! The MPMorph melt–quench workflow of the paper as a resumable [petgraph] DAG of stages with
//! an embedded SQLite [database](db):
//!
//! pack → volume equilibration at 5000 K (NVT at 0.8, 1.0, 1.2 × V₀, third-order
//! Birch–Murnaghan P(V) fit with MPMorph's fallbacks, extrapolation beyond the bracket, then the
//! pressure-rescale convergence loop) → 5000 K production → for each of 2500, 2000, 1500,
//! 1000 K: instant quench of the last melt frame, volume re-equilibration, production →
//! Li diffusion per temperature (amorph-diffusion), Arrhenius fit of the anneal temperatures,
//! the paper's features of every production's last frame (amorph-features).
//!
//! Every stage's result is committed to the database with its status; running the same
//! command again skips finished stages and redoes the interrupted one. Each stage draws its
//! random numbers from a seed derived from (master seed, formula, stage), so a resumed run
//! gives the same numbers as an uninterrupted one.
//!
//! [`summary`] holds what the `amorph` commands report about runs and databases.
//!
//! ```no_run
//! use amorph_morph::{Config, Database, Workflow};
//!
//! // The configured potential (auto-zbl: Pedone for oxides, Tosi–Fumi for alkali halides).
//! let workflow = Workflow::new(Config::demo()).on_event(|e| eprintln!("{e:?}"));
//! let db = Database::open("amorph.db".as_ref()).unwrap();
//! let outcomes = workflow.run(&["Li2O".to_string()], db).unwrap();
//! ```

mod analysis;
pub mod config;
pub mod db;
pub mod engine;
pub mod eos;
pub mod fidelity;
pub mod import;
pub mod merge;
pub mod quality;
pub mod results;
pub mod summary;
pub mod workflow;

pub use config::Config;
pub use db::Database;
pub use engine::{AmorphMd, Engine, MdOutcome, MdRequest};
pub use merge::{MergeReport, ShardMerge};
pub use summary::{
    CompositionStatus, DEMO_FORMULAS, DatabaseStatus, FidelityReport, ImportReport, OutcomeRow,
    QualityCheck, RunSummary, check_ipi_formulas, client_atoms,
};
pub use workflow::{CompositionOutcome, Event, Stage, Workflow, cell_counts, stage_graph};

use std::path::Path;

/// Errors of amorph-morph.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MorphError {
    /// A bad configuration (unknown key, bad value, unknown preset).
    #[error("configuration: {0}")]
    Config(String),
    /// The configuration is not valid TOML or has a key or value of the wrong kind.
    #[error("configuration: {0}")]
    Toml(#[from] toml::de::Error),
    /// The configuration could not be written as TOML (to merge a file over a preset).
    #[error("configuration: {0}")]
    TomlSer(#[from] toml::ser::Error),
    /// A configuration file could not be read or is not valid.
    #[error("{path}: {source}")]
    ConfigFile {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong with it.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database could not be read or written.
    #[error("database {path}: {source}")]
    Database {
        /// The database file.
        path: std::path::PathBuf,
        /// What went wrong (SQLite, a stored JSON document, …).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A stage found no input from its parent stage.
    #[error("stage {0}: its input is missing from the database")]
    MissingInput(workflow::Stage),
    /// An MD run gave unusable results.
    #[error("MD: {0}")]
    Md(String),
    /// From amorph-core (bad formula …).
    #[error(transparent)]
    Core(#[from] amorph_core::Error),
    /// From amorph-build (cannot pack …).
    #[error(transparent)]
    Build(#[from] amorph_build::BuildError),
    /// From amorph-md (calculator failure, bad thermostat settings …).
    #[error(transparent)]
    Engine(#[from] amorph_md::MdError),
    /// A diffusion or Arrhenius analysis failed.
    #[error("analysis: {0}")]
    Diffusion(#[from] amorph_diffusion::DiffusionError),
    /// A feature analysis failed.
    #[error("features: {0}")]
    Features(#[from] amorph_features::FeatureError),
    /// A result could not be converted to or from its stored JSON.
    #[error("stored result: {0}")]
    Json(#[from] serde_json::Error),
    /// The volume fit failed.
    #[error(transparent)]
    Eos(#[from] eos::EosError),
    /// Reading or importing a published table failed.
    #[error(transparent)]
    Import(#[from] import::ImportError),
    /// A command that reads a database was given a path with no file ([`Database::must_exist`]).
    #[error("{}: no such database (create one with `amorph run`)", path.display())]
    NoDatabase {
        /// The path given.
        path: std::path::PathBuf,
    },
    /// An i-PI potential with other than one formula ([`summary::check_ipi_formulas`]).
    #[error(
        "{potential}: an i-PI client holds one composition's atoms; give exactly one formula (got {count})"
    )]
    IpiFormulas {
        /// The i-PI potential.
        potential: String,
        /// The number of formulas given.
        count: usize,
    },
    /// A shard to merge holds a row that the target database holds with other content
    /// ([`Database::merge`]); nothing was merged.
    #[error(
        "merge refused: {formula} in {}: {what}; nothing was merged",
        shard.display()
    )]
    MergeConflict {
        /// The shard.
        shard: std::path::PathBuf,
        /// The composition.
        formula: String,
        /// What differs (the stage or temperature and the table).
        what: String,
        /// The target database.
        target: std::path::PathBuf,
    },
    /// Every composition of a workflow run failed (their errors, joined by `; `).
    #[error("every composition failed: {0}")]
    AllFailed(String),
}

impl MorphError {
    pub(crate) fn db(path: &Path, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        MorphError::Database {
            path: path.to_path_buf(),
            source: e.into(),
        }
    }
}

/// Result alias of amorph-morph.
pub type Result<T, E = MorphError> = std::result::Result<T, E>;
