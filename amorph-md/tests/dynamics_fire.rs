//! FIRE relaxes positions (and the cell) of a Lennard-Jones argon crystal.

mod dynamics_common;

use amorph_core::{Calculator, Request};
use amorph_md::dynamics::Fire;
use dynamics_common::{Lj, argon_fcc};
use nalgebra::Vector3;

#[test]
fn fire_relaxes_rattled_positions_back_to_the_lattice_energy() {
    let perfect = argon_fcc(2, 5.30);
    let e_perfect = Lj::argon()
        .calculate(&perfect, Request::FORCES)
        .unwrap()
        .energy;
    let mut s = perfect.clone();
    for (i, p) in s.positions_mut().iter_mut().enumerate() {
        let k = i as f64;
        *p += Vector3::new((k * 1.7).sin(), (k * 2.3).cos(), (k * 0.7).sin()) * 0.15;
    }
    let mut lj = Lj::argon();
    let e_rattled = lj.calculate(&s, Request::FORCES).unwrap().energy;
    let report = Fire::new(1e-4).minimize(&mut s, &mut lj).unwrap();
    assert!(report.converged, "{report:?}");
    assert!(report.fmax < 1e-4);
    assert!(e_rattled > e_perfect + 0.01);
    assert!(
        (report.energy - e_perfect).abs() < 1e-6,
        "{} vs {e_perfect}",
        report.energy
    );
}

#[test]
fn fire_with_cell_reaches_zero_stress_at_the_energy_minimum() {
    // Start stretched (a = 5.6 Å); the relaxed cell has zero stress and the lowest energy of a
    // scan of cubic lattice constants.
    let mut s = argon_fcc(2, 5.6);
    let mut lj = Lj::argon();
    let report = Fire::new(1e-4)
        .relax_cell(0.0)
        .minimize(&mut s, &mut lj)
        .unwrap();
    assert!(report.converged, "{report:?}");
    let c = lj.calculate(&s, Request::STRESS).unwrap();
    let stress = c.stress.unwrap();
    assert!(stress.iter().all(|x| x.abs() < 1e-6), "{stress:?}");
    let a = s.lattice().lengths()[0] / 2.0;
    let scan = (0..41)
        .map(|i| 5.1 + 0.01 * i as f64)
        .map(|a| {
            Lj::argon()
                .calculate(&argon_fcc(2, a), Request::FORCES)
                .unwrap()
                .energy
        })
        .fold(f64::MAX, f64::min);
    assert!(
        report.energy <= scan + 1e-6,
        "{} vs scan {scan}",
        report.energy
    );
    assert!((5.1..5.5).contains(&a), "{a}");
}

#[test]
fn fire_rejects_bad_parameters() {
    let mut s = argon_fcc(1, 5.3);
    let err = Fire::new(-1.0)
        .minimize(&mut s, &mut Lj::argon())
        .unwrap_err();
    assert!(err.to_string().contains("fire fmax"), "{err}");
}
