//! The MPMorph workflow (`amorph run`) and its database (`amorph export`), through
//! amorph-morph's `Workflow` and `Database` as the command line.

use crate::error::{Ctx, bad, to_json};
use amorph_morph::{AmorphMd, Config, Database, RunSummary, Workflow};
use pyo3::prelude::*;
use std::path::PathBuf;

/// `amorph run FORMULA... --preset P [--config FILE] --db DB`: melt–quench the compositions
/// into the SQLite database (created, or resumed) and return the JSON of `amorph run --json`.
/// `config` is TOML text overriding the preset (the keys of `amorph run --config`). A
/// composition no potential covers is refused before anything runs.
#[pyfunction]
#[pyo3(signature = (formulas, preset = "paper", db = PathBuf::from("amorph.db"), config = None))]
pub fn run(
    py: Python<'_>,
    formulas: Vec<String>,
    preset: &str,
    db: PathBuf,
    config: Option<&str>,
) -> PyResult<String> {
    let mut cfg = Config::preset(preset).ctx(&format!("--preset {preset}"))?;
    if let Some(text) = config {
        let merged = format!("preset = \"{preset}\"\n{text}");
        cfg = Config::from_toml_str(&merged).ctx("config")?;
    }
    if cfg.potential.is_ipi() {
        return Err(bad(
            "config: an i-PI calculator needs its client; use the `amorph run --calculator` command",
        ));
    }
    if formulas.is_empty() {
        return Err(bad("formulas: none given"));
    }
    let name = db.display().to_string();
    let summary = py.detach(|| -> PyResult<RunSummary> {
        let engine = AmorphMd::from_config(&cfg).ctx(&format!("calculator {}", cfg.potential))?;
        let workflow = Workflow::new(cfg.clone()).engine(&engine);
        workflow.preflight(&formulas).ctx("run")?;
        let database = Database::open(&db).ctx(&name)?;
        let start = std::time::Instant::now();
        let outcomes = workflow.run(&formulas, database).ctx("run")?;
        RunSummary::new(&db, &outcomes, start.elapsed().as_secs_f64()).ctx(&name)
    })?;
    to_json(&summary)
}

/// `amorph export --db DB --json`: one row per composition × temperature (with the trust
/// flags), as the JSON list of rows.
#[pyfunction]
pub fn export(py: Python<'_>, db: PathBuf) -> PyResult<String> {
    let name = db.display().to_string();
    let rows = py
        .detach(|| {
            Database::must_exist(&db)?;
            Database::open(&db)?.export()
        })
        .ctx(&name)?;
    to_json(&rows)
}
