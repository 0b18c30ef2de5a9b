//! `amorph run --calculator ipi:...`: the workflow command with its forces from an i-PI client
//! (`scripts/ipi_client.py`: ASE 3.29's SocketClient around ASE's LennardJones).
//! The numerical equality of the i-PI path with the in-process potential is shown in
//! `amorph-morph/tests/ipi_workflow.rs`; here the command line: it prints the atoms the client
//! must hold, waits for it, runs every stage, and refuses what cannot work.

#[path = "../amorph-md/tests/ipi_common/mod.rs"]
mod ipi_common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TINY: &str = r#"
target_atoms = 20
melt_temperature = 3000.0
temperatures = [1500.0]
scan_factors = [0.9, 1.1]
equilibration_steps = 50
max_rescales = 1
pressure_tolerance_kbar = 1e6
energy_drift_tolerance = 1.0
production_steps = 200
frame_interval = 2
"#;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("amorph-cli-ipi-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn amorph(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_amorph"));
    c.current_dir(dir);
    c
}

#[test]
fn run_with_an_ipi_client_does_every_stage() {
    let Some(python) = ipi_common::python_with_ase("run_with_an_ipi_client") else {
        return;
    };
    let dir = tmp("run");
    std::fs::write(dir.join("tiny.toml"), TINY).unwrap();
    let pack = amorph(&dir)
        .args(["pack", "Li2O", "--atoms", "20", "-o", "start.extxyz"])
        .output()
        .unwrap();
    assert!(
        pack.status.success(),
        "{}",
        String::from_utf8_lossy(&pack.stderr)
    );
    let name = ipi_common::unique_name("cli-run");
    let spec = format!("ipi:unix:{name}");
    let server = amorph(&dir)
        .args(["run", "Li2O", "--preset", "demo", "--config", "tiny.toml"])
        .args(["--calculator", &spec, "--db", "ipi.db", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/ipi_client.py");
    let client = Command::new(&python)
        .arg(script)
        .args([
            "--unix",
            &name,
            "--structure",
            "start.extxyz",
            "--calc",
            "lj",
        ])
        .args(["--sigma", "1.8", "--epsilon", "0.02", "--rc", "6"])
        .current_dir(&dir)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let out = server.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "amorph run failed: {stderr}");
    // The hint names the atoms in the packed order: 14 Li then 7 O.
    assert!(stderr.contains("14 Li, 7 O in this order"), "{stderr}");
    let client_err = String::from_utf8_lossy(&client.stderr);
    assert!(client.status.success(), "client failed: {client_err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["compositions"][0]["status"], "done", "{v}");
    // Every force of every stage came over the socket: the client did hundreds of them.
    let calls: u64 = client_err
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("client summary: {client_err}"));
    assert!(calls > 500, "{client_err}");
    let export = amorph(&dir)
        .args(["export", "--db", "ipi.db", "--json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let rows = rows["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r["diffusivity_cm2_s"].as_f64().unwrap() > 0.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn one_error_line(args: &[&str], needle: &str) {
    let dir = tmp("errors");
    let out = amorph(&dir).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains(needle), "{stderr}");
}

#[test]
fn run_refuses_several_formulas_and_bad_specs() {
    one_error_line(
        &["run", "Li2O", "LiF", "--calculator", "ipi:unix:never-bound"],
        "give exactly one formula (got 2)",
    );
    one_error_line(
        &["run", "Li2O", "--calculator", "chgnet"],
        "--calculator chgnet: expected ipi:unix:NAME or ipi:tcp:PORT",
    );
    one_error_line(
        &["run", "Li2O", "--calculator", "ipi:tcp:notaport"],
        "ipi:tcp:notaport",
    );
}
