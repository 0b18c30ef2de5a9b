//! # amorph-features
//!
//! The paper's 43 descriptors behind the `Featurizer` trait.
//!
//! **Status:** this crate is a placeholder in the workspace; its functionality lands with
//! the issue that owns it. Nothing here is usable yet.
#![forbid(unsafe_code)]
