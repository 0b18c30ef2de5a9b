//! Permutation importance and Pearson correlation of features with the target.

use crate::error::{MlError, Result};
use crate::matrix::{check_features, check_vector};
use crate::metrics::r2;
use crate::model::Regressor;
use crate::rng::Rng;
use ndarray::{ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

/// Permutation importance of each feature: mean and standard deviation over `n_repeats` of the
/// drop in R² when that column is shuffled (scikit-learn's `permutation_importance`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermutationImportance {
    /// Mean R² drop per feature.
    pub mean: Vec<f64>,
    /// Standard deviation of the R² drop per feature.
    pub std: Vec<f64>,
    /// R² of the model on the unshuffled data.
    pub baseline: f64,
}

/// Computes permutation importances of a fitted model on `(x, y)`.
pub fn permutation_importance<R: Regressor + ?Sized>(
    model: &R,
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    n_repeats: usize,
    seed: u64,
) -> Result<PermutationImportance> {
    check_features(x)?;
    check_vector(y, x.nrows(), "target")?;
    if n_repeats == 0 {
        return Err(MlError::InvalidParameter {
            name: "n_repeats",
            reason: "must be at least 1".into(),
        });
    }
    let yv = y.to_vec();
    let baseline = r2(&yv, &model.predict(x)?.to_vec())?;
    let mut rng = Rng::new(seed);
    let mut xs = x.to_owned();
    let (mut mean, mut std) = (Vec::new(), Vec::new());
    let mut perm: Vec<usize> = (0..x.nrows()).collect();
    for j in 0..x.ncols() {
        let orig = x.column(j).to_owned();
        let mut drops = Vec::with_capacity(n_repeats);
        for _ in 0..n_repeats {
            rng.shuffle(&mut perm);
            for (i, &pi) in perm.iter().enumerate() {
                xs[[i, j]] = orig[pi];
            }
            drops.push(baseline - r2(&yv, &model.predict(xs.view())?.to_vec())?);
        }
        xs.column_mut(j).assign(&orig);
        let m = drops.iter().sum::<f64>() / n_repeats as f64;
        let s = (drops.iter().map(|d| (d - m).powi(2)).sum::<f64>() / n_repeats as f64).sqrt();
        mean.push(m);
        std.push(s);
    }
    Ok(PermutationImportance {
        mean,
        std,
        baseline,
    })
}

/// Pearson correlation coefficient of two equally long vectors (0 if either is constant).
pub fn pearson(a: &[f64], b: &[f64]) -> Result<f64> {
    if a.len() != b.len() {
        return Err(MlError::LengthMismatch {
            what: "pearson vectors".into(),
            expected: a.len(),
            got: b.len(),
        });
    }
    if a.len() < 2 {
        return Err(MlError::Empty("pearson needs at least two values".into()));
    }
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    Ok(if saa == 0.0 || sbb == 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    })
}

/// Pearson correlation of every column of `x` with `y` (the paper's Table 1), in column order.
pub fn correlation_table(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<Vec<f64>> {
    check_features(x)?;
    check_vector(y, x.nrows(), "target")?;
    let yv = y.to_vec();
    x.columns()
        .into_iter()
        .map(|c| pearson(&c.to_vec(), &yv))
        .collect()
}
