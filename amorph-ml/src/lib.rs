//! # amorph-ml
//!
//! Random forests, gradient boosting and linear models behind the `Regressor` trait.
//!
//! **Status:** this crate is a placeholder in the workspace; its functionality lands with
//! the issue that owns it. Nothing here is usable yet.
#![forbid(unsafe_code)]
