//! `amorph run`, `amorph status`, `amorph export`: the MPMorph workflow and its database.

use super::{InFile, Outcome};
use amorph_md::spec::CalculatorSpec;
use amorph_morph::db::StageStatus;
use amorph_morph::{
    AmorphMd, Config, Database, DatabaseStatus, Event, RunSummary, Stage, Workflow,
};
use anyhow::Context;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use serde_json::json;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Arguments of `amorph run`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// Formulas to melt and quench, e.g. Li2O Li2Si2O5 LiF.
    #[arg(required = true)]
    pub formulas: Vec<String>,
    /// Settings preset: `paper` (the paper's temperatures and step counts), `demo` (minutes) or
    /// `smoke` (seconds; checks an installation or a plug-in calculator, not for science).
    #[arg(long, default_value = "paper")]
    pub preset: String,
    /// TOML file overriding preset settings (unknown keys are an error).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The database file (created if missing; an existing one is resumed).
    #[arg(long, default_value = "amorph.db")]
    pub db: PathBuf,
    /// External calculator instead of the configured potential: `ipi:unix:NAME` (socket
    /// /tmp/ipi_NAME) or `ipi:tcp:PORT` (127.0.0.1). One i-PI client holds one composition's
    /// atoms, so give exactly one formula; the client's atoms must be those of
    /// `amorph pack FORMULA --atoms <target_atoms>` (same species order). Same as
    /// `potential = "ipi:..."` in the --config file.
    #[arg(long)]
    pub calculator: Option<String>,
    /// The SLURM executor's options (issue 17).
    #[command(flatten)]
    pub cluster: super::slurm::ClusterArgs,
    /// The potential instead of the configured one (names as `amorph md --potential`, e.g.
    /// sevennet); same as `potential = "..."` in the --config file.
    #[arg(long, conflicts_with = "calculator")]
    pub potential: Option<String>,
    /// Where a machine-learned potential runs: cpu, cuda or cuda:N.
    #[arg(long, default_value = "cpu")]
    pub device: String,
}

/// Arguments of `amorph status` and `amorph export`.
#[derive(clap::Args)]
pub struct DbArgs {
    /// The database file.
    #[arg(long, default_value = "amorph.db")]
    pub db: PathBuf,
    /// Write CSV (export only) instead of text.
    #[arg(long)]
    pub csv: bool,
    /// Write to this file instead of stdout (export only).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Arguments of `amorph trajectory`.
#[derive(clap::Args)]
pub struct TrajectoryArgs {
    /// The composition, as given to `amorph run` (e.g. Li3N).
    pub formula: String,
    /// The temperature (K) of the production run to write (the melt's or an anneal's).
    #[arg(long)]
    pub temperature: f64,
    /// Write only the run's final structure instead of its frames.
    #[arg(long)]
    pub last: bool,
    /// Output file; its name picks the format (extxyz or XDATCAR for frames; POSCAR, extxyz or
    /// LAMMPS data with --last).
    #[arg(short, long)]
    pub output: PathBuf,
    /// The database file.
    #[arg(long, default_value = "amorph.db")]
    pub db: PathBuf,
}

/// The engine of a configuration ([`AmorphMd::from_config`]); says so when it waits for an
/// i-PI client.
fn engine(config: &Config) -> anyhow::Result<AmorphMd> {
    let engine = AmorphMd::from_config(config)
        .with_context(|| format!("calculator {}", config.potential))?;
    if let CalculatorSpec::Ipi(address) = &config.potential {
        eprintln!("waiting for an i-PI client on {address}");
    }
    Ok(engine)
}

/// Progress display: one bar per composition on a terminal, plain lines otherwise.
struct Progress {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Progress {
    fn new() -> Self {
        Progress {
            multi: std::io::stderr().is_terminal().then(MultiProgress::new),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn event(&self, e: Event) {
        let Some(multi) = &self.multi else {
            eprintln!("{e}");
            return;
        };
        let mut bars = self.bars.lock().expect("progress lock");
        let total = match &e {
            Event::Started { total, .. } => *total as u64,
            _ => 1,
        };
        let b = bars.entry(e.formula().to_string()).or_insert_with(|| {
            let b = multi.add(ProgressBar::new(total));
            b.set_style(
                ProgressStyle::with_template(
                    "{prefix:>12} [{bar:20}] {pos}/{len} {elapsed:>5} {msg}",
                )
                .expect("template")
                .progress_chars("=> "),
            );
            b.set_prefix(e.formula().to_string());
            b.enable_steady_tick(std::time::Duration::from_millis(200));
            b
        });
        match e {
            Event::Started { stage, index, .. } => {
                b.set_position(index as u64);
                b.set_message(stage.to_string());
            }
            Event::Skipped { .. } | Event::Finished { .. } => b.inc(1),
            Event::Failed { stage, error, .. } => {
                b.abandon_with_message(format!("{stage} failed: {error}"))
            }
        }
    }

    fn finish(&self) {
        for b in self.bars.lock().expect("progress lock").values() {
            b.finish();
        }
    }
}

/// `amorph run`.
pub fn run(args: RunArgs) -> anyhow::Result<Outcome> {
    let (mut config, slurm) =
        super::slurm::load_config(&args.preset, args.config.as_deref(), &args.cluster)?;
    if let Some(p) = &args.potential {
        config.potential = p.parse().with_context(|| format!("--potential {p}"))?;
    }
    config.potential = (config.potential.clone())
        .on_device(&args.device)
        .with_context(|| format!("--device {}", args.device))?;
    if let Some(settings) = slurm {
        return super::slurm::run(&args, config, settings);
    }
    if let Some(spec) = &args.calculator {
        let parsed: CalculatorSpec = spec
            .parse()
            .ok()
            .filter(CalculatorSpec::is_ipi)
            .with_context(|| {
                format!("--calculator {spec}: expected ipi:unix:NAME or ipi:tcp:PORT")
            })?;
        config.potential = parsed;
    }
    amorph_morph::check_ipi_formulas(&config, &args.formulas)?;
    let engine = engine(&config)?;
    if config.potential.is_ipi() {
        eprintln!(
            "the i-PI client must hold {} in this order (`amorph pack {} --atoms {}` writes them)",
            amorph_morph::client_atoms(&args.formulas[0], &config)
                .with_context(|| format!("formula {}", args.formulas[0]))?,
            args.formulas[0],
            config.target_atoms
        );
    }
    // Refuse what no potential covers before anything is written.
    let progress = Progress::new();
    let workflow = Workflow::new(config.clone())
        .engine(&engine)
        .on_event(|e| progress.event(e));
    workflow.preflight(&args.formulas)?;
    let db = Database::open(&args.db).in_file(&args.db)?;
    let start = std::time::Instant::now();
    let outcomes = workflow.run(&args.formulas, db)?;
    progress.finish();
    Outcome::of(&RunSummary::new(
        &args.db,
        &outcomes,
        start.elapsed().as_secs_f64(),
    )?)
}

/// The database at `path`, which must exist.
fn open_existing(path: &Path) -> anyhow::Result<Database> {
    Database::must_exist(path)?;
    Database::open(path).in_file(path)
}

/// `amorph status`: per composition its potential, its stages and whether each temperature's
/// row can be trusted (with the reason when not).
pub fn status(args: DbArgs) -> anyhow::Result<Outcome> {
    let compositions = open_existing(&args.db)?.status()?;
    Outcome::of(&DatabaseStatus {
        db: args.db,
        compositions,
    })
}

/// `amorph trajectory`: a stored production trajectory (or its final structure) as a file, for
/// `amorph rdf`, `amorph diffusion` or any other code.
pub fn trajectory(args: TrajectoryArgs) -> anyhow::Result<Outcome> {
    let db = open_existing(&args.db)?;
    let Some(row) = db.composition(&args.formula)? else {
        let known: Vec<String> = db.compositions()?.into_iter().map(|c| c.formula).collect();
        anyhow::bail!(
            "{}: no composition '{}' (it holds: {})",
            args.db.display(),
            args.formula,
            known.join(", ")
        );
    };
    let stage = Stage::Production(args.temperature);
    let missing = || -> anyhow::Result<anyhow::Error> {
        let stored: Vec<String> = db
            .stages()?
            .into_iter()
            .filter(|s| s.formula == row.formula && s.status == StageStatus::Done)
            .filter_map(|s| match s.stage {
                Stage::Production(t) => Some(format!("{t} K")),
                _ => None,
            })
            .collect();
        Ok(anyhow::anyhow!(
            "{}: {} has no finished production run at {} K (finished: {})",
            args.db.display(),
            row.formula,
            args.temperature,
            if stored.is_empty() {
                "none".to_string()
            } else {
                stored.join(", ")
            }
        ))
    };
    let frames = if args.last {
        let Some((structure, _)) = db.structure(row.id, stage)? else {
            return Err(missing()?);
        };
        amorph_core::io::write_structure(&args.output, &structure).in_file(&args.output)?;
        1
    } else {
        let Some((trajectory, _)) = db.trajectory(row.id, stage)? else {
            return Err(missing()?);
        };
        amorph_core::io::write_trajectory(&args.output, &trajectory).in_file(&args.output)?;
        trajectory.n_frames()
    };
    Ok(Outcome {
        json: json!({"db": args.db, "formula": row.formula, "temperature": args.temperature,
                     "frames": frames, "output": args.output}),
        text: format!(
            "{} at {} K: {frames} frame(s) -> {}",
            row.formula,
            args.temperature,
            args.output.display()
        ),
    })
}

/// `amorph export`.
pub fn export(args: DbArgs) -> anyhow::Result<Outcome> {
    let rows = open_existing(&args.db)?.export()?;
    let json = json!({"db": args.db, "rows": rows});
    let text = if args.csv {
        amorph::report::export_csv(&rows)?
    } else {
        serde_json::to_string_pretty(&json)?
    };
    if let Some(path) = &args.output {
        std::fs::write(path, &text).in_file(path)?;
        return Ok(Outcome {
            json: json!({"db": args.db, "output": path, "rows": rows.len()}),
            text: format!("{} rows -> {}", rows.len(), path.display()),
        });
    }
    Ok(Outcome { json, text })
}
