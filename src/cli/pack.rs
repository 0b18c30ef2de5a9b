//! `amorph pack FORMULA -o OUT`: a random periodic starting cell.

use super::{InFile, Outcome};
use amorph_build::{
    PackOptions, PackSummary, cell_counts, estimate_volume, pack, volume_for_density,
};
use amorph_core::{Composition, Element, Lattice};
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `amorph pack`.
#[derive(clap::Args)]
pub struct Args {
    /// Chemical formula, e.g. Li2Si2O5.
    pub formula: String,
    /// Output structure file (format from its name: .xyz/.extxyz, POSCAR/.vasp, .data).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Minimum number of atoms (the integer formula is repeated to reach it; 1 to 10⁶).
    #[arg(long, default_value_t = 100)]
    pub atoms: usize,
    /// Density (g/cm³); default: amorph-build's estimate.
    #[arg(long)]
    pub density: Option<f64>,
    /// Minimum distance between atoms, periodic images included (Å).
    #[arg(long, default_value_t = 2.0)]
    pub min_distance: f64,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Packs the cell and writes it.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let comp =
        Composition::parse(&args.formula).with_context(|| format!("formula {}", args.formula))?;
    let amounts: Vec<(Element, f64)> = comp.iter().collect();
    let counts = cell_counts(&amounts, args.atoms)
        .with_context(|| format!("formula {}, --atoms {}", args.formula, args.atoms))?;
    let estimate = match args.density {
        Some(d) => volume_for_density(&counts, d).with_context(|| format!("--density {d}"))?,
        None => estimate_volume(&counts).with_context(|| format!("formula {}", args.formula))?,
    };
    let lattice = Lattice::cubic(estimate.volume.cbrt())?;
    let options = PackOptions {
        min_distance: args.min_distance,
        seed: args.seed,
        ..PackOptions::default()
    };
    let start = std::time::Instant::now();
    let s =
        pack(&counts, lattice, &options).with_context(|| format!("packing {}", args.formula))?;
    let seconds = start.elapsed().as_secs_f64();
    amorph_core::io::write_structure(&args.output, &s).in_file(&args.output)?;
    let min_d = amorph_build::min_periodic_distance(&s, 2.0 * args.min_distance)?;
    Outcome::of(&PackSummary::new(
        &args.formula,
        args.output,
        &s,
        estimate.method,
        min_d,
        seconds,
    ))
}
