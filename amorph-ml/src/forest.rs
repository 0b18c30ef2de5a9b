//! Random forest regressor (scikit-learn's `RandomForestRegressor` semantics).
//!
//! Each tree is grown on a bootstrap sample expressed as integer sample weights (how often each
//! row was drawn), trees are independent given the seed and are grown in parallel with rayon.
//! The prediction is the mean of the trees; their standard deviation is the paper's error bar.

use crate::error::{MlError, Result};
use crate::matrix::{check_predict, check_xy};
use crate::rng::Rng;
use crate::tree::{MaxFeatures, Tree, TreeParams, grow, normalise, presort};
use ndarray::{Array1, ArrayView1, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Hyper-parameters of a random forest (scikit-learn names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestParams {
    /// Number of trees (default 100).
    pub n_estimators: usize,
    /// Maximum depth of each tree (default unlimited).
    pub max_depth: Option<usize>,
    /// Minimum rows to split a node (default 2).
    pub min_samples_split: usize,
    /// Minimum rows per leaf (default 1).
    pub min_samples_leaf: usize,
    /// Features considered per split (default all, as scikit-learn's regressor).
    pub max_features: MaxFeatures,
    /// Draw a bootstrap sample per tree (default true); otherwise every tree sees all rows.
    pub bootstrap: bool,
    /// Seed: fixes the bootstrap samples and feature orders.
    pub seed: u64,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams {
            n_estimators: 100,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::All,
            bootstrap: true,
            seed: 0,
        }
    }
}

impl ForestParams {
    fn tree_params(&self, seed: u64) -> TreeParams {
        TreeParams {
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
            max_features: self.max_features,
            seed,
        }
    }

    /// Checks the ranges of the parameters; the error names the first bad one.
    ///
    /// ```
    /// use amorph_ml::{ForestParams, MlError};
    ///
    /// let bad = ForestParams { n_estimators: 0, ..Default::default() };
    /// assert!(matches!(bad.check(), Err(MlError::InvalidParameter { name: "n_estimators", .. })));
    /// ```
    pub fn check(&self) -> Result<()> {
        if self.n_estimators == 0 {
            return Err(MlError::InvalidParameter {
                name: "n_estimators",
                reason: "must be at least 1".into(),
            });
        }
        self.tree_params(0).check()
    }

    /// Checks the parameters, then fits a forest on `x` (rows = samples) and `y`.
    ///
    /// ```
    /// use amorph_ml::{ForestParams, Regressor};
    /// use ndarray::{Array1, Array2};
    ///
    /// let x = Array2::from_shape_fn((50, 2), |(i, j)| (i * (j + 1)) as f64);
    /// let y: Array1<f64> = x.column(0).mapv(|v| if v < 25.0 { 0.0 } else { 1.0 });
    /// let forest = ForestParams { n_estimators: 10, seed: 7, ..Default::default() }
    ///     .fit(x.view(), y.view())?;
    /// let (mean, std) = forest.predict_with_std(x.view())?;
    /// assert_eq!(mean, forest.predict(x.view())?);
    /// assert_eq!((forest.trees().len(), std.len()), (10, 50));
    /// # Ok::<(), amorph_ml::MlError>(())
    /// ```
    pub fn fit(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<RandomForestRegressor> {
        self.check()?;
        let xm = check_xy(x, y)?;
        let yv = y.to_vec();
        let sorted = presort(&xm);
        let n = xm.n_rows;
        let trees = (0..self.n_estimators)
            .into_par_iter()
            .map(|t| {
                let mut rng = Rng::stream(self.seed, t as u64);
                let mut w = vec![0.0f64; n];
                if self.bootstrap {
                    for _ in 0..n {
                        w[rng.below(n)] += 1.0;
                    }
                } else {
                    w.iter_mut().for_each(|v| *v = 1.0);
                }
                let tp = self.tree_params(rng.next_u64());
                grow(&xm, &sorted, &yv, &w, &tp, &mut rng)
            })
            .collect();
        Ok(RandomForestRegressor {
            params: self.clone(),
            trees,
            n_features: xm.n_cols,
        })
    }
}

/// A fitted random forest of regression trees, made by [`ForestParams::fit`] or loaded from a
/// saved model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ForestRepr")]
pub struct RandomForestRegressor {
    params: ForestParams,
    trees: Vec<Tree>,
    n_features: usize,
}

/// The serialised form of [`RandomForestRegressor`], checked before it becomes one.
#[derive(Deserialize)]
struct ForestRepr {
    params: ForestParams,
    trees: Vec<Tree>,
    n_features: usize,
}

impl TryFrom<ForestRepr> for RandomForestRegressor {
    type Error = String;
    fn try_from(r: ForestRepr) -> std::result::Result<Self, String> {
        if r.trees.is_empty() {
            return Err("a random forest needs at least one tree".into());
        }
        for (k, t) in r.trees.iter().enumerate() {
            if t.n_features != r.n_features {
                return Err(format!(
                    "tree {k} has {} features, the forest {}",
                    t.n_features, r.n_features
                ));
            }
            t.check_structure().map_err(|e| format!("tree {k}: {e}"))?;
        }
        Ok(RandomForestRegressor {
            params: r.params,
            trees: r.trees,
            n_features: r.n_features,
        })
    }
}

impl RandomForestRegressor {
    /// The hyper-parameters it was fitted with.
    pub fn params(&self) -> &ForestParams {
        &self.params
    }

    /// The fitted trees (at least one).
    pub fn trees(&self) -> &[Tree] {
        &self.trees
    }

    /// Number of features seen at fit time.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Mean prediction and standard deviation over the trees, per row.
    pub fn predict_with_std(&self, x: ArrayView2<'_, f64>) -> Result<(Array1<f64>, Array1<f64>)> {
        check_predict(x, self.n_features)?;
        let k = self.trees.len() as f64;
        let rows: Vec<(f64, f64)> = (0..x.nrows())
            .into_par_iter()
            .map(|i| {
                let row = x.row(i);
                let (mut s, mut q) = (0.0, 0.0);
                for t in &self.trees {
                    let v = t.predict_with(|j| row[j]);
                    s += v;
                    q += v * v;
                }
                let mean = s / k;
                (mean, (q / k - mean * mean).max(0.0).sqrt())
            })
            .collect();
        Ok((
            rows.iter().map(|r| r.0).collect(),
            rows.iter().map(|r| r.1).collect(),
        ))
    }

    /// Impurity (MDI) importances as scikit-learn computes them: per-tree normalised, averaged
    /// over trees with at least one split, normalised to sum 1.
    pub fn impurity_importances(&self) -> Vec<f64> {
        let mut acc = vec![0.0; self.n_features];
        let mut used = 0usize;
        for t in &self.trees {
            if t.nodes.len() > 1 {
                used += 1;
                for (a, v) in acc.iter_mut().zip(t.impurity_importances()) {
                    *a += v;
                }
            }
        }
        if used > 0 {
            acc.iter_mut().for_each(|a| *a /= used as f64);
        }
        normalise(&mut acc);
        acc
    }
}
