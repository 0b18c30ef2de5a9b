//! SevenNet-0 through libtorch against the Python `SevenNetCalculator` (sevenn 0.13.0): energy,
//! forces and stress on five cells (fixtures by `scripts/fixtures/sevennet_fixtures.py`), a
//! batch of mixed cells against each cell alone, forces against finite differences, and the
//! refusal of a species the model does not know.
//!
//! Compiled only with the `torch` feature (libtorch 2.13: `source scripts/peers/libtorch.sh`;
//! `scripts/test.sh` runs `cargo test -p amorph-mlip --features torch`).
#![cfg(feature = "torch")]

use amorph_core::{Calculator, Element, Lattice, Request, Structure};
use amorph_mlip::{SevenNet, SevenNetOptions};
use nalgebra::Vector3;
use serde::Deserialize;
use std::path::Path;

/// Tolerances of the issue: energy (eV), forces (eV/Å), stress (eV/Å³).
const E_TOL: f64 = 1e-4;
const F_TOL: f64 = 1e-5;
const S_TOL: f64 = 1e-6;

const FIXTURES: [&str; 5] = [
    "li2o_oxide",
    "li3ps4_sulfide",
    "lii_halide",
    "li3n_nitride",
    "li2si2o5_melt_5000k",
];

#[derive(Deserialize)]
struct Fixture {
    cell: [[f64; 3]; 3],
    symbols: Vec<String>,
    positions: Vec<[f64; 3]>,
    energy: f64,
    forces: Vec<[f64; 3]>,
    stress: [f64; 6],
}

impl Fixture {
    fn read(name: &str) -> Fixture {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sevennet")
            .join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        serde_json::from_str(&text).unwrap()
    }

    fn structure(&self) -> Structure {
        let species: Vec<Element> = self.symbols.iter().map(|s| s.parse().unwrap()).collect();
        let positions = self.positions.iter().map(|p| Vector3::from(*p)).collect();
        Structure::new(Lattice::from_rows(self.cell).unwrap(), species, positions).unwrap()
    }
}

fn model(test: &str) -> SevenNet {
    // Built with the feature, libtorch is linked: the peer is here (recorded as run).
    amorph_testkit::require(test, &amorph_testkit::LIBTORCH).expect("libtorch");
    SevenNet::sevennet_0(&SevenNetOptions::default()).unwrap()
}

fn assert_matches(name: &str, c: &amorph_core::Calculation, f: &Fixture) {
    let de = (c.energy - f.energy).abs();
    assert!(
        de < E_TOL,
        "{name}: energy {} vs {} ({de:.2e} eV)",
        c.energy,
        f.energy
    );
    let df = (c.forces.iter().zip(&f.forces))
        .flat_map(|(a, b)| (0..3).map(move |k| (a[k] - b[k]).abs()))
        .fold(0.0, f64::max);
    assert!(df < F_TOL, "{name}: forces differ by up to {df:.2e} eV/Å");
    let s = c.stress.expect("stress");
    let ds = (0..6)
        .map(|k| (s[k] - f.stress[k]).abs())
        .fold(0.0, f64::max);
    assert!(
        ds < S_TOL,
        "{name}: stress {s:?} vs {:?} ({ds:.2e} eV/Å³)",
        f.stress
    );
    println!("{name}: |ΔE| {de:.1e} eV, max|ΔF| {df:.1e} eV/Å, max|Δσ| {ds:.1e} eV/Å³");
}

#[test]
fn equals_the_python_calculator_on_five_cells() {
    let mut m = model("equals_the_python_calculator_on_five_cells");
    for name in FIXTURES {
        let f = Fixture::read(name);
        let c = m
            .calculate_checked(&f.structure(), Request::STRESS)
            .unwrap();
        assert_matches(name, &c, &f);
    }
}

#[test]
fn a_batch_of_mixed_cells_equals_each_cell_alone() {
    let mut m = model("a_batch_of_mixed_cells_equals_each_cell_alone");
    let fixtures: Vec<Fixture> = FIXTURES.iter().map(|n| Fixture::read(n)).collect();
    let cells: Vec<Structure> = fixtures.iter().map(Fixture::structure).collect();
    let refs: Vec<&Structure> = cells.iter().collect();
    let request = Request::STRESS.with_energies(true);
    let batch = m.calculate_batch(&refs, request).unwrap();
    assert_eq!(batch.len(), cells.len());
    for ((name, c), f) in FIXTURES.iter().zip(&batch).zip(&fixtures) {
        assert_matches(&format!("{name} in the batch"), c, f);
        let alone = m
            .calculate(
                &cells[FIXTURES.iter().position(|n| n == name).unwrap()],
                request,
            )
            .unwrap();
        assert!((c.energy - alone.energy).abs() < E_TOL);
        let e_sum: f64 = c.energies.as_ref().unwrap().iter().sum();
        assert!((e_sum - c.energy).abs() < 1e-9);
    }
}

/// Forces against central differences of the energy. The model computes in float32: each
/// atomic energy (~ −5 eV) carries a rounding error of ~3e-7 eV, their sum over ~100 atoms
/// ~5e-6 eV, so with a step of 5e-3 Å the difference quotient is good to ~1e-3 eV/Å; the
/// tolerance is 5e-3 eV/Å on forces of several eV/Å (the 5000 K melt; measured: 1.8e-3).
#[test]
fn forces_are_minus_the_gradient_of_the_energy() {
    let mut m = model("forces_are_minus_the_gradient_of_the_energy");
    let s = Fixture::read("li2si2o5_melt_5000k").structure();
    let c = m.calculate(&s, Request::FORCES).unwrap();
    let h = 5e-3;
    let mut worst: f64 = 0.0;
    for i in [0, 50, 100] {
        for k in 0..3 {
            let mut p = s.clone();
            p.positions_mut()[i][k] += h;
            let mut q = s.clone();
            q.positions_mut()[i][k] -= h;
            let ep = m.calculate(&p, Request::FORCES).unwrap().energy;
            let eq = m.calculate(&q, Request::FORCES).unwrap().energy;
            let fd = -(ep - eq) / (2.0 * h);
            worst = worst.max((fd - c.forces[i][k]).abs());
            assert!(
                (fd - c.forces[i][k]).abs() < 5e-3,
                "atom {i} axis {k}: force {} vs finite difference {fd}",
                c.forces[i][k]
            );
        }
    }
    println!("finite differences: max |F − F_fd| = {worst:.2e} eV/Å (h = {h} Å)");
}

#[test]
fn refuses_a_species_outside_the_model() {
    let mut m = model("refuses_a_species_outside_the_model");
    let s = Structure::new(
        Lattice::cubic(6.0).unwrap(),
        vec!["Li".parse().unwrap(), "Po".parse().unwrap()],
        vec![Vector3::zeros(), Vector3::new(3.0, 3.0, 3.0)],
    )
    .unwrap();
    let e = m.calculate(&s, Request::FORCES).unwrap_err().to_string();
    assert!(
        e.contains("cell 0 holds Po, which the model does not know"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn a_cuda_device_without_a_gpu_is_refused_in_one_line() {
    amorph_testkit::require(
        "a_cuda_device_without_a_gpu_is_refused_in_one_line",
        &amorph_testkit::LIBTORCH,
    )
    .expect("libtorch");
    if tch::Cuda::device_count() > 0 {
        return; // a GPU is here: nothing to refuse (the GPU benchmark exercises it)
    }
    let options = SevenNetOptions {
        device: "cuda".parse().unwrap(),
        threads: Some(1),
    };
    let e = SevenNet::sevennet_0(&options).unwrap_err().to_string();
    assert!(e.starts_with("device cuda:0: "), "{e}");
    assert_eq!(e.lines().count(), 1);
}

/// Three runs on three threads, each with its own `Calculator` from one `Lockstep` group: one
/// forward call serves the three cells, and each gets its own cell's result.
#[test]
fn lockstep_members_share_one_forward_call() {
    let m = model("lockstep_members_share_one_forward_call");
    let group = amorph_mlip::Lockstep::new(Box::new(m));
    let names = ["li2o_oxide", "lii_halide", "li3n_nitride"];
    let members: Vec<_> = names.iter().map(|_| group.member()).collect();
    std::thread::scope(|s| {
        for (name, mut member) in names.iter().zip(members) {
            s.spawn(move || {
                let f = Fixture::read(name);
                let c = member.calculate(&f.structure(), Request::STRESS).unwrap();
                assert_matches(&format!("{name} in lockstep"), &c, &f);
            });
        }
    });
    assert_eq!(group.batch_sizes(), vec![3]);
}
