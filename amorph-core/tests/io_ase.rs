//! extxyz / POSCAR / XDATCAR interoperability with ASE, both directions.
//!
//! Fixtures in `tests/fixtures/io/` were made by `scripts/fixtures/ase_io.py` with **ASE
//! 3.29.0** (numpy 2): `ase_*` files are written by ASE, `ase_expected.json` holds the numbers
//! ASE had in memory when writing them; `ours_*` files are written by our writers (this test
//! regenerates them in memory and compares byte for byte; `AMORPH_REGEN_FIXTURES=1` rewrites
//! them), `ours_read_by_ase.json` holds what ASE read from them, and `ase_rewrite_*` are ASE's
//! own re-writes of what it read from `ours_*` (so ours == ASE's output byte for byte).

use amorph_core::io::{self, Frame, extxyz, poscar, xdatcar};
use amorph_core::units::ASE_TIME_UNIT_IN_FS;
use amorph_core::{Element, Lattice, Structure};
use nalgebra::Vector3;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/io")).join(name)
}

fn el(s: &str) -> Element {
    Element::from_symbol(s).unwrap()
}

fn json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-10 * (1.0 + b.abs()),
        "{what}: {a} vs {b} (diff {:e})",
        a - b
    );
}

/// The frames our writers put into the `ours_*` fixtures (fixed numbers, triclinic cells).
fn our_frames() -> Vec<Frame> {
    let l1 = Lattice::from_rows([[5.1, 0.0, 0.0], [0.7, 4.9, 0.0], [-0.3, 0.45, 6.2]]).unwrap();
    let s1 = Structure::new(
        l1,
        vec![el("Li"), el("Li"), el("O"), el("Si")],
        vec![
            Vector3::new(0.1, 0.2, 0.3),
            Vector3::new(2.5, 1.25, 3.125),
            Vector3::new(4.0, 3.3, 5.9),
            Vector3::new(-0.5, 6.0, 1.0e-3),
        ],
    )
    .unwrap();
    let mut f1 = Frame::new(s1);
    f1.energy = Some(-23.456789012345);
    f1.forces = Some(vec![
        Vector3::new(0.125, -0.5, 1.0),
        Vector3::new(-0.03125, 0.25, 0.0),
        Vector3::new(1.5, -2.25, 0.75),
        Vector3::new(-1.59375, 2.5, -1.75),
    ]);
    f1.stress = Some([0.011, -0.022, 0.033, 0.0044, -0.0055, 0.0066]);
    f1.velocities = Some(vec![
        Vector3::new(0.01, -0.02, 0.005),
        Vector3::new(0.0, 0.0125, -0.0075),
        Vector3::new(-0.003, 0.004, 0.001),
        Vector3::new(0.002, 0.0, -0.001),
    ]);
    f1.info.insert("comment_str".into(), "melt quench".into());
    f1.info.insert("step".into(), "10".into());
    f1.info.insert("temperature".into(), "3000.0".into());

    let l2 = Lattice::from_rows([[5.2, 0.1, 0.0], [0.6, 5.0, 0.2], [-0.2, 0.4, 6.3]]).unwrap();
    let s2 = Structure::with_pbc(
        l2,
        vec![el("Li"), el("Li"), el("O"), el("Si")],
        vec![
            Vector3::new(0.2, 0.1, 0.35),
            Vector3::new(2.4, 1.3, 3.0),
            Vector3::new(4.1, 3.2, 6.0),
            Vector3::new(-0.4, 5.9, 0.1),
        ],
        [true, true, false],
    )
    .unwrap();
    let mut f2 = Frame::new(s2);
    f2.energy = Some(1.0e-5);
    f2.info.insert("step".into(), "20".into());
    vec![f1, f2]
}

fn our_poscar_frame() -> Frame {
    let mut f = our_frames().swap_remove(0);
    f.forces = None;
    f.energy = None;
    f.stress = None;
    f.info.clear();
    f
}

fn our_xdatcar_frames() -> Vec<Frame> {
    // Variable cell: two frames, same atoms; plus a fixed-cell file from frame 1 twice.
    our_frames()
        .into_iter()
        .map(|fr| {
            let s = fr.structure;
            Frame::new(
                Structure::new(
                    s.lattice().clone(),
                    s.species().to_vec(),
                    s.positions().to_vec(),
                )
                .unwrap(),
            )
        })
        .collect()
}

fn check_or_regen(name: &str, bytes: &[u8]) {
    let path = fixture(name);
    if std::env::var_os("AMORPH_REGEN_FIXTURES").is_some() {
        std::fs::write(&path, bytes).unwrap();
    }
    let committed = std::fs::read(&path).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&committed),
        String::from_utf8_lossy(bytes),
        "{name}: our writer's output changed (AMORPH_REGEN_FIXTURES=1 and rerun the ASE script)"
    );
}

#[test]
fn our_writers_match_committed_outputs() {
    let mut buf = Vec::new();
    extxyz::write(&mut buf, &our_frames()).unwrap();
    check_or_regen("ours_multi.xyz", &buf);

    buf.clear();
    poscar::write(&mut buf, &our_poscar_frame()).unwrap();
    check_or_regen("ours_POSCAR", &buf);

    buf.clear();
    xdatcar::write(&mut buf, &our_xdatcar_frames()).unwrap();
    check_or_regen("ours_var_XDATCAR", &buf);

    let fixed: Vec<Frame> = our_xdatcar_frames()
        .into_iter()
        .map(|mut fr| {
            let s = &fr.structure;
            let l =
                Lattice::from_rows([[5.1, 0.0, 0.0], [0.7, 4.9, 0.0], [-0.3, 0.45, 6.2]]).unwrap();
            fr.structure = Structure::new(l, s.species().to_vec(), s.positions().to_vec()).unwrap();
            fr
        })
        .collect();
    buf.clear();
    xdatcar::write(&mut buf, &fixed).unwrap();
    check_or_regen("ours_fixed_XDATCAR", &buf);
}

/// ASE re-wrote what it read from our extxyz: identical bytes means our writer formats
/// exactly as ASE 3.29 does.
#[test]
fn ase_rewrites_our_extxyz_byte_for_byte() {
    let ours = std::fs::read_to_string(fixture("ours_multi.xyz")).unwrap();
    let ase = std::fs::read_to_string(fixture("ase_rewrite_ours_multi.xyz")).unwrap();
    assert_eq!(ours, ase);
    // POSCAR (direct, with a velocity block): identical too.
    let ours = std::fs::read_to_string(fixture("ours_POSCAR")).unwrap();
    let ase = std::fs::read_to_string(fixture("ase_rewrite_ours_POSCAR")).unwrap();
    assert_eq!(ours, ase);
}

#[test]
fn ase_reads_our_files_to_the_same_numbers() {
    let j = json("ours_read_by_ase.json");
    let frames = our_frames();
    let xyz = j["ours_multi.xyz"].as_array().unwrap();
    assert_eq!(xyz.len(), frames.len());
    for (fr, a) in frames.iter().zip(xyz) {
        compare_frame(fr, a, true);
    }
    compare_frame(&our_poscar_frame(), &j["ours_POSCAR"][0], false);
    for name in ["ours_var_XDATCAR", "ours_fixed_XDATCAR"] {
        let ours = xdatcar::read(
            std::fs::File::open(fixture(name))
                .map(std::io::BufReader::new)
                .unwrap(),
            name,
        )
        .unwrap();
        let a = j[name].as_array().unwrap();
        assert_eq!(a.len(), ours.len(), "{name}");
        for (fr, a) in ours.iter().zip(a) {
            compare_frame(fr, a, false);
        }
    }
}

/// Compares a frame with ASE's numbers (cell, symbols, positions, pbc, calculator results,
/// velocities in Å/fs).
fn compare_frame(fr: &Frame, a: &Value, results: bool) {
    let s = &fr.structure;
    let cell = a["cell"].as_array().unwrap();
    for (i, row) in s.lattice().rows().iter().enumerate() {
        for k in 0..3 {
            close(row[k], f(&cell[i][k]), "cell");
        }
    }
    let syms: Vec<&str> = a["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ours: Vec<&str> = s.species().iter().map(|e| e.symbol()).collect();
    assert_eq!(ours, syms);
    let pbc: Vec<bool> = a["pbc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_bool().unwrap())
        .collect();
    if results {
        assert_eq!(s.pbc().to_vec(), pbc);
    }
    let pos = a["positions"].as_array().unwrap();
    let tol_scale = if a.get("printed_decimals").is_some() {
        1e4
    } else {
        1.0
    };
    for (p, q) in s.positions().iter().zip(pos) {
        for k in 0..3 {
            let d = (p[k] - f(&q[k])).abs();
            assert!(d <= 1e-8 * tol_scale, "position {p:?} vs {q:?}");
        }
    }
    if let Some(vs) = &fr.velocities {
        let v = a["velocities_A_per_fs"].as_array().unwrap();
        for (x, y) in vs.iter().zip(v) {
            for k in 0..3 {
                // Momenta printed with 8 decimals: relative precision ~1e-8 of m·v·10.18.
                assert!((x[k] - f(&y[k])).abs() < 1e-9, "velocity {x:?} vs {y:?}");
            }
        }
    }
    if !results {
        return;
    }
    match (&fr.energy, a.get("energy")) {
        (Some(e), Some(v)) => close(*e, f(v), "energy"),
        (None, None) => {}
        (e, v) => panic!("energy {e:?} vs {v:?}"),
    }
    if let Some(st) = fr.stress {
        let v = a["stress"].as_array().unwrap();
        for k in 0..6 {
            close(st[k], f(&v[k]), "stress");
        }
    } else {
        assert!(a.get("stress").is_none());
    }
    if let Some(fs) = &fr.forces {
        let v = a["forces"].as_array().unwrap();
        for (x, y) in fs.iter().zip(v) {
            for k in 0..3 {
                assert!((x[k] - f(&y[k])).abs() < 1e-8, "forces");
            }
        }
    }
}

/// Files written by ASE are read by us to the numbers ASE held.
#[test]
fn we_read_ase_files_to_the_same_numbers() {
    let j = json("ase_expected.json");
    let files = j.as_object().unwrap();
    assert!(files.len() >= 4);
    for (name, expected) in files {
        let frames = io::read_frames(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let exp = expected.as_array().unwrap();
        assert_eq!(frames.len(), exp.len(), "{name}");
        for (fr, a) in frames.iter().zip(exp) {
            let s = &fr.structure;
            let cell = a["cell"].as_array().unwrap();
            for (i, row) in s.lattice().rows().iter().enumerate() {
                for k in 0..3 {
                    close(row[k], f(&cell[i][k]), &format!("{name} cell"));
                }
            }
            let syms: Vec<&str> = a["symbols"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let ours: Vec<&str> = s.species().iter().map(|e| e.symbol()).collect();
            assert_eq!(ours, syms, "{name}");
            let pbc: Vec<bool> = a["pbc"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_bool().unwrap())
                .collect();
            assert_eq!(s.pbc().to_vec(), pbc, "{name} pbc");
            // Written by ASE with a fixed number of decimals: compare to that precision.
            let dec = a["printed_decimals"].as_i64().unwrap() as i32;
            let tol = 0.6 * 10f64.powi(-dec) * 30.0;
            for (p, q) in s.positions().iter().zip(a["positions"].as_array().unwrap()) {
                for k in 0..3 {
                    assert!(
                        (p[k] - f(&q[k])).abs() <= tol,
                        "{name} position {p:?} vs {q:?}"
                    );
                }
            }
            match (fr.energy, a.get("energy")) {
                (Some(e), Some(v)) => close(e, f(v), &format!("{name} energy")),
                (None, None) => {}
                (e, v) => panic!("{name}: energy {e:?} vs {v:?}"),
            }
            match (fr.stress, a.get("stress")) {
                (Some(st), Some(v)) => {
                    for k in 0..6 {
                        close(st[k], f(&v[k]), &format!("{name} stress"));
                    }
                }
                (None, None) => {}
                (e, v) => panic!("{name}: stress {e:?} vs {v:?}"),
            }
            match (&fr.forces, a.get("forces")) {
                (Some(fs), Some(v)) => {
                    for (x, y) in fs.iter().zip(v.as_array().unwrap()) {
                        for k in 0..3 {
                            assert!((x[k] - f(&y[k])).abs() < 1e-8, "{name} forces");
                        }
                    }
                }
                (None, None) => {}
                (x, v) => panic!("{name}: forces {x:?} vs {v:?}"),
            }
            match (&fr.velocities, a.get("momenta")) {
                (Some(vs), Some(p)) => {
                    // ASE wrote momenta (amu·Å/ASE time) with its own masses and no masses
                    // column; we divide by our element masses, so compare momenta.
                    for ((v, e), pa) in vs.iter().zip(s.species()).zip(p.as_array().unwrap()) {
                        for k in 0..3 {
                            let ours = v[k] * e.mass() * ASE_TIME_UNIT_IN_FS;
                            assert!((ours - f(&pa[k])).abs() < 1e-7, "{name} momenta");
                        }
                    }
                }
                (Some(vs), None) => {
                    let va = a["velocities_A_per_fs"].as_array().unwrap();
                    for (v, q) in vs.iter().zip(va) {
                        for k in 0..3 {
                            assert!((v[k] - f(&q[k])).abs() < 1e-12, "{name} velocities");
                        }
                    }
                }
                (None, None) => {}
                (x, v) => panic!("{name}: velocities {x:?} vs {v:?}"),
            }
            if let Some(info) = a.get("info").and_then(|v| v.as_object()) {
                for (k, v) in info {
                    let want = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    assert_eq!(fr.info.get(k), Some(&want), "{name} info {k}");
                }
            }
        }
    }
}

/// Python's `repr(float)` as printed by Python 3 (the header numbers of extxyz).
#[test]
fn header_numbers_are_python_repr() {
    let j = json("python_float_repr.json");
    let cases = j.as_array().unwrap();
    assert!(cases.len() > 100);
    for c in cases {
        let x = f64::from_bits(c[0].as_str().unwrap().parse::<u64>().unwrap());
        assert_eq!(io::py_float(x), c[1].as_str().unwrap(), "{x:e}");
    }
}
