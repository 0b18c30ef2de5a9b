//! Bad input: every parser rejects truncated files, wrong counts, non-numbers and unknown
//! elements with a typed error naming the line; arbitrary bytes never panic a parser.

use amorph_core::Error;
use amorph_core::io::{extxyz, lammps_data, poscar, xdatcar};
use proptest::prelude::*;

/// Asserts a parse error at `line` whose message contains `needle`.
fn parse_err<T: std::fmt::Debug>(r: amorph_core::Result<T>, line: usize, needle: &str) {
    match r {
        Err(Error::Parse {
            source_name,
            line: l,
            reason,
        }) => {
            assert_eq!(source_name, "test-input");
            assert_eq!(l, line, "line of '{reason}'");
            assert!(reason.contains(needle), "'{reason}' lacks '{needle}'");
        }
        other => panic!("expected a parse error containing '{needle}', got {other:?}"),
    }
}

const XYZ: &str = "2
Lattice=\"4.0 0.0 0.0 0.0 4.0 0.0 0.0 0.0 4.0\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.5 pbc=\"T T T\"
Li 0.0 0.0 0.0 0.1 0.2 0.3
O 2.0 2.0 2.0 -0.1 -0.2 -0.3
";

fn xyz(s: &str) -> amorph_core::Result<Vec<amorph_core::io::Frame>> {
    extxyz::read(s.as_bytes(), "test-input")
}

#[test]
fn extxyz_valid_baseline() {
    let f = xyz(XYZ).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].energy, Some(-1.5));
    assert_eq!(f[0].forces.as_ref().unwrap()[1].z, -0.3);
}

#[test]
fn extxyz_truncated() {
    let cut = XYZ.lines().take(3).collect::<Vec<_>>().join("\n");
    parse_err(xyz(&cut), 4, "frame declares 2 atoms, found 1");
    parse_err(xyz("2\n"), 2, "comment line");
}

#[test]
fn extxyz_wrong_counts() {
    parse_err(
        xyz(&XYZ.replace("O 2.0 2.0 2.0 -0.1", "O 2.0 2.0 -0.1")),
        4,
        "fewer values",
    );
    parse_err(xyz(&XYZ.replace("0.3\n", "0.3 9\n")), 3, "more values");
    parse_err(
        xyz(&XYZ.replace("0.0 0.0 4.0\"", "0.0 4.0\"")),
        2,
        "Lattice must be 9",
    );
    parse_err(
        xyz(&XYZ.replace("forces:R:3", "forces:R:2")),
        2,
        "must be R:3",
    );
    parse_err(xyz(&XYZ.replace("pbc=\"T T T\"", "pbc=\"T T\"")), 2, "pbc");
}

#[test]
fn extxyz_non_numbers() {
    parse_err(xyz(&XYZ.replacen("2\n", "two\n", 1)), 1, "number of atoms");
    parse_err(
        xyz(&XYZ.replace("2.0 2.0 2.0", "2.0 x 2.0")),
        4,
        "found 'x'",
    );
    parse_err(xyz(&XYZ.replace("energy=-1.5", "energy=low")), 2, "energy");
    parse_err(xyz(&XYZ.replace("0.1 0.2 0.3", "0.1 nan 0.3")), 3, "force");
}

#[test]
fn extxyz_unknown_element() {
    parse_err(
        xyz(&XYZ.replace("O 2.0", "Xx 2.0")),
        4,
        "unknown element 'Xx'",
    );
    parse_err(
        xyz(&XYZ
            .replace("species:S:1", "Z:I:1")
            .replace("Li 0", "200 0")
            .replace("O 2", "8 2")),
        3,
        "Z=200",
    );
}

const POSCAR: &str = "Li O
1.0
4.0 0.0 0.0
0.0 4.0 0.0
0.0 0.0 4.0
Li O
2 1
Direct
0.0 0.0 0.0
0.5 0.5 0.0
0.5 0.5 0.5
";

fn pos(s: &str) -> amorph_core::Result<amorph_core::io::Frame> {
    poscar::read(s.as_bytes(), "test-input")
}

#[test]
fn poscar_valid_variants() {
    let f = pos(POSCAR).unwrap();
    assert_eq!(f.structure.len(), 3);
    assert_eq!(f.structure.positions()[2].x, 2.0);
    // Negative scale = volume; selective dynamics; Cartesian; velocity block.
    let v = POSCAR
        .replace("1.0\n4.0", "-125.0\n4.0")
        .replace("Direct", "Selective dynamics\nCartesian")
        .replace(
            "0.5 0.5 0.5\n",
            "0.5 0.5 0.5 T T F\n\n0.1 0 0\n0 0.2 0\n0 0 0.3\n",
        );
    let f = pos(&v).unwrap();
    assert!((f.structure.volume() - 125.0).abs() < 1e-9);
    assert!((f.structure.positions()[1].x - 0.5 * 1.25).abs() < 1e-12);
    assert_eq!(f.velocities.unwrap()[2].z, 0.3);
    // VASP 4 with the species in the comment line.
    let f = pos(&POSCAR.replace("Li O\n2 1", "2 1")).unwrap();
    assert_eq!(f.structure.formula(), "Li2O");
    // POTCAR-style labels.
    let f = pos(&POSCAR.replace("\nLi O\n2 1", "\nLi_sv/abc O\n2 1")).unwrap();
    assert_eq!(f.structure.formula(), "Li2O");
}

#[test]
fn poscar_truncated() {
    let cut = POSCAR.lines().take(10).collect::<Vec<_>>().join("\n");
    parse_err(pos(&cut), 11, "3 atoms declared, 2 coordinate lines");
    parse_err(pos("Li O\n1.0\n4 0 0\n"), 4, "lattice vector");
}

#[test]
fn poscar_wrong_counts() {
    parse_err(
        pos(&POSCAR.replace("2 1", "2 1 3")),
        7,
        "2 species but 3 counts",
    );
    parse_err(
        pos(&POSCAR.replace("0.5 0.5 0.0", "0.5 0.5")),
        10,
        "found 2",
    );
    parse_err(
        pos(&POSCAR
            .replace("Li O\n2 1", "2 1")
            .replacen("Li O", "hello", 1)),
        6,
        "VASP 4",
    );
}

#[test]
fn poscar_non_numbers() {
    parse_err(pos(&POSCAR.replace("1.0\n", "one\n")), 2, "scaling factor");
    parse_err(
        pos(&POSCAR.replace("0.0 4.0 0.0", "0.0 four 0.0")),
        4,
        "found 'four'",
    );
    parse_err(pos(&POSCAR.replace("2 1", "2 x")), 7, "atom count");
    parse_err(
        pos(&POSCAR.replace("0.5 0.5 0.5", "0.5 0.5 abc")),
        11,
        "found 'abc'",
    );
}

#[test]
fn poscar_unknown_element() {
    parse_err(
        pos(&POSCAR.replace("\nLi O\n2 1", "\nLi Qq\n2 1")),
        6,
        "unknown element 'Qq'",
    );
}

const XDAT: &str = "Li O
           1
     4.000000    0.000000    0.000000
     0.000000    4.000000    0.000000
     0.000000    0.000000    4.000000
 Li  O
   2   1
Direct configuration=     1
  0.00000000  0.00000000  0.00000000
  0.50000000  0.50000000  0.00000000
  0.50000000  0.50000000  0.50000000
Direct configuration=     2
  0.01000000  0.00000000  0.00000000
  0.51000000  0.50000000  0.00000000
  0.51000000  0.50000000  0.50000000
";

fn xd(s: &str) -> amorph_core::Result<Vec<amorph_core::io::Frame>> {
    xdatcar::read(s.as_bytes(), "test-input")
}

#[test]
fn xdatcar_valid_baseline() {
    let f = xd(XDAT).unwrap();
    assert_eq!(f.len(), 2);
    assert!((f[1].structure.positions()[0].x - 0.04).abs() < 1e-12);
}

#[test]
fn xdatcar_truncated() {
    let cut = XDAT.lines().take(14).collect::<Vec<_>>().join("\n");
    parse_err(xd(&cut), 15, "frame 2: 2 of 3 coordinate lines");
    let header_only = XDAT.lines().take(7).collect::<Vec<_>>().join("\n");
    parse_err(xd(&header_only), 7, "no configurations");
}

#[test]
fn xdatcar_wrong_counts() {
    // A repeated header with different counts.
    let bad = format!(
        "{XDAT}{}",
        XDAT.replace("2   1", "1   1")
            .lines()
            .take(8)
            .collect::<Vec<_>>()
            .join("\n")
    );
    parse_err(xd(&bad), 22, "different atoms");
    parse_err(
        xd(&XDAT.replace("0.51000000  0.50000000  0.00000000", "0.51 0.50")),
        14,
        "found 2",
    );
}

#[test]
fn xdatcar_non_numbers() {
    parse_err(
        xd(&XDAT.replace("0.51000000  0.50000000  0.00000000", "0.51 x 0.0")),
        14,
        "found 'x'",
    );
    parse_err(xd(&XDAT.replace("   2   1", "   2   one")), 7, "atom count");
}

#[test]
fn xdatcar_unknown_element() {
    parse_err(
        xd(&XDAT.replace(" Li  O", " Li  Zz")),
        6,
        "unknown element 'Zz'",
    );
}

const DATA: &str = "# test
2 atoms
2 atom types
0.0 4.0 xlo xhi
0.0 4.0 ylo yhi
0.0 4.0 zlo zhi

Masses

1 6.941 # Li
2 15.9994 # O

Atoms # charge

1 1 0.6 0.0 0.0 0.0
2 2 -1.2 2.0 2.0 2.0
";

fn lmp(s: &str) -> amorph_core::Result<lammps_data::LammpsData> {
    lammps_data::read(s.as_bytes(), "test-input")
}

#[test]
fn lammps_valid_baseline() {
    let d = lmp(DATA).unwrap();
    assert_eq!(d.frame.structure.formula(), "LiO");
    assert_eq!(d.charges, Some(vec![0.6, -1.2]));
    // Without symbol comments the masses identify the elements.
    let d = lmp(&DATA.replace(" # Li", "").replace(" # O", "")).unwrap();
    assert_eq!(d.types[1].symbol(), "O");
    // Image flags unwrap; atomic style inferred from 8 columns.
    let d = lmp(&DATA
        .replace("Atoms # charge", "Atoms")
        .replace("1 1 0.6 0.0 0.0 0.0", "1 1 0.0 0.0 0.0 1 0 -1")
        .replace("2 2 -1.2 2.0 2.0 2.0", "2 2 2.0 2.0 2.0 0 0 0"))
    .unwrap();
    assert_eq!(d.frame.structure.positions()[0].x, 4.0);
    assert_eq!(d.frame.structure.positions()[0].z, -4.0);
}

#[test]
fn lammps_truncated() {
    let cut = DATA.lines().take(15).collect::<Vec<_>>().join("\n");
    parse_err(lmp(&cut), 15, "1 lines, the header declares 2");
    parse_err(lmp("# only a title\n2 atoms\n"), 2, "atom types");
}

#[test]
fn lammps_wrong_counts() {
    parse_err(
        lmp(&DATA.replace("2 atoms", "3 atoms")),
        16,
        "2 lines, the header declares 3",
    );
    parse_err(
        lmp(&DATA.replace("1 1 0.6 0.0 0.0 0.0", "1 1 0.6 0.0 0.0")),
        15,
        "needs 6 or 9",
    );
    parse_err(
        lmp(&DATA.replace("2 2 -1.2", "2 3 -1.2")),
        16,
        "not in 1..=2",
    );
    parse_err(
        lmp(&DATA.replace("2 2 -1.2", "1 2 -1.2")),
        16,
        "appears twice",
    );
}

#[test]
fn lammps_non_numbers() {
    parse_err(
        lmp(&DATA.replace("0.0 4.0 ylo", "0.0 four ylo")),
        5,
        "found 'four'",
    );
    parse_err(
        lmp(&DATA.replace("-1.2 2.0", "-1.2 abc")),
        16,
        "found 'abc'",
    );
    parse_err(
        lmp(&DATA
            .replace("two", "x")
            .replace("2 atom types", "z atom types")),
        3,
        "atom types",
    );
}

#[test]
fn lammps_unknown_element() {
    parse_err(
        lmp(&DATA.replace("15.9994 # O", "500.0")),
        16,
        "matches no element",
    );
    // An unknown symbol comment falls back to the mass.
    let d = lmp(&DATA.replace("# O", "# Oxygen-ish")).unwrap();
    assert_eq!(d.types[1].symbol(), "O");
}

fn valid_inputs() -> [&'static str; 4] {
    [XYZ, POSCAR, XDAT, DATA]
}

fn run_all(bytes: &[u8]) {
    let _ = extxyz::read(bytes, "fuzz");
    let _ = poscar::read(bytes, "fuzz");
    let _ = xdatcar::read(bytes, "fuzz");
    let _ = lammps_data::read(bytes, "fuzz");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        run_all(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "[ -~\n\t]{0,400}") {
        run_all(s.as_bytes());
    }

    /// Valid files with one byte range replaced, cut, or duplicated: errors, never panics.
    #[test]
    fn mutated_valid_files_never_panic(
        which in 0usize..4,
        at in 0usize..400,
        len in 0usize..20,
        insert in "[ -~\n]{0,12}",
        cut in any::<bool>(),
    ) {
        let base = valid_inputs()[which].as_bytes();
        let at = at.min(base.len());
        let end = (at + len).min(base.len());
        let mut m = base[..at].to_vec();
        if !cut {
            m.extend_from_slice(insert.as_bytes());
            m.extend_from_slice(&base[end..]);
        }
        run_all(&m);
    }
}

/// The libAtoms/extxyz variants: new-style arrays, bare keys, lower-case keys (NEP/GPUMD),
/// `force`, `velo`, `Z`, Voigt stress, molecules without a Lattice.
#[test]
fn extxyz_libatoms_variants() {
    let text = "2
Lattice=[[4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 4.0]] Properties=Z:I:1:pos:R:3:velo:R:3 pbc=[T, T, F] flag tag = 'a b' stress=[1, 2, 3, 4, 5, 6]
3 0.0 0.0 0.0 0.01 0.02 0.03
8 1.0 1.0 1.0 0.0 0.0 0.0
2
lattice=\"5 0 0 0 5 0 0 0 5\" properties=species:S:1:pos:R:3:force:R:3 Energy=-2.0 pbc=\"1 1 1\"
li 0 0 0 1 2 3
O 1 1 1 -1 -2 -3
1
Properties=species:S:1:pos:R:3
H 0.5 0.5 0.5
";
    let f = xyz(text).unwrap();
    assert_eq!(f.len(), 3);
    assert_eq!(f[0].structure.formula(), "LiO");
    assert_eq!(f[0].structure.pbc(), [true, true, false]);
    assert_eq!(f[0].structure.lattice().volume(), 64.0);
    assert_eq!(f[0].velocities.as_ref().unwrap()[0].z, 0.03);
    assert_eq!(f[0].stress, Some([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
    assert_eq!(f[0].info["flag"], "T");
    assert_eq!(f[0].info["tag"], "a b");
    assert_eq!(f[1].energy, Some(-2.0));
    assert_eq!(f[1].forces.as_ref().unwrap()[1].y, -2.0);
    assert_eq!(f[1].structure.species()[0].symbol(), "Li");
    assert_eq!(f[1].structure.lattice().volume(), 125.0);
    // A molecule: a box 10 Å larger than its extent, not periodic.
    assert_eq!(f[2].structure.pbc(), [false; 3]);
    assert_eq!(f[2].structure.lattice().lengths(), [10.0; 3]);
    // Plain XYZ with a free-text comment that is not key=value (unbalanced quote).
    let plain = xyz("1\nmade by \"hand\n He 0 0 0\n").unwrap();
    assert_eq!(plain[0].info["comment"], "made by \"hand");
    // Periodic without a lattice is an error.
    parse_err(xyz("1\npbc=\"T T T\"\nHe 0 0 0\n"), 2, "no Lattice");
}
