//! # amorph-slurm
//!
//! The amorph workflow on a SLURM cluster. `amorph run FORMULA... --executor slurm` hands its
//! compositions to SLURM as **one job array**: the compositions are cut into chunks, one array
//! task per chunk, and each task runs the workflow on its chunk into **its own SQLite shard**
//! in a results directory (SQLite with many writers on a network file system loses data; one
//! writer per file does not). `amorph merge` joins the shards afterwards
//! ([`amorph_morph::Database::merge`]).
//!
//! A results directory holds:
//!
//! | path | what |
//! | --- | --- |
//! | `plan.json` | the [`Plan`]: formulas, settings, chunks, every submission's job id |
//! | `shards/task-<i>.db` | task *i*'s workflow database |
//! | `logs/task-<i>.log` | task *i*'s log, every attempt appended |
//! | `submit-<n>.sh` | the batch script of submission *n* |
//!
//! Recovery is the workflow's own: every stage is committed to the shard with its result, so a
//! task that was cancelled, killed or timed out resumes from its shard's last finished stage
//! when `amorph run` submits it again; `amorph run` with the same arguments resubmits only the
//! tasks whose compositions are not finished and not still queued. Before its time limit a
//! task gets `SIGUSR1` (`--signal=B:USR1@N`): it starts no new stage, gives the running one a
//! grace period, and exits with [`REQUEUE_EXIT`] (99), which a cluster with `RequeueExit=99`
//! requeues (the job is submitted with `--requeue`).
//!
//! This crate renders the batch script ([`render_script`]), calls `sbatch` and `squeue`
//! ([`submit`], [`squeue`]), parses squeue's JSON ([`SqueueJob`]) and assembles the typed
//! [`SlurmStatus`] of a results directory. The `amorph` CLI runs the tasks themselves (its
//! hidden `slurm-task` command).
//!
//! ```
//! use amorph_slurm::{Plan, SlurmSettings, render_script};
//! use amorph_morph::Config;
//!
//! let formulas = ["Li2O", "LiF", "LiCl"].map(String::from).to_vec();
//! let plan = Plan::new(formulas, Config::smoke(), 2).unwrap();
//! assert_eq!(plan.tasks, vec![vec!["Li2O".to_string(), "LiF".into()], vec!["LiCl".into()]]);
//! let settings = SlurmSettings { partition: Some("debug".into()), ..Default::default() };
//! let script = render_script("/scratch/run".as_ref(), "/opt/amorph".as_ref(), &[0, 1], &settings)
//!     .unwrap();
//! assert!(script.contains("#SBATCH --array=0-1\n"));
//! assert!(script.contains("#SBATCH --partition=debug\n"));
//! ```

mod plan;
mod scheduler;
mod script;
mod settings;
mod status;
mod stop;

pub use plan::{Plan, Submission, log_path, shard_path};
pub use scheduler::{SqueueJob, TaskState, find_program, squeue, submit};
pub use script::{array_spec, parse_time_limit, render_script};
pub use settings::{Executor, SlurmSettings, split_config};
pub use status::{CompositionProgress, SlurmStatus, SubmitReport, TaskStatus, shard_progress};
pub use stop::StopSignal;

use std::path::PathBuf;

/// The exit code with which a task asks to run again: it stopped cleanly before its time
/// limit (a cluster with `RequeueExit=99` requeues it; otherwise `amorph run` resubmits it).
pub const REQUEUE_EXIT: i32 = 99;

/// Errors of the SLURM executor; each names the input and what is wrong with it in one line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SlurmError {
    /// A SLURM client command is not on the `PATH`.
    #[error(
        "{program} not found on PATH: --executor slurm needs SLURM's client commands (sbatch, squeue) on this machine; use --executor local to run here"
    )]
    NotFound {
        /// The command (`sbatch`, `squeue`).
        program: String,
    },
    /// `sbatch` refused the job (unknown partition, bad time limit, …).
    #[error("sbatch refused the job: {0}")]
    Sbatch(String),
    /// `squeue` failed or printed something that is not its JSON.
    #[error("squeue: {0}")]
    Squeue(String),
    /// The results directory cannot be created, read or written.
    #[error("{}: {what}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The results directory holds a run of other compositions or settings.
    #[error(
        "{}: holds a run with {what}; give the same formulas and settings to resume it, or another --results directory",
        dir.display()
    )]
    OtherRun {
        /// The results directory.
        dir: PathBuf,
        /// What differs.
        what: String,
    },
    /// A setting has a value SLURM would not take or that would break the batch script.
    #[error("{setting} {value:?}: {why}")]
    Setting {
        /// The setting (`--partition`, `[slurm] time`, …).
        setting: String,
        /// Its value.
        value: String,
        /// What is wrong.
        why: String,
    },
    /// The plan file is not what this amorph writes.
    #[error("{}: not an amorph plan: {source}", path.display())]
    Plan {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A task index the plan does not have.
    #[error("task {task}: the plan has tasks 0..{tasks}")]
    NoTask {
        /// The index asked for.
        task: usize,
        /// How many tasks the plan has.
        tasks: usize,
    },
    /// The workflow database of a shard.
    #[error(transparent)]
    Morph(#[from] amorph_morph::MorphError),
    /// The config file's `executor` or `[slurm]` table.
    #[error("configuration: {0}")]
    Config(String),
}

/// Result alias of amorph-slurm.
pub type Result<T, E = SlurmError> = std::result::Result<T, E>;

pub(crate) fn io(
    path: &std::path::Path,
    what: &'static str,
) -> impl FnOnce(std::io::Error) -> SlurmError {
    let path = path.to_path_buf();
    move |source| SlurmError::Io { path, what, source }
}
