//! Helpers shared by the command-line integration tests: running the built `amorph` binary,
//! a fresh scratch directory per test, and the product contract (one JSON object with
//! `--json`; one `error:` line naming the bad input).
#![allow(dead_code)] // each test file uses a subset

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The paper's feature table, read in place (`../shared/data`, never copied).
pub const PAPER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/paper_ml/feature_target.dat"
);

/// The Li6PS5Cl 500 K AIMD XDATCAR (2 fs × 50 steps per frame), read in place.
pub const XDATCAR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz"
);

/// Runs `amorph ARGS` in `dir`.
pub fn amorph(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amorph"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run amorph")
}

/// An empty directory unique to this test binary, process and `name`.
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "amorph-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs with `--json`, asserts success and one JSON object on one stdout line, returns it.
pub fn json_ok(args: &[&str], dir: &Path) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let out = amorph(&a, dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "amorph {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "amorph {args:?}: more than one line on stdout: {stdout}"
    );
    let v: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("amorph {args:?}: not JSON ({e}): {stdout}"));
    assert!(v.is_object(), "amorph {args:?}: JSON is not an object");
    v
}

/// Asserts failure with exactly one non-empty stderr line, `error: ...`, containing `needle`.
pub fn fails_naming(args: &[&str], dir: &Path, needle: &str) {
    let out = amorph(args, dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "amorph {args:?} succeeded on bad input"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "amorph {args:?}: expected one error line, got {stderr}"
    );
    assert!(lines[0].starts_with("error:"), "amorph {args:?}: {stderr}");
    assert!(
        lines[0].contains(needle),
        "amorph {args:?}: error does not name {needle}: {stderr}"
    );
}
