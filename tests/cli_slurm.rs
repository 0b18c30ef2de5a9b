//! `amorph run --executor slurm`, `amorph status DIR` and `amorph merge` against a real
//! one-node SLURM cluster (peer SLURM: munged + slurmctld + slurmd, started by
//! `scripts/peers/slurm.sh start`, which scripts/test.sh runs), and the executor's refusals
//! that need no cluster.
//!
//! The runs use the `smoke` preset with `potential = "uff"`: the default `auto-zbl` has no
//! potential for Li3N and refuses it (the first test shows both executors refuse it alike),
//! while UFF, a smoke-test potential (not physics), covers all three formulas of the issue.

mod common;

use common::tmp;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

const FORMULAS: [&str; 3] = ["Li2O", "LiF", "Li3N"];

/// The smoke preset with the smoke-test potential UFF, which covers Li3N.
const UFF: &str = "potential = \"uff\"\n";

/// The same with production runs long enough (a few seconds each on this machine) to be
/// interrupted in the middle.
const UFF_LONG: &str = "potential = \"uff\"\nproduction_steps = 30000\nframe_interval = 150\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_amorph"))
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Asserts that the command failed with exactly one line on stderr, `error: ...`; returns it.
fn one_line_error(o: &Output) -> String {
    let (out, err) = text(o);
    assert!(!o.status.success(), "expected a failure: {out}{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_string()
}

/// The `run` arguments of the three formulas with a config file, plus `extra`.
fn run_args<'a>(config: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["run"];
    a.extend(FORMULAS);
    a.extend(["--preset", "smoke", "--config", config]);
    a.extend(extra);
    a
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_composition_no_potential_covers_is_refused_alike_by_both_executors() {
    let dir = tmp("refused");
    let local = bin()
        .args([
            "run", "Li2O", "LiF", "Li3N", "--preset", "smoke", "--db", "l.db",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    let slurm = bin()
        .args(["run", "Li2O", "LiF", "Li3N", "--preset", "smoke"])
        .args(["--executor", "slurm", "--results", "res"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let (l, s) = (one_line_error(&local), one_line_error(&slurm));
    assert_eq!(l, s);
    assert!(l.contains("Li3N"), "{l}");
    // Refused before anything was written or submitted.
    assert!(!dir.join("l.db").exists() && !dir.join("res").exists());
}

#[test]
fn dry_run_prints_the_batch_script_and_writes_nothing() {
    let dir = tmp("dry");
    std::fs::write(
        dir.join("uff.toml"),
        format!("{UFF}[slurm]\npartition = \"short\"\nchunk = 2\n"),
    )
    .unwrap();
    let out = bin()
        .args(run_args(
            "uff.toml",
            &["--executor", "slurm", "--results", "res"],
        ))
        .args(["--time", "1:00:00", "--max-concurrent", "4", "--dry-run"])
        .args(["--sbatch-arg=--account=mat"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let (script, err) = text(&out);
    assert!(out.status.success(), "{err}");
    // --chunk 2 from the file: two tasks for three formulas; the flag's partition would win,
    // the file's is used here.
    for line in [
        "#SBATCH --array=0-1%4",
        "#SBATCH --partition=short",
        "#SBATCH --time=1:00:00",
        "#SBATCH --requeue",
        "#SBATCH --signal=B:USR1@300",
        "#SBATCH --account=mat",
    ] {
        assert!(script.lines().any(|l| l == line), "{line} in {script}");
    }
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_amorph")).unwrap();
    assert!(
        script.contains(&format!("exec '{}' slurm-task '", exe.display()))
            || script.contains(&format!(
                "exec '{}' slurm-task '",
                env!("CARGO_BIN_EXE_amorph")
            )),
        "{script}"
    );
    assert!(!dir.join("res").exists());
    // Cluster options without the SLURM executor are a mistake, said in one line.
    let e = one_line_error(
        &bin()
            .args(["run", "Li2O", "--preset", "smoke", "--partition", "x"])
            .current_dir(&dir)
            .output()
            .unwrap(),
    );
    assert!(e.contains("go with --executor slurm"), "{e}");
    // --potential reaches the SLURM executor: Li3N, refused under the default potential, is
    // planned under UFF.
    let out = bin()
        .args(["run", "Li3N", "--preset", "smoke", "--potential", "uff"])
        .args(["--executor", "slurm", "--results", "res", "--dry-run"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(
        text(&out).0.lines().any(|l| l == "#SBATCH --array=0"),
        "{}",
        text(&out).0
    );
    // The plan keeps the potential by name only, so a device other than the CPU is refused.
    let e = one_line_error(
        &bin()
            .args(["run", "Li2O", "--preset", "smoke", "--device", "cuda"])
            .args(["--executor", "slurm", "--results", "res", "--dry-run"])
            .current_dir(&dir)
            .output()
            .unwrap(),
    );
    assert!(e.contains("--device cuda"), "{e}");
    assert!(!dir.join("res").exists());
}

#[test]
fn without_sbatch_on_the_path_the_run_is_refused_and_nothing_is_lost() {
    let dir = tmp("nosbatch");
    std::fs::write(dir.join("uff.toml"), UFF).unwrap();
    let res = dir.join("res");
    std::fs::create_dir_all(&res).unwrap();
    std::fs::write(res.join("notes.txt"), "kept").unwrap();
    let before = snapshot(&dir);
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let out = bin()
        .args(run_args(
            "uff.toml",
            &["--executor", "slurm", "--results", "res"],
        ))
        .env("PATH", &empty)
        .current_dir(&dir)
        .output()
        .unwrap();
    let e = one_line_error(&out);
    assert!(e.starts_with("error: sbatch not found on PATH"), "{e}");
    assert_eq!(snapshot(&dir), before);
}

/// The test cluster, if it is up (else the test skips, or fails when peers are required),
/// held by one test at a time: its node has 2 CPUs, and the interruption test needs to know
/// which of its tasks run first.
struct Cluster {
    conf: Option<PathBuf>,
    _turn: MutexGuard<'static, ()>,
}

static TURN: Mutex<()> = Mutex::new(());

impl Cluster {
    fn get(test: &str) -> Option<Self> {
        amorph_testkit::require(test, &amorph_testkit::SLURM)?;
        Some(Cluster {
            conf: amorph_testkit::slurm_conf(),
            // A test that failed while holding it does not stop the others.
            _turn: TURN.lock().unwrap_or_else(|e| e.into_inner()),
        })
    }

    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        if let Some(conf) = &self.conf {
            c.env("SLURM_CONF", conf);
        }
        c
    }

    fn amorph(&self, args: &[&str], dir: &Path) -> Output {
        self.cmd(env!("CARGO_BIN_EXE_amorph"))
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap()
    }

    /// `amorph ARGS --json`, which must succeed.
    fn json(&self, args: &[&str], dir: &Path) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.amorph(&a, dir);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "amorph {args:?}: {stderr}");
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    }

    fn status(&self, res: &Path) -> Value {
        self.json(&["status", res.to_str().unwrap()], res)
    }

    fn scancel(&self, args: &[&str]) {
        let out = self.cmd("scancel").args(args).output().unwrap();
        assert!(out.status.success(), "scancel {args:?}: {:?}", text(&out));
    }
}

/// Polls `what` every 0.2 s for up to `seconds`.
fn wait_for(seconds: u64, what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(seconds);
    while !f() {
        assert!(
            Instant::now() < end,
            "timed out ({seconds} s) waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `amorph export --csv` of a database, and its rows as JSON text.
fn export(db: &Path, dir: &Path) -> (Vec<u8>, String) {
    let csv = dir.join(format!("{}.csv", db.file_stem().unwrap().to_string_lossy()));
    let out = bin()
        .args(["export", "--csv", "--db"])
        .arg(db)
        .arg("-o")
        .arg(&csv)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    let json = bin()
        .args(["export", "--db"])
        .arg(db)
        .current_dir(dir)
        .output()
        .unwrap();
    let (stdout, _) = text(&json);
    let rows = stdout[stdout.find("\"rows\"").expect("rows")..].to_string();
    (std::fs::read(&csv).unwrap(), rows)
}

/// The local executor's run of the same formulas and settings into `local.db`.
fn local_run(dir: &Path, config: &str) -> PathBuf {
    let out = bin()
        .args(run_args(config, &["--db", "local.db"]))
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "local run: {:?}", text(&out));
    dir.join("local.db")
}

#[test]
fn a_slurm_run_merges_to_the_local_runs_export_bit_for_bit() {
    let Some(cluster) = Cluster::get("a_slurm_run_merges_to_the_local_runs_export_bit_for_bit")
    else {
        return;
    };
    let dir = tmp("bit");
    std::fs::write(dir.join("uff.toml"), UFF).unwrap();
    let res = dir.join("res");
    let submitted = cluster.json(
        &run_args(
            "uff.toml",
            &[
                "--executor",
                "slurm",
                "--results",
                res.to_str().unwrap(),
                "--wait",
            ],
        ),
        &dir,
    );
    assert!(submitted["job_id"].is_string(), "{submitted}");
    assert_eq!(submitted["tasks"], serde_json::json!([0, 1, 2]));
    let status = &submitted["status"];
    for c in status["compositions"].as_array().unwrap() {
        assert_eq!(c["stages_done"], c["stages_total"], "{c}");
    }
    for t in status["tasks"].as_array().unwrap() {
        assert_eq!(t["state"], "completed", "{t}");
        assert!(Path::new(t["log"].as_str().unwrap()).exists(), "{t}");
    }
    // The same `amorph run` again: nothing left to submit.
    let again = cluster.json(
        &run_args(
            "uff.toml",
            &["--executor", "slurm", "--results", res.to_str().unwrap()],
        ),
        &dir,
    );
    assert!(again["job_id"].is_null(), "{again}");
    // merge, twice: the second adds nothing.
    let merged = dir.join("merged.db");
    let m = cluster.json(&["merge", res.to_str().unwrap(), "--db", "merged.db"], &dir);
    assert_eq!(m["shards"].as_array().unwrap().len(), 3);
    let m2 = cluster.json(&["merge", res.to_str().unwrap(), "--db", "merged.db"], &dir);
    let added: u64 = m2["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rows_added"].as_u64().unwrap())
        .sum();
    assert_eq!(added, 0, "{m2}");
    // The local executor, same seed: the exports are equal byte for byte.
    let local = local_run(&dir, "uff.toml");
    let (csv_local, rows_local) = export(&local, &dir);
    let (csv_merged, rows_merged) = export(&merged, &dir);
    assert!(csv_local.len() > 100);
    assert_eq!(
        String::from_utf8_lossy(&csv_merged),
        String::from_utf8_lossy(&csv_local)
    );
    assert_eq!(rows_merged, rows_local);
    // status and report read the merged database as any other.
    let s = cluster.json(&["status", "--db", "merged.db"], &dir);
    assert_eq!(s["compositions"].as_array().unwrap().len(), 3);
    cluster.json(&["report", "--db", "merged.db", "-o", "r.html"], &dir);
    assert!(
        std::fs::read_to_string(dir.join("r.html"))
            .unwrap()
            .contains("Li3N")
    );
}

/// How often each `[formula] stage` line with `what` appears in the task logs.
fn count_log_lines(res: &Path, what: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for e in std::fs::read_dir(res.join("logs")).unwrap().flatten() {
        for line in std::fs::read_to_string(e.path()).unwrap().lines() {
            if let Some(head) = line.strip_suffix_of(what) {
                *counts.entry(head).or_insert(0) += 1;
            }
        }
    }
    counts
}

trait StripOf {
    fn strip_suffix_of(&self, what: &str) -> Option<String>;
}

impl StripOf for str {
    /// `[Li2O] pack` of `[Li2O] pack done in 0.1 s` for `what` = ` done in`.
    fn strip_suffix_of(&self, what: &str) -> Option<String> {
        if !self.starts_with('[') {
            return None;
        }
        self.find(what).map(|i| self[..i].to_string())
    }
}

#[test]
fn cancelled_killed_and_signalled_tasks_resume_without_redoing_a_finished_stage() {
    let Some(cluster) = Cluster::get(
        "cancelled_killed_and_signalled_tasks_resume_without_redoing_a_finished_stage",
    ) else {
        return;
    };
    let dir = tmp("resume");
    std::fs::write(dir.join("long.toml"), UFF_LONG).unwrap();
    let res = dir.join("res");
    let r = res.to_str().unwrap();
    // --signal-lead 1: a task told to stop gives its running stage no grace (half of 1 s),
    // so task 2 abandons its melt production and redoes it when requeued.
    let first = cluster.json(
        &run_args(
            "long.toml",
            &["--executor", "slurm", "--results", r, "--signal-lead", "1"],
        ),
        &dir,
    );
    let job = first["job_id"].as_str().unwrap().to_string();
    // The node has 2 CPUs: tasks 0 and 1 run first. In their melt production, task 0 is
    // cancelled and task 1 SIGKILLed; then task 2, in its melt production, is told to stop
    // (the signal SLURM sends before the time limit).
    let log = |i: usize| {
        std::fs::read_to_string(res.join(format!("logs/task-{i}.log"))).unwrap_or_default()
    };
    let melt = |i: usize| format!("[{}] production@3000K (", FORMULAS[i]);
    wait_for(
        120,
        "the melt productions of tasks 0 and 1 to start",
        || (0..2).all(|i| log(i).contains(&melt(i))),
    );
    cluster.scancel(&[&format!("{job}_0")]);
    let pid: i32 = log(1)
        .lines()
        .find_map(|l| l.split(", pid ").nth(1))
        .expect("task 1's pid in its log")
        .trim()
        .parse()
        .unwrap();
    let kill = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    wait_for(120, "the melt production of task 2 to start", || {
        log(2).contains(&melt(2))
    });
    cluster.scancel(&["--signal=USR1", "--batch", &format!("{job}_2")]);
    // Task 2 abandons its stage, exits 99 and is requeued (RequeueExit=99); it then
    // finishes. Tasks 0 and 1 end cancelled and failed.
    wait_for(120, "the job to leave the queue", || {
        let s = cluster.status(&res);
        let t = s["tasks"].as_array().unwrap();
        let ended = |i: usize| {
            !matches!(
                t[i]["state"].as_str(),
                Some("pending" | "running" | "requeued") | None
            )
        };
        ended(0) && ended(1) && t[2]["state"] == "completed"
    });
    let s = cluster.status(&res);
    let tasks = s["tasks"].as_array().unwrap();
    assert_eq!(tasks[0]["state"], "cancelled", "{s}");
    assert_eq!(
        (tasks[1]["state"].as_str(), tasks[1]["signal"].as_i64()),
        (Some("failed"), Some(9)),
        "{s}"
    );
    assert_eq!(
        (tasks[2]["state"].as_str(), tasks[2]["restarts"].as_u64()),
        (Some("completed"), Some(1)),
        "{s}"
    );
    assert!(
        log(2).contains("SIGUSR1: the running stage outlasted the grace period, abandoned"),
        "{}",
        log(2)
    );
    // Task 1 was killed in the middle of its melt production: the shard says so.
    let c1 = &s["compositions"][1];
    assert_eq!(
        c1["running"],
        serde_json::json!(["production@3000K"]),
        "{s}"
    );
    // The same `amorph run`: only the cancelled and the killed task go again.
    let second = cluster.json(
        &run_args(
            "long.toml",
            &["--executor", "slurm", "--results", r, "--wait"],
        ),
        &dir,
    );
    assert_eq!(second["tasks"], serde_json::json!([0, 1]), "{second}");
    // No finished stage ran twice: every stage is done exactly once over all attempts, and
    // the stage killed in its middle was started twice.
    let done = count_log_lines(&res, " done in ");
    let stages = second["status"]["compositions"][0]["stages_total"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(done.len(), 3 * stages, "{done:?}");
    assert!(done.values().all(|&n| n == 1), "{done:?}");
    let started = count_log_lines(&res, " (");
    assert_eq!(started["[LiF] production@3000K"], 2, "{started:?}");
    assert_eq!(started["[Li3N] production@3000K"], 2, "{started:?}");
    // The numbers equal an uninterrupted run's.
    cluster.json(&["merge", r, "--db", "merged.db"], &dir);
    let local = local_run(&dir, "long.toml");
    assert_eq!(export(&dir.join("merged.db"), &dir), export(&local, &dir));
}

#[test]
fn an_unknown_partition_and_an_unwritable_results_directory_are_one_line_errors() {
    let Some(cluster) = Cluster::get(
        "an_unknown_partition_and_an_unwritable_results_directory_are_one_line_errors",
    ) else {
        return;
    };
    let dir = tmp("refusals");
    std::fs::write(dir.join("uff.toml"), UFF).unwrap();
    let e = one_line_error(&cluster.amorph(
        &run_args(
            "uff.toml",
            &[
                "--executor",
                "slurm",
                "--results",
                "res",
                "--partition",
                "nope",
            ],
        ),
        &dir,
    ));
    assert!(
        e.starts_with("error: sbatch refused the job: ") && e.contains("partition"),
        "{e}"
    );
    // Nothing was submitted: the plan records no job.
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("res/plan.json")).unwrap()).unwrap();
    assert_eq!(plan["submissions"], serde_json::json!([]));
    // A results directory that cannot be created (below a file).
    std::fs::write(dir.join("file"), "x").unwrap();
    let before = snapshot(&dir);
    let e = one_line_error(&cluster.amorph(
        &run_args(
            "uff.toml",
            &["--executor", "slurm", "--results", "file/res"],
        ),
        &dir,
    ));
    assert!(
        e.contains("file/res") && e.contains("cannot create the results directory"),
        "{e}"
    );
    assert_eq!(snapshot(&dir), before);
}
