//! Feature-space construction (tiers of operators over primary features) and sure independence
//! screening, with the last tier streamed: its features are scored as they are generated and only
//! the best candidates are kept.

use crate::error::{Result, SissoError};
use crate::expr::{Expr, simpler};
use crate::op::Op;
use crate::unit::Unit;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Features whose largest |value| exceeds this (or is below [`ZERO_LIMIT`]) are discarded.
pub const INF_LIMIT: f64 = 1e50;
/// See [`INF_LIMIT`].
pub const ZERO_LIMIT: f64 = 1e-50;
/// Two SIS scores closer than this are candidates for being the same feature.
pub const SCORE_TOL: f64 = 1e-8;
/// |Pearson r| above which two features with equal scores count as the same.
pub const DUP_CORR: f64 = 0.99;

/// Options of the feature construction.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceOptions {
    /// Operators to apply.
    pub ops: Vec<Op>,
    /// Number of tiers (tree depth): 0 = primary features only.
    pub rung: u32,
    /// Largest number of operators in a feature.
    pub max_complexity: u32,
    /// A feature is not selectable when its largest |value| is below this (SISSO `fmax_min`).
    pub fmax_min: f64,
    /// A feature is not selectable when its largest |value| is above this (SISSO `fmax_max`).
    pub fmax_max: f64,
    /// Require dimensionless arguments for exp, exp-, log, sin and cos (the reference does not).
    pub strict_functions: bool,
}

impl Default for SpaceOptions {
    fn default() -> Self {
        SpaceOptions {
            ops: Vec::new(),
            rung: 1,
            max_complexity: 1,
            fmax_min: 1e-3,
            fmax_max: 1e5,
            strict_functions: false,
        }
    }
}

/// One stored feature (tiers below the last one).
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub expr: Arc<Expr>,
    pub values: Vec<f64>,
    pub unit_id: usize,
    pub complexity: u32,
    pub selectable: bool,
    pub min: f64,
    pub min_abs: f64,
}

/// A feature of the streamed tier, by reference to its stored operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cand {
    op: Op,
    a: u32,
    b: u32,
}

const NO_OPERAND: u32 = u32::MAX;

/// Where a screened feature comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Src {
    Stored(u32),
    Cand(Cand),
}

/// A screened (selected) feature with its values on the training rows.
#[derive(Debug, Clone)]
pub struct Selected {
    /// The expression.
    pub expr: Arc<Expr>,
    /// Its unit.
    pub unit: Unit,
    /// Values on the training rows.
    pub values: Vec<f64>,
    /// SIS score (|Pearson r| with the residual it was screened against).
    pub score: f64,
}

/// Summary statistics of a feature column.
#[derive(Debug, Clone, Copy)]
struct Stats {
    mean: f64,
    cnorm: f64,
}

fn column_stats(v: &[f64]) -> Stats {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let cnorm = v
        .iter()
        .map(|x| (x - mean) * (x - mean))
        .sum::<f64>()
        .sqrt();
    Stats { mean, cnorm }
}

fn correlation(a: &[f64], sa: Stats, b: &[f64], sb: Stats) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - sa.mean) * (y - sb.mean))
        .sum();
    dot / (sa.cnorm * sb.cnorm)
}

/// Goodness of a new feature: `None` = discard (non-finite, constant, zero or infinite),
/// `Some(selectable)` otherwise.
fn goodf(v: &[f64], fmax_min: f64, fmax_max: f64) -> Option<bool> {
    let v0 = *v.first()?;
    let mut maxabs = 0.0f64;
    let mut maxdev = 0.0f64;
    for &x in v {
        if !x.is_finite() {
            return None;
        }
        maxabs = maxabs.max(x.abs());
        maxdev = maxdev.max((x - v0).abs());
    }
    if maxdev <= 1e-8 || maxdev <= 1e-12 * maxabs || maxabs > INF_LIMIT || maxabs <= ZERO_LIMIT {
        return None;
    }
    Some(maxabs >= fmax_min && maxabs <= fmax_max)
}

/// The stored tiers of a feature space plus the rules to stream the last tier.
#[derive(Debug, Clone)]
pub struct FeatureSpace {
    opts: SpaceOptions,
    n: usize,
    units: Vec<Unit>,
    unit_index: HashMap<Vec<i64>, usize>,
    pub(crate) stored: Vec<Stored>,
    /// Start index in `stored` of each stored tier, plus the end.
    tier_start: Vec<usize>,
    has_mul: bool,
    dropped_primaries: Vec<String>,
}

fn unit_key(u: &Unit) -> Vec<i64> {
    let mut k: Vec<i64> = u.0.iter().map(|e| (e * 1e6).round() as i64).collect();
    while k.last() == Some(&0) {
        k.pop();
    }
    k
}

impl FeatureSpace {
    /// Builds the stored tiers (0..rung-1) from primary features `(name, values, unit)`.
    ///
    /// Primary features must be finite; constant primary features are dropped (listed by
    /// [`FeatureSpace::dropped_primaries`]).
    pub fn build(primaries: Vec<(String, Vec<f64>, Unit)>, opts: SpaceOptions) -> Result<Self> {
        let n = primaries.first().map(|p| p.1.len()).unwrap_or(0);
        if n < 2 {
            return Err(SissoError::Data(
                "need at least two samples and one feature".into(),
            ));
        }
        let mut space = FeatureSpace {
            has_mul: opts.ops.contains(&Op::Mul),
            opts,
            n,
            units: Vec::new(),
            unit_index: HashMap::new(),
            stored: Vec::new(),
            tier_start: vec![0],
            dropped_primaries: Vec::new(),
        };
        for (name, values, unit) in primaries {
            if values.len() != n {
                return Err(SissoError::Data(format!(
                    "feature `{name}` has {} values, expected {n}",
                    values.len()
                )));
            }
            if let Some(k) = values.iter().position(|x| !x.is_finite()) {
                return Err(SissoError::Data(format!(
                    "feature `{name}` row {k} is not finite"
                )));
            }
            let selectable = match goodf(&values, space.opts.fmax_min, space.opts.fmax_max) {
                Some(s) => s,
                None => {
                    space.dropped_primaries.push(name);
                    continue;
                }
            };
            let unit_id = space.intern(&unit);
            space.stored.push(make_stored(
                Expr::primary(&name),
                values,
                unit_id,
                0,
                selectable,
            ));
        }
        if space.stored.is_empty() {
            return Err(SissoError::Data("every feature is constant".into()));
        }
        space.tier_start.push(space.stored.len());
        for tier in 1..space.opts.rung {
            space.grow_stored_tier(tier);
        }
        Ok(space)
    }

    fn intern(&mut self, u: &Unit) -> usize {
        let key = unit_key(u);
        if let Some(&k) = self.unit_index.get(&key) {
            return k;
        }
        self.units.push(u.clone());
        self.unit_index.insert(key, self.units.len() - 1);
        self.units.len() - 1
    }

    /// Primary features dropped because they are constant.
    pub fn dropped_primaries(&self) -> &[String] {
        &self.dropped_primaries
    }

    /// Number of samples.
    pub fn n_samples(&self) -> usize {
        self.n
    }

    /// Number of stored features (all tiers below the streamed one).
    pub fn n_stored(&self) -> usize {
        self.stored.len()
    }

    /// Number of stored features per tier.
    pub fn stored_per_tier(&self) -> Vec<usize> {
        self.tier_start.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// The options.
    pub fn options(&self) -> &SpaceOptions {
        &self.opts
    }

    /// True when a last tier is generated on the fly.
    pub fn streams(&self) -> bool {
        self.opts.rung >= 1 && !self.opts.ops.is_empty()
    }

    fn newest(&self) -> std::ops::Range<usize> {
        let t = self.tier_start.len();
        self.tier_start[t - 2]..self.tier_start[t - 1]
    }

    fn unary_unit(&self, op: Op, f: &Stored) -> Option<Unit> {
        let u = &self.units[f.unit_id];
        Some(match op {
            Op::Inv => u.pow(-1.0),
            Op::Sq => u.pow(2.0),
            Op::Cb => u.pow(3.0),
            Op::Six => u.pow(6.0),
            Op::Sqrt => u.pow(0.5),
            Op::Cbrt => u.pow(1.0 / 3.0),
            Op::Abs => u.clone(),
            Op::Exp | Op::NegExp | Op::Log | Op::Sin | Op::Cos => {
                if self.opts.strict_functions && !u.is_dimensionless() {
                    return None;
                }
                Unit::dimensionless(u.0.len())
            }
            _ => return None,
        })
    }

    /// Whether a unary operator may be applied (complexity, skip rules, domain, units).
    fn unary_ok(&self, op: Op, f: &Stored) -> bool {
        if f.complexity + 1 > self.opts.max_complexity {
            return false;
        }
        let last = f.expr.last_op();
        let ok = match op {
            Op::Exp | Op::NegExp => !matches!(last, Some(Op::Exp | Op::NegExp | Op::Log)),
            Op::Log => !matches!(last, Some(Op::Exp | Op::NegExp | Op::Log)) && f.min > 0.0,
            Op::Sqrt => last != Some(Op::Sqrt) && last != Some(Op::Sq) && f.min > 0.0,
            Op::Sq => last != Some(Op::Sqrt),
            Op::Cb => last != Some(Op::Cbrt),
            Op::Cbrt => last != Some(Op::Cb),
            Op::Inv => last != Some(Op::Inv) && f.min_abs > ZERO_LIMIT,
            Op::Abs => f.min < 0.0,
            Op::Six | Op::Sin | Op::Cos => true,
            _ => false,
        };
        ok && (!self.opts.strict_functions
            || !op.is_transcendental()
            || self.units[f.unit_id].is_dimensionless())
    }

    /// Whether `a op b` may be built (complexity, units, skip rules).
    fn binary_ok(&self, op: Op, a: &Stored, b: &Stored, last_tier: bool) -> bool {
        if a.complexity + b.complexity + 1 > self.opts.max_complexity {
            return false;
        }
        match op {
            Op::Add | Op::Sub | Op::AbsDiff => a.unit_id == b.unit_id,
            Op::Mul => true,
            Op::Div => {
                if b.min_abs <= ZERO_LIMIT {
                    return false;
                }
                // (A*B)/B, (A*B)/A, A/(A*B), B/(A*B) are skipped by name.
                let contains = |prod: &Expr, factor: &Arc<Expr>| match prod {
                    Expr::Binary {
                        op: Op::Mul,
                        left,
                        right,
                    } => Arc::ptr_eq(left, factor) || Arc::ptr_eq(right, factor),
                    _ => false,
                };
                if contains(&a.expr, &b.expr) || contains(&b.expr, &a.expr) {
                    return false;
                }
                // A/(B/C) = (A*C)/B exists through `*` (reference: not in the last tier).
                !(self.has_mul
                    && !last_tier
                    && (a.expr.last_op() == Some(Op::Div) || b.expr.last_op() == Some(Op::Div)))
            }
            _ => false,
        }
    }

    /// Enumerates the candidates of the next tier that have newest feature `i` as their first
    /// operand; `last_tier` applies the last-tier rules (only A-B, not B-A).
    fn for_each_candidate(&self, i: usize, last_tier: bool, mut f: impl FnMut(Cand)) {
        let fa = &self.stored[i];
        let newest = self.newest();
        for &op in &self.opts.ops {
            if !op.is_binary() && self.unary_ok(op, fa) {
                f(Cand {
                    op,
                    a: i as u32,
                    b: NO_OPERAND,
                });
            }
        }
        let binaries: Vec<Op> = self
            .opts
            .ops
            .iter()
            .copied()
            .filter(|o| o.is_binary())
            .collect();
        if binaries.is_empty() {
            return;
        }
        for j in 0..self.stored.len() {
            if j == i || (newest.contains(&j) && j < i) {
                continue;
            }
            let fb = &self.stored[j];
            for &op in &binaries {
                match op {
                    Op::Sub => {
                        if self.binary_ok(op, fa, fb, last_tier) {
                            f(Cand {
                                op,
                                a: i as u32,
                                b: j as u32,
                            });
                            if !last_tier {
                                f(Cand {
                                    op,
                                    a: j as u32,
                                    b: i as u32,
                                });
                            }
                        }
                    }
                    Op::Div => {
                        if self.binary_ok(op, fa, fb, last_tier) {
                            f(Cand {
                                op,
                                a: i as u32,
                                b: j as u32,
                            });
                        }
                        if self.binary_ok(op, fb, fa, last_tier) {
                            f(Cand {
                                op,
                                a: j as u32,
                                b: i as u32,
                            });
                        }
                    }
                    _ => {
                        if self.binary_ok(op, fa, fb, last_tier) {
                            f(Cand {
                                op,
                                a: i as u32,
                                b: j as u32,
                            });
                        }
                    }
                }
            }
        }
    }

    pub(crate) fn cand_expr(&self, c: Cand) -> Arc<Expr> {
        let a = self.stored[c.a as usize].expr.clone();
        if c.b == NO_OPERAND {
            Arc::new(Expr::Unary { op: c.op, arg: a })
        } else {
            let b = self.stored[c.b as usize].expr.clone();
            Arc::new(Expr::Binary {
                op: c.op,
                left: a,
                right: b,
            })
        }
    }

    fn cand_unit(&self, c: Cand) -> Unit {
        let fa = &self.stored[c.a as usize];
        if c.b == NO_OPERAND {
            self.unary_unit(c.op, fa).unwrap_or_default()
        } else {
            let ua = &self.units[fa.unit_id];
            let ub = &self.units[self.stored[c.b as usize].unit_id];
            match c.op {
                Op::Mul => ua.mul(ub),
                Op::Div => ua.div(ub),
                _ => ua.clone(),
            }
        }
    }

    pub(crate) fn cand_values(&self, c: Cand) -> Vec<f64> {
        let a = &self.stored[c.a as usize].values;
        if c.b == NO_OPERAND {
            a.iter().map(|&x| c.op.unary(x)).collect()
        } else {
            let b = &self.stored[c.b as usize].values;
            a.iter().zip(b).map(|(&x, &y)| c.op.binary(x, y)).collect()
        }
    }

    pub(crate) fn src_expr(&self, s: Src) -> Arc<Expr> {
        match s {
            Src::Stored(k) => self.stored[k as usize].expr.clone(),
            Src::Cand(c) => self.cand_expr(c),
        }
    }

    fn src_unit(&self, s: Src) -> Unit {
        match s {
            Src::Stored(k) => self.units[self.stored[k as usize].unit_id].clone(),
            Src::Cand(c) => self.cand_unit(c),
        }
    }

    /// Materialises tier `tier` (not the last one): every valid feature, deduplicated by value.
    fn grow_stored_tier(&mut self, tier: u32) {
        let newest = self.newest();
        let fmin = self.opts.fmax_min;
        let fmax = self.opts.fmax_max;
        let this = &*self;
        let fresh: Vec<(Cand, Vec<f64>, bool)> = newest
            .clone()
            .into_par_iter()
            .flat_map_iter(|i| {
                let mut out = Vec::new();
                this.for_each_candidate(i, false, |c| {
                    let v = this.cand_values(c);
                    if let Some(sel) = goodf(&v, fmin, fmax) {
                        out.push((c, v, sel));
                    }
                });
                out
            })
            .collect();
        let _ = tier;
        // Deduplicate by values: fingerprint, then exact comparison; older features win, within
        // the new tier the simpler wins.
        let n = self.n;
        let tag: Vec<f64> = (0..n).map(|t| 1.0 + 0.001 * t as f64).collect();
        let fp = |v: &[f64]| -> f64 { v.iter().zip(&tag).map(|(x, t)| x * t).sum::<f64>() };
        let old: Vec<(f64, usize)> = self
            .stored
            .iter()
            .enumerate()
            .map(|(k, s)| (fp(&s.values), k))
            .collect();
        let mut all: Vec<(f64, bool, usize)> = old.iter().map(|&(f, k)| (f, true, k)).collect();
        all.extend(
            fresh
                .iter()
                .enumerate()
                .map(|(k, (_, v, _))| (fp(v), false, k)),
        );
        all.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut drop = vec![false; fresh.len()];
        let same = |x: &[f64], y: &[f64]| {
            x.iter()
                .zip(y)
                .all(|(a, b)| (a - b).abs() <= 1e-10 * a.abs().max(b.abs()).max(1.0))
        };
        let mut exprs: HashMap<usize, Arc<Expr>> = HashMap::new();
        let mut start = 0;
        while start < all.len() {
            let mut end = start + 1;
            while end < all.len()
                && (all[end].0 - all[start].0).abs() <= 1e-9 * all[start].0.abs().max(1.0)
            {
                end += 1;
            }
            if end - start > 1 {
                let group = &all[start..end];
                for (gi, &(_, is_old, k)) in group.iter().enumerate() {
                    if is_old || drop[k] {
                        continue;
                    }
                    for &(_, o_old, o) in &group[..gi]
                        .iter()
                        .chain(group[gi + 1..].iter())
                        .copied()
                        .collect::<Vec<_>>()
                    {
                        let ov: &[f64] = if o_old {
                            &self.stored[o].values
                        } else {
                            &fresh[o].1
                        };
                        if !o_old && drop[o] {
                            continue;
                        }
                        if !same(&fresh[k].1, ov) {
                            continue;
                        }
                        let loses = if o_old {
                            true
                        } else {
                            let ek = exprs
                                .entry(k)
                                .or_insert_with(|| self.cand_expr(fresh[k].0))
                                .clone();
                            let eo = exprs
                                .entry(o)
                                .or_insert_with(|| self.cand_expr(fresh[o].0))
                                .clone();
                            simpler(&eo, &ek) == std::cmp::Ordering::Less
                        };
                        if loses {
                            drop[k] = true;
                            break;
                        }
                    }
                }
            }
            start = end;
        }
        for (k, (c, v, sel)) in fresh.into_iter().enumerate() {
            if drop[k] {
                continue;
            }
            let unit = self.cand_unit(c);
            let unit_id = self.intern(&unit);
            let expr = self.cand_expr(c);
            let complexity = expr.complexity();
            self.stored
                .push(make_stored(expr, v, unit_id, complexity, sel));
        }
        self.tier_start.push(self.stored.len());
    }

    /// Calls `f` with every feature of the space (stored tiers and the streamed tier, valid ones
    /// only) and its unit. For small spaces and tests; the streamed tier is materialised one
    /// feature at a time.
    pub fn for_each_feature(&self, mut f: impl FnMut(&Expr, &Unit, &[f64])) {
        for s in &self.stored {
            f(&s.expr, &self.units[s.unit_id], &s.values);
        }
        if self.streams() {
            for i in self.newest() {
                self.for_each_candidate(i, true, |c| {
                    let v = self.cand_values(c);
                    if goodf(&v, self.opts.fmax_min, self.opts.fmax_max).is_some() {
                        f(&self.cand_expr(c), &self.cand_unit(c), &v);
                    }
                });
            }
        }
    }

    /// Sure independence screening: the `k` features of the whole space (stored tiers and the
    /// streamed tier) with the largest |Pearson r| against `residual`, excluding features
    /// equivalent to one in `exclude`. Returns the features (best first) and the number of
    /// candidates scored.
    pub fn screen(&self, residual: &[f64], k: usize, exclude: &[Selected]) -> (Vec<Selected>, u64) {
        let n = self.n;
        let rmean = residual.iter().sum::<f64>() / n as f64;
        let r: Vec<f64> = residual.iter().map(|x| x - rmean).collect();
        let rnorm = r.iter().map(|x| x * x).sum::<f64>().sqrt();
        if k == 0 || rnorm <= 0.0 || !rnorm.is_finite() {
            return (Vec::new(), 0);
        }
        let mut excl: Vec<(f64, &[f64], Stats)> = exclude
            .iter()
            .map(|s| {
                let st = column_stats(&s.values);
                let sc = (correlation(
                    &s.values,
                    st,
                    &r,
                    Stats {
                        mean: 0.0,
                        cnorm: rnorm,
                    },
                ))
                .abs();
                (sc, s.values.as_slice(), st)
            })
            .collect();
        excl.sort_by(|a, b| a.0.total_cmp(&b.0));
        let ctx = ScreenCtx {
            space: self,
            r: &r,
            rnorm,
            keep: k,
            excl: &excl,
        };

        let stored_pool = (0..self.stored.len())
            .into_par_iter()
            .fold(
                || Pool::new(k),
                |mut pool, j| {
                    let s = &self.stored[j];
                    if s.selectable {
                        let acc = accumulate1(&s.values, &r, |x| x);
                        ctx.offer(&mut pool, acc, Src::Stored(j as u32), || s.values.clone());
                    }
                    pool
                },
            )
            .reduce(|| Pool::new(k), |a, b| ctx.merge(a, b));
        let mut pool = stored_pool;
        let mut count = self.stored.iter().filter(|s| s.selectable).count() as u64;
        if self.streams() {
            let streamed = self
                .newest()
                .into_par_iter()
                .fold(
                    || (Pool::new(k), 0u64),
                    |(mut pool, mut cnt), i| {
                        self.for_each_candidate(i, true, |c| {
                            cnt += 1;
                            let acc = self.score_cand(c, &r);
                            ctx.offer(&mut pool, acc, Src::Cand(c), || self.cand_values(c));
                        });
                        (pool, cnt)
                    },
                )
                .reduce(
                    || (Pool::new(k), 0),
                    |a, b| (ctx.merge(a.0, b.0), a.1 + b.1),
                );
            pool = ctx.merge(pool, streamed.0);
            count += streamed.1;
        }
        ctx.compact(&mut pool);
        let out = pool
            .entries
            .into_iter()
            .map(|e| Selected {
                expr: self.src_expr(e.src),
                unit: self.src_unit(e.src),
                values: e.values,
                score: e.score,
            })
            .collect();
        (out, count)
    }

    #[inline]
    fn score_cand(&self, c: Cand, r: &[f64]) -> Acc {
        let a = &self.stored[c.a as usize].values;
        if c.b == NO_OPERAND {
            return match c.op {
                Op::Inv => accumulate1(a, r, |x| 1.0 / x),
                Op::Sq => accumulate1(a, r, |x| x * x),
                Op::Cb => accumulate1(a, r, |x| x * x * x),
                op => accumulate1(a, r, |x| op.unary(x)),
            };
        }
        let b = &self.stored[c.b as usize].values;
        match c.op {
            Op::Add => accumulate2(a, b, r, |x, y| x + y),
            Op::Sub => accumulate2(a, b, r, |x, y| x - y),
            Op::Mul => accumulate2(a, b, r, |x, y| x * y),
            Op::Div => accumulate2(a, b, r, |x, y| x / y),
            Op::AbsDiff => accumulate2(a, b, r, |x, y| (x - y).abs()),
            _ => Acc::invalid(),
        }
    }
}

fn make_stored(
    expr: Arc<Expr>,
    values: Vec<f64>,
    unit_id: usize,
    complexity: u32,
    selectable: bool,
) -> Stored {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let min_abs = values.iter().map(|x| x.abs()).fold(f64::INFINITY, f64::min);
    Stored {
        expr,
        values,
        unit_id,
        complexity,
        selectable,
        min,
        min_abs,
    }
}

/// Running sums of a candidate column, shifted by its first value for precision.
#[derive(Debug, Clone, Copy)]
struct Acc {
    n: usize,
    s: f64,
    ss: f64,
    dr: f64,
    maxabs: f64,
    maxdev: f64,
}

impl Acc {
    fn invalid() -> Acc {
        Acc {
            n: 0,
            s: f64::NAN,
            ss: f64::NAN,
            dr: f64::NAN,
            maxabs: 0.0,
            maxdev: 0.0,
        }
    }
}

/// One pass over a candidate column `f(a[t], b[t])`: shifted sums, product with the centred
/// residual, min and max. Four independent lanes so that the loop vectorises.
#[inline(always)]
fn accumulate2<F: Fn(f64, f64) -> f64>(a: &[f64], b: &[f64], r: &[f64], f: F) -> Acc {
    let n = r.len().min(a.len()).min(b.len());
    if n == 0 {
        return Acc::invalid();
    }
    let v0 = f(a[0], b[0]);
    let mut s = [0.0f64; 4];
    let mut ss = [0.0f64; 4];
    let mut dr = [0.0f64; 4];
    let mut hi = [v0; 4];
    let mut lo = [v0; 4];
    let (a, b, r) = (&a[..n], &b[..n], &r[..n]);
    let mut ca = a.chunks_exact(4);
    let mut cb = b.chunks_exact(4);
    let mut cr = r.chunks_exact(4);
    for ((xa, xb), xr) in (&mut ca).zip(&mut cb).zip(&mut cr) {
        for l in 0..4 {
            let v = f(xa[l], xb[l]);
            let d = v - v0;
            s[l] += d;
            ss[l] += d * d;
            dr[l] += d * xr[l];
            hi[l] = if v > hi[l] { v } else { hi[l] };
            lo[l] = if v < lo[l] { v } else { lo[l] };
        }
    }
    for ((xa, xb), xr) in ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .zip(cr.remainder())
    {
        let v = f(*xa, *xb);
        let d = v - v0;
        s[0] += d;
        ss[0] += d * d;
        dr[0] += d * xr;
        hi[0] = if v > hi[0] { v } else { hi[0] };
        lo[0] = if v < lo[0] { v } else { lo[0] };
    }
    let mut sum = (s[0] + s[1]) + (s[2] + s[3]);
    let sumsq = (ss[0] + ss[1]) + (ss[2] + ss[3]);
    let dot = (dr[0] + dr[1]) + (dr[2] + dr[3]);
    let vmax = hi.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let vmin = lo.iter().copied().fold(f64::INFINITY, f64::min);
    if !v0.is_finite() {
        sum = f64::NAN;
    }
    Acc {
        n,
        s: sum,
        ss: sumsq,
        dr: dot,
        maxabs: vmax.abs().max(vmin.abs()),
        maxdev: (vmax - v0).max(v0 - vmin),
    }
}

#[inline(always)]
fn accumulate1<F: Fn(f64) -> f64>(a: &[f64], r: &[f64], f: F) -> Acc {
    accumulate2(a, a, r, |x, _| f(x))
}

struct Entry {
    score: f64,
    src: Src,
    values: Vec<f64>,
}

struct Pool {
    entries: Vec<Entry>,
    threshold: f64,
}

impl Pool {
    fn new(k: usize) -> Pool {
        let _ = k;
        Pool {
            entries: Vec::new(),
            threshold: -1.0,
        }
    }
}

struct ScreenCtx<'a> {
    space: &'a FeatureSpace,
    r: &'a [f64],
    rnorm: f64,
    keep: usize,
    excl: &'a [(f64, &'a [f64], Stats)],
}

impl ScreenCtx<'_> {
    /// Score from the sums; `None` when the feature is invalid or not selectable.
    #[inline]
    fn score(&self, a: &Acc) -> Option<f64> {
        if !(a.s.is_finite() && a.ss.is_finite() && a.dr.is_finite()) {
            return None;
        }
        let o = &self.space.opts;
        if a.maxabs > INF_LIMIT
            || a.maxabs <= ZERO_LIMIT
            || a.maxabs > o.fmax_max
            || a.maxabs < o.fmax_min
        {
            return None;
        }
        if a.maxdev <= 1e-8 || a.maxdev <= 1e-12 * a.maxabs {
            return None;
        }
        let css = a.ss - a.s * a.s / a.n as f64;
        if css <= 1e-24 * a.maxabs * a.maxabs * a.n as f64 {
            return None;
        }
        Some((a.dr.abs() / (css.sqrt() * self.rnorm)).min(1.0))
    }

    fn offer(&self, pool: &mut Pool, acc: Acc, src: Src, values: impl FnOnce() -> Vec<f64>) {
        let Some(score) = self.score(&acc) else {
            return;
        };
        if score < pool.threshold - SCORE_TOL {
            return;
        }
        let values = values();
        if self.excluded(score, &values) {
            return;
        }
        pool.entries.push(Entry { score, src, values });
        if pool.entries.len() >= 2 * self.keep.max(8) {
            self.compact(pool);
        }
    }

    fn excluded(&self, score: f64, values: &[f64]) -> bool {
        if self.excl.is_empty() {
            return false;
        }
        let lo = self.excl.partition_point(|e| e.0 < score - SCORE_TOL);
        let mut st = None;
        for e in &self.excl[lo..] {
            if e.0 > score + SCORE_TOL {
                break;
            }
            let s = *st.get_or_insert_with(|| column_stats(values));
            if correlation(values, s, e.1, e.2).abs() > DUP_CORR {
                return true;
            }
        }
        false
    }

    fn merge(&self, mut a: Pool, mut b: Pool) -> Pool {
        a.entries.append(&mut b.entries);
        a.threshold = a.threshold.max(b.threshold);
        if a.entries.len() >= 2 * self.keep.max(8) {
            self.compact(&mut a);
        }
        a
    }

    /// Sorts by score, removes equivalent features (equal score and |r| > 0.99, the simpler
    /// wins) and keeps the best `keep`.
    fn compact(&self, pool: &mut Pool) {
        let e = &mut pool.entries;
        e.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.src.cmp(&y.src)));
        let mut kept: Vec<Entry> = Vec::with_capacity(self.keep + 1);
        let mut stats: Vec<Stats> = Vec::with_capacity(self.keep + 1);
        for cand in e.drain(..) {
            if kept.len() >= self.keep && cand.score < kept[kept.len() - 1].score - SCORE_TOL {
                break;
            }
            let cs = column_stats(&cand.values);
            let mut dup_of = None;
            for (q, k) in kept.iter().enumerate().rev() {
                if k.score - cand.score > SCORE_TOL {
                    break;
                }
                if correlation(&cand.values, cs, &k.values, stats[q]).abs() > DUP_CORR {
                    dup_of = Some(q);
                    break;
                }
            }
            match dup_of {
                None => {
                    kept.push(cand);
                    stats.push(cs);
                }
                Some(q) => {
                    let ec = self.space.src_expr(cand.src);
                    let ek = self.space.src_expr(kept[q].src);
                    if simpler(&ec, &ek) == std::cmp::Ordering::Less {
                        kept[q] = cand;
                        stats[q] = cs;
                    }
                }
            }
        }
        kept.truncate(self.keep);
        if kept.len() >= self.keep {
            pool.threshold = pool.threshold.max(kept[kept.len() - 1].score);
        }
        pool.entries = kept;
        let _ = self.r;
    }
}
