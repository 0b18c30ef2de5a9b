//! `amorph fidelity`: a database's AAV and D(T) beside the paper's AIMD table.

use super::Outcome;
use amorph_morph::Database;
use amorph_morph::fidelity::{FIDELITY_RANGE, compare};
use anyhow::{Context, bail};
use serde_json::json;
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

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("–".into(), |v| format!("{v:.digits$}"))
}

/// `amorph fidelity`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if !args.db.exists() {
        bail!(
            "{}: no such database (create one with `amorph run`)",
            args.db.display()
        );
    }
    let paper = amorph_morph::import::read_paper_table(&args.table)?;
    let db = Database::open(&args.db).with_context(|| format!("{}", args.db.display()))?;
    let comps = db.compositions()?;
    let export = db.export()?;
    let atoms_of = |f: &str| comps.iter().find(|c| c.formula == f).map(|c| c.atoms);
    let (rows, summary) = compare(&export, &atoms_of, &paper);
    let mut text = format!(
        "{} compositions, {} rows in both {} and {}\n\
         {:<10} {:>6} {:>8} {:>8} {:>7} {:>10} {:>10} {:>8}  trusted\n",
        summary.compositions,
        summary.rows,
        args.db.display(),
        args.table.display(),
        "formula",
        "T (K)",
        "AAV",
        "paper",
        "ratio",
        "D (cm²/s)",
        "paper",
        "log10"
    );
    for r in &rows {
        text.push_str(&format!(
            "{:<10} {:>6} {:>8.3} {:>8} {:>7} {:>10} {:>10.3e} {:>8}  {}\n",
            r.formula,
            r.temperature,
            r.aav,
            opt(r.aav_paper, 3),
            opt(r.aav_ratio, 3),
            r.d_cm2_s.map_or("–".into(), |d| format!("{d:.3e}")),
            r.d_paper_cm2_s,
            opt(r.log10_d_ratio, 2),
            match r.trusted {
                Some(true) => "yes".to_string(),
                Some(false) => format!("no: {}", r.note.as_deref().unwrap_or("")),
                None => "not checked".into(),
            }
        ));
    }
    text.push_str(&format!(
        "over the trusted rows at {}–{} K ({}): median |log10(D/D_paper)| {}, largest |AAV/AAV_paper − 1| {}\n\
         D is the tracer D (the table's slope/2 values / 3); the paper's D comes from PBE AIMD, ours from the classical potentials named in the export",
        FIDELITY_RANGE.0,
        FIDELITY_RANGE.1,
        summary.rows_in_summary,
        opt(summary.median_abs_log10_d, 2),
        summary
            .max_abs_aav_error
            .map_or("–".into(), |e| format!("{:.1} %", 100.0 * e)),
    ));
    Ok(Outcome {
        json: json!({"db": args.db, "table": args.table, "rows": rows, "summary": summary}),
        text,
    })
}
