//! Structural features: the 21 structural columns of the paper plus `density`.
//!
//! All features are computed on one periodic cell (the paper: one MD snapshot of ~100 atoms)
//! from **one** full neighbour list at the bond cutoff r_c (default 4.0 Å, strict `d < r_c`,
//! every periodic image including images of the atom itself, so cells smaller than 2 r_c are
//! exact), shared by all features through [`StructureContext`]. Nearest-partner searches
//! (LLSD, LASD, AASD, AFC) and straight-line-path blockers beyond r_c use further lists built
//! on demand with growing cutoffs, so they are exact at any distance.
//!
//! ## Definitions
//!
//! * **Bond ionicity** of a pair: b_ij = |X_i − X_j| with Pauling X (pymatgen's table), *not*
//!   Pauling's ionic character 1 − exp(−ΔX²/4): the paper's LBI reaches 2.47 > 1 and every
//!   binary row of its table is reproduced with |ΔX|. Li–Li bonds count (b = 0).
//! * **Anion** A: see [`crate::Convention`] (Paper: alphabetically last symbol, Li included;
//!   Sendek: most electronegative non-Li element).
//! * **Effective radius** r_eff of a site (PF, SPF, SLPW, SLPE): the Cordero covalent radius
//!   (C 0.76, low-spin Mn/Fe/Co, as ASE/magpie), unless the site is *ionic* — its mean |ΔX| to
//!   its neighbours within r_c exceeds [`crate::Settings::ionic_threshold`] (2.0) — then the
//!   Shannon crystal radius of its common ion (Li⁺ 0.90, O²⁻ 1.26, F⁻ 1.19 Å, CN VI). Sources:
//!   the paper's PF·AAV is temperature-independent for 193/207 formulas only with these
//!   covalent radii, and Li switches to 0.90 Å only in strongly ionic cells (LiPF6). The
//!   threshold is inferred, not published. A site without neighbours, or an element without
//!   a common ion, keeps its covalent radius.
//!
//! | column | definition | unit | undefined when |
//! | --- | --- | --- | --- |
//! | `AAV` | V / N | Å³/atom | never |
//! | `LNC` | mean over Li of the number of neighbours (any species) | 1 | no Li |
//! | `SDLC` | population std (ddof 0) of that count over Li | 1 | no Li |
//! | `LLB` | mean over Li of the number of Li neighbours (each Li–Li pair counted from both ends) | 1 | no Li |
//! | `SNC` | mean over non-Li of the number of neighbours (any species) | 1 | no non-Li |
//! | `RNC` | LNC / SNC | 1 | either undefined |
//! | `LBI` | Paper: Σ_{Li bonds} b / (N_b − 1); Sendek: / N_b. N_b = Σ_Li neighbour counts | 1 | no Li; N_b = 0 (`NoBonds`); Paper N_b = 1 (`TooFewBonds`) |
//! | `SDLI` | Paper: √(Σ(b − LBI)² / (N_b − 1)) around the Paper LBI; Sendek: around the true mean | 1 | as LBI; N_b = 1 |
//! | `SBI` | Σ_{non-Li bonds} b / N_s (no −1 in either convention) | 1 | no non-Li; N_s = 0 |
//! | `RBI` | LBI / SBI (inherits LBI's N − 1 in Paper) | 1 | either undefined; SBI = 0 |
//! | `ENS` | mean X over non-Li sites (equals the composition's X̄⁻ᴸⁱ) | 1 | no non-Li |
//! | `VPA` | V / n_A | Å³ | no anion |
//! | `LASD` | mean over Li of the distance to the nearest A site (other than itself; any image) | Å | no Li; no anion; no partner |
//! | `LLSD` | mean over Li of the distance to the nearest other Li site (images of itself count) | Å | no Li; no partner |
//! | `AASD` | mean over A of r0(a), the distance to the nearest other A site | Å | no anion; no partner |
//! | `AFC` | mean over A of the number of A sites with r0(a) ≤ d ≤ r0(a) + 1.0 Å (per-anion shell, as both public Sendek re-implementations; a global r0 gives far smaller values than the paper) | 1 | as AASD |
//! | `PF` | Σ_all (4/3)π r_eff³ / V — a plain sum, no overlap removal (the paper's PF·AAV is exactly temperature-independent, which Monte Carlo union volumes would not be) | 1 | never (missing radii aside) |
//! | `SPF` | Σ_{non-Li} (4/3)π r_eff³ / V, over the whole cell (the data contradict the text's "near a central Li") | 1 | never |
//! | `SLPW` | mean over Li paths of w = min_k (d_k − r_eff(k)) | Å (may be negative) | no Li; no partner; no path has a blocker |
//! | `SLPW_pp` | mean over Li paths of c = min_k d_k (centre-to-path, no radius) | Å | as SLPW |
//! | `SLPE` | mean over Li paths of X of the blocker (argmin of w) | 1 | as SLPW |
//! | `density` | total mass / V (Table 1 only; not a column of the paper's file) | g/cm³ | never |
//!
//! **Straight-line paths**: exactly one per Li i, from i to its nearest other Li j* (any image;
//! ties broken by the neighbour vector, so the choice does not depend on atom order). For every
//! other site k (all images; the two end atoms excluded) whose orthogonal projection falls
//! strictly inside the segment (0 < t < 1 with a 1e-9 margin), d_k is its distance to the
//! segment. Sites projecting outside the segment do not count (the natural reading of
//! "path width"; it matches the public re-implementation's 90° test). Paths without any such
//! site are skipped; if none is left the three features are [`Undefined::NoPathBlocker`].
//!
//! The paper's SLPE is reproduced exactly on all 123 binary rows by this one-path-per-Li rule.

use crate::composition::{by_atomic_number, lithium, property};
use crate::error::{FeatureError, Property, Result};
use crate::settings::{Convention, Settings};
use crate::value::{FeatureValue, Undefined, finite};
use amorph_core::{Composition, Element, NeighborList, Structure};
use nalgebra::Vector3;
use std::sync::{Arc, Mutex};

/// Distances closer than this are ties (Å); also the shell-edge tolerance of AFC.
const TIE: f64 = 1e-9;
/// Margin on the path parameter t for "strictly inside the segment".
const INSIDE: f64 = 1e-9;
/// First cutoff (Å) of the nearest-partner searches.
const SEARCH_START: f64 = 6.0;

/// A structure prepared for featurization: its composition and a cache of neighbour lists
/// (one per cutoff), shared by every featurizer run on it.
#[derive(Debug)]
pub struct StructureContext<'a> {
    structure: &'a Structure,
    composition: Composition,
    lists: Mutex<Vec<(f64, Arc<NeighborList>)>>,
}

impl<'a> StructureContext<'a> {
    /// Wraps a structure. Fails on an empty structure ([`FeatureError::EmptyStructure`]).
    pub fn new(structure: &'a Structure) -> Result<Self> {
        if structure.is_empty() {
            return Err(FeatureError::EmptyStructure);
        }
        Ok(StructureContext {
            structure,
            composition: structure.composition()?,
            lists: Mutex::new(Vec::new()),
        })
    }

    /// The structure.
    pub fn structure(&self) -> &'a Structure {
        self.structure
    }

    /// Its composition (element counts).
    pub fn composition(&self) -> &Composition {
        &self.composition
    }

    /// The full neighbour list at `cutoff`, built once and cached.
    pub fn neighbors(&self, cutoff: f64) -> Result<Arc<NeighborList>> {
        let mut lists = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, l)) = lists.iter().find(|(c, _)| *c == cutoff) {
            return Ok(Arc::clone(l));
        }
        let l = Arc::new(NeighborList::build(self.structure, cutoff)?);
        lists.push((cutoff, Arc::clone(&l)));
        Ok(l)
    }
}

/// Lexicographic order of two vectors with a tolerance: the tie-breaker that makes "the
/// nearest" independent of atom order.
fn vec_less(a: &Vector3<f64>, b: &Vector3<f64>) -> bool {
    for k in 0..3 {
        if a[k] < b[k] - TIE {
            return true;
        }
        if a[k] > b[k] + TIE {
            return false;
        }
    }
    false
}

/// `true` when (d, v) beats the current best.
fn closer(d: f64, v: &Vector3<f64>, best: Option<&(f64, Vector3<f64>)>) -> bool {
    match best {
        None => true,
        Some((bd, bv)) => d < bd - TIE || ((d - bd).abs() <= TIE && vec_less(v, bv)),
    }
}

/// The nearest partner of a query atom.
#[derive(Debug, Clone, Copy)]
struct Nearest {
    distance: f64,
    vector: Vector3<f64>,
    /// The partner atom.
    j: usize,
    /// Partners with distance ≤ distance + shell (when a shell was asked for).
    shell_count: usize,
}

/// An upper bound (Å) on any distance worth searching in this cell.
fn search_limit(s: &Structure) -> f64 {
    let lengths: f64 = s.lattice().lengths().iter().sum();
    let (mut lo, mut hi) = (
        Vector3::repeat(f64::INFINITY),
        Vector3::repeat(f64::NEG_INFINITY),
    );
    for p in s.positions() {
        lo = lo.inf(p);
        hi = hi.sup(p);
    }
    lengths + (hi - lo).norm()
}

/// What one neighbour list says about one query.
enum Resolution {
    /// The answer is certain.
    Done(Nearest),
    /// A target was seen, but the list must reach this far to be sure (shell counts).
    Need(f64),
    /// No target within the list's cutoff.
    Nothing,
}

/// Looks for the nearest target of list row `row` (`global` maps list indices to atoms).
fn resolve(
    nl: &NeighborList,
    row: usize,
    global: impl Fn(usize) -> usize,
    is_target: &[bool],
    shell: Option<f64>,
) -> Resolution {
    let (starts, idx, dist, vecs) = (nl.starts(), nl.indices(), nl.distances(), nl.vectors());
    let range = starts[row]..starts[row + 1];
    let mut best: Option<(f64, Vector3<f64>, usize)> = None;
    for k in range.clone() {
        let j = global(idx[k] as usize);
        if is_target[j]
            && closer(
                dist[k],
                &vecs[k],
                best.as_ref().map(|b| (b.0, b.1)).as_ref(),
            )
        {
            best = Some((dist[k], vecs[k], j));
        }
    }
    let sh = shell.unwrap_or(0.0);
    match best {
        None => Resolution::Nothing,
        Some((d, v, j)) if shell.is_none() || d + sh + TIE < nl.cutoff() => {
            let shell_count = if shell.is_some() {
                range
                    .filter(|&k| is_target[global(idx[k] as usize)] && dist[k] <= d + sh + TIE)
                    .count()
            } else {
                0
            };
            Resolution::Done(Nearest {
                distance: d,
                vector: v,
                j,
                shell_count,
            })
        }
        Some((d, _, _)) => Resolution::Need((d + sh) * 1.01 + 2.0 * TIE),
    }
}

/// For each query atom, its nearest target atom (other than itself at zero distance) and, with
/// `shell`, the number of targets within `[r0, r0 + shell]`. The structure's bond list
/// `primary` answers most queries; the rest are searched in lists of the query and target
/// atoms only, with growing cutoffs, so the answer is exact at any distance.
fn nearest_search(
    s: &Structure,
    primary: &NeighborList,
    queries: &[usize],
    is_target: &[bool],
    shell: Option<f64>,
) -> Result<Vec<Option<Nearest>>> {
    let n = s.len();
    let mut out: Vec<Option<Nearest>> = vec![None; queries.len()];
    let mut pending: Vec<usize> = Vec::new();
    let mut needed: f64 = 0.0;
    for (qi, &q) in queries.iter().enumerate() {
        match resolve(primary, q, |j| j, is_target, shell) {
            Resolution::Done(r) => out[qi] = Some(r),
            Resolution::Need(c) => {
                needed = needed.max(c);
                pending.push(qi);
            }
            Resolution::Nothing => pending.push(qi),
        }
    }
    if pending.is_empty() {
        return Ok(out);
    }
    let mut local = vec![usize::MAX; n];
    let mut subset = Vec::new();
    let mut is_query = vec![false; n];
    for &qi in &pending {
        is_query[queries[qi]] = true;
    }
    for i in 0..n {
        if is_query[i] || is_target[i] {
            local[i] = subset.len();
            subset.push(i);
        }
    }
    let positions: Vec<Vector3<f64>> = subset.iter().map(|&i| s.positions()[i]).collect();
    let limit = search_limit(s) + shell.unwrap_or(0.0) + SEARCH_START;
    let mut cutoff = SEARCH_START
        .max(needed)
        .max(primary.cutoff() * 1.5)
        .min(limit);
    loop {
        let nl =
            NeighborList::builder(cutoff).build_from_parts(s.lattice(), &positions, s.pbc())?;
        let mut still = Vec::new();
        needed = 0.0;
        for &qi in &pending {
            match resolve(&nl, local[queries[qi]], |j| subset[j], is_target, shell) {
                Resolution::Done(r) => out[qi] = Some(r),
                Resolution::Need(c) => {
                    needed = needed.max(c);
                    still.push(qi);
                }
                Resolution::Nothing => still.push(qi),
            }
        }
        pending = still;
        if pending.is_empty() || cutoff >= limit {
            return Ok(out);
        }
        cutoff = (cutoff * 2.0).max(needed).min(limit);
    }
}

/// The three numbers of one Li–Li straight-line path.
#[derive(Debug, Clone, Copy)]
struct PathResult {
    /// min_k (d_k − r_eff(k)).
    width: f64,
    /// min_k d_k.
    centre: f64,
    /// X of the argmin of the width.
    blocker_x: f64,
    /// Neighbour vector of the blocker (tie-breaker).
    blocker_vector: Vector3<f64>,
}

/// Scans one candidate site for the path `v` (from the Li at the origin).
fn scan_path(
    u: &Vector3<f64>,
    v: &Vector3<f64>,
    l2: f64,
    radius: f64,
    x: f64,
    best: &mut Option<PathResult>,
) {
    if (u - v).norm_squared() < TIE * TIE {
        return; // the end atom
    }
    let t = u.dot(v) / l2;
    if t <= INSIDE || t >= 1.0 - INSIDE {
        return;
    }
    let d = (u - v * t).norm();
    let w = d - radius;
    match best {
        None => {
            *best = Some(PathResult {
                width: w,
                centre: d,
                blocker_x: x,
                blocker_vector: *u,
            })
        }
        Some(b) => {
            if w < b.width - TIE || ((w - b.width).abs() <= TIE && vec_less(u, &b.blocker_vector)) {
                b.width = w;
                b.blocker_x = x;
                b.blocker_vector = *u;
            }
            b.centre = b.centre.min(d);
        }
    }
}

/// List cutoff around both end atoms that makes `best` provably the minimum: any site closer
/// than `bound` to the path lies within √(bound² + L²/4) of one end.
fn radius_needed(best: &Option<PathResult>, r_max: f64, l2: f64) -> f64 {
    match best {
        None => f64::INFINITY,
        Some(b) => {
            let bound = (b.width + r_max).max(b.centre).max(0.0);
            (bound * bound + 0.25 * l2).sqrt()
        }
    }
}

/// Per-site data needed by the features.
struct Sites {
    is_li: Vec<bool>,
    /// Pauling X per site, or the first element without one.
    x: std::result::Result<Vec<f64>, Undefined>,
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut s, mut n) = (0.0, 0usize);
    for x in v {
        s += x;
        n += 1;
    }
    (n > 0).then(|| s / n as f64)
}

/// Effective radius of every site (see the module docs).
fn effective_radii(
    s: &Structure,
    nl: &NeighborList,
    x: &[f64],
    threshold: Option<f64>,
) -> std::result::Result<Vec<f64>, Undefined> {
    let species = s.species();
    let (starts, idx) = (nl.starts(), nl.indices());
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        let cov = property(species[i], Property::CovalentRadius)?;
        let mut r = cov;
        if let Some(t) = threshold {
            let n = starts[i + 1] - starts[i];
            if n > 0 {
                let m = idx[starts[i]..starts[i + 1]]
                    .iter()
                    .map(|&j| (x[i] - x[j as usize]).abs())
                    .sum::<f64>()
                    / n as f64;
                if m > t
                    && let Some((_, ionic)) = species[i].data().common_ion
                    && ionic > 0.0
                {
                    r = ionic;
                }
            }
        }
        out.push(r);
    }
    Ok(out)
}

/// The anion species of `composition` under `convention`.
pub fn anion(
    composition: &Composition,
    convention: Convention,
) -> std::result::Result<Element, Undefined> {
    let li = lithium();
    let amounts = by_atomic_number(composition);
    match convention {
        Convention::Paper => amounts
            .iter()
            .map(|(e, _)| *e)
            .max_by(|a, b| a.symbol().cmp(b.symbol()))
            .ok_or(Undefined::NoAnion),
        Convention::Sendek => {
            let mut best: Option<(f64, Element)> = None;
            for &(e, _) in &amounts {
                if e == li {
                    continue;
                }
                let xe = property(e, Property::Electronegativity)?;
                let better = match best {
                    None => true,
                    Some((bx, be)) => xe > bx || (xe == bx && e.symbol() < be.symbol()),
                };
                if better {
                    best = Some((xe, e));
                }
            }
            best.map(|(_, e)| e).ok_or(Undefined::NoAnion)
        }
    }
}

/// The 22 structural values, in the order of [`crate::names::STRUCTURE_COLUMNS`] followed by
/// `density`. Missing element data are [`Undefined::MissingData`] here.
pub fn structure_features(
    ctx: &StructureContext<'_>,
    settings: &Settings,
) -> Result<Vec<FeatureValue>> {
    settings.validate()?;
    let s = ctx.structure();
    let n = s.len();
    if n == 0 {
        return Err(FeatureError::EmptyStructure);
    }
    let volume = s.volume();
    let li = lithium();
    let species = s.species();
    let nl = ctx.neighbors(settings.cutoff)?;
    let (starts, idx) = (nl.starts(), nl.indices());

    let sites = Sites {
        is_li: species.iter().map(|&e| e == li).collect(),
        x: species
            .iter()
            .map(|&e| property(e, Property::Electronegativity))
            .collect(),
    };
    let is_li = &sites.is_li;
    let li_sites: Vec<usize> = (0..n).filter(|&i| is_li[i]).collect();
    let n_li = li_sites.len();
    let n_other = n - n_li;

    // --- coordination --------------------------------------------------------------------
    let count = |i: usize| starts[i + 1] - starts[i];
    let li_counts: Vec<f64> = li_sites.iter().map(|&i| count(i) as f64).collect();
    let lnc = mean(li_counts.iter().copied()).ok_or(Undefined::NoLithium);
    let sdlc = lnc
        .map(|m| (li_counts.iter().map(|c| (c - m) * (c - m)).sum::<f64>() / n_li as f64).sqrt());
    let llb = mean(li_sites.iter().map(|&i| {
        idx[starts[i]..starts[i + 1]]
            .iter()
            .filter(|&&j| is_li[j as usize])
            .count() as f64
    }))
    .ok_or(Undefined::NoLithium);
    let snc =
        mean((0..n).filter(|&i| !is_li[i]).map(|i| count(i) as f64)).ok_or(Undefined::NoNonLithium);
    let rnc = lnc.and_then(|a| finite(a / snc?));

    // --- ionicity ------------------------------------------------------------------------
    let x = sites.x.as_deref().map_err(|e| *e);
    let li_bonds: std::result::Result<Vec<f64>, Undefined> = x.and_then(|x| {
        if n_li == 0 {
            return Err(Undefined::NoLithium);
        }
        Ok(li_sites
            .iter()
            .flat_map(|&i| {
                idx[starts[i]..starts[i + 1]]
                    .iter()
                    .map(move |&j| (x[i] - x[j as usize]).abs())
            })
            .collect())
    });
    let (lbi, sdli) = match &li_bonds {
        Err(e) => (Err(*e), Err(*e)),
        Ok(b) if b.is_empty() => (Err(Undefined::NoBonds), Err(Undefined::NoBonds)),
        Ok(b) if b.len() == 1 => (
            match settings.convention {
                Convention::Paper => Err(Undefined::TooFewBonds),
                Convention::Sendek => Ok(b[0]),
            },
            Err(Undefined::TooFewBonds),
        ),
        Ok(b) => {
            let nb = b.len() as f64;
            let sum: f64 = b.iter().sum();
            let (lbi, centre) = match settings.convention {
                Convention::Paper => (sum / (nb - 1.0), sum / (nb - 1.0)),
                Convention::Sendek => (sum / nb, sum / nb),
            };
            let ss: f64 = b.iter().map(|v| (v - centre) * (v - centre)).sum();
            (finite(lbi), finite((ss / (nb - 1.0)).sqrt()))
        }
    };
    let sbi = x.and_then(|x| {
        if n_other == 0 {
            return Err(Undefined::NoNonLithium);
        }
        let (mut sum, mut nb) = (0.0, 0usize);
        for i in (0..n).filter(|&i| !is_li[i]) {
            for &j in &idx[starts[i]..starts[i + 1]] {
                sum += (x[i] - x[j as usize]).abs();
                nb += 1;
            }
        }
        if nb == 0 {
            Err(Undefined::NoBonds)
        } else {
            finite(sum / nb as f64)
        }
    });
    let rbi = lbi.and_then(|a| finite(a / sbi?));
    let ens = x.and_then(|x| {
        mean((0..n).filter(|&i| !is_li[i]).map(|i| x[i])).ok_or(Undefined::NoNonLithium)
    });

    // --- anion framework -----------------------------------------------------------------
    let a_el = anion(ctx.composition(), settings.convention);
    let (afc, aasd, vpa, lasd) = match a_el {
        Err(e) => (
            Err(e),
            Err(e),
            Err(e),
            if n_li == 0 {
                Err(Undefined::NoLithium)
            } else {
                Err(e)
            },
        ),
        Ok(a) => {
            let is_a: Vec<bool> = species.iter().map(|&e| e == a).collect();
            let a_sites: Vec<usize> = (0..n).filter(|&i| is_a[i]).collect();
            let vpa = finite(volume / a_sites.len() as f64);
            let aa = nearest_search(s, &nl, &a_sites, &is_a, Some(settings.afc_shell))?;
            let found: Vec<Nearest> = aa.iter().flatten().copied().collect();
            let (aasd, afc) = if found.is_empty() {
                (Err(Undefined::NoPartner), Err(Undefined::NoPartner))
            } else {
                let k = found.len() as f64;
                (
                    Ok(found.iter().map(|f| f.distance).sum::<f64>() / k),
                    Ok(found.iter().map(|f| f.shell_count as f64).sum::<f64>() / k),
                )
            };
            let lasd = if n_li == 0 {
                Err(Undefined::NoLithium)
            } else {
                let la = nearest_search(s, &nl, &li_sites, &is_a, None)?;
                mean(la.iter().flatten().map(|f| f.distance)).ok_or(Undefined::NoPartner)
            };
            (afc, aasd, vpa, lasd)
        }
    };

    // --- Li–Li separation and straight-line paths ----------------------------------------
    let ll = if n_li > 0 {
        nearest_search(s, &nl, &li_sites, is_li, None)?
    } else {
        Vec::new()
    };
    let llsd = if n_li == 0 {
        Err(Undefined::NoLithium)
    } else {
        mean(ll.iter().flatten().map(|f| f.distance)).ok_or(Undefined::NoPartner)
    };

    // --- packing ---------------------------------------------------------------------------
    let radii = x.and_then(|x| effective_radii(s, &nl, x, settings.ionic_threshold));
    let sphere = |r: f64| 4.0 / 3.0 * std::f64::consts::PI * r * r * r;
    let pf = radii
        .as_ref()
        .map_err(|e| *e)
        .and_then(|r| finite(r.iter().map(|&r| sphere(r)).sum::<f64>() / volume));
    let spf = radii.as_ref().map_err(|e| *e).and_then(|r| {
        finite(
            (0..n)
                .filter(|&i| !is_li[i])
                .map(|i| sphere(r[i]))
                .sum::<f64>()
                / volume,
        )
    });

    let paths: std::result::Result<Vec<PathResult>, Undefined> = (|| {
        if n_li == 0 {
            return Err(Undefined::NoLithium);
        }
        let x = x?;
        let r = radii.as_ref().map_err(|e| *e)?;
        if ll.iter().all(|f| f.is_none()) {
            return Err(Undefined::NoPartner);
        }
        let r_max = r.iter().copied().fold(0.0, f64::max);
        // Scans the rows of both end atoms: a site unseen from both ends (distance ≥ r_c from
        // each) lies at least √(r_c² − L²/4) from the path.
        let scan = |list: &NeighborList, q: usize| -> (Option<PathResult>, f64) {
            let (ls, li_, lv) = (list.starts(), list.indices(), list.vectors());
            let Some(end) = ll[q] else {
                return (None, 0.0);
            };
            let (i, v) = (li_sites[q], end.vector);
            let l2 = v.norm_squared();
            let mut best = None;
            for k in ls[i]..ls[i + 1] {
                let j = li_[k] as usize;
                scan_path(&lv[k], &v, l2, r[j], x[j], &mut best);
            }
            for k in ls[end.j]..ls[end.j + 1] {
                let j = li_[k] as usize;
                scan_path(&(v + lv[k]), &v, l2, r[j], x[j], &mut best);
            }
            let need = radius_needed(&best, r_max, l2);
            (best, need)
        };
        let mut pending: Vec<(usize, f64)> = Vec::new();
        let mut results: Vec<Option<PathResult>> = (0..n_li)
            .map(|q| {
                let (best, need) = scan(&nl, q);
                if need > settings.cutoff {
                    pending.push((q, need));
                }
                best
            })
            .collect();
        // Rare: blockers possibly beyond the bond cutoff: widen the search until exact.
        let limit = search_limit(s) + settings.cutoff;
        let mut cutoff = settings.cutoff;
        while !pending.is_empty() && cutoff < limit {
            let want = pending.iter().map(|p| p.1).fold(0.0, f64::max);
            // Grow to what the best candidates so far require (a modest step), or double
            // when some path has no candidate at all yet.
            cutoff = if want.is_finite() {
                want.max(cutoff * 1.25)
            } else {
                cutoff * 2.0
            }
            .min(limit)
                * (1.0 + 1e-9);
            let wide = ctx
                .neighbors(cutoff)
                .map_err(|_| Undefined::NoPathBlocker)?;
            let mut still = Vec::new();
            for &(q, _) in &pending {
                let (best, need) = scan(&wide, q);
                results[q] = best;
                if need > cutoff {
                    still.push((q, need));
                }
            }
            pending = still;
        }
        let found: Vec<PathResult> = results.into_iter().flatten().collect();
        if found.is_empty() {
            Err(Undefined::NoPathBlocker)
        } else {
            Ok(found)
        }
    })();
    let path_mean = |f: fn(&PathResult) -> f64| -> FeatureValue {
        match &paths {
            Err(e) => Err(*e),
            Ok(p) => finite(p.iter().map(f).sum::<f64>() / p.len() as f64),
        }
    };
    let slpw = path_mean(|p| p.width);
    let slpw_pp = path_mean(|p| p.centre);
    let slpe = path_mean(|p| p.blocker_x);

    let aav = finite(volume / n as f64);
    let density = finite(s.density_g_cm3());
    Ok(vec![
        aav, lbi, sdli, sbi, ens, rbi, afc, aasd, vpa, lasd, llsd, lnc, sdlc, llb, snc, rnc, pf,
        spf, slpw, slpw_pp, slpe, density,
    ])
}
