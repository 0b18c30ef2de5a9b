//! Machine-learned interatomic potentials for amorph, run in process through libtorch:
//! SevenNet-0 (or any model deployed by `sevenn`) as an amorph [`Calculator`], on the CPU or
//! a CUDA GPU, with many cells evaluated in one forward call.
//!
//! - [`ModelInfo`] reads a deployed model's species and cutoff (no libtorch needed).
//! - [`Graph`] builds the model's input graph (one cell, or the disjoint union of many) from
//!   amorph's own neighbour list, and assembles forces and stress from the gradient of the
//!   energy with respect to the edge vectors (no libtorch needed).
//! - `SevenNet` (feature `torch`) runs the TorchScript model through the `tch` crate: a
//!   [`Calculator`] for one cell, `SevenNet::calculate_batch` for many. Building it needs
//!   libtorch 2.13 (`source scripts/peers/libtorch.sh` sets it up from PyPI's torch wheel);
//!   the feature `cuda` also forces libtorch's CUDA library to load.
//! - [`Lockstep`] advances many MD runs together through one [`BatchCalculator`]: each run
//!   holds an ordinary `Calculator` whose calls are gathered into one batch.
//!
//! SevenNet-0 (Park et al., J. Chem. Theory Comput. 2024; MIT licence) is carried by this
//! crate, deployed from the `sevenn` 0.13.0 wheel by `scripts/fixtures/sevennet_deploy.py`
//! (see `models/README.md`).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use amorph_core::{Lattice, Structure};
//! use amorph_mlip::{Graph, ModelInfo};
//! use nalgebra::Vector3;
//!
//! let info = ModelInfo::from_bytes(amorph_mlip::SEVENNET_0_BYTES)?;
//! let li2o = Structure::new(
//!     Lattice::cubic(4.6)?,
//!     vec!["O".parse()?, "Li".parse()?, "Li".parse()?],
//!     vec![Vector3::zeros(), Vector3::new(1.15, 1.15, 1.15), Vector3::new(3.45, 3.45, 3.45)],
//! )?;
//! let graph = Graph::build(&info, &[&li2o, &li2o])?; // two cells, one graph
//! assert_eq!(graph.n_atoms(), 6);
//! assert_eq!(graph.edges[0].len(), graph.edges[1].len());
//! # Ok(()) }
//! ```
//!
//! [`Calculator`]: amorph_core::Calculator

pub mod error;
pub mod graph;
pub mod lockstep;
pub mod model;
#[cfg(feature = "torch")]
pub mod sevennet;

pub use error::{Result, TorchError};
pub use graph::Graph;
pub use lockstep::{BatchCalculator, Lockstep, LockstepMember};
pub use model::ModelInfo;
#[cfg(feature = "torch")]
pub use sevennet::{Device, SevenNet, SevenNetOptions};

/// The deployed SevenNet-0 model (TorchScript archive, 11 Jul 2024 weights, MIT licence).
pub const SEVENNET_0_BYTES: &[u8] = include_bytes!("../models/sevennet-0.pt");
