//! Exhaustive ℓ0 search: every combination of `dim` features from a candidate set, fitted by
//! least squares through an incremental Cholesky factorisation of the (standardised) Gram matrix.

use rayon::prelude::*;

/// A ranked combination: sum of squared errors and the feature indices (ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Sum of squared residuals of the least-squares fit.
    pub sse: f64,
    /// Indices of the features into the candidate set.
    pub indices: Vec<usize>,
}

/// Normalised problem: Gram matrix of standardised columns and their products with y.
struct Gram {
    m: usize,
    g: Vec<f64>,
    b: Vec<f64>,
    yy: f64,
}

fn gram(columns: &[&[f64]], y: &[f64], intercept: bool) -> Gram {
    let n = y.len();
    let m = columns.len();
    let ymean = if intercept {
        y.iter().sum::<f64>() / n as f64
    } else {
        0.0
    };
    let yc: Vec<f64> = y.iter().map(|v| v - ymean).collect();
    let z: Vec<Vec<f64>> = columns
        .par_iter()
        .map(|c| {
            let mean = if intercept {
                c.iter().sum::<f64>() / n as f64
            } else {
                0.0
            };
            let mut v: Vec<f64> = c.iter().map(|x| x - mean).collect();
            let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            let inv = if norm > 0.0 { 1.0 / norm } else { 0.0 };
            v.iter_mut().for_each(|x| *x *= inv);
            v
        })
        .collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let rows: Vec<Vec<f64>> = (0..m)
        .into_par_iter()
        .map(|i| (0..m).map(|j| dot(&z[i], &z[j])).collect())
        .collect();
    Gram {
        m,
        g: rows.concat(),
        b: z.iter().map(|c| dot(c, &yc)).collect(),
        yy: dot(&yc, &yc),
    }
}

/// Bounded list of the best combinations (largest SSE first removed).
struct Top {
    keep: usize,
    items: Vec<Ranked>,
    worst: f64,
}

impl Top {
    fn new(keep: usize) -> Top {
        Top {
            keep,
            items: Vec::new(),
            worst: f64::INFINITY,
        }
    }
    #[inline]
    fn offer(&mut self, sse: f64, idx: &[usize]) {
        if self.items.len() >= self.keep && sse >= self.worst {
            return;
        }
        self.items.push(Ranked {
            sse,
            indices: idx.to_vec(),
        });
        if self.items.len() >= 2 * self.keep.max(4) {
            self.shrink();
        }
    }
    fn shrink(&mut self) {
        self.items.sort_by(|a, b| {
            a.sse
                .total_cmp(&b.sse)
                .then_with(|| a.indices.cmp(&b.indices))
        });
        self.items.truncate(self.keep);
        if self.items.len() >= self.keep {
            self.worst = self.items[self.items.len() - 1].sse;
        }
    }
    fn merge(mut self, mut other: Top) -> Top {
        self.items.append(&mut other.items);
        self.worst = self.worst.min(other.worst);
        self.shrink();
        self
    }
}

/// Squared pivot under which a column counts as linearly dependent on the others.
const PIVOT_TOL: f64 = 1e-10;

struct Walker<'a> {
    gram: &'a Gram,
    dim: usize,
    /// Rows of the Cholesky factor, row-major dim × dim.
    l: Vec<f64>,
    z: Vec<f64>,
    zz: Vec<f64>,
    idx: Vec<usize>,
    row: Vec<f64>,
}

impl Walker<'_> {
    /// Extends the factor of `idx[..depth]` by column `j`: returns (row, pivot, z_j) in `self.row`.
    #[inline(always)]
    fn extend(&mut self, depth: usize, j: usize) -> Option<f64> {
        let m = self.gram.m;
        let g = &self.gram.g;
        let mut norm2 = 0.0;
        let mut lz = 0.0;
        for k in 0..depth {
            let mut s = g[self.idx[k] * m + j];
            let lk = &self.l[k * self.dim..k * self.dim + k];
            for (p, lkp) in lk.iter().enumerate() {
                s -= lkp * self.row[p];
            }
            let v = s / self.l[k * self.dim + k];
            self.row[k] = v;
            norm2 += v * v;
            lz += v * self.z[k];
        }
        let piv2 = g[j * m + j] - norm2;
        if piv2 <= PIVOT_TOL {
            return None;
        }
        let piv = piv2.sqrt();
        self.row[depth] = piv;
        Some((self.gram.b[j] - lz) / piv)
    }

    fn walk(&mut self, depth: usize, start: usize, top: &mut Top) {
        let m = self.gram.m;
        let last = depth + 1 == self.dim;
        for j in start..=(m - (self.dim - depth)) {
            let Some(zj) = self.extend(depth, j) else {
                continue;
            };
            let zz = if depth == 0 { 0.0 } else { self.zz[depth - 1] } + zj * zj;
            self.idx[depth] = j;
            if last {
                let sse = (self.gram.yy - zz).max(0.0);
                top.offer(sse, &self.idx);
            } else {
                let d = self.dim;
                self.l[depth * d..depth * d + depth + 1].copy_from_slice(&self.row[..depth + 1]);
                self.z[depth] = zj;
                self.zz[depth] = zz;
                self.walk(depth + 1, j + 1, top);
            }
        }
    }
}

/// Ranks every `dim`-subset of `columns` by the least-squares SSE of `y` on it (with an
/// intercept when `intercept`); returns the best `keep`, best first. Nearly collinear subsets
/// (a squared pivot below 1e-10 on the correlation scale) are skipped. Parallel over the first
/// index with rayon.
pub fn search(
    columns: &[&[f64]],
    y: &[f64],
    dim: usize,
    keep: usize,
    intercept: bool,
) -> Vec<Ranked> {
    let m = columns.len();
    if dim == 0 || dim > m || keep == 0 {
        return Vec::new();
    }
    let gram = gram(columns, y, intercept);
    let top = (0..m - dim + 1)
        .into_par_iter()
        .with_max_len(1)
        .fold(
            || Top::new(keep),
            |mut top, first| {
                let mut w = Walker {
                    gram: &gram,
                    dim,
                    l: vec![0.0; dim * dim],
                    z: vec![0.0; dim],
                    zz: vec![0.0; dim],
                    idx: vec![0; dim],
                    row: vec![0.0; dim],
                };
                if let Some(z0) = w.extend(0, first) {
                    w.idx[0] = first;
                    if dim == 1 {
                        top.offer((gram.yy - z0 * z0).max(0.0), &w.idx);
                    } else {
                        w.l[0] = w.row[0];
                        w.z[0] = z0;
                        w.zz[0] = z0 * z0;
                        w.walk(1, first + 1, &mut top);
                    }
                }
                top
            },
        )
        .reduce(|| Top::new(keep), Top::merge);
    let mut items = top.items;
    items.sort_by(|a, b| {
        a.sse
            .total_cmp(&b.sse)
            .then_with(|| a.indices.cmp(&b.indices))
    });
    items.truncate(keep);
    items
}

/// Least-squares fit by modified Gram–Schmidt QR: returns (coefficients, intercept, residuals),
/// or `None` when the columns are linearly dependent.
pub fn least_squares(
    columns: &[&[f64]],
    y: &[f64],
    intercept: bool,
) -> Option<(Vec<f64>, f64, Vec<f64>)> {
    let n = y.len();
    let d = columns.len();
    let mean = |v: &[f64]| {
        if intercept {
            v.iter().sum::<f64>() / n as f64
        } else {
            0.0
        }
    };
    let xm: Vec<f64> = columns.iter().map(|c| mean(c)).collect();
    let ym = mean(y);
    let mut q: Vec<Vec<f64>> = columns
        .iter()
        .zip(&xm)
        .map(|(c, m)| c.iter().map(|x| x - m).collect())
        .collect();
    let mut r = vec![0.0; d * d];
    for k in 0..d {
        let (done, rest) = q.split_at_mut(k);
        let qk = &mut rest[0];
        for (p, qp) in done.iter().enumerate() {
            let dot: f64 = qp.iter().zip(qk.iter()).map(|(a, b)| a * b).sum();
            r[p * d + k] = dot;
            qk.iter_mut().zip(qp).for_each(|(a, b)| *a -= dot * b);
        }
        let norm = qk.iter().map(|x| x * x).sum::<f64>().sqrt();
        let orig = columns[k]
            .iter()
            .zip(std::iter::repeat(xm[k]))
            .map(|(x, m)| (x - m) * (x - m))
            .sum::<f64>()
            .sqrt();
        if norm.is_nan() || norm <= 1e-12 * orig.max(1e-300) {
            return None;
        }
        r[k * d + k] = norm;
        qk.iter_mut().for_each(|a| *a /= norm);
    }
    let yc: Vec<f64> = y.iter().map(|v| v - ym).collect();
    let qty: Vec<f64> = q
        .iter()
        .map(|qk| qk.iter().zip(&yc).map(|(a, b)| a * b).sum())
        .collect();
    let mut beta = vec![0.0; d];
    for k in (0..d).rev() {
        let mut s = qty[k];
        for p in k + 1..d {
            s -= r[k * d + p] * beta[p];
        }
        beta[k] = s / r[k * d + k];
    }
    let c0 = ym - beta.iter().zip(&xm).map(|(b, m)| b * m).sum::<f64>();
    let resid: Vec<f64> = (0..n)
        .map(|t| y[t] - c0 - beta.iter().zip(columns).map(|(b, c)| b * c[t]).sum::<f64>())
        .collect();
    Some((beta, c0, resid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(columns: &[&[f64]], y: &[f64], dim: usize) -> f64 {
        let m = columns.len();
        let mut best = f64::INFINITY;
        let mut idx: Vec<usize> = (0..dim).collect();
        loop {
            let cols: Vec<&[f64]> = idx.iter().map(|&i| columns[i]).collect();
            if let Some((_, _, r)) = least_squares(&cols, y, true) {
                best = best.min(r.iter().map(|x| x * x).sum());
            }
            let mut k = dim;
            while k > 0 && idx[k - 1] == m - dim + k - 1 {
                k -= 1;
            }
            if k == 0 {
                return best;
            }
            idx[k - 1] += 1;
            for p in k..dim {
                idx[p] = idx[p - 1] + 1;
            }
        }
    }

    #[test]
    fn matches_brute_force() {
        let n = 40;
        let mut s = 12345u64;
        let mut rnd = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let cols: Vec<Vec<f64>> = (0..7).map(|_| (0..n).map(|_| rnd()).collect()).collect();
        let y: Vec<f64> = (0..n)
            .map(|t| 2.0 * cols[1][t] - cols[4][t] + 0.3 * rnd())
            .collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        for dim in 1..=4 {
            let got = search(&refs, &y, dim, 3, true);
            assert_eq!(got.len(), 3);
            assert!(
                (got[0].sse - brute(&refs, &y, dim)).abs() < 1e-9,
                "dim {dim}"
            );
            assert!(got[0].sse <= got[1].sse && got[1].sse <= got[2].sse);
        }
        let best2 = search(&refs, &y, 2, 1, true);
        assert_eq!(best2[0].indices, vec![1, 4]);
    }

    #[test]
    fn collinear_is_skipped() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [2.0, 4.0, 6.0, 8.0];
        let c = [1.0, 0.0, 1.0, 0.0];
        let y = [1.0, 1.0, 2.0, 3.0];
        let got = search(&[&a, &b, &c], &y, 2, 5, true);
        assert!(got.iter().all(|r| r.indices != vec![0, 1]));
        assert!(least_squares(&[&a, &b], &y, true).is_none());
    }
}
