//! `--potential sevennet` from the command line: `amorph energy` equals the Python
//! `SevenNetCalculator` (sevenn 0.13.0) on amorph-mlip's Li₃PS₄ fixture cell, `amorph md` runs
//! on it, and a device libtorch cannot reach is refused in one line.
//!
//! Compiled only with the `torch` feature (libtorch 2.13: `source scripts/peers/libtorch.sh`;
//! `scripts/test.sh` runs `cargo test -p amorph --features torch --test cli_sevennet`).
#![cfg(feature = "torch")]

use amorph_core::{Element, Lattice, Structure};
use nalgebra::Vector3;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn amorph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amorph"))
        .args(args)
        .output()
        .unwrap()
}

/// The fixture's numbers, and its cell written as extxyz under a fresh directory.
fn li3ps4(test: &str) -> (Value, PathBuf) {
    amorph_testkit::require(test, &amorph_testkit::LIBTORCH).expect("libtorch");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("amorph-mlip/tests/fixtures/sevennet/li3ps4_sulfide.json");
    let f: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let rows = |v: &Value| -> Vec<[f64; 3]> { serde_json::from_value(v.clone()).unwrap() };
    let cell = rows(&f["cell"]);
    let species: Vec<Element> = f["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().parse().unwrap())
        .collect();
    let positions = rows(&f["positions"])
        .into_iter()
        .map(Vector3::from)
        .collect();
    let s = Structure::new(
        Lattice::from_rows([cell[0], cell[1], cell[2]]).unwrap(),
        species,
        positions,
    )
    .unwrap();
    let dir =
        std::env::temp_dir().join(format!("amorph-cli_sevennet-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("li3ps4.extxyz");
    amorph_core::io::write_structure(&file, &s).unwrap();
    (f, file)
}

#[test]
fn energy_equals_the_python_calculator() {
    let (want, file) = li3ps4("energy_equals_the_python_calculator");
    let out = amorph(&[
        "energy",
        file.to_str().unwrap(),
        "--potential",
        "sevennet",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let de = (got["energy"].as_f64().unwrap() - want["energy"].as_f64().unwrap()).abs();
    assert!(de < 1e-4, "energy off by {de:e} eV");
    let max_diff = |key: &str| -> f64 {
        let flat = |v: &Value| -> Vec<f64> {
            let mut out = Vec::new();
            for x in v.as_array().unwrap() {
                match x.as_array() {
                    Some(row) => out.extend(row.iter().map(|y| y.as_f64().unwrap())),
                    None => out.push(x.as_f64().unwrap()),
                }
            }
            out
        };
        let (a, b) = (flat(&got[key]), flat(&want[key]));
        assert_eq!(a.len(), b.len(), "{key}");
        a.iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    };
    assert!(
        max_diff("forces") < 1e-5,
        "forces off by {:e}",
        max_diff("forces")
    );
    assert!(
        max_diff("stress") < 1e-6,
        "stress off by {:e}",
        max_diff("stress")
    );
}

#[test]
fn md_runs_and_a_device_without_cuda_is_refused() {
    let (_, file) = li3ps4("md_runs_and_a_device_without_cuda_is_refused");
    let traj = file.with_file_name("md.extxyz");
    let (input, output) = (file.to_str().unwrap(), traj.to_str().unwrap());
    let out = amorph(&[
        "md",
        input,
        "-o",
        output,
        "--potential",
        "sevennet",
        "--temperature",
        "300",
        "--steps",
        "4",
        "--timestep",
        "0.5",
        "--thermostat",
        "nve",
        "--every",
        "2",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let frames = amorph_core::io::read_frames(&traj).unwrap();
    assert_eq!(frames.len(), 3, "frames of steps 0, 2 and 4");
    // The CPU-only libtorch of the tests has no CUDA: one line naming the device.
    let out = amorph(&[
        "energy",
        input,
        "--potential",
        "sevennet",
        "--device",
        "cuda",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains("cuda"), "{err}");
}
