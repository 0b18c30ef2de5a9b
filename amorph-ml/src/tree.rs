//! CART regression tree with scikit-learn semantics (squared error, best splitter).
//!
//! Splits maximise the proxy `S_L²/W_L + S_R²/W_R` (sums and weights of the target), thresholds
//! are midpoints between consecutive distinct sorted values (values closer than `1e-7` count as
//! equal), `x <= threshold` goes left, and sample weights are honoured throughout — the random
//! forest passes bootstrap counts as weights, exactly as scikit-learn does. Features are visited
//! in a random order, which only matters for ties (and for `max_features` < all).

use crate::error::{MlError, Result};
use crate::matrix::{ColMatrix, check_predict, check_vector, check_xy};
use crate::rng::Rng;
use ndarray::{Array1, ArrayView1, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Marker of a leaf in [`Node::feature`].
pub const LEAF: u32 = u32::MAX;
/// Feature values closer than this are treated as equal (scikit-learn's `FEATURE_THRESHOLD`).
const FEATURE_THRESHOLD: f64 = 1e-7;

/// One node of a fitted regression tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Split feature, or [`LEAF`].
    pub feature: u32,
    /// Split threshold: `x[feature] <= threshold` goes left.
    pub threshold: f64,
    /// Index of the left child (unused for leaves).
    pub left: u32,
    /// Index of the right child (unused for leaves).
    pub right: u32,
    /// Prediction of the node: weighted mean of its targets.
    pub value: f64,
    /// Weighted variance of the node's targets.
    pub impurity: f64,
    /// Total sample weight in the node.
    pub weight: f64,
    /// Number of distinct training rows in the node.
    pub n_samples: u32,
}

/// How many features each split considers (scikit-learn's `max_features`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum MaxFeatures {
    /// All features (scikit-learn's default for regression, `1.0`).
    #[default]
    All,
    /// `max(1, floor(sqrt(p)))`.
    Sqrt,
    /// `max(1, floor(log2(p)))`.
    Log2,
    /// `max(1, floor(f * p))`, `0 < f <= 1`.
    Fraction(f64),
    /// A fixed count (at most `p`).
    Count(usize),
}

impl MaxFeatures {
    fn resolve(self, p: usize) -> Result<usize> {
        let k = match self {
            MaxFeatures::All => p,
            MaxFeatures::Sqrt => (p as f64).sqrt().floor() as usize,
            MaxFeatures::Log2 => (p as f64).log2().floor() as usize,
            MaxFeatures::Fraction(f) => {
                if !(f > 0.0 && f <= 1.0) {
                    return Err(MlError::InvalidParameter {
                        name: "max_features",
                        reason: format!("fraction {f} is not in (0, 1]"),
                    });
                }
                (f * p as f64).floor() as usize
            }
            MaxFeatures::Count(c) => {
                if c == 0 {
                    return Err(MlError::InvalidParameter {
                        name: "max_features",
                        reason: "count must be at least 1".into(),
                    });
                }
                c.min(p)
            }
        };
        Ok(k.max(1))
    }
}

/// Hyper-parameters of a regression tree (scikit-learn names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    /// Maximum depth; `None` grows until leaves are pure or too small.
    pub max_depth: Option<usize>,
    /// A node needs at least this many rows to be split (≥ 2).
    pub min_samples_split: usize,
    /// Each child needs at least this many rows (≥ 1).
    pub min_samples_leaf: usize,
    /// Features considered per split.
    pub max_features: MaxFeatures,
    /// Seed of the feature order (ties and `max_features`).
    pub seed: u64,
}

impl Default for TreeParams {
    fn default() -> Self {
        TreeParams {
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::All,
            seed: 0,
        }
    }
}

impl TreeParams {
    /// Checks the ranges of the parameters; the error names the first bad one.
    ///
    /// ```
    /// use amorph_ml::{MlError, TreeParams};
    ///
    /// let bad = TreeParams { min_samples_split: 1, ..Default::default() };
    /// assert!(matches!(bad.check(), Err(MlError::InvalidParameter { name: "min_samples_split", .. })));
    /// ```
    pub fn check(&self) -> Result<()> {
        if self.min_samples_split < 2 {
            return Err(MlError::InvalidParameter {
                name: "min_samples_split",
                reason: format!("{} < 2", self.min_samples_split),
            });
        }
        if self.min_samples_leaf < 1 {
            return Err(MlError::InvalidParameter {
                name: "min_samples_leaf",
                reason: "must be at least 1".into(),
            });
        }
        if self.max_depth == Some(0) {
            return Err(MlError::InvalidParameter {
                name: "max_depth",
                reason: "must be at least 1 (or None)".into(),
            });
        }
        self.max_features.resolve(1)?;
        Ok(())
    }
}

/// A fitted regression tree: a flat array of nodes, root first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// Nodes; node 0 is the root.
    pub nodes: Vec<Node>,
    /// Number of features seen at fit time.
    pub n_features: usize,
}

impl Tree {
    /// Prediction for one row given by a feature accessor.
    #[inline]
    pub fn predict_with(&self, feature: impl Fn(usize) -> f64) -> f64 {
        let mut k = 0usize;
        loop {
            let n = &self.nodes[k];
            if n.feature == LEAF {
                return n.value;
            }
            k = if feature(n.feature as usize) <= n.threshold {
                n.left as usize
            } else {
                n.right as usize
            };
        }
    }

    /// Depth of the tree (a lone leaf has depth 0).
    pub fn depth(&self) -> usize {
        // Children come after their parent (see [`Tree::check`]), so one forward pass gives
        // every node's depth without recursion.
        let mut depth = vec![0usize; self.nodes.len()];
        let mut max = 0;
        for (k, n) in self.nodes.iter().enumerate() {
            let here = depth[k];
            max = max.max(here);
            if n.feature != LEAF {
                for c in [n.left as usize, n.right as usize] {
                    if let Some(d) = depth.get_mut(c) {
                        *d = here + 1;
                    }
                }
            }
        }
        max
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.feature == LEAF).count()
    }

    /// Checks what prediction relies on (used when a saved tree is loaded): at least one node,
    /// children after their parent and inside the array, split features below `n_features`.
    pub(crate) fn check_structure(&self) -> std::result::Result<(), String> {
        check_nodes(
            self.nodes.iter().map(|n| (n.feature, n.left, n.right)),
            self.n_features,
        )
    }

    /// Impurity (MDI) importances, normalised to sum 1 (all zero for a lone leaf).
    pub fn impurity_importances(&self) -> Vec<f64> {
        let mut imp = vec![0.0; self.n_features];
        for n in &self.nodes {
            if n.feature != LEAF {
                let l = &self.nodes[n.left as usize];
                let r = &self.nodes[n.right as usize];
                imp[n.feature as usize] +=
                    n.weight * n.impurity - l.weight * l.impurity - r.weight * r.impurity;
            }
        }
        normalise(&mut imp);
        imp
    }
}

/// Checks a flat tree given as `(feature, left, right)` per node, root first: non-empty,
/// inner nodes' children after them and inside the array (so every walk ends at a leaf), split
/// features below `n_features`.
pub(crate) fn check_nodes(
    nodes: impl ExactSizeIterator<Item = (u32, u32, u32)>,
    n_features: usize,
) -> std::result::Result<(), String> {
    let len = nodes.len();
    if len == 0 {
        return Err("a tree without nodes".into());
    }
    for (k, (feature, left, right)) in nodes.enumerate() {
        if feature == LEAF {
            continue;
        }
        if feature as usize >= n_features {
            return Err(format!(
                "node {k} splits on feature {feature} of {n_features}"
            ));
        }
        for child in [left, right] {
            let c = child as usize;
            if c <= k || c >= len {
                return Err(format!(
                    "node {k} points to node {child} (children follow their parent, {len} nodes)"
                ));
            }
        }
    }
    Ok(())
}

/// Scales `v` to sum 1 when its sum is positive.
pub(crate) fn normalise(v: &mut [f64]) {
    let s: f64 = v.iter().sum();
    if s > 0.0 {
        v.iter_mut().for_each(|x| *x /= s);
    }
}

/// Row indices sorted by each feature (stable), feature after feature: `p * n` entries.
pub(crate) fn presort(x: &ColMatrix) -> Vec<u32> {
    let n = x.n_rows;
    let mut out = vec![0u32; n * x.n_cols];
    out.par_chunks_mut(n).enumerate().for_each(|(j, chunk)| {
        let col = x.col(j);
        for (i, c) in chunk.iter_mut().enumerate() {
            *c = i as u32;
        }
        chunk.sort_by(|&a, &b| col[a as usize].total_cmp(&col[b as usize]));
    });
    out
}

struct Work {
    start: usize,
    end: usize,
    depth: usize,
    parent: u32,
    is_left: bool,
}

/// Grows one tree on rows with positive weight; `presorted` from [`presort`].
pub(crate) fn grow(
    x: &ColMatrix,
    presorted: &[u32],
    y: &[f64],
    w: &[f64],
    params: &TreeParams,
    rng: &mut Rng,
) -> Tree {
    let n = x.n_rows;
    let p = x.n_cols;
    let max_features = params.max_features.resolve(p).unwrap_or(p);
    let m = w.iter().filter(|&&wi| wi > 0.0).count();
    // Per feature: in-bag rows sorted by value, and the values alongside.
    let mut idx = vec![0u32; p * m];
    let mut val = vec![0.0f64; p * m];
    for j in 0..p {
        let col = x.col(j);
        let mut k = j * m;
        for &r in &presorted[j * n..(j + 1) * n] {
            if w[r as usize] > 0.0 {
                idx[k] = r;
                val[k] = col[r as usize];
                k += 1;
            }
        }
    }
    let wy: Vec<f64> = w.iter().zip(y).map(|(a, b)| a * b).collect();
    let mut goes_left = vec![false; n];
    let mut tmp_idx: Vec<u32> = Vec::with_capacity(m);
    let mut tmp_val: Vec<f64> = Vec::with_capacity(m);
    let mut features: Vec<usize> = (0..p).collect();
    let mut nodes: Vec<Node> = Vec::new();
    let max_depth = params.max_depth.unwrap_or(usize::MAX);
    let msl = params.min_samples_leaf;

    let mut stack = vec![Work {
        start: 0,
        end: m,
        depth: 0,
        parent: u32::MAX,
        is_left: false,
    }];
    while let Some(work) = stack.pop() {
        let (s, e) = (work.start, work.end);
        let count = e - s;
        let (mut wsum, mut ssum, mut qsum) = (0.0, 0.0, 0.0);
        for &r in &idx[s..e] {
            let r = r as usize;
            wsum += w[r];
            ssum += wy[r];
            qsum += wy[r] * y[r];
        }
        let mean = ssum / wsum;
        let impurity = (qsum / wsum - mean * mean).max(0.0);
        let id = nodes.len() as u32;
        nodes.push(Node {
            feature: LEAF,
            threshold: 0.0,
            left: 0,
            right: 0,
            value: mean,
            impurity,
            weight: wsum,
            n_samples: count as u32,
        });
        if work.parent != u32::MAX {
            let parent = &mut nodes[work.parent as usize];
            if work.is_left {
                parent.left = id;
            } else {
                parent.right = id;
            }
        }
        let is_leaf = work.depth >= max_depth
            || count < params.min_samples_split
            || count < 2 * msl
            || impurity <= f64::EPSILON;
        if is_leaf {
            continue;
        }

        // Best split over a random order of the features.
        rng.shuffle(&mut features);
        let mut best_proxy = f64::NEG_INFINITY;
        let mut best: Option<(usize, usize, f64)> = None; // (feature, n_left, threshold)
        let mut visited = 0usize;
        for &j in &features {
            if visited >= max_features {
                break;
            }
            let vals = &val[j * m + s..j * m + e];
            if vals[count - 1] <= vals[0] + FEATURE_THRESHOLD {
                continue;
            }
            visited += 1;
            let ids = &idx[j * m + s..j * m + e];
            let (mut wl, mut sl) = (0.0, 0.0);
            for k in 0..count - 1 {
                let r = ids[k] as usize;
                wl += w[r];
                sl += wy[r];
                if vals[k + 1] <= vals[k] + FEATURE_THRESHOLD {
                    continue;
                }
                let nl = k + 1;
                if nl < msl || count - nl < msl {
                    continue;
                }
                let wr = wsum - wl;
                let sr = ssum - sl;
                let proxy = sl * sl / wl + sr * sr / wr;
                if proxy > best_proxy {
                    best_proxy = proxy;
                    let (a, b) = (vals[k], vals[k + 1]);
                    let mut t = a / 2.0 + b / 2.0;
                    if t == b || t.is_infinite() {
                        t = a;
                    }
                    best = Some((j, nl, t));
                }
            }
        }
        let Some((jb, nl, threshold)) = best else {
            continue;
        };
        // Partition every feature's segment stably: left rows first.
        for &r in &idx[jb * m + s..jb * m + s + nl] {
            goes_left[r as usize] = true;
        }
        for j in 0..p {
            if j == jb {
                continue;
            }
            let base = j * m;
            tmp_idx.clear();
            tmp_val.clear();
            let mut out = base + s;
            for k in base + s..base + e {
                let r = idx[k];
                if goes_left[r as usize] {
                    idx[out] = r;
                    val[out] = val[k];
                    out += 1;
                } else {
                    tmp_idx.push(r);
                    tmp_val.push(val[k]);
                }
            }
            idx[out..base + e].copy_from_slice(&tmp_idx);
            val[out..base + e].copy_from_slice(&tmp_val);
        }
        for &r in &idx[jb * m + s..jb * m + s + nl] {
            goes_left[r as usize] = false;
        }
        let node = &mut nodes[id as usize];
        node.feature = jb as u32;
        node.threshold = threshold;
        stack.push(Work {
            start: s + nl,
            end: e,
            depth: work.depth + 1,
            parent: id,
            is_left: false,
        });
        stack.push(Work {
            start: s,
            end: s + nl,
            depth: work.depth + 1,
            parent: id,
            is_left: true,
        });
    }
    Tree {
        nodes,
        n_features: p,
    }
}

impl TreeParams {
    /// Checks the parameters, then fits a tree on `x` (rows = samples) and `y`, every row with
    /// weight 1.
    ///
    /// ```
    /// use amorph_ml::{Regressor, TreeParams};
    /// use ndarray::array;
    ///
    /// let x = array![[0.0], [1.0], [2.0], [3.0]];
    /// let y = array![1.0, 1.0, 5.0, 5.0];
    /// let tree = TreeParams { max_depth: Some(1), ..Default::default() }.fit(x.view(), y.view())?;
    /// assert_eq!(tree.predict(x.view())?, y);
    /// assert_eq!(tree.tree().depth(), 1);
    /// # Ok::<(), amorph_ml::MlError>(())
    /// ```
    pub fn fit(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<DecisionTreeRegressor> {
        self.fit_weighted(x, y, None)
    }

    /// As [`fit`](Self::fit), with optional non-negative sample weights (default all 1).
    pub fn fit_weighted(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        sample_weight: Option<ArrayView1<'_, f64>>,
    ) -> Result<DecisionTreeRegressor> {
        self.check()?;
        let xm = check_xy(x, y)?;
        let w: Vec<f64> = match sample_weight {
            Some(sw) => {
                check_vector(sw, xm.n_rows, "sample weights")?;
                if let Some(row) = sw.iter().position(|&v| v < 0.0) {
                    return Err(MlError::InvalidParameter {
                        name: "sample_weight",
                        reason: format!("negative weight at row {row}"),
                    });
                }
                if !sw.iter().any(|&v| v > 0.0) {
                    return Err(MlError::Empty("all sample weights are zero".into()));
                }
                sw.to_vec()
            }
            None => vec![1.0; xm.n_rows],
        };
        let sorted = presort(&xm);
        let mut rng = Rng::new(self.seed);
        let yv = y.to_vec();
        Ok(DecisionTreeRegressor {
            params: self.clone(),
            tree: grow(&xm, &sorted, &yv, &w, self, &mut rng),
        })
    }
}

/// A fitted regression tree (scikit-learn's `DecisionTreeRegressor` after `fit`), made by
/// [`TreeParams::fit`] or loaded from a saved model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TreeModelRepr")]
pub struct DecisionTreeRegressor {
    params: TreeParams,
    tree: Tree,
}

/// The serialised form of [`DecisionTreeRegressor`], checked before it becomes one.
#[derive(Deserialize)]
struct TreeModelRepr {
    params: TreeParams,
    tree: Tree,
}

impl TryFrom<TreeModelRepr> for DecisionTreeRegressor {
    type Error = String;
    fn try_from(r: TreeModelRepr) -> std::result::Result<Self, String> {
        r.tree.check_structure()?;
        Ok(DecisionTreeRegressor {
            params: r.params,
            tree: r.tree,
        })
    }
}

impl DecisionTreeRegressor {
    /// The hyper-parameters it was fitted with.
    pub fn params(&self) -> &TreeParams {
        &self.params
    }

    /// The fitted tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Impurity (MDI) importances, normalised to sum 1 (all zero for a lone leaf).
    pub fn impurity_importances(&self) -> Vec<f64> {
        self.tree.impurity_importances()
    }

    pub(crate) fn predict_view(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let t = &self.tree;
        check_predict(x, t.n_features)?;
        Ok(x.rows()
            .into_iter()
            .map(|row| t.predict_with(|j| row[j]))
            .collect())
    }
}
