//! Zero-pressure relaxed crystals (FIRE with the cell, Ewald to 1e-10) of every family the
//! automatic choice covers, against experimental room-temperature lattice constants
//! (CRC Handbook of Chemistry and Physics, "Crystal structures and lattice parameters of
//! inorganic compounds"; NaCl 5.6401 Å from Walker et al. 2004 via COD 9003308).
//!
//! Tolerance: 3 % (the potentials are fitted to room-temperature crystals or to their
//! structures; a static 0 K relaxation leaves out the 0.5–1.5 % thermal expansion).
//!
//! One known miss, asserted at its measured value so that a change shows: Pedone's Na2O is
//! 3.8 % too small. The Na–O row is Pedone's own (the same numbers in pyiron_glass's table and
//! in published LAMMPS inputs), fitted with the other rows to silicate glasses and binary
//! oxides as a compromise; the error is the potential's, not a transcription's.

use amorph_core::{Element, Lattice, Structure};
use amorph_md::dynamics::Fire;
use amorph_md::potential::{Coulomb, PedoneOptions, TosiFumiOptions, pedone, tf_salt, tosi_fumi};
use nalgebra::Vector3;

fn el(s: &str) -> Element {
    s.parse().unwrap()
}

/// A conventional cubic cell: the fcc sites of `fcc` and, at each of `offsets` from them,
/// the sites of the other species.
fn cubic(a: f64, fcc: &str, others: &[(&str, [f64; 3])]) -> Structure {
    let base = [
        [0.0, 0.0, 0.0],
        [0.0, 0.5, 0.5],
        [0.5, 0.0, 0.5],
        [0.5, 0.5, 0.0],
    ];
    let mut sp = Vec::new();
    let mut pos = Vec::new();
    for b in base {
        sp.push(el(fcc));
        pos.push(Vector3::from(b) * a);
        for (s, off) in others {
            sp.push(el(s));
            pos.push((Vector3::from(b) + Vector3::from(*off)) * a);
        }
    }
    Structure::new(Lattice::cubic(a).unwrap(), sp, pos).unwrap()
}

fn rock_salt(a: f64, cation: &str, anion: &str) -> Structure {
    cubic(a, cation, &[(anion, [0.5, 0.0, 0.0])])
}

fn antifluorite(a: f64, cation: &str, anion: &str) -> Structure {
    cubic(
        a,
        anion,
        &[(cation, [0.25, 0.25, 0.25]), (cation, [0.75, 0.75, 0.75])],
    )
}

/// Relaxes `s` (started 4 % expanded) to zero pressure; returns the cubic lattice constant.
fn relaxed_a(mut s: Structure, calc: &mut dyn amorph_core::Calculator) -> f64 {
    let n_cells = s.volume();
    s.scale_to_volume(1.04f64.powi(3) * n_cells).unwrap();
    let fire = Fire {
        max_steps: 5000,
        ..Fire::new(1e-4).relax_cell(0.0)
    };
    let report = fire.minimize(&mut s, calc).unwrap();
    assert!(report.converged, "{report:?}");
    let m = s.lattice().matrix();
    // Still cubic: equal lengths, right angles.
    let lengths: Vec<f64> = (0..3).map(|i| m.row(i).norm()).collect();
    assert!(
        lengths.iter().all(|l| (l - lengths[0]).abs() < 1e-4),
        "{lengths:?}"
    );
    lengths[0]
}

#[test]
fn relaxed_crystals_match_experiment() {
    let ewald = Coulomb::ewald(1e-10).unwrap();
    let mut rows = Vec::new();
    // Tosi–Fumi: every salt of its table (experimental a, Å).
    for (cation, anion, a_exp) in [
        ("Li", "F", 4.0263),
        ("Li", "Cl", 5.1295),
        ("Li", "Br", 5.5013),
        ("Li", "I", 6.000),
        ("Na", "F", 4.634),
        ("Na", "Cl", 5.6401),
        ("Na", "Br", 5.9772),
        ("Na", "I", 6.4728),
        ("K", "F", 5.347),
        ("K", "Cl", 6.2929),
        ("K", "Br", 6.5966),
        ("K", "I", 7.0655),
    ] {
        let salt = tf_salt(el(cation), el(anion)).unwrap();
        let mut ff = tosi_fumi(
            salt,
            &TosiFumiOptions {
                coulomb: ewald,
                ..Default::default()
            },
        )
        .unwrap();
        let a = relaxed_a(rock_salt(a_exp, cation, anion), &mut ff);
        rows.push((format!("{cation}{anion}"), "tosi-fumi", a, a_exp));
    }
    // Pedone: rock-salt and antifluorite oxides.
    let mut ped = pedone(&PedoneOptions {
        coulomb: ewald,
        ..Default::default()
    })
    .unwrap();
    for (name, s, a_exp) in [
        ("Li2O", antifluorite(4.611, "Li", "O"), 4.611),
        ("Na2O", antifluorite(5.55, "Na", "O"), 5.55),
        ("MgO", rock_salt(4.212, "Mg", "O"), 4.212),
        ("CaO", rock_salt(4.811, "Ca", "O"), 4.811),
    ] {
        let a = relaxed_a(s, &mut ped);
        rows.push((name.to_string(), "pedone", a, a_exp));
    }
    // (crystal, measured relative error) of the documented miss.
    let known_misses = [("Na2O", -0.0383)];
    let mut misses = Vec::new();
    eprintln!("| crystal | potential | a relaxed (Å) | a exp (Å) | error |");
    eprintln!("| --- | --- | --- | --- | --- |");
    for (name, pot, a, a_exp) in &rows {
        let err = a / a_exp - 1.0;
        eprintln!(
            "| {name} | {pot} | {a:.4} | {a_exp} | {:+.2} % |",
            100.0 * err
        );
        match known_misses.iter().find(|m| m.0 == name) {
            Some((_, e)) if (err - e).abs() > 0.002 => misses.push(format!(
                "{name}: the documented miss changed: {:+.2} %",
                100.0 * err
            )),
            Some(_) => {}
            None if err.abs() > 0.03 => {
                misses.push(format!("{name}: {a:.4} vs {a_exp} ({:+.2} %)", 100.0 * err))
            }
            None => {}
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
