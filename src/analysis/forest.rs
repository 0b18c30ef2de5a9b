//! The paper's random forest on a feature table (its Fig. 4): importances and parity.

use crate::error::Result;
use amorph_ml::{ForestParams, SplitSpec, Table, TrainOptions, workflow::FeatureImportance};

/// Test fraction of the paper's random split.
const TEST_FRACTION: f64 = 0.15;

/// A random forest trained on a table: importances, test R² and every row's prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct ForestResult {
    /// Built-in (impurity) importances, largest first; they sum to 1.
    pub importances: Vec<FeatureImportance>,
    /// R² on the test rows.
    pub test_r2: f64,
    /// Target of every row.
    pub y_true: Vec<f64>,
    /// Prediction for every row.
    pub y_pred: Vec<f64>,
    /// `train` or `test` for every row.
    pub sets: Vec<String>,
}

impl ForestResult {
    /// The importances as bars (feature, importance), largest first.
    pub fn importance_bars(&self) -> Vec<crate::plot::Bar> {
        self.importances
            .iter()
            .map(|f| crate::plot::Bar {
                label: f.feature.clone(),
                value: f.importance,
            })
            .collect()
    }
}

/// A random forest of `trees` trees trained on `table` for `target` with a seeded random
/// 85/15 split (the paper's: 100 trees, seed 62); every other numeric column is a feature.
pub fn random_forest(table: &Table, target: &str, trees: usize, seed: u64) -> Result<ForestResult> {
    let opts = TrainOptions {
        target: target.to_string(),
        params: ForestParams {
            n_estimators: trees,
            seed,
            ..ForestParams::default()
        }
        .into(),
        split: SplitSpec::Random {
            test_fraction: TEST_FRACTION,
            seed,
        },
        cv_folds: None,
        cv_seed: seed,
        permutation_repeats: None,
    };
    let (model, report) = amorph_ml::train_table(table, &opts)?;
    let pred = amorph_ml::predict_table(&model, table)?;
    // The same split as train_table's.
    let split = amorph_ml::train_test_split(table.n_rows(), TEST_FRACTION, seed)?;
    let mut sets = vec!["train".to_string(); table.n_rows()];
    for &i in &split.test {
        sets[i] = "test".into();
    }
    Ok(ForestResult {
        importances: report.importances,
        test_r2: report.test.r2,
        y_true: table.column(target)?.to_vec(),
        y_pred: pred.predictions,
        sets,
    })
}
