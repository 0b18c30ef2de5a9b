//! Straight-line fits of MSD(t): pymatgen's (weighted) least squares and the
//! covariance-aware generalised least squares (GLS) with kinisi's MSD covariance.

use crate::displacement::Displacements;
use crate::error::{DiffusionError, Result};
use nalgebra::{DMatrix, DVector, SymmetricEigen};
use rayon::prelude::*;

/// A fitted line `y = slope · t + intercept`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LineFit {
    /// Slope (Å²/fs for MSD fits).
    pub slope: f64,
    /// Intercept (Å²).
    pub intercept: f64,
    /// Standard error of the slope as the method defines it (see each fit).
    pub slope_std: f64,
}

/// pymatgen's `get_diffusivity_from_msd` regression: least squares of `msd` on `[dt, 1]`,
/// weighted by `1/dt` when `weighted` (its `smoothed="max"`), ordinary otherwise. The slope
/// standard error is pymatgen's formula `√(n·RSS / ((n Σt² − (Σt)²)(n−2)))` with the weighted
/// RSS — it assumes independent points, which MSD points are not (pymatgen issue #449): use
/// [`gls_fit`] for an uncertainty that means something. The slope is not floored here.
pub fn pymatgen_fit(dt: &[f64], msd: &[f64], weighted: bool) -> Result<LineFit> {
    let n = dt.len();
    if n != msd.len() {
        return Err(DiffusionError::Shape(format!(
            "{} times for {} MSD values",
            n,
            msd.len()
        )));
    }
    if n < 2 {
        return Err(DiffusionError::Fit(format!(
            "a line needs 2 points, got {n}"
        )));
    }
    let w: Vec<f64> = if weighted {
        if dt.iter().any(|&t| t.is_nan() || t <= 0.0) {
            return Err(DiffusionError::Fit(
                "1/t weights need positive times".into(),
            ));
        }
        dt.iter().map(|t| 1.0 / t).collect()
    } else {
        vec![1.0; n]
    };
    let sw: f64 = w.iter().sum();
    let xm = w.iter().zip(dt).map(|(w, x)| w * x).sum::<f64>() / sw;
    let ym = w.iter().zip(msd).map(|(w, y)| w * y).sum::<f64>() / sw;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for i in 0..n {
        sxx += w[i] * (dt[i] - xm) * (dt[i] - xm);
        sxy += w[i] * (dt[i] - xm) * (msd[i] - ym);
    }
    if sxx.is_nan() || sxx <= 0.0 {
        return Err(DiffusionError::Fit("all times are equal".into()));
    }
    let slope = sxy / sxx;
    let intercept = ym - slope * xm;
    let rss: f64 = (0..n)
        .map(|i| w[i] * (msd[i] - slope * dt[i] - intercept).powi(2))
        .sum();
    let slope_std = if n > 2 {
        let t: Vec<f64> = dt.iter().map(|x| x / 1000.0).collect();
        let s1: f64 = t.iter().sum();
        let s2: f64 = t.iter().map(|x| x * x).sum();
        let denom = (n as f64 * s2 - s1 * s1) * (n as f64 - 2.0);
        (n as f64 * rss / denom).sqrt() / 1000.0
    } else {
        f64::NAN
    };
    Ok(LineFit {
        slope,
        intercept,
        slope_std,
    })
}

/// MSD at a set of lags with the statistics kinisi 2.1 attaches to it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MsdStatistics {
    /// Lags (frames).
    pub lags: Vec<usize>,
    /// MSD (Å²): mean of the squared displacements over atoms and all time origins.
    pub msd: Vec<f64>,
    /// Variance of the MSD estimate: `var(s, ddof=1) / n_independent` (Å⁴).
    pub variance: Vec<f64>,
    /// Independent observations `n_atoms · K / lag`, `K` the largest lag.
    pub n_independent: Vec<f64>,
}

/// Which observations make up each lag's sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Sampling {
    /// Every time origin `t = 0 … N−1−lag` of the `N` frames; lags `1 … N−1`, `K = N−1`.
    #[default]
    AllOrigins,
    /// kinisi 2.1 exactly: its displacement array has no zero row, so for lag `k` it adds the
    /// displacement of frame `k−1` from frame 0 to the all-origin set, runs lags `1 … N` and
    /// counts `K = N`. Use to reproduce kinisi's numbers.
    Kinisi,
}

/// MSD, its variance and independent-sample count at `lags` (frames) for `atoms`, kinisi style.
/// Lags with `n_independent ≤ 1` are dropped (as kinisi does). Direct O(atoms · N) per lag,
/// parallel over lags.
pub fn msd_statistics(
    disp: &Displacements,
    atoms: &[usize],
    lags: &[usize],
    sampling: Sampling,
) -> Result<MsdStatistics> {
    let nf = disp.n_frames();
    let kmax = *lags
        .iter()
        .max()
        .ok_or_else(|| DiffusionError::Fit("no lags to compute MSD statistics on".into()))?;
    let limit = match sampling {
        Sampling::AllOrigins => nf.saturating_sub(1),
        Sampling::Kinisi => nf,
    };
    if kmax > limit || lags.contains(&0) {
        return Err(DiffusionError::NotEnoughFrames {
            what: format!("lags 1…{kmax}"),
            needed: kmax + usize::from(sampling == Sampling::AllOrigins),
            frames: nf,
        });
    }
    let np = atoms.len() as f64;
    // Lags with more than one independent observation, in order.
    let active: Vec<(usize, f64)> = lags
        .iter()
        .map(|&k| (k, np * kmax as f64 / k as f64))
        .filter(|&(_, n_ind)| n_ind > 1.0)
        .collect();
    // Lags are processed LAGS_PER_TASK at a time: one pass over each path feeds several
    // independent accumulators. Every lag's own sums keep the order atoms → origins, so the
    // results do not depend on the grouping or the thread count.
    let rows: Vec<Option<(usize, f64, f64, f64)>> = active
        .par_chunks(LAGS_PER_TASK)
        .flat_map_iter(|group| {
            let ks: Vec<usize> = group.iter().map(|&(k, _)| k).collect();
            let sums = group_sums(disp, atoms, &ks, sampling);
            group.iter().zip(sums).map(|(&(k, n_ind), ls)| {
                if ls.cnt < 2 {
                    return None;
                }
                let c = ls.cnt as f64;
                let mean = ls.s1 / c;
                let var = ((ls.s2 - ls.s1 * mean) / (c - 1.0)).max(0.0);
                Some((k, mean, var / n_ind, n_ind))
            })
        })
        .collect();
    let mut st = MsdStatistics {
        lags: vec![],
        msd: vec![],
        variance: vec![],
        n_independent: vec![],
    };
    for (k, m, v, n) in rows.into_iter().flatten() {
        st.lags.push(k);
        st.msd.push(m);
        st.variance.push(v);
        st.n_independent.push(n);
    }
    Ok(st)
}

/// Lags per parallel task of [`msd_statistics`].
const LAGS_PER_TASK: usize = 16;

/// Sums of the squared displacements, of their squares, and the count, at one lag.
#[derive(Debug, Clone, Copy, Default)]
struct LagSums {
    s1: f64,
    s2: f64,
    cnt: usize,
}

/// [`LagSums`] at every lag of `ks`, the lags taken 16, 8, 4 or 1 at a time.
fn group_sums(
    disp: &Displacements,
    atoms: &[usize],
    ks: &[usize],
    sampling: Sampling,
) -> Vec<LagSums> {
    let mut out = Vec::with_capacity(ks.len());
    let mut rest = ks;
    while !rest.is_empty() {
        let g = match rest.len() {
            16.. => 16,
            8.. => 8,
            4.. => 4,
            _ => 1,
        };
        let (head, tail) = rest.split_at(g);
        match g {
            16 => out.extend(lag_sums::<16>(
                disp,
                atoms,
                head.try_into().unwrap(),
                sampling,
            )),
            8 => out.extend(lag_sums::<8>(
                disp,
                atoms,
                head.try_into().unwrap(),
                sampling,
            )),
            4 => out.extend(lag_sums::<4>(
                disp,
                atoms,
                head.try_into().unwrap(),
                sampling,
            )),
            _ => out.extend(lag_sums::<1>(disp, atoms, [head[0]], sampling)),
        }
        rest = tail;
    }
    out
}

/// [`LagSums`] of `atoms` at the `G` lags `ks` (each `1 ≤ k ≤ N`), in one pass per path.
fn lag_sums<const G: usize>(
    disp: &Displacements,
    atoms: &[usize],
    ks: [usize; G],
    sampling: Sampling,
) -> [LagSums; G] {
    let nf = disp.n_frames();
    let mut out = [LagSums::default(); G];
    let sq = |a: &[f64; 3], b: &[f64; 3]| {
        let d0 = a[0] - b[0];
        let d1 = a[1] - b[1];
        let d2 = a[2] - b[2];
        d0 * d0 + d1 * d1 + d2 * d2
    };
    let ends: [usize; G] = std::array::from_fn(|j| nf.saturating_sub(ks[j]));
    let common = ends.iter().copied().min().unwrap_or(0);
    for &i in atoms {
        let p = disp.atom(i);
        if sampling == Sampling::Kinisi {
            for (o, &k) in out.iter_mut().zip(&ks) {
                let s = sq(&p[k - 1], &p[0]);
                o.s1 += s;
                o.s2 += s * s;
                o.cnt += 1;
            }
        }
        let mut s1: [f64; G] = std::array::from_fn(|j| out[j].s1);
        let mut s2: [f64; G] = std::array::from_fn(|j| out[j].s2);
        for t in 0..common {
            let x = &p[t];
            for j in 0..G {
                let s = sq(&p[t + ks[j]], x);
                s1[j] += s;
                s2[j] += s * s;
            }
        }
        for j in 0..G {
            for t in common..ends[j] {
                let s = sq(&p[t + ks[j]], &p[t]);
                s1[j] += s;
                s2[j] += s * s;
            }
            out[j].s1 = s1[j];
            out[j].s2 = s2[j];
            out[j].cnt += ends[j];
        }
    }
    out
}

/// kinisi's MSD covariance `Σ_ij = Var_i · n_i / n_j` (lag i ≤ lag j) over the given rows.
pub fn kinisi_covariance(variance: &[f64], n_independent: &[f64]) -> DMatrix<f64> {
    let m = variance.len();
    DMatrix::from_fn(m, m, |i, j| {
        let (a, b) = if i <= j { (i, j) } else { (j, i) };
        variance[a] * n_independent[a] / n_independent[b]
    })
}

/// kinisi's reconditioning: the minimum-eigenvalue method (eigenvalues below
/// `λ_max / cond_max` raised to it), then statsmodels' `cov_nearest` (correlation eigenvalues
/// clipped at 1e-15 and the unit diagonal restored).
pub fn recondition(cov: &DMatrix<f64>, cond_max: f64) -> DMatrix<f64> {
    let eig = SymmetricEigen::new(cov.clone());
    let lmax = eig.eigenvalues.max();
    let floor = lmax / cond_max;
    let vals = eig.eigenvalues.map(|l| if l < floor { floor } else { l });
    let c = &eig.eigenvectors * DMatrix::from_diagonal(&vals) * eig.eigenvectors.transpose();
    let c = (&c + c.transpose()) * 0.5;
    // cov_nearest(method="clipped", threshold=1e-15)
    let std: Vec<f64> = (0..c.nrows()).map(|i| c[(i, i)].max(0.0).sqrt()).collect();
    if std.iter().any(|&s| s.is_nan() || s <= 0.0) {
        return c;
    }
    let corr = DMatrix::from_fn(c.nrows(), c.ncols(), |i, j| c[(i, j)] / (std[i] * std[j]));
    let e = SymmetricEigen::new(corr.clone());
    let corr = if e.eigenvalues.iter().any(|&l| l < 1e-15) {
        let v = e.eigenvalues.map(|l| l.max(1e-15));
        let x = &e.eigenvectors * DMatrix::from_diagonal(&v) * e.eigenvectors.transpose();
        let d: Vec<f64> = (0..x.nrows()).map(|i| x[(i, i)].sqrt()).collect();
        DMatrix::from_fn(x.nrows(), x.ncols(), |i, j| x[(i, j)] / (d[i] * d[j]))
    } else {
        corr
    };
    DMatrix::from_fn(c.nrows(), c.ncols(), |i, j| corr[(i, j)] * std[i] * std[j])
}

/// Pseudo-inverse of a symmetric matrix (scipy `pinvh` cut-off: `|λ| > n·ε·max|λ|`).
pub fn pinvh(a: &DMatrix<f64>) -> DMatrix<f64> {
    let e = SymmetricEigen::new(a.clone());
    let amax = e.eigenvalues.amax();
    let cut = a.nrows() as f64 * f64::EPSILON * amax;
    let inv = e
        .eigenvalues
        .map(|l| if l.abs() > cut { 1.0 / l } else { 0.0 });
    &e.eigenvectors * DMatrix::from_diagonal(&inv) * e.eigenvectors.transpose()
}

/// Result of the covariance-aware fit.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GlsFit {
    /// Slope (Å²/fs).
    pub slope: f64,
    /// Standard error of the slope from `(XᵀΣ⁻¹X)⁻¹` (Å²/fs).
    pub slope_std: f64,
    /// Intercept (Å²).
    pub intercept: f64,
    /// Standard error of the intercept (Å²).
    pub intercept_std: f64,
    /// Covariance of slope and intercept.
    pub slope_intercept_cov: f64,
    /// Number of MSD points in the fit.
    pub n_points: usize,
}

/// Generalised least squares of `msd = slope·t + intercept` over the rows of `stats` whose
/// time `lag · frame_fs ≥ start_fs`, with kinisi's covariance, reconditioned with `cond_max`.
/// The analytic counterpart of kinisi's Bayesian regression (whose posterior is this Gaussian,
/// truncated at slope ≥ 0).
pub fn gls_fit(
    stats: &MsdStatistics,
    frame_fs: f64,
    start_fs: f64,
    cond_max: f64,
) -> Result<GlsFit> {
    let i0 = stats
        .lags
        .iter()
        .position(|&k| k as f64 * frame_fs >= start_fs)
        .ok_or_else(|| DiffusionError::NotEnoughFrames {
            what: format!("a GLS fit starting at {start_fs} fs"),
            needed: (start_fs / frame_fs).ceil() as usize + 2,
            frames: stats.lags.last().map_or(0, |k| k + 1),
        })?;
    let m = stats.lags.len() - i0;
    if m < 2 {
        return Err(DiffusionError::NotEnoughFrames {
            what: format!("a GLS fit (2 lags) starting at {start_fs} fs"),
            needed: stats.lags[i0] + 2,
            frames: stats.lags.last().map_or(0, |k| k + 1),
        });
    }
    let cov = kinisi_covariance(&stats.variance[i0..], &stats.n_independent[i0..]);
    let cov = recondition(&cov, cond_max);
    let ci = pinvh(&cov);
    let x = DMatrix::from_fn(m, 2, |i, j| {
        if j == 0 {
            stats.lags[i0 + i] as f64 * frame_fs
        } else {
            1.0
        }
    });
    let y = DVector::from_column_slice(&stats.msd[i0..]);
    let xtci = x.transpose() * &ci;
    let a = &xtci * &x;
    let b = &xtci * y;
    let ainv = a
        .try_inverse()
        .ok_or_else(|| DiffusionError::Fit("singular GLS normal equations".into()))?;
    let beta = &ainv * b;
    Ok(GlsFit {
        slope: beta[0],
        slope_std: ainv[(0, 0)].max(0.0).sqrt(),
        intercept: beta[1],
        intercept_std: ainv[(1, 1)].max(0.0).sqrt(),
        slope_intercept_cov: ainv[(0, 1)],
        n_points: m,
    })
}
