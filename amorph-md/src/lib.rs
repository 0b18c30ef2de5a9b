//! # amorph-md
//!
//! Molecular dynamics: built-in potentials, Ewald/DSF electrostatics, thermostats, FIRE, i-PI.
//!
//! **Status:** this crate is a placeholder in the workspace; its functionality lands with
//! the issue that owns it. Nothing here is usable yet.
#![forbid(unsafe_code)]
