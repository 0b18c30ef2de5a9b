//! What `amorph status DIR` reports: per composition its stages done from the shards, per
//! task the scheduler's view and its log.

use crate::{Plan, Result, SlurmError, SqueueJob, TaskState, log_path, shard_path};
use amorph_morph::db::StageStatus;
use amorph_morph::{Config, Database};
use std::fmt;
use std::path::{Path, PathBuf};

/// The progress of one composition, from its task's shard.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompositionProgress {
    /// The formula.
    pub formula: String,
    /// The task that runs it.
    pub task: usize,
    /// Stages done.
    pub stages_done: usize,
    /// Stages of the workflow.
    pub stages_total: usize,
    /// Stages started and not finished (running now, or interrupted).
    pub running: Vec<String>,
    /// Failed stages with their errors (`stage: error`).
    pub failed: Vec<String>,
}

impl CompositionProgress {
    /// Whether every stage is done.
    pub fn finished(&self) -> bool {
        self.stages_done == self.stages_total
    }
}

/// One array task: its compositions, the scheduler's view of its latest submission, its log.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TaskStatus {
    /// The task index.
    pub task: usize,
    /// Its formulas.
    pub formulas: Vec<String>,
    /// Its latest submission as `ARRAY_TASK` (`1234_5`); `None` if never submitted.
    pub job: Option<String>,
    /// The scheduler's state; `None` when squeue has no record (never submitted, or finished
    /// longer ago than the cluster's `MinJobAge`).
    pub state: Option<TaskState>,
    /// Why (SLURM's reason: `Resources`, `JobArrayTaskLimit`, `NonZeroExitCode`, …).
    pub reason: Option<String>,
    /// Exit code of a finished task.
    pub exit_code: Option<i32>,
    /// The signal that ended it.
    pub signal: Option<i32>,
    /// Times it was requeued.
    pub restarts: u32,
    /// Whether all its compositions are finished (from its shard).
    pub finished: bool,
    /// Its shard.
    pub shard: PathBuf,
    /// Its log (every attempt appended).
    pub log: PathBuf,
}

impl TaskStatus {
    /// Whether the task is still in the scheduler's queue.
    pub fn active(&self) -> bool {
        self.state.as_ref().is_some_and(TaskState::is_active)
    }
}

/// A results directory's status, as `amorph status DIR` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SlurmStatus {
    /// The results directory.
    pub results: PathBuf,
    /// Every composition, in the order given.
    pub compositions: Vec<CompositionProgress>,
    /// Every task.
    pub tasks: Vec<TaskStatus>,
    /// Why the scheduler could not be asked (the shards' progress is still reported).
    pub scheduler_error: Option<String>,
}

/// The progress of `formulas` in the shard at `shard` (none done where it does not exist).
pub fn shard_progress(
    shard: &Path,
    task: usize,
    formulas: &[String],
    config: &Config,
) -> Result<Vec<CompositionProgress>> {
    let total = amorph_morph::stage_graph(config).node_count();
    let status = if shard.exists() {
        // Read only: the task may be writing it (from another host).
        Database::open_read_only(shard)?.status()?
    } else {
        Vec::new()
    };
    Ok(formulas
        .iter()
        .map(|f| {
            let stages = status
                .iter()
                .find(|c| &c.formula == f)
                .map(|c| c.stages.as_slice())
                .unwrap_or_default();
            let with = |s: StageStatus| stages.iter().filter(move |r| r.status == s);
            CompositionProgress {
                formula: f.clone(),
                task,
                stages_done: with(StageStatus::Done).count(),
                stages_total: total,
                running: with(StageStatus::Running).map(|r| r.stage.name()).collect(),
                failed: with(StageStatus::Failed)
                    .map(|r| format!("{}: {}", r.stage, r.error.as_deref().unwrap_or("")))
                    .collect(),
            }
        })
        .collect())
}

impl SlurmStatus {
    /// The status of the results directory `dir` with plan `plan`, given what squeue said
    /// (or why it could not be asked).
    pub fn gather(
        dir: &Path,
        plan: &Plan,
        jobs: std::result::Result<Vec<SqueueJob>, SlurmError>,
    ) -> Result<Self> {
        let (jobs, scheduler_error) = match jobs {
            Ok(j) => (j, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let mut compositions = Vec::new();
        let mut tasks = Vec::new();
        for (i, formulas) in plan.tasks.iter().enumerate() {
            let shard = shard_path(dir, i);
            let progress = shard_progress(&shard, i, formulas, &plan.config)?;
            let job = plan.latest_job(i);
            // The task's own record wins over the pending rest of its array.
            let record = job.and_then(|j| {
                let mine = jobs.iter().filter(|r| r.is_task(j, i));
                mine.clone()
                    .find(|r| r.array_task_id.is_some())
                    .or_else(|| mine.clone().next())
            });
            tasks.push(TaskStatus {
                task: i,
                formulas: formulas.clone(),
                job: job.map(|j| format!("{j}_{i}")),
                state: record.map(|r| r.state.clone()),
                reason: record.and_then(|r| r.reason.clone()),
                exit_code: record.and_then(|r| r.exit_code),
                signal: record.and_then(|r| r.signal),
                restarts: record.map_or(0, |r| r.restarts),
                finished: progress.iter().all(CompositionProgress::finished),
                shard,
                log: log_path(dir, i),
            });
            compositions.extend(progress);
        }
        Ok(SlurmStatus {
            results: dir.to_path_buf(),
            compositions,
            tasks,
            scheduler_error,
        })
    }

    /// The tasks to submit: not finished and not in the queue.
    pub fn to_submit(&self) -> Vec<usize> {
        self.tasks
            .iter()
            .filter(|t| !t.finished && !t.active())
            .map(|t| t.task)
            .collect()
    }

    /// Whether every composition is finished.
    pub fn all_finished(&self) -> bool {
        self.compositions.iter().all(CompositionProgress::finished)
    }

    /// Whether any task is still in the queue.
    pub fn any_active(&self) -> bool {
        self.tasks.iter().any(TaskStatus::active)
    }
}

impl fmt::Display for SlurmStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done = self.compositions.iter().filter(|c| c.finished()).count();
        writeln!(
            f,
            "{}: {done}/{} compositions finished",
            self.results.display(),
            self.compositions.len()
        )?;
        for c in &self.compositions {
            write!(
                f,
                "  {:<12} {:>3}/{} stages  task {}",
                c.formula, c.stages_done, c.stages_total, c.task
            )?;
            if !c.running.is_empty() {
                write!(f, "  started, not finished: {}", c.running.join(", "))?;
            }
            if !c.failed.is_empty() {
                write!(f, "  FAILED {}", c.failed.join("; "))?;
            }
            writeln!(f)?;
        }
        writeln!(f, "tasks:")?;
        for t in &self.tasks {
            let state = match (&t.job, &t.state) {
                (None, _) => "not submitted".to_string(),
                (Some(j), None) => format!(
                    "job {j}: no record in squeue (finished long ago){}",
                    if t.finished { ", shard finished" } else { "" }
                ),
                (Some(j), Some(s)) => {
                    let mut x = format!("job {j}: {}", s.name());
                    match (t.exit_code, t.signal) {
                        (Some(c), Some(sig)) => x.push_str(&format!(", exit {c}, signal {sig}")),
                        (Some(c), None) if c != 0 => x.push_str(&format!(", exit {c}")),
                        _ => {}
                    }
                    if t.exit_code == Some(crate::REQUEUE_EXIT) {
                        x.push_str(" (stopped before its time limit)");
                    }
                    if let Some(r) = &t.reason {
                        x.push_str(&format!(" ({r})"));
                    }
                    if t.restarts > 0 {
                        x.push_str(&format!(", requeued {}x", t.restarts));
                    }
                    x
                }
            };
            writeln!(f, "  {:>3}  {:<60} log {}", t.task, state, t.log.display())?;
        }
        if let Some(e) = &self.scheduler_error {
            writeln!(f, "scheduler not asked: {e}")?;
        }
        let todo = self.to_submit();
        if !todo.is_empty() {
            writeln!(
                f,
                "{} tasks neither finished nor queued: the same `amorph run` resubmits them",
                todo.len()
            )?;
        } else if self.all_finished() {
            writeln!(
                f,
                "all finished: `amorph merge {} --db OUT.db` joins the shards",
                self.results.display()
            )?;
        }
        Ok(())
    }
}

/// What `amorph run --executor slurm` did: the submission (or why none was needed) and, with
/// `--wait`, the status once the job left the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SubmitReport {
    /// The results directory.
    pub results: PathBuf,
    /// The job id of this submission; `None` when nothing needed submitting.
    pub job_id: Option<String>,
    /// The tasks submitted.
    pub tasks: Vec<usize>,
    /// Their compositions.
    pub compositions: Vec<String>,
    /// Tasks still queued from an earlier submission (not submitted again).
    pub still_queued: Vec<usize>,
    /// The batch script written for this submission.
    pub script: Option<PathBuf>,
    /// The status after waiting (`--wait`).
    pub status: Option<SlurmStatus>,
}

impl fmt::Display for SubmitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.job_id {
            Some(j) => writeln!(
                f,
                "submitted job {j}: {} tasks ({}) -> {}",
                self.tasks.len(),
                self.compositions.join(" "),
                self.results.display()
            )?,
            None if self.still_queued.is_empty() => writeln!(
                f,
                "nothing to submit: every composition in {} is finished",
                self.results.display()
            )?,
            None => writeln!(f, "nothing to submit")?,
        }
        if !self.still_queued.is_empty() {
            let t: Vec<String> = self.still_queued.iter().map(usize::to_string).collect();
            writeln!(
                f,
                "still queued, not submitted again: tasks {}",
                t.join(", ")
            )?;
        }
        match &self.status {
            Some(s) => s.fmt(f),
            None => writeln!(
                f,
                "watch: amorph status {0}; then: amorph merge {0} --db OUT.db",
                self.results.display()
            ),
        }
    }
}
