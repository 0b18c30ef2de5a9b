//! `amorph sisso TABLE --target COL`: SISSO symbolic regression for dimensions 1..n.

use super::{InFile, Outcome};
use amorph_sisso::{Config, Dataset, Report, Sisso, Table, config::OpList, config::Subspace};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// Arguments of `amorph sisso`.
#[derive(clap::Args)]
pub struct Args {
    /// Table (whitespace- or comma-separated, header line, first column = row id; non-numeric
    /// columns such as `formula` are skipped).
    pub table: PathBuf,
    /// Target column (or `target` in the config).
    #[arg(long)]
    pub target: Option<String>,
    /// Largest descriptor dimension.
    #[arg(long)]
    pub max_dim: Option<usize>,
    /// Feature-construction depth (0 = primary features only).
    #[arg(long)]
    pub rung: Option<u32>,
    /// Largest number of operators in a feature.
    #[arg(long)]
    pub max_complexity: Option<u32>,
    /// Operators, e.g. '(+)(-)(*)(/)(exp)(^2)' or '+,-,*'; '' = none (primary features only).
    #[arg(long)]
    pub ops: Option<String>,
    /// SIS subspace size per dimension.
    #[arg(long)]
    pub subspace: Option<usize>,
    /// Models kept per dimension.
    #[arg(long)]
    pub n_models: Option<usize>,
    /// TOML config file (unknown keys are an error).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Hold out the rows whose ids are in this file's first (or `index`) column.
    #[arg(long, conflicts_with = "test")]
    pub test_rows: Option<PathBuf>,
    /// A separate test table with the same columns.
    #[arg(long)]
    pub test: Option<PathBuf>,
    /// Choose the dimension by k-fold cross-validation on the training rows.
    #[arg(long)]
    pub cv: Option<usize>,
    /// Worker threads.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Reads row ids from the first column, or the `index` column, of a file (header optional).
fn read_row_ids(path: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path).in_file(path)?;
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .peekable();
    let split = |l: &str| -> Vec<String> {
        l.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| s.trim_matches('"').to_string())
            .collect()
    };
    let Some(first) = lines.peek().map(|l| split(l)) else {
        bail!("{}: no row ids", path.display());
    };
    let col = first.iter().position(|t| t == "index").unwrap_or(0);
    if first.get(col).is_some_and(|t| t.parse::<i64>().is_err()) {
        lines.next();
    }
    let ids: Vec<String> = lines
        .map(|l| split(l).get(col).cloned().unwrap_or_default())
        .map(|t| {
            t.parse::<f64>()
                .ok()
                .filter(|v| v.fract() == 0.0)
                .map_or(t.clone(), |v| format!("{}", v as i64))
        })
        .collect();
    if ids.is_empty() {
        bail!("{}: no row ids", path.display());
    }
    Ok(ids)
}

/// Runs SISSO and reports every dimension.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut cfg = match &args.config {
        Some(p) => Config::read(p).in_file(p)?,
        None => Config::default(),
    };
    if let Some(t) = &args.target {
        cfg.target = Some(t.clone());
    }
    if let Some(v) = args.max_dim {
        cfg.max_dim = v;
    }
    if let Some(v) = args.rung {
        cfg.rung = Some(v);
    }
    if let Some(v) = args.max_complexity {
        cfg.max_complexity = Some(v);
    }
    if let Some(v) = &args.ops {
        cfg.ops = Some(OpList::Text(v.clone()));
        if v.trim().is_empty() && args.rung.is_none() {
            cfg.rung = Some(0);
        }
    }
    if let Some(v) = args.subspace {
        cfg.subspace = Subspace::One(v);
    }
    if let Some(v) = args.n_models {
        cfg.n_models = v;
    }
    if let Some(v) = args.cv {
        cfg.cv_folds = v;
    }
    if let Some(v) = args.threads {
        cfg.threads = Some(v);
    }
    let Some(target) = cfg.target.clone() else {
        bail!("no target: give --target COL or `target` in the config");
    };
    let sisso = Sisso::new(cfg.clone()).context("sisso settings")?;
    let table = Table::read(&args.table)?;
    let (train_table, test_table) = match (&args.test_rows, &args.test) {
        (Some(p), _) => {
            let ids = read_row_ids(p)?;
            let test_rows = table.resolve_rows(&ids).in_file(p)?;
            let mut is_test = vec![false; table.n_rows()];
            test_rows.iter().for_each(|&r| is_test[r] = true);
            let train_rows: Vec<usize> = (0..table.n_rows()).filter(|&r| !is_test[r]).collect();
            (
                table.select_rows(&train_rows),
                Some(table.select_rows(&test_rows)),
            )
        }
        (None, Some(p)) => (table.clone(), Some(Table::read(p)?)),
        (None, None) => (table.clone(), None),
    };
    let data = Dataset::from_table(&train_table, &target, &cfg).in_file(&args.table)?;
    let start = std::time::Instant::now();
    let fit = sisso.fit(&data).in_file(&args.table)?;
    let fit_s = start.elapsed().as_secs_f64();
    let test = match &test_table {
        Some(t) => Some((
            t.n_rows(),
            fit.test_rmses(t, &target).context("test table")?,
        )),
        None => None,
    };
    let mut report = Report::new(&args.table.display().to_string(), &data, &fit, fit_s, test);
    if test_table.is_none() && cfg.cv_folds >= 2 {
        let cv = sisso.cross_validate(&data, cfg.cv_folds, cfg.seed)?;
        report = report.with_cv(cfg.cv_folds, cv);
    }
    Outcome::of(&report)
}
