//! Random forests and gradient boosting on numpy arrays (amorph-ml, as `amorph train`), and
//! SISSO (amorph-sisso, as `amorph sisso`).

use crate::error::{Ctx, bad, to_json};
use amorph_ml::{BoostParams, ForestParams, Model, ModelParams, Regressor, TreeMethod};
use amorph_sisso::{Config, Dataset, Report, Sisso, Table, config::OpList, config::Subspace};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

/// A fitted model: `predict(X)`, `importances`, `to_json()` (the model file `amorph train`
/// writes holds the same model).
#[pyclass(module = "amorph._amorph", name = "Model", frozen)]
pub struct PyModel {
    model: Model,
}

#[pymethods]
impl PyModel {
    /// One prediction per row of `x` (shape (rows, features)).
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let x = x.as_array();
        let p = py.detach(|| self.model.predict(x)).ctx("predict")?;
        Ok(p.into_pyarray(py))
    }

    /// Built-in feature importances (sum 1), one per column.
    #[getter]
    fn importances(&self) -> Option<Vec<f64>> {
        self.model.importances()
    }

    /// Number of feature columns the model expects.
    #[getter]
    fn n_features(&self) -> usize {
        self.model.n_features()
    }

    /// The model as JSON.
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.model)
    }
}

fn fit(
    py: Python<'_>,
    params: ModelParams,
    x: PyReadonlyArray2<'_, f64>,
    y: PyReadonlyArray1<'_, f64>,
) -> PyResult<PyModel> {
    let (x, y) = (x.as_array(), y.as_array());
    let model = py.detach(|| params.fit(x, y)).ctx("fit")?;
    Ok(PyModel { model })
}

/// A random forest (scikit-learn's semantics; defaults as `amorph train --model rf`: 100
/// trees, unlimited depth, seed 62) fitted on `x` (rows = samples) and `y`.
#[pyfunction]
#[pyo3(signature = (x, y, n_estimators = 100, max_depth = None, seed = 62))]
pub fn fit_random_forest(
    py: Python<'_>,
    x: PyReadonlyArray2<'_, f64>,
    y: PyReadonlyArray1<'_, f64>,
    n_estimators: usize,
    max_depth: Option<usize>,
    seed: u64,
) -> PyResult<PyModel> {
    let params = ModelParams::RandomForest(ForestParams {
        n_estimators,
        max_depth,
        seed,
        ..ForestParams::default()
    });
    fit(py, params, x, y)
}

/// Gradient-boosted trees (XGBoost's semantics; defaults as `amorph train --model gbt`, the
/// paper's settings: 100 trees, depth 4, η 0.1, α 0.8, λ 1, `hist`).
#[pyfunction]
#[pyo3(signature = (x, y, n_estimators = 100, max_depth = 4, learning_rate = 0.1,
    reg_alpha = 0.8, reg_lambda = 1.0, gamma = 0.0, min_child_weight = 1.0, subsample = 1.0,
    colsample_bytree = 1.0, tree_method = "hist", seed = 62))]
#[allow(clippy::too_many_arguments)]
pub fn fit_gradient_boosting(
    py: Python<'_>,
    x: PyReadonlyArray2<'_, f64>,
    y: PyReadonlyArray1<'_, f64>,
    n_estimators: usize,
    max_depth: usize,
    learning_rate: f64,
    reg_alpha: f64,
    reg_lambda: f64,
    gamma: f64,
    min_child_weight: f64,
    subsample: f64,
    colsample_bytree: f64,
    tree_method: &str,
    seed: u64,
) -> PyResult<PyModel> {
    let tree_method = match tree_method {
        "hist" => TreeMethod::Hist,
        "exact" => TreeMethod::Exact,
        other => return Err(bad(format!("tree_method {other}: expected hist or exact"))),
    };
    let params = ModelParams::GradientBoosting(BoostParams {
        n_estimators,
        max_depth,
        learning_rate,
        reg_alpha,
        reg_lambda,
        gamma,
        min_child_weight,
        subsample,
        colsample_bytree,
        tree_method,
        seed,
        ..BoostParams::default()
    });
    fit(py, params, x, y)
}

/// A SISSO table from columns.
fn table(names: &[String], columns: Vec<Vec<f64>>, ids: Option<Vec<String>>) -> PyResult<Table> {
    let n = columns.first().map_or(0, Vec::len);
    if let Some((k, c)) = columns.iter().enumerate().find(|(_, c)| c.len() != n) {
        return Err(bad(format!(
            "column {}: {} values, expected {n}",
            names[k],
            c.len()
        )));
    }
    let ids = ids.unwrap_or_else(|| (0..n).map(|i| i.to_string()).collect());
    if ids.len() != n {
        return Err(bad(format!("ids: {} for {n} rows", ids.len())));
    }
    Ok(Table {
        id_name: "index".into(),
        ids,
        names: names.to_vec(),
        columns,
        skipped: vec![],
    })
}

/// `amorph sisso`: SISSO models for dimensions 1..=max_dim on the columns `names` (values in
/// `columns`, one list per column, the target among them), with the same options as the
/// command line. `test_columns` (same names) are the held-out rows. Returns the JSON of
/// `amorph sisso --json`.
#[pyfunction]
#[pyo3(signature = (names, columns, target, ops = None, max_dim = None, rung = None,
    max_complexity = None, subspace = None, n_models = None, cv = None, threads = None,
    test_columns = None, name = "<python>"))]
#[allow(clippy::too_many_arguments)]
pub fn sisso(
    py: Python<'_>,
    names: Vec<String>,
    columns: Vec<Vec<f64>>,
    target: String,
    ops: Option<String>,
    max_dim: Option<usize>,
    rung: Option<u32>,
    max_complexity: Option<u32>,
    subspace: Option<usize>,
    n_models: Option<usize>,
    cv: Option<usize>,
    threads: Option<usize>,
    test_columns: Option<Vec<Vec<f64>>>,
    name: &str,
) -> PyResult<String> {
    if names.len() != columns.len() {
        return Err(bad(format!(
            "{} names for {} columns",
            names.len(),
            columns.len()
        )));
    }
    // The same overrides, in the same order, as src/cli/sisso.rs.
    let mut cfg = Config {
        target: Some(target.clone()),
        ..Config::default()
    };
    if let Some(v) = max_dim {
        cfg.max_dim = v;
    }
    if let Some(v) = rung {
        cfg.rung = Some(v);
    }
    if let Some(v) = max_complexity {
        cfg.max_complexity = Some(v);
    }
    if let Some(v) = &ops {
        cfg.ops = Some(OpList::Text(v.clone()));
        if v.trim().is_empty() && rung.is_none() {
            cfg.rung = Some(0);
        }
    }
    if let Some(v) = subspace {
        cfg.subspace = Subspace::One(v);
    }
    if let Some(v) = n_models {
        cfg.n_models = v;
    }
    if let Some(v) = cv {
        cfg.cv_folds = v;
    }
    cfg.threads = threads;
    let sisso = Sisso::new(cfg.clone()).ctx("sisso settings")?;
    let train = table(&names, columns, None)?;
    let test = test_columns.map(|c| table(&names, c, None)).transpose()?;
    let report = py.detach(|| -> PyResult<Report> {
        let data = Dataset::from_table(&train, &target, &cfg).ctx(name)?;
        let start = std::time::Instant::now();
        let fit = sisso.fit(&data).ctx(name)?;
        let fit_s = start.elapsed().as_secs_f64();
        let test = match &test {
            Some(t) => Some((t.n_rows(), fit.test_rmses(t, &target).ctx("test table")?)),
            None => None,
        };
        let mut report = Report::new(name, &data, &fit, fit_s, test.clone());
        if test.is_none() && cfg.cv_folds >= 2 {
            let cv = sisso
                .cross_validate(&data, cfg.cv_folds, cfg.seed)
                .ctx(name)?;
            report = report.with_cv(cfg.cv_folds, cv);
        }
        Ok(report)
    })?;
    to_json(&report)
}
