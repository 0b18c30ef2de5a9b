//! Electrostatics: exact Ewald summation and the damped shifted force (DSF) method.
//!
//! Energies use `K = 14.399645 eV·Å/e²` (LAMMPS `metal` units, [`COULOMB_EV_ANGSTROM`]).
//!
//! **Ewald.** `E = E_real + E_recip + E_self + E_background` with
//! `E_real = Σ_pairs K qᵢqⱼ erfc(αr)/r` (every periodic image within `rc`),
//! `E_recip = (4πK/V) Σ_{k ∈ half space} e^{−k²/4α²}/k² |S(k)|²`, `S(k) = Σ qⱼ e^{ik·rⱼ}`,
//! `E_self = −(α/√π) K Σ qᵢ²`, and for a net charge `Q` the neutralising background
//! `−πK Q²/(2Vα²)`. Stress of the reciprocal part:
//! `σ = (1/V) Σ_k E_k [2 k⊗k (1/k² + 1/4α²) − 1]`. The split is chosen from a relative
//! accuracy `ε`: with `s = √(−ln ε)`, `rc = s/α` and `k_c = 2αs`, so both damping factors
//! `e^{−α²rc²}` and `e^{−k_c²/4α²}` equal `ε`; `α` balances the cost of the two sums,
//! `α = √π (w N / V²)^{1/6}` (`w` = measured cost of a real-space pair relative to one atom
//! at one k-vector), unless the user fixes `α` or `rc`. The split is fixed at the first
//! calculation (so the energy surface stays smooth when the cell changes); the k-vectors are
//! re-enumerated whenever the cell changes.
//!
//! **DSF** (Fennell & Gezelter 2006, LAMMPS `coul/dsf α rc`):
//! `E_pair = K qᵢqⱼ [erfc(αr)/r − erfc(αrc)/rc + f_s (r − rc)]` with
//! `f_s = erfc(αrc)/rc² + (2α/√π) e^{−α²rc²}/rc`, and LAMMPS's self energy
//! `−(e_shift/2 + α/√π) K qᵢ²`, `e_shift = 2 erfc(αrc)/rc + (2α/√π) e^{−α²rc²}`.

use crate::error::{MdError, Result};
use amorph_core::Lattice;
use amorph_core::units::COULOMB_EV_ANGSTROM;
use nalgebra::Vector3;
use rayon::prelude::*;
use std::f64::consts::PI;

use super::erfc::{erfc, erfc_exp};

/// 2/√π.
pub(crate) const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// Cost of one real-space pair relative to one atom at one k-vector (measured on this
/// machine's release build; see BENCHMARKS.md `## amorph-md forces`).
pub const EWALD_COST_WEIGHT: f64 = 4.0;

/// Split the reciprocal sum over threads from this many atom × k-vector terms (about 0.7 ms
/// of work; at 108 atoms × 871 k-vectors, 0.3 ms, two threads were slower than one).
const PARALLEL_MIN_KSPACE: usize = 200_000;
/// Chunks of k-vectors per thread (fixed chunks, summed in a fixed order: the result does not
/// depend on which thread ran which).
const KSPACE_CHUNKS_PER_THREAD: usize = 4;

/// How (or whether) point charges interact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Coulomb {
    /// No electrostatics.
    None,
    /// Damped shifted force with damping `alpha` (1/Å) and cutoff `cutoff` (Å).
    Dsf {
        /// Damping parameter α (1/Å).
        alpha: f64,
        /// Cutoff rc (Å).
        cutoff: f64,
    },
    /// Exact Ewald summation.
    Ewald(EwaldOptions),
}

/// Settings of an Ewald sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EwaldOptions {
    /// Relative accuracy ε: both the real-space and reciprocal damping factors at their
    /// cutoffs equal ε (default 1e-10).
    pub accuracy: f64,
    /// Fix the real-space cutoff (Å); `alpha` then follows from the accuracy.
    pub real_cutoff: Option<f64>,
    /// Fix the splitting parameter α (1/Å).
    pub alpha: Option<f64>,
}

impl Default for EwaldOptions {
    fn default() -> Self {
        EwaldOptions {
            accuracy: 1e-10,
            real_cutoff: None,
            alpha: None,
        }
    }
}

impl Coulomb {
    /// DSF with the given α and cutoff, validated.
    pub fn dsf(alpha: f64, cutoff: f64) -> Result<Self> {
        let c = Coulomb::Dsf { alpha, cutoff };
        c.validate()?;
        Ok(c)
    }

    /// Ewald with a relative accuracy and an automatic split, validated.
    pub fn ewald(accuracy: f64) -> Result<Self> {
        let c = Coulomb::Ewald(EwaldOptions {
            accuracy,
            ..EwaldOptions::default()
        });
        c.validate()?;
        Ok(c)
    }

    /// Checks the parameters (positive, finite; accuracy in (0, 1)).
    pub fn validate(&self) -> Result<()> {
        match *self {
            Coulomb::None => Ok(()),
            Coulomb::Dsf { alpha, cutoff } => {
                if !(alpha.is_finite() && alpha >= 0.0) {
                    return Err(MdError::invalid(
                        "DSF alpha",
                        alpha,
                        "must be finite and ≥ 0",
                    ));
                }
                if !(cutoff.is_finite() && cutoff > 0.0) {
                    return Err(MdError::invalid(
                        "DSF cutoff",
                        cutoff,
                        "must be finite and > 0",
                    ));
                }
                Ok(())
            }
            Coulomb::Ewald(o) => {
                if !(o.accuracy > 0.0 && o.accuracy < 1.0) {
                    return Err(MdError::invalid(
                        "Ewald accuracy",
                        o.accuracy,
                        "must lie in (0, 1)",
                    ));
                }
                if let Some(rc) = o.real_cutoff {
                    if !(rc.is_finite() && rc > 0.0) {
                        return Err(MdError::invalid(
                            "Ewald real-space cutoff",
                            rc,
                            "must be finite and > 0",
                        ));
                    }
                }
                if let Some(a) = o.alpha {
                    if !(a.is_finite() && a > 0.0) {
                        return Err(MdError::invalid("Ewald alpha", a, "must be finite and > 0"));
                    }
                }
                Ok(())
            }
        }
    }
}

/// Precomputed DSF constants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DsfConsts {
    pub alpha: f64,
    pub cutoff: f64,
    /// `f_s`.
    pub f_shift: f64,
    /// `erfc(αrc)/rc`.
    pub e_cut: f64,
    /// Self-energy factor: `E_self,i = −self_factor · K qᵢ²`.
    pub self_factor: f64,
}

impl DsfConsts {
    pub fn new(alpha: f64, cutoff: f64) -> Self {
        let ec = erfc(alpha * cutoff);
        let ex = (-alpha * alpha * cutoff * cutoff).exp();
        let f_shift = ec / (cutoff * cutoff) + TWO_OVER_SQRT_PI * alpha * ex / cutoff;
        let e_shift = 2.0 * ec / cutoff + TWO_OVER_SQRT_PI * alpha * ex;
        DsfConsts {
            alpha,
            cutoff,
            f_shift,
            e_cut: ec / cutoff,
            self_factor: 0.5 * e_shift + alpha / PI.sqrt(),
        }
    }
}

/// The Ewald split actually used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EwaldSplit {
    /// Splitting parameter α (1/Å).
    pub alpha: f64,
    /// Real-space cutoff (Å).
    pub real_cutoff: f64,
    /// Reciprocal-space cutoff |k| (1/Å).
    pub k_cutoff: f64,
}

impl EwaldSplit {
    /// Chooses α, rc and k_c for `n` atoms in volume `v` (see the module docs).
    pub fn choose(o: &EwaldOptions, n: usize, v: f64) -> EwaldSplit {
        let s = (-o.accuracy.ln()).sqrt();
        let (alpha, rc) = match (o.alpha, o.real_cutoff) {
            (Some(a), Some(rc)) => (a, rc),
            (Some(a), None) => (a, s / a),
            (None, Some(rc)) => (s / rc, rc),
            (None, None) => {
                let a = PI.sqrt() * (EWALD_COST_WEIGHT * n.max(1) as f64 / (v * v)).powf(1.0 / 6.0);
                (a, s / a)
            }
        };
        EwaldSplit {
            alpha,
            real_cutoff: rc,
            k_cutoff: 2.0 * alpha * s,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct KVec {
    m: [i32; 3],
    k: Vector3<f64>,
    /// `(4πK/V) e^{−k²/4α²}/k²`.
    coef: f64,
    /// `2(1/k² + 1/4α²)`.
    sfac: f64,
}

/// Reciprocal-space state: the k-vectors of the current cell and reusable buffers.
#[derive(Debug, Clone)]
pub(crate) struct Reciprocal {
    pub split: EwaldSplit,
    lattice: Option<Lattice>,
    kvecs: Vec<KVec>,
    mmax: [usize; 3],
    /// `e^{2πi m f}` per axis: `eik[a][m * n + i]` as (cos, sin).
    eik: [Vec<(f64, f64)>; 3],
    /// Work space of the serial sum, and of each chunk of a parallel one.
    serial: KBuffers,
    chunks: Vec<KBuffers>,
}

/// Per-chunk work space of the reciprocal sum.
#[derive(Debug, Clone, Default)]
struct KBuffers {
    /// `e^{ik·rᵢ}` of the current k-vector.
    phase: Vec<(f64, f64)>,
    forces: Vec<Vector3<f64>>,
    energies: Vec<f64>,
}

impl Reciprocal {
    pub fn new(split: EwaldSplit) -> Self {
        Reciprocal {
            split,
            lattice: None,
            kvecs: Vec::new(),
            mmax: [0; 3],
            eik: [Vec::new(), Vec::new(), Vec::new()],
            serial: KBuffers::default(),
            chunks: Vec::new(),
        }
    }

    /// Number of half-space k-vectors of the current cell.
    pub fn n_kvectors(&self) -> usize {
        self.kvecs.len()
    }

    fn setup(&mut self, lattice: &Lattice) {
        if self.lattice.as_ref() == Some(lattice) {
            return;
        }
        let kc = self.split.k_cutoff;
        let alpha = self.split.alpha;
        let v = lattice.volume();
        let inv = lattice.inverse();
        let lengths = lattice.lengths();
        // |m_a| = |k·a_a|/2π ≤ k_c |a_a| / 2π.
        self.mmax = lengths.map(|l| (kc * l / (2.0 * PI)).floor() as usize);
        let [m1, m2, m3] = self.mmax.map(|m| m as i32);
        self.kvecs.clear();
        let kc2 = kc * kc;
        for a in 0..=m1 {
            for b in -m2..=m2 {
                for c in -m3..=m3 {
                    if a == 0 && (b < 0 || (b == 0 && c <= 0)) {
                        continue;
                    }
                    let m = Vector3::new(f64::from(a), f64::from(b), f64::from(c));
                    let k = 2.0 * PI * (inv * m);
                    let k2 = k.norm_squared();
                    if k2 > kc2 {
                        continue;
                    }
                    let g = (-k2 / (4.0 * alpha * alpha)).exp() / k2;
                    self.kvecs.push(KVec {
                        m: [a, b, c],
                        k,
                        coef: 4.0 * PI * COULOMB_EV_ANGSTROM / v * g,
                        sfac: 2.0 * (1.0 / k2 + 1.0 / (4.0 * alpha * alpha)),
                    });
                }
            }
        }
        self.lattice = Some(lattice.clone());
    }

    /// Adds the reciprocal-space forces (and per-atom energies) and returns the energy and
    /// the stress·V (Voigt, eV); the k-vectors are split over `threads` rayon threads when
    /// the sum is large enough.
    pub fn compute(
        &mut self,
        lattice: &Lattice,
        positions: &[Vector3<f64>],
        q: &[f64],
        forces: &mut [Vector3<f64>],
        energies: Option<&mut [f64]>,
        threads: usize,
    ) -> (f64, [f64; 6]) {
        self.setup(lattice);
        let n = positions.len();
        let to_frac = lattice.cart_to_frac_matrix();
        for a in 0..3 {
            let mm = self.mmax[a] + 1;
            let buf = &mut self.eik[a];
            buf.clear();
            buf.resize(mm * n, (1.0, 0.0));
            if mm > 1 {
                for (i, p) in positions.iter().enumerate() {
                    let f = (to_frac.row(a) * p)[0];
                    let (s, c) = (2.0 * PI * f).sin_cos();
                    buf[n + i] = (c, s);
                }
            }
            for m in 2..mm {
                for i in 0..n {
                    let (c1, s1) = buf[n + i];
                    let (cp, sp) = buf[(m - 1) * n + i];
                    buf[m * n + i] = (cp * c1 - sp * s1, cp * s1 + sp * c1);
                }
            }
        }
        let nk = self.kvecs.len();
        if threads < 2 || n * nk < PARALLEL_MIN_KSPACE {
            let b = &mut self.serial;
            b.phase.resize(n, (0.0, 0.0));
            return kspace_sum(&self.kvecs, &self.eik, q, &mut b.phase, forces, energies);
        }
        let size = nk.div_ceil(threads * KSPACE_CHUNKS_PER_THREAD).max(1);
        let Reciprocal {
            kvecs, eik, chunks, ..
        } = self;
        chunks.resize_with(nk.div_ceil(size), KBuffers::default);
        let want_e = energies.is_some();
        let parts: Vec<(f64, [f64; 6])> = kvecs
            .par_chunks(size)
            .zip(chunks.par_iter_mut())
            .map(|(kv, b)| {
                b.phase.resize(n, (0.0, 0.0));
                b.forces.clear();
                b.forces.resize(n, Vector3::zeros());
                b.energies.clear();
                b.energies.resize(if want_e { n } else { 0 }, 0.0);
                let en = want_e.then_some(b.energies.as_mut_slice());
                kspace_sum(kv, eik, q, &mut b.phase, &mut b.forces, en)
            })
            .collect();
        let chunks = &*chunks;
        forces.par_iter_mut().enumerate().for_each(|(i, f)| {
            for b in chunks {
                *f += b.forces[i];
            }
        });
        if let Some(en) = energies {
            for b in chunks {
                for (x, y) in en.iter_mut().zip(&b.energies) {
                    *x += y;
                }
            }
        }
        let mut energy = 0.0;
        let mut w = [0.0; 6];
        for (e, wv) in parts {
            energy += e;
            for (a, b) in w.iter_mut().zip(wv) {
                *a += b;
            }
        }
        (energy, w)
    }
}

/// The reciprocal sum over `kvecs`: adds the forces (and per-atom energies) and returns the
/// energy and stress·V; `phase` is work space of one entry per atom.
fn kspace_sum(
    kvecs: &[KVec],
    eik: &[Vec<(f64, f64)>; 3],
    q: &[f64],
    phase: &mut [(f64, f64)],
    forces: &mut [Vector3<f64>],
    mut energies: Option<&mut [f64]>,
) -> (f64, [f64; 6]) {
    let n = phase.len();
    let mut energy = 0.0;
    let mut w = [0.0; 6];
    for kv in kvecs {
        let [a, b, c] = kv.m;
        let e1 = &eik[0][a as usize * n..(a as usize + 1) * n];
        let e2 = &eik[1][b.unsigned_abs() as usize * n..(b.unsigned_abs() as usize + 1) * n];
        let e3 = &eik[2][c.unsigned_abs() as usize * n..(c.unsigned_abs() as usize + 1) * n];
        let (sb, sc) = (
            if b < 0 { -1.0 } else { 1.0 },
            if c < 0 { -1.0 } else { 1.0 },
        );
        let (mut sum_c, mut sum_s) = (0.0, 0.0);
        for i in 0..n {
            let (c1, s1) = e1[i];
            let (c2, s2) = (e2[i].0, sb * e2[i].1);
            let (c3, s3) = (e3[i].0, sc * e3[i].1);
            let (c12, s12) = (c1 * c2 - s1 * s2, c1 * s2 + s1 * c2);
            let z = (c12 * c3 - s12 * s3, c12 * s3 + s12 * c3);
            phase[i] = z;
            sum_c += q[i] * z.0;
            sum_s += q[i] * z.1;
        }
        let ek = kv.coef * (sum_c * sum_c + sum_s * sum_s);
        energy += ek;
        let k = kv.k;
        let kk = [
            k.x * k.x,
            k.y * k.y,
            k.z * k.z,
            k.y * k.z,
            k.x * k.z,
            k.x * k.y,
        ];
        for (idx, wv) in w.iter_mut().enumerate() {
            let delta = if idx < 3 { 1.0 } else { 0.0 };
            *wv += ek * (kv.sfac * kk[idx] - delta);
        }
        let f2 = 2.0 * kv.coef;
        for i in 0..n {
            let z = phase[i];
            let s = f2 * q[i] * (sum_c * z.1 - sum_s * z.0);
            forces[i] += s * k;
        }
        if let Some(en) = energies.as_deref_mut() {
            for i in 0..n {
                let z = phase[i];
                en[i] += kv.coef * q[i] * (sum_c * z.0 + sum_s * z.1);
            }
        }
    }
    (energy, w)
}

/// `(erfc(αr), e^{−α²r²})` with the accurate fitted erfc.
#[inline]
pub(crate) fn damp(alpha_r: f64) -> (f64, f64) {
    erfc_exp(alpha_r)
}
