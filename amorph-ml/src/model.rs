//! The two halves of training: [`Learner`] (hyper-parameters that [`check`](Learner::check)
//! themselves and [`fit`](Learner::fit) a new model) and [`Regressor`] (a fitted model that
//! predicts); the [`ModelParams`] and serialisable [`Model`] enums over every kind; linfa
//! interop.
//!
//! There is one way to train, linfa's: checked parameters → fitted model. A model object
//! exists only once it is fitted, so nothing can predict before it has been trained.

use crate::boost::{BoostParams, GradientBoostingRegressor};
use crate::error::{MlError, Result};
use crate::forest::{ForestParams, RandomForestRegressor};
use crate::linear::{LinearModel, LinearParams};
use crate::tree::{DecisionTreeRegressor, TreeParams};
use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, ArrayBase, ArrayView1, ArrayView2, Data, Ix2};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Hyper-parameters that train a model: [`check`](Learner::check) validates them and names the
/// bad one, [`fit`](Learner::fit) checks them and returns a new fitted model. Implemented by
/// [`TreeParams`], [`ForestParams`], [`BoostParams`], [`LinearParams`] and [`ModelParams`],
/// which also have `check` and `fit` as inherent methods (no import needed to call them).
///
/// ```
/// use amorph_ml::{ForestParams, Learner, LinearParams, Regressor};
/// use ndarray::{Array1, Array2};
///
/// fn train_r2<L: Learner>(params: &L, x: &Array2<f64>, y: &Array1<f64>) -> amorph_ml::Result<f64> {
///     let model = params.fit(x.view(), y.view())?;
///     let p = model.predict(x.view())?;
///     amorph_ml::metrics::r2(y.as_slice().unwrap(), p.as_slice().unwrap())
/// }
///
/// let x = Array2::from_shape_fn((30, 2), |(i, j)| (i * (j + 2) % 11) as f64);
/// let y: Array1<f64> = x.rows().into_iter().map(|r| r[0] - 2.0 * r[1]).collect();
/// assert!(train_r2(&LinearParams::Ols, &x, &y)? > 0.999);
/// assert!(train_r2(&ForestParams { n_estimators: 5, ..Default::default() }, &x, &y)? > 0.8);
/// # Ok::<(), amorph_ml::MlError>(())
/// ```
pub trait Learner {
    /// The fitted model that [`fit`](Learner::fit) returns.
    type Model: Regressor;
    /// Checks the ranges of the parameters; the error ([`MlError::InvalidParameter`]) names
    /// the first bad one.
    fn check(&self) -> Result<()>;
    /// Checks the parameters, validates `x` (rows = samples) and `y`, and fits a new model.
    fn fit(&self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<Self::Model>;
}

/// A fitted regression model: predicts, and (optionally) reports feature importances.
/// Predictions validate their input (width, finite values) and return typed errors.
pub trait Regressor: Send + Sync {
    /// Predicts one value per row of `x`.
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>>;
    /// Built-in feature importances, normalised to sum 1, if the model has them.
    fn importances(&self) -> Option<Vec<f64>> {
        None
    }
}

macro_rules! learner {
    ($params:ty, $model:ty) => {
        impl Learner for $params {
            type Model = $model;
            fn check(&self) -> Result<()> {
                <$params>::check(self)
            }
            fn fit(&self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<$model> {
                <$params>::fit(self, x, y)
            }
        }
    };
}

learner!(TreeParams, DecisionTreeRegressor);
learner!(ForestParams, RandomForestRegressor);
learner!(BoostParams, GradientBoostingRegressor);
learner!(LinearParams, LinearModel);
learner!(ModelParams, Model);

impl Regressor for DecisionTreeRegressor {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.predict_view(x)
    }
    fn importances(&self) -> Option<Vec<f64>> {
        Some(self.impurity_importances())
    }
}

impl Regressor for RandomForestRegressor {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        Ok(self.predict_with_std(x)?.0)
    }
    fn importances(&self) -> Option<Vec<f64>> {
        Some(self.impurity_importances())
    }
}

impl Regressor for GradientBoostingRegressor {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.predict_view(x)
    }
    fn importances(&self) -> Option<Vec<f64>> {
        Some(self.gain_importances())
    }
}

impl Regressor for LinearModel {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.predict_view(x)
    }
}

/// The hyper-parameters of any model of this crate (what `amorph train` chooses from);
/// [`fit`](ModelParams::fit) returns the matching [`Model`].
#[derive(Debug, Clone, PartialEq)]
pub enum ModelParams {
    /// A single regression tree.
    DecisionTree(TreeParams),
    /// A random forest.
    RandomForest(ForestParams),
    /// Gradient-boosted trees.
    GradientBoosting(BoostParams),
    /// OLS or ridge.
    Linear(LinearParams),
}

impl ModelParams {
    /// Checks the parameters of the chosen model; the error names the bad one.
    pub fn check(&self) -> Result<()> {
        match self {
            ModelParams::DecisionTree(p) => p.check(),
            ModelParams::RandomForest(p) => p.check(),
            ModelParams::GradientBoosting(p) => p.check(),
            ModelParams::Linear(p) => p.check(),
        }
    }

    /// Checks the parameters and fits the chosen model on `x` (rows = samples) and `y`.
    ///
    /// ```
    /// use amorph_ml::{Model, ModelParams, TreeParams};
    /// use ndarray::array;
    ///
    /// let params: ModelParams = TreeParams::default().into();
    /// let model = params.fit(array![[0.0], [1.0]].view(), array![3.0, 4.0].view())?;
    /// assert!(matches!(model, Model::DecisionTree(_)));
    /// # Ok::<(), amorph_ml::MlError>(())
    /// ```
    pub fn fit(&self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<Model> {
        Ok(match self {
            ModelParams::DecisionTree(p) => Model::DecisionTree(p.fit(x, y)?),
            ModelParams::RandomForest(p) => Model::RandomForest(p.fit(x, y)?),
            ModelParams::GradientBoosting(p) => Model::GradientBoosting(p.fit(x, y)?),
            ModelParams::Linear(p) => Model::Linear(p.fit(x, y)?),
        })
    }
}

impl From<TreeParams> for ModelParams {
    fn from(p: TreeParams) -> Self {
        ModelParams::DecisionTree(p)
    }
}

impl From<ForestParams> for ModelParams {
    fn from(p: ForestParams) -> Self {
        ModelParams::RandomForest(p)
    }
}

impl From<BoostParams> for ModelParams {
    fn from(p: BoostParams) -> Self {
        ModelParams::GradientBoosting(p)
    }
}

impl From<LinearParams> for ModelParams {
    fn from(p: LinearParams) -> Self {
        ModelParams::Linear(p)
    }
}

/// Any fitted model of this crate, for saving and loading without knowing the kind in advance.
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
}

impl Model {
    /// Number of feature columns the model expects.
    pub fn n_features(&self) -> usize {
        match self {
            Model::DecisionTree(m) => m.tree().n_features,
            Model::RandomForest(m) => m.n_features(),
            Model::GradientBoosting(m) => m.n_features(),
            Model::Linear(m) => m.coef().len(),
        }
    }
}

impl Regressor for Model {
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
    /// (every model checks its own trees or coefficients as it is read, and there must be one
    /// feature name per feature column of the model); errors are [`MlError::BadModel`] naming
    /// `source_name`.
    pub fn from_json(text: &[u8], source_name: &str) -> Result<Self> {
        let bad = |reason: String| MlError::BadModel {
            source_name: source_name.to_string(),
            reason,
        };
        let m: TrainedModel = match serde_json::from_slice(text) {
            Ok(m) => m,
            Err(e) => Self::from_legacy_linear(text).ok_or_else(|| bad(e.to_string()))?,
        };
        let n = m.model.n_features();
        if n != m.features.len() {
            return Err(bad(format!(
                "{} feature names for a model of {n} features",
                m.features.len()
            )));
        }
        Ok(m)
    }
}

impl TrainedModel {
    /// A linear model as amorph 0.1.0 saved it: `"kind"` twice in the model object, first the
    /// model's tag `"linear"`, then the method (`"Ols"` or `{"Ridge": …}`), which serde cannot
    /// read as one object. A JSON value keeps the last `"kind"`, the method; the model is
    /// rebuilt from it. `None` when `text` is not such a file.
    fn from_legacy_linear(text: &[u8]) -> Option<TrainedModel> {
        let mut v: serde_json::Value = serde_json::from_slice(text).ok()?;
        let model = v.get_mut("model")?.as_object_mut()?;
        let method = model.remove("kind")?;
        let is_method = method == "Ols" || method.get("Ridge").is_some();
        if !is_method {
            return None;
        }
        model.insert("kind".into(), "linear".into());
        model.insert("method".into(), method);
        serde_json::from_value(v).ok()
    }
}

// ---------------------------------------------------------------- linfa interop

// linfa's `Fit` on a `Dataset` runs the parameters' own `fit(x, y)`. Call it as
// `linfa::traits::Fit::fit(&params, &dataset)`: the inherent `fit` takes `x` and `y`.
macro_rules! linfa_fit {
    ($params:ty, $model:ty) => {
        impl<D: Data<Elem = f64>, T: AsSingleTargets<Elem = f64>> Fit<ArrayBase<D, Ix2>, T, MlError>
            for $params
        {
            type Object = $model;
            fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<$model> {
                <$params>::fit(self, dataset.records().view(), dataset.as_single_targets())
            }
        }
    };
}

linfa_fit!(ForestParams, RandomForestRegressor);
linfa_fit!(BoostParams, GradientBoostingRegressor);
linfa_fit!(TreeParams, DecisionTreeRegressor);
linfa_fit!(LinearParams, LinearModel);
linfa_fit!(ModelParams, Model);

macro_rules! linfa_predict {
    ($model:ty) => {
        /// linfa prediction; input it cannot predict (wrong width, non-finite values) comes back
        /// as NaN — use [`Regressor::predict`] for a typed error instead.
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
