//! Linear models through linfa-linear: ordinary least squares and ridge regression.
//!
//! Ridge (`min ‖y − Xw − b‖² + α‖w‖²`, intercept not penalised, scikit-learn's `Ridge`) is
//! solved as an OLS problem on the centred data augmented with `√α·I` rows, so both models use
//! linfa-linear's solver.

use crate::error::{MlError, Result};
use crate::matrix::{check_predict, check_xy};
use linfa::prelude::*;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, concatenate};
use serde::{Deserialize, Serialize};

/// Hyper-parameters of a linear model: which one, and ridge's penalty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum LinearParams {
    /// Ordinary least squares.
    #[default]
    Ols,
    /// Ridge regression with L2 penalty `alpha` ≥ 0.
    Ridge {
        /// Penalty strength.
        alpha: f64,
    },
}

impl LinearParams {
    /// Checks the ranges of the parameters (ridge's `alpha` finite and ≥ 0).
    ///
    /// ```
    /// use amorph_ml::{LinearParams, MlError};
    ///
    /// let bad = LinearParams::Ridge { alpha: -1.0 };
    /// assert!(matches!(bad.check(), Err(MlError::InvalidParameter { name: "alpha", .. })));
    /// ```
    pub fn check(&self) -> Result<()> {
        match *self {
            LinearParams::Ols => Ok(()),
            LinearParams::Ridge { alpha } if alpha >= 0.0 && alpha.is_finite() => Ok(()),
            LinearParams::Ridge { alpha } => Err(MlError::InvalidParameter {
                name: "alpha",
                reason: format!("{alpha} is not a finite value ≥ 0"),
            }),
        }
    }

    /// Checks the parameters, then fits `y = x·coef + intercept`.
    ///
    /// ```
    /// use amorph_ml::{LinearParams, Regressor};
    /// use ndarray::array;
    ///
    /// let x = array![[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]];
    /// let y = array![2.5, 2.0, 6.0, 5.5]; // 1·x0 + 1.5·x1 + 1
    /// let m = LinearParams::Ols.fit(x.view(), y.view())?;
    /// assert!((m.coef()[1] - 1.5).abs() < 1e-9 && (m.intercept() - 1.0).abs() < 1e-9);
    /// assert_eq!(m.importances(), None);
    /// # Ok::<(), amorph_ml::MlError>(())
    /// ```
    pub fn fit(&self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<LinearModel> {
        self.check()?;
        check_xy(x, y)?;
        let lin = |e: linfa_linear::LinearError<f64>| MlError::Linear(e.to_string());
        let (coef, intercept) = match *self {
            LinearParams::Ols => {
                let ds = Dataset::new(x.to_owned(), y.to_owned());
                let m = LinearRegression::new().fit(&ds).map_err(lin)?;
                (m.params().to_vec(), m.intercept())
            }
            LinearParams::Ridge { alpha } => {
                let p = x.ncols();
                let xm = x
                    .mean_axis(Axis(0))
                    .ok_or_else(|| MlError::Empty("feature matrix has no rows".into()))?;
                let ym = y.mean().unwrap_or(0.0);
                let xc = &x - &xm;
                let yc = &y - ym;
                let aug = Array2::<f64>::eye(p) * alpha.sqrt();
                let xa = concatenate(Axis(0), &[xc.view(), aug.view()])
                    .map_err(|e| MlError::Linear(e.to_string()))?;
                let ya = concatenate(Axis(0), &[yc.view(), Array1::zeros(p).view()])
                    .map_err(|e| MlError::Linear(e.to_string()))?;
                let ds = Dataset::new(xa, ya);
                let m = LinearRegression::new()
                    .with_intercept(false)
                    .fit(&ds)
                    .map_err(lin)?;
                (m.params().to_vec(), ym - xm.dot(m.params()))
            }
        };
        Ok(LinearModel {
            params: *self,
            coef,
            intercept,
        })
    }
}

/// A fitted linear model `y = x·coef + intercept`, made by [`LinearParams::fit`] or loaded from
/// a saved model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LinearRepr")]
pub struct LinearModel {
    /// Saved under `method`. Files of amorph 0.1.0 saved it under `kind`, the name of
    /// [`crate::Model`]'s tag too, so they could not be read back; [`crate::TrainedModel`]
    /// reads them.
    #[serde(rename = "method")]
    params: LinearParams,
    coef: Vec<f64>,
    intercept: f64,
}

/// The serialised form of [`LinearModel`], checked before it becomes one.
#[derive(Deserialize)]
struct LinearRepr {
    method: LinearParams,
    coef: Vec<f64>,
    intercept: f64,
}

impl TryFrom<LinearRepr> for LinearModel {
    type Error = String;
    fn try_from(r: LinearRepr) -> std::result::Result<Self, String> {
        if r.coef.is_empty() {
            return Err("a linear model needs at least one coefficient".into());
        }
        if let Some(x) = std::iter::once(&r.intercept)
            .chain(&r.coef)
            .find(|x| !x.is_finite())
        {
            return Err(format!("a linear model with the non-finite parameter {x}"));
        }
        Ok(LinearModel {
            params: r.method,
            coef: r.coef,
            intercept: r.intercept,
        })
    }
}

impl LinearModel {
    /// The hyper-parameters it was fitted with.
    pub fn params(&self) -> &LinearParams {
        &self.params
    }

    /// The coefficients, one per feature.
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The intercept.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    pub(crate) fn predict_view(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        check_predict(x, self.coef.len())?;
        let c = Array1::from(self.coef.clone());
        Ok(x.dot(&c) + self.intercept)
    }
}
