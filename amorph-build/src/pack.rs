//! Random packing with a true periodic minimum distance.

use crate::{BuildError, MAX_ATOMS, Result};
use amorph_core::rng::{PackingRng, packing_rng_from_seed};
use amorph_core::{Element, Lattice, NeighborList, Structure};
use nalgebra::Vector3;
use rand::RngExt;

/// Options of [`pack`].
#[derive(Debug, Clone, PartialEq)]
pub struct PackOptions {
    /// Minimum distance between any two atoms, periodic images included (Å). Default 2.0,
    /// PACKMOL's `tolerance` in mpmorph and atomate2.
    pub min_distance: f64,
    /// Seed of the random number generator ([`amorph_core::rng::PackingRng`]); the same seed
    /// gives the same cell.
    pub seed: u64,
    /// Random trial positions per atom during insertion (default 64).
    pub insertion_trials: usize,
    /// Overlap-removal sweeps before giving up (default 5000).
    pub max_iterations: usize,
}

impl Default for PackOptions {
    fn default() -> Self {
        PackOptions {
            min_distance: 2.0,
            seed: 1,
            insertion_trials: 64,
            max_iterations: 5000,
        }
    }
}

/// Packs `counts` atoms (species, number) randomly into `lattice` so that every pair of atoms,
/// through the periodic boundaries, is at least `min_distance` apart.
///
/// Atoms are inserted one by one at the best of `insertion_trials` random positions (the first
/// that clears every neighbour is taken); when the cell is too crowded for that, remaining
/// overlaps are removed by sweeps that push every too-close pair apart symmetrically, the idea
/// behind PACKMOL's overlap-penalty minimisation, on the periodic cell itself. The species order
/// of the result follows `counts`.
pub fn pack(
    counts: &[(Element, usize)],
    lattice: Lattice,
    options: &PackOptions,
) -> Result<Structure> {
    let d = options.min_distance;
    if !(d.is_finite() && d > 0.0) {
        return Err(BuildError::Invalid(format!(
            "minimum distance {d} Å must be positive"
        )));
    }
    let n = counts
        .iter()
        .try_fold(0usize, |sum, c| sum.checked_add(c.1))
        .unwrap_or(usize::MAX);
    if n == 0 {
        return Err(BuildError::Invalid("no atoms to pack".into()));
    }
    if n > MAX_ATOMS {
        return Err(BuildError::Invalid(format!(
            "{n} atoms is more than amorph builds (at most {MAX_ATOMS})"
        )));
    }
    let hmin = lattice
        .perpendicular_widths()
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    if n > 1 && d >= hmin {
        return Err(BuildError::Invalid(format!(
            "minimum distance {d} Å does not fit in a cell {hmin:.3} Å thick: atoms would touch \
             their own periodic images"
        )));
    }
    let species: Vec<Element> = counts
        .iter()
        .flat_map(|&(e, c)| std::iter::repeat_n(e, c))
        .collect();
    let mut rng = packing_rng_from_seed(options.seed);
    let mut frac: Vec<Vector3<f64>> = Vec::with_capacity(n);
    let d2 = d * d;
    let mut grid = InsertionGrid::new(&lattice, d);
    for _ in 0..n {
        let mut best = Vector3::zeros();
        let mut best_d2 = -1.0;
        for _ in 0..options.insertion_trials.max(1) {
            let f = Vector3::new(
                rng.random::<f64>(),
                rng.random::<f64>(),
                rng.random::<f64>(),
            );
            // Distances beyond d do not matter for the choice: the grid reports min(d², m²).
            let m2 = grid.closest2(&lattice, &frac, &f, d2);
            if m2 > best_d2 {
                best_d2 = m2;
                best = f;
            }
            if m2 >= d2 {
                break;
            }
        }
        grid.insert(frac.len(), &best);
        frac.push(best);
    }
    let positions: Vec<Vector3<f64>> = frac.iter().map(|f| lattice.to_cartesian(f)).collect();
    let mut s = Structure::new(lattice, species, positions)?;
    relax_overlaps(&mut s, options, &mut rng)?;
    s.wrap();
    Ok(s)
}

/// Placed atoms binned in fractional coordinates with bins at least `d` thick, so that the
/// neighbours within `d` of a trial point lie in the 27 surrounding bins (with fewer than 3 bins
/// along an axis every bin along it is scanned once).
struct InsertionGrid {
    nb: [usize; 3],
    bins: Vec<Vec<usize>>,
}

impl InsertionGrid {
    fn new(lattice: &Lattice, d: f64) -> Self {
        let w = lattice.perpendicular_widths();
        let nb = [0, 1, 2].map(|k| ((w[k] / d).floor() as usize).clamp(1, 64));
        InsertionGrid {
            nb,
            bins: vec![Vec::new(); nb[0] * nb[1] * nb[2]],
        }
    }

    fn bin(&self, f: &Vector3<f64>) -> [usize; 3] {
        [0, 1, 2].map(|k| ((f[k] * self.nb[k] as f64) as usize).min(self.nb[k] - 1))
    }

    fn insert(&mut self, i: usize, f: &Vector3<f64>) {
        let [a, b, c] = self.bin(f);
        self.bins[(a * self.nb[1] + b) * self.nb[2] + c].push(i);
    }

    /// min(cap, squared periodic distance from `f` to the closest placed atom).
    fn closest2(
        &self,
        lattice: &Lattice,
        frac: &[Vector3<f64>],
        f: &Vector3<f64>,
        cap: f64,
    ) -> f64 {
        let b = self.bin(f);
        let offsets = |k: usize| -> Vec<usize> {
            let n = self.nb[k];
            if n < 3 {
                (0..n).collect()
            } else {
                vec![(b[k] + n - 1) % n, b[k], (b[k] + 1) % n]
            }
        };
        let mut m2 = cap;
        for x in offsets(0) {
            for y in offsets(1) {
                for z in offsets(2) {
                    for &j in &self.bins[(x * self.nb[1] + y) * self.nb[2] + z] {
                        let v =
                            lattice.minimum_image(&lattice.to_cartesian(&(f - frac[j])), [true; 3]);
                        m2 = m2.min(v.norm_squared());
                    }
                }
            }
        }
        m2
    }
}

/// Pushes too-close pairs apart until the periodic minimum distance holds.
fn relax_overlaps(s: &mut Structure, options: &PackOptions, rng: &mut PackingRng) -> Result<()> {
    let d = options.min_distance;
    // Aim a little beyond d so that pairs do not settle just below it.
    let target = d * 1.02;
    let n = s.len();
    let mut shift = vec![Vector3::<f64>::zeros(); n];
    let mut achieved = 0.0;
    for iteration in 0..=options.max_iterations {
        let nl = NeighborList::builder(target).half(true).build(s)?;
        achieved = nl.distances().iter().cloned().fold(f64::INFINITY, f64::min);
        if achieved >= d {
            return Ok(());
        }
        if iteration == options.max_iterations {
            break;
        }
        shift.iter_mut().for_each(|v| *v = Vector3::zeros());
        for i in 0..n {
            for k in nl.range(i) {
                let j = nl.indices()[k] as usize;
                let r = nl.distances()[k];
                let v = nl.vectors()[k];
                let unit = if r > 1e-9 {
                    v / r
                } else {
                    // Coincident atoms: separate along a random direction.
                    let u = Vector3::new(
                        rng.random::<f64>() - 0.5,
                        rng.random::<f64>() - 0.5,
                        rng.random::<f64>() - 0.5,
                    );
                    u / u.norm().max(1e-12)
                };
                let push = 0.5 * (target - r);
                shift[i] -= unit * push;
                if j != i {
                    shift[j] += unit * push;
                }
            }
        }
        let cap = 0.5 * d;
        for (p, dv) in s.positions_mut().iter_mut().zip(&shift) {
            let len = dv.norm();
            *p += if len > cap { dv * (cap / len) } else { *dv };
        }
        // A stuck configuration occasionally needs a shake.
        if iteration > 0 && iteration % 500 == 0 {
            for p in s.positions_mut() {
                *p += Vector3::new(
                    rng.random::<f64>() - 0.5,
                    rng.random::<f64>() - 0.5,
                    rng.random::<f64>() - 0.5,
                ) * (0.1 * d);
            }
        }
        s.wrap();
    }
    Err(BuildError::CannotPack {
        atoms: n,
        volume: s.volume(),
        density: s.density_g_cm3(),
        min_distance: d,
        achieved,
        iterations: options.max_iterations,
    })
}

/// The smallest distance between any two atoms of `s`, periodic images (and an atom's own
/// images) included; `f64::INFINITY` when no pair lies within `search` Å.
pub fn min_periodic_distance(s: &Structure, search: f64) -> amorph_core::Result<f64> {
    let nl = NeighborList::builder(search).half(true).build(s)?;
    Ok(nl.distances().iter().cloned().fold(f64::INFINITY, f64::min))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn el(s: &str) -> Element {
        Element::from_symbol(s).unwrap()
    }

    #[test]
    fn too_many_atoms_are_refused_at_once() {
        let cell = Lattice::cubic(10.0).unwrap();
        let opts = PackOptions::default();
        let e = pack(&[(el("Li"), MAX_ATOMS + 1)], cell.clone(), &opts).unwrap_err();
        assert!(e.to_string().contains("at most 1000000"), "{e}");
        // A sum that overflows usize is refused too, not a panic.
        let e = pack(&[(el("Li"), usize::MAX), (el("O"), 1)], cell.clone(), &opts).unwrap_err();
        assert!(e.to_string().contains("at most 1000000"), "{e}");
        assert!(pack(&[(el("Li"), 0)], cell, &opts).is_err());
    }

    #[test]
    fn same_seed_same_cell() {
        let counts = [(el("Li"), 40), (el("O"), 20)];
        let o = PackOptions {
            seed: 3,
            ..Default::default()
        };
        let a = pack(&counts, Lattice::cubic(8.5).unwrap(), &o).unwrap();
        let b = pack(&counts, Lattice::cubic(8.5).unwrap(), &o).unwrap();
        assert_eq!(a, b);
        let c = pack(
            &counts,
            Lattice::cubic(8.5).unwrap(),
            &PackOptions { seed: 4, ..o },
        )
        .unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn impossible_density_is_an_error() {
        let counts = [(el("Li"), 100)];
        let o = PackOptions {
            max_iterations: 200,
            ..Default::default()
        };
        let err = pack(&counts, Lattice::cubic(6.0).unwrap(), &o).unwrap_err();
        assert!(
            matches!(err, BuildError::CannotPack { atoms: 100, .. }),
            "{err}"
        );
        assert!(pack(&counts, Lattice::cubic(1.5).unwrap(), &o).is_err());
        assert!(pack(&[], Lattice::cubic(6.0).unwrap(), &o).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Every pair, periodic images included, is at least the minimum distance apart, for
        /// packing fractions (spheres of diameter d) from dilute up to 0.45 and triclinic cells.
        #[test]
        fn periodic_min_distance_holds(
            n in 10usize..120,
            fraction in 0.05f64..0.45,
            seed in 0u64..1000,
            tilt in 75.0f64..105.0,
        ) {
            let d = 2.0;
            let sphere = std::f64::consts::PI / 6.0 * d * d * d;
            let volume = n as f64 * sphere / fraction;
            let lattice = Lattice::from_parameters(1.0, 1.0, 1.0, 90.0, tilt, 90.0).unwrap()
                .with_volume(volume).unwrap();
            prop_assume!(lattice.perpendicular_widths().iter().all(|w| *w > d));
            let counts = [(el("Li"), n / 2), (el("O"), n - n / 2)];
            let s = pack(&counts, lattice, &PackOptions { seed, ..Default::default() }).unwrap();
            prop_assert_eq!(s.len(), n);
            let m = min_periodic_distance(&s, d).unwrap();
            prop_assert!(m >= d, "closest pair {} Å", m);
            prop_assert!(s.fractional_positions().iter().all(|f| f.iter().all(|x| (0.0..1.0).contains(x))));
        }
    }
}

#[cfg(test)]
mod realistic {
    use super::*;
    use crate::{cell_counts, estimate_volume};

    /// The paper's compositions at their estimated densities pack at the 2.0 Å default.
    #[test]
    fn paper_compositions_pack_at_estimated_density() {
        for formula in [
            &[("Li", 2.0), ("O", 1.0)][..],
            &[("Li", 2.0), ("Si", 2.0), ("O", 5.0)],
            &[("Li", 3.0), ("P", 1.0), ("S", 4.0)],
            &[("Li", 1.0), ("F", 1.0)],
        ] {
            let amounts: Vec<(Element, f64)> = formula
                .iter()
                .map(|(s, a)| (Element::from_symbol(s).unwrap(), *a))
                .collect();
            let counts = cell_counts(&amounts, 100).unwrap();
            let est = estimate_volume(&counts).unwrap();
            let lattice = Lattice::cubic(est.volume.cbrt()).unwrap();
            let s = pack(&counts, lattice, &PackOptions::default()).unwrap();
            assert!(min_periodic_distance(&s, 2.0).unwrap() >= 2.0);
        }
    }
}
