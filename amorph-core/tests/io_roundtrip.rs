//! Property tests: write → read gives the same data, to the precision each format prints.

use amorph_core::io::{Frame, extxyz, lammps_data, poscar, xdatcar};
use amorph_core::{Element, Lattice, Structure};
use nalgebra::Vector3;
use proptest::prelude::*;

fn lattice() -> impl Strategy<Value = Lattice> {
    (
        3.0..15.0f64,
        3.0..15.0f64,
        3.0..15.0f64,
        70.0..110.0f64,
        70.0..110.0f64,
        70.0..110.0f64,
        -0.5..0.5f64,
    )
        .prop_filter_map("valid cell", |(a, b, c, al, be, ga, rot)| {
            let l = Lattice::from_parameters(a, b, c, al, be, ga).ok()?;
            // Rotate it so the cell is not already lower-triangular.
            let r = nalgebra::Rotation3::from_euler_angles(rot, 0.3 * rot, -rot);
            Lattice::new(l.matrix() * r.matrix().transpose()).ok()
        })
}

fn species(n: usize) -> impl Strategy<Value = Vec<Element>> {
    proptest::collection::vec(1u8..=94, n)
        .prop_map(|z| z.into_iter().map(|z| Element::from_z(z).unwrap()).collect())
}

fn frame() -> impl Strategy<Value = Frame> {
    (lattice(), 1usize..12).prop_flat_map(|(l, n)| {
        (
            Just(l),
            species(n),
            proptest::collection::vec((-0.3..1.3f64, -0.3..1.3f64, -0.3..1.3f64), n),
            proptest::collection::vec((-5.0..5.0f64, -5.0..5.0f64, -5.0..5.0f64), n),
            proptest::collection::vec((-0.05..0.05f64, -0.05..0.05f64, -0.05..0.05f64), n),
            proptest::option::of(-1e4..1e4f64),
            proptest::option::of(proptest::array::uniform6(-0.1..0.1f64)),
            any::<(bool, bool, bool, bool)>(),
            proptest::collection::btree_map("[a-z][a-z0-9_]{0,8}", "[ -~]{0,12}", 0..3),
        )
            .prop_map(|(l, sp, fr, f, v, e, st, flags, info)| {
                let pos: Vec<Vector3<f64>> = fr
                    .iter()
                    .map(|&(a, b, c)| l.to_cartesian(&Vector3::new(a, b, c)))
                    .collect();
                let pbc = [flags.0, flags.1, true];
                let s = Structure::with_pbc(l, sp, pos, pbc).unwrap();
                let mut frame = Frame::new(s);
                frame.energy = e;
                frame.stress = st;
                if flags.2 {
                    frame.forces = Some(f.iter().map(|&(a, b, c)| Vector3::new(a, b, c)).collect());
                }
                if flags.3 {
                    frame.velocities =
                        Some(v.iter().map(|&(a, b, c)| Vector3::new(a, b, c)).collect());
                }
                frame.info = info
                    .into_iter()
                    .filter(|(k, _)| {
                        !["lattice", "properties", "pbc", "energy", "stress"].contains(&k.as_str())
                    })
                    .collect();
                frame
            })
    })
}

fn close_vecs(a: &[Vector3<f64>], b: &[Vector3<f64>], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).amax() <= tol)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn extxyz_round_trip(frames in proptest::collection::vec(frame(), 1..4)) {
        let mut buf = Vec::new();
        extxyz::write(&mut buf, &frames).unwrap();
        let back = extxyz::read(&buf[..], "<prop>").unwrap();
        prop_assert_eq!(back.len(), frames.len());
        for (a, b) in frames.iter().zip(&back) {
            // Lattice, energy and stress use shortest round-trip text: exact.
            prop_assert_eq!(a.structure.lattice(), b.structure.lattice());
            prop_assert_eq!(a.energy, b.energy);
            prop_assert_eq!(a.stress, b.stress);
            prop_assert_eq!(a.structure.species(), b.structure.species());
            prop_assert_eq!(a.structure.pbc(), b.structure.pbc());
            prop_assert_eq!(&a.info, &b.info);
            // Per-atom columns: 8 decimals.
            prop_assert!(close_vecs(a.structure.positions(), b.structure.positions(), 5.1e-9));
            match (&a.forces, &b.forces) {
                (Some(x), Some(y)) => prop_assert!(close_vecs(x, y, 5.1e-9)),
                (None, None) => {}
                _ => prop_assert!(false, "forces presence differs"),
            }
            match (&a.velocities, &b.velocities) {
                // Momenta m·v·10.18 printed with 8 decimals, divided back by m·10.18.
                (Some(x), Some(y)) => prop_assert!(close_vecs(x, y, 1e-9)),
                (None, None) => {}
                _ => prop_assert!(false, "velocities presence differs"),
            }
        }
        // Writing what was read gives the same text (the format is a fixed point).
        let mut again = Vec::new();
        extxyz::write(&mut again, &back).unwrap();
        prop_assert_eq!(String::from_utf8(again).unwrap(), String::from_utf8(buf).unwrap());
    }

    #[test]
    fn poscar_round_trip(mut f in frame()) {
        f.forces = None;
        f.energy = None;
        f.stress = None;
        f.info.clear();
        let mut buf = Vec::new();
        poscar::write(&mut buf, &f).unwrap();
        let b = poscar::read(&buf[..], "<prop>").unwrap();
        prop_assert_eq!(f.structure.species(), b.structure.species());
        for (x, y) in f.structure.lattice().rows().iter().flatten().zip(b.structure.lattice().rows().iter().flatten()) {
            prop_assert!((x - y).abs() <= 1e-14 * 16.0);
        }
        prop_assert!(close_vecs(f.structure.positions(), b.structure.positions(), 1e-13));
        match (&f.velocities, &b.velocities) {
            (Some(x), Some(y)) => prop_assert!(close_vecs(x, y, 1e-16)),
            (None, None) => {}
            _ => prop_assert!(false, "velocities presence differs"),
        }
    }

    #[test]
    fn xdatcar_round_trip(f in frame(), shifts in proptest::collection::vec(-0.2..0.2f64, 3), var in any::<bool>()) {
        // Three frames of the same atoms, moved; a fixed or variable cell.
        let s0 = f.structure.clone();
        let mut frames = Vec::new();
        for (k, d) in shifts.iter().enumerate() {
            let l = if var {
                Lattice::new(s0.lattice().matrix() * (1.0 + 0.01 * k as f64)).unwrap()
            } else {
                s0.lattice().clone()
            };
            let pos = s0.positions().iter().map(|p| p.add_scalar(*d)).collect();
            frames.push(Frame::new(Structure::new(l, s0.species().to_vec(), pos).unwrap()));
        }
        let mut buf = Vec::new();
        xdatcar::write(&mut buf, &frames).unwrap();
        let text = String::from_utf8(buf.clone()).unwrap();
        let headers = text.matches("\n           1\n").count();
        prop_assert_eq!(headers, if var { 3 } else { 1 });
        let back = xdatcar::read(&buf[..], "<prop>").unwrap();
        prop_assert_eq!(back.len(), 3);
        for (a, b) in frames.iter().zip(&back) {
            prop_assert_eq!(a.structure.species(), b.structure.species());
            // Lattice printed with 6 decimals, fractional coordinates with 8.
            for (x, y) in a.structure.lattice().rows().iter().flatten().zip(b.structure.lattice().rows().iter().flatten()) {
                prop_assert!((x - y).abs() <= 5.1e-7);
            }
            prop_assert!(close_vecs(a.structure.positions(), b.structure.positions(), 5e-6));
        }
    }

    #[test]
    fn lammps_data_round_trip(f in frame(), charge in any::<bool>(), qs in proptest::collection::vec(-2.0..2.0f64, 12)) {
        let n = f.structure.len();
        let options = lammps_data::Options {
            style: if charge { lammps_data::AtomStyle::Charge } else { lammps_data::AtomStyle::Atomic },
            charges: charge.then(|| qs[..n].to_vec()),
            species_order: None,
        };
        let mut buf = Vec::new();
        let types = lammps_data::write(&mut buf, &f, &options).unwrap();
        // Types in order of first appearance, each species once.
        let mut seen = Vec::new();
        for e in f.structure.species() {
            if !seen.contains(e) {
                seen.push(*e);
            }
        }
        prop_assert_eq!(&types, &seen);
        let d = lammps_data::read(&buf[..], "<prop>").unwrap();
        prop_assert_eq!(&d.types, &types);
        prop_assert_eq!(d.style, options.style);
        prop_assert_eq!(&d.charges, &options.charges);
        let (a, b) = (&f.structure, &d.frame.structure);
        prop_assert_eq!(a.species(), b.species());
        // Lower-triangular cell with the same shape; the fractional coordinates are kept.
        let m = b.lattice().matrix();
        prop_assert!(m[(0, 1)] == 0.0 && m[(0, 2)] == 0.0 && m[(1, 2)] == 0.0);
        for (x, y) in a.lattice().lengths().iter().zip(b.lattice().lengths()) {
            prop_assert!((x - y).abs() < 1e-10);
        }
        prop_assert!((a.volume() - b.volume()).abs() < 1e-9 * a.volume());
        for (p, q) in a.fractional_positions().iter().zip(b.fractional_positions()) {
            prop_assert!((p - q).amax() < 1e-12);
        }
        match (&f.velocities, &d.frame.velocities) {
            (Some(x), Some(y)) => {
                for (v, w) in x.iter().zip(y) {
                    prop_assert!((v.norm() - w.norm()).abs() < 1e-14);
                }
            }
            (None, None) => {}
            _ => prop_assert!(false, "velocities presence differs"),
        }
        // Writing the read structure again gives the same text (the cell is already in
        // LAMMPS form, so nothing moves).
        let mut again = Vec::new();
        lammps_data::write(&mut again, &d.frame, &options).unwrap();
        let d2 = lammps_data::read(&again[..], "<prop>").unwrap();
        prop_assert_eq!(d2.frame.structure.lattice(), d.frame.structure.lattice());
    }
}

#[test]
fn lammps_species_order_and_left_handed_cell() {
    let li = Element::from_symbol("Li").unwrap();
    let o = Element::from_symbol("O").unwrap();
    let si = Element::from_symbol("Si").unwrap();
    let s = Structure::new(
        Lattice::cubic(5.0).unwrap(),
        vec![o, li, li],
        vec![
            Vector3::zeros(),
            Vector3::new(1.0, 1.0, 1.0),
            Vector3::new(2.0, 2.0, 2.0),
        ],
    )
    .unwrap();
    let opts = lammps_data::Options {
        species_order: Some(vec![si, li, o]),
        ..Default::default()
    };
    let mut buf = Vec::new();
    let types = lammps_data::write(&mut buf, &Frame::new(s.clone()), &opts).unwrap();
    assert_eq!(types, [si, li, o]);
    let text = String::from_utf8(buf).unwrap();
    assert!(text.contains("3 atom types"));
    assert!(text.contains("1 28.0855 # Si"));
    assert!(text.contains("\n1 3 0.0 0.0 0.0\n"), "{text}");
    assert!(
        !text.contains("xy xz yz"),
        "orthogonal box has no tilt line"
    );
    let missing = lammps_data::Options {
        species_order: Some(vec![li]),
        ..Default::default()
    };
    assert!(lammps_data::write(Vec::new(), &Frame::new(s.clone()), &missing).is_err());
    let left = Lattice::from_rows([[0.0, 5.0, 0.0], [5.0, 0.0, 0.0], [0.0, 0.0, 5.0]]).unwrap();
    let sl = Structure::new(left, s.species().to_vec(), s.positions().to_vec()).unwrap();
    let e = lammps_data::write(Vec::new(), &Frame::new(sl), &Default::default()).unwrap_err();
    assert!(e.to_string().contains("left-handed"), "{e}");
}
