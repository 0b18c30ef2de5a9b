//! `amorph featurize`: formulas and structure files, JSON and CSV, errors.

use std::path::PathBuf;
use std::process::Command;

fn amorph(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_amorph"))
        .args(args)
        .output()
        .expect("amorph runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = amorph(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amorph-cli-featurize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Rock-salt LiF (a = 4.03 Å) as a POSCAR.
fn lif_poscar() -> PathBuf {
    let p = tmp("POSCAR_LiF");
    let mut text = String::from("LiF rock salt\n4.03\n1 0 0\n0 1 0\n0 0 1\nLi F\n4 4\nDirect\n");
    for f in ["0 0 0", "0.5 0.5 0", "0.5 0 0.5", "0 0.5 0.5"] {
        text.push_str(f);
        text.push('\n');
    }
    for f in ["0.5 0 0", "0 0.5 0", "0 0 0.5", "0.5 0.5 0.5"] {
        text.push_str(f);
        text.push('\n');
    }
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn formulas_give_the_composition_columns() {
    let v = json(&["--json", "featurize", "--formula", "Li2O", "Li(Si2W)3"]);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["formula"], "Li2O");
    let x = |r: &serde_json::Value, k: &str| r[k].as_f64().unwrap_or_else(|| panic!("{k}"));
    assert!((x(&rows[0], "Li_percentage") - 2.0 / 3.0).abs() < 1e-15);
    assert!((x(&rows[0], "avg_X_with_Li") - (2.0 * 0.98 + 3.44) / 3.0).abs() < 1e-12);
    assert!((x(&rows[0], "avg_m_wiout_Li") - 15.9994).abs() < 1e-12);
    // Li(Si2W)3 = Li Si6 W3: 1/10 Li.
    assert!((x(&rows[1], "Li_percentage") - 0.1).abs() < 1e-15);
    assert_eq!(v["columns"].as_array().unwrap().len(), 21);
    assert!(
        rows[0].get("LNC").is_none(),
        "no structure columns for formulas"
    );
}

#[test]
fn structure_file_gives_all_43_columns() {
    let p = lif_poscar();
    let v = json(&[
        "--json",
        "featurize",
        p.to_str().unwrap(),
        "--temperature",
        "1000",
    ]);
    let r = &v["rows"][0];
    assert_eq!(r["formula"], "LiF");
    assert_eq!(r["temperature"], 1000.0);
    assert_eq!(r["source"], p.to_str().unwrap());
    assert_eq!(r["LNC"], 26.0);
    assert_eq!(r["LLB"], 12.0);
    assert_eq!(r["Li_percentage"], 0.5);
    assert_eq!(v["columns"].as_array().unwrap().len(), 43);
    // Sendek's anion is F: Li–F distance a/2.
    let s = json(&[
        "--json",
        "featurize",
        p.to_str().unwrap(),
        "--convention",
        "sendek",
    ]);
    assert!((s["rows"][0]["LASD"].as_f64().unwrap() - 2.015).abs() < 1e-9);
    // CSV text output, and the same table written with -o.
    let out_csv = tmp("lif.csv");
    let out = amorph(&[
        "featurize",
        p.to_str().unwrap(),
        "--csv",
        "-o",
        out_csv.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("formula,source,AAV,LBI,"), "{header}");
    assert_eq!(text.lines().count(), 2);
    assert_eq!(
        std::fs::read_to_string(out_csv).unwrap().trim_end(),
        text.trim_end()
    );
}

#[test]
fn bad_input_fails_with_one_line_naming_it() {
    for (args, needle) in [
        (vec!["featurize", "--formula", "LiXx2"], "LiXx2"),
        (vec!["featurize", "/no/such/POSCAR"], "/no/such/POSCAR"),
        (
            vec!["featurize", "--formula", "Li2O", "--cutoff=-1"],
            "cutoff",
        ),
    ] {
        let out = amorph(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
    }
    // Neither files nor formulas.
    assert!(!amorph(&["featurize"]).status.success());
}
