//! `amorph convert IN OUT`: structure and trajectory format conversion.

use super::Outcome;
use std::path::PathBuf;

/// Arguments of `amorph convert`.
#[derive(clap::Args)]
pub struct Args {
    /// Input file (format from its name: .xyz/.extxyz, POSCAR/CONTCAR/.vasp, XDATCAR; .gz allowed).
    pub input: PathBuf,
    /// Output file (format from its name: .xyz/.extxyz, POSCAR/CONTCAR/.vasp, XDATCAR, .data).
    pub output: PathBuf,
}

/// Runs the conversion.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    anyhow::bail!(
        "{}: file formats are not implemented yet (foundation issue in progress)",
        args.input.display()
    )
}
