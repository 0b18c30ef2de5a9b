//! Parity with scikit-learn 1.9.1 and XGBoost 3.2.0 on a small synthetic dataset and on the
//! paper's split. Fixtures: `tests/fixtures/{small,paper}_peers.json`, written by
//! `scripts/fixtures/ml_peers.py` (the versions are recorded inside each fixture).

use amorph_ml::*;
use ndarray::{Array1, Array2, Axis};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    Array2::from_shape_fn((rows.len(), rows[0].len()), |(i, j)| rows[i][j])
}

fn vector(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// A fully grown tree has scikit-learn's depth, leaf count and (pure-leaf) training
/// predictions. Which feature wins a tie (e.g. two rows that any feature separates) depends on
/// each library's random feature order, so predictions on unseen points are compared on a
/// one-feature problem, where there are no such ties: they agree to 1e-12.
#[test]
fn deep_tree_matches_sklearn() {
    let f = fixture("small_peers.json");
    let (x, y, xq) = (
        matrix(&f["x"]),
        Array1::from(vector(&f["y"])),
        matrix(&f["x_query"]),
    );
    let t = TreeParams::default().fit(x.view(), y.view()).unwrap();
    let tree = t.tree();
    assert_eq!(tree.depth() as u64, f["tree"]["depth"].as_u64().unwrap());
    assert_eq!(
        tree.n_leaves() as u64,
        f["tree"]["n_leaves"].as_u64().unwrap()
    );
    let pt = t.predict(x.view()).unwrap();
    assert!(max_abs_diff(pt.as_slice().unwrap(), &vector(&f["tree"]["pred_train"])) < 1e-12);

    let x1 = x.slice(ndarray::s![.., ..1]);
    let q1 = xq.slice(ndarray::s![.., ..1]);
    let t1 = TreeParams::default().fit(x1, y.view()).unwrap();
    let r = &f["tree_1d"];
    assert_eq!(t1.tree().depth() as u64, r["depth"].as_u64().unwrap());
    assert_eq!(t1.tree().n_leaves() as u64, r["n_leaves"].as_u64().unwrap());
    let d = max_abs_diff(
        t1.predict(q1).unwrap().as_slice().unwrap(),
        &vector(&r["pred_query"]),
    );
    assert!(d < 1e-12, "max |Δ| = {d}");
}

/// Depth and leaf-size limits and impurity importances as scikit-learn (tolerance 1e-12).
#[test]
fn limited_tree_matches_sklearn() {
    let f = fixture("small_peers.json");
    let (x, y, xq) = (
        matrix(&f["x"]),
        Array1::from(vector(&f["y"])),
        matrix(&f["x_query"]),
    );
    let t = TreeParams {
        max_depth: Some(4),
        min_samples_leaf: 3,
        ..Default::default()
    }
    .fit(x.view(), y.view())
    .unwrap();
    let pq = t.predict(xq.view()).unwrap();
    let r = &f["tree_depth4_leaf3"];
    assert!(max_abs_diff(pq.as_slice().unwrap(), &vector(&r["pred_query"])) < 1e-12);
    assert!(max_abs_diff(&t.importances().unwrap(), &vector(&r["importances"])) < 1e-12);
}

fn boost_params(p: &Value, method: TreeMethod) -> BoostParams {
    BoostParams {
        n_estimators: p["n_estimators"].as_u64().unwrap() as usize,
        max_depth: p["max_depth"].as_u64().unwrap() as usize,
        learning_rate: p["learning_rate"].as_f64().unwrap(),
        reg_lambda: p["reg_lambda"].as_f64().unwrap(),
        reg_alpha: p["reg_alpha"].as_f64().unwrap(),
        gamma: p["gamma"].as_f64().unwrap(),
        min_child_weight: p["min_child_weight"].as_f64().unwrap(),
        max_bin: p["max_bin"].as_u64().unwrap_or(256) as usize,
        tree_method: method,
        ..BoostParams::default()
    }
}

/// Exact-method boosting (20 rounds, depth 3, λ 1, α 0.5, γ 0.2, min_child_weight 2) matches
/// XGBoost's predictions to 1e-5 (XGBoost works in f32).
#[test]
fn exact_boosting_matches_xgboost() {
    let f = fixture("small_peers.json");
    let (x, y, xq) = (
        matrix(&f["x"]),
        Array1::from(vector(&f["y"])),
        matrix(&f["x_query"]),
    );
    let r = &f["xgb_exact"];
    let g = boost_params(&r["params"], TreeMethod::Exact)
        .fit(x.view(), y.view())
        .unwrap();
    let d = max_abs_diff(
        g.predict(xq.view()).unwrap().as_slice().unwrap(),
        &vector(&r["pred_query"]),
    );
    assert!(d < 1e-5, "query max |Δ| = {d}");
    let d = max_abs_diff(
        g.predict(x.view()).unwrap().as_slice().unwrap(),
        &vector(&r["pred_train"]),
    );
    assert!(d < 1e-5, "train max |Δ| = {d}");
}

/// Histogram boosting with 16 bins on 80 rows (cuts from the weighted quantile summary) matches
/// XGBoost to 1e-5.
#[test]
fn hist_boosting_matches_xgboost_small() {
    let f = fixture("small_peers.json");
    let (x, y, xq) = (
        matrix(&f["x"]),
        Array1::from(vector(&f["y"])),
        matrix(&f["x_query"]),
    );
    let r = &f["xgb_hist16"];
    let g = boost_params(&r["params"], TreeMethod::Hist)
        .fit(x.view(), y.view())
        .unwrap();
    let d = max_abs_diff(
        g.predict(xq.view()).unwrap().as_slice().unwrap(),
        &vector(&r["pred_query"]),
    );
    assert!(d < 1e-5, "query max |Δ| = {d}");
}

fn paper_train() -> (Table, Vec<usize>, Vec<usize>) {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/paper_ml/");
    let t = Table::read(format!("{base}feature_target.dat").as_ref()).unwrap();
    let ids = Table::read(format!("{base}test_ordered.dat").as_ref())
        .unwrap()
        .text_column("index")
        .unwrap();
    let s = split_by_ids(&t.row_ids(), &ids).unwrap();
    (t, s.train, s.test)
}

/// Our hist cut points equal XGBoost's (`QuantileDMatrix.get_quantile_cut`) on the paper's
/// training rows, feature by feature, exactly (f32).
#[test]
fn hist_cuts_match_xgboost_on_paper_data() {
    let f = fixture("paper_peers.json");
    let (t, train, _) = paper_train();
    let names: Vec<String> = serde_json::from_value(f["features"].clone()).unwrap();
    let x = t.matrix(&names).unwrap().select(Axis(0), &train);
    let ours = GradientBoostingRegressor::hist_cut_points(x.view(), 256).unwrap();
    for (j, name) in names.iter().enumerate() {
        let theirs: Vec<f32> = vector(&f["hist_cuts"][j])
            .iter()
            .map(|&v| v as f32)
            .collect();
        assert_eq!(ours[j], theirs, "cuts of {name}");
    }
}

/// With the paper's settings, hist boosting predicts the 119 test rows as XGBoost does (1e-5).
#[test]
fn paper_hist_predictions_match_xgboost() {
    let f = fixture("paper_peers.json");
    let (t, train, test) = paper_train();
    let names: Vec<String> = serde_json::from_value(f["features"].clone()).unwrap();
    let x = t.matrix(&names).unwrap();
    let y = t.column("diff_coeff_mul_thousand").unwrap();
    let g = BoostParams::paper()
        .fit(
            x.select(Axis(0), &train).view(),
            y.select(Axis(0), &train).view(),
        )
        .unwrap();
    let p = g.predict(x.select(Axis(0), &test).view()).unwrap();
    let d = max_abs_diff(
        p.as_slice().unwrap(),
        &vector(&f["xgb_hist"]["test_predictions"]),
    );
    assert!(d < 1e-5, "max |Δ| = {d}");
}
