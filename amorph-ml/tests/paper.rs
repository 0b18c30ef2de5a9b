//! The paper's own split and settings (data: `shared/data/paper_ml`, see its README), with
//! scikit-learn 1.9.1 / XGBoost 3.2.0 results from `tests/fixtures/paper_peers.json`
//! (written by `scripts/fixtures/ml_peers.py`).

use amorph_ml::*;
use ndarray::{Array1, Array2, Axis};
use serde_json::Value;

const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/paper_ml/");
const TARGET: &str = "diff_coeff_mul_thousand";

struct Data {
    names: Vec<String>,
    xtr: Array2<f64>,
    ytr: Array1<f64>,
    xte: Array2<f64>,
    yte: Vec<f64>,
}

fn peers() -> Value {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/paper_peers.json"
    );
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn paper_split() -> Data {
    let t = Table::read(format!("{BASE}feature_target.dat").as_ref()).unwrap();
    let names = t.feature_names(TARGET).unwrap();
    assert_eq!(names.len(), 43, "temperature + 42 descriptors");
    assert_eq!(t.text_columns(), ["formula"]);
    let x = t.matrix(&names).unwrap();
    let y = t.column(TARGET).unwrap();
    let test_ids = Table::read(format!("{BASE}test_ordered.dat").as_ref())
        .unwrap()
        .text_column("index")
        .unwrap();
    let s = split_by_ids(&t.row_ids(), &test_ids).unwrap();
    assert_eq!((s.train.len(), s.test.len()), (673, 119));
    Data {
        names,
        xtr: x.select(Axis(0), &s.train),
        ytr: y.select(Axis(0), &s.train),
        xte: x.select(Axis(0), &s.test),
        yte: s.test.iter().map(|&i| y[i]).collect(),
    }
}

fn test_scores<R: Regressor>(m: &R, d: &Data) -> Scores {
    let p = m.predict(d.xte.view()).unwrap();
    Scores::new(&d.yte, p.as_slice().unwrap()).unwrap()
}

fn top(imp: &[f64], names: &[String], k: usize) -> Vec<String> {
    let mut order: Vec<usize> = (0..imp.len()).collect();
    order.sort_by(|&a, &b| imp[b].total_cmp(&imp[a]));
    order[..k].iter().map(|&j| names[j].clone()).collect()
}

/// Random forest, 100 trees (paper: test R² 0.955, RMSE 0.119; sklearn on this split 0.9547).
/// Bit parity with sklearn's RNG is impossible, so the checks are statistical: R² ≥ 0.95, RMSE
/// and 5-fold CV RMSE within 0.015 of sklearn's, temperature and AAV the top importances.
#[test]
fn random_forest_paper_split() {
    let d = paper_split();
    let peer = &peers()["rf"];
    let params = ForestParams {
        n_estimators: 100,
        seed: 62,
        ..Default::default()
    };
    let rf = params.fit(d.xtr.view(), d.ytr.view()).unwrap();
    let s = test_scores(&rf, &d);
    let cv = cross_validate(&params, d.xtr.view(), d.ytr.view(), 5, 62).unwrap();
    eprintln!(
        "RF test {s:?}; 5-fold CV RMSE {:.4} ± {:.4}",
        cv.rmse_mean, cv.rmse_sd
    );
    assert!(s.r2 >= 0.95, "RF test R² {}", s.r2);
    assert!((s.rmse - peer["test"]["rmse"].as_f64().unwrap()).abs() < 0.015);
    assert!((cv.rmse_mean - peer["cv_rmse_mean"].as_f64().unwrap()).abs() < 0.015);
    let imp = rf.importances().unwrap();
    assert_eq!(top(&imp, &d.names, 2), ["temperature", "AAV"]);
}

/// Gradient boosting with the paper's settings (100 trees, depth 4, η 0.1, α 0.8): hist gives
/// XGBoost's test R² 0.97079 / RMSE 0.09595 (to 1e-6), exact gives XGBoost-exact's 0.96578;
/// 5-fold CV RMSE is reported and sits within 0.01 of XGBoost's (different fold shuffles).
#[test]
fn boosting_paper_split() {
    let d = paper_split();
    let peers = peers();
    for (method, key) in [
        (TreeMethod::Hist, "xgb_hist"),
        (TreeMethod::Exact, "xgb_exact"),
    ] {
        let peer = &peers[key];
        let params = BoostParams {
            tree_method: method,
            ..BoostParams::paper()
        };
        let g = params.fit(d.xtr.view(), d.ytr.view()).unwrap();
        let s = test_scores(&g, &d);
        let cv = cross_validate(&params, d.xtr.view(), d.ytr.view(), 5, 62).unwrap();
        eprintln!(
            "GBT {method:?} test {s:?}; 5-fold CV RMSE {:.4} ± {:.4}",
            cv.rmse_mean, cv.rmse_sd
        );
        assert!((s.r2 - peer["test"]["r2"].as_f64().unwrap()).abs() < 1e-6);
        assert!((s.rmse - peer["test"]["rmse"].as_f64().unwrap()).abs() < 1e-6);
        assert!((cv.rmse_mean - peer["cv_rmse_mean"].as_f64().unwrap()).abs() < 0.01);
        if method == TreeMethod::Hist {
            assert!(s.r2 >= 0.97, "GBT hist test R² {}", s.r2);
        }
    }
}

/// Pearson correlation with the target vs the paper's Table 1. Table 1 was computed on the
/// 5000 K AIMD data, this table holds 1000–2500 K, so only the sign pattern can be compared:
/// every feature with |r| ≥ 0.4 in Table 1 has the same sign here, and 33 of the 38 features
/// that map to a column agree overall (the five that differ are all weak in Table 1 or here:
/// m̄ −0.32 → +0.05, B̄ without Li −0.28 → +0.10, SBI +0.26 → −0.19, R̄ ratio −0.04 and the
/// B-synthetic without Li −0.01 → positive). Our values also equal numpy's to 1e-12.
#[test]
fn pearson_sign_pattern_matches_table_1() {
    // (column, Table 1 value)
    let table1: [(&str, f64); 38] = [
        ("avg_Ecoh_with_Li", -0.81),
        ("SPF", -0.76),
        ("LNC", -0.64),
        ("avg_B_with_Li", -0.64),
        ("avg_X_with_Li", -0.64),
        ("SNC", -0.63),
        ("LBI", -0.61),
        ("AFC", -0.54),
        ("avg_Echo_wiout_Li", -0.53),
        ("SLPE", -0.51),
        ("PF", -0.46),
        ("SDLI", -0.34),
        ("avg_m_with_Li", -0.32),
        ("avg_G_with_Li", -0.29),
        ("ENS", -0.29),
        ("avg_X_wiout_Li", -0.29),
        ("avg_B_wiout_Li", -0.28),
        ("LLSD", -0.27),
        ("RBI", -0.24),
        ("avg_G_wiout_Li", -0.10),
        ("SDLC", -0.08),
        ("ratio_r_without_Li_with", -0.04),
        ("BR5_M_without_Li", -0.01),
        ("Li_percentage", 0.77),
        ("SLPW_pp", 0.59),
        ("AAV", 0.58),
        ("atomic_radius_avg", 0.56),
        ("avg_diff_of_X_Li_rest", 0.54),
        ("LLB", 0.49),
        ("LASD", 0.49),
        ("SLPW", 0.48),
        ("VPA", 0.44),
        ("AASD", 0.36),
        ("atomic_radius_avg_exclude_Li", 0.35),
        ("ER2_m_with_Li", 0.29),
        ("SBI", 0.26),
        ("avg_m_wiout_Li", 0.21),
        ("BR5_M_with_Li", 0.18),
    ];
    let t = Table::read(format!("{BASE}feature_target.dat").as_ref()).unwrap();
    let names = t.feature_names(TARGET).unwrap();
    let r = correlation_table(
        t.matrix(&names).unwrap().view(),
        t.column(TARGET).unwrap().view(),
    )
    .unwrap();
    let peer = peers();
    for (j, n) in names.iter().enumerate() {
        assert!(
            (r[j] - peer["pearson"][n].as_f64().unwrap()).abs() < 1e-12,
            "{n}"
        );
    }
    let ours = |c: &str| r[names.iter().position(|n| n == c).unwrap()];
    let mut agree = 0;
    for (c, paper) in table1 {
        let same = ours(c).signum() == paper.signum();
        if paper.abs() >= 0.4 {
            assert!(same, "{c}: Table 1 {paper}, here {}", ours(c));
        }
        agree += usize::from(same);
    }
    assert!(agree >= 33, "{agree} of 38 signs agree");
    // Temperature (not in Table 1, which is at one temperature) dominates here.
    assert!(ours("temperature") > 0.7);
}
