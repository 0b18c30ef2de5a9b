//! `amorph sisso` end to end: the paper's rung-0 series, held-out rows, a separate test
//! table, a small rung-2 run, and loud config errors.

use std::process::Command;

const TRAIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/paper_ml/train_target_lnD_kbT.dat"
);
const TEST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/paper_ml/test_target_lnD_kbT.dat"
);
const SMALL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/amorph-sisso/tests/fixtures/sisso_torchsisso_data.csv"
);

fn amorph(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_amorph"))
        .args(args)
        .output()
        .expect("run amorph");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let (ok, out, err) = amorph(args);
    assert!(ok, "amorph {args:?} failed: {err}");
    serde_json::from_str(&out).expect("one JSON object")
}

#[test]
fn paper_rung0_series_via_cli() {
    let v = json(&[
        "sisso",
        TRAIN,
        "--target",
        "lnD",
        "--ops",
        "",
        "--max-dim",
        "6",
        "--json",
    ]);
    let want = [0.747078, 0.493402, 0.397359, 0.364538, 0.357534, 0.352659];
    let dims = v["dims"].as_array().unwrap();
    assert_eq!(dims.len(), 6);
    for (d, w) in dims.iter().zip(want) {
        let r = d["train_rmse"].as_f64().unwrap();
        assert!((r - w).abs() < 1e-5, "dim {}: {r} vs {w}", d["dim"]);
        assert!(d.get("test_rmse").is_none());
    }
    let d3 = &dims[2];
    assert_eq!(d3["dim"], 3);
    let feats: Vec<&str> = d3["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let coefs: Vec<f64> = d3["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_f64().unwrap())
        .collect();
    for (name, c) in [
        ("inverse_kbT", -0.33899),
        ("LNC", -0.082215),
        ("Li_percentage", 1.33050),
    ] {
        let k = feats
            .iter()
            .position(|f| *f == name)
            .unwrap_or_else(|| panic!("{name} not in {feats:?}"));
        assert!((coefs[k] - c).abs() < 5e-6, "{name}: {}", coefs[k]);
    }
    assert!((d3["intercept"].as_f64().unwrap() + 4.66217).abs() < 5e-5);
    assert!(d3["equation"].as_str().unwrap().starts_with("lnD = "));
    assert!(
        d3["latex"]
            .as_str()
            .unwrap()
            .contains("\\mathrm{Li\\_percentage}")
    );
}

#[test]
fn held_out_rows_and_separate_test_table() {
    let v = json(&[
        "sisso",
        TRAIN,
        "--target",
        "lnD",
        "--ops",
        "",
        "--max-dim",
        "3",
        "--test-rows",
        TEST,
        "--json",
    ]);
    assert_eq!(v["n_train"], 673);
    assert_eq!(v["n_test"], 119);
    let dims = v["dims"].as_array().unwrap();
    let test: Vec<f64> = dims
        .iter()
        .map(|d| d["test_rmse"].as_f64().unwrap())
        .collect();
    // Linear models of ln D: test RMSE falls with the first three terms.
    assert!(
        test[0] > test[1] && test[1] > test[2] && test[2] > 0.2,
        "{test:?}"
    );
    assert_eq!(v["selection"], "test");
    assert_eq!(v["selected_dim"], 3);
    // The same file as a separate test table (its rows are also in the training file).
    let w = json(&[
        "sisso",
        TRAIN,
        "--target",
        "lnD",
        "--ops",
        "",
        "--max-dim",
        "2",
        "--test",
        TEST,
        "--json",
    ]);
    assert_eq!(w["n_train"], 792);
    assert_eq!(w["n_test"], 119);
    let t1 = w["dims"][0]["test_rmse"].as_f64().unwrap();
    assert!(t1 > 0.3 && t1 < 1.0, "{t1}");
}

#[test]
fn small_rung2_run_finds_the_descriptor() {
    let v = json(&[
        "sisso",
        SMALL,
        "--target",
        "y",
        "--rung",
        "2",
        "--ops",
        "(+)(-)(*)(/)",
        "--max-dim",
        "1",
        "--subspace",
        "5",
        "--json",
    ]);
    assert_eq!(v["dims"][0]["features"][0], "(x1/(x2+x3))");
    assert!(v["dims"][0]["train_rmse"].as_f64().unwrap() < 0.011);
    let (ok, text, _) = amorph(&[
        "sisso",
        SMALL,
        "--target",
        "y",
        "--rung",
        "1",
        "--ops",
        "+,*",
        "--max-dim",
        "2",
        "--cv",
        "3",
    ]);
    assert!(ok);
    assert!(
        text.contains("1D") && text.contains("selected by 3-fold CV"),
        "{text}"
    );
}

#[test]
fn errors_are_one_line_and_name_the_input() {
    let dir = std::env::temp_dir().join(format!("amorph-cli-sisso-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("bad.toml");
    std::fs::write(
        &cfg,
        "target = \"y\"\nopset = \"(+)\"\nsubs_sis = 5\nnf_sis_typo = 3\n",
    )
    .unwrap();
    let (ok, _, err) = amorph(&["sisso", SMALL, "--config", cfg.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("nf_sis_typo") && err.contains("bad.toml"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let (ok, _, err) = amorph(&["sisso", SMALL, "--target", "nope"]);
    assert!(!ok && err.contains("nope"), "{err}");
    let (ok, _, err) = amorph(&["sisso", SMALL, "--target", "y", "--ops", "(+)(pow)"]);
    assert!(!ok && err.contains("pow"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
