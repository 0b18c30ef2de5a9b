//! [`ForceField`]: short-range pair terms plus electrostatics as one [`Calculator`].
//!
//! Energy, forces and the virial come from **one pass** over a half Verlet list (built at the
//! largest cutoff plus a skin and reused until an atom has moved half the skin): for each pair
//! the short-range terms of its species pair (looked up in a table indexed by species ids,
//! compiled once per species set) and the real-space Coulomb part (DSF or Ewald) are summed.
//! The Ewald reciprocal sum, when used, is a second loop over k-vectors. Large systems split
//! the pair loop over rayon threads, each into its own force buffer (kept between calls), in
//! chunks of equal pair count.
//!
//! The pair loop is the vectorised kernel of [`super::kernel`] (AVX2 + FMA chosen at run
//! time, see [`PairKernel`]); the original pair-by-pair loop stays as
//! [`PairKernel::Reference`], the yardstick of the kernel's accuracy contract.

use super::coulomb::{Coulomb, DsfConsts, EwaldSplit, Reciprocal, TWO_OVER_SQRT_PI, damp};
use super::erfc::erfc_as;
use super::kernel::{self, ChunkResult, PairKernel, RealCoulomb, Scratch, TypePair};
use super::pair::{PairPotential, PairTerm};
use crate::error::{MdError, Result};
use amorph_core::neighbor::VerletList;
use amorph_core::units::COULOMB_EV_ANGSTROM;
use amorph_core::{Calculation, Calculator, Element, Request, Structure};
use nalgebra::Vector3;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::f64::consts::PI;

/// Use rayon when the neighbour list holds at least this many pairs (and more than one
/// thread is available); measured break-even on this machine (BENCHMARKS.md).
pub const PARALLEL_MIN_PAIRS: usize = 40_000;
/// Chunks per thread of a parallel pair pass: with one chunk per thread, a thread that is
/// held up (a shared machine) stalls the other at the join; four cut the 2-thread pass at
/// 1728 atoms from 2.72 to 2.55 ms (eight: 2.63 ms, more buffers to clear and sum).
const CHUNKS_PER_THREAD: usize = 4;
/// The most memory (bytes) the per-chunk force buffers may take: large systems on many
/// threads get fewer chunks.
const CHUNK_BUFFER_BUDGET: usize = 64 << 20;

/// Default Verlet skin (Å).
pub const DEFAULT_SKIN: f64 = 1.0;
/// Default overlap floor (Å): two atoms closer than this are an error.
pub const DEFAULT_MIN_DISTANCE: f64 = 0.5;

/// A classical force field: short-range pair potential + point-charge electrostatics.
///
/// ```
/// use amorph_core::{Calculator, Element, Lattice, Request, Structure};
/// use amorph_md::potential::{Coulomb, ForceField};
/// use nalgebra::Vector3;
///
/// // Rock-salt NaCl-like cell with charges ±1, Coulomb only, Ewald to 1e-10.
/// let (na, cl): (Element, Element) = ("Na".parse().unwrap(), "Cl".parse().unwrap());
/// let a = 5.64;
/// let mut species = Vec::new();
/// let mut pos = Vec::new();
/// for f in [[0.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]] {
///     species.push(na);
///     pos.push(Vector3::new(f[0], f[1], f[2]) * a);
///     species.push(cl);
///     pos.push(Vector3::new(f[0] + 0.5, f[1], f[2]) * a);
/// }
/// let s = Structure::new(Lattice::cubic(a).unwrap(), species, pos).unwrap();
/// let mut ff = ForceField::new("coulomb")
///     .with_charge(na, 1.0)
///     .with_charge(cl, -1.0)
///     .with_coulomb(Coulomb::ewald(1e-10).unwrap())
///     .unwrap();
/// let c = ff.calculate(&s, Request::STRESS).unwrap();
/// // Madelung: E = −4 · 1.747565 · K / (a/2)
/// let madelung = -4.0 * 1.747565 * 14.399645 / (a / 2.0);
/// assert!((c.energy - madelung).abs() < 1e-5);
/// assert!(c.forces.iter().all(|f| f.norm() < 1e-8));
/// ```
#[derive(Debug, Clone)]
pub struct ForceField {
    name: String,
    pair: Option<PairPotential>,
    charges: BTreeMap<Element, f64>,
    coulomb: Coulomb,
    skin: f64,
    min_distance: f64,
    parallel: bool,
    lammps_erfc: bool,
    kernel: PairKernel,
    state: State,
}

#[derive(Debug, Clone, Copy)]
struct PairType {
    rc2: f64,
    shift: f64,
    /// `K qᵢ qⱼ` (eV·Å) for the real-space Coulomb term.
    qq: f64,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Default)]
struct State {
    species: Vec<Element>,
    types: Vec<u32>,
    ntypes: usize,
    table: Vec<PairType>,
    terms: Vec<PairTerm>,
    q: Vec<f64>,
    /// The vectorised kernel's species-pair table and leftover terms.
    pairs: Vec<TypePair>,
    extra_terms: Vec<PairTerm>,
    /// `K qᵢ qⱼ` by species pair, packed (vectorised kernel).
    qq: Vec<f64>,
    /// `[x, y, z, type]` per atom (vectorised kernel).
    sites4: Vec<[f64; 4]>,
    scratch: Vec<Scratch>,
    coul_cut: f64,
    list_cut: f64,
    self_energy: f64,
    recip: Option<Reciprocal>,
    list: Option<VerletList>,
    buffers: Vec<Vec<Vector3<f64>>>,
    ebuffers: Vec<Vec<f64>>,
    sites: Vec<Site>,
    compiled: bool,
}

/// The real-space electrostatics of one pair: `(E, dE/dr)` for `qq = K qᵢqⱼ`.
trait RealSpace: Sync {
    const ACTIVE: bool;
    fn eval(&self, qq: f64, r: f64, rinv: f64) -> (f64, f64);
}

struct NoCoulomb;
impl RealSpace for NoCoulomb {
    const ACTIVE: bool = false;
    #[inline(always)]
    fn eval(&self, _: f64, _: f64, _: f64) -> (f64, f64) {
        (0.0, 0.0)
    }
}

/// `(erfc(x), e^{−x²})`, with LAMMPS's polynomial when `lammps` is set.
#[inline(always)]
fn erfc_pair(x: f64, lammps: bool) -> (f64, f64) {
    if lammps { erfc_as(x) } else { damp(x) }
}

struct DsfReal(DsfConsts, bool);
impl RealSpace for DsfReal {
    const ACTIVE: bool = true;
    #[inline(always)]
    fn eval(&self, qq: f64, r: f64, rinv: f64) -> (f64, f64) {
        let c = &self.0;
        let (ec, ex) = erfc_pair(c.alpha * r, self.1);
        let e = qq * (ec * rinv - c.e_cut + c.f_shift * (r - c.cutoff));
        let f = qq * (ec * rinv * rinv + TWO_OVER_SQRT_PI * c.alpha * ex * rinv - c.f_shift);
        (e, -f)
    }
}

struct EwaldReal(f64, bool);
impl RealSpace for EwaldReal {
    const ACTIVE: bool = true;
    #[inline(always)]
    fn eval(&self, qq: f64, r: f64, rinv: f64) -> (f64, f64) {
        let alpha = self.0;
        let (ec, ex) = erfc_pair(alpha * r, self.1);
        let e = qq * ec * rinv;
        (e, -(e * rinv + qq * TWO_OVER_SQRT_PI * alpha * ex * rinv))
    }
}

/// An atom as the pair kernel reads it: position and type.
#[derive(Debug, Clone, Copy)]
struct Site {
    pos: Vector3<f64>,
    ty: usize,
}

/// Everything the pair kernel reads.
struct Ctx<'a, C: RealSpace> {
    sites: &'a [Site],
    ntypes: usize,
    table: &'a [PairType],
    terms: &'a [PairTerm],
    list: &'a VerletList,
    list_cut2: f64,
    coul_cut2: f64,
    floor2: f64,
    coul: C,
}

impl<C: RealSpace> Ctx<'_, C> {
    #[inline(always)]
    fn run(
        &self,
        atoms: std::ops::Range<usize>,
        forces: &mut [Vector3<f64>],
        mut energies: Option<&mut [f64]>,
    ) -> ChunkResult {
        let mut energy = 0.0;
        let mut w = [0.0; 6];
        let (starts, js, images, table) = (
            self.list.starts(),
            self.list.indices(),
            self.list.images(),
            self.list.image_vectors(),
        );
        for i in atoms {
            let Site { pos: ri, ty } = self.sites[i];
            let ti = ty * self.ntypes;
            let mut fi = Vector3::zeros();
            let mut ei = 0.0;
            for k in starts[i]..starts[i + 1] {
                let j = js[k] as usize;
                let sj = &self.sites[j];
                let d = sj.pos + table[images[k] as usize] - ri;
                let r2 = d.norm_squared();
                if r2 >= self.list_cut2 {
                    continue;
                }
                if r2 < self.floor2 {
                    return Err((i, j, r2.sqrt()));
                }
                let pt = &self.table[ti + sj.ty];
                let r = r2.sqrt();
                let rinv = 1.0 / r;
                let mut e = 0.0;
                let mut de = 0.0;
                if r2 < pt.rc2 {
                    e -= pt.shift;
                    for t in &self.terms[pt.start as usize..pt.end as usize] {
                        let (te, td) = t.eval(r, rinv);
                        e += te;
                        de += td;
                    }
                }
                if C::ACTIVE && r2 < self.coul_cut2 {
                    let (ce, cd) = self.coul.eval(pt.qq, r, rinv);
                    e += ce;
                    de += cd;
                }
                energy += e;
                let s = de * rinv;
                let fv = s * d;
                fi += fv;
                forces[j] -= fv;
                w[0] += fv.x * d.x;
                w[1] += fv.y * d.y;
                w[2] += fv.z * d.z;
                w[3] += fv.y * d.z;
                w[4] += fv.x * d.z;
                w[5] += fv.x * d.y;
                if let Some(en) = energies.as_deref_mut() {
                    ei += 0.5 * e;
                    en[j] += 0.5 * e;
                }
            }
            forces[i] += fi;
            if let Some(en) = energies.as_deref_mut() {
                en[i] += ei;
            }
        }
        Ok((energy, w))
    }
}

impl ForceField {
    /// An empty force field (no pair terms, no charges, no electrostatics).
    pub fn new(name: impl Into<String>) -> Self {
        ForceField {
            name: name.into(),
            pair: None,
            charges: BTreeMap::new(),
            coulomb: Coulomb::None,
            skin: DEFAULT_SKIN,
            min_distance: DEFAULT_MIN_DISTANCE,
            parallel: true,
            lammps_erfc: false,
            kernel: PairKernel::Auto,
            state: State::default(),
        }
    }

    /// Sets the short-range pair potential.
    pub fn with_pair_potential(mut self, pair: PairPotential) -> Self {
        self.pair = Some(pair);
        self.state = State::default();
        self
    }

    /// Sets the charge (e) of a species.
    pub fn with_charge(mut self, species: Element, charge: f64) -> Self {
        self.charges.insert(species, charge);
        self.state = State::default();
        self
    }

    /// Sets the electrostatics method (validated).
    pub fn with_coulomb(mut self, coulomb: Coulomb) -> Result<Self> {
        coulomb.validate()?;
        self.coulomb = coulomb;
        self.state = State::default();
        Ok(self)
    }

    /// Sets the Verlet skin (Å, ≥ 0; default 1 Å).
    pub fn with_skin(mut self, skin: f64) -> Result<Self> {
        if !(skin.is_finite() && skin >= 0.0) {
            return Err(MdError::invalid("skin", skin, "must be finite and ≥ 0"));
        }
        self.skin = skin;
        self.state.list = None;
        Ok(self)
    }

    /// Sets the overlap floor (Å, > 0; default 0.5 Å): a pair closer than this is an
    /// [`MdError::Overlap`] instead of a numeric explosion.
    pub fn with_min_distance(mut self, d: f64) -> Result<Self> {
        if !(d.is_finite() && d > 0.0) {
            return Err(MdError::invalid(
                "minimum distance",
                d,
                "must be finite and > 0",
            ));
        }
        self.min_distance = d;
        Ok(self)
    }

    /// Allow rayon for large systems (default true).
    pub fn with_parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Use LAMMPS's Abramowitz–Stegun erfc (absolute error ≤ 1.5e-7) in the real-space
    /// Coulomb sums instead of the accurate one (default false): only for reproducing LAMMPS
    /// `coul/dsf` / `coul/long` numbers to the last digits.
    pub fn with_lammps_erfc(mut self, on: bool) -> Self {
        self.lammps_erfc = on;
        self
    }

    /// Chooses the pair kernel (default [`PairKernel::Auto`]: vectorised, instruction set
    /// detected at run time).
    pub fn with_kernel(mut self, kernel: PairKernel) -> Self {
        self.kernel = kernel;
        self
    }

    /// The pair kernel in use.
    pub fn kernel(&self) -> PairKernel {
        self.kernel
    }

    /// The short-range pair potential, if any.
    pub fn pair_potential(&self) -> Option<&PairPotential> {
        self.pair.as_ref()
    }

    /// The charges by species.
    pub fn charges(&self) -> &BTreeMap<Element, f64> {
        &self.charges
    }

    /// The electrostatics method.
    pub fn coulomb(&self) -> Coulomb {
        self.coulomb
    }

    /// The Ewald split in use (after the first calculation with Ewald).
    pub fn ewald_split(&self) -> Option<EwaldSplit> {
        self.state.recip.as_ref().map(|r| r.split)
    }

    /// Number of reciprocal-space vectors of the last Ewald calculation (half space).
    pub fn n_kvectors(&self) -> usize {
        self.state.recip.as_ref().map_or(0, |r| r.n_kvectors())
    }

    /// Number of neighbour-list builds so far.
    pub fn list_builds(&self) -> usize {
        self.state.list.as_ref().map_or(0, |l| l.builds())
    }

    /// Prepares tables for the species of `s` (only when they changed).
    fn compile(&mut self, s: &Structure) -> Result<()> {
        let st = &mut self.state;
        if st.compiled && st.species.as_slice() == s.species() {
            return Ok(());
        }
        let mut type_species: Vec<Element> = s.species().to_vec();
        type_species.sort();
        type_species.dedup();
        let nt = type_species.len();
        let types: Vec<u32> = s
            .species()
            .iter()
            .map(|e| type_species.binary_search(e).unwrap_or(0) as u32)
            .collect();
        let mut table = Vec::with_capacity(nt * nt);
        let mut terms = Vec::new();
        let mut pairs = Vec::with_capacity(nt * nt);
        let mut extra_terms = Vec::new();
        let mut sr_cut: f64 = 0.0;
        for &a in &type_species {
            for &b in &type_species {
                let Some(pair) = &self.pair else {
                    pairs.push(TypePair::coulomb_only());
                    table.push(PairType {
                        rc2: -1.0,
                        shift: 0.0,
                        qq: 0.0,
                        start: 0,
                        end: 0,
                    });
                    continue;
                };
                let entry = pair.entry(a, b).ok_or_else(|| MdError::MissingPair {
                    potential: self.name.clone(),
                    a,
                    b,
                })?;
                let start = terms.len() as u32;
                terms.extend_from_slice(&entry.terms);
                let shift = if pair.shifted() && !entry.terms.is_empty() {
                    entry.eval(entry.cutoff).0
                } else {
                    0.0
                };
                if !entry.terms.is_empty() {
                    sr_cut = sr_cut.max(entry.cutoff);
                }
                pairs.push(TypePair::new(
                    &entry.terms,
                    entry.cutoff,
                    shift,
                    &mut extra_terms,
                ));
                table.push(PairType {
                    rc2: if entry.terms.is_empty() {
                        -1.0
                    } else {
                        entry.cutoff * entry.cutoff
                    },
                    shift,
                    qq: 0.0,
                    start,
                    end: terms.len() as u32,
                });
            }
        }
        let active = !matches!(self.coulomb, Coulomb::None);
        let mut q = Vec::new();
        if active {
            let mut per_type = Vec::with_capacity(nt);
            for &e in &type_species {
                per_type.push(
                    *self
                        .charges
                        .get(&e)
                        .ok_or_else(|| MdError::MissingSpecies {
                            potential: self.name.clone(),
                            species: e,
                        })?,
                );
            }
            q = types.iter().map(|&t| per_type[t as usize]).collect();
            for (a, qa) in per_type.iter().enumerate() {
                for (b, qb) in per_type.iter().enumerate() {
                    table[a * nt + b].qq = COULOMB_EV_ANGSTROM * qa * qb;
                }
            }
        }
        let n = s.len();
        let (coul_cut, self_energy, recip) = match self.coulomb {
            Coulomb::None => (0.0, 0.0, None),
            Coulomb::Dsf { alpha, cutoff } => {
                let c = DsfConsts::new(alpha, cutoff);
                let q2: f64 = q.iter().map(|x| x * x).sum();
                (cutoff, -c.self_factor * COULOMB_EV_ANGSTROM * q2, None)
            }
            Coulomb::Ewald(o) => {
                if s.pbc() != [true; 3] {
                    return Err(MdError::Unsupported {
                        potential: self.name.clone(),
                        reason: "Ewald summation needs a cell periodic along a, b and c".into(),
                    });
                }
                // Keep the split of an earlier build with the same atom count.
                let split = match &st.recip {
                    Some(r) if st.species.len() == n => r.split,
                    _ => EwaldSplit::choose(&o, n, s.volume()),
                };
                let q2: f64 = q.iter().map(|x| x * x).sum();
                let self_e = -split.alpha / PI.sqrt() * COULOMB_EV_ANGSTROM * q2;
                (split.real_cutoff, self_e, Some(Reciprocal::new(split)))
            }
        };
        let list_cut = sr_cut.max(coul_cut);
        let qq = table.iter().map(|t| t.qq).collect();
        *st = State {
            species: s.species().to_vec(),
            types,
            ntypes: nt,
            table,
            terms,
            q,
            pairs,
            extra_terms,
            qq,
            sites4: Vec::new(),
            scratch: Vec::new(),
            coul_cut,
            list_cut,
            self_energy,
            recip,
            list: None,
            buffers: Vec::new(),
            ebuffers: Vec::new(),
            sites: Vec::new(),
            compiled: true,
        };
        Ok(())
    }

    /// Energy, forces, stress (and per-atom energies) of `s`, with amorph-md's error type.
    pub fn compute(&mut self, s: &Structure, request: Request) -> Result<Calculation> {
        let mut forces = vec![Vector3::zeros(); s.len()];
        let mut energies = request.energies.then(|| vec![0.0; s.len()]);
        let (energy, stress) = self.compute_into(s, &mut forces, energies.as_deref_mut())?;
        let c = Calculation::new(energy, forces).with_stress(request.stress.then_some(stress));
        Ok(match energies {
            Some(e) => c.with_energies(e),
            None => c,
        })
    }

    /// Allocation-free core: writes forces (overwriting) and optionally per-atom energies
    /// into the caller's buffers (length = number of atoms) and returns `(energy, stress)`
    /// with stress in eV/Å³ (Voigt, ASE sign).
    pub fn compute_into(
        &mut self,
        s: &Structure,
        forces: &mut [Vector3<f64>],
        mut energies: Option<&mut [f64]>,
    ) -> Result<(f64, [f64; 6])> {
        let n = s.len();
        if forces.len() != n || energies.as_ref().is_some_and(|e| e.len() != n) {
            return Err(MdError::invalid(
                "buffer length",
                forces.len() as f64,
                format!("must equal the number of atoms ({n})"),
            ));
        }
        self.compile(s)?;
        forces.iter_mut().for_each(|f| *f = Vector3::zeros());
        if let Some(e) = energies.as_deref_mut() {
            e.iter_mut().for_each(|x| *x = 0.0);
        }
        let st = &mut self.state;
        let mut energy = st.self_energy;
        let mut w = [0.0; 6];
        if st.list_cut > 0.0 && n > 0 {
            match &mut st.list {
                Some(l) if l.cutoff() == st.list_cut => {
                    l.update(s)?;
                }
                _ => st.list = Some(VerletList::new(s, st.list_cut, self.skin)?),
            }
            let (e, wv) = self.pair_pass(s, forces, energies.as_deref_mut())?;
            energy += e;
            for (a, b) in w.iter_mut().zip(wv) {
                *a += b;
            }
        }
        let threads = if self.parallel {
            rayon::current_num_threads()
        } else {
            1
        };
        let st = &mut self.state;
        if let Some(recip) = &mut st.recip {
            let (e, wv) = recip.compute(
                s.lattice(),
                s.positions(),
                &st.q,
                forces,
                energies.as_deref_mut(),
                threads,
            );
            energy += e;
            for (a, b) in w.iter_mut().zip(wv) {
                *a += b;
            }
            let qsum: f64 = st.q.iter().sum();
            if qsum.abs() > 1e-12 {
                let alpha = recip.split.alpha;
                let eb =
                    -PI * COULOMB_EV_ANGSTROM * qsum * qsum / (2.0 * s.volume() * alpha * alpha);
                energy += eb;
                for a in w.iter_mut().take(3) {
                    *a -= eb;
                }
                if let Some(en) = energies.as_deref_mut() {
                    en.iter_mut().for_each(|x| *x += eb / n as f64);
                }
            }
        }
        if let Some(en) = energies {
            if st.self_energy != 0.0 {
                let q2: f64 = st.q.iter().map(|x| x * x).sum();
                for (x, qi) in en.iter_mut().zip(&st.q) {
                    *x += st.self_energy * qi * qi / q2;
                }
            }
        }
        let v = s.volume();
        Ok((energy, w.map(|x| x / v)))
    }

    fn pair_pass(
        &mut self,
        s: &Structure,
        forces: &mut [Vector3<f64>],
        energies: Option<&mut [f64]>,
    ) -> Result<(f64, [f64; 6])> {
        let floor2 = self.min_distance * self.min_distance;
        let st = &mut self.state;
        let Some(list) = &st.list else {
            return Ok((0.0, [0.0; 6]));
        };
        let threads = if self.parallel && list.len() >= PARALLEL_MIN_PAIRS {
            rayon::current_num_threads()
        } else {
            1
        };
        let list_cut2 = st.list_cut * st.list_cut;
        let coul_cut2 = st.coul_cut * st.coul_cut;
        let ewald_alpha = st.recip.as_ref().map_or(0.0, |r| r.split.alpha);
        let chunks = Chunks {
            starts: list.starts(),
            threads,
            buffers: &mut st.buffers,
            ebuffers: &mut st.ebuffers,
            scratch: &mut st.scratch,
        };
        let result = if let Some(arch) = self.kernel.arch() {
            st.sites4.clear();
            st.sites4.extend(
                s.positions()
                    .iter()
                    .zip(list.site_shifts())
                    .zip(&st.types)
                    .map(|((p, o), &t)| [p.x + o.x, p.y + o.y, p.z + o.z, f64::from(t)]),
            );
            let real = |alpha, e_cut, f_shift, cutoff| RealCoulomb {
                alpha,
                e_cut,
                f_shift,
                cutoff,
                lammps: self.lammps_erfc,
            };
            let input = kernel::Input {
                sites: &st.sites4,
                ntypes: st.ntypes,
                pairs: &st.pairs,
                qq: &st.qq,
                extra_terms: &st.extra_terms,
                list,
                list_cut2,
                coul_cut2,
                floor2,
                coulomb: match self.coulomb {
                    Coulomb::None => None,
                    Coulomb::Dsf { alpha, cutoff } => {
                        let c = DsfConsts::new(alpha, cutoff);
                        Some(real(alpha, c.e_cut, c.f_shift, cutoff))
                    }
                    Coulomb::Ewald(_) => Some(real(ewald_alpha, 0.0, 0.0, 0.0)),
                },
            };
            chunks.run(forces, energies, |atoms, f, e, scratch| {
                kernel::run(arch, &input, atoms, f, e, scratch)
            })
        } else {
            st.sites.clear();
            st.sites.extend(
                s.positions()
                    .iter()
                    .zip(list.site_shifts())
                    .zip(&st.types)
                    .map(|((p, o), &t)| Site {
                        pos: p + o,
                        ty: t as usize,
                    }),
            );
            macro_rules! reference {
                ($coul:expr) => {{
                    let ctx = Ctx {
                        sites: &st.sites,
                        ntypes: st.ntypes,
                        table: &st.table,
                        terms: &st.terms,
                        list,
                        list_cut2,
                        coul_cut2,
                        floor2,
                        coul: $coul,
                    };
                    chunks.run(forces, energies, |atoms, f, e, _| ctx.run(atoms, f, e))
                }};
            }
            match self.coulomb {
                Coulomb::None => reference!(NoCoulomb),
                Coulomb::Dsf { alpha, cutoff } => {
                    reference!(DsfReal(DsfConsts::new(alpha, cutoff), self.lammps_erfc))
                }
                Coulomb::Ewald(_) => reference!(EwaldReal(ewald_alpha, self.lammps_erfc)),
            }
        };
        result.map_err(|(i, j, distance)| MdError::Overlap {
            potential: self.name.clone(),
            i,
            j,
            a: s.species()[i],
            b: s.species()[j],
            distance,
            floor: self.min_distance,
        })
    }
}

/// How a pair pass is split over threads, with the buffers kept between passes.
struct Chunks<'a> {
    starts: &'a [usize],
    threads: usize,
    buffers: &'a mut Vec<Vec<Vector3<f64>>>,
    ebuffers: &'a mut Vec<Vec<f64>>,
    scratch: &'a mut Vec<Scratch>,
}

impl Chunks<'_> {
    /// Runs `kernel(atoms, forces, energies, scratch)` on one thread, or on
    /// [`CHUNKS_PER_THREAD`] chunks per thread of about equal pair count, each into its own
    /// buffers, then sums the buffers.
    fn run<K>(
        self,
        forces: &mut [Vector3<f64>],
        energies: Option<&mut [f64]>,
        kernel: K,
    ) -> ChunkResult
    where
        K: Fn(
                std::ops::Range<usize>,
                &mut [Vector3<f64>],
                Option<&mut [f64]>,
                &mut Scratch,
            ) -> ChunkResult
            + Sync,
    {
        let Chunks {
            starts,
            threads,
            buffers,
            ebuffers,
            scratch,
        } = self;
        let n = forces.len();
        // Fixed chunks, each into its own buffer, summed in a fixed order: the result does
        // not depend on which thread ran which chunk.
        let nchunks = if threads > 1 {
            let affordable = CHUNK_BUFFER_BUDGET / std::mem::size_of_val(forces).max(1);
            (threads * CHUNKS_PER_THREAD).min(affordable).max(threads)
        } else {
            1
        };
        scratch.resize_with(nchunks, Scratch::default);
        if nchunks == 1 {
            return kernel(0..n, forces, energies, &mut scratch[0]);
        }
        let total = starts[n];
        let mut bounds = Vec::with_capacity(nchunks + 1);
        bounds.push(0);
        for c in 1..nchunks {
            let target = total * c / nchunks;
            let i = starts.partition_point(|&x| x < target).min(n);
            bounds.push(i.max(*bounds.last().unwrap_or(&0)));
        }
        bounds.push(n);
        buffers.resize_with(nchunks, Vec::new);
        let want_e = energies.is_some();
        if want_e {
            ebuffers.resize_with(nchunks, Vec::new);
        }
        let mut ebufs: Vec<Option<&mut Vec<f64>>> = if want_e {
            ebuffers.iter_mut().map(Some).collect()
        } else {
            (0..nchunks).map(|_| None).collect()
        };
        let results: Vec<ChunkResult> = buffers
            .par_iter_mut()
            .zip(ebufs.par_iter_mut())
            .zip(scratch.par_iter_mut())
            .enumerate()
            .map(|(c, ((fb, eb), sc))| {
                // A half list pairs i only with j ≥ i, so this chunk writes no atom before
                // its first: only the rest of its buffers is cleared (here, in the chunk's
                // own task), and summed.
                let first = bounds[c];
                fb.resize(n, Vector3::zeros());
                fb[first..].fill(Vector3::zeros());
                let eb = eb.as_deref_mut().map(|v| {
                    v.resize(n, 0.0);
                    v[first..].fill(0.0);
                    v.as_mut_slice()
                });
                kernel(first..bounds[c + 1], fb, eb, sc)
            })
            .collect();
        let mut energy = 0.0;
        let mut w = [0.0; 6];
        for r in results {
            let (e, wv) = r?;
            energy += e;
            for (a, b) in w.iter_mut().zip(wv) {
                *a += b;
            }
        }
        let bounds = &bounds;
        forces.par_iter_mut().enumerate().for_each(|(i, f)| {
            let touched = bounds[..nchunks].partition_point(|&first| first <= i);
            for b in &buffers[..touched] {
                *f += b[i];
            }
        });
        if let Some(en) = energies {
            for (b, &first) in ebuffers.iter().zip(bounds) {
                for (x, y) in en[first..].iter_mut().zip(&b[first..]) {
                    *x += y;
                }
            }
        }
        Ok((energy, w))
    }
}

impl Calculator for ForceField {
    fn name(&self) -> &str {
        &self.name
    }

    fn reset(&mut self) {
        self.state = State::default();
    }

    fn calculate(
        &mut self,
        structure: &Structure,
        request: Request,
    ) -> amorph_core::Result<Calculation> {
        self.compute(structure, request)
            .map_err(|e| amorph_core::Error::calculator(self.name.clone(), e))
    }
}
