//! `amorph train` and `amorph predict`: random forests, gradient boosting, trees and linear
//! models on a feature table (see `amorph-ml`).

use super::{InFile, Outcome};
use amorph_ml::workflow::{
    PredictReport, PredictSummary, SplitSpec, TrainOptions, TrainSummary, predict_table,
    train_table,
};
use amorph_ml::{
    BoostParams, ForestParams, LinearParams, ModelParams, Table, TrainedModel, TreeMethod,
    TreeParams,
};
use anyhow::{Context, bail};
use std::path::PathBuf;

/// Model kinds of `amorph train`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ModelKind {
    /// Random forest (scikit-learn semantics).
    Rf,
    /// Gradient-boosted trees (XGBoost semantics; defaults = the paper's settings).
    Gbt,
    /// A single regression tree.
    Tree,
    /// Ordinary least squares.
    Ols,
    /// Ridge regression (`--ridge-alpha`).
    Ridge,
}

/// Split finder of `--model gbt`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Method {
    /// 256-bin quantile histograms.
    Hist,
    /// Exact greedy.
    Exact,
}

/// Train a model on a table: metrics (train/test R², MAE, RMSE; CV mean ± sd), importances and
/// the saved model.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Table (whitespace- or comma-separated, header line; first column = row id).
    pub table: PathBuf,
    /// Model kind.
    #[arg(long, value_enum)]
    pub model: ModelKind,
    /// Target column.
    #[arg(long)]
    pub target: String,
    /// File whose column `index` (else its first column) lists the test rows' ids.
    #[arg(long)]
    pub test_rows: Option<PathBuf>,
    /// Test fraction of a random split (when no --test-rows).
    #[arg(long, default_value_t = 0.15)]
    pub test_fraction: f64,
    /// Folds of the cross-validation on the training rows (0: none).
    #[arg(long, default_value_t = 5)]
    pub cv: usize,
    /// Seed (split, CV shuffling, bootstrap, sampling).
    #[arg(long, default_value_t = 62)]
    pub seed: u64,
    /// Number of trees (rf, gbt).
    #[arg(long, default_value_t = 100)]
    pub trees: usize,
    /// Maximum depth (rf/tree: unlimited by default; gbt: 4).
    #[arg(long)]
    pub max_depth: Option<usize>,
    /// gbt learning rate η.
    #[arg(long, default_value_t = 0.1)]
    pub eta: f64,
    /// gbt L1 regularisation α.
    #[arg(long, default_value_t = 0.8)]
    pub alpha: f64,
    /// gbt L2 regularisation λ.
    #[arg(long, default_value_t = 1.0)]
    pub lambda: f64,
    /// gbt minimum split loss γ.
    #[arg(long, default_value_t = 0.0)]
    pub gamma: f64,
    /// gbt minimum hessian per child.
    #[arg(long, default_value_t = 1.0)]
    pub min_child_weight: f64,
    /// gbt row subsampling per round.
    #[arg(long, default_value_t = 1.0)]
    pub subsample: f64,
    /// gbt column subsampling per tree.
    #[arg(long, default_value_t = 1.0)]
    pub colsample: f64,
    /// gbt split finder.
    #[arg(long, value_enum, default_value_t = Method::Hist)]
    pub method: Method,
    /// Ridge penalty.
    #[arg(long, default_value_t = 1.0)]
    pub ridge_alpha: f64,
    /// Also compute permutation importances on the test rows with this many repeats.
    #[arg(long)]
    pub permutation: Option<usize>,
    /// Where to write the model (JSON); default `<table stem>.<model>.json` here.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

/// The hyper-parameters the arguments choose (checked when the model is fitted).
fn model_params(a: &TrainArgs) -> ModelParams {
    match a.model {
        ModelKind::Rf => ModelParams::RandomForest(ForestParams {
            n_estimators: a.trees,
            max_depth: a.max_depth,
            seed: a.seed,
            ..ForestParams::default()
        }),
        ModelKind::Gbt => ModelParams::GradientBoosting(BoostParams {
            n_estimators: a.trees,
            max_depth: a.max_depth.unwrap_or(4),
            learning_rate: a.eta,
            reg_alpha: a.alpha,
            reg_lambda: a.lambda,
            gamma: a.gamma,
            min_child_weight: a.min_child_weight,
            subsample: a.subsample,
            colsample_bytree: a.colsample,
            tree_method: match a.method {
                Method::Hist => TreeMethod::Hist,
                Method::Exact => TreeMethod::Exact,
            },
            seed: a.seed,
            ..BoostParams::default()
        }),
        ModelKind::Tree => ModelParams::DecisionTree(TreeParams {
            max_depth: a.max_depth,
            seed: a.seed,
            ..TreeParams::default()
        }),
        ModelKind::Ols => ModelParams::Linear(LinearParams::Ols),
        ModelKind::Ridge => ModelParams::Linear(LinearParams::Ridge {
            alpha: a.ridge_alpha,
        }),
    }
}

/// Runs `amorph train`.
pub fn run_train(a: TrainArgs) -> anyhow::Result<Outcome> {
    let table = Table::read(&a.table).in_file(&a.table)?;
    let split = match &a.test_rows {
        Some(f) => {
            let t = Table::read(f).in_file(f)?;
            let col = if t.column_index("index").is_some() {
                "index".to_string()
            } else {
                t.names[0].clone()
            };
            SplitSpec::TestIds(t.text_column(&col)?)
        }
        None => SplitSpec::Random {
            test_fraction: a.test_fraction,
            seed: a.seed,
        },
    };
    let opts = TrainOptions {
        target: a.target.clone(),
        params: model_params(&a),
        split,
        cv_folds: (a.cv >= 2).then_some(a.cv),
        cv_seed: a.seed,
        permutation_repeats: a.permutation,
    };
    let (model, report) = train_table(&table, &opts).with_context(|| {
        let rows = a
            .test_rows
            .as_ref()
            .map(|p| format!(" (test rows {})", p.display()));
        format!("{}{}", a.table.display(), rows.unwrap_or_default())
    })?;
    let kind = format!("{:?}", a.model).to_lowercase();
    let out = a
        .output
        .clone()
        .unwrap_or_else(|| TrainedModel::default_path(&a.table, &kind));
    model.save(&out).in_file(&out)?;

    Outcome::of(&TrainSummary {
        report,
        model: kind,
        model_path: out.display().to_string(),
        table: a.table.display().to_string(),
    })
}

/// Apply a saved model to every row of a table.
#[derive(clap::Args, Debug)]
pub struct PredictArgs {
    /// Model written by `amorph train`.
    pub model: PathBuf,
    /// Table with the model's feature columns (first column = row id).
    pub table: PathBuf,
}

/// Runs `amorph predict`.
pub fn run_predict(a: PredictArgs) -> anyhow::Result<Outcome> {
    let model = TrainedModel::load(&a.model).in_file(&a.model)?;
    let table = Table::read(&a.table).in_file(&a.table)?;
    let r: PredictReport = predict_table(&model, &table).in_file(&a.table)?;
    if r.predictions.is_empty() {
        bail!("{}: no rows", a.table.display());
    }
    Outcome::of(&PredictSummary {
        n_rows: r.predictions.len(),
        report: r,
        target: model.target.clone(),
        id_column: table.names[0].clone(),
    })
}
