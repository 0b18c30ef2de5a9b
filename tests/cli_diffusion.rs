//! `amorph diffusion | arrhenius | rdf | rdf-compare` end to end on the real shared data.
//! Reference: the pymatgen fixture of amorph-diffusion (pymatgen 2026.10.24 +
//! pymatgen-analysis-diffusion, `scripts/fixtures/pymatgen_diffusion.py`).

use std::process::Command;

const XDATCAR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz"
);
const TABLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/paper_ml/feature_target.dat"
);

fn amorph(args: &[&str]) -> (bool, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_amorph"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (out.status.success(), json, stderr)
}

#[test]
fn diffusion_json_matches_pymatgen() {
    let fx: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/amorph-diffusion/tests/fixtures/pymatgen_li6ps5cl.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let (ok, j, err) = amorph(&[
        "diffusion",
        XDATCAR,
        "--species",
        "Li",
        "--temperature",
        "500",
        "--time-step",
        "2",
        "--step-skip",
        "50",
        "--json",
    ]);
    assert!(ok, "{err}");
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
    let d = j["diffusivity_cm2_s"].as_f64().unwrap();
    assert!(
        rel(d, fx["max"]["diffusivity"].as_f64().unwrap()) < 1e-6,
        "{d}"
    );
    assert!(
        rel(
            j["conductivity_mS_cm"].as_f64().unwrap(),
            fx["max"]["conductivity"].as_f64().unwrap()
        ) < 1e-6
    );
    assert!(
        rel(
            j["haven_ratio"].as_f64().unwrap(),
            fx["max"]["haven_ratio"].as_f64().unwrap()
        ) < 1e-6
    );
    assert!(j["charge_diffusivity_cm2_s"].as_f64().unwrap() > 0.0);
    assert!(j["diffusivity_std_cm2_s"].as_f64().is_some());
    let g = j["gls"]["diffusivity_cm2_s"].as_f64().unwrap();
    let s = j["gls"]["std_cm2_s"].as_f64().unwrap();
    assert!(rel(g, d) < 0.2 && s > 0.0 && s < g, "{g} ± {s}");
}

#[test]
fn diffusion_bad_input_is_one_line_error() {
    let (ok, _, err) = amorph(&[
        "diffusion",
        XDATCAR,
        "--species",
        "Na",
        "--temperature",
        "500",
        "--json",
    ]);
    assert!(!ok);
    assert!(
        err.contains("Na") && err.trim().lines().count() == 1,
        "{err}"
    );
    let (ok, _, err) = amorph(&[
        "diffusion",
        XDATCAR,
        "--temperature",
        "0",
        "--step-skip",
        "50",
    ]);
    assert!(!ok && err.contains("temperature"), "{err}");
}

#[test]
fn arrhenius_on_paper_table() {
    let (ok, j, err) = amorph(&["arrhenius", TABLE, "--group", "Li3N", "--json"]);
    assert!(ok, "{err}");
    let ea = j["ea_ev"].as_f64().unwrap();
    assert!((ea - 0.318458).abs() < 1e-5, "{ea}");
    assert!(j["d_extrapolated_cm2_s"].as_f64().unwrap() > 0.0);
    let (ok, j, _) = amorph(&["arrhenius", TABLE, "--json"]);
    assert!(ok);
    assert_eq!(j["fits"].as_array().unwrap().len(), 207);
}

#[test]
fn rdf_and_compare() {
    let (ok, j, err) = amorph(&[
        "rdf", XDATCAR, "--every", "35", "--rmax", "8", "--nbins", "80", "--pairs", "P-S,Li-S",
        "--json",
    ]);
    assert!(ok, "{err}");
    let pairs = j["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    // PS4 tetrahedra: the P–S first peak near 2.05 Å, four S around each P.
    let ps = &pairs[0];
    let peak = ps["first_peak_a"].as_f64().unwrap();
    assert!((peak - 2.05).abs() < 0.15, "{peak}");
    let cn = ps["coordination"].as_f64().unwrap();
    assert!((cn - 4.0).abs() < 0.2, "{cn}");
    let (ok, j, err) = amorph(&["rdf-compare", XDATCAR, XDATCAR, "--every", "70", "--json"]);
    assert!(ok, "{err}");
    assert!((j["r2"].as_f64().unwrap() - 1.0).abs() < 1e-12);
}
