//! Real data and the path-level API: the VASP XDATCAR of Li6PS5Cl (shared data), gzip,
//! format detection, read/write by file name.

use amorph_core::io::{self, Format, Frame};
use amorph_core::{Element, Error, Lattice, Structure, Trajectory};
use nalgebra::Vector3;
use std::path::{Path, PathBuf};

const XDATCAR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz"
);

fn el(s: &str) -> Element {
    Element::from_symbol(s).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amorph-io-real-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The header of the real file, read here with plain string handling (independent of our
/// parser): lattice rows, species line, counts line.
fn header() -> ([[f64; 3]; 3], Vec<String>, Vec<usize>) {
    use std::io::BufRead;
    let f = std::fs::File::open(XDATCAR).unwrap();
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
    let lines: Vec<String> = r.lines().take(7).map(|l| l.unwrap()).collect();
    let scale: f64 = lines[1].trim().parse().unwrap();
    let mut rows = [[0.0; 3]; 3];
    for i in 0..3 {
        let v: Vec<f64> = lines[2 + i]
            .split_whitespace()
            .map(|t| t.parse().unwrap())
            .collect();
        rows[i] = [v[0] * scale, v[1] * scale, v[2] * scale];
    }
    let species = lines[5].split_whitespace().map(String::from).collect();
    let counts = lines[6]
        .split_whitespace()
        .map(|t| t.parse().unwrap())
        .collect();
    (rows, species, counts)
}

#[test]
fn real_xdatcar_reads_416_atoms_140_frames() {
    let (rows, species, counts) = header();
    assert_eq!(species, ["Li", "Cl", "S", "P"]);
    assert_eq!(counts, [192, 32, 160, 32]);
    let frames = io::read_frames(Path::new(XDATCAR)).unwrap();
    assert_eq!(frames.len(), 140);
    let s0 = &frames[0].structure;
    assert_eq!(s0.len(), 416);
    assert_eq!(s0.lattice().rows(), rows);
    let mut expect = Vec::new();
    for (sp, c) in species.iter().zip(&counts) {
        expect.extend(std::iter::repeat_n(el(sp), *c));
    }
    assert_eq!(s0.species(), &expect[..]);
    assert_eq!(frames[0].info["configuration"], "1");
    assert_eq!(frames[139].info["configuration"], "140");
    assert_eq!(frames[0].info["comment"], "Li192 P32 S160 Cl32");
    // First coordinate line of frame 1 and last of frame 140 (fractional in the file).
    let l = Lattice::from_rows(rows).unwrap();
    let first = l.to_cartesian(&Vector3::new(0.01127708, 0.14362618, 0.34155668));
    assert!((s0.positions()[0] - first).norm() < 1e-12);
    let last = l.to_cartesian(&Vector3::new(0.49758225, 0.73885781, 0.49928297));
    assert!((frames[139].structure.positions()[415] - last).norm() < 1e-12);
    // Every fractional coordinate VASP wrote lies in [0, 1).
    for fr in &frames {
        for f in fr.structure.fractional_positions() {
            assert!(f.iter().all(|x| (-1e-9..1.0 + 1e-9).contains(x)));
        }
    }

    let t = io::read_trajectory(Path::new(XDATCAR), 100.0).unwrap();
    assert_eq!(t.n_frames(), 140);
    assert_eq!(t.n_atoms(), 416);
    assert!(t.is_fixed_cell());
    assert_eq!(t.time_step_fs(), 100.0);
    let s = io::read_structure(Path::new(XDATCAR)).unwrap();
    assert_eq!(&s, s0, "read_structure gives the first frame");
}

#[test]
fn real_xdatcar_converts_to_extxyz_and_back() {
    let frames = io::read_frames(Path::new(XDATCAR)).unwrap();
    let few = &frames[..3];
    let out = tmp("Li6PS5Cl.extxyz.gz");
    io::write_frames(&out, few).unwrap();
    let back = io::read_frames(&out).unwrap();
    assert_eq!(back.len(), 3);
    for (a, b) in few.iter().zip(&back) {
        assert_eq!(a.structure.species(), b.structure.species());
        assert_eq!(
            a.structure.lattice(),
            b.structure.lattice(),
            "Lattice is exact"
        );
        for (p, q) in a.structure.positions().iter().zip(b.structure.positions()) {
            assert!((p - q).norm() < 1e-8);
        }
        assert_eq!(a.info, b.info);
    }
    let xd = tmp("XDATCAR");
    io::write_frames(&xd, few).unwrap();
    let text = std::fs::read_to_string(&xd).unwrap();
    assert_eq!(text.matches("Direct configuration=").count(), 3);
    assert_eq!(
        text.matches("Li192 P32 S160 Cl32").count(),
        1,
        "fixed cell: one header"
    );
}

#[test]
fn format_detection_from_names() {
    for (name, f) in [
        ("a.xyz", Format::Extxyz),
        ("dir/a.EXTXYZ.gz", Format::Extxyz),
        ("POSCAR", Format::Poscar),
        ("CONTCAR", Format::Poscar),
        ("POSCAR_relaxed", Format::Poscar),
        ("Li2O.vasp", Format::Poscar),
        ("x.poscar.gz", Format::Poscar),
        ("XDATCAR", Format::Xdatcar),
        ("run1_XDATCAR.gz", Format::Xdatcar),
        ("glass.data", Format::LammpsData),
        ("glass.lmp", Format::LammpsData),
        ("data.glass", Format::LammpsData),
    ] {
        assert_eq!(Format::from_path(Path::new(name)).unwrap(), f, "{name}");
    }
    for bad in ["notes.txt", "OUTCAR", "a.cif", ""] {
        let e = Format::from_path(Path::new(bad)).unwrap_err();
        assert!(matches!(e, Error::Format { .. }), "{bad}: {e}");
    }
}

#[test]
fn path_api_round_trips_and_reports_errors() {
    let l = Lattice::from_parameters(5.0, 5.5, 6.0, 80.0, 95.0, 100.0).unwrap();
    let s = Structure::from_fractional(
        l,
        vec![el("Li"), el("P"), el("S")],
        &[
            Vector3::new(0.1, 0.2, 0.3),
            Vector3::new(0.5, 0.5, 0.5),
            Vector3::new(0.9, 0.05, 0.6),
        ],
    )
    .unwrap();
    for name in ["s.xyz", "POSCAR", "s.data", "XDATCAR", "s.vasp.gz"] {
        let p = tmp(name);
        io::write_structure(&p, &s).unwrap();
        let back = io::read_structure(&p).unwrap();
        assert_eq!(back.species(), s.species(), "{name}");
        // LAMMPS rotates the cell: compare lengths/angles and interatomic distances.
        for (a, b) in back.lattice().lengths().iter().zip(s.lattice().lengths()) {
            assert!((a - b).abs() < 1e-5, "{name}");
        }
        for i in 0..3 {
            for j in 0..3 {
                assert!(
                    (back.distance(i, j) - s.distance(i, j)).abs() < 1e-5,
                    "{name}"
                );
            }
        }
    }
    // Two frames cannot go into a POSCAR.
    let two = vec![Frame::new(s.clone()), Frame::new(s.clone())];
    let e = io::write_frames(&tmp("POSCAR"), &two).unwrap_err();
    assert!(
        matches!(e, Error::Format { .. }) && e.to_string().contains("POSCAR"),
        "{e}"
    );
    // Missing file: Io error naming it.
    let e = io::read_frames(Path::new("/nonexistent/POSCAR")).unwrap_err();
    assert!(matches!(e, Error::Io { .. }) && e.to_string().contains("/nonexistent/POSCAR"));
    // ... whatever its name: the file is opened before its name is read, so a missing
    // `notes.txt` or `structure` is "no such file", not "unknown file format".
    for name in [
        "/nonexistent/notes.txt",
        "/nonexistent/structure",
        "/nonexistent/a.xyz",
    ] {
        let path = Path::new(name);
        for e in [
            io::read_frames(path).unwrap_err(),
            io::read_structure(path).unwrap_err(),
            io::read_trajectory(path, 1.0).unwrap_err(),
        ] {
            assert!(
                matches!(&e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
                    && e.to_string().starts_with(&format!("{name}: No such file")),
                "{e}"
            );
        }
    }
    // Parse errors name the file.
    let bad = tmp("bad.xyz");
    std::fs::write(&bad, "2\nProperties=species:S:1:pos:R:3\nLi 0 0 0\n").unwrap();
    let e = io::read_frames(&bad).unwrap_err();
    assert!(
        matches!(e, Error::Parse { line: 4, .. }) && e.to_string().contains("bad.xyz"),
        "{e}"
    );
    // A trajectory round trip with a variable cell through extxyz and XDATCAR.
    let mut t = Trajectory::new(s.species().to_vec(), s.lattice().clone(), 2.0).unwrap();
    t.push_frame(s.positions().to_vec(), None).unwrap();
    let l2 = Lattice::from_parameters(5.1, 5.4, 6.1, 81.0, 94.0, 99.0).unwrap();
    t.push_frame(s.positions().to_vec(), Some(l2)).unwrap();
    for name in ["t.xyz", "t_XDATCAR"] {
        let p = tmp(name);
        io::write_trajectory(&p, &t).unwrap();
        let back = io::read_trajectory(&p, 2.0).unwrap();
        assert_eq!(back.n_frames(), 2, "{name}");
        assert!(!back.is_fixed_cell(), "{name}");
        for f in 0..2 {
            for (a, b) in back
                .lattice(f)
                .rows()
                .iter()
                .flatten()
                .zip(t.lattice(f).rows().iter().flatten())
            {
                assert!((a - b).abs() < 1e-6, "{name}");
            }
        }
    }
}
