//! `amorph report`: the HTML report of [`amorph::report`] of a database or of the paper's table.

use super::{InFile, Outcome};
use serde_json::json;
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
    let (report, source) = match (&args.table, &args.db) {
        (Some(t), _) => (amorph::report::table_report(t)?, json!({"table": t})),
        (None, db) => {
            let db = db.clone().unwrap_or_else(|| PathBuf::from("amorph.db"));
            (amorph::report::database_report(&db)?, json!({"db": db}))
        }
    };
    let (html, sum) = (report.html, report.summary);
    std::fs::write(&args.output, &html).in_file(&args.output)?;
    let text = format!(
        "{} compositions, {} rows, {} figures -> {}",
        sum.compositions,
        sum.rows,
        sum.figures,
        args.output.display()
    );
    Ok(Outcome {
        json: json!({"source": source, "output": args.output, "bytes": html.len(), "summary": sum}),
        text,
    })
}
