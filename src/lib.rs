//! # amorph
//!
//! Facade of the amorph workspace: re-exports every amorph crate under one roof so that a
//! research code can depend on `amorph` alone. The `amorph` binary lives beside it.
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
#![forbid(unsafe_code)]

pub use amorph_build as build;
pub use amorph_core as core;
pub use amorph_diffusion as diffusion;
pub use amorph_features as features;
pub use amorph_md as md;
pub use amorph_ml as ml;
pub use amorph_morph as morph;
pub use amorph_sisso as sisso;
