//! `amorph run --executor slurm` (a job array over result shards), `amorph status DIR`,
//! `amorph merge`, and the hidden `amorph slurm-task` that each array task runs.

use super::workflow::{DbArgs, RunArgs};
use super::{InFile, Outcome};
use amorph_morph::{Config, Database, RunSummary, Workflow};
use amorph_slurm::{
    Executor, Plan, REQUEUE_EXIT, SlurmError, SlurmSettings, SlurmStatus, StopSignal, Submission,
    SubmitReport,
};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The cluster options of `amorph run` (each also a key of the config file's `[slurm]` table;
/// the flag wins).
#[derive(clap::Args, Default)]
pub struct ClusterArgs {
    /// Where the compositions run: `local` (this machine, the default) or `slurm` (one SLURM
    /// job array, one task per --chunk compositions, each task into its own database shard in
    /// --results). Same as `executor = "slurm"` in the --config file.
    #[arg(long, value_parser = ["local", "slurm"])]
    pub executor: Option<String>,
    /// Results directory of --executor slurm: plan.json, shards/task-<i>.db, logs/task-<i>.log
    /// (default amorph-results). The same `amorph run` again resubmits what is not finished.
    #[arg(long)]
    pub results: Option<PathBuf>,
    /// SLURM partition.
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit of each task (SLURM formats: 30, 2:00:00, 1-00:00:00).
    #[arg(long)]
    pub time: Option<String>,
    /// CPUs per task; the task's MD threads follow it.
    #[arg(long)]
    pub cpus_per_task: Option<u32>,
    /// At most this many tasks at once.
    #[arg(long)]
    pub max_concurrent: Option<u32>,
    /// Compositions per task (default 1).
    #[arg(long)]
    pub chunk: Option<usize>,
    /// Seconds before the time limit at which a task stops cleanly to be requeued (default
    /// 300, at most a third of --time).
    #[arg(long)]
    pub signal_lead: Option<u32>,
    /// One more sbatch option, e.g. --sbatch-arg=--account=abc (repeatable).
    #[arg(long = "sbatch-arg", allow_hyphen_values = true)]
    pub sbatch_args: Vec<String>,
    /// Print the batch script and submit nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Wait until the job has left the queue, then report (non-zero exit if a composition is
    /// not finished).
    #[arg(long)]
    pub wait: bool,
}

impl ClusterArgs {
    fn settings(&self) -> SlurmSettings {
        SlurmSettings {
            results: self.results.clone(),
            partition: self.partition.clone(),
            time: self.time.clone(),
            cpus_per_task: self.cpus_per_task,
            max_concurrent: self.max_concurrent,
            chunk: self.chunk,
            signal_lead: self.signal_lead,
            sbatch_args: self.sbatch_args.clone(),
        }
    }
}

/// The settings of a run: the preset, then the config file (without its `executor` key and
/// `[slurm]` table); and the SLURM settings when the executor is SLURM (flags over the file).
pub fn load_config(
    preset: &str,
    file: Option<&Path>,
    cluster: &ClusterArgs,
) -> anyhow::Result<(Config, Option<SlurmSettings>)> {
    let mut config = Config::preset(preset).with_context(|| format!("--preset {preset}"))?;
    let (mut executor, mut settings) = (None, SlurmSettings::default());
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).in_file(path)?;
        let (e, s, rest) = amorph_slurm::split_config(&text).in_file(path)?;
        (executor, settings) = (e, s);
        let merged = format!("preset = \"{preset}\"\n{rest}");
        config = Config::from_toml_str(&merged).in_file(path)?;
    }
    let executor = match cluster.executor.as_deref() {
        Some("slurm") => Executor::Slurm,
        Some(_) => Executor::Local,
        None => executor.unwrap_or_default(),
    };
    let flags = cluster.settings();
    if executor == Executor::Local {
        if flags != SlurmSettings::default() || cluster.dry_run || cluster.wait {
            bail!(
                "--results, --partition, --time, --cpus-per-task, --max-concurrent, --chunk, \
                 --signal-lead, --sbatch-arg, --dry-run and --wait go with --executor slurm"
            );
        }
        return Ok((config, None));
    }
    Ok((config, Some(settings.overridden_by(flags))))
}

/// `amorph run --executor slurm`: checks, plans, writes the batch script and submits the
/// tasks that are neither finished nor queued.
pub fn run(args: &RunArgs, config: Config, settings: SlurmSettings) -> anyhow::Result<Outcome> {
    if args.calculator.is_some() || config.potential.is_ipi() {
        bail!(
            "--executor slurm runs the built-in potentials; an i-PI calculator serves one \
             composition on this machine: use --executor local"
        );
    }
    if !args.device.eq_ignore_ascii_case("cpu") {
        // The plan stores the potential by name, without the device: refuse rather than let
        // the tasks run on the CPU unannounced.
        bail!(
            "--device {}: --executor slurm runs its tasks on the CPU (the device is not yet \
             carried to the tasks)",
            args.device
        );
    }
    settings.validate()?;
    // The same refusal as the local executor, before anything is written or submitted.
    Workflow::new(config.clone()).preflight(&args.formulas)?;
    let dir = settings.results_dir();
    let asked = Plan::new(args.formulas.clone(), config, settings.chunk())?;
    let amorph = std::env::current_exe().context("the path of this amorph binary")?;
    let existing = Plan::load(&dir)?;
    if let Some(plan) = &existing {
        plan.check_same(&asked, &dir)?;
    }
    let mut plan = existing.unwrap_or(asked);
    // Absolute, so that the tasks find it from any working directory.
    let dir_abs = if dir.is_absolute() {
        dir.clone()
    } else {
        std::env::current_dir()?.join(&dir)
    };
    let all: Vec<usize> = (0..plan.tasks.len()).collect();
    if args.cluster.dry_run {
        let status = SlurmStatus::gather(&dir_abs, &plan, Ok(Vec::new()))?;
        let tasks = if plan.submissions.is_empty() {
            all
        } else {
            status.to_submit()
        };
        let script = if tasks.is_empty() {
            "# nothing to submit: every composition is finished\n".to_string()
        } else {
            amorph_slurm::render_script(&dir_abs, &amorph, &tasks, &settings)?
        };
        return Ok(Outcome {
            json: serde_json::json!({"results": dir_abs, "tasks": tasks, "script": script}),
            text: script,
        });
    }
    // Nothing is created before SLURM's commands are known to be here.
    amorph_slurm::find_program("sbatch").ok_or(SlurmError::NotFound {
        program: "sbatch".into(),
    })?;
    for d in [dir_abs.join("shards"), dir_abs.join("logs")] {
        std::fs::create_dir_all(&d).map_err(|e| {
            anyhow::anyhow!("{}: cannot create the results directory: {e}", d.display())
        })?;
    }
    let status = SlurmStatus::gather(&dir_abs, &plan, amorph_slurm::squeue())?;
    if let Some(e) = &status.scheduler_error {
        bail!("{e}");
    }
    let tasks = status.to_submit();
    let still_queued: Vec<usize> = status
        .tasks
        .iter()
        .filter(|t| t.active())
        .map(|t| t.task)
        .collect();
    let mut report = SubmitReport {
        results: dir_abs.clone(),
        job_id: None,
        tasks: tasks.clone(),
        compositions: tasks
            .iter()
            .flat_map(|&t| plan.tasks[t].iter().cloned())
            .collect(),
        still_queued,
        script: None,
        status: None,
    };
    if !tasks.is_empty() {
        let text = amorph_slurm::render_script(&dir_abs, &amorph, &tasks, &settings)?;
        let script = dir_abs.join(format!("submit-{}.sh", plan.submissions.len() + 1));
        // The plan first: a task reads it as soon as it starts.
        plan.save(&dir_abs)?;
        std::fs::write(&script, text).map_err(|e| {
            anyhow::anyhow!("{}: cannot write the batch script: {e}", script.display())
        })?;
        let job_id = amorph_slurm::submit(&script, &dir_abs)?;
        eprintln!(
            "submitted job {job_id} (tasks {})",
            amorph_slurm::array_spec(&tasks, None)
        );
        plan.submissions.push(Submission {
            job_id: job_id.clone(),
            tasks: tasks.clone(),
            submitted: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            script: script.clone(),
        });
        plan.save(&dir_abs)?;
        report.job_id = Some(job_id);
        report.script = Some(script);
    }
    if args.cluster.wait {
        let status = wait(&dir_abs, &plan)?;
        let unfinished = status.compositions.iter().filter(|c| !c.finished()).count();
        if unfinished > 0 {
            eprint!("{status}");
            bail!(
                "{unfinished} of {} compositions not finished; `amorph status {}` says why, the same `amorph run` resubmits them",
                status.compositions.len(),
                dir_abs.display()
            );
        }
        report.status = Some(status);
    }
    Outcome::of(&report)
}

/// Polls squeue until no task of the plan is queued; the status then.
fn wait(dir: &Path, plan: &Plan) -> anyhow::Result<SlurmStatus> {
    loop {
        let status = SlurmStatus::gather(dir, plan, amorph_slurm::squeue())?;
        if let Some(e) = &status.scheduler_error {
            bail!("{e}");
        }
        if !status.any_active() {
            return Ok(status);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Arguments of `amorph status`.
#[derive(clap::Args)]
pub struct StatusArgs {
    /// A results directory of `amorph run --executor slurm` (or a database file).
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

/// `amorph status [DIR]`: a results directory's compositions and tasks, or a database's
/// stages.
pub fn status(args: StatusArgs) -> anyhow::Result<Outcome> {
    let dir = match args.dir {
        Some(dir) if dir.is_dir() => dir,
        Some(file) => {
            return super::workflow::status(DbArgs {
                db: file,
                ..args.db
            });
        }
        None => return super::workflow::status(args.db),
    };
    let plan = Plan::load_existing(&dir)?;
    Outcome::of(&SlurmStatus::gather(&dir, &plan, amorph_slurm::squeue())?)
}

/// Arguments of `amorph merge`.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// Results directories of `amorph run --executor slurm` (their shards, in task order) or
    /// database files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The database to merge into (created if missing).
    #[arg(long)]
    pub db: PathBuf,
}

/// `amorph merge DIR|SHARDS... --db OUT`.
pub fn merge(args: MergeArgs) -> anyhow::Result<Outcome> {
    let mut shards = Vec::new();
    for input in &args.inputs {
        if input.is_dir() {
            let plan = Plan::load_existing(input)?;
            for i in 0..plan.tasks.len() {
                let shard = amorph_slurm::shard_path(input, i);
                if shard.exists() {
                    shards.push(shard);
                } else {
                    eprintln!(
                        "{}: task {i} ({}) has no shard yet: not merged",
                        input.display(),
                        plan.tasks[i].join(" ")
                    );
                }
            }
        } else {
            Database::must_exist(input)?;
            shards.push(input.clone());
        }
    }
    if shards.is_empty() {
        bail!("no shards to merge in {}", args.inputs[0].display());
    }
    let mut db = Database::open(&args.db).in_file(&args.db)?;
    Outcome::of(&db.merge(&shards)?)
}

/// Arguments of the hidden `amorph slurm-task` (what each array task runs).
#[derive(clap::Args)]
pub struct TaskArgs {
    /// The results directory.
    pub dir: PathBuf,
    /// The task index ($SLURM_ARRAY_TASK_ID).
    #[arg(long)]
    pub task: usize,
    /// Seconds the running stage may go on after SIGUSR1 before it is abandoned.
    #[arg(long, default_value_t = 150)]
    pub grace: u64,
}

/// `amorph slurm-task DIR --task I`: the workflow on task I's compositions into its shard.
/// On SIGUSR1 it starts no new stage, lets the running one finish for --grace seconds, and
/// exits 99 (requeue); an abandoned stage is redone from its start when the task runs again.
pub fn task(args: TaskArgs) -> anyhow::Result<Outcome> {
    let plan = Plan::load_existing(&args.dir)?;
    let formulas = plan.task(args.task)?.to_vec();
    let stop = StopSignal::install().context("installing the SIGUSR1 handler")?;
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| "-".into());
    eprintln!(
        "== amorph slurm-task: task {} ({}), job {}_{}, restart {}, host {}, pid {}",
        args.task,
        formulas.join(" "),
        env("SLURM_ARRAY_JOB_ID"),
        env("SLURM_ARRAY_TASK_ID"),
        std::env::var("SLURM_RESTART_COUNT").unwrap_or_else(|_| "0".into()),
        env("SLURMD_NODENAME"),
        std::process::id()
    );
    let shard = amorph_slurm::shard_path(&args.dir, args.task);
    if let Some(d) = shard.parent() {
        std::fs::create_dir_all(d).in_file(d)?;
    }
    if !shard.exists() {
        // Made under another name and renamed: a shard that `amorph status` can see always
        // has its tables (it reads shards read-only).
        let fresh = shard.with_extension(format!("db.new-{}", std::process::id()));
        drop(Database::open(&fresh).in_file(&fresh)?);
        std::fs::rename(&fresh, &shard).in_file(&shard)?;
    }
    let db = Database::open(&shard).in_file(&shard)?;
    let running = AtomicUsize::new(0);
    // The watchdog: after SIGUSR1, abandon a stage that outlasts the grace period. (Detached:
    // it ends with the process.)
    let watcher = stop.clone();
    let grace = Duration::from_secs(args.grace);
    std::thread::spawn(move || {
        let mut since: Option<Instant> = None;
        loop {
            std::thread::sleep(Duration::from_millis(100));
            if watcher.requested() {
                let t = *since.get_or_insert_with(Instant::now);
                if t.elapsed() >= grace {
                    requeue("SIGUSR1: the running stage outlasted the grace period, abandoned");
                }
            }
        }
    });
    let workflow = Workflow::new(plan.config.clone()).on_event(|e| {
        eprintln!("{e}");
        use amorph_morph::Event;
        let now = match e {
            Event::Started { .. } => running.fetch_add(1, Ordering::SeqCst) + 1,
            Event::Finished { .. } | Event::Failed { .. } => {
                running.fetch_sub(1, Ordering::SeqCst).saturating_sub(1)
            }
            Event::Skipped { .. } => running.load(Ordering::SeqCst),
        };
        if stop.requested() {
            if matches!(e, Event::Started { .. }) {
                requeue("SIGUSR1: no new stage started");
            } else if now == 0 {
                requeue("SIGUSR1: the running stage finished");
            }
        }
    });
    let start = Instant::now();
    let outcomes = workflow.run(&formulas, db)?;
    Database::open(&shard)
        .and_then(|db| db.checkpoint())
        .in_file(&shard)?;
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    let summary = RunSummary::new(&shard, &outcomes, start.elapsed().as_secs_f64())?;
    if failed > 0 {
        eprint!("{summary}");
        bail!("{failed} of {} compositions failed", outcomes.len());
    }
    Outcome::of(&summary)
}

/// Leaves the task for a requeue: every finished stage is committed to the shard, and a stage
/// left unfinished is redone from its start when the task runs again.
fn requeue(why: &str) -> ! {
    eprintln!("== amorph slurm-task: {why}; exit {REQUEUE_EXIT} (requeue)");
    std::process::exit(REQUEUE_EXIT)
}
