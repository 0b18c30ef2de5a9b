//! Cross-check against TorchSISSO 0.1.8 (PyPI `TorchSisso`): fixture written by
//! `scripts/fixtures/sisso_torchsisso.py` (ops + - * /, n_expansion 3, k 20) on 60 samples of
//! y = 1.7·x1/(x2+x3) − 0.5 + noise.

use amorph_sisso::{Config, Dataset, Sisso, Table};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/sisso_torchsisso_data.csv"
);
const EXPECTED: &str = include_str!("fixtures/sisso_torchsisso_expected.json");

fn field(json: &str, key: &str, nth: usize) -> String {
    let pat = format!("\"{key}\": ");
    let start = json.match_indices(&pat).nth(nth).unwrap().0 + pat.len();
    let rest = &json[start..];
    let end = rest.find([',', '\n', '}']).unwrap();
    rest[..end].trim().trim_matches('"').to_string()
}

#[test]
fn same_best_descriptor_as_torchsisso() {
    let table = Table::read(std::path::Path::new(DATA)).unwrap();
    let cfg =
        Config::from_toml("rung = 2\nops = '(+)(-)(*)(/)'\nmax_dim = 2\nsubspace = 20").unwrap();
    let data = Dataset::from_table(&table, "y", &cfg).unwrap();
    let fit = Sisso::new(cfg).unwrap().fit(&data).unwrap();
    let m1 = fit.best(1).unwrap();
    // TorchSISSO 1-D: "1.705847*(x1/(x2+x3))-0.5056702119674686", RMSE 0.01007312467907516.
    let eq = field(EXPECTED, "equation", 0);
    assert!(eq.contains("(x1/(x2+x3))"), "{eq}");
    assert_eq!(m1.features[0].text(), "(x1/(x2+x3))");
    let their_rmse: f64 = field(EXPECTED, "rmse", 0).parse().unwrap();
    assert!(
        (m1.rmse - their_rmse).abs() < 1e-9,
        "{} vs {their_rmse}",
        m1.rmse
    );
    assert!(
        (m1.coefficients[0] - 1.705847).abs() < 1e-6 && (m1.intercept + 0.5056702).abs() < 1e-6
    );
    // 2-D: TorchSISSO screens differently (one SIS pass over the whole space); ours must be at
    // least as good on the training data and keep the 1-D descriptor.
    let their_rmse2: f64 = field(EXPECTED, "rmse", 1).parse().unwrap();
    let m2 = fit.best(2).unwrap();
    assert!(
        m2.rmse <= their_rmse2 * (1.0 + 1e-9),
        "{} vs {their_rmse2}",
        m2.rmse
    );
}
