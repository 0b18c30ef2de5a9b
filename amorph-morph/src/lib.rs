//! # amorph-morph
//!
//! The MPMorph melt–quench workflow as a resumable DAG with an embedded database.
//!
//! **Status:** this crate is a placeholder in the workspace; its functionality lands with
//! the issue that owns it. Nothing here is usable yet.
#![forbid(unsafe_code)]
