//! `amorph convert`: the real XDATCAR to extxyz/POSCAR/LAMMPS data, JSON output, one-line errors.

use std::path::PathBuf;
use std::process::Command;

const XDATCAR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz"
);

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amorph-cli-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn amorph(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_amorph"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn xdatcar_to_extxyz_json() {
    let out = tmp("traj.xyz");
    let (ok, stdout, stderr) = amorph(&["convert", XDATCAR, out.to_str().unwrap(), "--json"]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["frames"], 140);
    assert_eq!(v["atoms"], 416);
    assert_eq!(v["formats"]["input"], "xdatcar");
    assert_eq!(v["formats"]["output"], "extxyz");
    assert_eq!(v["input"], XDATCAR);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("Properties=species:S:1:pos:R:3").count(), 140);
    // And back: extxyz → XDATCAR keeps 140 frames and 416 atoms.
    let back = tmp("XDATCAR");
    let (ok, stdout, stderr) = amorph(&[
        "--json",
        "convert",
        out.to_str().unwrap(),
        back.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        (v["frames"].as_u64(), v["atoms"].as_u64()),
        (Some(140), Some(416))
    );
}

#[test]
fn single_structure_outputs_need_one_frame() {
    let pos = tmp("POSCAR");
    let (ok, _, stderr) = amorph(&["convert", XDATCAR, pos.to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--frame") && stderr.contains("140 frames"),
        "{stderr}"
    );

    let (ok, stdout, stderr) = amorph(&[
        "convert",
        XDATCAR,
        pos.to_str().unwrap(),
        "--frame",
        "-1",
        "--json",
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["frames"], 1);
    let text = std::fs::read_to_string(&pos).unwrap();
    assert!(
        text.contains(" Li  Cl  S   P  \n 192  32 160  32\nDirect\n"),
        "{text}"
    );

    let data = tmp("glass.data");
    let (ok, stdout, stderr) = amorph(&[
        "convert",
        pos.to_str().unwrap(),
        data.to_str().unwrap(),
        "--json",
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["lammps_types"], serde_json::json!(["Li", "Cl", "S", "P"]));
    assert!(
        std::fs::read_to_string(&data)
            .unwrap()
            .contains("416 atoms\n4 atom types\n")
    );
}

#[test]
fn errors_are_one_line_naming_the_input() {
    // A file that exists under a name of no known format (a missing one is "no such file",
    // see tests/cli_bad_input.rs).
    let notes = tmp("notes.txt");
    std::fs::write(&notes, "not a structure\n").unwrap();
    let (ok, _, stderr) = amorph(&["convert", notes.to_str().unwrap(), "out.xyz"]);
    assert!(!ok);
    assert!(
        stderr.starts_with(&format!("error: {}: unknown file format", notes.display())),
        "{stderr}"
    );
    let bad = tmp("broken.xyz");
    std::fs::write(
        &bad,
        "3\nProperties=species:S:1:pos:R:3\nLi 0 0 0\nXx 1 1 1\n",
    )
    .unwrap();
    let (ok, _, stderr) = amorph(&[
        "convert",
        bad.to_str().unwrap(),
        tmp("o.xyz").to_str().unwrap(),
    ]);
    assert!(!ok);
    assert_eq!(stderr.trim().lines().count(), 1);
    assert!(
        stderr.contains("broken.xyz:4: unknown element 'Xx'"),
        "{stderr}"
    );
}
