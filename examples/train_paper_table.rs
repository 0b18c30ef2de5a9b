//! Random forest on the paper's feature table with the paper's 85/15 split (the test rows of
//! `test_ordered.dat`): prints train and test R² and RMSE. Small by default (30 trees); pass a
//! tree count with `--trees` (`cargo run --release --example train_paper_table -- --trees 100`).
//! Also run by `cargo test`, which passes its own arguments: anything but `--trees N` is ignored.

use amorph_ml::{ForestParams, SplitSpec, Table, TrainOptions, train_table};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/paper_ml/");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let trees: usize = args
        .iter()
        .position(|a| a == "--trees")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(30);
    let table = Table::read(format!("{DATA}feature_target.dat").as_ref())?;
    let test_ids = Table::read(format!("{DATA}test_ordered.dat").as_ref())?.row_ids();
    let opts = TrainOptions {
        target: "diff_coeff_mul_thousand".into(),
        params: ForestParams {
            n_estimators: trees,
            seed: 62,
            ..Default::default()
        }
        .into(),
        split: SplitSpec::TestIds(test_ids),
        cv_folds: None,
        cv_seed: 0,
        permutation_repeats: None,
    };
    let (_model, report) = train_table(&table, &opts)?;
    println!(
        "random forest, {trees} trees, {} features: train R² {:.3} RMSE {:.3}; test ({} rows) R² {:.3} RMSE {:.3}",
        report.features.len(),
        report.train.r2,
        report.train.rmse,
        report.n_test,
        report.test.r2,
        report.test.rmse
    );
    Ok(())
}
