//! Inputs that crashed, hung or exhausted memory under `cargo fuzz` (see `fuzz/README.md`),
//! kept as regression tests: every file under `tests/fuzz_regressions/TARGET/` is fed to the
//! parser of that fuzz target, which must return a typed error naming the input (none of
//! these files is a valid structure). Add a crashing input by copying it from
//! `fuzz/artifacts/TARGET/` into the directory of its target.

use amorph_core::Composition;
use amorph_core::io::{extxyz, lammps_data, poscar, xdatcar};

/// The files of `tests/fuzz_regressions/<target>/` as (file name, bytes).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    amorph_testkit::fuzz_regression_inputs(env!("CARGO_MANIFEST_DIR"), target)
}

/// Every input of `target` must fail with an error that names it (the file name is passed
/// as the source name).
fn all_fail_naming_the_input(
    target: &str,
    parse: impl Fn(&[u8], &str) -> Result<(), String>,
) -> usize {
    let all = inputs(target);
    for (name, bytes) in &all {
        match parse(bytes, name) {
            Ok(()) => panic!("{target}/{name}: parsed, but is not a valid input"),
            Err(e) => assert!(
                e.contains(name.as_str()),
                "{target}/{name}: error does not name it: {e}"
            ),
        }
    }
    all.len()
}

#[test]
fn structure_files_that_crashed_the_parsers() {
    let n = all_fail_naming_the_input("extxyz", |b, name| {
        extxyz::read(b, name).map(drop).map_err(|e| e.to_string())
    }) + all_fail_naming_the_input("poscar", |b, name| {
        poscar::read(b, name).map(drop).map_err(|e| e.to_string())
    }) + all_fail_naming_the_input("xdatcar", |b, name| {
        xdatcar::read(b, name).map(drop).map_err(|e| e.to_string())
    }) + all_fail_naming_the_input("lammps_data", |b, name| {
        lammps_data::read(b, name)
            .map(drop)
            .map_err(|e| e.to_string())
    });
    assert!(n >= 1);
}

#[test]
fn formulas_that_crashed_the_parser() {
    for (name, bytes) in inputs("composition") {
        let text = String::from_utf8_lossy(&bytes);
        // Ok or a typed error, never a panic; an error quotes the formula.
        if let Err(e) = Composition::parse(&text) {
            assert!(
                e.to_string().contains(text.as_ref()),
                "composition/{name}: {e}"
            );
        }
    }
}

/// A POSCAR whose counts claim 10⁷ atoms in a file of a few lines: it used to reserve memory
/// for all the coordinates before reading them; now the arrays grow with the lines read and the
/// file is an error at its end.
#[test]
fn a_header_claiming_many_atoms_allocates_nothing_for_them() {
    let text = "Li O\n1.0\n5 0 0\n0 5 0\n0 0 5\nLi O\n2 10000000\nDirect\n0 0 0\n";
    let e = poscar::read(text.as_bytes(), "claims.vasp").unwrap_err();
    assert!(e.to_string().contains("claims.vasp"), "{e}");
    assert!(e.to_string().contains("10000002 atoms declared"), "{e}");
    // Counts whose sum passes 10⁸ (each alone below it) are refused in the header.
    let text = "Li O\n1.0\n5 0 0\n0 5 0\n0 0 5\nLi O\n100000000 100000000\nDirect\n";
    let e = poscar::read(text.as_bytes(), "sum.vasp").unwrap_err();
    assert!(
        e.to_string().contains("add up to more than 100000000"),
        "{e}"
    );
}
