//! The vectorised pair kernel: the pairs of one atom in structure-of-arrays batches, evaluated
//! by loops the compiler vectorises, with the instruction set chosen at run time.
//!
//! For each atom the kernel
//! 1. computes the separations of its whole Verlet row into arrays (positions and species
//!    read from one `[x, y, z, type]` array);
//! 2. evaluates the **real-space Coulomb** term (DSF or Ewald; accurate or LAMMPS's erfc)
//!    over the row, masked to zero beyond its cutoff, then compacts the entries inside their
//!    species pair's **short-range** cutoff (branch-free) and evaluates those terms; both in
//!    call-free, branch-free loops ([`super::vmath`]) that the compiler turns into AVX2 + FMA
//!    code;
//! 3. evaluates the rare terms that have no vector form (ZBL inside its switch-off distance,
//!    a second exponential, `C/rⁿ` with n other than 6, 8 and 12) pair by pair with
//!    [`PairTerm::eval`];
//! 4. sums energy, virial and the atom's force in SIMD lanes and scatters the neighbours'
//!    forces.
//!
//! The short-range terms are first folded into one form per species pair,
//! `x (A₁ + A₂ x) + C₆/r⁶ + C₈/r⁸ + C₁₂/r¹² − shift` with `x = e^{−b(r − r₀)}`, which holds
//! Morse (`A₁ = −2D, A₂ = D`), Buckingham and Born–Mayer–Huggins (`A₁` and `b = 1/ρ`),
//! Lennard-Jones and the inverse powers; see [`ShortRange::split`].
//!
//! [`pulp::Arch`] picks the instruction set when the force field is compiled: x86-64-v3
//! (AVX2 + FMA) where the CPU has it, else the portable path, the same source with plain
//! multiply–adds. Users need no `-C target-cpu` flag.

use super::pair::PairTerm;
use super::vmath::{ERFC_X_MAX, Fused, Madd, Plain, erfcx_as, erfcx_poly, exp};
use amorph_core::neighbor::VerletList;
use nalgebra::Vector3;
use pulp::{Arch, Simd, WithSimd};

/// Which pair kernel a [`super::ForceField`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PairKernel {
    /// The vectorised kernel on the best instruction set this CPU has (the default).
    #[default]
    Auto,
    /// The vectorised kernel's source without SIMD extensions: what a CPU without AVX2 + FMA
    /// runs (for tests and comparisons).
    Portable,
    /// The original pair-by-pair loop with libm's `exp`: the reference of the vectorised
    /// kernel's accuracy contract (energies equal to 1e-12 relative).
    Reference,
}

impl PairKernel {
    /// The instruction set this kernel choice runs on this CPU: `"avx2+fma"` (x86-64-v3),
    /// `"neon"` (aarch64), `"portable"` or `"reference"`.
    pub fn instruction_set(self) -> &'static str {
        match self {
            PairKernel::Reference => "reference",
            PairKernel::Portable => "portable",
            PairKernel::Auto => match Arch::new() {
                Arch::Scalar => "portable",
                _ if cfg!(target_arch = "aarch64") => "neon",
                _ => "avx2+fma",
            },
        }
    }

    /// The dispatch target of the vectorised kernel (`None` for the reference kernel).
    pub(crate) fn arch(self) -> Option<Arch> {
        match self {
            PairKernel::Auto => Some(Arch::new()),
            PairKernel::Portable => Some(Arch::Scalar),
            PairKernel::Reference => None,
        }
    }
}

/// The short-range terms of one species pair folded into the kernel's one form (see the
/// module doc), with the energy shift at the cutoff.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct ShortRange {
    b: f64,
    r0: f64,
    a1: f64,
    a2: f64,
    c6: f64,
    c8: f64,
    c12: f64,
    shift: f64,
}

impl ShortRange {
    /// Folds what fits the form; returns the terms that do not (ZBL, a second exponential,
    /// `C/rⁿ` with n ∉ {6, 8, 12}) for the pair-by-pair path.
    pub(crate) fn split(terms: &[PairTerm], shift: f64) -> (ShortRange, Vec<PairTerm>) {
        let mut s = ShortRange {
            shift,
            ..ShortRange::default()
        };
        let mut rest = Vec::new();
        let mut has_exp = false;
        for t in terms {
            match *t {
                PairTerm::Morse { d0, alpha, r0 } if !has_exp => {
                    has_exp = true;
                    (s.b, s.r0, s.a1, s.a2) = (alpha, r0, -2.0 * d0, d0);
                }
                PairTerm::Buckingham { a, rho, c } if !has_exp => {
                    has_exp = true;
                    (s.b, s.r0, s.a1) = (1.0 / rho, 0.0, a);
                    s.c6 -= c;
                }
                PairTerm::BornMayerHuggins {
                    a,
                    rho,
                    sigma,
                    c,
                    d,
                } if !has_exp => {
                    has_exp = true;
                    (s.b, s.r0, s.a1) = (1.0 / rho, sigma, a);
                    s.c6 -= c;
                    s.c8 += d;
                }
                PairTerm::LennardJones { epsilon, sigma } => {
                    let s6 = sigma.powi(6);
                    s.c12 += 4.0 * epsilon * s6 * s6;
                    s.c6 -= 4.0 * epsilon * s6;
                }
                PairTerm::InversePower { c, n: 6 } => s.c6 += c,
                PairTerm::InversePower { c, n: 8 } => s.c8 += c,
                PairTerm::InversePower { c, n: 12 } => s.c12 += c,
                other => rest.push(other),
            }
        }
        (s, rest)
    }
}

/// Everything the kernel knows about one ordered species pair (index `tᵢ · ntypes + tⱼ`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TypePair {
    /// Squared short-range cutoff (−1: no short-range terms).
    pub rc2: f64,
    /// The folded short-range terms.
    pub sr: ShortRange,
    /// Range of this pair's leftover terms in [`Input::extra_terms`].
    pub extra: (u32, u32),
    /// Squared distance below which the leftover terms act (−1: none).
    pub extra_rc2: f64,
}

impl TypePair {
    /// A species pair without short-range terms (Coulomb only, if charged).
    pub(crate) fn coulomb_only() -> Self {
        TypePair {
            rc2: -1.0,
            sr: ShortRange::default(),
            extra: (0, 0),
            extra_rc2: -1.0,
        }
    }

    /// The species pair of `terms` within `cutoff`, energy shifted by `shift`; the terms
    /// without a vector form are appended to `extra_terms`.
    pub(crate) fn new(
        terms: &[PairTerm],
        cutoff: f64,
        shift: f64,
        extra_terms: &mut Vec<PairTerm>,
    ) -> Self {
        if terms.is_empty() {
            return TypePair::coulomb_only();
        }
        let (sr, rest) = ShortRange::split(terms, shift);
        // ZBL is zero beyond its `outer`: only the pairs inside it take the slow path.
        let reach = rest
            .iter()
            .map(|t| match *t {
                PairTerm::Zbl { outer, .. } => outer.min(cutoff),
                _ => cutoff,
            })
            .fold(-1.0, f64::max);
        let start = extra_terms.len() as u32;
        extra_terms.extend_from_slice(&rest);
        TypePair {
            rc2: cutoff * cutoff,
            sr,
            extra: (start, extra_terms.len() as u32),
            extra_rc2: if rest.is_empty() { -1.0 } else { reach * reach },
        }
    }
}

/// Real-space Coulomb constants: `E = qq [erfc(αr)/r − e_cut + f_shift (r − rc)]` (DSF);
/// Ewald is the same with `e_cut = f_shift = rc = 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RealCoulomb {
    pub alpha: f64,
    pub e_cut: f64,
    pub f_shift: f64,
    pub cutoff: f64,
    /// LAMMPS's Abramowitz–Stegun erfc instead of the accurate one.
    pub lammps: bool,
}

/// The read-only input of one pass.
pub(crate) struct Input<'a> {
    /// `[x, y, z, species type]` of every atom, positions shifted by the list's
    /// [`VerletList::site_shifts`]: one load stream for the separations.
    pub sites: &'a [[f64; 4]],
    pub ntypes: usize,
    pub pairs: &'a [TypePair],
    /// `K qᵢ qⱼ` by species pair.
    pub qq: &'a [f64],
    pub extra_terms: &'a [PairTerm],
    pub list: &'a VerletList,
    pub list_cut2: f64,
    pub coul_cut2: f64,
    pub floor2: f64,
    pub coulomb: Option<RealCoulomb>,
}

/// Result of one chunk of atoms: energy and virial (Voigt, Σ dE/dr · r_a r_b / r), or the
/// first pair closer than the floor `(i, j, r)`.
pub(crate) type ChunkResult = std::result::Result<(f64, [f64; 6]), (usize, usize, f64)>;

/// The entries of atom i's Verlet row, structure of arrays.
#[derive(Debug, Clone, Default)]
struct Row {
    tp: Vec<u32>,
    dx: Vec<f64>,
    dy: Vec<f64>,
    dz: Vec<f64>,
    r2: Vec<f64>,
    r: Vec<f64>,
    rinv: Vec<f64>,
    qq: Vec<f64>,
    /// Pair energy.
    e: Vec<f64>,
    /// `(dE/dr)/r`: the force on i is `+s d`, on j `−s d`.
    s: Vec<f64>,
}

/// The entries of a row inside their short-range cutoff, compacted, with their parameters.
#[derive(Debug, Clone, Default)]
struct Short {
    k: Vec<u32>,
    tp: Vec<u32>,
    r2: Vec<f64>,
    r: Vec<f64>,
    rinv: Vec<f64>,
    b: Vec<f64>,
    r0: Vec<f64>,
    a1: Vec<f64>,
    a2: Vec<f64>,
    c6: Vec<f64>,
    c8: Vec<f64>,
    c12: Vec<f64>,
    shift: Vec<f64>,
    e: Vec<f64>,
    s: Vec<f64>,
}

/// Per-thread work space of the kernel (kept between calls; sized to the longest row).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    row: Row,
    short: Short,
}

impl Scratch {
    fn fit(&mut self, n: usize) {
        if self.row.r2.len() >= n {
            return;
        }
        let (row, short) = (&mut self.row, &mut self.short);
        for v in [&mut row.tp, &mut short.k, &mut short.tp] {
            v.resize(n, 0);
        }
        for v in [
            &mut row.dx,
            &mut row.dy,
            &mut row.dz,
            &mut row.r2,
            &mut row.r,
            &mut row.rinv,
            &mut row.qq,
            &mut row.e,
            &mut row.s,
            &mut short.r2,
            &mut short.r,
            &mut short.rinv,
            &mut short.b,
            &mut short.r0,
            &mut short.a1,
            &mut short.a2,
            &mut short.c6,
            &mut short.c8,
            &mut short.c12,
            &mut short.shift,
            &mut short.e,
            &mut short.s,
        ] {
            v.resize(n, 0.0);
        }
    }
}

/// Runs the kernel over `atoms` on `arch`, adding into `forces` (and `energies`).
pub(crate) fn run(
    arch: Arch,
    input: &Input<'_>,
    atoms: std::ops::Range<usize>,
    forces: &mut [Vector3<f64>],
    energies: Option<&mut [f64]>,
    scratch: &mut Scratch,
) -> ChunkResult {
    arch.dispatch(Job {
        input,
        atoms,
        forces,
        energies,
        scratch,
    })
}

struct Job<'a, 'b> {
    input: &'a Input<'b>,
    atoms: std::ops::Range<usize>,
    forces: &'a mut [Vector3<f64>],
    energies: Option<&'a mut [f64]>,
    scratch: &'a mut Scratch,
}

impl WithSimd for Job<'_, '_> {
    type Output = ChunkResult;

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) -> ChunkResult {
        // Every SIMD target pulp dispatches to on x86-64 and aarch64 has FMA.
        match (S::IS_SCALAR, self.input.coulomb.map(|c| c.lammps)) {
            (true, Some(true)) => self.atoms_loop::<S, Plain, true>(simd),
            (true, _) => self.atoms_loop::<S, Plain, false>(simd),
            (false, Some(true)) => self.atoms_loop::<S, Fused, true>(simd),
            (false, _) => self.atoms_loop::<S, Fused, false>(simd),
        }
    }
}

impl Job<'_, '_> {
    #[inline(always)]
    fn atoms_loop<S: Simd, M: Madd, const LAMMPS_ERFC: bool>(self, simd: S) -> ChunkResult {
        let Job {
            input: inp,
            atoms,
            forces,
            mut energies,
            scratch,
        } = self;
        let mut energy = 0.0;
        let mut w = [0.0; 6];
        let (starts, all_js, all_images) =
            (inp.list.starts(), inp.list.indices(), inp.list.images());
        for i in atoms {
            let row = starts[i]..starts[i + 1];
            let n = row.len();
            scratch.fit(n);
            let js = &all_js[row.clone()];
            let Scratch { row: rw, short } = scratch;
            let min_r2 = separations(inp, i, js, &all_images[row.clone()], rw);
            if min_r2 < inp.floor2 {
                if let Some(overlap) = first_overlap(inp, i, row) {
                    return Err(overlap);
                }
            }
            distances(&rw.r2[..n], &mut rw.r[..n], &mut rw.rinv[..n]);
            match inp.coulomb {
                Some(c) => coulomb::<M, LAMMPS_ERFC>(rw, n, &c, inp.coul_cut2),
                None => {
                    rw.e[..n].fill(0.0);
                    rw.s[..n].fill(0.0);
                }
            }
            let m = compact_short(inp, rw, short, n);
            if m > 0 {
                short_range::<M>(short, m);
                if !inp.extra_terms.is_empty() {
                    leftover_terms(inp, short, m);
                }
                for q in 0..m {
                    let k = short.k[q] as usize;
                    rw.e[k] += short.e[q];
                    rw.s[k] += short.s[q];
                }
            }
            let (ei, fi, wv) = sums(simd, rw, n);
            energy += ei;
            for (acc, x) in w.iter_mut().zip(wv) {
                *acc += x;
            }
            forces[i] += fi;
            // Slices held in registers (see `compact_short`).
            let (s, dx, dy, dz, e) = (
                &rw.s[..n],
                &rw.dx[..n],
                &rw.dy[..n],
                &rw.dz[..n],
                &rw.e[..n],
            );
            for (k, &j) in js.iter().enumerate() {
                let f = &mut forces[j as usize];
                f.x -= s[k] * dx[k];
                f.y -= s[k] * dy[k];
                f.z -= s[k] * dz[k];
            }
            if let Some(en) = energies.as_deref_mut() {
                en[i] += 0.5 * ei;
                for (k, &j) in js.iter().enumerate() {
                    en[j as usize] += 0.5 * e[k];
                }
            }
        }
        Ok((energy, w))
    }
}

/// Step 1: separation vectors, squared distances, species pairs and charges of the row;
/// returns the smallest squared distance.
#[inline(always)]
fn separations(inp: &Input<'_>, i: usize, js: &[u32], images: &[u32], rw: &mut Row) -> f64 {
    let n = js.len();
    let (sites, qq, table) = (inp.sites, inp.qq, inp.list.image_vectors());
    let [xi, yi, zi, ti] = sites[i];
    let ti = ti as u32 * inp.ntypes as u32;
    let mut min_r2 = f64::INFINITY;
    let (dx, dy, dz) = (&mut rw.dx[..n], &mut rw.dy[..n], &mut rw.dz[..n]);
    let (r2s, tps, qqs) = (&mut rw.r2[..n], &mut rw.tp[..n], &mut rw.qq[..n]);
    for (k, (&j, &image)) in js.iter().zip(images).enumerate() {
        let [xj, yj, zj, tj] = sites[j as usize];
        let o = table[image as usize];
        let (x, y, z) = (xj + o.x - xi, yj + o.y - yi, zj + o.z - zi);
        let r2 = x * x + y * y + z * z;
        (dx[k], dy[k], dz[k], r2s[k]) = (x, y, z, r2);
        let tp = ti + tj as u32;
        tps[k] = tp;
        qqs[k] = qq[tp as usize];
        min_r2 = if r2 < min_r2 { r2 } else { min_r2 };
    }
    min_r2
}

/// The first entry of atom i (in list order) inside the cutoff and closer than the floor.
#[cold]
fn first_overlap(
    inp: &Input<'_>,
    i: usize,
    row: std::ops::Range<usize>,
) -> Option<(usize, usize, f64)> {
    let p = |k: usize| Vector3::new(inp.sites[k][0], inp.sites[k][1], inp.sites[k][2]);
    let (js, images, table) = (
        inp.list.indices(),
        inp.list.images(),
        inp.list.image_vectors(),
    );
    row.into_iter().find_map(|k| {
        let j = js[k] as usize;
        let r2 = (p(j) + table[images[k] as usize] - p(i)).norm_squared();
        (r2 < inp.list_cut2 && r2 < inp.floor2).then(|| (i, j, r2.sqrt()))
    })
}

#[inline(always)]
fn distances(r2: &[f64], r: &mut [f64], rinv: &mut [f64]) {
    for ((r2, r), rinv) in r2.iter().zip(r.iter_mut()).zip(rinv.iter_mut()) {
        *r = r2.sqrt();
        *rinv = 1.0 / *r;
    }
}

/// Step 2a: real-space Coulomb over the row, written (not added) into `e` and `s`; zero
/// beyond its cutoff.
#[inline(always)]
fn coulomb<M: Madd, const LAMMPS_ERFC: bool>(rw: &mut Row, n: usize, c: &RealCoulomb, cut2: f64) {
    let two_alpha_over_sqrt_pi = std::f64::consts::FRAC_2_SQRT_PI * c.alpha;
    let (r2, r, rinv, qq) = (&rw.r2[..n], &rw.r[..n], &rw.rinv[..n], &rw.qq[..n]);
    let (e, s) = (&mut rw.e[..n], &mut rw.s[..n]);
    for k in 0..n {
        let x = c.alpha * r[k];
        let ex = exp::<M>(-x * x);
        let ec = if LAMMPS_ERFC {
            erfcx_as::<M>(x) * ex
        } else {
            let ec = erfcx_poly::<M>(x) * ex;
            if x > ERFC_X_MAX { 0.0 } else { ec }
        };
        let ri = rinv[k];
        let q = if r2[k] < cut2 { qq[k] } else { 0.0 };
        e[k] = q * (M::madd(ec, ri, -c.e_cut) + c.f_shift * (r[k] - c.cutoff));
        let f = q * (M::madd(ec * ri, ri, two_alpha_over_sqrt_pi * ex * ri) - c.f_shift);
        s[k] = -f * ri;
    }
}

/// Step 2b: the entries inside their short-range cutoff, compacted with their distances
/// (taken from the row, not recomputed) and parameters. Returns how many.
#[inline(always)]
fn compact_short(inp: &Input<'_>, rw: &Row, sh: &mut Short, n: usize) -> usize {
    // Slices held in registers: stores into the buffers cannot then force the compiler to
    // reload the vectors' pointers and lengths entry by entry.
    let (r2, r, rinv, tp) = (&rw.r2[..n], &rw.r[..n], &rw.rinv[..n], &rw.tp[..n]);
    let Short {
        k: ks,
        tp: stp,
        r2: sr2,
        r: sr,
        rinv: srinv,
        b,
        r0,
        a1,
        a2,
        c6,
        c8,
        c12,
        shift,
        ..
    } = sh;
    let ks = &mut ks[..n];
    // Pass 1, branch-free: every index is written, the count moves on for those inside
    // (about one entry in eight at typical cutoffs).
    let mut m = 0;
    for k in 0..n {
        let inside = r2[k] < inp.pairs[tp[k] as usize].rc2;
        ks[m] = k as u32;
        m += usize::from(inside);
    }
    // Pass 2: gather the survivors' distances and parameters.
    for q in 0..m {
        let k = ks[q] as usize;
        let t = tp[k];
        let p = &inp.pairs[t as usize].sr;
        (stp[q], sr2[q], sr[q], srinv[q]) = (t, r2[k], r[k], rinv[k]);
        (b[q], r0[q], a1[q], a2[q]) = (p.b, p.r0, p.a1, p.a2);
        (c6[q], c8[q], c12[q], shift[q]) = (p.c6, p.c8, p.c12, p.shift);
    }
    m
}

/// Step 2c: the folded short-range terms, written into the compacted `e` and `s`.
#[inline(always)]
fn short_range<M: Madd>(sh: &mut Short, m: usize) {
    let (r, rinv) = (&sh.r[..m], &sh.rinv[..m]);
    let (b, r0, a1, a2) = (&sh.b[..m], &sh.r0[..m], &sh.a1[..m], &sh.a2[..m]);
    let (c6, c8, c12, shift) = (&sh.c6[..m], &sh.c8[..m], &sh.c12[..m], &sh.shift[..m]);
    let (e, s) = (&mut sh.e[..m], &mut sh.s[..m]);
    for k in 0..m {
        let ri = rinv[k];
        let x = exp::<M>(-b[k] * (r[k] - r0[k]));
        let r2i = ri * ri;
        let r6i = r2i * r2i * r2i;
        let r8i = r6i * r2i;
        let r12i = r6i * r6i;
        let p6 = c6[k] * r6i;
        let p8 = c8[k] * r8i;
        let p12 = c12[k] * r12i;
        let ex = x * M::madd(a2[k], x, a1[k]);
        e[k] = ex + p6 + p8 + p12 - shift[k];
        let dex = -b[k] * x * M::madd(2.0 * a2[k], x, a1[k]);
        let dpow = M::madd(6.0, p6, M::madd(8.0, p8, 12.0 * p12));
        s[k] = (dex - dpow * ri) * ri;
    }
}

/// Step 3: the leftover terms (ZBL near contact, …), pair by pair.
#[inline(never)]
fn leftover_terms(inp: &Input<'_>, sh: &mut Short, m: usize) {
    for q in 0..m {
        let pair = &inp.pairs[sh.tp[q] as usize];
        if sh.r2[q] < pair.extra_rc2 {
            let (r, ri) = (sh.r[q], sh.rinv[q]);
            for t in &inp.extra_terms[pair.extra.0 as usize..pair.extra.1 as usize] {
                let (te, td) = t.eval(r, ri);
                sh.e[q] += te;
                sh.s[q] += td * ri;
            }
        }
    }
}

/// Step 4: energy, force on i (`Σ s d`) and virial (`Σ s d_a d_b`) of the row, in SIMD
/// lanes (independent partial sums, so no sum is reassociated behind the compiler's back).
#[inline(always)]
fn sums<S: Simd>(simd: S, rw: &Row, n: usize) -> (f64, Vector3<f64>, [f64; 6]) {
    let (e_h, e_t) = S::as_simd_f64s(&rw.e[..n]);
    let (s_h, s_t) = S::as_simd_f64s(&rw.s[..n]);
    let (x_h, x_t) = S::as_simd_f64s(&rw.dx[..n]);
    let (y_h, y_t) = S::as_simd_f64s(&rw.dy[..n]);
    let (z_h, z_t) = S::as_simd_f64s(&rw.dz[..n]);
    let zero = simd.splat_f64s(0.0);
    let mut acc = [zero; 10];
    for ((((&e, &s), &x), &y), &z) in e_h.iter().zip(s_h).zip(x_h).zip(y_h).zip(z_h) {
        let (fx, fy, fz) = (
            simd.mul_f64s(s, x),
            simd.mul_f64s(s, y),
            simd.mul_f64s(s, z),
        );
        acc[0] = simd.add_f64s(acc[0], e);
        acc[1] = simd.add_f64s(acc[1], fx);
        acc[2] = simd.add_f64s(acc[2], fy);
        acc[3] = simd.add_f64s(acc[3], fz);
        acc[4] = simd.mul_add_e_f64s(fx, x, acc[4]);
        acc[5] = simd.mul_add_e_f64s(fy, y, acc[5]);
        acc[6] = simd.mul_add_e_f64s(fz, z, acc[6]);
        acc[7] = simd.mul_add_e_f64s(fy, z, acc[7]);
        acc[8] = simd.mul_add_e_f64s(fx, z, acc[8]);
        acc[9] = simd.mul_add_e_f64s(fx, y, acc[9]);
    }
    let mut t = acc.map(|a| simd.reduce_sum_f64s(a));
    for ((((&e, &s), &x), &y), &z) in e_t.iter().zip(s_t).zip(x_t).zip(y_t).zip(z_t) {
        let (fx, fy, fz) = (s * x, s * y, s * z);
        for (acc, v) in t.iter_mut().zip([
            e,
            fx,
            fy,
            fz,
            fx * x,
            fy * y,
            fz * z,
            fy * z,
            fx * z,
            fx * y,
        ]) {
            *acc += v;
        }
    }
    (
        t[0],
        Vector3::new(t[1], t[2], t[3]),
        [t[4], t[5], t[6], t[7], t[8], t[9]],
    )
}
