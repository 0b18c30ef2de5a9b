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

/// Which linear model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum LinearKind {
    /// Ordinary least squares.
    Ols,
    /// Ridge regression with L2 penalty `alpha` ≥ 0.
    Ridge {
        /// Penalty strength.
        alpha: f64,
    },
}

/// A linear model `y = x·coef + intercept`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    /// Which model.
    pub kind: LinearKind,
    /// Coefficients (empty before `fit`).
    pub coef: Vec<f64>,
    /// Intercept.
    pub intercept: f64,
}

impl LinearModel {
    /// An unfitted OLS model.
    pub fn ols() -> Self {
        LinearModel {
            kind: LinearKind::Ols,
            coef: Vec::new(),
            intercept: 0.0,
        }
    }

    /// An unfitted ridge model.
    pub fn ridge(alpha: f64) -> Self {
        LinearModel {
            kind: LinearKind::Ridge { alpha },
            coef: Vec::new(),
            intercept: 0.0,
        }
    }

    /// Fits the model.
    pub fn fit_view(&mut self, x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<()> {
        check_xy(x, y)?;
        let lin = |e: linfa_linear::LinearError<f64>| MlError::Linear(e.to_string());
        match self.kind {
            LinearKind::Ols => {
                let ds = Dataset::new(x.to_owned(), y.to_owned());
                let m = LinearRegression::new().fit(&ds).map_err(lin)?;
                self.coef = m.params().to_vec();
                self.intercept = m.intercept();
            }
            LinearKind::Ridge { alpha } => {
                if !(alpha >= 0.0 && alpha.is_finite()) {
                    return Err(MlError::InvalidParameter {
                        name: "alpha",
                        reason: format!("{alpha} is not a finite value ≥ 0"),
                    });
                }
                let p = x.ncols();
                let xm = x.mean_axis(Axis(0)).ok_or(MlError::NotFitted)?;
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
                self.coef = m.params().to_vec();
                self.intercept = ym - xm.dot(m.params());
            }
        }
        Ok(())
    }

    pub(crate) fn predict_view(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        if self.coef.is_empty() {
            return Err(MlError::NotFitted);
        }
        check_predict(x, self.coef.len())?;
        let c = Array1::from(self.coef.clone());
        Ok(x.dot(&c) + self.intercept)
    }
}
