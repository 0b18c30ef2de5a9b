//! The paper's stored SISSO run (SISSO 3.3, no operators in effect, nf_sis 20) on its own data:
//! training RMSE of the best 1–6-term linear models and the 3-D model (reference:
//! `shared/reference/ml_sisso.md` §2.4, `shared/data/paper_ml/SISSO.out`).

use amorph_sisso::{Config, Dataset, Sisso, Table};

const TRAIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/paper_ml/train_target_lnD_kbT.dat"
);

#[test]
fn paper_rung0_series_and_3d_model() {
    let table = Table::read(std::path::Path::new(TRAIN)).unwrap();
    assert_eq!(table.n_rows(), 792);
    assert_eq!(
        table.skipped,
        Vec::<String>::new(),
        "formula is the id column"
    );
    let cfg = Config::from_toml("rung = 0\nmax_dim = 6\nsubspace = 20\n").unwrap();
    let data = Dataset::from_table(&table, "lnD", &cfg).unwrap();
    assert_eq!(data.names.len(), 43);
    let fit = Sisso::new(cfg).unwrap().fit(&data).unwrap();
    let expected = [0.747078, 0.493402, 0.397359, 0.364538, 0.357534, 0.352659];
    let got: Vec<f64> = fit.best_models().iter().map(|m| m.rmse).collect();
    assert_eq!(got.len(), 6);
    for (g, e) in got.iter().zip(expected) {
        assert!((g - e).abs() < 1e-5, "{got:?}");
    }
    // Subspaces: 20 + 20 + the remaining features. SISSO.out lists 43; `ENS` and
    // `avg_X_wiout_Li` have |r| = 1 - 2e-16 (the same feature for a linear model), so the
    // deduplication keeps only the simpler name and the union has 42.
    let unions: Vec<usize> = fit.dims.iter().map(|d| d.union_size).collect();
    assert_eq!(unions, vec![20, 40, 42, 42, 42, 42]);
    let names: Vec<String> = fit.subspace.iter().map(|s| s.expr.text()).collect();
    assert!(names.contains(&"ENS".to_string()) && !names.contains(&"avg_X_wiout_Li".to_string()));
    let m3 = fit.best(3).unwrap();
    let mut terms: Vec<(String, f64)> = m3
        .features
        .iter()
        .map(|f| f.text())
        .zip(m3.coefficients.iter().copied())
        .collect();
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    let want = [
        ("LNC", -0.082215),
        ("Li_percentage", 1.33050),
        ("inverse_kbT", -0.33899),
    ];
    for ((name, c), (wn, wc)) in terms.iter().zip(want) {
        assert_eq!(name, wn);
        assert!((c - wc).abs() < 5e-6 * wc.abs().max(1.0), "{name}: {c}");
    }
    assert!((m3.intercept + 4.66217).abs() < 5e-5, "{}", m3.intercept);
    assert!((m3.max_ae - 2.255144).abs() < 1e-5);
    let m1 = fit.best(1).unwrap();
    assert_eq!(m1.features[0].text(), "inverse_kbT");
    assert!((m1.coefficients[0] + 0.33398).abs() < 1e-5 && (m1.intercept + 5.37721).abs() < 1e-5);
}
