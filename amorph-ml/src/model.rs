//! The [`Regressor`] trait, the serialisable [`Model`] enum and linfa interop.

use crate::boost::{BoostParams, GradientBoostingRegressor};
use crate::error::{MlError, Result};
use crate::forest::{ForestParams, RandomForestRegressor};
use crate::linear::LinearModel;
use crate::tree::{DecisionTreeRegressor, TreeParams};
use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, ArrayBase, ArrayView1, ArrayView2, Data, Ix2};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A regression model: fit on a matrix and a target, predict, and (optionally) report feature
/// importances. Implementations validate their input and return typed errors.
pub trait Regressor: Send + Sync {
    /// Fits the model on `x` (rows = samples) and `y`.
    fn fit(&mut self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<()>;
    /// Predicts one value per row of `x`.
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>>;
    /// Built-in feature importances, normalised to sum 1, if the model has them.
    fn importances(&self) -> Option<Vec<f64>> {
        None
    }
}

impl Regressor for DecisionTreeRegressor {
    fn fit(&mut self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<()> {
        self.fit_weighted(x, y, None)
    }
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.predict_view(x)
    }
    fn importances(&self) -> Option<Vec<f64>> {
        self.tree.as_ref().map(|t| t.impurity_importances())
    }
}

impl Regressor for RandomForestRegressor {
    fn fit(&mut self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<()> {
        self.fit_view(x, y)
    }
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.predict_view(x)
    }
    fn importances(&self) -> Option<Vec<f64>> {
        self.impurity_importances().ok()
    }
}

impl Regressor for GradientBoostingRegressor {
    fn fit(&mut self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<()> {
        self.fit_weighted(x, y, None)
    }
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.predict_view(x)
    }
    fn importances(&self) -> Option<Vec<f64>> {
        self.gain_importances().ok()
    }
}

impl Regressor for LinearModel {
    fn fit(&mut self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<()> {
        self.fit_view(x, y)
    }
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.predict_view(x)
    }
}

/// Any model of this crate, for saving and loading without knowing the kind in advance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Model {
    /// A single regression tree.
    DecisionTree(DecisionTreeRegressor),
    /// A random forest.
    RandomForest(RandomForestRegressor),
    /// Gradient-boosted trees.
    GradientBoosting(GradientBoostingRegressor),
    /// OLS or ridge.
    Linear(LinearModel),
}

impl Model {
    fn inner(&self) -> &dyn Regressor {
        match self {
            Model::DecisionTree(m) => m,
            Model::RandomForest(m) => m,
            Model::GradientBoosting(m) => m,
            Model::Linear(m) => m,
        }
    }
    fn inner_mut(&mut self) -> &mut dyn Regressor {
        match self {
            Model::DecisionTree(m) => m,
            Model::RandomForest(m) => m,
            Model::GradientBoosting(m) => m,
            Model::Linear(m) => m,
        }
    }
}

impl Model {
    /// Number of feature columns the fitted model expects (`None` before `fit`).
    pub fn n_features(&self) -> Option<usize> {
        match self {
            Model::DecisionTree(m) => m.tree.as_ref().map(|t| t.n_features),
            Model::RandomForest(m) => (!m.trees.is_empty()).then_some(m.n_features),
            Model::GradientBoosting(m) => (!m.trees.is_empty()).then_some(m.n_features),
            Model::Linear(m) => (!m.coef.is_empty()).then_some(m.coef.len()),
        }
    }

    /// Checks that a model read from a file holds together (see [`crate::tree::Tree::check`]):
    /// every tree's splits point forward to existing nodes and to existing features, the
    /// forest's trees agree on the feature count, the numbers used in prediction are finite.
    pub fn check(&self) -> std::result::Result<(), String> {
        let finite = |what: &str, x: f64| {
            if x.is_finite() {
                Ok(())
            } else {
                Err(format!("{what} {x} is not finite"))
            }
        };
        match self {
            Model::DecisionTree(m) => m.tree.as_ref().map_or(Ok(()), |t| t.check()),
            Model::RandomForest(m) => {
                for (i, t) in m.trees.iter().enumerate() {
                    if t.n_features != m.n_features {
                        return Err(format!(
                            "tree {i} has {} features, the forest {}",
                            t.n_features, m.n_features
                        ));
                    }
                    t.check().map_err(|e| format!("tree {i}: {e}"))?;
                }
                Ok(())
            }
            Model::GradientBoosting(m) => {
                finite("base_score", m.base_score)?;
                for (i, t) in m.trees.iter().enumerate() {
                    t.check(m.n_features)
                        .map_err(|e| format!("tree {i}: {e}"))?;
                }
                Ok(())
            }
            Model::Linear(m) => {
                finite("intercept", m.intercept)?;
                m.coef.iter().try_for_each(|&c| finite("coefficient", c))
            }
        }
    }
}

impl Regressor for Model {
    fn fit(&mut self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<()> {
        self.inner_mut().fit(x, y)
    }
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.inner().predict(x)
    }
    fn importances(&self) -> Option<Vec<f64>> {
        self.inner().importances()
    }
}

/// Writes any serialisable model as JSON.
pub fn save_json<M: Serialize>(model: &M, path: &Path) -> Result<()> {
    let text = serde_json::to_string(model)?;
    std::fs::write(path, text).map_err(|source| MlError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a model written by [`save_json`].
pub fn load_json<M: DeserializeOwned>(path: &Path) -> Result<M> {
    let text = std::fs::read_to_string(path).map_err(|source| MlError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(serde_json::from_str(&text)?)
}

/// A fitted model together with the names of its feature columns and of its target, so that
/// it can be applied to any table that has those columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedModel {
    /// The model.
    pub model: Model,
    /// Feature column names, in the model's order.
    pub features: Vec<String>,
    /// Target column name.
    pub target: String,
}

impl TrainedModel {
    /// Saves as JSON.
    pub fn save(&self, path: &Path) -> Result<()> {
        save_json(self, path)
    }
    /// Loads from JSON (see [`TrainedModel::from_json`]).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read(path).map_err(|source| MlError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text, &path.display().to_string())
    }

    /// Parses the JSON that [`TrainedModel::save`] writes and checks that it holds together
    /// ([`Model::check`], and one feature name per feature column of the model); errors are
    /// [`MlError::BadModel`] naming `source_name`.
    pub fn from_json(text: &[u8], source_name: &str) -> Result<Self> {
        let bad = |reason: String| MlError::BadModel {
            source_name: source_name.to_string(),
            reason,
        };
        let m: TrainedModel = serde_json::from_slice(text).map_err(|e| bad(e.to_string()))?;
        m.model.check().map_err(bad)?;
        if let Some(n) = m.model.n_features()
            && n != m.features.len()
        {
            return Err(bad(format!(
                "{} feature names for a model of {n} features",
                m.features.len()
            )));
        }
        Ok(m)
    }
}

// ---------------------------------------------------------------- linfa interop

macro_rules! linfa_fit {
    ($params:ty, $model:ty, $build:expr) => {
        impl<D: Data<Elem = f64>, T: AsSingleTargets<Elem = f64>> Fit<ArrayBase<D, Ix2>, T, MlError>
            for $params
        {
            type Object = $model;
            fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<$model> {
                let mut m: $model = $build(self.clone());
                Regressor::fit(
                    &mut m,
                    dataset.records().view(),
                    dataset.as_single_targets(),
                )?;
                Ok(m)
            }
        }
    };
}

linfa_fit!(
    ForestParams,
    RandomForestRegressor,
    RandomForestRegressor::new
);
linfa_fit!(
    BoostParams,
    GradientBoostingRegressor,
    GradientBoostingRegressor::new
);
linfa_fit!(
    TreeParams,
    DecisionTreeRegressor,
    DecisionTreeRegressor::new
);

macro_rules! linfa_predict {
    ($model:ty) => {
        /// linfa prediction; rows it cannot predict (wrong width, non-finite values, unfitted
        /// model) come back as NaN — use [`Regressor::predict`] for a typed error instead.
        impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<f64>> for $model {
            fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f64>) {
                match Regressor::predict(self, x.view()) {
                    Ok(p) if p.len() == y.len() => y.assign(&p),
                    _ => y.fill(f64::NAN),
                }
            }
            fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f64> {
                Array1::zeros(x.nrows())
            }
        }
    };
}

linfa_predict!(RandomForestRegressor);
linfa_predict!(GradientBoostingRegressor);
linfa_predict!(DecisionTreeRegressor);
linfa_predict!(LinearModel);
linfa_predict!(Model);
