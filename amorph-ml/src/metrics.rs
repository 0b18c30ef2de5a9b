//! Regression metrics: R², MAE, RMSE (scikit-learn definitions).

use crate::error::{MlError, Result};
use serde::{Deserialize, Serialize};

fn check(y_true: &[f64], y_pred: &[f64]) -> Result<()> {
    if y_true.is_empty() {
        return Err(MlError::Empty("no values to score".into()));
    }
    if y_true.len() != y_pred.len() {
        return Err(MlError::LengthMismatch {
            what: "predictions vs targets".into(),
            expected: y_true.len(),
            got: y_pred.len(),
        });
    }
    Ok(())
}

/// Coefficient of determination `1 − SS_res/SS_tot`; for a constant target 1 if the prediction
/// is perfect, else 0 (scikit-learn's `force_finite`).
pub fn r2(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check(y_true, y_pred)?;
    let mean = y_true.iter().sum::<f64>() / y_true.len() as f64;
    let ss_tot: f64 = y_true.iter().map(|y| (y - mean).powi(2)).sum();
    let ss_res: f64 = y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b).powi(2))
        .sum();
    Ok(if ss_tot == 0.0 {
        if ss_res == 0.0 { 1.0 } else { 0.0 }
    } else {
        1.0 - ss_res / ss_tot
    })
}

/// Mean absolute error.
pub fn mae(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check(y_true, y_pred)?;
    Ok(y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b).abs())
        .sum::<f64>()
        / y_true.len() as f64)
}

/// Root mean squared error.
pub fn rmse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check(y_true, y_pred)?;
    Ok((y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        / y_true.len() as f64)
        .sqrt())
}

/// R², RMSE and MAE together.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Coefficient of determination.
    pub r2: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean absolute error.
    pub mae: f64,
}

impl Scores {
    /// Scores predictions against targets.
    pub fn new(y_true: &[f64], y_pred: &[f64]) -> Result<Self> {
        Ok(Scores {
            r2: r2(y_true, y_pred)?,
            rmse: rmse(y_true, y_pred)?,
            mae: mae(y_true, y_pred)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let t = [3.0, -0.5, 2.0, 7.0];
        let p = [2.5, 0.0, 2.0, 8.0];
        // scikit-learn documentation examples.
        assert!((r2(&t, &p).unwrap() - 0.948_608_137_044_967_9).abs() < 1e-12);
        assert!((mae(&t, &p).unwrap() - 0.5).abs() < 1e-12);
        assert!((rmse(&t, &p).unwrap() - 0.375f64.sqrt()).abs() < 1e-12);
        assert!(matches!(
            r2(&t, &p[..2]),
            Err(MlError::LengthMismatch { .. })
        ));
        assert!(matches!(mae(&[], &[]), Err(MlError::Empty(_))));
    }
}
