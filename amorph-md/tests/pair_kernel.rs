//! The vectorised pair kernel against the reference loop: energy, per-atom energies, forces
//! and stress equal to the stated contract (1e-12 relative) for every kind of pair term and
//! every real-space Coulomb form, on the run-time instruction set (`Auto`) and on the
//! portable path; and the same overlap error.

use amorph_core::{Calculation, Calculator, Element, Lattice, Request, Structure};
use amorph_md::MdError;
use amorph_md::potential::{
    Coulomb, ForceField, PairKernel, PairPotential, PairTerm, PedoneOptions, pedone, uff_zbl,
};
use nalgebra::Vector3;
use proptest::prelude::*;

fn el(s: &str) -> Element {
    s.parse().unwrap()
}

/// A random triclinic cell of Li, Si and O, every pair at least 1.2 Å apart (or `None`).
fn random_cell(a: f64, tilt: [f64; 3], atoms: &[([f64; 3], u8)]) -> Option<Structure> {
    let lattice = Lattice::from_rows([
        [a, 0.0, 0.0],
        [tilt[0], a * 1.05, 0.0],
        [tilt[1], tilt[2], a * 0.95],
    ])
    .ok()?;
    let species: Vec<Element> = atoms
        .iter()
        .map(|(_, k)| el(["Li", "Si", "O", "O"][*k as usize % 4]))
        .collect();
    let pos = atoms
        .iter()
        .map(|(f, _)| lattice.to_cartesian(&Vector3::new(f[0], f[1], f[2])))
        .collect();
    let s = Structure::new(lattice, species, pos).ok()?;
    amorph_core::NeighborList::build(&s, 1.2)
        .ok()?
        .is_empty()
        .then_some(s)
}

fn cells() -> impl Strategy<Value = Option<Structure>> {
    (
        7.0f64..9.5,
        prop::array::uniform3(-1.0f64..1.0),
        prop::collection::vec((prop::array::uniform3(0.0f64..1.0), 0u8..4), 6..16),
    )
        .prop_map(|(a, tilt, atoms)| random_cell(a, tilt, &atoms))
}

/// A force field whose species pairs use every kind of term: Morse + C/r¹² (Pedone's form),
/// Buckingham, Born–Mayer–Huggins, Lennard-Jones, C/r⁷ and a second exponential (no vector
/// form: the pair-by-pair path), and ZBL.
fn mixed(coulomb: Coulomb) -> ForceField {
    let (li, si, o) = (el("Li"), el("Si"), el("O"));
    let pair = PairPotential::new("mixed")
        .with_pair(
            o,
            o,
            5.5,
            vec![
                PairTerm::Morse {
                    d0: 0.042395,
                    alpha: 1.379316,
                    r0: 3.618701,
                },
                PairTerm::InversePower { c: 22.0, n: 12 },
            ],
        )
        .unwrap()
        .with_pair(
            si,
            o,
            5.0,
            vec![
                PairTerm::Buckingham {
                    a: 18003.7572,
                    rho: 0.205205,
                    c: 133.5381,
                },
                PairTerm::Zbl {
                    z1: 14.0,
                    z2: 8.0,
                    inner: 1.0,
                    outer: 1.6,
                },
            ],
        )
        .unwrap()
        .with_pair(
            li,
            o,
            4.5,
            vec![PairTerm::BornMayerHuggins {
                a: 0.29,
                rho: 0.3,
                sigma: 2.3,
                c: 2.0,
                d: 1.5,
            }],
        )
        .unwrap()
        .with_pair(
            li,
            si,
            4.0,
            vec![
                PairTerm::LennardJones {
                    epsilon: 0.01,
                    sigma: 2.2,
                },
                PairTerm::InversePower { c: 3.0, n: 7 },
            ],
        )
        .unwrap()
        .with_pair(
            si,
            si,
            4.0,
            vec![
                PairTerm::Morse {
                    d0: 0.1,
                    alpha: 2.0,
                    r0: 3.0,
                },
                PairTerm::Buckingham {
                    a: 500.0,
                    rho: 0.3,
                    c: 0.0,
                },
            ],
        )
        .unwrap()
        .with_pair(li, li, 4.0, vec![])
        .unwrap()
        .with_shift(true);
    ForceField::new("mixed")
        .with_pair_potential(pair)
        .with_charge(li, 0.6)
        .with_charge(si, 2.4)
        .with_charge(o, -1.2)
        .with_coulomb(coulomb)
        .unwrap()
}

fn force_fields() -> Vec<(String, ForceField)> {
    let mut out = Vec::new();
    for (name, coulomb) in [
        ("dsf", Coulomb::dsf(0.25, 7.0).unwrap()),
        ("dsf alpha 0", Coulomb::dsf(0.0, 6.0).unwrap()),
        ("ewald", Coulomb::ewald(1e-8).unwrap()),
        ("none", Coulomb::None),
    ] {
        out.push((format!("mixed + {name}"), mixed(coulomb)));
    }
    out.push((
        "mixed + dsf, LAMMPS erfc".into(),
        mixed(Coulomb::dsf(0.3, 6.5).unwrap()).with_lammps_erfc(true),
    ));
    out.push((
        "pedone-zbl + dsf".into(),
        pedone(&PedoneOptions {
            coulomb: Coulomb::dsf(0.25, 8.0).unwrap(),
            zbl: Some((0.7, 1.4)),
            ..Default::default()
        })
        .unwrap(),
    ));
    out.push((
        "uff-zbl".into(),
        uff_zbl(&[el("Li"), el("Si"), el("O")]).unwrap(),
    ));
    out
}

fn calc(ff: &ForceField, kernel: PairKernel, s: &Structure) -> Calculation {
    let mut ff = ff.clone().with_kernel(kernel);
    ff.calculate(s, Request::STRESS.with_energies(true))
        .unwrap()
}

/// `a` equals `b` to `rel` relative to the largest magnitude in `b` (the contract's scale).
fn close(what: &str, a: &[f64], b: &[f64], rel: f64) {
    let scale = b.iter().fold(1e-300_f64, |m, x| m.max(x.abs()));
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= rel * scale,
            "{what}[{k}]: {x} vs reference {y} (scale {scale})"
        );
    }
}

fn flat(c: &Calculation) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    (
        vec![c.energy],
        c.forces.iter().flat_map(|f| [f.x, f.y, f.z]).collect(),
        c.stress.unwrap().to_vec(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn vectorised_kernel_equals_the_reference_loop(s in cells()) {
        prop_assume!(s.is_some());
        let s = s.unwrap();
        for (name, ff) in force_fields() {
            let reference = calc(&ff, PairKernel::Reference, &s);
            let (e0, f0, w0) = flat(&reference);
            for kernel in [PairKernel::Auto, PairKernel::Portable] {
                let c = calc(&ff, kernel, &s);
                let (e, f, w) = flat(&c);
                let what = format!("{name}, {kernel:?}");
                close(&format!("{what} energy"), &e, &e0, 1e-12);
                close(&format!("{what} forces"), &f, &f0, 1e-12);
                close(&format!("{what} stress"), &w, &w0, 1e-12);
                close(
                    &format!("{what} per-atom energies"),
                    c.energies.as_deref().unwrap(),
                    reference.energies.as_deref().unwrap(),
                    1e-12,
                );
            }
        }
    }
}

#[test]
fn both_kernels_report_the_same_overlap() {
    let lattice = Lattice::cubic(8.0).unwrap();
    let pos = vec![
        Vector3::new(1.0, 1.0, 1.0),
        Vector3::new(4.0, 4.0, 4.0),
        Vector3::new(4.3, 4.0, 4.0),
        Vector3::new(6.0, 1.0, 6.0),
    ];
    let species = vec![el("Si"), el("O"), el("O"), el("Li")];
    let s = Structure::new(lattice, species, pos).unwrap();
    for kernel in [
        PairKernel::Auto,
        PairKernel::Portable,
        PairKernel::Reference,
    ] {
        let mut ff = mixed(Coulomb::dsf(0.25, 7.0).unwrap()).with_kernel(kernel);
        let err = ff.compute(&s, Request::FORCES).unwrap_err();
        match err {
            MdError::Overlap { i, j, distance, .. } => {
                assert_eq!((i, j), (1, 2), "{kernel:?}");
                assert!((distance - 0.3).abs() < 1e-12, "{kernel:?}: {distance}");
            }
            other => panic!("{kernel:?}: {other}"),
        }
    }
}

#[test]
fn instruction_set_is_named() {
    assert_eq!(PairKernel::Reference.instruction_set(), "reference");
    assert_eq!(PairKernel::Portable.instruction_set(), "portable");
    let auto = PairKernel::Auto.instruction_set();
    assert!(["avx2+fma", "neon", "portable"].contains(&auto), "{auto}");
    assert_eq!(ForceField::new("x").kernel(), PairKernel::Auto);
}
