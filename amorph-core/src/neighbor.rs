//! Periodic neighbour lists for triclinic cells, with cutoffs larger than the cell.
//!
//! MPMorph cells of ~100 atoms are ~10.5 Å across while pair potentials use 8–12 Å cutoffs,
//! so an atom may see several periodic images of the same neighbour, and even of itself.
//! Each entry therefore carries its **image shift** `S` (integers): the neighbour vector is
//! `r_j + S·L − r_i`, with `L` the lattice (rows **a**, **b**, **c**) and `r` the positions
//! **as passed to the build** (they need not be wrapped).
//!
//! Algorithm: atoms are binned in wrapped fractional coordinates; along each axis the bins are
//! at least a fraction (1/6 to 1/2, picked by a cost model) of the cutoff thick, measured
//! perpendicular to the opposite faces, and the search scans every bin (and periodic image of
//! a bin) within `cutoff` along each axis. Small cells
//! with a cutoff near or above the cell size (a 100-atom MD cell with an 11 Å Verlet cutoff)
//! instead test every pair of atoms at the periodic images that the cell heights allow. Cells
//! at least two cutoffs high along every periodic axis can test every pair once, at the one
//! image that can be within the cutoff (found by rounding the fractional separation), in
//! blocks the compiler vectorises. A cost model picks the cheapest search. Each is exact for
//! any triclinic cell and any cutoff it accepts, and the pair and nearest-image searches give
//! identical lists. Work is split over atoms with rayon when the system is large enough to pay
//! for it.

use crate::error::{Error, Result};
use crate::lattice::Lattice;
use crate::structure::Structure;
use nalgebra::Vector3;
use rayon::prelude::*;

/// Systems with fewer atoms than this are built on one thread.
const PARALLEL_MIN_ATOMS: usize = 512;
/// Candidate bin thicknesses as fractions of the cutoff. Smaller bins waste fewer distance
/// tests but cost more bin visits; [`Grid::new`] picks the cheapest for the system at hand.
/// Half the cutoff suits large cells; small cells with a cutoff near the cell size (a
/// 100-atom MD cell with an 11 Å Verlet cutoff) need thinner bins, or one bin spans the cell
/// and every periodic image of every atom becomes a candidate.
const BIN_FRACTIONS: [f64; 5] = [0.5, 1.0 / 3.0, 0.25, 0.2, 1.0 / 6.0];
/// Relative cost of visiting one bin and of testing one candidate distance (instruction counts
/// of the search loop, measured with callgrind).
const BIN_VISIT_COST: f64 = 20.0;
const CANDIDATE_COST: f64 = 15.0;
/// Relative costs of setting up one atom pair and of testing one image of it in the pair search
/// ([`Method::Pairs`]), in the units of the two above: fitted to callgrind counts of both
/// searches on 108- and 405-atom Li₂Si₂O₅ cells with an 11 Å cutoff (pairs 3.5× cheaper than
/// bins at 108 atoms, 10 % dearer at 405).
const PAIR_COST: f64 = 110.0;
const PAIR_IMAGE_COST: f64 = 24.0;
/// Relative cost of one partner atom in the nearest-image search ([`Method::Nearest`]), in
/// the same units: from wall times against the bin search on a 1728-atom Li₂Si₂O₅ cell with an
/// 11 Å cutoff (bins: 11.5 ms per Verlet build for a model cost of 26 800 per atom; nearest:
/// about 6 ms for 864 partners per atom).
const NEAREST_COST: f64 = 16.0;
/// Refuse lists that would need more than this many periodic images per axis (a nearly flat
/// cell with a long cutoff): the answer would be gigantic and almost surely a mistake.
const MAX_IMAGES_PER_AXIS: i64 = 1000;
/// The most periodic images a [`VerletList`] numbers (a table of 16 Mi translations, 400 MB):
/// a list reaching more images would be far larger still.
const MAX_IMAGE_TABLE: usize = 1 << 24;
/// Never reserve more entries than this up front (the lists grow past it if they must).
const RESERVE_MAX: f64 = (1u64 << 26) as f64;

/// One neighbour of an atom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbor {
    /// Index of the neighbouring atom.
    pub j: usize,
    /// Periodic image: the neighbour sits at `r_j + shift·L`.
    pub shift: [i32; 3],
    /// Vector from atom i to the neighbour (Å), `r_j + shift·L − r_i`.
    pub vector: Vector3<f64>,
    /// Length of `vector` (Å).
    pub distance: f64,
}

/// A neighbour list in compressed-row form: the neighbours of atom `i` are entries
/// `start(i)..start(i + 1)`.
///
/// A **full** list holds every pair twice (i→j and j→i); a **half** list holds each pair once
/// (`i < j`, or `i == j` with the first non-zero component of the shift positive).
#[derive(Debug, Clone, PartialEq)]
pub struct NeighborList {
    cutoff: f64,
    half: bool,
    starts: Vec<usize>,
    js: Vec<u32>,
    shifts: Vec<[i32; 3]>,
    vectors: Vec<Vector3<f64>>,
    distances: Vec<f64>,
}

/// Options of a neighbour-list build.
#[derive(Debug, Clone, Copy)]
pub struct NeighborListBuilder {
    cutoff: f64,
    half: bool,
    parallel: bool,
    /// Search method forced by the tests (otherwise the cheaper one by the cost model).
    method: Option<Method>,
}

impl NeighborListBuilder {
    /// Each pair once instead of twice.
    pub fn half(mut self, half: bool) -> Self {
        self.half = half;
        self
    }

    /// Allow rayon (default true; it is used only for large systems).
    pub fn parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Builds the list for a structure.
    pub fn build(&self, structure: &Structure) -> Result<NeighborList> {
        self.build_from_parts(structure.lattice(), structure.positions(), structure.pbc())
    }

    /// Builds the list for bare positions in a lattice.
    pub fn build_from_parts(
        &self,
        lattice: &Lattice,
        positions: &[Vector3<f64>],
        pbc: [bool; 3],
    ) -> Result<NeighborList> {
        let grid = self.grid(lattice, positions, pbc)?;
        let n = positions.len();
        let mut chunks: Vec<Chunk> = Vec::new();
        self.search(&grid, n, &mut chunks);
        let mut starts = Vec::with_capacity(n + 1);
        starts.push(0);
        for c in &chunks {
            for &count in &c.counts {
                let last = *starts.last().unwrap_or(&0);
                starts.push(last + count);
            }
        }
        let mut list = NeighborList {
            cutoff: self.cutoff,
            half: self.half,
            starts,
            js: Vec::new(),
            shifts: Vec::new(),
            vectors: Vec::new(),
            distances: Vec::new(),
        };
        if chunks.len() == 1 {
            // One chunk (the serial build): move its arrays instead of copying them.
            let c = chunks.pop().unwrap_or_default();
            list.js = c.js;
            list.shifts = c.shifts;
            list.vectors = c.vectors;
            list.distances = c.distances;
        } else {
            let total: usize = chunks.iter().map(|c| c.js.len()).sum();
            list.js.reserve_exact(total);
            list.shifts.reserve_exact(total);
            list.vectors.reserve_exact(total);
            list.distances.reserve_exact(total);
            for c in chunks {
                list.js.extend(c.js);
                list.shifts.extend(c.shifts);
                list.vectors.extend(c.vectors);
                list.distances.extend(c.distances);
            }
        }
        Ok(list)
    }

    /// Validates the options and bins the atoms (every error of a build happens here).
    fn grid(&self, lattice: &Lattice, positions: &[Vector3<f64>], pbc: [bool; 3]) -> Result<Grid> {
        if !(self.cutoff.is_finite() && self.cutoff > 0.0) {
            return Err(Error::Neighbors(format!(
                "cutoff {} Å must be positive",
                self.cutoff
            )));
        }
        if positions.len() > u32::MAX as usize {
            return Err(Error::Neighbors(format!(
                "{} atoms is too many",
                positions.len()
            )));
        }
        Grid::new(lattice, positions, pbc, self.cutoff, self.half, self.method)
    }

    /// Runs the search into `pool`: one sink on one thread, or one per chunk of atoms with
    /// rayon. The sinks already in `pool` are cleared and reused, so that repeated builds
    /// (a Verlet list's) write into memory already mapped instead of faulting in new pages.
    fn search<S: Sink + Default + Send>(&self, grid: &Grid, n: usize, pool: &mut Vec<S>) {
        // Expected entries per atom at the mean density: reserving them up front avoids the
        // reallocation copies (and page faults) that otherwise dominate large builds. Only a
        // hint: reserved but untouched memory costs nothing.
        let sphere = 4.0 / 3.0 * std::f64::consts::PI * self.cutoff.powi(3);
        let per_atom_hint =
            (n as f64 / grid.volume * sphere * 1.05 + 1.0) * if self.half { 0.5 } else { 1.0 };
        let hint = |atoms: usize| (per_atom_hint * atoms as f64).min(RESERVE_MAX) as usize;
        let threads = rayon::current_num_threads();
        // Small chunks (≥ 64 atoms) keep two threads evenly loaded at ~1000 atoms.
        let size = if self.parallel && n >= PARALLEL_MIN_ATOMS && threads > 1 {
            n.div_ceil(threads * 8).max(64)
        } else {
            n.max(1)
        };
        pool.resize_with(n.div_ceil(size).max(1), S::default);
        let fill = |c: usize, sink: &mut S| {
            let atoms = (c * size).min(n)..((c + 1) * size).min(n);
            sink.clear();
            sink.reserve(atoms.len(), hint(atoms.len()));
            for i in atoms {
                grid.collect(i, self.half, sink);
            }
        };
        if pool.len() == 1 {
            fill(0, &mut pool[0]);
        } else {
            pool.par_iter_mut()
                .enumerate()
                .for_each(|(c, sink)| fill(c, sink));
        }
    }
}

/// Receives the entries of a search, atom by atom.
trait Sink {
    /// Entries received so far.
    fn len(&self) -> usize;
    /// Forgets every entry (keeping the memory).
    fn clear(&mut self);
    /// Makes room for `atoms` more atoms and `entries` more entries.
    fn reserve(&mut self, atoms: usize, entries: usize);
    /// One neighbour `j` of the current atom: periodic image number `image` (in the grid's
    /// [`ImageTable`]) of the wrapped positions, image shift `shift` of the positions as
    /// passed, vector `v`, squared length `d2`.
    fn push(&mut self, j: u32, image: u32, shift: [i32; 3], v: &Vector3<f64>, d2: f64);
    /// The current atom had `count` neighbours.
    fn end_atom(&mut self, count: usize);
}

impl Sink for Chunk {
    #[inline]
    fn len(&self) -> usize {
        self.js.len()
    }
    fn clear(&mut self) {
        self.counts.clear();
        self.js.clear();
        self.shifts.clear();
        self.vectors.clear();
        self.distances.clear();
    }
    fn reserve(&mut self, atoms: usize, entries: usize) {
        self.counts.reserve(atoms);
        self.js.reserve(entries);
        self.shifts.reserve(entries);
        self.vectors.reserve(entries);
        self.distances.reserve(entries);
    }
    #[inline]
    fn push(&mut self, j: u32, _: u32, shift: [i32; 3], v: &Vector3<f64>, d2: f64) {
        self.js.push(j);
        self.shifts.push(shift);
        self.vectors.push(*v);
        self.distances.push(d2.sqrt());
    }
    #[inline]
    fn end_atom(&mut self, count: usize) {
        self.counts.push(count);
    }
}

/// What a [`VerletList`] keeps of a search: neighbour indices and the number of each entry's
/// image of the wrapped positions in the grid's [`ImageTable`].
#[derive(Debug, Clone, Default)]
struct Lean {
    counts: Vec<usize>,
    js: Vec<u32>,
    images: Vec<u32>,
}

impl Sink for Lean {
    #[inline]
    fn len(&self) -> usize {
        self.js.len()
    }
    fn clear(&mut self) {
        self.counts.clear();
        self.js.clear();
        self.images.clear();
    }
    fn reserve(&mut self, atoms: usize, entries: usize) {
        self.counts.reserve(atoms);
        self.js.reserve(entries);
        self.images.reserve(entries);
    }
    #[inline]
    fn push(&mut self, j: u32, image: u32, _: [i32; 3], _: &Vector3<f64>, _: f64) {
        self.js.push(j);
        self.images.push(image);
    }
    #[inline]
    fn end_atom(&mut self, count: usize) {
        self.counts.push(count);
    }
}

/// Dense numbering of the periodic images `(n₁, n₂, n₃)`, `|n_k| ≤ bound[k]`, that a search
/// can reach.
#[derive(Debug, Clone, Copy, Default)]
struct ImageTable {
    bound: [i64; 3],
}

impl ImageTable {
    /// Images per axis.
    fn widths(&self) -> [i64; 3] {
        self.bound.map(|m| 2 * m + 1)
    }

    /// Number of images.
    fn len(&self) -> usize {
        self.widths().iter().product::<i64>() as usize
    }

    /// The index of `image` (which must lie within the bounds).
    #[inline(always)]
    fn index(&self, image: [i64; 3]) -> u32 {
        let [m0, m1, m2] = self.bound;
        let [_, w1, w2] = self.widths();
        (((image[0] + m0) * w1 + image[1] + m1) * w2 + image[2] + m2) as u32
    }

    /// The lattice translation of every image, Cartesian (Å), in index order.
    fn vectors(&self, to_cart: &nalgebra::Matrix3<f64>) -> Vec<Vector3<f64>> {
        let [m0, m1, m2] = self.bound;
        let mut out = Vec::with_capacity(self.len());
        for a in -m0..=m0 {
            for b in -m1..=m1 {
                for c in -m2..=m2 {
                    out.push(to_cart * Vector3::new(a as f64, b as f64, c as f64));
                }
            }
        }
        out
    }
}

#[derive(Default)]
struct Chunk {
    counts: Vec<usize>,
    js: Vec<u32>,
    shifts: Vec<[i32; 3]>,
    vectors: Vec<Vector3<f64>>,
    distances: Vec<f64>,
}

/// Joins the chunks of a parallel build into `into`, copying them in parallel into memory
/// kept from the previous build (a serial copy and fresh pages cost a two-thread MD run a
/// tenth of its time).
fn join(pool: &[Lean], into: &mut Lean) {
    let total = pool.iter().map(|c| c.js.len()).sum();
    // Only growth is zero-filled; everything is overwritten below.
    into.js.resize(total, 0);
    into.images.resize(total, 0);
    let (mut js, mut images) = (into.js.as_mut_slice(), into.images.as_mut_slice());
    let mut parts = Vec::with_capacity(pool.len());
    for c in pool {
        let (a, rest) = std::mem::take(&mut js).split_at_mut(c.js.len());
        js = rest;
        let (b, rest) = std::mem::take(&mut images).split_at_mut(c.js.len());
        images = rest;
        parts.push((c, a, b));
    }
    parts.into_par_iter().for_each(|(c, a, b)| {
        a.copy_from_slice(&c.js);
        b.copy_from_slice(&c.images);
    });
}

/// How a [`Grid`] finds candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// Scan the bins (and periodic images of bins) within the cutoff of each atom.
    Bins,
    /// Test every pair of atoms at each periodic image that the cell heights allow: cheaper
    /// than bins for small cells with a cutoff near or above the cell size (a 100-atom MD
    /// cell with an 11 Å Verlet cutoff), where the bins within reach would be thousands.
    Pairs,
    /// Test every pair of atoms once, at the one periodic image that can lie within the
    /// cutoff, in blocks the compiler vectorises: exact when the cutoff is below half of every
    /// periodic cell height (then the fractional separation along each axis is below ½ in
    /// magnitude, so rounding picks the image). Cheapest for cells a few cutoffs wide (1620
    /// atoms, 11 Å: a bin search there scans the whole cell anyway, branch by branch).
    Nearest,
}

/// Atoms binned in wrapped fractional coordinates.
struct Grid {
    method: Method,
    cutoff2: f64,
    pbc: [bool; 3],
    nbins: [i64; 3],
    /// Bins scanned on each side along each axis.
    reach: [i64; 3],
    /// `(bin, periodic image)` of the unbounded bin index `t` at `t + reach`, per axis.
    axis_maps: [Vec<Option<(i64, i64)>>; 3],
    /// Lattice vectors **a**, **b**, **c** (Å).
    cols: [Vector3<f64>; 3],
    /// Cutoff over the cell height along each axis (with a safety margin): the largest
    /// fractional separation a neighbour can have.
    reach_frac: [f64; 3],
    /// Volume of the binned region (Å³).
    volume: f64,
    /// Wrapped fractional positions (unwrapped along non-periodic axes).
    frac: Vec<Vector3<f64>>,
    /// Wrapped Cartesian positions.
    wrapped: Vec<Vector3<f64>>,
    /// Wrapped fractional and Cartesian coordinates as separate arrays (only for
    /// [`Method::Nearest`]): `[fa, fb, fc, x, y, z]`.
    soa: [Vec<f64>; 6],
    /// Integer wrap of every atom: wrapped = original − wrap·L.
    wrap: Vec<[i32; 3]>,
    bin_of: Vec<[i64; 3]>,
    /// The periodic images a search can reach, numbered.
    images: ImageTable,
    /// Atoms sorted by bin (CSR).
    bin_starts: Vec<usize>,
    bin_atoms: Vec<u32>,
    /// Wrapped Cartesian positions in `bin_atoms` order (streamed by the search).
    bin_positions: Vec<Vector3<f64>>,
}

/// `⌊x⌋` as an integer (no libm call without SSE4.1); `x` must fit an `i64`.
#[inline]
fn floor_i64(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) > x { t - 1 } else { t }
}

impl Grid {
    fn new(
        lattice: &Lattice,
        positions: &[Vector3<f64>],
        pbc: [bool; 3],
        cutoff: f64,
        half: bool,
        force: Option<Method>,
    ) -> Result<Self> {
        let widths = lattice.perpendicular_widths();
        let n = positions.len();
        let mut frac: Vec<Vector3<f64>> =
            positions.iter().map(|p| lattice.to_fractional(p)).collect();
        let mut wrap = vec![[0i32; 3]; n];
        let mut lo = [0.0; 3];
        let mut span = [1.0; 3];
        for k in 0..3 {
            if pbc[k] {
                for (f, w) in frac.iter_mut().zip(wrap.iter_mut()) {
                    let fl = f[k].floor();
                    if fl.abs() > f64::from(i32::MAX) {
                        return Err(Error::Neighbors(format!(
                            "an atom lies {fl} cells away from the origin"
                        )));
                    }
                    w[k] = fl as i32;
                    f[k] -= fl;
                    if f[k] >= 1.0 {
                        f[k] = 0.0;
                        w[k] += 1;
                    }
                }
            } else if n > 0 {
                let min = frac.iter().map(|f| f[k]).fold(f64::INFINITY, f64::min);
                let max = frac.iter().map(|f| f[k]).fold(f64::NEG_INFINITY, f64::max);
                lo[k] = min;
                span[k] = (max - min).max(1e-12) * (1.0 + 1e-12) + 1e-12;
            }
        }
        // Bins per axis, their fractional width and the reach in bins of a search, for a bin
        // thickness of `fraction` × cutoff.
        let layout = |fraction: f64| {
            let mut nbins = [1i64; 3];
            let mut reach = [0i64; 3];
            let mut width = [1.0; 3];
            let mut thickness = [1.0; 3];
            for k in 0..3 {
                // Extent of the binned range measured perpendicular to the faces (Å).
                let extent = widths[k] * span[k];
                let nb = ((extent / (cutoff * fraction)).floor() as i64).clamp(1, 1 << 20);
                nbins[k] = nb;
                width[k] = span[k] / nb as f64;
                thickness[k] = extent / nb as f64;
                let r = (cutoff / thickness[k]).ceil() as i64;
                reach[k] = if pbc[k] { r } else { r.min(nb - 1) };
            }
            (nbins, reach, width, thickness)
        };
        // Expected search cost per atom: bins visited plus candidates in them.
        let volume = widths[0] * widths[1] * widths[2] * span.iter().product::<f64>();
        let density = n as f64 / volume;
        let cost = |fraction: f64| {
            let (_, reach, _, thickness) = layout(fraction);
            let mut bins = 1.0;
            let mut volume = 1.0;
            for k in 0..3 {
                let visited = (2 * reach[k] + 1) as f64;
                bins *= visited;
                volume *= visited * thickness[k];
            }
            BIN_VISIT_COST * bins + CANDIDATE_COST * density * volume
        };
        let fraction = BIN_FRACTIONS
            .into_iter()
            .min_by(|a, b| cost(*a).total_cmp(&cost(*b)))
            .unwrap_or(BIN_FRACTIONS[0]);
        let (nbins, reach, width, _) = layout(fraction);
        for k in 0..3 {
            if pbc[k] && reach[k] / nbins[k] > MAX_IMAGES_PER_AXIS {
                return Err(Error::Neighbors(format!(
                    "cutoff {cutoff} Å needs more than {MAX_IMAGES_PER_AXIS} periodic images along \
                     axis {k} (cell width {:.3} Å)",
                    widths[k]
                )));
            }
        }
        // The pair search: every partner atom (half of them for a half list) at the expected
        // number of images, 2 rc / height per periodic axis.
        let reach_frac = [0, 1, 2].map(|k| cutoff / widths[k] * (1.0 + 1e-9) + 1e-12);
        let partners = if half { 0.5 * n as f64 + 1.0 } else { n as f64 };
        let images: f64 = (0..3)
            .map(|k| if pbc[k] { 2.0 * reach_frac[k] } else { 1.0 })
            .product();
        let pair_cost = partners * (PAIR_COST + PAIR_IMAGE_COST * images);
        let nearest_ok = (0..3).all(|k| !pbc[k] || reach_frac[k] < 0.5);
        let nearest_cost = partners * NEAREST_COST;
        let method = match force {
            Some(Method::Nearest) if !nearest_ok => Method::Pairs,
            Some(m) => m,
            None if nearest_ok && nearest_cost < pair_cost.min(cost(fraction)) => Method::Nearest,
            None if pair_cost < cost(fraction) => Method::Pairs,
            None => Method::Bins,
        };
        let bin_of: Vec<[i64; 3]> = frac
            .iter()
            .map(|f| {
                let mut b = [0i64; 3];
                for k in 0..3 {
                    b[k] = (((f[k] - lo[k]) / width[k]).floor() as i64).clamp(0, nbins[k] - 1);
                }
                b
            })
            .collect();
        let nb_total = (nbins[0] * nbins[1] * nbins[2]) as usize;
        let flat = |b: [i64; 3]| ((b[0] * nbins[1] + b[1]) * nbins[2] + b[2]) as usize;
        let mut bin_starts = vec![0usize; nb_total + 1];
        for b in &bin_of {
            bin_starts[flat(*b) + 1] += 1;
        }
        for k in 0..nb_total {
            bin_starts[k + 1] += bin_starts[k];
        }
        let mut fill = bin_starts.clone();
        let mut bin_atoms = vec![0u32; n];
        for (i, b) in bin_of.iter().enumerate() {
            let f = flat(*b);
            bin_atoms[fill[f]] = i as u32;
            fill[f] += 1;
        }
        let to_cart = *lattice.frac_to_cart_matrix();
        let wrapped: Vec<Vector3<f64>> = frac.iter().map(|f| to_cart * f).collect();
        let bin_positions = bin_atoms.iter().map(|&i| wrapped[i as usize]).collect();
        let soa = [0, 1, 2, 3, 4, 5].map(|c| {
            if method != Method::Nearest {
                Vec::new()
            } else if c < 3 {
                frac.iter().map(|f| f[c]).collect()
            } else {
                wrapped.iter().map(|w| w[c - 3]).collect()
            }
        });
        // Bins reach images t.div_euclid(n) for t in −reach..n + reach; the pair search
        // reaches |image| ≤ ⌊reach_frac⌋ + 1 (fractional separations are below 1), the
        // nearest-image search ±1.
        let bound = [0, 1, 2].map(|k| match (pbc[k], method) {
            (false, _) => 0,
            (true, Method::Nearest) => 1,
            (true, Method::Bins) => (-reach[k])
                .div_euclid(nbins[k])
                .abs()
                .max((nbins[k] + reach[k] - 1).div_euclid(nbins[k])),
            (true, Method::Pairs) => reach_frac[k].floor() as i64 + 1,
        });
        let axis_maps = [0, 1, 2].map(|k| {
            if method == Method::Bins {
                (-reach[k]..nbins[k] + reach[k])
                    .map(|t| axis(pbc[k], t, nbins[k]))
                    .collect()
            } else {
                Vec::new()
            }
        });
        Ok(Grid {
            method,
            cutoff2: cutoff * cutoff,
            pbc,
            nbins,
            reach,
            axis_maps,
            cols: [0, 1, 2].map(|k| to_cart.column(k).into_owned()),
            reach_frac,
            volume,
            frac,
            wrapped,
            soa,
            wrap,
            bin_of,
            images: ImageTable { bound },
            bin_starts,
            bin_atoms,
            bin_positions,
        })
    }

    /// Appends the neighbours of atom `i` to `out`.
    #[inline]
    fn collect<S: Sink>(&self, i: usize, half: bool, out: &mut S) {
        match self.method {
            Method::Bins => self.collect_bins(i, half, out),
            Method::Pairs => self.collect_pairs(i, half, out),
            Method::Nearest => self.collect_nearest(i, half, out),
        }
    }

    /// The image shift of entry (i, j) found at image `image` of the wrapped positions.
    #[inline(always)]
    fn shift(&self, i: usize, j: usize, image: [i64; 3]) -> [i32; 3] {
        let (wi, wj) = (self.wrap[i], self.wrap[j]);
        [
            (image[0] - i64::from(wj[0]) + i64::from(wi[0])) as i32,
            (image[1] - i64::from(wj[1]) + i64::from(wi[1])) as i32,
            (image[2] - i64::from(wj[2]) + i64::from(wi[2])) as i32,
        ]
    }

    fn collect_bins<S: Sink>(&self, i: usize, half: bool, out: &mut S) {
        let before = out.len();
        let ri = self.wrapped[i];
        let bi = self.bin_of[i];
        let [_, ny, nz] = self.nbins;
        let [rx, ry, rz] = self.reach;
        let [c0, c1, c2] = self.cols;
        let [mx, my, mz] = &self.axis_maps;
        for (ix, sx) in mx[bi[0] as usize..=(bi[0] + 2 * rx) as usize]
            .iter()
            .flatten()
            .copied()
        {
            let ox = c0 * sx as f64;
            for (iy, sy) in my[bi[1] as usize..=(bi[1] + 2 * ry) as usize]
                .iter()
                .flatten()
                .copied()
            {
                let oxy = ox + c1 * sy as f64;
                for (iz, sz) in mz[bi[2] as usize..=(bi[2] + 2 * rz) as usize]
                    .iter()
                    .flatten()
                    .copied()
                {
                    let image = [sx, sy, sz];
                    let base = (oxy + c2 * sz as f64) - ri;
                    let b = ((ix * ny + iy) * nz + iz) as usize;
                    let range = self.bin_starts[b]..self.bin_starts[b + 1];
                    for (&j, pj) in self.bin_atoms[range.clone()]
                        .iter()
                        .zip(&self.bin_positions[range])
                    {
                        let j = j as usize;
                        // A half list keeps (i, j) for i < j only (self-images aside), so
                        // the other half needs no distance at all.
                        if half && j < i {
                            continue;
                        }
                        let v = pj + base;
                        let d2 = v.norm_squared();
                        if d2 >= self.cutoff2 {
                            continue;
                        }
                        if j == i && image == [0, 0, 0] {
                            continue;
                        }
                        let shift = self.shift(i, j, image);
                        if half && !keep_in_half(i, j, shift) {
                            continue;
                        }
                        out.push(j as u32, self.images.index(image), shift, &v, d2);
                    }
                }
            }
        }
        out.end_atom(out.len() - before);
    }

    /// Images `m` along axis `k` with `|df + m| < reach_frac[k]` (only 0 when not periodic).
    #[inline(always)]
    fn images(&self, k: usize, df: f64) -> std::ops::Range<i64> {
        if self.pbc[k] {
            let r = self.reach_frac[k];
            -floor_i64(df + r)..floor_i64(r - df) + 1
        } else {
            0..1
        }
    }

    fn collect_pairs<S: Sink>(&self, i: usize, half: bool, out: &mut S) {
        let before = out.len();
        let fi = self.frac[i];
        let ri = self.wrapped[i];
        let [c0, c1, c2] = self.cols;
        let first = if half { i } else { 0 };
        for (j, (fj, pj)) in self.frac.iter().zip(&self.wrapped).enumerate().skip(first) {
            let df = fj - fi;
            let (xs, ys, zs) = (
                self.images(0, df.x),
                self.images(1, df.y),
                self.images(2, df.z),
            );
            let base = pj - ri;
            for sx in xs {
                let vx = base + c0 * sx as f64;
                for sy in ys.clone() {
                    let vxy = vx + c1 * sy as f64;
                    for sz in zs.clone() {
                        let v = vxy + c2 * sz as f64;
                        let d2 = v.norm_squared();
                        if d2 >= self.cutoff2 {
                            continue;
                        }
                        let image = [sx, sy, sz];
                        if j == i {
                            if image == [0, 0, 0] {
                                continue;
                            }
                            if half && !keep_in_half(i, j, self.shift(i, j, image)) {
                                continue;
                            }
                        }
                        let number = self.images.index(image);
                        out.push(j as u32, number, self.shift(i, j, image), &v, d2);
                    }
                }
            }
        }
        out.end_atom(out.len() - before);
    }

    /// [`Method::Nearest`]: the partners of atom i in blocks, each block's separations at
    /// the rounded image first (branch-free arithmetic the compiler vectorises), then the
    /// entries inside the cutoff taken out of the block.
    fn collect_nearest<S: Sink>(&self, i: usize, half: bool, out: &mut S) {
        let before = out.len();
        let n = self.frac.len();
        let [fa, fb, fc, wx, wy, wz] = &self.soa;
        let (fi, ri) = (self.frac[i], self.wrapped[i]);
        let [c0, c1, c2] = self.cols;
        // Only periodic axes take an image.
        let periodic = self.pbc.map(|p| if p { 1.0 } else { 0.0 });
        let first = if half { i + 1 } else { 0 };
        let mut start = first;
        // Cleared once per atom, not per block (per block it took 5 % of a build).
        let mut d2_block = [0.0; NEAREST_BLOCK];
        let mut image_block = [[0.0; 3]; NEAREST_BLOCK];
        while start < n {
            let end = (start + NEAREST_BLOCK).min(n);
            let len = end - start;
            // Every slice `len` long, so that the loop needs no bounds checks and vectorises.
            let (d2, image) = (&mut d2_block[..len], &mut image_block[..len]);
            let (fa, fb, fc) = (&fa[start..end], &fb[start..end], &fc[start..end]);
            let (wx, wy, wz) = (&wx[start..end], &wy[start..end], &wz[start..end]);
            for k in 0..len {
                let m = [
                    -round(fa[k] - fi.x) * periodic[0],
                    -round(fb[k] - fi.y) * periodic[1],
                    -round(fc[k] - fi.z) * periodic[2],
                ];
                let v = nearest_vector(Vector3::new(wx[k], wy[k], wz[k]) - ri, [c0, c1, c2], m);
                d2[k] = v.norm_squared();
                image[k] = m;
            }
            // Branch-free: every index is written, the count moves on for those inside.
            let mut inside = [0u8; NEAREST_BLOCK];
            let mut count = 0;
            for (k, &d2) in d2.iter().enumerate() {
                inside[count] = k as u8;
                count += usize::from(d2 < self.cutoff2 && start + k != i);
            }
            for &k in &inside[..count] {
                let (k, j) = (usize::from(k), start + usize::from(k));
                let m = image[k];
                let v = nearest_vector(self.wrapped[j] - ri, [c0, c1, c2], m);
                let m = m.map(|x| x as i64);
                out.push(
                    j as u32,
                    self.images.index(m),
                    self.shift(i, j, m),
                    &v,
                    d2[k],
                );
            }
            start = end;
        }
        out.end_atom(out.len() - before);
    }
}

/// `x` rounded to the nearest integer (ties to even), without a libm call, for |x| < 2⁵¹.
#[inline(always)]
fn round(x: f64) -> f64 {
    /// 1.5 · 2⁵²: adding it leaves no fraction bits.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    (x + SHIFTER) - SHIFTER
}

/// The separation `base + m₀a + m₁b + m₂c`, added in the same order as the pair search adds
/// its images (so the two searches give the same vectors to the last bit).
#[inline(always)]
fn nearest_vector(base: Vector3<f64>, cols: [Vector3<f64>; 3], m: [f64; 3]) -> Vector3<f64> {
    ((base + cols[0] * m[0]) + cols[1] * m[1]) + cols[2] * m[2]
}

/// Atoms per block of the nearest-image search (its separations live on the stack).
const NEAREST_BLOCK: usize = 64;

/// Maps an unbounded bin index `t` along an axis of `n` bins to (bin, periodic image).
fn axis(pbc: bool, t: i64, n: i64) -> Option<(i64, i64)> {
    if pbc {
        Some((t.rem_euclid(n), t.div_euclid(n)))
    } else if (0..n).contains(&t) {
        Some((t, 0))
    } else {
        None
    }
}

/// The half-list rule: keep (i, j, S) iff i < j, or i == j and S is lexicographically positive.
#[inline]
fn keep_in_half(i: usize, j: usize, shift: [i32; 3]) -> bool {
    match i.cmp(&j) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => {
            shift[0] > 0 || (shift[0] == 0 && (shift[1] > 0 || (shift[1] == 0 && shift[2] > 0)))
        }
    }
}

impl NeighborList {
    /// Options for a build with this cutoff (Å): full list, parallel for large systems.
    pub fn builder(cutoff: f64) -> NeighborListBuilder {
        NeighborListBuilder {
            cutoff,
            half: false,
            parallel: true,
            method: None,
        }
    }

    /// The full neighbour list of `structure`: all (j, image) within `cutoff` Å of each atom.
    pub fn build(structure: &Structure, cutoff: f64) -> Result<Self> {
        Self::builder(cutoff).build(structure)
    }

    /// The cutoff (Å).
    pub fn cutoff(&self) -> f64 {
        self.cutoff
    }

    /// True for a half list.
    pub fn is_half(&self) -> bool {
        self.half
    }

    /// Number of atoms.
    pub fn n_atoms(&self) -> usize {
        self.starts.len() - 1
    }

    /// Total number of entries.
    pub fn len(&self) -> usize {
        self.js.len()
    }

    /// True when no atom has a neighbour.
    pub fn is_empty(&self) -> bool {
        self.js.is_empty()
    }

    /// Entry range of atom `i`.
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.starts[i]..self.starts[i + 1]
    }

    /// The neighbours of atom `i`.
    pub fn neighbors(&self, i: usize) -> impl ExactSizeIterator<Item = Neighbor> + '_ {
        self.range(i).map(move |k| self.entry(k))
    }

    /// Entry `k` of the list.
    pub fn entry(&self, k: usize) -> Neighbor {
        Neighbor {
            j: self.js[k] as usize,
            shift: self.shifts[k],
            vector: self.vectors[k],
            distance: self.distances[k],
        }
    }

    /// Row starts (length n_atoms + 1).
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }
    /// Neighbour indices of all entries.
    pub fn indices(&self) -> &[u32] {
        &self.js
    }
    /// Image shifts of all entries.
    pub fn shifts(&self) -> &[[i32; 3]] {
        &self.shifts
    }
    /// Neighbour vectors of all entries (at build time).
    pub fn vectors(&self) -> &[Vector3<f64>] {
        &self.vectors
    }
    /// Distances of all entries (at build time).
    pub fn distances(&self) -> &[f64] {
        &self.distances
    }

    /// Number of neighbours of every atom.
    pub fn counts(&self) -> Vec<usize> {
        self.starts.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

/// A Verlet list for MD: a half list built at `cutoff + skin`, reused until some atom has moved
/// more than `skin / 2` since the last build (or the cell changed), then rebuilt.
///
/// Between rebuilds the caller computes pair vectors from current positions `r` as
/// `(r_j + s_j) − (r_i + s_i) + T[images[k]]`, where `s` are the [`VerletList::site_shifts`]
/// (the lattice translation that wrapped each atom into the cell at the last build) and `T`
/// the [`VerletList::image_vectors`]; [`VerletList::offset`] gives the whole offset of one
/// entry. Shifting each atom once per step keeps the per-entry data at 8 bytes (an index and
/// an image number): a 24-byte Cartesian offset per entry made MD stream ten megabytes per
/// step at 1620 atoms. Positions must not be re-wrapped between builds (keep them unwrapped,
/// as MD naturally does). A build keeps only what MD needs, in [`NeighborList`] order; the
/// full [`NeighborList`] of the build positions is made on demand by [`VerletList::list`].
#[derive(Debug, Clone)]
pub struct VerletList {
    cutoff: f64,
    skin: f64,
    starts: Vec<usize>,
    /// The entries of the last build, one sink per chunk of atoms (kept to be refilled).
    pool: Vec<Lean>,
    /// The chunks joined, when there are more than one.
    merged: Lean,
    image_vectors: Vec<Vector3<f64>>,
    site_shifts: Vec<Vector3<f64>>,
    full: std::sync::OnceLock<NeighborList>,
    reference: Vec<Vector3<f64>>,
    lattice: Lattice,
    pbc: [bool; 3],
    builds: usize,
}

impl VerletList {
    /// Builds the list for `structure`; `cutoff` is the interaction cutoff, `skin` the buffer.
    pub fn new(structure: &Structure, cutoff: f64, skin: f64) -> Result<Self> {
        if !(skin.is_finite() && skin >= 0.0) {
            return Err(Error::Neighbors(format!("skin {skin} Å must be ≥ 0")));
        }
        let mut v = VerletList {
            cutoff,
            skin,
            starts: Vec::new(),
            pool: Vec::new(),
            merged: Lean::default(),
            image_vectors: Vec::new(),
            site_shifts: Vec::new(),
            full: std::sync::OnceLock::new(),
            reference: Vec::new(),
            lattice: structure.lattice().clone(),
            pbc: structure.pbc(),
            builds: 0,
        };
        v.build(structure)?;
        Ok(v)
    }

    fn builder(&self) -> NeighborListBuilder {
        NeighborList::builder(self.cutoff + self.skin).half(true)
    }

    /// Builds the lean list, reusing the buffers of the previous build.
    fn build(&mut self, structure: &Structure) -> Result<()> {
        let builder = self.builder();
        let positions = structure.positions();
        let grid = builder.grid(structure.lattice(), positions, structure.pbc())?;
        let table = grid.images;
        if table.len() > MAX_IMAGE_TABLE {
            return Err(Error::Neighbors(format!(
                "cutoff {} Å with skin {} Å reaches {} periodic images of the cell \
                 (more than {MAX_IMAGE_TABLE})",
                self.cutoff,
                self.skin,
                table.len()
            )));
        }
        let to_cart = structure.lattice().frac_to_cart_matrix();
        self.image_vectors = table.vectors(to_cart);
        self.site_shifts.clear();
        self.site_shifts.extend(
            grid.wrap.iter().map(|w| {
                -(to_cart * Vector3::new(f64::from(w[0]), f64::from(w[1]), f64::from(w[2])))
            }),
        );
        builder.search(&grid, positions.len(), &mut self.pool);
        if self.pool.len() > 1 {
            join(&self.pool, &mut self.merged);
        }
        self.starts.clear();
        self.starts.reserve(positions.len() + 1);
        let mut total = 0;
        self.starts.push(0);
        for &c in self.pool.iter().flat_map(|c| &c.counts) {
            total += c;
            self.starts.push(total);
        }
        self.full = std::sync::OnceLock::new();
        self.reference.clear();
        self.reference.extend_from_slice(positions);
        if &self.lattice != structure.lattice() {
            self.lattice = structure.lattice().clone();
        }
        self.pbc = structure.pbc();
        self.builds += 1;
        Ok(())
    }

    /// Rebuilds if needed; returns whether it did.
    pub fn update(&mut self, structure: &Structure) -> Result<bool> {
        let limit = 0.25 * self.skin * self.skin;
        let moved = structure.lattice() != &self.lattice
            || structure.pbc() != self.pbc
            || structure.len() != self.reference.len()
            || structure
                .positions()
                .iter()
                .zip(&self.reference)
                .any(|(p, r)| (p - r).norm_squared() > limit);
        if moved {
            self.build(structure)?;
        }
        Ok(moved)
    }

    /// The interaction cutoff (Å).
    pub fn cutoff(&self) -> f64 {
        self.cutoff
    }
    /// The skin (Å).
    pub fn skin(&self) -> f64 {
        self.skin
    }
    /// The half [`NeighborList`] (at cutoff + skin) of the positions of the last build, with
    /// the same entries in the same order as [`VerletList::indices`]; built on the first call
    /// after each rebuild (MD needs only the indices, images and shifts).
    pub fn list(&self) -> &NeighborList {
        self.full.get_or_init(|| {
            // The same inputs already built once, so this cannot fail; stay panic-free anyway.
            self.builder()
                .build_from_parts(&self.lattice, &self.reference, self.pbc)
                .unwrap_or_else(|_| NeighborList {
                    cutoff: self.cutoff + self.skin,
                    half: true,
                    starts: vec![0; self.reference.len() + 1],
                    js: Vec::new(),
                    shifts: Vec::new(),
                    vectors: Vec::new(),
                    distances: Vec::new(),
                })
        })
    }
    /// Row starts (length n_atoms + 1): the neighbours of atom `i` are entries
    /// `starts[i]..starts[i + 1]`.
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }
    /// The entries of the last build in one piece.
    fn lean(&self) -> &Lean {
        match self.pool.as_slice() {
            [one] => one,
            _ => &self.merged,
        }
    }
    /// Neighbour index of every entry.
    pub fn indices(&self) -> &[u32] {
        &self.lean().js
    }
    /// Image number of every entry, an index into [`VerletList::image_vectors`].
    pub fn images(&self) -> &[u32] {
        &self.lean().images
    }
    /// The lattice translations (Cartesian, Å) that [`VerletList::images`] number.
    pub fn image_vectors(&self) -> &[Vector3<f64>] {
        &self.image_vectors
    }
    /// The lattice translation (Cartesian, Å) that wrapped each atom into the cell at the last
    /// build: a pair vector is `(r_j + s_j) − (r_i + s_i) + image_vectors[images[k]]`.
    pub fn site_shifts(&self) -> &[Vector3<f64>] {
        &self.site_shifts
    }
    /// The Cartesian offset `shift·L` of entry `k`, a neighbour of atom `i`: the pair vector
    /// is `r_j + offset − r_i` (equal, to rounding, to the shift of [`VerletList::list`]).
    /// `None` if `i` is not an atom or `k` not an entry.
    pub fn offset(&self, i: usize, k: usize) -> Option<Vector3<f64>> {
        let lean = self.lean();
        let j = *lean.js.get(k)? as usize;
        let image = self.image_vectors.get(*lean.images.get(k)? as usize)?;
        Some(image + self.site_shifts.get(j)? - self.site_shifts.get(i)?)
    }
    /// Total number of entries (pairs within cutoff + skin at the last build).
    pub fn len(&self) -> usize {
        self.lean().js.len()
    }
    /// True when no pair is listed.
    pub fn is_empty(&self) -> bool {
        self.lean().js.is_empty()
    }
    /// How many times the list has been built.
    pub fn builds(&self) -> usize {
        self.builds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Element;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    /// Brute force over a generous box of images: sorted (i, j, shift, distance).
    fn brute(s: &Structure, rc: f64) -> Vec<(usize, usize, [i32; 3], f64)> {
        let l = s.lattice();
        let w = l.perpendicular_widths();
        // Positions can be up to a couple of cells outside; widen the image range for that.
        let ext = |k: usize| {
            if s.pbc()[k] {
                (rc / w[k]).ceil() as i32 + 3
            } else {
                0
            }
        };
        let mut out = Vec::new();
        for i in 0..s.len() {
            for j in 0..s.len() {
                for a in -ext(0)..=ext(0) {
                    for b in -ext(1)..=ext(1) {
                        for c in -ext(2)..=ext(2) {
                            if i == j && a == 0 && b == 0 && c == 0 {
                                continue;
                            }
                            let off = l.to_cartesian(&Vector3::new(a as f64, b as f64, c as f64));
                            let d = (s.positions()[j] + off - s.positions()[i]).norm();
                            if d < rc {
                                out.push((i, j, [a, b, c], d));
                            }
                        }
                    }
                }
            }
        }
        out.sort_by_key(|x| (x.0, x.1, x.2));
        out
    }

    fn listed(nl: &NeighborList) -> Vec<(usize, usize, [i32; 3], f64)> {
        let mut out: Vec<_> = (0..nl.n_atoms())
            .flat_map(|i| nl.neighbors(i).map(move |n| (i, n.j, n.shift, n.distance)))
            .collect();
        out.sort_by_key(|x| (x.0, x.1, x.2));
        out
    }

    /// The smallest of the cell's three perpendicular widths (the proptests scale cutoffs by it).
    fn shortest_height(s: &Structure) -> f64 {
        s.lattice()
            .perpendicular_widths()
            .into_iter()
            .fold(f64::INFINITY, f64::min)
    }

    fn random_structure(params: [f64; 6], frac: &[[f64; 3]], pbc: [bool; 3]) -> Option<Structure> {
        let l = Lattice::from_parameters(
            params[0], params[1], params[2], params[3], params[4], params[5],
        )
        .ok()?;
        if l.perpendicular_widths()
            .iter()
            .any(|w| *w < 0.3 * params[0].min(params[1]).min(params[2]))
        {
            return None;
        }
        let li = Element::from_symbol("Li").unwrap();
        let pos = frac
            .iter()
            .map(|f| l.to_cartesian(&Vector3::new(f[0], f[1], f[2])))
            .collect();
        Structure::with_pbc(l, vec![li; frac.len()], pos, pbc).ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The list equals brute force for random triclinic cells, cutoffs up to 3× the
        /// shortest cell height, positions outside the cell, and mixed periodicity.
        #[test]
        fn equals_brute_force(
            a in 2.0f64..6.0, b in 2.0f64..6.0, c in 2.0f64..6.0,
            al in 60.0f64..120.0, be in 60.0f64..120.0, ga in 60.0f64..120.0,
            frac in proptest::collection::vec(proptest::array::uniform3(-1.5f64..2.5), 1..12),
            rc_factor in 0.1f64..3.0,
            pbc in proptest::array::uniform3(proptest::bool::weighted(0.8)),
        ) {
            let Some(s) = random_structure([a, b, c, al, be, ga], &frac, pbc) else { return Ok(()) };
            let rc = rc_factor * shortest_height(&s);
            let want = brute(&s, rc);
            for method in [None, Some(Method::Bins), Some(Method::Pairs), Some(Method::Nearest)] {
                let mut b = NeighborList::builder(rc);
                b.method = method;
                let nl = b.build(&s).unwrap();
                let got = listed(&nl);
                prop_assert_eq!(got.len(), want.len());
                for (g, w) in got.iter().zip(&want) {
                    prop_assert_eq!((g.0, g.1, g.2), (w.0, w.1, w.2));
                    prop_assert!((g.3 - w.3).abs() < 1e-9);
                }
                // The half list is exactly half of the full one, with the documented rule.
                let half = b.half(true).build(&s).unwrap();
                prop_assert_eq!(half.len() * 2, nl.len());
                for (i, j, sh, _) in listed(&half) {
                    prop_assert!(keep_in_half(i, j, sh));
                }
            }
        }

        /// Below half of every cell height, the vectorised nearest-image search gives the
        /// pair search's entries, in its order, to the last bit (vectors and distances).
        #[test]
        fn nearest_equals_pairs(
            a in 4.0f64..9.0, b in 4.0f64..9.0, c in 4.0f64..9.0,
            al in 60.0f64..120.0, be in 60.0f64..120.0, ga in 60.0f64..120.0,
            frac in proptest::collection::vec(proptest::array::uniform3(-1.5f64..2.5), 1..150),
            rc_factor in 0.05f64..0.4999,
            pbc in proptest::array::uniform3(proptest::bool::weighted(0.8)),
            half in proptest::bool::ANY,
        ) {
            let Some(s) = random_structure([a, b, c, al, be, ga], &frac, pbc) else { return Ok(()) };
            let rc = rc_factor * shortest_height(&s);
            let mut builder = NeighborList::builder(rc).half(half);
            builder.method = Some(Method::Nearest);
            let grid = builder.grid(s.lattice(), s.positions(), s.pbc()).unwrap();
            prop_assert_eq!(grid.method, Method::Nearest);
            let nearest = builder.build(&s).unwrap();
            builder.method = Some(Method::Pairs);
            let pairs = builder.build(&s).unwrap();
            prop_assert_eq!(&nearest, &pairs);
            let want = brute(&s, rc);
            prop_assert_eq!(NeighborList::builder(rc).build(&s).unwrap().len(), want.len());
        }

        /// The lean Verlet build holds the entries of the half list, in its order, with
        /// offsets `shift·L`.
        #[test]
        fn verlet_equals_half_list(
            a in 2.0f64..6.0, b in 2.0f64..6.0, c in 2.0f64..6.0,
            al in 70.0f64..110.0, be in 70.0f64..110.0, ga in 70.0f64..110.0,
            frac in proptest::collection::vec(proptest::array::uniform3(-1.5f64..2.5), 1..12),
            rc_factor in 0.1f64..2.0,
            skin in 0.0f64..1.0,
        ) {
            let Some(s) = random_structure([a, b, c, al, be, ga], &frac, [true; 3]) else { return Ok(()) };
            let rc = rc_factor * shortest_height(&s);
            let v = VerletList::new(&s, rc, skin).unwrap();
            let nl = v.list();
            let want = NeighborList::builder(rc + skin).half(true).build(&s).unwrap();
            prop_assert_eq!(nl, &want);
            prop_assert_eq!(v.starts(), nl.starts());
            prop_assert_eq!(v.indices(), nl.indices());
            prop_assert_eq!(v.len(), nl.len());
            for i in 0..s.len() {
                for k in nl.range(i) {
                    let sh = nl.shifts()[k];
                    let want = s.lattice().to_cartesian(&Vector3::new(sh[0] as f64, sh[1] as f64, sh[2] as f64));
                    prop_assert!((v.offset(i, k).unwrap() - want).norm() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn vectors_match_positions() {
        let s = random_structure(
            [4.0, 4.5, 5.0, 75.0, 100.0, 110.0],
            &[[0.1, 0.2, 0.3], [0.9, 0.8, 0.7], [1.3, -0.4, 0.5]],
            [true; 3],
        )
        .unwrap();
        let nl = NeighborList::build(&s, 7.0).unwrap();
        let l = s.lattice();
        for i in 0..s.len() {
            for n in nl.neighbors(i) {
                let sh = Vector3::new(n.shift[0] as f64, n.shift[1] as f64, n.shift[2] as f64);
                let v = s.positions()[n.j] + l.to_cartesian(&sh) - s.positions()[i];
                assert_relative_eq!(v, n.vector, epsilon = 1e-10);
            }
        }
    }

    #[test]
    fn large_system_parallel_equals_serial() {
        let l = Lattice::from_parameters(30.0, 31.0, 29.0, 85.0, 95.0, 100.0).unwrap();
        let mut state = 12345u64;
        let mut rnd = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let frac: Vec<Vector3<f64>> = (0..5000)
            .map(|_| Vector3::new(rnd(), rnd(), rnd()))
            .collect();
        let li = Element::from_symbol("Li").unwrap();
        let s = Structure::from_fractional(l, vec![li; 5000], &frac).unwrap();
        // Two threads even where the machine has one core, so that the chunks are joined.
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let p = two.install(|| NeighborList::builder(4.0).build(&s).unwrap());
        let q = NeighborList::builder(4.0)
            .parallel(false)
            .build(&s)
            .unwrap();
        assert_eq!(p, q);
        assert!(p.len() > 5000);
        // The Verlet build takes the same parallel path; a rebuild refills the chunks of the
        // previous one and must match a fresh build (atoms moved by whole cells and a bit).
        let mut v = two.install(|| VerletList::new(&s, 3.5, 0.5).unwrap());
        let h = NeighborList::builder(4.0).half(true).build(&s).unwrap();
        assert_eq!(v.indices(), h.indices());
        assert_eq!(v.starts(), h.starts());
        assert_eq!(v.list(), &h);
        let mut moved = s.clone();
        let cell = *s.lattice().frac_to_cart_matrix();
        for (k, p) in moved.positions_mut().iter_mut().enumerate() {
            let whole = Vector3::new((k % 3) as f64 - 1.0, (k % 5) as f64 - 2.0, 1.0);
            *p += cell * whole + Vector3::new(0.3, -0.2, 0.1) * (k % 7) as f64;
        }
        assert!(two.install(|| v.update(&moved)).unwrap());
        let fresh = VerletList::new(&moved, 3.5, 0.5).unwrap();
        let h = NeighborList::builder(4.0).half(true).build(&moved).unwrap();
        assert_eq!(v.indices(), h.indices());
        assert_eq!(v.indices(), fresh.indices());
        assert_eq!(v.images(), fresh.images());
        assert_eq!(v.starts(), h.starts());
        for i in [0, 1234, 4999] {
            for k in h.range(i) {
                let sh = h.shifts()[k].map(f64::from);
                let want = moved.lattice().to_cartesian(&Vector3::from(sh));
                assert!((v.offset(i, k).unwrap() - want).norm() < 1e-9);
            }
        }
    }

    #[test]
    fn verlet_rebuilds_after_half_skin() {
        let li = Element::from_symbol("Li").unwrap();
        let mut s = Structure::new(
            Lattice::cubic(6.0).unwrap(),
            vec![li, li],
            vec![Vector3::zeros(), Vector3::new(3.0, 0.0, 0.0)],
        )
        .unwrap();
        let mut v = VerletList::new(&s, 4.0, 1.0).unwrap();
        s.positions_mut()[0].x += 0.4;
        assert!(!v.update(&s).unwrap());
        s.positions_mut()[0].x += 0.2;
        assert!(v.update(&s).unwrap());
        assert_eq!(v.builds(), 2);
        assert!(VerletList::new(&s, 4.0, -1.0).is_err());
        assert!(NeighborList::build(&s, 0.0).is_err());
    }
}
