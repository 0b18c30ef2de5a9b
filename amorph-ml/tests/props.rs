//! Property tests of the tree models' invariants, and typed errors on bad input.

use amorph_ml::*;
use ndarray::{Array1, Array2};
use proptest::prelude::*;

fn data(rows: &[(f64, f64, f64)]) -> Array2<f64> {
    Array2::from_shape_fn((rows.len(), 3), |(i, j)| match j {
        0 => rows[i].0,
        1 => rows[i].1,
        _ => rows[i].2,
    })
}

fn rows(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    prop::collection::vec((-100.0..100.0f64, -1.0..1.0f64, 0.0..5.0f64), n)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A stump (depth 1) recovers a one-step function of any feature exactly, and a fully grown
    /// tree fits any function of distinct feature values exactly.
    #[test]
    fn tree_fits_step_function(r in rows(4..60), cut in -50.0..50.0f64, lo in -5.0..5.0f64,
                               hi in 5.5..10.0f64, feature in 0usize..3) {
        let x = data(&r);
        let c = match feature { 0 => cut, 1 => cut / 100.0, _ => 2.5 + cut / 20.0 };
        let y: Array1<f64> = x.column(feature).iter().map(|&v| if v <= c { lo } else { hi }).collect();
        let stump = TreeParams { max_depth: Some(1), ..Default::default() }.fit(x.view(), y.view()).unwrap();
        // Exact up to the rounding of a mean of equal values.
        let close = |a: &Array1<f64>, b: &Array1<f64>| a.iter().zip(b).all(|(u, v)| (u - v).abs() <= 1e-12 * v.abs().max(1.0));
        prop_assert!(close(&stump.predict(x.view()).unwrap(), &y));
        let y2: Array1<f64> = x.column(0).iter().map(|&v| (v * 0.1).sin()).collect();
        let deep = TreeParams::default().fit(x.view(), y2.view()).unwrap();
        let distinct = {
            let mut v: Vec<f64> = x.column(0).to_vec();
            v.sort_by(f64::total_cmp);
            v.windows(2).all(|w| w[1] - w[0] > 1e-7)
        };
        if distinct {
            prop_assert!(close(&deep.predict(x.view()).unwrap(), &y2));
        }
    }

    /// Forest predictions (means of leaf means) stay within the training target range, anywhere.
    #[test]
    fn forest_predictions_within_target_range(r in rows(5..50), q in rows(1..20), seed in 0u64..1000) {
        let x = data(&r);
        let y: Array1<f64> = r.iter().map(|t| t.0 * t.1 + t.2).collect();
        let f = ForestParams { n_estimators: 10, seed, ..Default::default() }.fit(x.view(), y.view()).unwrap();
        let (lo, hi) = y.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        for p in f.predict(data(&q).view()).unwrap() {
            prop_assert!(p >= lo - 1e-9 && p <= hi + 1e-9, "{p} outside [{lo}, {hi}]");
        }
    }

    /// Impurity and gain importances are non-negative and sum to 1 whenever a split was made.
    #[test]
    fn importances_sum_to_one(r in rows(8..50), seed in 0u64..1000) {
        let x = data(&r);
        let y: Array1<f64> = r.iter().map(|t| t.0 + 10.0 * t.1).collect();
        let params: Vec<ModelParams> = vec![
            TreeParams { seed, ..Default::default() }.into(),
            ForestParams { n_estimators: 8, seed, ..Default::default() }.into(),
            BoostParams { n_estimators: 5, min_child_weight: 0.0, seed, ..Default::default() }.into(),
            BoostParams { n_estimators: 5, min_child_weight: 0.0, tree_method: TreeMethod::Exact, ..Default::default() }.into(),
        ];
        for p in &params {
            let m = p.fit(x.view(), y.view()).unwrap();
            let imp = m.importances().unwrap();
            prop_assert_eq!(imp.len(), 3);
            prop_assert!(imp.iter().all(|&v| v >= 0.0));
            prop_assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{:?}", imp);
        }
    }

    /// The same seed gives the identical model (bootstrap, feature order, row and column
    /// sampling); the model survives a JSON round trip unchanged.
    #[test]
    fn fixed_seed_identical_model(r in rows(10..40), seed in 0u64..1_000_000) {
        let x = data(&r);
        let y: Array1<f64> = r.iter().map(|t| t.0 - t.2).collect();
        let fp = ForestParams { n_estimators: 6, max_features: MaxFeatures::Count(2), seed, ..Default::default() };
        let a = fp.fit(x.view(), y.view()).unwrap();
        let b = fp.fit(x.view(), y.view()).unwrap();
        prop_assert_eq!(&a, &b);
        let bp = BoostParams { n_estimators: 6, subsample: 0.7, colsample_bytree: 0.6, seed, ..Default::default() };
        let g = bp.fit(x.view(), y.view()).unwrap();
        let h = bp.fit(x.view(), y.view()).unwrap();
        prop_assert_eq!(&g, &h);
        let m = Model::RandomForest(a);
        let back: Model = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        prop_assert_eq!(back.predict(x.view()).unwrap(), m.predict(x.view()).unwrap());
    }
}

#[test]
fn different_seeds_give_different_forests() {
    let r: Vec<(f64, f64, f64)> = (0..40)
        .map(|i| (i as f64, ((i * 7) % 11) as f64, (i % 3) as f64))
        .collect();
    let x = data(&r);
    let y: Array1<f64> = r.iter().map(|t| t.0 + t.1).collect();
    let fit = |seed| {
        ForestParams {
            n_estimators: 4,
            seed,
            ..Default::default()
        }
        .fit(x.view(), y.view())
        .unwrap()
    };
    assert_ne!(fit(1), fit(2));
}

fn all_params() -> Vec<ModelParams> {
    vec![
        TreeParams::default().into(),
        ForestParams {
            n_estimators: 3,
            ..Default::default()
        }
        .into(),
        BoostParams {
            n_estimators: 3,
            ..Default::default()
        }
        .into(),
        LinearParams::Ols.into(),
        LinearParams::Ridge { alpha: 1.0 }.into(),
    ]
}

#[test]
fn bad_input_gives_typed_errors() {
    let x = Array2::from_shape_fn((6, 2), |(i, j)| (i * 2 + j) as f64 + (i * i) as f64 * 0.1);
    let y = Array1::from(vec![1.0, 2.0, 3.0, 4.0, 5.0, 7.0]);
    for p in all_params() {
        let mut xn = x.clone();
        xn[[3, 1]] = f64::NAN;
        assert!(matches!(
            p.fit(xn.view(), y.view()),
            Err(MlError::NonFinite {
                what: "features",
                row: 3,
                column: 1,
                ..
            })
        ));
        let mut yi = y.clone();
        yi[2] = f64::INFINITY;
        assert!(matches!(
            p.fit(x.view(), yi.view()),
            Err(MlError::NonFinite {
                what: "target",
                row: 2,
                ..
            })
        ));
        assert!(matches!(
            p.fit(x.view(), y.slice(ndarray::s![..5])),
            Err(MlError::LengthMismatch {
                expected: 6,
                got: 5,
                ..
            })
        ));
        assert!(matches!(
            p.fit(Array2::<f64>::zeros((0, 2)).view(), Array1::zeros(0).view()),
            Err(MlError::Empty(_))
        ));
        // (No unfitted model exists to predict from: `fit` is what makes one.)
        let m = p.fit(x.view(), y.view()).unwrap();
        assert!(matches!(
            m.predict(Array2::zeros((2, 3)).view()),
            Err(MlError::LengthMismatch {
                expected: 2,
                got: 3,
                ..
            })
        ));
        let mut xq = x.clone();
        xq[[0, 0]] = f64::NEG_INFINITY;
        assert!(matches!(
            m.predict(xq.view()),
            Err(MlError::NonFinite { .. })
        ));
    }
    assert!(matches!(Table::parse("", "empty"), Err(MlError::Empty(_))));
    assert!(matches!(
        Table::parse("id y a\n", "header only"),
        Err(MlError::Empty(_))
    ));
    let t = Table::parse("id y a\n0 1 nan\n1 2 3\n", "t").unwrap();
    let xa = t.matrix(&t.feature_names("y").unwrap()).unwrap();
    assert!(matches!(
        ForestParams::default().fit(xa.view(), t.column("y").unwrap().view()),
        Err(MlError::NonFinite {
            row: 0,
            column: 0,
            ..
        })
    ));
    assert!(matches!(
        split_by_ids(&t.row_ids(), &["7"]),
        Err(MlError::UnknownRow(_))
    ));
    assert!(matches!(
        kfold(3, 5, None),
        Err(MlError::InvalidParameter { .. })
    ));
    assert!(matches!(
        BoostParams {
            max_bin: 1000,
            ..Default::default()
        }
        .fit(x.view(), y.view()),
        Err(MlError::InvalidParameter {
            name: "max_bin",
            ..
        })
    ));
}

#[test]
fn linear_models_recover_coefficients() {
    let x = Array2::from_shape_fn((30, 2), |(i, j)| {
        ((i * (j + 3)) % 17) as f64 + i as f64 * 0.01
    });
    let y: Array1<f64> = x
        .rows()
        .into_iter()
        .map(|r| 1.5 * r[0] - 2.0 * r[1] + 0.25)
        .collect();
    let ols = LinearParams::Ols.fit(x.view(), y.view()).unwrap();
    assert!((ols.coef()[0] - 1.5).abs() < 1e-8 && (ols.coef()[1] + 2.0).abs() < 1e-8);
    assert!((ols.intercept() - 0.25).abs() < 1e-8);
    // Ridge shrinks the coefficients, and α → 0 approaches OLS.
    let r = LinearParams::Ridge { alpha: 50.0 }
        .fit(x.view(), y.view())
        .unwrap();
    assert!(r.coef()[0].abs() < 1.5 && r.coef()[1].abs() < 2.0);
    let r0 = LinearParams::Ridge { alpha: 1e-9 }
        .fit(x.view(), y.view())
        .unwrap();
    assert!((r0.coef()[0] - 1.5).abs() < 1e-6);
}

#[test]
fn splits_and_folds_partition_the_rows() {
    let s = train_test_split(100, 0.15, 3).unwrap();
    assert_eq!((s.train.len(), s.test.len()), (85, 15));
    let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
    all.sort();
    assert_eq!(all, (0..100).collect::<Vec<_>>());
    assert_eq!(s, train_test_split(100, 0.15, 3).unwrap());
    let folds = kfold(11, 3, Some(1)).unwrap();
    assert_eq!(
        folds.iter().map(|f| f.test.len()).collect::<Vec<_>>(),
        [4, 4, 3]
    );
    let mut seen: Vec<usize> = folds.iter().flat_map(|f| f.test.clone()).collect();
    seen.sort();
    assert_eq!(seen, (0..11).collect::<Vec<_>>());
}

#[test]
fn permutation_importance_finds_the_informative_feature() {
    let r: Vec<(f64, f64, f64)> = (0..120)
        .map(|i| {
            (
                ((i * 37) % 101) as f64,
                ((i * 53) % 89) as f64,
                ((i * 11) % 7) as f64,
            )
        })
        .collect();
    let x = data(&r);
    let y: Array1<f64> = r.iter().map(|t| 3.0 * t.0).collect();
    let f = ForestParams {
        n_estimators: 10,
        seed: 4,
        ..Default::default()
    }
    .fit(x.view(), y.view())
    .unwrap();
    let pi = permutation_importance(&f, x.view(), y.view(), 3, 9).unwrap();
    assert!(pi.mean[0] > 0.5, "{:?}", pi.mean);
    assert!(
        pi.mean[1].abs() < 0.05 && pi.mean[2].abs() < 0.05,
        "{:?}",
        pi.mean
    );
    assert!(pi.baseline > 0.95);
}
