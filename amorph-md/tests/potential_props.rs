//! Invariants of the built-in potentials: forces are −∇E and the stress is the strain
//! derivative of E (finite differences on random triclinic cells), Ewald is independent of
//! its split, the parallel pass equals the serial one, and bad input gives typed errors.

use amorph_core::{Calculator, Element, Lattice, Request, Structure};
use amorph_md::MdError;
use amorph_md::potential::{
    Coulomb, EwaldOptions, ForceField, PairPotential, PairTerm, PedoneOptions, pedone, uff_zbl,
};
use nalgebra::{Matrix3, Vector3};
use proptest::prelude::*;

fn el(s: &str) -> Element {
    s.parse().unwrap()
}

/// A random cell of Li, Si and O with every pair at least 1.6 Å apart (or `None`).
fn random_cell(rows: [[f64; 3]; 3], fracs: &[[f64; 3]], kinds: &[u8]) -> Option<Structure> {
    let lattice = Lattice::from_rows(rows).ok()?;
    let species: Vec<Element> = kinds
        .iter()
        .map(|k| el(["Li", "Si", "O", "O"][*k as usize % 4]))
        .collect();
    let pos: Vec<Vector3<f64>> = fracs
        .iter()
        .map(|f| lattice.to_cartesian(&Vector3::new(f[0], f[1], f[2])))
        .collect();
    let s = Structure::new(lattice, species, pos).ok()?;
    let nl = amorph_core::NeighborList::build(&s, 1.6).ok()?;
    (nl.is_empty()).then_some(s)
}

fn energy(calc: &mut dyn Calculator, s: &Structure) -> f64 {
    calc.calculate(s, Request::FORCES).unwrap().energy
}

/// Central-difference check of forces and stress.
fn check_derivatives(calc: &mut dyn Calculator, s: &Structure, tol: f64) {
    let c = calc.calculate(s, Request::STRESS).unwrap();
    let h = 1e-5;
    for i in 0..s.len() {
        for k in 0..3 {
            let mut p = s.clone();
            p.positions_mut()[i][k] += h;
            let ep = energy(calc, &p);
            p.positions_mut()[i][k] -= 2.0 * h;
            let em = energy(calc, &p);
            let num = -(ep - em) / (2.0 * h);
            let f = c.forces[i][k];
            assert!(
                (num - f).abs() <= tol * (1.0 + f.abs()),
                "{}: force on atom {i}[{k}] {f} vs −dE/dx {num}",
                calc.name()
            );
        }
    }
    let v = s.volume();
    let sigma = c.stress.unwrap();
    for (voigt, (a, b)) in [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]
        .into_iter()
        .enumerate()
    {
        let strained = |eps: f64| {
            let mut e = Matrix3::zeros();
            e[(a, b)] += eps / if a == b { 1.0 } else { 2.0 };
            e[(b, a)] += if a == b { 0.0 } else { eps / 2.0 };
            let def = Matrix3::identity() + e;
            let rows = s.lattice().matrix() * def.transpose();
            let lat = Lattice::new(rows).unwrap();
            let pos = s.positions().iter().map(|r| def * r).collect();
            Structure::new(lat, s.species().to_vec(), pos).unwrap()
        };
        let num = (energy(calc, &strained(h)) - energy(calc, &strained(-h))) / (2.0 * h) / v;
        assert!(
            (num - sigma[voigt]).abs() <= tol * (1e-3 + sigma[voigt].abs()),
            "{}: stress[{voigt}] {} vs dE/dε/V {num}",
            calc.name(),
            sigma[voigt]
        );
    }
}

fn cell_strategy() -> impl Strategy<Value = Option<Structure>> {
    (
        6.5f64..8.5,
        prop::array::uniform3(-1.2f64..1.2),
        prop::collection::vec((prop::array::uniform3(0.0f64..1.0), 0u8..4), 4..9),
    )
        .prop_map(|(a, tilt, atoms)| {
            let rows = [
                [a, 0.0, 0.0],
                [tilt[0], a * 1.05, 0.0],
                [tilt[1], tilt[2], a * 0.95],
            ];
            let fracs: Vec<[f64; 3]> = atoms.iter().map(|x| x.0).collect();
            let kinds: Vec<u8> = atoms.iter().map(|x| x.1).collect();
            random_cell(rows, &fracs, &kinds)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn pedone_dsf_forces_and_stress_are_derivatives(s in cell_strategy()) {
        prop_assume!(s.is_some());
        let s = s.unwrap();
        let mut ff = pedone(&PedoneOptions { coulomb: Coulomb::dsf(0.3, 7.0).unwrap(), ..Default::default() }).unwrap();
        check_derivatives(&mut ff, &s, 2e-5);
    }

    #[test]
    fn pedone_ewald_forces_and_stress_are_derivatives(s in cell_strategy()) {
        prop_assume!(s.is_some());
        let s = s.unwrap();
        let mut ff = pedone(&PedoneOptions {
            coulomb: Coulomb::Ewald(EwaldOptions { accuracy: 1e-12, alpha: Some(0.5), real_cutoff: None }),
            ..Default::default()
        }).unwrap();
        check_derivatives(&mut ff, &s, 2e-5);
    }

    #[test]
    fn fallback_forces_and_stress_are_derivatives(s in cell_strategy()) {
        prop_assume!(s.is_some());
        let s = s.unwrap();
        let mut ff = uff_zbl(&[el("Li"), el("Si"), el("O")]).unwrap();
        // UFF is energy-shifted, not force-shifted: its force jumps at the 10 Å cutoff, so a
        // central difference whose ±1e-5 strain moves a pair across the cutoff carries an error
        // of order F(rc)·h·rc (seen: 9.5e-8 eV/Å³ on a 3.5e-3 stress). Tolerance 5e-5.
        check_derivatives(&mut ff, &s, 5e-5);
    }
}

fn fixture_li2si2o5() -> Structure {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lammps/li2si2o5_108.json"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let st = &v["structure"];
    let row = |i: usize| {
        let r = st["lattice"][i].as_array().unwrap();
        [0, 1, 2].map(|k| r[k].as_f64().unwrap())
    };
    let lattice = Lattice::from_rows([row(0), row(1), row(2)]).unwrap();
    let species = st["species"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| el(x.as_str().unwrap()))
        .collect();
    let pos = st["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            Vector3::new(
                p[0].as_f64().unwrap(),
                p[1].as_f64().unwrap(),
                p[2].as_f64().unwrap(),
            )
        })
        .collect();
    Structure::new(lattice, species, pos).unwrap()
}

#[test]
fn ewald_does_not_depend_on_its_split() {
    let s = fixture_li2si2o5();
    let mut results = Vec::new();
    for alpha in [0.25, 0.35, 0.5] {
        let mut ff = pedone(&PedoneOptions {
            coulomb: Coulomb::Ewald(EwaldOptions {
                accuracy: 1e-12,
                alpha: Some(alpha),
                real_cutoff: None,
            }),
            ..Default::default()
        })
        .unwrap();
        results.push(ff.calculate(&s, Request::STRESS).unwrap());
    }
    for r in &results[1..] {
        assert!((r.energy - results[0].energy).abs() < 1e-8 * results[0].energy.abs());
        for (a, b) in r.forces.iter().zip(&results[0].forces) {
            assert!((a - b).norm() < 1e-7, "{a} vs {b}");
        }
        for (a, b) in r.stress.unwrap().iter().zip(results[0].stress.unwrap()) {
            assert!((a - b).abs() < 1e-9);
        }
    }
}

#[test]
fn parallel_pass_equals_serial_and_energies_sum() {
    let s = fixture_li2si2o5().supercell([2, 2, 2]).unwrap();
    let opts = PedoneOptions {
        coulomb: Coulomb::dsf(0.25, 10.0).unwrap(),
        ..Default::default()
    };
    let req = Request::STRESS.with_energies(true);
    let a = pedone(&opts)
        .unwrap()
        .with_parallel(false)
        .calculate(&s, req)
        .unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    // The same force field twice: the second pass reuses the chunk buffers of the first
    // (atoms moved past the skin: a rebuilt list and new chunk bounds, so that stale
    // values would show).
    let mut moved = s.clone();
    for (k, p) in moved.positions_mut().iter_mut().enumerate() {
        p.x += 0.2 * ((k % 7) as f64 - 3.0);
    }
    let a2 = pedone(&opts)
        .unwrap()
        .with_parallel(false)
        .calculate(&moved, req)
        .unwrap();
    let (b, b2) = pool.install(|| {
        let mut ff = pedone(&opts).unwrap();
        let b = ff.calculate(&s, req).unwrap();
        (b, ff.calculate(&moved, req).unwrap())
    });
    for (a, b) in [(&a, &b), (&a2, &b2)] {
        assert!((a.energy - b.energy).abs() < 1e-9 * a.energy.abs());
        for (x, y) in a.forces.iter().zip(&b.forces) {
            assert!((x - y).norm() < 1e-9);
        }
        for (x, y) in a
            .energies
            .as_ref()
            .unwrap()
            .iter()
            .zip(b.energies.as_ref().unwrap())
        {
            assert!((x - y).abs() < 1e-9);
        }
        let sum: f64 = b.energies.as_ref().unwrap().iter().sum();
        assert!((sum - b.energy).abs() < 1e-9 * b.energy.abs());
    }
    // A second call reuses the Verlet list and gives the same answer.
    let mut ff = pedone(&opts).unwrap();
    let c1 = ff.calculate(&s, Request::FORCES).unwrap();
    let c2 = ff.calculate(&s, Request::FORCES).unwrap();
    assert_eq!(c1.energy, c2.energy);
    assert_eq!(ff.list_builds(), 1);
}

/// The reciprocal Ewald sum split over threads (k-vectors in chunks) equals the serial sum.
#[test]
fn parallel_ewald_equals_serial() {
    let s = fixture_li2si2o5().supercell([2, 2, 2]).unwrap();
    let opts = PedoneOptions {
        coulomb: Coulomb::Ewald(EwaldOptions {
            accuracy: 1e-6,
            ..Default::default()
        }),
        ..Default::default()
    };
    let req = Request::STRESS.with_energies(true);
    let mut serial = pedone(&opts).unwrap().with_parallel(false);
    let a = serial.calculate(&s, req).unwrap();
    // Enough terms for the parallel path (PARALLEL_MIN_KSPACE is 200 000).
    assert!(s.len() * serial.n_kvectors() > 200_000);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let b = pool.install(|| pedone(&opts).unwrap().calculate(&s, req).unwrap());
    assert!((a.energy - b.energy).abs() < 1e-10 * a.energy.abs());
    for (x, y) in a.forces.iter().zip(&b.forces) {
        assert!((x - y).norm() < 1e-9, "{x} vs {y}");
    }
    let (sa, sb) = (a.stress.unwrap(), b.stress.unwrap());
    for k in 0..6 {
        assert!((sa[k] - sb[k]).abs() < 1e-10, "{sa:?} vs {sb:?}");
    }
    for (x, y) in a.energies.unwrap().iter().zip(b.energies.as_ref().unwrap()) {
        assert!((x - y).abs() < 1e-9);
    }
}

#[test]
fn per_atom_energies_sum_to_total_with_ewald() {
    let s = fixture_li2si2o5();
    let mut ff = pedone(&PedoneOptions::default()).unwrap();
    let c = ff
        .calculate(&s, Request::FORCES.with_energies(true))
        .unwrap();
    let sum: f64 = c.energies.unwrap().iter().sum();
    assert!(
        (sum - c.energy).abs() < 1e-9 * c.energy.abs(),
        "{sum} vs {}",
        c.energy
    );
}

fn md_error(e: &amorph_core::Error) -> &MdError {
    match e {
        amorph_core::Error::Calculator { source, .. } => source.downcast_ref::<MdError>().unwrap(),
        other => panic!("not a calculator error: {other}"),
    }
}

#[test]
fn bad_input_gives_typed_errors() {
    let lat = Lattice::cubic(8.0).unwrap();
    // Species pair without parameters: B is not in Pedone's table.
    let s = Structure::new(
        lat.clone(),
        vec![el("B"), el("O")],
        vec![Vector3::zeros(), Vector3::new(2.0, 0.0, 0.0)],
    )
    .unwrap();
    let mut ff = pedone(&PedoneOptions::default()).unwrap();
    let err = ff.calculate(&s, Request::FORCES).unwrap_err();
    assert!(
        matches!(md_error(&err), MdError::MissingPair { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("species pair B–"), "{err}");

    // Overlapping atoms.
    let s = Structure::new(
        lat.clone(),
        vec![el("Si"), el("O")],
        vec![Vector3::zeros(), Vector3::new(0.2, 0.0, 0.0)],
    )
    .unwrap();
    let err = ff.calculate(&s, Request::FORCES).unwrap_err();
    let MdError::Overlap { i, j, distance, .. } = md_error(&err) else {
        panic!("{err}")
    };
    assert_eq!((*i, *j), (0, 1));
    assert!((distance - 0.2).abs() < 1e-12);

    // Non-positive cutoffs and parameters.
    assert!(matches!(
        Coulomb::dsf(0.2, 0.0),
        Err(MdError::InvalidParameter { .. })
    ));
    assert!(matches!(
        Coulomb::dsf(0.2, -1.0),
        Err(MdError::InvalidParameter { .. })
    ));
    assert!(matches!(
        Coulomb::ewald(0.0),
        Err(MdError::InvalidParameter { .. })
    ));
    assert!(matches!(
        pedone(&PedoneOptions {
            cutoff: 0.0,
            ..Default::default()
        }),
        Err(MdError::InvalidParameter { .. })
    ));
    assert!(matches!(
        PairPotential::new("x").with_pair(
            el("O"),
            el("O"),
            f64::NAN,
            vec![PairTerm::InversePower { c: 1.0, n: 12 }]
        ),
        Err(MdError::InvalidParameter { .. })
    ));
    assert!(ForceField::new("x").with_skin(-1.0).is_err());
    assert!(ForceField::new("x").with_min_distance(0.0).is_err());

    // A charge missing for a species.
    let s = Structure::new(
        lat.clone(),
        vec![el("Na"), el("Cl")],
        vec![Vector3::zeros(), Vector3::new(2.8, 0.0, 0.0)],
    )
    .unwrap();
    let mut ff = ForceField::new("c")
        .with_charge(el("Na"), 1.0)
        .with_coulomb(Coulomb::dsf(0.2, 9.0).unwrap())
        .unwrap();
    let err = ff.calculate(&s, Request::FORCES).unwrap_err();
    assert!(
        matches!(md_error(&err), MdError::MissingSpecies { .. }),
        "{err}"
    );

    // Ewald needs a fully periodic cell.
    let s = Structure::with_pbc(
        lat,
        vec![el("Na"), el("Cl")],
        vec![Vector3::zeros(), Vector3::new(2.8, 0.0, 0.0)],
        [true, true, false],
    )
    .unwrap();
    let mut ff = ForceField::new("c")
        .with_charge(el("Na"), 1.0)
        .with_charge(el("Cl"), -1.0)
        .with_coulomb(Coulomb::ewald(1e-8).unwrap())
        .unwrap();
    let err = ff.calculate(&s, Request::FORCES).unwrap_err();
    assert!(
        matches!(md_error(&err), MdError::Unsupported { .. }),
        "{err}"
    );
}

#[test]
fn chooser_picks_a_physical_potential_or_refuses_and_can_be_overridden() {
    use amorph_md::potential::{DefaultChooser, PotentialChooser, PotentialSpec};
    let dsf = Coulomb::dsf(0.2, 10.0).unwrap();
    let chooser = DefaultChooser {
        spec: PotentialSpec::AUTO_ZBL,
        coulomb: dsf,
    };
    let amounts = |f: &[(&str, f64)]| {
        amorph_core::Composition::from_amounts(f.iter().map(|(s, n)| (el(s), *n))).unwrap()
    };
    let li2si2o5 = amounts(&[("Li", 2.0), ("Si", 2.0), ("O", 5.0)]);
    assert_eq!(chooser.choose(&li2si2o5).unwrap().name(), "pedone");
    assert_eq!(
        chooser
            .choose(&amounts(&[("Li", 1.0), ("F", 1.0)]))
            .unwrap()
            .name(),
        "tosi-fumi"
    );
    // Nothing covers Li3PS4: refused, never handed to the UFF fallback.
    let err = chooser
        .choose(&amounts(&[("Li", 3.0), ("P", 1.0), ("S", 4.0)]))
        .err()
        .expect("Li3PS4 is not covered");
    assert!(matches!(err, MdError::NotCovered { .. }), "{err}");
    let p = chooser.preview(&li2si2o5).unwrap();
    assert!(p.physical && p.potential == "pedone");
    let uff = DefaultChooser {
        spec: "uff".parse().unwrap(),
        coulomb: dsf,
    };
    let p = uff.preview(&li2si2o5).unwrap();
    assert!(!p.physical && p.potential == "uff-zbl");
    let mine = |c: &amorph_core::Composition| -> amorph_md::Result<Box<dyn Calculator>> {
        Ok(Box::new(uff_zbl(&c.elements())?))
    };
    assert_eq!(mine.choose(&li2si2o5).unwrap().name(), "uff-zbl");
    // The fallback handles every element 1–94.
    let all: Vec<Element> = Element::all().collect();
    let mut ff = uff_zbl(&all).unwrap();
    let s = Structure::new(
        Lattice::cubic(12.0).unwrap(),
        vec![el("H"), el("Pu"), el("U")],
        vec![
            Vector3::zeros(),
            Vector3::new(3.0, 0.0, 0.0),
            Vector3::new(0.0, 3.5, 0.0),
        ],
    )
    .unwrap();
    assert!(ff.calculate_checked(&s, Request::STRESS).is_ok());
}
