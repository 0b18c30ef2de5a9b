//! Model files written by `amorph train` before training became "checked parameters → fitted
//! model" still load, predict bit for bit what the binary that wrote them predicted, and
//! serialise back to the same bytes.
//!
//! `tests/fixtures/saved_models/` was written by amorph 0.1.0 at commit `add03d3` (the last
//! version with `Regressor::fit(&mut self)`) on the paper's table, with
//! `--target diff_coeff_mul_thousand --test-rows test_ordered.dat --cv 0 --seed 62` and
//! `rf --trees 3 --max-depth 4`, `gbt --trees 5 --max-depth 3`,
//! `gbt --method exact --trees 3 --max-depth 3`, `tree --max-depth 4`, `ols`,
//! `ridge --ridge-alpha 0.5`; `predictions.json` holds that binary's `amorph predict --json`
//! predictions of `test_ordered.dat`. They are frozen on purpose: no script regenerates them.

use amorph_ml::*;
use serde_json::Value;
use std::path::PathBuf;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/paper_ml/");

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/saved_models/"
    ))
    .join(name)
}

#[test]
fn tree_models_saved_before_the_new_api_predict_the_same() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("predictions.json")).unwrap())
            .unwrap();
    let table = Table::read(format!("{DATA}test_ordered.dat").as_ref()).unwrap();
    for (name, kind) in [
        ("rf", "random_forest"),
        ("gbt", "gradient_boosting"),
        ("gbt_exact", "gradient_boosting"),
        ("tree", "decision_tree"),
    ] {
        let path = fixture(&format!("{name}.json"));
        let model = TrainedModel::load(&path).unwrap();
        assert_eq!(model.features.len(), 43, "{name}");
        let p = predict_table(&model, &table).unwrap();
        let want: Vec<f64> = serde_json::from_value(expected[name].clone()).unwrap();
        assert_eq!(p.predictions, want, "{name}: predictions differ");
        // The same bytes back, and the kind tag where it was.
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(serde_json::to_string(&model).unwrap(), text, "{name}");
        assert!(
            text.starts_with(&format!("{{\"model\":{{\"kind\":\"{kind}\"")),
            "{name}"
        );
    }
}

/// amorph 0.1.0 wrote linear models with `"kind"` twice (the model's tag and the method), which
/// no version could read back. They load now, predict `x·coef + intercept` with their own
/// coefficients, and save in the current form (`"method"`), which reads back equal.
#[test]
fn linear_models_of_the_first_version_load() {
    let table = Table::read(format!("{DATA}test_ordered.dat").as_ref()).unwrap();
    for (name, method) in [("ols", "\"Ols\""), ("ridge", "{\"Ridge\":{\"alpha\":0.5}}")] {
        let text = std::fs::read_to_string(fixture(&format!("{name}.json"))).unwrap();
        assert!(
            text.contains(&format!("\"kind\":\"linear\",\"kind\":{method}")),
            "{name}"
        );
        let model = TrainedModel::from_json(text.as_bytes(), name).unwrap();
        let Model::Linear(linear) = &model.model else {
            panic!("{name}: not a linear model");
        };
        let p = predict_table(&model, &table).unwrap();
        let x = table.matrix(&model.features).unwrap();
        for (row, got) in x.rows().into_iter().zip(&p.predictions) {
            let want = row
                .iter()
                .zip(linear.coef())
                .map(|(a, b)| a * b)
                .sum::<f64>()
                + linear.intercept();
            assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{name}");
        }
        let saved = serde_json::to_string(&model).unwrap();
        assert!(
            saved.contains(&format!("\"kind\":\"linear\",\"method\":{method}")),
            "{saved}"
        );
        assert_eq!(
            TrainedModel::from_json(saved.as_bytes(), name).unwrap(),
            model
        );
    }
}
