//! Model files that crashed `amorph predict` under `cargo fuzz` (target `ml_model`, see
//! `fuzz/README.md`), kept as regression tests: each file under
//! `tests/fuzz_regressions/ml_model/` must be refused by `TrainedModel::from_json` with an
//! [`MlError::BadModel`] naming it, before any prediction can index out of a tree.

use amorph_ml::{MlError, Table, TrainedModel, predict_table};

/// The files of `tests/fuzz_regressions/<target>/` as (file name, bytes).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    amorph_testkit::fuzz_regression_inputs(env!("CARGO_MANIFEST_DIR"), target)
}

#[test]
fn model_files_that_crashed_predict() {
    let all = inputs("ml_model");
    assert!(!all.is_empty());
    for (name, bytes) in all {
        let e = TrainedModel::from_json(&bytes, &name).unwrap_err();
        assert!(matches!(e, MlError::BadModel { .. }), "{name}: {e}");
        assert!(e.to_string().contains(&name), "{name}: {e}");
    }
}

/// A tree whose split points outside the node array (the first crash), a cycle (which used
/// to loop for ever), a split on a feature the model does not have, and a feature list that
/// does not match the model: all refused on load; the intact model still predicts.
#[test]
fn broken_trees_are_refused_on_load() {
    let leaf = r#"{"feature":4294967295,"threshold":0.0,"left":0,"right":0,"value":1.5,"impurity":0.0,"weight":1.0,"n_samples":1}"#;
    let split = |f: u32, l: u32, r: u32| {
        format!(
            r#"{{"feature":{f},"threshold":0.5,"left":{l},"right":{r},"value":1.0,"impurity":1.0,"weight":2.0,"n_samples":2}}"#
        )
    };
    let model = |nodes: &[String], features: &str| {
        format!(
            r#"{{"model":{{"kind":"decision_tree","params":{{"max_depth":null,"min_samples_split":2,"min_samples_leaf":1,"max_features":"All","seed":0}},"tree":{{"nodes":[{}],"n_features":2}}}},"features":{features},"target":"y"}}"#,
            nodes.join(",")
        )
    };
    let ok = model(&[split(1, 1, 2), leaf.into(), leaf.into()], r#"["a","b"]"#);
    let m = TrainedModel::from_json(ok.as_bytes(), "ok.json").unwrap();
    let table = Table::parse("id a b\n0 0.1 0.2\n1 0.9 0.9\n", "t").unwrap();
    assert_eq!(
        predict_table(&m, &table).unwrap().predictions,
        vec![1.5, 1.5]
    );
    for (what, text) in [
        (
            "out of range",
            model(&[split(0, 1, 7), leaf.into()], r#"["a","b"]"#),
        ),
        (
            "cycle",
            model(&[split(0, 0, 1), leaf.into()], r#"["a","b"]"#),
        ),
        (
            "feature",
            model(&[split(5, 1, 2), leaf.into(), leaf.into()], r#"["a","b"]"#),
        ),
        ("no nodes", model(&[], r#"["a","b"]"#)),
        (
            "names",
            model(&[split(1, 1, 2), leaf.into(), leaf.into()], r#"["a"]"#),
        ),
    ] {
        let e = TrainedModel::from_json(text.as_bytes(), "bad.json").unwrap_err();
        assert!(
            matches!(e, MlError::BadModel { .. }) && e.to_string().starts_with("model bad.json: "),
            "{what}: {e}"
        );
    }
}
