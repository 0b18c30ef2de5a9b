//! The paper's own split and settings (data: `shared/data/paper_ml`, see its README).

use amorph_ml::*;
use ndarray::{Array1, Array2, Axis};

const TABLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/paper_ml/feature_target.dat"
);
const TEST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/paper_ml/test_ordered.dat"
);
const TARGET: &str = "diff_coeff_mul_thousand";

struct Data {
    names: Vec<String>,
    xtr: Array2<f64>,
    ytr: Array1<f64>,
    xte: Array2<f64>,
    yte: Vec<f64>,
}

fn paper_split() -> Data {
    let t = Table::read(TABLE.as_ref()).unwrap();
    let names = t.feature_names(TARGET).unwrap();
    assert_eq!(names.len(), 43, "temperature + 42 descriptors");
    let x = t.matrix(&names).unwrap();
    let y = t.column(TARGET).unwrap();
    let test_ids = Table::read(TEST.as_ref())
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

#[test]
fn random_forest_paper_split() {
    let d = paper_split();
    let mut rf = RandomForestRegressor::new(ForestParams {
        n_estimators: 100,
        seed: 62,
        ..Default::default()
    });
    let t0 = std::time::Instant::now();
    rf.fit(d.xtr.view(), d.ytr.view()).unwrap();
    let p = rf.predict(d.xte.view()).unwrap();
    let s = Scores::new(&d.yte, p.as_slice().unwrap()).unwrap();
    eprintln!("RF test {s:?} in {:?}", t0.elapsed());
    let cv = cross_validate(&rf, d.xtr.view(), d.ytr.view(), 5, 62).unwrap();
    eprintln!("RF cv rmse {} ± {}", cv.rmse_mean, cv.rmse_sd);
    let imp = rf.importances().unwrap();
    let mut order: Vec<usize> = (0..imp.len()).collect();
    order.sort_by(|&a, &b| imp[b].total_cmp(&imp[a]));
    for &k in &order[..5] {
        eprintln!("  {} {:.3}", d.names[k], imp[k]);
    }
    assert!(s.r2 >= 0.95, "RF test R² {}", s.r2);
}

#[test]
fn boosting_paper_split() {
    let d = paper_split();
    for method in [TreeMethod::Hist, TreeMethod::Exact] {
        let mut g = GradientBoostingRegressor::new(BoostParams {
            tree_method: method,
            ..BoostParams::paper()
        });
        let t0 = std::time::Instant::now();
        g.fit(d.xtr.view(), d.ytr.view()).unwrap();
        let p = g.predict(d.xte.view()).unwrap();
        let s = Scores::new(&d.yte, p.as_slice().unwrap()).unwrap();
        eprintln!("GBT {method:?} test {s:?} in {:?}", t0.elapsed());
    }
}
