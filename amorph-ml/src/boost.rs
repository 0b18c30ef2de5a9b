//! Gradient-boosted regression trees, XGBoost style (squared error).
//!
//! Per round `g = ŷ − y`, `h = 1` (times sample weights); node gain `T_α(G)²/(H + λ)` with the
//! L1 soft threshold `T_α`; split score `gain(L) + gain(R) − gain(parent)` (no ½, as XGBoost
//! codes it); both children need `H ≥ min_child_weight`; a split needs a score above 1e-6;
//! leaf value `−η·T_α(G)/(H + λ)`; the initial prediction is the (weighted) mean of the target.
//! Trees grow depth-wise to `max_depth`. `x < threshold` goes left, features and thresholds are
//! compared in `f32` like XGBoost, so exact-mode models reproduce XGBoost's predictions.
//!
//! Two split finders: [`TreeMethod::Exact`] enumerates every distinct value (midpoint
//! thresholds, γ applied by bottom-up pruning like XGBoost's `prune` updater) and
//! [`TreeMethod::Hist`] bins every feature once into at most `max_bin` (≤ 256) quantile bins with
//! XGBoost's cut-point rule and grows from gradient histograms with the sibling-subtraction trick
//! (γ checked when a node is expanded, like XGBoost's `hist` driver).

use crate::error::{MlError, Result};
use crate::matrix::{check_predict, check_xy};
use crate::rng::Rng;
use crate::tree::{LEAF, check_nodes, normalise};
use ndarray::{Array1, ArrayView1, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// XGBoost's minimal split score (`kRtEps`).
const RT_EPS: f32 = 1e-6;
/// Rows per histogram task.
const CHUNK: usize = 4096;

/// Split-finding method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TreeMethod {
    /// Quantile histograms (XGBoost's default since 2.0).
    #[default]
    Hist,
    /// Exact greedy enumeration of all distinct values.
    Exact,
}

/// Hyper-parameters (XGBoost names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoostParams {
    /// Number of boosting rounds (default 100).
    pub n_estimators: usize,
    /// Shrinkage η (default 0.3).
    pub learning_rate: f64,
    /// Maximum depth, ≥ 1 (default 6).
    pub max_depth: usize,
    /// Minimum hessian sum per child (default 1).
    pub min_child_weight: f64,
    /// L2 regularisation λ (default 1).
    pub reg_lambda: f64,
    /// L1 regularisation α (default 0).
    pub reg_alpha: f64,
    /// Minimum split loss γ (default 0).
    pub gamma: f64,
    /// Fraction of rows sampled per round (default 1).
    pub subsample: f64,
    /// Fraction of features sampled per tree (default 1).
    pub colsample_bytree: f64,
    /// Split finder (default hist).
    pub tree_method: TreeMethod,
    /// Histogram bins per feature, 2–256 (default 256).
    pub max_bin: usize,
    /// Initial prediction; `None` = weighted mean of the target (XGBoost ≥ 2.0).
    pub base_score: Option<f64>,
    /// Seed of the row and column sampling.
    pub seed: u64,
}

impl Default for BoostParams {
    fn default() -> Self {
        BoostParams {
            n_estimators: 100,
            learning_rate: 0.3,
            max_depth: 6,
            min_child_weight: 1.0,
            reg_lambda: 1.0,
            reg_alpha: 0.0,
            gamma: 0.0,
            subsample: 1.0,
            colsample_bytree: 1.0,
            tree_method: TreeMethod::Hist,
            max_bin: 256,
            base_score: None,
            seed: 0,
        }
    }
}

fn bad(name: &'static str, reason: String) -> MlError {
    MlError::InvalidParameter { name, reason }
}

impl BoostParams {
    /// The paper's XGBoost settings: 100 trees, depth 4, η 0.1, α 0.8, hist.
    pub fn paper() -> Self {
        BoostParams {
            n_estimators: 100,
            learning_rate: 0.1,
            max_depth: 4,
            reg_alpha: 0.8,
            ..BoostParams::default()
        }
    }

    /// Checks the ranges of the parameters; the error names the first bad one.
    ///
    /// ```
    /// use amorph_ml::{BoostParams, MlError};
    ///
    /// let bad = BoostParams { max_bin: 1000, ..BoostParams::paper() };
    /// assert!(matches!(bad.check(), Err(MlError::InvalidParameter { name: "max_bin", .. })));
    /// ```
    pub fn check(&self) -> Result<()> {
        if self.n_estimators == 0 {
            return Err(bad("n_estimators", "must be at least 1".into()));
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return Err(bad(
                "learning_rate",
                format!("{} is not > 0", self.learning_rate),
            ));
        }
        if self.max_depth == 0 {
            return Err(bad("max_depth", "must be at least 1".into()));
        }
        for (name, v) in [
            ("min_child_weight", self.min_child_weight),
            ("reg_lambda", self.reg_lambda),
            ("reg_alpha", self.reg_alpha),
            ("gamma", self.gamma),
        ] {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(bad(name, format!("{v} is not a finite value ≥ 0")));
            }
        }
        for (name, v) in [
            ("subsample", self.subsample),
            ("colsample_bytree", self.colsample_bytree),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(bad(name, format!("{v} is not in (0, 1]")));
            }
        }
        if !(2..=256).contains(&self.max_bin) {
            return Err(bad(
                "max_bin",
                format!("{} is not in 2..=256", self.max_bin),
            ));
        }
        if let Some(b) = self.base_score
            && !b.is_finite()
        {
            return Err(bad("base_score", format!("{b} is not finite")));
        }
        Ok(())
    }
}

/// One node of a boosted tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoostNode {
    /// Split feature or [`LEAF`].
    pub feature: u32,
    /// `x < threshold` (compared in `f32`) goes left.
    pub threshold: f32,
    /// Left child.
    pub left: u32,
    /// Right child.
    pub right: u32,
    /// Leaf value (η already applied); for inner nodes the value it would have as a leaf.
    pub value: f32,
    /// Split score (loss change) of an inner node.
    pub loss_chg: f32,
    /// Hessian sum (cover) of the node.
    pub hess: f64,
}

impl BoostNode {
    /// A leaf with this value and cover; a split later fills in feature, threshold, children.
    fn leaf(value: f32, hess: f64) -> Self {
        BoostNode {
            feature: LEAF,
            threshold: 0.0,
            left: 0,
            right: 0,
            value,
            loss_chg: 0.0,
            hess,
        }
    }
}

/// A fitted boosted tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoostTree {
    /// Nodes, root first.
    pub nodes: Vec<BoostNode>,
}

impl BoostTree {
    #[inline]
    fn leaf_of(&self, feature: impl Fn(usize) -> f32) -> usize {
        let mut k = 0usize;
        loop {
            let n = &self.nodes[k];
            if n.feature == LEAF {
                return k;
            }
            k = if feature(n.feature as usize) < n.threshold {
                n.left as usize
            } else {
                n.right as usize
            };
        }
    }

    /// Leaf value for one row.
    #[inline]
    pub fn predict_with(&self, feature: impl Fn(usize) -> f32) -> f32 {
        self.nodes[self.leaf_of(feature)].value
    }
}

/// Fitted gradient-boosted trees, made by [`BoostParams::fit`] or loaded from a saved model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BoostRepr")]
pub struct GradientBoostingRegressor {
    params: BoostParams,
    base_score: f64,
    trees: Vec<BoostTree>,
    n_features: usize,
}

/// The serialised form of [`GradientBoostingRegressor`], checked before it becomes one.
#[derive(Deserialize)]
struct BoostRepr {
    params: BoostParams,
    base_score: f64,
    trees: Vec<BoostTree>,
    n_features: usize,
}

impl TryFrom<BoostRepr> for GradientBoostingRegressor {
    type Error = String;
    fn try_from(r: BoostRepr) -> std::result::Result<Self, String> {
        if r.trees.is_empty() {
            return Err("a boosted model needs at least one tree".into());
        }
        if !r.base_score.is_finite() {
            return Err(format!("base_score {} is not finite", r.base_score));
        }
        for (k, t) in r.trees.iter().enumerate() {
            check_nodes(
                t.nodes.iter().map(|n| (n.feature, n.left, n.right)),
                r.n_features,
            )
            .map_err(|e| format!("tree {k}: {e}"))?;
        }
        Ok(GradientBoostingRegressor {
            params: r.params,
            base_score: r.base_score,
            trees: r.trees,
            n_features: r.n_features,
        })
    }
}

#[derive(Clone, Copy, Default)]
struct Stats {
    g: f64,
    h: f64,
}

#[inline]
fn threshold_l1(g: f64, alpha: f64) -> f64 {
    if g > alpha {
        g - alpha
    } else if g < -alpha {
        g + alpha
    } else {
        0.0
    }
}

struct Reg {
    lambda: f64,
    alpha: f64,
    mcw: f64,
    eta: f32,
}

impl Reg {
    #[inline]
    fn gain(&self, s: Stats) -> f32 {
        if s.h <= 0.0 {
            return 0.0;
        }
        let t = threshold_l1(s.g, self.alpha);
        (t * t / (s.h + self.lambda)) as f32
    }
    #[inline]
    fn weight(&self, s: Stats) -> f32 {
        if s.h < self.mcw || s.h <= 0.0 {
            return 0.0;
        }
        (-threshold_l1(s.g, self.alpha) / (s.h + self.lambda)) as f32
    }
    #[inline]
    fn leaf(&self, s: Stats) -> f32 {
        self.weight(s) * self.eta
    }
}

/// Best split candidate of a node.
#[derive(Clone, Copy)]
struct Cand {
    loss_chg: f32,
    feature: usize,
    threshold: f32,
    bin: usize,
    left: Stats,
    right: Stats,
}

impl Cand {
    fn none() -> Self {
        Cand {
            loss_chg: f32::NEG_INFINITY,
            feature: usize::MAX,
            threshold: 0.0,
            bin: 0,
            left: Stats::default(),
            right: Stats::default(),
        }
    }
    /// XGBoost's `SplitEntry::NeedReplace`: ties go to the smaller feature index.
    fn offer(&mut self, c: Cand) {
        let replace = if self.feature == usize::MAX || self.feature <= c.feature {
            c.loss_chg > self.loss_chg
        } else {
            c.loss_chg >= self.loss_chg
        };
        if replace {
            *self = c;
        }
    }
}

/// Quantile cut points of one feature with XGBoost's rule (upper bin bounds, `f32`).
///
/// The weighted summary of the distinct values (rank bounds `rmin`, `rmax`) is pruned to
/// `max_bin + 1` entries by XGBoost's `SetPrune`, the entries `1..min(size, max_bin)` become cuts
/// and a last cut above the maximum closes the final bin.
pub fn hist_cuts(values: &[f32], weights: Option<&[f32]>, max_bin: usize) -> Vec<f32> {
    let mut pairs: Vec<(f32, f32)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (v, weights.map_or(1.0, |w| w[i])))
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Exact summary: (value, rmin, rmax, wmin).
    let mut summ: Vec<(f32, f32, f32, f32)> = Vec::new();
    let mut acc = 0.0f32;
    let mut k = 0;
    while k < pairs.len() {
        let v = pairs[k].0;
        let mut w = 0.0f32;
        while k < pairs.len() && pairs[k].0 == v {
            w += pairs[k].1;
            k += 1;
        }
        summ.push((v, acc, acc + w, w));
        acc += w;
    }
    let n_entries = pairs.len();
    let intermediate = n_entries.min(max_bin * 8);
    let summ = set_prune(&summ, intermediate);
    let max_num_bins = intermediate.min(max_bin);
    let a = set_prune(&summ, max_num_bins + 1);
    let required = a.len().min(max_num_bins);
    let mut cuts: Vec<f32> = Vec::with_capacity(required + 1);
    for (i, e) in a.iter().enumerate().take(required).skip(1) {
        if i == 1 || e.0 > *cuts.last().unwrap_or(&f32::NEG_INFINITY) {
            cuts.push(e.0);
        }
    }
    // XGBoost evaluates `cpt + (|cpt| + 1e-5)` in double precision.
    let cpt = a.last().map_or(1e-5, |e| e.0) as f64;
    cuts.push((cpt + (cpt.abs() + 1e-5)) as f32);
    cuts
}

/// XGBoost's `WQSummary::SetPrune` (rank arithmetic in `f32`).
fn set_prune(src: &[(f32, f32, f32, f32)], maxsize: usize) -> Vec<(f32, f32, f32, f32)> {
    if src.len() <= maxsize {
        return src.to_vec();
    }
    let begin = src[0].2;
    let range = src[src.len() - 1].1 - src[0].2;
    let n = maxsize - 1;
    let mut out = vec![src[0]];
    let (mut i, mut lastidx) = (1usize, 0usize);
    for k in 1..n {
        let dx2 = 2.0 * ((k as f32 * range) / n as f32 + begin);
        while i < src.len() - 1 && dx2 >= src[i + 1].2 + src[i + 1].1 {
            i += 1;
        }
        if i == src.len() - 1 {
            break;
        }
        // RMinNext(i) + RMaxPrev(i+1)
        if dx2 < (src[i].1 + src[i].3) + (src[i + 1].2 - src[i + 1].3) {
            if i != lastidx {
                out.push(src[i]);
                lastidx = i;
            }
        } else if i + 1 != lastidx {
            out.push(src[i + 1]);
            lastidx = i + 1;
        }
    }
    if lastidx != src.len() - 1 {
        out.push(src[src.len() - 1]);
    }
    out
}

/// Bin index of `v` among `cuts` (first cut greater than `v`, clamped to the last bin).
#[inline]
fn search_bin(cuts: &[f32], v: f32) -> usize {
    cuts.partition_point(|&c| c <= v).min(cuts.len() - 1)
}

struct Binned {
    p: usize,
    /// Row-major bin indices (local to each feature).
    bins: Vec<u8>,
    /// Global offset of each feature's bins; `offsets[p]` = total bins.
    offsets: Vec<usize>,
    cuts: Vec<Vec<f32>>,
}

impl Binned {
    fn new(xf: &[f32], n: usize, p: usize, w: Option<&[f32]>, max_bin: usize) -> Self {
        let cuts: Vec<Vec<f32>> = (0..p)
            .into_par_iter()
            .map(|j| hist_cuts(&xf[j * n..(j + 1) * n], w, max_bin))
            .collect();
        let mut offsets = vec![0usize; p + 1];
        for j in 0..p {
            offsets[j + 1] = offsets[j] + cuts[j].len();
        }
        let mut bins = vec![0u8; n * p];
        bins.par_chunks_mut(p.max(1) * 1024)
            .enumerate()
            .for_each(|(c, chunk)| {
                let r0 = c * 1024;
                for (k, b) in chunk.iter_mut().enumerate() {
                    let (r, j) = (r0 + k / p, k % p);
                    *b = search_bin(&cuts[j], xf[j * n + r]) as u8;
                }
            });
        Binned {
            p,
            bins,
            offsets,
            cuts,
        }
    }

    fn build_hist(&self, rows: &[u32], gh: &[(f32, f32)], hist: &mut [Stats]) {
        let p = self.p;
        for &r in rows {
            let r = r as usize;
            let (g, h) = gh[r];
            let (g, h) = (g as f64, h as f64);
            let b = &self.bins[r * p..(r + 1) * p];
            for (j, &bj) in b.iter().enumerate() {
                let s = &mut hist[self.offsets[j] + bj as usize];
                s.g += g;
                s.h += h;
            }
        }
    }

    /// Histograms of several row sets, chunked over rayon with a fixed reduction order.
    fn build_many(&self, sets: &[&[u32]], gh: &[(f32, f32)]) -> Vec<Vec<Stats>> {
        let nb = self.offsets[self.p];
        let tasks: Vec<(usize, &[u32])> = sets
            .iter()
            .enumerate()
            .flat_map(|(k, rows)| rows.chunks(CHUNK).map(move |c| (k, c)))
            .collect();
        let partial: Vec<(usize, Vec<Stats>)> = tasks
            .par_iter()
            .map(|&(k, rows)| {
                let mut h = vec![Stats::default(); nb];
                self.build_hist(rows, gh, &mut h);
                (k, h)
            })
            .collect();
        let mut out: Vec<Vec<Stats>> = vec![Vec::new(); sets.len()];
        for (k, h) in partial {
            if out[k].is_empty() {
                out[k] = h;
            } else {
                for (a, b) in out[k].iter_mut().zip(&h) {
                    a.g += b.g;
                    a.h += b.h;
                }
            }
        }
        for o in &mut out {
            if o.is_empty() {
                *o = vec![Stats::default(); nb];
            }
        }
        out
    }

    fn best_split(&self, hist: &[Stats], total: Stats, feats: &[usize], reg: &Reg) -> Cand {
        let root_gain = reg.gain(total);
        let mut best = Cand::none();
        for &j in feats {
            let (b0, b1) = (self.offsets[j], self.offsets[j + 1]);
            let mut left = Stats::default();
            for (b, hb) in hist.iter().enumerate().take(b1).skip(b0) {
                left.g += hb.g;
                left.h += hb.h;
                let right = Stats {
                    g: total.g - left.g,
                    h: total.h - left.h,
                };
                if left.h >= reg.mcw && right.h >= reg.mcw {
                    let loss_chg = (reg.gain(left) + reg.gain(right)) - root_gain;
                    best.offer(Cand {
                        loss_chg,
                        feature: j,
                        threshold: self.cuts[j][b - b0],
                        bin: b - b0,
                        left,
                        right,
                    });
                }
            }
        }
        best
    }
}

struct HistNode {
    id: usize,
    start: usize,
    end: usize,
    depth: usize,
    stats: Stats,
    hist: Vec<Stats>,
}

fn grow_hist(
    binned: &Binned,
    rows: &mut [u32],
    gh: &[(f32, f32)],
    feats: &[usize],
    reg: &Reg,
    params: &BoostParams,
    leaf_rows: &mut Vec<(usize, usize, f32)>,
) -> BoostTree {
    let p = binned.p;
    let mut root = Stats::default();
    for &r in rows.iter() {
        root.g += gh[r as usize].0 as f64;
        root.h += gh[r as usize].1 as f64;
    }
    let mut nodes = vec![BoostNode::leaf(reg.leaf(root), root.h)];
    let hist = binned
        .build_many(&[&rows[..]], gh)
        .pop()
        .unwrap_or_default();
    let mut frontier = vec![HistNode {
        id: 0,
        start: 0,
        end: rows.len(),
        depth: 0,
        stats: root,
        hist,
    }];
    let mut tmp: Vec<u32> = Vec::new();
    while !frontier.is_empty() {
        let mut next: Vec<HistNode> = Vec::new();
        // (parent hist, small child index in `next`, large child index)
        let mut pending: Vec<(Vec<Stats>, usize, usize)> = Vec::new();
        for node in frontier {
            let cand = if node.depth < params.max_depth {
                binned.best_split(&node.hist, node.stats, feats, reg)
            } else {
                Cand::none()
            };
            let ok = cand.feature != usize::MAX
                && cand.loss_chg > RT_EPS
                && cand.left.h > 0.0
                && cand.right.h > 0.0
                && (cand.loss_chg as f64) >= params.gamma;
            if !ok {
                leaf_rows.push((node.start, node.end, nodes[node.id].value));
                continue;
            }
            // Stable partition of the node's rows by bin.
            tmp.clear();
            let mut out = node.start;
            let j = cand.feature;
            for k in node.start..node.end {
                let r = rows[k];
                if (binned.bins[r as usize * p + j] as usize) <= cand.bin {
                    rows[out] = r;
                    out += 1;
                } else {
                    tmp.push(r);
                }
            }
            rows[out..node.end].copy_from_slice(&tmp);
            let (lid, rid) = (nodes.len(), nodes.len() + 1);
            for s in [cand.left, cand.right] {
                nodes.push(BoostNode::leaf(reg.leaf(s), s.h));
            }
            let nd = &mut nodes[node.id];
            nd.feature = j as u32;
            nd.threshold = cand.threshold;
            nd.left = lid as u32;
            nd.right = rid as u32;
            nd.loss_chg = cand.loss_chg;
            let li = next.len();
            next.push(HistNode {
                id: lid,
                start: node.start,
                end: out,
                depth: node.depth + 1,
                stats: cand.left,
                hist: Vec::new(),
            });
            next.push(HistNode {
                id: rid,
                start: out,
                end: node.end,
                depth: node.depth + 1,
                stats: cand.right,
                hist: Vec::new(),
            });
            let (nl, nr) = (out - node.start, node.end - out);
            let (small, large) = if nl <= nr { (li, li + 1) } else { (li + 1, li) };
            pending.push((node.hist, small, large));
        }
        // Histograms: build the smaller child of each split, subtract for its sibling; skip
        // nodes that can no longer split.
        let need: Vec<usize> = pending
            .iter()
            .filter(|_| next.first().is_some_and(|n| n.depth < params.max_depth))
            .map(|x| x.1)
            .collect();
        if !need.is_empty() {
            let sets: Vec<&[u32]> = need
                .iter()
                .map(|&k| &rows[next[k].start..next[k].end])
                .collect();
            let built = binned.build_many(&sets, gh);
            for ((parent, small, large), h) in pending.into_iter().zip(built) {
                let mut sib = parent;
                for (a, b) in sib.iter_mut().zip(&h) {
                    a.g -= b.g;
                    a.h -= b.h;
                }
                next[small].hist = h;
                next[large].hist = sib;
            }
        }
        frontier = next;
    }
    BoostTree { nodes }
}

#[allow(clippy::too_many_arguments)]
fn grow_exact(
    xf: &[f32],
    n: usize,
    sorted: &[u32],
    gh: &[(f32, f32)],
    sampled: &[bool],
    feats: &[usize],
    reg: &Reg,
    params: &BoostParams,
) -> BoostTree {
    // position[r] = index into the frontier, or -1.
    let mut position: Vec<i32> = sampled.iter().map(|&s| if s { 0 } else { -1 }).collect();
    let mut root = Stats::default();
    for r in 0..n {
        if sampled[r] {
            root.g += gh[r].0 as f64;
            root.h += gh[r].1 as f64;
        }
    }
    let mut nodes = vec![BoostNode::leaf(reg.leaf(root), root.h)];
    let mut frontier: Vec<(usize, Stats)> = vec![(0, root)];
    let mut depth = 0usize;
    while !frontier.is_empty() && depth < params.max_depth {
        let nf = frontier.len();
        let per_feature: Vec<Vec<Cand>> = feats
            .par_iter()
            .map(|&j| {
                let col = &xf[j * n..(j + 1) * n];
                let mut best = vec![Cand::none(); nf];
                let mut acc = vec![(Stats::default(), 0.0f32, false); nf];
                for &r in &sorted[j * n..(j + 1) * n] {
                    let r = r as usize;
                    let pos = position[r];
                    if pos < 0 {
                        continue;
                    }
                    let k = pos as usize;
                    let v = col[r];
                    let (ref mut left, ref mut last, ref mut any) = acc[k];
                    if *any && v != *last && left.h >= reg.mcw {
                        let total = frontier[k].1;
                        let right = Stats {
                            g: total.g - left.g,
                            h: total.h - left.h,
                        };
                        if right.h >= reg.mcw {
                            let loss_chg = (reg.gain(*left) + reg.gain(right)) - reg.gain(total);
                            best[k].offer(Cand {
                                loss_chg,
                                feature: j,
                                threshold: (v + *last) * 0.5,
                                bin: 0,
                                left: *left,
                                right,
                            });
                        }
                    }
                    left.g += gh[r].0 as f64;
                    left.h += gh[r].1 as f64;
                    *last = v;
                    *any = true;
                }
                best
            })
            .collect();
        let mut best = vec![Cand::none(); nf];
        for fb in per_feature {
            for (b, c) in best.iter_mut().zip(fb) {
                if c.feature != usize::MAX {
                    b.offer(c);
                }
            }
        }
        // Expand.
        let mut next: Vec<(usize, Stats)> = Vec::new();
        let mut map: Vec<Option<(usize, f32, usize)>> = vec![None; nf]; // (feature, thr, left idx)
        for (k, c) in best.iter().enumerate() {
            if c.feature == usize::MAX || c.loss_chg <= RT_EPS {
                continue;
            }
            let id = frontier[k].0;
            let (lid, rid) = (nodes.len(), nodes.len() + 1);
            for s in [c.left, c.right] {
                nodes.push(BoostNode::leaf(reg.leaf(s), s.h));
            }
            let nd = &mut nodes[id];
            nd.feature = c.feature as u32;
            nd.threshold = c.threshold;
            nd.left = lid as u32;
            nd.right = rid as u32;
            nd.loss_chg = c.loss_chg;
            map[k] = Some((c.feature, c.threshold, next.len()));
            next.push((lid, c.left));
            next.push((rid, c.right));
        }
        for r in 0..n {
            let pos = position[r];
            if pos < 0 {
                continue;
            }
            position[r] = match map[pos as usize] {
                Some((j, t, li)) => {
                    if xf[j * n + r] < t {
                        li as i32
                    } else {
                        li as i32 + 1
                    }
                }
                None => -1,
            };
        }
        frontier = next;
        depth += 1;
    }
    let mut tree = BoostTree { nodes };
    prune(&mut tree, params.gamma as f32);
    tree
}

/// XGBoost's `prune` updater: collapse bottom-up every split whose children are leaves and whose
/// loss change is below γ.
fn prune(tree: &mut BoostTree, gamma: f32) {
    if gamma <= 0.0 {
        return;
    }
    loop {
        let mut changed = false;
        for k in 0..tree.nodes.len() {
            let n = &tree.nodes[k];
            if n.feature == LEAF {
                continue;
            }
            let (l, r) = (n.left as usize, n.right as usize);
            if tree.nodes[l].feature == LEAF
                && tree.nodes[r].feature == LEAF
                && tree.nodes[k].loss_chg < gamma
            {
                tree.nodes[k].feature = LEAF;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Drop unreachable nodes.
    let mut keep = Vec::new();
    let mut remap = vec![u32::MAX; tree.nodes.len()];
    let mut stack = vec![0usize];
    while let Some(k) = stack.pop() {
        remap[k] = keep.len() as u32;
        keep.push(k);
        let n = &tree.nodes[k];
        if n.feature != LEAF {
            stack.push(n.right as usize);
            stack.push(n.left as usize);
        }
    }
    let mut nodes: Vec<BoostNode> = keep.iter().map(|&k| tree.nodes[k].clone()).collect();
    for n in &mut nodes {
        if n.feature != LEAF {
            n.left = remap[n.left as usize];
            n.right = remap[n.right as usize];
        }
    }
    tree.nodes = nodes;
}

impl BoostParams {
    /// Checks the parameters, then fits the boosted trees on `x` (rows = samples) and `y`, every
    /// row with weight 1.
    ///
    /// ```
    /// use amorph_ml::{BoostParams, Regressor};
    /// use ndarray::{Array1, Array2};
    ///
    /// let x = Array2::from_shape_fn((40, 2), |(i, j)| (i + 3 * j) as f64);
    /// let y: Array1<f64> = x.column(0).mapv(|v| 0.5 * v);
    /// let gbt = BoostParams::paper().fit(x.view(), y.view())?;
    /// assert_eq!(gbt.trees().len(), 100);
    /// let imp = gbt.gain_importances();
    /// assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    /// assert_eq!(gbt.importances(), Some(imp));
    /// # Ok::<(), amorph_ml::MlError>(())
    /// ```
    pub fn fit(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<GradientBoostingRegressor> {
        self.fit_weighted(x, y, None)
    }

    /// As [`fit`](Self::fit), with optional non-negative sample weights.
    pub fn fit_weighted(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
        sample_weight: Option<ArrayView1<'_, f64>>,
    ) -> Result<GradientBoostingRegressor> {
        self.check()?;
        let xm = check_xy(x, y)?;
        let (n, p) = (xm.n_rows, xm.n_cols);
        let w: Vec<f32> = match sample_weight {
            Some(sw) => {
                crate::matrix::check_vector(sw, n, "sample weights")?;
                if let Some(row) = sw.iter().position(|&v| v < 0.0) {
                    return Err(bad(
                        "sample_weight",
                        format!("negative weight at row {row}"),
                    ));
                }
                sw.iter().map(|&v| v as f32).collect()
            }
            None => vec![1.0; n],
        };
        let wsum: f64 = w.iter().map(|&v| v as f64).sum();
        if wsum <= 0.0 {
            return Err(MlError::Empty("all sample weights are zero".into()));
        }
        let params = self;
        let xf: Vec<f32> = xm.data.iter().map(|&v| v as f32).collect();
        let yf: Vec<f32> = y.iter().map(|&v| v as f32).collect();
        let base = match params.base_score {
            Some(b) => b as f32,
            None => {
                let s: f64 = yf.iter().zip(&w).map(|(&a, &b)| a as f64 * b as f64).sum();
                (s / wsum) as f32
            }
        };
        let reg = Reg {
            lambda: params.reg_lambda,
            alpha: params.reg_alpha,
            mcw: params.min_child_weight,
            eta: params.learning_rate as f32,
        };
        let binned = match params.tree_method {
            TreeMethod::Hist => Some(Binned::new(&xf, n, p, Some(&w), params.max_bin)),
            TreeMethod::Exact => None,
        };
        let sorted = match params.tree_method {
            TreeMethod::Exact => {
                let mut s = vec![0u32; n * p];
                s.par_chunks_mut(n).enumerate().for_each(|(j, c)| {
                    let col = &xf[j * n..(j + 1) * n];
                    for (i, v) in c.iter_mut().enumerate() {
                        *v = i as u32;
                    }
                    c.sort_by(|&a, &b| col[a as usize].total_cmp(&col[b as usize]));
                });
                s
            }
            TreeMethod::Hist => Vec::new(),
        };
        let mut pred = vec![base; n];
        let mut gh = vec![(0.0f32, 0.0f32); n];
        let mut rng = Rng::new(params.seed);
        let mut trees = Vec::with_capacity(params.n_estimators);
        let n_feat = ((params.colsample_bytree * p as f64) as usize).clamp(1, p);
        let mut all_feats: Vec<usize> = (0..p).collect();
        for _ in 0..params.n_estimators {
            gh.par_iter_mut().enumerate().for_each(|(i, v)| {
                *v = ((pred[i] - yf[i]) * w[i], w[i]);
            });
            let sampled: Vec<bool> = if params.subsample < 1.0 {
                (0..n).map(|_| rng.uniform() < params.subsample).collect()
            } else {
                vec![true; n]
            };
            let feats: Vec<usize> = if n_feat < p {
                rng.shuffle(&mut all_feats);
                let mut f = all_feats[..n_feat].to_vec();
                f.sort_unstable();
                f
            } else {
                (0..p).collect()
            };
            let tree = match &binned {
                Some(b) => {
                    let mut rows: Vec<u32> = (0..n as u32)
                        .filter(|&r| sampled[r as usize] && w[r as usize] > 0.0)
                        .collect();
                    let mut leaves = Vec::new();
                    let tree = grow_hist(b, &mut rows, &gh, &feats, &reg, params, &mut leaves);
                    for (s, e, v) in leaves {
                        for &r in &rows[s..e] {
                            pred[r as usize] += v;
                        }
                    }
                    let all_in = rows.len() == n;
                    if !all_in {
                        let mut inbag = vec![false; n];
                        rows.iter().for_each(|&r| inbag[r as usize] = true);
                        for r in 0..n {
                            if !inbag[r] {
                                pred[r] += tree.predict_with(|j| xf[j * n + r]);
                            }
                        }
                    }
                    tree
                }
                None => {
                    let sampled: Vec<bool> = sampled
                        .iter()
                        .zip(&w)
                        .map(|(&s, &wi)| s && wi > 0.0)
                        .collect();
                    let tree = grow_exact(&xf, n, &sorted, &gh, &sampled, &feats, &reg, params);
                    pred.par_iter_mut().enumerate().for_each(|(r, pr)| {
                        *pr += tree.predict_with(|j| xf[j * n + r]);
                    });
                    tree
                }
            };
            trees.push(tree);
        }
        Ok(GradientBoostingRegressor {
            params: self.clone(),
            base_score: base as f64,
            trees,
            n_features: p,
        })
    }
}

impl GradientBoostingRegressor {
    /// The hyper-parameters it was fitted with.
    pub fn params(&self) -> &BoostParams {
        &self.params
    }

    /// The initial prediction (the weighted mean of the target unless
    /// [`BoostParams::base_score`] was set).
    pub fn base_score(&self) -> f64 {
        self.base_score
    }

    /// The fitted trees (at least one).
    pub fn trees(&self) -> &[BoostTree] {
        &self.trees
    }

    /// Number of features seen at fit time.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Cut points the `hist` method would use for each column of `x` (for inspection and tests).
    pub fn hist_cut_points(x: ArrayView2<'_, f64>, max_bin: usize) -> Result<Vec<Vec<f32>>> {
        let xm = crate::matrix::ColMatrix::from_view(x)?;
        Ok((0..xm.n_cols)
            .map(|j| {
                let col: Vec<f32> = xm.col(j).iter().map(|&v| v as f32).collect();
                hist_cuts(&col, None, max_bin)
            })
            .collect())
    }

    pub(crate) fn predict_view(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        check_predict(x, self.n_features)?;
        let base = self.base_score as f32;
        let out: Vec<f64> = (0..x.nrows())
            .into_par_iter()
            .map(|i| {
                let row = x.row(i);
                let mut s = base;
                for t in &self.trees {
                    s += t.predict_with(|j| row[j] as f32);
                }
                s as f64
            })
            .collect();
        Ok(Array1::from(out))
    }

    /// Gain importances as XGBoost's `feature_importances_` (mean loss change of the splits on
    /// each feature), normalised to sum 1.
    pub fn gain_importances(&self) -> Vec<f64> {
        let mut total = vec![0.0; self.n_features];
        let mut count = vec![0usize; self.n_features];
        for t in &self.trees {
            for nd in &t.nodes {
                if nd.feature != LEAF {
                    total[nd.feature as usize] += nd.loss_chg as f64;
                    count[nd.feature as usize] += 1;
                }
            }
        }
        let mut imp: Vec<f64> = total
            .iter()
            .zip(&count)
            .map(|(&t, &c)| if c > 0 { t / c as f64 } else { 0.0 })
            .collect();
        normalise(&mut imp);
        imp
    }
}
