//! `amorph demo`: the whole pipeline on six shipped Li compositions with the `demo` preset,
//! into a database in the working directory, then the HTML report. Interrupt it at any time;
//! running it again resumes from the database.

use super::Outcome;
use super::workflow::{RunArgs, run as run_workflow};
use amorph_morph::DEMO_FORMULAS;
use anyhow::Context;
use serde_json::json;
use std::path::PathBuf;

/// Arguments of `amorph demo`.
#[derive(clap::Args)]
pub struct Args {
    /// The database (created if missing; an existing one is resumed).
    #[arg(long, default_value = "amorph-demo.db")]
    pub db: PathBuf,
    /// The HTML report written at the end.
    #[arg(long, default_value = "amorph-demo.html")]
    pub report: PathBuf,
    /// TOML file overriding `demo` preset settings (e.g. fewer steps for a smoke test).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// `amorph demo`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    eprintln!(
        "amorph demo: {} with the demo preset into {} (Ctrl-C to stop; run again to resume)",
        DEMO_FORMULAS.join(", "),
        args.db.display()
    );
    let started = std::time::Instant::now();
    let run = run_workflow(RunArgs {
        formulas: DEMO_FORMULAS.iter().map(|s| s.to_string()).collect(),
        preset: "demo".into(),
        config: args.config.clone(),
        db: args.db.clone(),
        calculator: None,
        cluster: Default::default(),
        potential: None,
        device: "cpu".into(),
    })?;
    let summary = amorph::report::write_database_report(&args.db, &args.report)
        .with_context(|| format!("report of {}", args.db.display()))?;
    let report = json!({"output": args.report, "summary": summary});
    let seconds = started.elapsed().as_secs_f64();
    Ok(Outcome {
        json: json!({"db": args.db, "report": args.report, "run": run.json, "report_summary": report, "seconds": seconds}),
        text: format!(
            "{}report -> {} ({seconds:.0} s in all)",
            run.text,
            args.report.display()
        ),
    })
}
