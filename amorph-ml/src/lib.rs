//! # amorph-ml
//!
//! Regression on tables: random forests, XGBoost-style gradient boosting, single CART trees and
//! linear models, plus train/test splits, K-fold cross-validation, metrics (R², MAE, RMSE),
//! impurity and permutation importances, Pearson correlation tables and a reader for
//! whitespace- or comma-separated tables.
//!
//! One way to train, linfa's: hyper-parameters → [`check`](Learner::check) → [`fit`](Learner::fit)
//! returns a new fitted model. The parameter structs ([`ForestParams`], [`BoostParams`],
//! [`TreeParams`], [`LinearParams`], or [`ModelParams`] for any of them) check their ranges and
//! name a bad one in [`MlError::InvalidParameter`]; `fit(x, y)` checks them and the data and
//! returns the fitted model ([`RandomForestRegressor`], [`GradientBoostingRegressor`],
//! [`DecisionTreeRegressor`], [`LinearModel`], or [`Model`]), which implements [`Regressor`]:
//! `predict` and `importances`. A model only exists fitted.
//!
//! The crate knows nothing about atoms: it takes matrices (`ndarray` 0.16, the version linfa
//! 0.8 uses). The parameter structs also implement linfa's [`linfa::traits::Fit`] on a
//! `Dataset` (the same code as their `fit`) and the fitted models implement linfa's `Predict`,
//! so they plug into the linfa ecosystem; [`Model`] and [`TrainedModel`] serialise with serde.
//!
//! - [`ForestParams`] → [`RandomForestRegressor`]: scikit-learn semantics (bootstrap as sample
//!   weights, midpoint thresholds, all features per split by default), seeded, rayon over trees.
//! - [`BoostParams`] → [`GradientBoostingRegressor`]: XGBoost semantics (second-order gain with
//!   λ, α, γ, `min_child_weight`, η, depth-wise growth, `hist` with 256 quantile bins or
//!   `exact`, base score = mean of the target).
//!
//! ```
//! use amorph_ml::{BoostParams, ForestParams, MlError, Regressor, metrics};
//! use ndarray::{Array1, Array2};
//!
//! // y = 2·x0 + step(x1)
//! let x = Array2::from_shape_fn((200, 2), |(i, j)| ((i * 7 + j * 13) % 50) as f64);
//! let y: Array1<f64> = x.rows().into_iter()
//!     .map(|r| 2.0 * r[0] + if r[1] > 25.0 { 10.0 } else { 0.0 }).collect();
//!
//! let rf = ForestParams { n_estimators: 20, seed: 1, ..Default::default() }
//!     .fit(x.view(), y.view())?;
//! let p = rf.predict(x.view())?;
//! assert!(metrics::r2(y.as_slice().unwrap(), p.as_slice().unwrap())? > 0.95);
//!
//! let gbt = BoostParams::default().fit(x.view(), y.view())?;
//! let imp = gbt.importances().unwrap();
//! assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9);
//!
//! // A bad parameter is named before anything is fitted.
//! let bad = ForestParams { n_estimators: 0, ..Default::default() };
//! assert!(matches!(bad.fit(x.view(), y.view()),
//!                  Err(MlError::InvalidParameter { name: "n_estimators", .. })));
//!
//! // linfa interop: `Fit` on a `Dataset`, linfa's `Predict` on a matrix.
//! let ds = linfa::Dataset::new(x.clone(), y.clone());
//! let model = linfa::traits::Fit::fit(&ForestParams { n_estimators: 5, ..Default::default() }, &ds)?;
//! let pred: Array1<f64> = linfa::traits::Predict::predict(&model, &x);
//! assert_eq!(pred.len(), 200);
//! # Ok::<(), amorph_ml::MlError>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod boost;
pub mod error;
pub mod forest;
pub mod importance;
pub mod linear;
pub mod matrix;
pub mod metrics;
pub mod model;
pub mod rng;
pub mod split;
pub mod table;
pub mod tree;
pub mod workflow;

pub use boost::{BoostParams, GradientBoostingRegressor, TreeMethod};
pub use error::{MlError, Result};
pub use forest::{ForestParams, RandomForestRegressor};
pub use importance::{PermutationImportance, correlation_table, pearson, permutation_importance};
pub use linear::{LinearModel, LinearParams};
pub use metrics::Scores;
pub use model::{Learner, Model, ModelParams, Regressor, TrainedModel, load_json, save_json};
/// The ndarray version this crate (and linfa 0.8) uses.
pub use ndarray;
pub use split::{CvResult, Split, cross_validate, kfold, split_by_ids, train_test_split};
pub use table::Table;
pub use tree::{DecisionTreeRegressor, MaxFeatures, TreeParams};
pub use workflow::{
    PredictSummary, SplitSpec, TrainOptions, TrainReport, TrainSummary, predict_table, train_table,
};
