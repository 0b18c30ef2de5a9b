//! # amorph-build
//!
//! Random periodic starting cells (atom counts, density estimates, minimum-distance packing).
//!
//! **Status:** this crate is a placeholder in the workspace; its functionality lands with
//! the issue that owns it. Nothing here is usable yet.
#![forbid(unsafe_code)]
