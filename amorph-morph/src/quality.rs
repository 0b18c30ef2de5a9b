//! Whether a (composition, temperature) result can be trusted: the volume search converged,
//! and the state is a plausible condensed phase.
//!
//! A row is **trusted** when all three hold:
//!
//! 1. **converged**: the last volume-search run met the pressure and energy-drift tolerances
//!    of the configuration (the row keeps the achieved |P̄|, its standard error and the drift,
//!    and the reason when it did not converge);
//! 2. **plausible** ([`Plausibility`]), judged on the production run's last frame and ten
//!    frames spread over the run:
//!    - the density lies within [`QualitySettings::density_window`] (anneal temperatures) or
//!      [`QualitySettings::melt_density_window`] (the melt) of an independent estimate, the
//!      ionic-sphere packing estimate of amorph-build (Shannon crystal radii at packing
//!      fraction 0.55; within 15 % of the crystal density for the compounds in the tests);
//!    - the largest empty pocket (the largest distance from any point of the cell to the
//!      surface of its nearest ion, each ion a sphere of its Shannon crystal radius) is at most
//!      [`QualitySettings::max_void_radius`]: a larger cavity means an evaporated or cavitated
//!      cell (measured: 1.3–2.2 Å in the liquids of Li2O, LiF, LiCl and Li2Si2O5 at
//!      1000–2500 K, 2.1–2.7 Å in their 5000 K melts, 3.8 Å in a cavitated Li2O at
//!      0.92 g/cm³);
//!    - ions of the same sign (by each element's common ion) closer than
//!      [`QualitySettings::like_ion_floor`] are unphysical contacts; when more than
//!      [`QualitySettings::max_contact_fraction`] of the like ions are in such a contact (mean
//!      over the frames) the phase has collapsed (the bond-valence force field's collapsed
//!      phases had like ions 1.36–1.51 Å apart throughout). Fewer contacts are reported as a
//!      warning that does not fail the row: Pedone, whose Li–Li interaction is bare Coulomb
//!      between charges of 0.6 e, lets a few Li⁺ pairs reach 1.3–1.5 Å in Li-rich oxides;
//! 3. the potential is **physical** (not the UFF smoke-test potential).
//!
//! The Arrhenius fit uses trusted anneal rows only; figures leave out untrusted rows and the
//! melt.

use amorph_core::{Element, Structure};
use serde::{Deserialize, Serialize};

/// The thresholds of the plausibility checks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct QualitySettings {
    /// Allowed density / estimate at the anneal temperatures (0.55–1.4): liquids at
    /// 1000–2500 K lie at 0.65–0.95 (molten LiCl at 1000 K: 0.84).
    pub density_window: (f64, f64),
    /// Allowed density / estimate at the melt temperature (0.4–1.4): a 5000 K melt at zero
    /// static pressure is far less dense than a glass (measured 0.59–0.64).
    pub melt_density_window: (f64, f64),
    /// Largest allowed empty pocket radius beyond the ionic radii (Å), 3.0.
    pub max_void_radius: f64,
    /// Shortest allowed distance between ions of the same sign (Å), 1.6.
    pub like_ion_floor: f64,
    /// Largest allowed fraction of like ions in a contact closer than the floor (mean over
    /// the frames), 0.02.
    pub max_contact_fraction: f64,
}

impl Default for QualitySettings {
    fn default() -> Self {
        QualitySettings {
            density_window: (0.55, 1.4),
            melt_density_window: (0.4, 1.4),
            max_void_radius: 3.0,
            like_ion_floor: 1.6,
            max_contact_fraction: 0.02,
        }
    }
}

/// The plausibility checks of one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plausibility {
    /// Density (g/cm³).
    pub density_g_cm3: f64,
    /// The independent estimate (g/cm³).
    pub density_estimate_g_cm3: f64,
    /// Density / estimate.
    pub density_ratio: f64,
    /// Largest empty pocket radius beyond the ionic radii over the checked frames (Å).
    pub largest_void_a: f64,
    /// Shortest like-ion distance over the checked frames (Å), `None` when no like-ion pair is
    /// within the floor's search range.
    pub min_like_distance_a: Option<f64>,
    /// The like-ion pair at that distance.
    pub like_pair: Option<(Element, Element)>,
    /// Mean fraction of like ions in a contact closer than the floor.
    pub contact_fraction: f64,
    /// What failed, one phrase per failed check (empty when plausible).
    pub problems: Vec<String>,
    /// What is suspicious but does not fail the row.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl Plausibility {
    /// Whether every check passed.
    pub fn plausible(&self) -> bool {
        self.problems.is_empty()
    }
}

/// How the volume search ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// Whether the tolerances were met.
    pub converged: bool,
    /// |P̄| of the last run (kbar).
    pub pressure_kbar: f64,
    /// Standard error of P̄ (kbar).
    pub pressure_sem_kbar: f64,
    /// Relative energy drift of the last run.
    pub drift: f64,
    /// Why it did not converge (`None` when it did).
    pub reason: Option<String>,
}

/// Everything that decides whether a (composition, temperature) row is trusted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Temperature (K).
    pub temperature: f64,
    /// True for the melt temperature.
    pub melt: bool,
    /// The potential that produced the row.
    pub potential: String,
    /// False for a smoke-test potential.
    pub physical: bool,
    /// The volume search.
    pub convergence: Convergence,
    /// The state's plausibility.
    pub plausibility: Plausibility,
}

impl Quality {
    /// Converged, plausible and physical.
    pub fn trusted(&self) -> bool {
        self.physical && self.convergence.converged && self.plausibility.plausible()
    }

    /// One line: `trusted`, or every reason why not.
    pub fn note(&self) -> String {
        let mut why = Vec::new();
        if !self.physical {
            why.push(format!(
                "{} is a smoke-test potential, not physics",
                self.potential
            ));
        }
        if let Some(r) = &self.convergence.reason {
            why.push(format!("not converged: {r}"));
        }
        why.extend(self.plausibility.problems.iter().cloned());
        let warnings = self
            .plausibility
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"));
        if why.is_empty() {
            std::iter::once("trusted".to_string())
                .chain(warnings)
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            why.into_iter()
                .chain(warnings)
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

/// The sign of an element's common ion (+1, −1, or 0 when it has none).
fn ion_sign(e: Element) -> i8 {
    e.data().common_ion.map_or(0, |(q, _)| q.signum())
}

/// The radius (Å) an atom occupies in the void search: its common ion's Shannon crystal
/// radius, else its covalent radius, else 1 Å.
fn occupied_radius(e: Element) -> f64 {
    e.data()
        .common_ion
        .map(|(_, r)| r)
        .or_else(|| e.covalent_radius())
        .unwrap_or(1.0)
}

/// The largest empty pocket (Å) of `s`: over a grid of spacing ≤ `spacing` Å, the largest
/// distance from a grid point to the surface of its nearest atom (distance minus the atom's
/// radius: its common ion's Shannon crystal radius, else its covalent radius, else 1 Å);
/// minimum image, exact for orthogonal cells, an upper bound for very skewed ones.
pub fn largest_void_radius(s: &Structure, spacing: f64) -> f64 {
    let lat = s.lattice();
    let m = lat.matrix();
    let lengths: Vec<f64> = (0..3).map(|i| m.row(i).norm()).collect();
    let n: Vec<usize> = lengths
        .iter()
        .map(|l| ((l / spacing).ceil() as usize).max(1))
        .collect();
    let frac = s.fractional_positions();
    let radii: Vec<f64> = s.species().iter().map(|e| occupied_radius(*e)).collect();
    let to_cart = lat.frac_to_cart_matrix();
    let mut largest: f64 = 0.0;
    for i in 0..n[0] {
        for j in 0..n[1] {
            for k in 0..n[2] {
                let g = nalgebra::Vector3::new(
                    i as f64 / n[0] as f64,
                    j as f64 / n[1] as f64,
                    k as f64 / n[2] as f64,
                );
                let mut nearest = f64::INFINITY;
                for (f, r) in frac.iter().zip(&radii) {
                    let mut d = f - g;
                    d.apply(|x| *x -= x.round());
                    nearest = nearest.min((to_cart * d).norm() - r);
                }
                largest = largest.max(nearest);
            }
        }
    }
    largest
}

/// Like-ion contacts of one frame.
struct LikeIons {
    /// The shortest like-ion distance within the search range, with the pair.
    nearest: Option<(f64, Element, Element)>,
    /// Fraction of the signed ions with a like neighbour closer than the floor.
    contact_fraction: f64,
}

/// The like-ion contacts of `s`: the shortest distance between two ions of the same sign
/// within `range` Å and the fraction of ions closer than `floor` to a like ion.
fn like_ions(s: &Structure, range: f64, floor: f64) -> Option<LikeIons> {
    let list = amorph_core::NeighborList::builder(range)
        .half(true)
        .build(s)
        .ok()?;
    let sp = s.species();
    let mut nearest: Option<(f64, Element, Element)> = None;
    let mut in_contact = vec![false; s.len()];
    for i in 0..s.len() {
        for nb in list.neighbors(i) {
            let (a, b) = (sp[i], sp[nb.j]);
            let (qa, qb) = (ion_sign(a), ion_sign(b));
            if qa == 0 || qa != qb {
                continue;
            }
            if nearest.is_none_or(|x| nb.distance < x.0) {
                nearest = Some((nb.distance, a, b));
            }
            if nb.distance < floor {
                in_contact[i] = true;
                in_contact[nb.j] = true;
            }
        }
    }
    let signed = sp.iter().filter(|e| ion_sign(**e) != 0).count();
    let contacts = in_contact.iter().filter(|c| **c).count();
    Some(LikeIons {
        nearest,
        contact_fraction: contacts as f64 / signed.max(1) as f64,
    })
}

/// Checks the plausibility of `frames` (the last one is the reported state; all are searched
/// for voids and like-ion contacts) against the density `estimate` (g/cm³).
pub fn plausibility(
    frames: &[Structure],
    estimate: f64,
    melt: bool,
    settings: &QualitySettings,
) -> Plausibility {
    let mut problems = Vec::new();
    let Some(last) = frames.last() else {
        return Plausibility {
            density_g_cm3: f64::NAN,
            density_estimate_g_cm3: estimate,
            density_ratio: f64::NAN,
            largest_void_a: f64::NAN,
            min_like_distance_a: None,
            like_pair: None,
            contact_fraction: f64::NAN,
            problems: vec!["no frames to check".into()],
            warnings: Vec::new(),
        };
    };
    let density = last.density_g_cm3();
    let ratio = density / estimate;
    let (lo, hi) = if melt {
        settings.melt_density_window
    } else {
        settings.density_window
    };
    if !(lo..=hi).contains(&ratio) {
        problems.push(format!(
            "density {density:.3} g/cm³ is {ratio:.2}× the estimate {estimate:.3} (allowed {lo}–{hi}×){}",
            if ratio < lo { ": a gas or foam" } else { ": collapsed" }
        ));
    }
    let void = frames
        .iter()
        .map(|f| largest_void_radius(f, 0.5))
        .fold(0.0, f64::max);
    if void > settings.max_void_radius {
        problems.push(format!(
            "an empty pocket of radius {void:.2} Å (allowed {} Å): evaporated or cavitated",
            settings.max_void_radius
        ));
    }
    let per_frame: Vec<LikeIons> = frames
        .iter()
        .filter_map(|f| like_ions(f, settings.like_ion_floor.max(4.0), settings.like_ion_floor))
        .collect();
    let like = per_frame
        .iter()
        .filter_map(|l| l.nearest)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let contact_fraction =
        per_frame.iter().map(|l| l.contact_fraction).sum::<f64>() / per_frame.len().max(1) as f64;
    let mut warnings = Vec::new();
    if let Some((d, a, b)) = like
        && d < settings.like_ion_floor
    {
        let what = format!(
            "like ions as close as {a}–{b} {d:.2} Å (floor {} Å), {:.1} % of the ions in such contacts",
            settings.like_ion_floor,
            100.0 * contact_fraction
        );
        if contact_fraction > settings.max_contact_fraction {
            problems.push(format!(
                "{what} (allowed {:.0} %): collapsed",
                100.0 * settings.max_contact_fraction
            ));
        } else {
            warnings.push(what);
        }
    }
    Plausibility {
        density_g_cm3: density,
        density_estimate_g_cm3: estimate,
        density_ratio: ratio,
        largest_void_a: void,
        min_like_distance_a: like.map(|x| x.0),
        like_pair: like.map(|x| (x.1, x.2)),
        contact_fraction,
        problems,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amorph_core::Lattice;
    use nalgebra::Vector3;

    fn rock_salt(a: f64, cat: &str, an: &str, n: usize) -> Structure {
        let (c, x): (Element, Element) = (cat.parse().unwrap(), an.parse().unwrap());
        let mut sp = Vec::new();
        let mut pos = Vec::new();
        for i in 0..n {
            for j in 0..n {
                for k in 0..n {
                    for f in [
                        [0.0, 0.0, 0.0],
                        [0.0, 0.5, 0.5],
                        [0.5, 0.0, 0.5],
                        [0.5, 0.5, 0.0],
                    ] {
                        let o = Vector3::new(i as f64 + f[0], j as f64 + f[1], k as f64 + f[2]);
                        sp.push(c);
                        pos.push(o * a);
                        sp.push(x);
                        pos.push((o + Vector3::new(0.5, 0.0, 0.0)) * a);
                    }
                }
            }
        }
        Structure::new(Lattice::cubic(a * n as f64).unwrap(), sp, pos).unwrap()
    }

    #[test]
    fn crystal_is_plausible_gas_and_collapse_are_not() {
        let s = rock_salt(5.13, "Li", "Cl", 3);
        // Rock salt: the largest hole is the tetrahedral site, √3/4 a from its atoms; the
        // pocket is bounded by the Cl⁻ surface (Shannon crystal radius 1.67 Å).
        let v = largest_void_radius(&s, 0.25);
        assert!((v - (3f64.sqrt() / 4.0 * 5.13 - 1.67)).abs() < 0.05, "{v}");
        let q = plausibility(
            std::slice::from_ref(&s),
            s.density_g_cm3(),
            false,
            &QualitySettings::default(),
        );
        assert!(q.plausible(), "{:?}", q.problems);
        assert!((q.min_like_distance_a.unwrap() - 5.13 / 2f64.sqrt()).abs() < 1e-9);

        // The same cell stretched to a tenth of the density: a gas.
        let mut gas = s.clone();
        gas.scale_to_volume(10.0 * s.volume()).unwrap();
        let q = plausibility(
            &[gas],
            s.density_g_cm3(),
            false,
            &QualitySettings::default(),
        );
        assert!(!q.plausible());
        assert!(
            q.problems.iter().any(|p| p.contains("gas")),
            "{:?}",
            q.problems
        );
        assert!(
            q.problems.iter().any(|p| p.contains("empty pocket")),
            "{:?}",
            q.problems
        );

        // Two chlorides 1.4 Å apart: one contact (2 of 216 ions) is a warning; with a
        // 0.5 % allowance it fails the row.
        let mut pos = s.positions().to_vec();
        pos[1] = pos[3] + Vector3::new(1.4, 0.0, 0.0);
        let bad = Structure::new(s.lattice().clone(), s.species().to_vec(), pos).unwrap();
        let q = plausibility(
            std::slice::from_ref(&bad),
            s.density_g_cm3(),
            false,
            &QualitySettings::default(),
        );
        assert!(q.plausible(), "{:?}", q.problems);
        assert!((q.contact_fraction - 2.0 / 216.0).abs() < 1e-12);
        assert!(q.warnings[0].contains("Cl–Cl 1.40"), "{:?}", q.warnings);
        let strict = QualitySettings {
            max_contact_fraction: 0.005,
            ..Default::default()
        };
        let q = plausibility(&[bad], s.density_g_cm3(), false, &strict);
        assert!(q.problems[0].contains("collapsed"), "{:?}", q.problems);
    }
}
