//! The scheduler's commands: `sbatch` to submit, `squeue --json` to watch.

use crate::{Result, SlurmError};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `program` on the `PATH`, if it is there.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn need(program: &str) -> Result<PathBuf> {
    find_program(program).ok_or_else(|| SlurmError::NotFound {
        program: program.into(),
    })
}

/// The `error:` lines of a SLURM command's stderr on one line (all of stderr if it has none).
fn error_lines(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let errors: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once("error: ").map(|x| x.1.trim()))
        .collect();
    if errors.is_empty() {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        errors.join("; ")
    }
}

/// Submits the batch script `script` with `sbatch --parsable` from `dir`; returns the job id.
pub fn submit(script: &Path, dir: &Path) -> Result<String> {
    let sbatch = need("sbatch")?;
    let out = Command::new(sbatch)
        .arg("--parsable")
        .arg(script)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| SlurmError::Sbatch(e.to_string()))?;
    if !out.status.success() {
        return Err(SlurmError::Sbatch(error_lines(&out.stderr)));
    }
    // `1234` or, on a federation, `1234;cluster`.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let id = stdout.trim().split(';').next().unwrap_or("").to_string();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SlurmError::Sbatch(format!(
            "expected a job id, got {:?}",
            stdout.trim()
        )));
    }
    Ok(id)
}

/// The jobs squeue knows (pending, running, and finished ones for `MinJobAge` seconds).
/// SLURM 22.05's `squeue --json` ignores its filters, so the caller picks its jobs.
pub fn squeue() -> Result<Vec<SqueueJob>> {
    let squeue = need("squeue")?;
    let out = Command::new(squeue)
        .arg("--json")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| SlurmError::Squeue(e.to_string()))?;
    if !out.status.success() {
        return Err(SlurmError::Squeue(error_lines(&out.stderr)));
    }
    SqueueJob::parse_all(&String::from_utf8_lossy(&out.stdout))
}

/// A job record of `squeue --json`: one array task, or the still-pending rest of an array.
/// Read from SLURM 22.05's output (openapi v0.0.38); the forms newer versions use for numbers
/// and states (`{"set": true, "number": 5}`, `["RUNNING"]`) are read too.
#[derive(Debug, Clone, PartialEq)]
pub struct SqueueJob {
    /// The job id (an array task's own numeric id).
    pub job_id: u64,
    /// The array's id.
    pub array_job_id: Option<u64>,
    /// The array task's index; `None` for a record of pending tasks.
    pub array_task_id: Option<usize>,
    /// The pending tasks of such a record (`0-3%2`), expanded.
    pub pending_tasks: Vec<usize>,
    /// The state.
    pub state: TaskState,
    /// Why it is in that state (`Resources`, `JobArrayTaskLimit`, `NonZeroExitCode`, …).
    pub reason: Option<String>,
    /// The exit code of a finished task.
    pub exit_code: Option<i32>,
    /// The signal that ended a finished task.
    pub signal: Option<i32>,
    /// How often it was requeued.
    pub restarts: u32,
}

/// The state of an array task as SLURM reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Waiting for resources or its turn.
    Pending,
    /// Running (or completing).
    Running,
    /// Requeued, to run again.
    Requeued,
    /// Ended with exit code 0.
    Completed,
    /// Ended with a non-zero exit code or a signal.
    Failed,
    /// Cancelled (`scancel`).
    Cancelled,
    /// Reached its time limit.
    Timeout,
    /// Killed for using more memory than allowed.
    OutOfMemory,
    /// Its node failed.
    NodeFail,
    /// Preempted by another job.
    Preempted,
    /// Another state, as SLURM names it.
    Other(String),
}

impl TaskState {
    /// The state of SLURM's name for it.
    pub fn from_slurm(name: &str) -> Self {
        match name {
            "PENDING" => TaskState::Pending,
            "RUNNING" | "COMPLETING" | "CONFIGURING" | "SIGNALING" | "STAGE_OUT" => {
                TaskState::Running
            }
            "REQUEUED" | "REQUEUE_HOLD" | "REQUEUE_FED" => TaskState::Requeued,
            "COMPLETED" => TaskState::Completed,
            "FAILED" | "BOOT_FAIL" => TaskState::Failed,
            "CANCELLED" => TaskState::Cancelled,
            "TIMEOUT" | "DEADLINE" => TaskState::Timeout,
            "OUT_OF_MEMORY" => TaskState::OutOfMemory,
            "NODE_FAIL" => TaskState::NodeFail,
            "PREEMPTED" => TaskState::Preempted,
            other => TaskState::Other(other.to_string()),
        }
    }

    /// Whether the task is still in the queue (pending, running, requeued, suspended …): it
    /// must not be submitted again.
    pub fn is_active(&self) -> bool {
        match self {
            TaskState::Pending | TaskState::Running | TaskState::Requeued => true,
            TaskState::Other(s) => matches!(s.as_str(), "SUSPENDED" | "RESIZING" | "STOPPED"),
            _ => false,
        }
    }

    /// The state in words, as `amorph status` shows it.
    pub fn name(&self) -> &str {
        match self {
            TaskState::Pending => "pending",
            TaskState::Running => "running",
            TaskState::Requeued => "requeued",
            TaskState::Completed => "completed",
            TaskState::Failed => "failed",
            TaskState::Cancelled => "cancelled",
            TaskState::Timeout => "timed out",
            TaskState::OutOfMemory => "out of memory",
            TaskState::NodeFail => "node failed",
            TaskState::Preempted => "preempted",
            TaskState::Other(s) => s,
        }
    }
}

#[derive(Deserialize)]
struct SqueueOutput {
    jobs: Vec<Value>,
    #[serde(default)]
    errors: Vec<Value>,
}

/// A number as 22.05 writes it (`5`, `null`) or as later versions do
/// (`{"set": true, "infinite": false, "number": 5}`).
fn number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::Object(o) => match o.get("set") {
            Some(Value::Bool(false)) => None,
            _ => o.get("number").and_then(number),
        },
        _ => None,
    }
}

/// Expands an array's task string (`0-3,7%2`) to its indices.
fn expand_tasks(spec: &str) -> Vec<usize> {
    let spec = spec.split('%').next().unwrap_or("");
    let mut out = Vec::new();
    for part in spec.split(',').filter(|p| !p.is_empty()) {
        // `0-9:2` steps by 2.
        let (range, step) = match part.split_once(':') {
            Some((r, s)) => (r, s.parse().unwrap_or(1).max(1)),
            None => (part, 1),
        };
        let (a, b) = range.split_once('-').unwrap_or((range, range));
        if let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) {
            out.extend((a..=b).step_by(step));
        }
    }
    out
}

impl SqueueJob {
    /// The job records of `squeue --json` output.
    pub fn parse_all(json: &str) -> Result<Vec<Self>> {
        let out: SqueueOutput = serde_json::from_str(json)
            .map_err(|e| SlurmError::Squeue(format!("not squeue's JSON: {e}")))?;
        if let Some(e) = out.errors.first() {
            let text = e
                .get("error")
                .or_else(|| e.get("description"))
                .and_then(Value::as_str)
                .map_or_else(|| e.to_string(), str::to_string);
            return Err(SlurmError::Squeue(text));
        }
        Ok(out.jobs.iter().filter_map(Self::from_json).collect())
    }

    fn from_json(j: &Value) -> Option<Self> {
        let job_id = number(j.get("job_id")?)? as u64;
        let state = match j.get("job_state")? {
            Value::String(s) => s.clone(),
            Value::Array(a) => a.first()?.as_str()?.to_string(),
            _ => return None,
        };
        let array_job_id = j
            .get("array_job_id")
            .and_then(number)
            .filter(|&a| a > 0)
            .map(|a| a as u64);
        let array_task_id = j.get("array_task_id").and_then(number).map(|t| t as usize);
        let pending_tasks = match (array_task_id, j.get("array_task_string")) {
            (None, Some(Value::String(s))) => expand_tasks(s),
            _ => Vec::new(),
        };
        // 22.05: the wait status (exit code << 8 | signal); later: an object.
        let (exit_code, signal) = match j.get("exit_code") {
            Some(Value::Number(n)) => {
                let w = n.as_i64().unwrap_or(0) as i32;
                (Some(w >> 8), Some(w & 0x7f))
            }
            Some(o @ Value::Object(_)) => (
                o.get("return_code").and_then(number).map(|x| x as i32),
                o.pointer("/signal/id").and_then(number).map(|x| x as i32),
            ),
            _ => (None, None),
        };
        let finished = !TaskState::from_slurm(&state).is_active();
        let reason = j
            .get("state_reason")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty() && *r != "None")
            .map(str::to_string);
        Some(SqueueJob {
            job_id,
            array_job_id,
            array_task_id,
            pending_tasks,
            state: TaskState::from_slurm(&state),
            reason,
            exit_code: exit_code.filter(|_| finished),
            signal: signal.filter(|&s| finished && s != 0),
            restarts: j.get("restart_cnt").and_then(number).unwrap_or(0) as u32,
        })
    }

    /// Whether this record is task `task` of the array `array` (its own record, or the
    /// pending rest of the array that holds it).
    pub fn is_task(&self, array: &str, task: usize) -> bool {
        let Ok(array) = array.parse::<u64>() else {
            return false;
        };
        // A job that is not an array has no array id; its own id stands for it.
        let of_array = self.array_job_id.unwrap_or(self.job_id) == array;
        of_array
            && match self.array_task_id {
                Some(t) => t == task,
                None => self.pending_tasks.contains(&task),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_strings_expand() {
        assert_eq!(expand_tasks("0-2%2"), [0, 1, 2]);
        assert_eq!(expand_tasks("1,4-5"), [1, 4, 5]);
        assert_eq!(expand_tasks("0-6:3"), [0, 3, 6]);
        assert!(expand_tasks("").is_empty());
    }

    #[test]
    fn newer_forms_of_numbers_and_states_read_too() {
        let json = r#"{"jobs": [{"job_id": {"set": true, "number": 12}, "array_job_id": {"set": true, "number": 10},
            "array_task_id": {"set": true, "number": 2}, "job_state": ["TIMEOUT"], "state_reason": "TimeLimit",
            "exit_code": {"status": ["SIGNALED"], "return_code": {"set": true, "number": 0}, "signal": {"id": {"set": true, "number": 15}}},
            "restart_cnt": 1}], "errors": []}"#;
        let jobs = SqueueJob::parse_all(json).unwrap();
        assert_eq!(
            jobs,
            [SqueueJob {
                job_id: 12,
                array_job_id: Some(10),
                array_task_id: Some(2),
                pending_tasks: vec![],
                state: TaskState::Timeout,
                reason: Some("TimeLimit".into()),
                exit_code: Some(0),
                signal: Some(15),
                restarts: 1,
            }]
        );
        assert!(jobs[0].is_task("10", 2) && !jobs[0].is_task("12", 2));
        let e = SqueueJob::parse_all(r#"{"jobs": [], "errors": [{"error": "Invalid job id"}]}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "squeue: Invalid job id");
        assert!(SqueueJob::parse_all("squeue: error: x").is_err());
    }
}
