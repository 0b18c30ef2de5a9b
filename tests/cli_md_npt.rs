//! `amorph md --pressure BAR`: an NPT run from the command line, its JSON (mean volume and
//! density over the last half), a resume, and one-line errors naming bad barostat input.

mod common;

use common::{fails_naming, json_ok, tmp};

/// A packed 60-atom Li2O cell in `dir`.
fn cell(dir: &std::path::Path) {
    json_ok(
        &[
            "pack",
            "Li2O",
            "-o",
            "cell.extxyz",
            "--atoms",
            "60",
            "--seed",
            "1",
        ],
        dir,
    );
}

const RUN: [&str; 12] = [
    "md",
    "cell.extxyz",
    "-o",
    "traj.extxyz",
    "--potential",
    "pedone",
    "--temperature",
    "2000",
    "--steps",
    "100",
    "--timestep",
    "1",
];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = RUN.to_vec();
    a.extend_from_slice(extra);
    a
}

#[test]
fn md_with_pressure_runs_npt_and_reports_last_half_means() {
    let d = tmp("npt");
    cell(&d);
    let v = json_ok(
        &args(&[
            "--thermostat",
            "csvr",
            "--pressure",
            "0",
            "--barostat-tau",
            "500",
            "--barostat-every",
            "2",
            "--checkpoint",
            "ck.json",
        ]),
        &d,
    );
    assert_eq!(v["barostat"], "c-rescale");
    assert_eq!(v["pressure_target_bar"], 0.0);
    assert_eq!(v["pressure_coupling"], "full");
    assert_eq!(v["mean_over_steps"], 50);
    let (mean_v, mean_rho) = (
        v["mean_volume_A3"].as_f64().unwrap(),
        v["mean_density_g_cm3"].as_f64().unwrap(),
    );
    assert!(v["mean_pressure_bar"].as_f64().unwrap().is_finite());
    // The cell moved, and density and volume describe the same mass.
    let vol = v["volume"].as_f64().unwrap();
    let rho = v["density_g_cm3"].as_f64().unwrap();
    assert!((rho * vol - mean_rho * mean_v).abs() < 0.05 * rho * vol);
    let frames = amorph_core::io::read_frames(&d.join("traj.extxyz")).unwrap();
    assert_ne!(
        frames[0].structure.volume(),
        frames.last().unwrap().structure.volume()
    );

    // Resumed: the checkpoint's barostat continues; a different --pressure is refused.
    let r = json_ok(&args(&["--resume", "ck.json", "--pressure", "0"]), &d);
    assert_eq!(r["step"], 200);
    assert_eq!(r["barostat"], "c-rescale");
    fails_naming(
        &args(&["--resume", "ck.json", "--pressure", "10"]),
        &d,
        "--pressure 10",
    );

    // Virial-only coupling, and NVE particles with the barostat's noise at --temperature.
    let w = json_ok(
        &args(&[
            "--thermostat",
            "nve",
            "--pressure",
            "1000",
            "--pressure-coupling",
            "virial",
        ]),
        &d,
    );
    assert_eq!(w["pressure_coupling"], "virial");
    assert_eq!(w["thermostat"], "nve");

    // Without --pressure: constant volume, no barostat, the mean is the volume.
    let n = json_ok(&args(&["--thermostat", "csvr"]), &d);
    assert!(n["barostat"].is_null());
    let (mv, v0) = (
        n["mean_volume_A3"].as_f64().unwrap(),
        n["volume"].as_f64().unwrap(),
    );
    assert!((mv / v0 - 1.0).abs() < 1e-12, "{mv} vs {v0}");
}

#[test]
fn bad_barostat_input_is_named_on_one_line() {
    let d = tmp("npt-errors");
    cell(&d);
    for (extra, needle) in [
        (&["--pressure", "nan"][..], "--pressure"),
        (
            &["--pressure", "0", "--barostat-tau", "-5"][..],
            "--barostat-tau",
        ),
        (
            &["--pressure", "0", "--barostat-tau", "0"][..],
            "--barostat-tau",
        ),
        (
            &["--pressure", "0", "--compressibility", "0"][..],
            "--compressibility",
        ),
        (
            &["--pressure", "0", "--compressibility", "-1e-5"][..],
            "--compressibility",
        ),
        (
            &["--pressure", "0", "--barostat-every", "0"][..],
            "--barostat-every",
        ),
    ] {
        fails_naming(&args(extra), &d, needle);
    }
    // A checkpoint of a constant-volume run cannot be resumed at constant pressure.
    json_ok(&args(&["--checkpoint", "nvt.json"]), &d);
    fails_naming(
        &args(&["--resume", "nvt.json", "--pressure", "0"]),
        &d,
        "constant-volume",
    );
}
