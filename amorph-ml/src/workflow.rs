//! Whole-table workflows behind `amorph train` and `amorph predict`: pick the features of a
//! table, split, fit, score, cross-validate, rank importances, and apply a saved model.

use crate::error::{MlError, Result};
use crate::importance::permutation_importance;
use crate::metrics::Scores;
use crate::model::{ModelParams, Regressor, TrainedModel};
use crate::split::{CvResult, cross_validate, split_by_ids, train_test_split};
use crate::table::Table;
use ndarray::{Array1, Axis};
use serde::{Deserialize, Serialize};

/// How to split a table into training and test rows.
#[derive(Debug, Clone, PartialEq)]
pub enum SplitSpec {
    /// Seeded random split with this test fraction.
    Random {
        /// Fraction of rows in the test part.
        test_fraction: f64,
        /// Seed.
        seed: u64,
    },
    /// The rows with these ids (first column of the table) are the test part.
    TestIds(Vec<String>),
}

/// Options of [`train_table`].
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Target column.
    pub target: String,
    /// The model to train, as its hyper-parameters.
    pub params: ModelParams,
    /// The train/test split.
    pub split: SplitSpec,
    /// Folds of the cross-validation on the training part (`None` or < 2: none).
    pub cv_folds: Option<usize>,
    /// Seed of the cross-validation shuffling.
    pub cv_seed: u64,
    /// Repeats of permutation importance on the test part (`None`: not computed).
    pub permutation_repeats: Option<usize>,
}

/// One feature's importance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureImportance {
    /// Column name.
    pub feature: String,
    /// Importance (built-in: sums to 1; permutation: mean R² drop).
    pub importance: f64,
    /// Standard deviation over repeats (permutation importance only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std: Option<f64>,
}

/// Cross-validation summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvSummary {
    /// Number of folds.
    pub k: usize,
    /// Mean fold RMSE.
    pub rmse_mean: f64,
    /// Standard deviation of the fold RMSEs.
    pub rmse_sd: f64,
    /// Mean fold R².
    pub r2_mean: f64,
    /// Mean fold MAE.
    pub mae_mean: f64,
    /// RMSE of each fold.
    pub rmse_folds: Vec<f64>,
}

impl From<&CvResult> for CvSummary {
    fn from(c: &CvResult) -> Self {
        CvSummary {
            k: c.folds.len(),
            rmse_mean: c.rmse_mean,
            rmse_sd: c.rmse_sd,
            r2_mean: c.r2_mean,
            mae_mean: c.mae_mean,
            rmse_folds: c.folds.iter().map(|f| f.rmse).collect(),
        }
    }
}

/// What [`train_table`] measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    /// Target column.
    pub target: String,
    /// Feature columns used.
    pub features: Vec<String>,
    /// Text columns carried but not used.
    pub ignored_columns: Vec<String>,
    /// Training rows.
    pub n_train: usize,
    /// Test rows.
    pub n_test: usize,
    /// Scores on the training rows.
    pub train: Scores,
    /// Scores on the test rows.
    pub test: Scores,
    /// Cross-validation on the training rows.
    pub cv: Option<CvSummary>,
    /// Built-in importances, largest first (empty for linear models).
    pub importances: Vec<FeatureImportance>,
    /// Permutation importances on the test rows, largest first.
    pub permutation_importances: Option<Vec<FeatureImportance>>,
    /// Wall time of the final fit, seconds.
    pub fit_seconds: f64,
}

fn ranked(names: &[String], values: &[f64], std: Option<&[f64]>) -> Vec<FeatureImportance> {
    let mut v: Vec<FeatureImportance> = names
        .iter()
        .enumerate()
        .map(|(j, n)| FeatureImportance {
            feature: n.clone(),
            importance: values[j],
            std: std.map(|s| s[j]),
        })
        .collect();
    v.sort_by(|a, b| b.importance.total_cmp(&a.importance));
    v
}

/// Trains the model of `opts.params` on a table: features are all numeric columns but the row
/// id and the target.
pub fn train_table(table: &Table, opts: &TrainOptions) -> Result<(TrainedModel, TrainReport)> {
    let features = table.feature_names(&opts.target)?;
    let x = table.matrix(&features)?;
    let y = table.column(&opts.target)?;
    let split = match &opts.split {
        SplitSpec::Random {
            test_fraction,
            seed,
        } => train_test_split(table.n_rows(), *test_fraction, *seed)?,
        SplitSpec::TestIds(ids) => split_by_ids(&table.row_ids(), ids)?,
    };
    let (xtr, ytr) = (
        x.select(Axis(0), &split.train),
        y.select(Axis(0), &split.train),
    );
    let (xte, yte) = (
        x.select(Axis(0), &split.test),
        y.select(Axis(0), &split.test),
    );
    let cv = match opts.cv_folds {
        Some(k) if k >= 2 => Some(CvSummary::from(&cross_validate(
            &opts.params,
            xtr.view(),
            ytr.view(),
            k,
            opts.cv_seed,
        )?)),
        _ => None,
    };
    let t0 = std::time::Instant::now();
    let model = opts.params.fit(xtr.view(), ytr.view())?;
    let fit_seconds = t0.elapsed().as_secs_f64();
    let score = |xs: &ndarray::Array2<f64>, ys: &Array1<f64>| -> Result<Scores> {
        let p = model.predict(xs.view())?;
        Scores::new(&ys.to_vec(), &p.to_vec())
    };
    let train = score(&xtr, &ytr)?;
    let test = score(&xte, &yte)?;
    let importances = model
        .importances()
        .map(|v| ranked(&features, &v, None))
        .unwrap_or_default();
    let permutation_importances = match opts.permutation_repeats {
        Some(r) => {
            let pi = permutation_importance(&model, xte.view(), yte.view(), r, opts.cv_seed)?;
            Some(ranked(&features, &pi.mean, Some(&pi.std)))
        }
        None => None,
    };
    let report = TrainReport {
        target: opts.target.clone(),
        features: features.clone(),
        ignored_columns: table.text_columns(),
        n_train: split.train.len(),
        n_test: split.test.len(),
        train,
        test,
        cv,
        importances,
        permutation_importances,
        fit_seconds,
    };
    Ok((
        TrainedModel {
            model,
            features,
            target: opts.target.clone(),
        },
        report,
    ))
}

/// Predictions of a saved model on a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictReport {
    /// Row ids (first column).
    pub ids: Vec<String>,
    /// One prediction per row.
    pub predictions: Vec<f64>,
    /// Scores against the target column, when the table has it.
    pub scores: Option<Scores>,
}

/// Applies a trained model to every row of a table (columns matched by name).
pub fn predict_table(model: &TrainedModel, table: &Table) -> Result<PredictReport> {
    for f in &model.features {
        if table.column(f).is_err() {
            return Err(MlError::UnknownColumn(f.clone()));
        }
    }
    let x = table.matrix(&model.features)?;
    let p = model.model.predict(x.view())?.to_vec();
    let scores = match table.column(&model.target) {
        Ok(y) => Some(Scores::new(&y.to_vec(), &p)?),
        Err(_) => None,
    };
    Ok(PredictReport {
        ids: table.row_ids(),
        predictions: p,
        scores,
    })
}

/// A training with its saved model, as `amorph train` reports it: the [`TrainReport`]'s fields
/// plus the model kind and file; displays as the command's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainSummary {
    /// The report.
    #[serde(flatten)]
    pub report: TrainReport,
    /// The model kind, e.g. `rf`.
    pub model: String,
    /// Where the model was saved.
    pub model_path: String,
    /// The table trained on (text only).
    #[serde(skip)]
    pub table: String,
}

impl std::fmt::Display for TrainSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = &self.report;
        writeln!(f, "{} on {} → {}", self.model, self.table, r.target)?;
        writeln!(
            f,
            "rows: {} train, {} test; {} features",
            r.n_train,
            r.n_test,
            r.features.len()
        )?;
        for (name, s) in [("train", &r.train), ("test", &r.test)] {
            writeln!(
                f,
                "{name:5}  R² {:.4}  RMSE {:.4}  MAE {:.4}",
                s.r2, s.rmse, s.mae
            )?;
        }
        if let Some(cv) = &r.cv {
            writeln!(
                f,
                "{}-fold CV RMSE {:.4} ± {:.4}",
                cv.k, cv.rmse_mean, cv.rmse_sd
            )?;
        }
        if !r.importances.is_empty() {
            writeln!(f, "top importances:")?;
            for i in r.importances.iter().take(10) {
                writeln!(f, "  {:32} {:.4}", i.feature, i.importance)?;
            }
        }
        writeln!(f, "model written to {}", self.model_path)
    }
}

/// Predictions on a table, as `amorph predict` reports them: the [`PredictReport`]'s fields
/// plus the target and the row count; displays as a tab-separated column of predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictSummary {
    /// The predictions.
    #[serde(flatten)]
    pub report: PredictReport,
    /// The model's target.
    pub target: String,
    /// Rows predicted.
    pub n_rows: usize,
    /// The name of the table's id column (text only).
    #[serde(skip)]
    pub id_column: String,
}

impl std::fmt::Display for PredictSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}\t{}", self.id_column, self.target)?;
        for (id, p) in self.report.ids.iter().zip(&self.report.predictions) {
            writeln!(f, "{id}\t{p}")?;
        }
        if let Some(s) = &self.report.scores {
            writeln!(f, "# R² {:.4}  RMSE {:.4}  MAE {:.4}", s.r2, s.rmse, s.mae)?;
        }
        Ok(())
    }
}

impl TrainedModel {
    /// Where `amorph train` saves a `kind` model trained on `table` by default:
    /// `<table stem>.<kind>.json` in the working directory (`model.<kind>.json` without a stem).
    ///
    /// ```
    /// use amorph_ml::TrainedModel;
    /// use std::path::Path;
    /// let p = TrainedModel::default_path(Path::new("data/feature_target.dat"), "rf");
    /// assert_eq!(p, Path::new("feature_target.rf.json"));
    /// ```
    pub fn default_path(table: &std::path::Path, kind: &str) -> std::path::PathBuf {
        let stem = table.file_stem().map(|s| s.to_string_lossy().to_string());
        format!("{}.{kind}.json", stem.unwrap_or_else(|| "model".into())).into()
    }
}
