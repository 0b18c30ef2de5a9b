//! Mean-square displacements over all time origins: FFT (O(N log N)) and windowed (direct).
//!
//! For a path `x_t`, `t = 0 … N−1`, the all-origins MSD at lag `m` is
//! `MSD(m) = 1/(N−m) Σ_{t=0}^{N−1−m} (x_{t+m} − x_t)²`. The FFT form splits it into
//! `S1(m) = Σ (x_t² + x_{t+m}²)` (prefix sums) and the autocorrelation
//! `S2(m) = Σ x_t x_{t+m}` (Wiener–Khinchin on a zero-padded FFT), `MSD = (S1 − 2 S2)/(N − m)`.
//! Two real series share one complex FFT (real and imaginary parts). For the mean over atoms
//! the prefix sums and power spectra are summed first (both enter the MSD linearly), so each
//! pair of same-axis series costs one forward transform and the whole mean two inverse ones.

use crate::displacement::Displacements;
use rayon::prelude::*;
use rustfft::num_complex::Complex64;
use rustfft::{Fft, FftPlanner};
use std::sync::Arc;

/// MSD curves of one species (and the charge MSD) at a set of lags.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MsdCurves {
    /// Lags in frames.
    pub lags: Vec<usize>,
    /// MSD (Å²), mean over the selected atoms.
    pub msd: Vec<f64>,
    /// Per-Cartesian-axis MSD (Å²).
    pub components: Vec<[f64; 3]>,
    /// Mean-square charge displacement `⟨|Σ_i Δr_i|²⟩ / N` (Å²).
    pub mscd: Vec<f64>,
}

/// Smallest length ≥ `n` whose only prime factors are 2, 3, 5 and 7 (fast for rustfft).
fn fast_len(n: usize) -> usize {
    let mut m = n.max(1);
    loop {
        let mut k = m;
        for p in [2, 3, 5, 7] {
            while k % p == 0 {
                k /= p;
            }
        }
        if k == 1 {
            return m;
        }
        m += 1;
    }
}

/// Autocorrelations `S2(m)` of real series, two at a time through one complex FFT.
struct Autocorr {
    n: usize,
    len: usize,
    fwd: Arc<dyn Fft<f64>>,
    inv: Arc<dyn Fft<f64>>,
}

struct Work {
    buf: Vec<Complex64>,
    spec: Vec<Complex64>,
    scratch: Vec<Complex64>,
}

impl Autocorr {
    fn new(n: usize) -> Self {
        let len = fast_len(2 * n);
        let mut planner = FftPlanner::new();
        Autocorr {
            n,
            len,
            fwd: planner.plan_fft_forward(len),
            inv: planner.plan_fft_inverse(len),
        }
    }

    fn work(&self) -> Work {
        let s = self
            .fwd
            .get_inplace_scratch_len()
            .max(self.inv.get_inplace_scratch_len());
        Work {
            buf: vec![Complex64::default(); self.len],
            spec: vec![Complex64::default(); self.len],
            scratch: vec![Complex64::default(); s],
        }
    }

    /// MSD at every lag 0…n−1 of the real series `u` and `v` (`v` may be all zero), added
    /// (times `scale`) into `out_u` and `out_v`.
    fn msd_pair(
        &self,
        u: &mut dyn Iterator<Item = f64>,
        v: &mut dyn Iterator<Item = f64>,
        w: &mut Work,
        out_u: &mut [f64],
        out_v: &mut [f64],
    ) {
        let (n, len) = (self.n, self.len);
        for k in 0..n {
            w.buf[k] = Complex64::new(u.next().unwrap_or(0.0), v.next().unwrap_or(0.0));
        }
        // Remove the means: the MSD does not change and the FFT sums get smaller.
        let mean = w.buf[..n].iter().sum::<Complex64>() / n as f64;
        for z in &mut w.buf[..n] {
            *z -= mean;
        }
        // Prefix sums of squares for S1, before the FFT overwrites the buffer.
        let mut pre_u = Vec::with_capacity(n + 1);
        let mut pre_v = Vec::with_capacity(n + 1);
        let (mut su, mut sv) = (0.0, 0.0);
        pre_u.push(0.0);
        pre_v.push(0.0);
        for z in &w.buf[..n] {
            su += z.re * z.re;
            sv += z.im * z.im;
            pre_u.push(su);
            pre_v.push(sv);
        }
        for z in &mut w.buf[n..] {
            *z = Complex64::default();
        }
        self.fwd.process_with_scratch(&mut w.buf, &mut w.scratch);
        // Split Z = U + iV into |U|² + i|V|² (both real and even, so the inverse is real).
        for k in 0..len {
            let a = w.buf[k];
            let b = w.buf[(len - k) % len].conj();
            let pu = (a + b).norm_sqr() * 0.25;
            let pv = (a - b).norm_sqr() * 0.25;
            w.spec[k] = Complex64::new(pu, pv);
        }
        self.inv.process_with_scratch(&mut w.spec, &mut w.scratch);
        let norm = 1.0 / len as f64;
        for m in 1..n {
            let cnt = (n - m) as f64;
            let s1u = pre_u[n - m] + (su - pre_u[m]);
            let s1v = pre_v[n - m] + (sv - pre_v[m]);
            out_u[m] += ((s1u - 2.0 * w.spec[m].re * norm) / cnt).max(0.0);
            out_v[m] += ((s1v - 2.0 * w.spec[m].im * norm) / cnt).max(0.0);
        }
    }
}

/// Per-axis MSD at every lag `0 … N−1` of one 3-D path, by FFT.
pub fn msd_fft(path: &[[f64; 3]]) -> Vec<[f64; 3]> {
    let n = path.len();
    let mut out = vec![[0.0; 3]; n];
    if n < 2 {
        return out;
    }
    let ac = Autocorr::new(n);
    let mut w = ac.work();
    let (mut a, mut b, mut c, mut z) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    ac.msd_pair(
        &mut path.iter().map(|p| p[0]),
        &mut path.iter().map(|p| p[1]),
        &mut w,
        &mut a,
        &mut b,
    );
    ac.msd_pair(
        &mut path.iter().map(|p| p[2]),
        &mut std::iter::empty(),
        &mut w,
        &mut c,
        &mut z,
    );
    for m in 0..n {
        out[m] = [a[m], b[m], c[m]];
    }
    out
}

/// Per-axis MSD of one 3-D path at the given lags, by direct averaging over all origins.
/// Lags ≥ the path length give zero.
pub fn msd_windowed(path: &[[f64; 3]], lags: &[usize]) -> Vec<[f64; 3]> {
    let n = path.len();
    lags.iter()
        .map(|&m| {
            if m == 0 || m >= n {
                return [0.0; 3];
            }
            let mut s = [0.0; 3];
            for t in 0..n - m {
                for k in 0..3 {
                    let d = path[t + m][k] - path[t][k];
                    s[k] += d * d;
                }
            }
            let c = (n - m) as f64;
            [s[0] / c, s[1] / c, s[2] / c]
        })
        .collect()
}

/// Atoms per parallel block: fixed, so that sums do not depend on the thread count.
const BLOCK: usize = 32;

/// Per-axis sums over a block of atoms: prefix sums of squares (`n + 1` each) and power
/// spectra (`len` each) of the mean-removed, zero-padded series.
struct AxisSums {
    pre: [Vec<f64>; 3],
    power: [Vec<f64>; 3],
}

impl Autocorr {
    /// Adds the prefix sums of squares and power spectra of the real series `u` and `v`
    /// (`v` may be empty) into `pre` and `power` (one forward complex FFT for both).
    fn add_pair(
        &self,
        u: &[[f64; 3]],
        v: Option<&[[f64; 3]]>,
        axis: usize,
        w: &mut Work,
        pre: &mut [f64],
        power: &mut [f64],
    ) {
        let (n, len) = (self.n, self.len);
        let has_v = v.is_some();
        match v {
            Some(v) => {
                for ((z, a), b) in w.buf[..n].iter_mut().zip(&u[..n]).zip(&v[..n]) {
                    *z = Complex64::new(a[axis], b[axis]);
                }
            }
            None => {
                for (z, a) in w.buf[..n].iter_mut().zip(&u[..n]) {
                    *z = Complex64::new(a[axis], 0.0);
                }
            }
        }
        let mean = w.buf[..n].iter().sum::<Complex64>() / n as f64;
        let (mut su, mut sv) = (0.0, 0.0);
        for (z, p) in w.buf[..n].iter_mut().zip(&mut pre[1..]) {
            *z -= mean;
            su += z.re * z.re;
            sv += z.im * z.im;
            *p += su + sv;
        }
        for z in &mut w.buf[n..] {
            *z = Complex64::default();
        }
        self.fwd.process_with_scratch(&mut w.buf, &mut w.scratch);
        if has_v {
            // Z = U + iV: |U|² + |V|² = (|Z_k|² + |Z_{len−k}|²) / 2.
            for (k, p) in power.iter_mut().enumerate().take(len) {
                let a = w.buf[k].norm_sqr();
                let b = w.buf[(len - k) % len].norm_sqr();
                *p += (a + b) * 0.5;
            }
        } else {
            for (p, z) in power.iter_mut().zip(&w.buf) {
                *p += z.norm_sqr();
            }
        }
    }
}

/// Mean per-axis MSD over `atoms` at every lag 0…N−1 (FFT, parallel over atoms, deterministic).
///
/// The MSD is linear in the prefix sums of squares and in the power spectra, so both are summed
/// over the atoms (same-axis series two at a time through one forward FFT) and a single inverse
/// FFT per pair of axes gives the summed autocorrelations.
pub fn mean_msd_fft(disp: &Displacements, atoms: &[usize]) -> Vec<[f64; 3]> {
    let n = disp.n_frames();
    let mut out = vec![[0.0; 3]; n];
    if n < 2 || atoms.is_empty() {
        return out;
    }
    let ac = Autocorr::new(n);
    let len = ac.len;
    let blocks: Vec<AxisSums> = atoms
        .par_chunks(BLOCK)
        .map(|chunk| {
            let mut w = ac.work();
            let mut sums = AxisSums {
                pre: std::array::from_fn(|_| vec![0.0; n + 1]),
                power: std::array::from_fn(|_| vec![0.0; len]),
            };
            for pair in chunk.chunks(2) {
                let pu = disp.atom(pair[0]);
                let pv = pair.get(1).map(|&i| disp.atom(i));
                for k in 0..3 {
                    ac.add_pair(pu, pv, k, &mut w, &mut sums.pre[k], &mut sums.power[k]);
                }
            }
            sums
        })
        .collect();
    let mut total = AxisSums {
        pre: std::array::from_fn(|_| vec![0.0; n + 1]),
        power: std::array::from_fn(|_| vec![0.0; len]),
    };
    for b in &blocks {
        for k in 0..3 {
            for (t, x) in total.pre[k].iter_mut().zip(&b.pre[k]) {
                *t += x;
            }
            for (t, x) in total.power[k].iter_mut().zip(&b.power[k]) {
                *t += x;
            }
        }
    }
    drop(blocks);
    // Inverse FFTs of the real, even power spectra: x and y in one transform, z alone.
    let mut w = ac.work();
    let mut acf = [vec![0.0; n], vec![0.0; n], vec![0.0; n]];
    for (k0, k1) in [(0, Some(1)), (2, None)] {
        for (j, z) in w.buf.iter_mut().enumerate() {
            *z = Complex64::new(total.power[k0][j], k1.map_or(0.0, |k| total.power[k][j]));
        }
        ac.inv.process_with_scratch(&mut w.buf, &mut w.scratch);
        for (m, z) in w.buf[..n].iter().enumerate() {
            acf[k0][m] = z.re;
            if let Some(k) = k1 {
                acf[k][m] = z.im;
            }
        }
    }
    let norm = 1.0 / len as f64;
    let inv = 1.0 / atoms.len() as f64;
    for m in 1..n {
        let cnt = (n - m) as f64;
        for k in 0..3 {
            let pre = &total.pre[k];
            let s1 = pre[n - m] + (pre[n] - pre[m]);
            out[m][k] = ((s1 - 2.0 * acf[k][m] * norm) / cnt).max(0.0) * inv;
        }
    }
    out
}

/// The summed path `Σ_i r_i(t)` of `atoms` (for the charge MSD). Parallel over blocks of
/// frames; every frame sums the atoms in order.
pub fn summed_path(disp: &Displacements, atoms: &[usize]) -> Vec<[f64; 3]> {
    let mut s = vec![[0.0; 3]; disp.n_frames()];
    s.par_chunks_mut(FRAME_BLOCK)
        .enumerate()
        .for_each(|(b, out)| {
            let f0 = b * FRAME_BLOCK;
            for &i in atoms {
                for (a, d) in out.iter_mut().zip(&disp.atom(i)[f0..]) {
                    for k in 0..3 {
                        a[k] += d[k];
                    }
                }
            }
        });
    s
}

/// Frames per parallel block of per-frame sums over atoms.
pub(crate) const FRAME_BLOCK: usize = 2048;

/// MSD, per-axis MSD and charge MSD of `atoms` at every lag `0 … N−1`, all time origins, by FFT.
pub fn msd_all_lags(disp: &Displacements, atoms: &[usize]) -> MsdCurves {
    let n = disp.n_frames();
    let comps = mean_msd_fft(disp, atoms);
    let chg = msd_fft(&summed_path(disp, atoms));
    let inv = 1.0 / atoms.len().max(1) as f64;
    MsdCurves {
        lags: (0..n).collect(),
        msd: comps.iter().map(|c| c[0] + c[1] + c[2]).collect(),
        components: comps,
        mscd: chg.iter().map(|c| (c[0] + c[1] + c[2]) * inv).collect(),
    }
}

/// The same curves as [`msd_all_lags`] at chosen lags, by direct (windowed) averaging:
/// O(N · lags) per atom, the reference the FFT form is tested against.
pub fn msd_windowed_lags(disp: &Displacements, atoms: &[usize], lags: &[usize]) -> MsdCurves {
    let mut comps = vec![[0.0; 3]; lags.len()];
    for &i in atoms {
        for (c, w) in comps.iter_mut().zip(msd_windowed(disp.atom(i), lags)) {
            for k in 0..3 {
                c[k] += w[k];
            }
        }
    }
    let inv = 1.0 / atoms.len().max(1) as f64;
    for c in &mut comps {
        for x in c.iter_mut() {
            *x *= inv;
        }
    }
    let chg = msd_windowed(&summed_path(disp, atoms), lags);
    MsdCurves {
        lags: lags.to_vec(),
        msd: comps.iter().map(|c| c[0] + c[1] + c[2]).collect(),
        components: comps,
        mscd: chg.iter().map(|c| (c[0] + c[1] + c[2]) * inv).collect(),
    }
}

/// Curves from a fixed set of time origins `0 … n_origins−1` (pymatgen's `smoothed="constant"`
/// with `n_origins = avg_nsteps`, and `smoothed=False` with one origin at frame 0).
pub fn msd_fixed_origins(
    disp: &Displacements,
    atoms: &[usize],
    lags: &[usize],
    n_origins: usize,
) -> MsdCurves {
    let inv_a = 1.0 / atoms.len().max(1) as f64;
    let inv_o = 1.0 / n_origins.max(1) as f64;
    let mut comps = Vec::with_capacity(lags.len());
    let mut mscd = Vec::with_capacity(lags.len());
    let mut sum = vec![[0.0; 3]; n_origins];
    for &m in lags {
        let mut c = [0.0; 3];
        sum.iter_mut().for_each(|s| *s = [0.0; 3]);
        for &i in atoms {
            let p = disp.atom(i);
            for t in 0..n_origins {
                for k in 0..3 {
                    let d = p[t + m][k] - p[t][k];
                    c[k] += d * d;
                    sum[t][k] += d;
                }
            }
        }
        comps.push([
            c[0] * inv_a * inv_o,
            c[1] * inv_a * inv_o,
            c[2] * inv_a * inv_o,
        ]);
        let q: f64 = sum
            .iter()
            .map(|s| s[0] * s[0] + s[1] * s[1] + s[2] * s[2])
            .sum();
        mscd.push(q * inv_o * inv_a);
    }
    MsdCurves {
        lags: lags.to_vec(),
        msd: comps.iter().map(|c| c[0] + c[1] + c[2]).collect(),
        components: comps,
        mscd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_len_is_smooth() {
        assert_eq!(fast_len(2000), 2000);
        assert_eq!(fast_len(22), 24);
        assert_eq!(fast_len(1), 1);
    }

    #[test]
    fn ballistic_path_msd_is_t_squared() {
        // x = y = z = t: MSD_k(m) = m² per axis (MDAnalysis' analytic check).
        let path: Vec<[f64; 3]> = (0..500).map(|t| [t as f64; 3]).collect();
        let fft = msd_fft(&path);
        for (m, c) in fft.iter().enumerate() {
            for x in c {
                assert!(
                    (x - (m * m) as f64).abs() < 1e-6 * (1.0 + (m * m) as f64),
                    "{m} {x}"
                );
            }
        }
    }
}
