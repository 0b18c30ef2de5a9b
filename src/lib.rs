//! # amorph
//!
//! Facade of the amorph workspace: re-exports every amorph crate under one roof so that a
//! research code can depend on `amorph` alone, and holds the paper's analyses, the figures and
//! the HTML report. The `amorph` binary lives beside it and only parses arguments and prints.
//!
//! | module | crate | owns |
//! | --- | --- | --- |
//! | [`core`] | `amorph-core` | elements, compositions, lattices, structures, neighbour lists, file formats, `Calculator` |
//! | [`build`] | `amorph-build` | random periodic starting cells |
//! | [`md`] | `amorph-md` | molecular dynamics, potentials, thermostats |
//! | [`morph`] | `amorph-morph` | the MPMorph workflow and its database |
//! | [`diffusion`] | `amorph-diffusion` | MSD, diffusivity, Arrhenius fits, RDFs |
//! | [`features`] | `amorph-features` | the paper's descriptors |
//! | [`ml`] | `amorph-ml` | random forests, gradient boosting |
//! | [`sisso`] | `amorph-sisso` | SISSO symbolic regression |
//! | [`table`] | `amorph-table` | the one reader (and writer) of whitespace- or comma-separated text tables |
//! | [`mlip`] | `amorph-mlip` | SevenNet through libtorch (feature `torch`): one cell or many per forward call |
//! | [`analysis`] | this crate | anion families, correlations beside Table 1, per-element means, per-composition Arrhenius fits, the paper's random forest |
//! | [`plot`] | this crate | every figure as SVG (typed series in), PNG by rasterising |
//! | [`figure`] | this crate | one figure of files (read, analyse, draw), as `amorph plot` makes it |
//! | [`report`] | this crate | the self-contained HTML report of a database or of the paper's table, a database's export as CSV |
//!
//! The modules of this crate depend on each other in one direction only:
//! `report` → `analysis` → `plot` and `figure` → `analysis` → `plot` (analysis results convert
//! into plot series); their errors are [`Error`].

pub use amorph_build as build;
pub use amorph_core as core;
pub use amorph_diffusion as diffusion;
pub use amorph_features as features;
pub use amorph_md as md;
pub use amorph_ml as ml;
pub use amorph_mlip as mlip;
pub use amorph_morph as morph;
pub use amorph_sisso as sisso;
pub use amorph_table as table;

pub mod analysis;
mod error;
pub mod figure;
pub mod plot;
pub mod report;

pub use error::{Error, Result};
