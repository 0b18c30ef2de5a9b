//! `amorph fidelity`: a database's AAV and D(T) beside the paper's AIMD table.

use super::{InFile, Outcome};
use amorph_morph::{Database, FidelityReport};
use std::path::PathBuf;

/// Arguments of `amorph fidelity`.
#[derive(clap::Args)]
pub struct Args {
    /// The workflow database.
    #[arg(long, default_value = "amorph.db")]
    pub db: PathBuf,
    /// The paper's table (its supplementary feature_target.dat: formula, temperature,
    /// diff_coeff_mul_thousand, AAV, …).
    #[arg(long)]
    pub table: PathBuf,
}

/// `amorph fidelity`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    Database::must_exist(&args.db)?;
    let paper = amorph_morph::import::read_paper_table(&args.table)?;
    let db = Database::open(&args.db).in_file(&args.db)?;
    Outcome::of(&FidelityReport::new(&db, &args.db, &args.table, &paper)?)
}
