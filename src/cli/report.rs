//! `amorph report`: the HTML report of [`amorph::report`] of a database or of the paper's table.

use super::Outcome;
use amorph::report::ReportSource;
use std::path::PathBuf;

/// Arguments of `amorph report`.
#[derive(clap::Args)]
pub struct Args {
    /// A workflow database (`amorph run` / `amorph demo`).
    #[arg(long, conflicts_with = "table")]
    pub db: Option<PathBuf>,
    /// A feature table with formula, temperature and D columns (the paper's feature_target.dat).
    #[arg(long)]
    pub table: Option<PathBuf>,
    /// Output HTML file.
    #[arg(short, long, default_value = "report.html")]
    pub output: PathBuf,
}

/// `amorph report`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let source = match (args.table, args.db) {
        (Some(t), _) => ReportSource::Table(t),
        (None, db) => ReportSource::Db(db.unwrap_or_else(|| PathBuf::from("amorph.db"))),
    };
    Outcome::of(&amorph::report::write_report(source, &args.output)?)
}
