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

/// The 5000 K melt snapshot of amorph-mlip's fixtures (made with SevenNet-0 by
/// scripts/fixtures/sevennet_fixtures.py).
fn melt() -> Structure {
    fixture("li2si2o5_melt_5000k")
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

fn fixture(name: &str) -> Structure {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../amorph-mlip/tests/fixtures/sevennet/{name}.json"
    ));
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

/// Runs `steps` NVE steps of each cell, each on its own thread with a calculator from
/// `chooser`; the final positions and potential energies.
fn run_cells(
    chooser: &amorph_md::SevennetChooser,
    cells: &[Structure],
    steps: u64,
) -> Vec<(Vec<Vector3<f64>>, f64)> {
    use amorph_md::potential::PotentialChooser;
    let calcs: Vec<_> = (cells.iter())
        .map(|s| chooser.choose(&s.composition().unwrap()).unwrap())
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (cells.iter().zip(calcs))
            .map(|(s, calc)| {
                scope.spawn(move || {
                    let v = maxwell_boltzmann(s, 1000.0, 3, true).unwrap();
                    let mut md = Md::new(s.clone(), calc, MdConfig::new(1.0))
                        .unwrap()
                        .with_velocities(v)
                        .unwrap();
                    md.run(steps).unwrap();
                    (md.structure().positions().to_vec(), md.potential_energy())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// Two compositions' MD in lockstep (one forward call per step for both, as `amorph run A B
/// --potential sevennet` does) follows the same trajectories as each run alone.
#[test]
fn md_runs_in_lockstep_equal_runs_alone() {
    amorph_testkit::require(
        "md_runs_in_lockstep_equal_runs_alone",
        &amorph_testkit::LIBTORCH,
    )
    .expect("libtorch");
    let cells = [fixture("li2o_oxide"), fixture("lii_halide")];
    let spec: amorph_md::SevennetSpec = match "sevennet".parse::<CalculatorSpec>().unwrap() {
        CalculatorSpec::Sevennet(s) => s,
        _ => unreachable!(),
    };
    let together = spec.chooser().unwrap();
    let batched = run_cells(&together, &cells, 3);
    // Md::new's initial forces, then one call per step; both runs in every call.
    assert_eq!(together.batch_sizes(), vec![2; 4]);
    for (k, cell) in cells.iter().enumerate() {
        let alone_chooser = spec.chooser().unwrap();
        let alone = run_cells(&alone_chooser, std::slice::from_ref(cell), 3).remove(0);
        assert_eq!(alone_chooser.batch_sizes(), vec![1; 4]);
        let dr = (alone.0.iter().zip(&batched[k].0))
            .map(|(a, b)| (a - b).norm())
            .fold(0.0, f64::max);
        assert!(dr < 1e-6, "cell {k}: positions differ by {dr:.2e} Å");
        assert!((alone.1 - batched[k].1).abs() < 1e-4, "cell {k}: energies");
    }
}
