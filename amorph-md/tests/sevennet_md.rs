//! `--potential sevennet` in amorph's MD: the name builds SevenNet-0 through libtorch, and NVE
//! on a 108-atom Li2Si2O5 melt conserves energy to what float32 forces allow.
//!
//! Compiled only with the `torch` feature (`scripts/test.sh` runs
//! `cargo test -p amorph-md --features amorph-md/torch` with libtorch from
//! scripts/peers/libtorch.sh).
#![cfg(feature = "torch")]

use amorph_core::{Element, Lattice, Structure};
use amorph_md::dynamics::{Md, MdConfig, maxwell_boltzmann};
use amorph_md::spec::CalculatorSpec;
use nalgebra::Vector3;

/// The 5000 K melt snapshot of amorph-torch's fixtures (made with SevenNet-0 by
/// scripts/fixtures/sevennet_fixtures.py).
fn melt() -> Structure {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../amorph-torch/tests/fixtures/sevennet/li2si2o5_melt_5000k.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rows: [[f64; 3]; 3] = serde_json::from_value(v["cell"].clone()).unwrap();
    let species: Vec<Element> = (v["symbols"].as_array().unwrap().iter())
        .map(|s| s.as_str().unwrap().parse().unwrap())
        .collect();
    let positions: Vec<[f64; 3]> = serde_json::from_value(v["positions"].clone()).unwrap();
    Structure::new(
        Lattice::from_rows(rows).unwrap(),
        species,
        positions.into_iter().map(Vector3::from).collect(),
    )
    .unwrap()
}

/// NVE, 0.5 fs, 40 steps from the 5000 K snapshot with 3000 K velocities (it heats to ~7000 K):
/// the total energy stays within 0.5 meV/atom of its start. Measured (BENCHMARKS.md): drift
/// printed by this test; with 1 fs steps it was 1.7 meV/atom over 40 fs, so the drift is the
/// integrator's at these temperatures, not float32 noise (forces are good to ~1e-6 eV/Å).
#[test]
fn nve_on_a_melt_conserves_energy() {
    amorph_testkit::require("nve_on_a_melt_conserves_energy", &amorph_testkit::LIBTORCH)
        .expect("libtorch");
    let s = melt();
    let n = s.len() as f64;
    let spec: CalculatorSpec = "sevennet".parse().unwrap();
    let calc = spec
        .chooser(amorph_md::potential::Coulomb::None)
        .unwrap()
        .choose(&s.composition().unwrap())
        .unwrap();
    let v = maxwell_boltzmann(&s, 3000.0, 7, true).unwrap();
    let mut md = Md::new(s, calc, MdConfig::new(0.5))
        .unwrap()
        .with_velocities(v)
        .unwrap();
    let e0 = md.conserved_energy();
    let mut worst: f64 = 0.0;
    for _ in 0..40 {
        md.run(1).unwrap();
        worst = worst.max((md.conserved_energy() - e0).abs() / n);
    }
    let drift = (md.conserved_energy() - e0) / n;
    println!(
        "NVE 40 steps of 0.5 fs, at ~{:.0} K: drift {drift:.2e} eV/atom, largest excursion {worst:.2e} eV/atom",
        md.temperature()
    );
    assert!(worst < 5e-4, "energy moved by {worst:.2e} eV/atom");
}

#[test]
fn sevennet_refuses_a_composition_outside_the_model() {
    amorph_testkit::require(
        "sevennet_refuses_a_composition_outside_the_model",
        &amorph_testkit::LIBTORCH,
    )
    .expect("libtorch");
    let spec: CalculatorSpec = "sevennet".parse().unwrap();
    let chooser = spec.chooser(amorph_md::potential::Coulomb::None).unwrap();
    let e = chooser
        .preview(&"LiPo".parse().unwrap())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "potential 'sevennet': the model does not know Po (in Li1 Po1)"
    );
}
