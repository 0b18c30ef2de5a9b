//! `amorph import`: the paper's feature table into a workflow database.

use super::{InFile, Outcome};
use amorph_morph::{Database, ImportReport};
use std::path::PathBuf;

/// Arguments of `amorph import`.
#[derive(clap::Args)]
pub struct Args {
    /// The table: the paper's feature_target.dat (formula, diff_coeff_mul_thousand, temperature,
    /// AAV and the descriptors, whitespace- or comma-separated, row id first).
    pub table: PathBuf,
    /// The database file (created if missing).
    #[arg(long, default_value = "amorph.db")]
    pub db: PathBuf,
}

/// `amorph import`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    // Read first, so that a bad table does not leave an empty database behind.
    let rows = amorph_morph::import::read_paper_table(&args.table)?;
    let source = std::fs::canonicalize(&args.table)
        .unwrap_or_else(|_| args.table.clone())
        .display()
        .to_string();
    let mut db = Database::open(&args.db).in_file(&args.db)?;
    let summary = db.import_table(&source, &rows).in_file(&args.db)?;
    Outcome::of(&ImportReport {
        db: args.db,
        table: args.table,
        import: summary,
    })
}
