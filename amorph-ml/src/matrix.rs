//! Input validation and the column-major copy of the feature matrix used by the tree builders.

use crate::error::{MlError, Result};
use ndarray::{ArrayView1, ArrayView2};

/// A dense feature matrix stored column by column (each feature contiguous).
#[derive(Debug, Clone)]
pub struct ColMatrix {
    /// Number of rows (samples).
    pub n_rows: usize,
    /// Number of columns (features).
    pub n_cols: usize,
    /// `data[j * n_rows + i]` = feature `j` of sample `i`.
    pub data: Vec<f64>,
}

impl ColMatrix {
    /// Column `j`.
    #[inline]
    pub fn col(&self, j: usize) -> &[f64] {
        &self.data[j * self.n_rows..(j + 1) * self.n_rows]
    }

    /// Copies and validates a feature matrix: at least one row and one column, all finite.
    pub fn from_view(x: ArrayView2<'_, f64>) -> Result<Self> {
        check_features(x)?;
        let (n_rows, n_cols) = x.dim();
        let mut data = Vec::with_capacity(n_rows * n_cols);
        for j in 0..n_cols {
            data.extend(x.column(j).iter().copied());
        }
        Ok(ColMatrix {
            n_rows,
            n_cols,
            data,
        })
    }
}

/// Checks that `x` is non-empty and finite.
pub fn check_features(x: ArrayView2<'_, f64>) -> Result<()> {
    let (n, p) = x.dim();
    if n == 0 {
        return Err(MlError::Empty("feature matrix has no rows".into()));
    }
    if p == 0 {
        return Err(MlError::Empty("feature matrix has no columns".into()));
    }
    for ((row, column), &value) in x.indexed_iter() {
        if !value.is_finite() {
            return Err(MlError::NonFinite {
                what: "features",
                row,
                column,
                value,
            });
        }
    }
    Ok(())
}

/// Checks a finite vector of the expected length.
pub fn check_vector(v: ArrayView1<'_, f64>, expected: usize, what: &'static str) -> Result<()> {
    if v.len() != expected {
        return Err(MlError::LengthMismatch {
            what: format!("{what} vs feature rows"),
            expected,
            got: v.len(),
        });
    }
    for (row, &value) in v.iter().enumerate() {
        if !value.is_finite() {
            return Err(MlError::NonFinite {
                what,
                row,
                column: 0,
                value,
            });
        }
    }
    Ok(())
}

/// Validates `(x, y)` for fitting and returns the column-major copy of `x`.
pub fn check_xy(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<ColMatrix> {
    let m = ColMatrix::from_view(x)?;
    check_vector(y, m.n_rows, "target")?;
    Ok(m)
}

/// Validates a matrix for prediction against the number of features the model was fitted on.
pub fn check_predict(x: ArrayView2<'_, f64>, n_features: usize) -> Result<()> {
    if x.ncols() != n_features {
        return Err(MlError::LengthMismatch {
            what: "feature columns vs fitted model".into(),
            expected: n_features,
            got: x.ncols(),
        });
    }
    if x.nrows() == 0 {
        return Err(MlError::Empty("feature matrix has no rows".into()));
    }
    check_features(x)
}
