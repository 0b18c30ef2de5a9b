//! Bad input tried as a new user would: a missing input file says "No such file" (whatever its
//! name, for every command that reads a structure), and `amorph pack` refuses 0 atoms and
//! absurd atom counts at once with one error line.

mod common;

use common::*;
use std::time::{Duration, Instant};

/// The single error line of a failing command.
fn error_line(args: &[&str], dir: &std::path::Path) -> String {
    let out = amorph(args, dir);
    assert!(!out.status.success(), "amorph {args:?} succeeded");
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(stderr.lines().count(), 1, "amorph {args:?}: {stderr}");
    stderr
}

#[test]
fn a_missing_input_file_is_no_such_file() {
    let d = tmp("missing");
    // Known, unknown and no extension: the file is looked for before its name is read.
    for name in [
        "missing.xyz",
        "missing.vasp",
        "missing",
        "missing.txt",
        "XDATCAR",
    ] {
        fails_naming(&["convert", name, "out.xyz"], &d, "No such file");
        let line = error_line(&["convert", name, "out.xyz"], &d);
        assert!(line.starts_with(&format!("error: {name}: ")), "{line}");
    }
    for args in [
        &["energy", "missing.vasp", "--potential", "pedone"][..],
        &["energy", "missing", "--potential", "pedone"][..],
        &[
            "md",
            "missing.xyz",
            "-o",
            "t.xyz",
            "--potential",
            "pedone",
            "--temperature",
            "300",
            "--steps",
            "1",
            "--timestep",
            "1",
        ][..],
        &["featurize", "missing.xyz"][..],
        &["diffusion", "missing", "--temperature", "600"][..],
    ] {
        fails_naming(args, &d, "No such file");
        // The file is named once, not once by the command and again by the reader.
        let line = error_line(args, &d);
        assert_eq!(line.matches(args[1]).count(), 1, "{line}");
    }
}

#[test]
fn pack_refuses_zero_and_absurd_atom_counts_at_once() {
    let d = tmp("pack");
    for (atoms, needle) in [
        ("0", "at least 1"),
        ("100000000", "at most 1000000"),
        ("18446744073709551615", "at most 1000000"),
    ] {
        let start = Instant::now();
        fails_naming(
            &["pack", "Li2O", "--atoms", atoms, "-o", "x.xyz"],
            &d,
            needle,
        );
        let line = error_line(&["pack", "Li2O", "--atoms", atoms, "-o", "x.xyz"], &d);
        assert!(line.contains(&format!("--atoms {atoms}")), "{line}");
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not refused at once"
        );
        assert!(!d.join("x.xyz").exists());
    }
    // A formula unit alone beyond the bound.
    fails_naming(
        &["pack", "Li100000000O", "-o", "x.xyz"],
        &d,
        "more than 1000000 atoms",
    );
    // Small counts still work.
    let v = json_ok(&["pack", "Li2O", "--atoms", "6", "-o", "ok.xyz"], &d);
    assert_eq!(v["atoms"], 6);
}
