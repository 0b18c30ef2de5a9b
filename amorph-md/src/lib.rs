//! # amorph-md
//!
//! Molecular dynamics: built-in potentials, Ewald/DSF electrostatics, thermostats, FIRE, i-PI.
//!
//! **Status:** being written (issue 3).
#![forbid(unsafe_code)]

pub mod dynamics;
pub mod error;
pub mod potential;

pub use error::{MdError, Result};
