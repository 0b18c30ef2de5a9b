//! # amorph-diffusion
//!
//! Diffusion analysis: MSD, diffusivity with uncertainty, conductivity, Arrhenius fits, RDFs.
//!
//! **Status:** this crate is a placeholder in the workspace; its functionality lands with
//! the issue that owns it. Nothing here is usable yet.
#![forbid(unsafe_code)]
