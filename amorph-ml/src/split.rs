//! Train/test splits, K-fold cross-validation.

use crate::error::{MlError, Result};
use crate::metrics::Scores;
use crate::model::{Learner, Regressor};
use crate::rng::Rng;
use ndarray::{Array1, ArrayView1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Row indices of a split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Training rows.
    pub train: Vec<usize>,
    /// Test rows.
    pub test: Vec<usize>,
}

/// Seeded random split of `n` rows with `ceil(test_fraction·n)` test rows (as scikit-learn
/// rounds the test size up).
pub fn train_test_split(n: usize, test_fraction: f64, seed: u64) -> Result<Split> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(MlError::InvalidParameter {
            name: "test_fraction",
            reason: format!("{test_fraction} is not in (0, 1)"),
        });
    }
    let n_test = (test_fraction * n as f64).ceil() as usize;
    if n_test == 0 || n_test >= n {
        return Err(MlError::Empty(format!(
            "{n} rows cannot be split into non-empty train and test parts"
        )));
    }
    let mut perm: Vec<usize> = (0..n).collect();
    Rng::new(seed).shuffle(&mut perm);
    Ok(Split {
        test: perm[..n_test].to_vec(),
        train: perm[n_test..].to_vec(),
    })
}

/// Split by explicit row ids: rows whose id is in `test_ids` (in that order) are the test set,
/// the rest (in table order) the training set.
pub fn split_by_ids<S: AsRef<str>>(row_ids: &[String], test_ids: &[S]) -> Result<Split> {
    let index: HashMap<&str, usize> = row_ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut is_test = vec![false; row_ids.len()];
    let mut test = Vec::with_capacity(test_ids.len());
    for id in test_ids {
        let id = id.as_ref();
        let &i = index
            .get(id)
            .ok_or_else(|| MlError::UnknownRow(id.to_string()))?;
        if !is_test[i] {
            is_test[i] = true;
            test.push(i);
        }
    }
    let train: Vec<usize> = (0..row_ids.len()).filter(|&i| !is_test[i]).collect();
    if test.is_empty() || train.is_empty() {
        return Err(MlError::Empty(
            "train or test part of the split is empty".into(),
        ));
    }
    Ok(Split { train, test })
}

/// K folds of `n` rows, optionally shuffled with `seed`: fold sizes as scikit-learn's `KFold`
/// (the first `n % k` folds hold one row more).
pub fn kfold(n: usize, k: usize, shuffle: Option<u64>) -> Result<Vec<Split>> {
    if k < 2 || k > n {
        return Err(MlError::InvalidParameter {
            name: "k",
            reason: format!("need 2 ≤ k ≤ n ({n}), got {k}"),
        });
    }
    let mut perm: Vec<usize> = (0..n).collect();
    if let Some(seed) = shuffle {
        Rng::new(seed).shuffle(&mut perm);
    }
    let mut out = Vec::with_capacity(k);
    let mut start = 0;
    for f in 0..k {
        let size = n / k + usize::from(f < n % k);
        let test = perm[start..start + size].to_vec();
        let train = perm[..start]
            .iter()
            .chain(&perm[start + size..])
            .copied()
            .collect();
        out.push(Split { train, test });
        start += size;
    }
    Ok(out)
}

/// Result of a cross-validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvResult {
    /// Scores on each held-out fold.
    pub folds: Vec<Scores>,
    /// Mean RMSE over folds.
    pub rmse_mean: f64,
    /// Standard deviation (population, as `numpy.std`) of the fold RMSEs.
    pub rmse_sd: f64,
    /// Mean R² over folds.
    pub r2_mean: f64,
    /// Mean MAE over folds.
    pub mae_mean: f64,
}

/// K-fold cross-validation: on each fold a new model fitted by `params` on the other folds
/// predicts the held-out rows.
///
/// ```
/// use amorph_ml::{LinearParams, cross_validate};
/// use ndarray::{Array1, Array2};
///
/// let x = Array2::from_shape_fn((20, 1), |(i, _)| i as f64);
/// let y: Array1<f64> = x.column(0).mapv(|v| 3.0 * v + 1.0);
/// let cv = cross_validate(&LinearParams::Ols, x.view(), y.view(), 4, 0)?;
/// assert_eq!(cv.folds.len(), 4);
/// assert!(cv.rmse_mean < 1e-9);
/// # Ok::<(), amorph_ml::MlError>(())
/// ```
pub fn cross_validate<L: Learner + ?Sized>(
    params: &L,
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    k: usize,
    seed: u64,
) -> Result<CvResult> {
    if x.nrows() != y.len() {
        return Err(MlError::LengthMismatch {
            what: "target vs feature rows".into(),
            expected: x.nrows(),
            got: y.len(),
        });
    }
    let mut folds = Vec::with_capacity(k);
    for s in kfold(x.nrows(), k, Some(seed))? {
        let xt = x.select(Axis(0), &s.train);
        let yt: Array1<f64> = y.select(Axis(0), &s.train);
        let xv = x.select(Axis(0), &s.test);
        let yv: Vec<f64> = s.test.iter().map(|&i| y[i]).collect();
        let m = params.fit(xt.view(), yt.view())?;
        let p = m.predict(xv.view())?;
        folds.push(Scores::new(&yv, p.as_slice().unwrap_or(&p.to_vec()))?);
    }
    let kf = folds.len() as f64;
    let rmse_mean = folds.iter().map(|s| s.rmse).sum::<f64>() / kf;
    let rmse_sd = (folds
        .iter()
        .map(|s| (s.rmse - rmse_mean).powi(2))
        .sum::<f64>()
        / kf)
        .sqrt();
    Ok(CvResult {
        rmse_mean,
        rmse_sd,
        r2_mean: folds.iter().map(|s| s.r2).sum::<f64>() / kf,
        mae_mean: folds.iter().map(|s| s.mae).sum::<f64>() / kf,
        folds,
    })
}
