//! `amorph run --calculator ipi:...`: the workflow command with its forces from an i-PI client
//! (`scripts/ipi_client.py`: ASE 3.29's SocketClient around ASE's LennardJones).
//! The numerical equality of the i-PI path with the in-process potential is shown in
//! `amorph-morph/tests/ipi_workflow.rs`; here the command line: it prints the atoms the client
//! must hold, waits for it, runs every stage, and refuses what cannot work.

mod common;
#[path = "../amorph-md/tests/ipi_common/mod.rs"]
mod ipi_common;

use common::{fails_naming, json_ok, tmp};
use std::process::{Command, Stdio};

#[test]
fn run_with_an_ipi_client_does_every_stage() {
    let Some(python) = ipi_common::python_with_ase("run_with_an_ipi_client_does_every_stage")
    else {
        return;
    };
    let dir = tmp("run");
    json_ok(
        &["pack", "Li2O", "--atoms", "20", "-o", "start.extxyz"],
        &dir,
    );
    let name = ipi_common::unique_name("cli-run");
    let spec = format!("ipi:unix:{name}");
    let server = Command::new(env!("CARGO_BIN_EXE_amorph"))
        .current_dir(&dir)
        .args(["run", "Li2O", "--preset", "smoke"])
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
    let rows = json_ok(&["export", "--db", "ipi.db"], &dir);
    let rows = rows["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r["diffusivity_cm2_s"].as_f64().unwrap() > 0.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_refuses_several_formulas_and_bad_specs() {
    let dir = tmp("errors");
    fails_naming(
        &["run", "Li2O", "LiF", "--calculator", "ipi:unix:never-bound"],
        &dir,
        "give exactly one formula (got 2)",
    );
    fails_naming(
        &["run", "Li2O", "--calculator", "chgnet"],
        &dir,
        "--calculator chgnet: expected ipi:unix:NAME or ipi:tcp:PORT",
    );
    fails_naming(
        &["run", "Li2O", "--calculator", "ipi:tcp:notaport"],
        &dir,
        "ipi:tcp:notaport",
    );
}
