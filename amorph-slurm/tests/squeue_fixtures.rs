//! squeue's JSON as SLURM 22.05.8 printed it on the test cluster (captured by
//! scripts/fixtures/slurm_squeue.sh): one array of six tasks, at most two at once, while two
//! ran and the rest waited, and at the end (completed, exit 3, cancelled, SIGKILLed, timed out,
//! requeued by exit 99 and then completed). Another array (job 8, three completed tasks) is in
//! both files, as squeue shows every job.

use amorph_morph::Config;
use amorph_slurm::{Plan, SlurmStatus, SqueueJob, Submission, TaskState};

fn fixture(name: &str) -> Vec<SqueueJob> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    SqueueJob::parse_all(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The plan of a six-task run whose one submission was job 11.
fn plan() -> Plan {
    let formulas = ["Li2O", "LiF", "LiCl", "LiBr", "Li2Si2O5", "LiAlO2"];
    let mut plan = Plan::new(formulas.map(String::from).to_vec(), Config::smoke(), 1).unwrap();
    plan.submissions.push(Submission {
        job_id: "11".into(),
        tasks: (0..6).collect(),
        submitted: 0,
        script: "submit-1.sh".into(),
    });
    plan
}

#[test]
fn a_running_array_with_pending_tasks() {
    let jobs = fixture("squeue-active.json");
    assert_eq!(jobs.len(), 6);
    // The pending rest of the array is one record: tasks 2-5 (at most 2 at once).
    let rest = jobs.iter().find(|j| j.array_task_id.is_none()).unwrap();
    assert_eq!(rest.pending_tasks, [2, 3, 4, 5]);
    assert_eq!(rest.state, TaskState::Pending);
    assert_eq!(rest.reason.as_deref(), Some("JobArrayTaskLimit"));
    let dir = tempfile::tempdir().unwrap();
    let status = SlurmStatus::gather(dir.path(), &plan(), Ok(jobs)).unwrap();
    let states: Vec<Option<&str>> = status
        .tasks
        .iter()
        .map(|t| t.state.as_ref().map(TaskState::name))
        .collect();
    assert_eq!(
        states,
        [
            Some("completed"),
            Some("running"),
            Some("pending"),
            Some("pending"),
            Some("pending"),
            Some("pending")
        ]
    );
    assert_eq!(status.tasks[1].job.as_deref(), Some("11_1"));
    // Nothing ran into a shard here: only task 0, no longer queued, is to submit again.
    assert_eq!(status.to_submit(), [0]);
    assert!(status.any_active());
}

#[test]
fn every_way_a_task_ends() {
    let dir = tempfile::tempdir().unwrap();
    let status =
        SlurmStatus::gather(dir.path(), &plan(), Ok(fixture("squeue-finished.json"))).unwrap();
    let t = &status.tasks;
    let view = |i: usize| {
        (
            t[i].state.clone().unwrap(),
            t[i].exit_code,
            t[i].signal,
            t[i].reason.as_deref(),
            t[i].restarts,
        )
    };
    assert_eq!(view(0), (TaskState::Completed, Some(0), None, None, 0));
    assert_eq!(
        view(1),
        (TaskState::Failed, Some(3), None, Some("NonZeroExitCode"), 0)
    );
    assert_eq!(view(2), (TaskState::Cancelled, Some(0), Some(15), None, 0));
    // SIGKILL: FAILED with ExitCode 0:9 (the reason SLURM gives is JobLaunchFailure).
    assert_eq!(
        view(3),
        (
            TaskState::Failed,
            Some(0),
            Some(9),
            Some("JobLaunchFailure"),
            0
        )
    );
    assert_eq!(
        view(4),
        (TaskState::Timeout, Some(0), Some(15), Some("TimeLimit"), 0)
    );
    // Exit 99 on its first run, requeued by RequeueExit=99, then completed.
    assert_eq!(view(5), (TaskState::Completed, Some(0), None, None, 1));
    assert!(!status.any_active());
    assert_eq!(status.to_submit(), [0, 1, 2, 3, 4, 5]);
    let text = status.to_string();
    for line in [
        "job 11_3: failed, exit 0, signal 9 (JobLaunchFailure)",
        "job 11_4: timed out, exit 0, signal 15 (TimeLimit)",
        "job 11_5: completed, requeued 1x",
        "6 tasks neither finished nor queued",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    // A job of another run is not mistaken for this one's.
    let other = SlurmStatus::gather(
        dir.path(),
        &Plan {
            submissions: vec![Submission {
                job_id: "8".into(),
                ..plan().submissions[0].clone()
            }],
            ..plan()
        },
        Ok(fixture("squeue-finished.json")),
    )
    .unwrap();
    assert_eq!(other.tasks[3].state, None);
    assert_eq!(other.tasks[2].state, Some(TaskState::Completed));
}
