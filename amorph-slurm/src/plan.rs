//! The plan of a results directory: which task runs which formulas, with which settings, and
//! every submission's job id.

use crate::{Result, SlurmError, io};
use amorph_morph::Config;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The plan file's name in a results directory.
pub const PLAN_FILE: &str = "plan.json";

/// Version of the plan file this amorph writes.
const PLAN_VERSION: u32 = 1;

/// One `sbatch` of a results directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// The array's job id as sbatch printed it (`1234`).
    pub job_id: String,
    /// The task indices it holds.
    pub tasks: Vec<usize>,
    /// When (seconds since 1970).
    pub submitted: u64,
    /// Its batch script.
    pub script: PathBuf,
}

/// A run on the cluster: its compositions cut into tasks, its settings and its submissions
/// (`plan.json` in the results directory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Plan file version (1).
    pub version: u32,
    /// The formulas, in the order given.
    pub formulas: Vec<String>,
    /// The workflow's settings; every task runs with exactly these.
    pub config: Config,
    /// Compositions per task.
    pub chunk: usize,
    /// The formulas of each task (task *i* = `tasks[i]`).
    pub tasks: Vec<Vec<String>>,
    /// Every submission, oldest first.
    #[serde(default)]
    pub submissions: Vec<Submission>,
}

/// Task `task`'s workflow database in `dir`.
pub fn shard_path(dir: &Path, task: usize) -> PathBuf {
    dir.join("shards").join(format!("task-{task}.db"))
}

/// Task `task`'s log in `dir` (every attempt appended).
pub fn log_path(dir: &Path, task: usize) -> PathBuf {
    dir.join("logs").join(format!("task-{task}.log"))
}

impl Plan {
    /// `formulas` cut into chunks of `chunk` in the order given.
    pub fn new(formulas: Vec<String>, config: Config, chunk: usize) -> Result<Self> {
        if chunk == 0 {
            return Err(SlurmError::Setting {
                setting: "--chunk".into(),
                value: "0".into(),
                why: "must be at least 1".into(),
            });
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = formulas.iter().find(|f| !seen.insert(f.as_str())) {
            return Err(SlurmError::Setting {
                setting: "formulas".into(),
                value: dup.clone(),
                why: "given twice".into(),
            });
        }
        let tasks = formulas.chunks(chunk).map(<[String]>::to_vec).collect();
        Ok(Plan {
            version: PLAN_VERSION,
            formulas,
            config,
            chunk,
            tasks,
            submissions: Vec::new(),
        })
    }

    /// The plan in `dir`, if it has one.
    pub fn load(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join(PLAN_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            // No plan yet; a path below a file is refused when the directory is made.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(io(&path, "cannot read the plan")(e)),
        };
        let plan: Plan =
            serde_json::from_str(&text).map_err(|source| SlurmError::Plan { path, source })?;
        Ok(Some(plan))
    }

    /// The plan in `dir`, which must exist.
    pub fn load_existing(dir: &Path) -> Result<Self> {
        Self::load(dir)?.ok_or_else(|| SlurmError::Io {
            path: dir.join(PLAN_FILE),
            what: "not a results directory of `amorph run --executor slurm`",
            source: std::io::ErrorKind::NotFound.into(),
        })
    }

    /// Writes the plan to `dir` (a new file renamed over the old one, so a task that reads
    /// it meanwhile sees the old or the new plan, never half of one).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(PLAN_FILE);
        let tmp = dir.join(format!(".{PLAN_FILE}.{}", std::process::id()));
        let text = serde_json::to_string_pretty(self).map_err(|source| SlurmError::Plan {
            path: path.clone(),
            source,
        })?;
        std::fs::write(&tmp, text + "\n").map_err(io(&tmp, "cannot write the plan"))?;
        std::fs::rename(&tmp, &path).map_err(io(&path, "cannot write the plan"))
    }

    /// Checks that `asked` is the run this plan holds (same formulas in the same order, same
    /// settings, same chunking), so that resubmitting resumes it.
    pub fn check_same(&self, asked: &Plan, dir: &Path) -> Result<()> {
        let what = if self.formulas != asked.formulas {
            Some(format!(
                "other formulas ({}, not {})",
                self.formulas.join(" "),
                asked.formulas.join(" ")
            ))
        } else if self.config != asked.config {
            Some("other workflow settings (preset or config file)".into())
        } else if self.chunk != asked.chunk {
            Some(format!("--chunk {} (not {})", self.chunk, asked.chunk))
        } else {
            None
        };
        match what {
            Some(what) => Err(SlurmError::OtherRun {
                dir: dir.to_path_buf(),
                what,
            }),
            None => Ok(()),
        }
    }

    /// The formulas of task `task`.
    pub fn task(&self, task: usize) -> Result<&[String]> {
        self.tasks
            .get(task)
            .map(Vec::as_slice)
            .ok_or(SlurmError::NoTask {
                task,
                tasks: self.tasks.len(),
            })
    }

    /// The job id of the latest submission that holds task `task`.
    pub fn latest_job(&self, task: usize) -> Option<&str> {
        self.submissions
            .iter()
            .rev()
            .find(|s| s.tasks.contains(&task))
            .map(|s| s.job_id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_round_trips_and_refuses_another_run() {
        let dir = tempfile::tempdir().unwrap();
        let f = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut plan = Plan::new(f(&["Li2O", "LiF", "LiCl"]), Config::smoke(), 1).unwrap();
        assert_eq!(plan.tasks.len(), 3);
        plan.submissions.push(Submission {
            job_id: "7".into(),
            tasks: vec![0, 1, 2],
            submitted: 1,
            script: dir.path().join("submit-1.sh"),
        });
        plan.submissions.push(Submission {
            job_id: "9".into(),
            tasks: vec![1],
            submitted: 2,
            script: dir.path().join("submit-2.sh"),
        });
        plan.save(dir.path()).unwrap();
        let back = Plan::load_existing(dir.path()).unwrap();
        assert_eq!(back, plan);
        assert_eq!(
            (back.latest_job(0), back.latest_job(1)),
            (Some("7"), Some("9"))
        );
        assert_eq!(back.task(2).unwrap(), ["LiCl"]);
        assert!(back.task(3).unwrap_err().to_string().contains("0..3"));
        let other = Plan::new(f(&["Li2O", "LiF"]), Config::smoke(), 1).unwrap();
        let e = back.check_same(&other, dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("other formulas (Li2O LiF LiCl, not Li2O LiF)"),
            "{e}"
        );
        let other = Plan::new(f(&["Li2O", "LiF", "LiCl"]), Config::demo(), 1).unwrap();
        assert!(back.check_same(&other, dir.path()).is_err());
        assert!(Plan::new(f(&["LiF", "LiF"]), Config::smoke(), 1).is_err());
        let none = tempfile::tempdir().unwrap();
        assert!(Plan::load(none.path()).unwrap().is_none());
        assert!(Plan::load_existing(none.path()).is_err());
    }
}
