//! Atom counts and starting-volume estimates.

use crate::{BuildError, Result};
use amorph_core::{Element, units};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Packing fraction assumed for ionic spheres. Crystalline Li2O and LiF pack their Shannon
/// crystal-radius spheres at 0.59–0.62, a Li2Si2O5 glass at ~0.49; the melt is less dense, and
/// the volume search corrects the rest. 0.55 sits in between.
pub const IONIC_PACKING_FRACTION: f64 = 0.55;
/// Sane density range for starting cells (g/cm³); outside it the estimate is refused.
pub const DENSITY_RANGE: (f64, f64) = (0.3, 25.0);

/// How a volume was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VolumeMethod {
    /// Σ (4/3)π r³ of Shannon crystal radii of each element's most common ion, divided by
    /// [`IONIC_PACKING_FRACTION`]: compounds with an anion (an element whose common ion is
    /// negative) and a cation.
    IonicSpheres,
    /// Σ of elemental molar volumes (Vegard-like): metals and intermetallics.
    ElementalVolumes,
    /// Given by the user.
    User,
}

/// A starting-volume estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VolumeEstimate {
    /// Cell volume (Å³).
    pub volume: f64,
    /// Resulting density (g/cm³).
    pub density_g_cm3: f64,
    /// How it was obtained.
    pub method: VolumeMethod,
}

/// The largest cell amorph builds: 10⁶ atoms. Far beyond what the workflow's MD can run (its
/// cells hold ~100 atoms), yet small enough that packing it ends in minutes; a larger request
/// is a typo (`--atoms 100000000`) and is refused at once by [`cell_counts`] and [`pack`](crate::pack).
pub const MAX_ATOMS: usize = 1_000_000;

/// The integer formula of `amounts` (smallest integers with the same ratios, e.g. Li0.5La0.5TiO3
/// → LiLaTi2O6) repeated `ceil(target_atoms / atoms per formula unit)` times: at least
/// `target_atoms` atoms, as mpmorph's `get_random_packed` does.
///
/// Errors ([`BuildError::Invalid`]): an empty composition, a non-positive amount, amounts that
/// are not rational, `target_atoms` of 0 or above [`MAX_ATOMS`], or a formula unit so large
/// that the cell would exceed [`MAX_ATOMS`].
///
/// ```
/// use amorph_build::{cell_counts, MAX_ATOMS};
/// use amorph_core::Element;
/// let li = Element::from_symbol("Li").unwrap();
/// let o = Element::from_symbol("O").unwrap();
/// assert_eq!(cell_counts(&[(li, 2.0), (o, 1.0)], 100).unwrap(), vec![(li, 68), (o, 34)]);
/// assert!(cell_counts(&[(li, 2.0), (o, 1.0)], 0).is_err());
/// assert!(cell_counts(&[(li, 2.0), (o, 1.0)], MAX_ATOMS + 1).is_err());
/// ```
pub fn cell_counts(
    amounts: &[(Element, f64)],
    target_atoms: usize,
) -> Result<Vec<(Element, usize)>> {
    if amounts.is_empty() {
        return Err(BuildError::Invalid("empty composition".into()));
    }
    if target_atoms == 0 {
        return Err(BuildError::Invalid(
            "the atom count must be at least 1 (got 0)".into(),
        ));
    }
    if target_atoms > MAX_ATOMS {
        return Err(BuildError::Invalid(format!(
            "{target_atoms} atoms is more than amorph builds (at most {MAX_ATOMS})"
        )));
    }
    if let Some((e, a)) = amounts.iter().find(|(_, a)| !(a.is_finite() && *a > 0.0)) {
        return Err(BuildError::Invalid(format!(
            "amount {a} of {e} must be positive"
        )));
    }
    let integer = integer_formula(amounts).ok_or_else(|| {
        BuildError::Invalid(format!(
            "amounts {:?} are not rational with a denominator ≤ 10000",
            amounts
                .iter()
                .map(|(e, a)| format!("{e}{a}"))
                .collect::<Vec<_>>()
        ))
    })?;
    let per_fu = integer
        .iter()
        .try_fold(0u64, |sum, &c| sum.checked_add(c))
        .filter(|&n| n <= MAX_ATOMS as u64)
        .ok_or_else(|| {
            BuildError::Invalid(format!(
                "one formula unit of {} holds more than {MAX_ATOMS} atoms",
                amounts
                    .iter()
                    .map(|(e, a)| format!("{e}{a}"))
                    .collect::<String>()
            ))
        })?;
    let n_fu = (target_atoms as u64).div_ceil(per_fu).max(1);
    if per_fu * n_fu > MAX_ATOMS as u64 {
        return Err(BuildError::Invalid(format!(
            "{n_fu} formula units of {per_fu} atoms make {} atoms, more than amorph builds \
             (at most {MAX_ATOMS})",
            per_fu * n_fu
        )));
    }
    Ok(amounts
        .iter()
        .zip(integer)
        .map(|((e, _), c)| (*e, (c * n_fu) as usize))
        .collect())
}

fn integer_formula(amounts: &[(Element, f64)]) -> Option<Vec<u64>> {
    let tol = 1e-6;
    for m in 1..=10_000u64 {
        let scaled: Vec<f64> = amounts.iter().map(|(_, a)| a * m as f64).collect();
        if scaled
            .iter()
            .all(|x| x.round() >= 1.0 && (x - x.round()).abs() <= tol * x.max(1.0))
        {
            let ints: Vec<u64> = scaled.iter().map(|x| x.round() as u64).collect();
            let g = ints.iter().fold(0u64, |g, &x| gcd(g, x));
            return Some(ints.into_iter().map(|x| x / g.max(1)).collect());
        }
    }
    None
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn formula_string(counts: &[(Element, usize)]) -> String {
    counts.iter().map(|(e, c)| format!("{e}{c}")).collect()
}

/// Estimates the cell volume of `counts` atoms (see [`VolumeMethod`]) and checks that the
/// density lies in [`DENSITY_RANGE`].
pub fn estimate_volume(counts: &[(Element, usize)]) -> Result<VolumeEstimate> {
    let anion = counts
        .iter()
        .any(|(e, _)| matches!(e.data().common_ion, Some((q, _)) if q < 0));
    let cation = counts
        .iter()
        .any(|(e, _)| matches!(e.data().common_ion, Some((q, _)) if q > 0));
    let (volume, method) = if anion && cation {
        let mut v = 0.0;
        for (e, c) in counts {
            let r = match e.data().common_ion {
                Some((_, r)) => r,
                None => e.covalent_radius().ok_or_else(|| {
                    BuildError::Invalid(format!("{e} has neither an ionic nor a covalent radius"))
                })?,
            };
            v += *c as f64 * 4.0 / 3.0 * PI * r.powi(3);
        }
        (v / IONIC_PACKING_FRACTION, VolumeMethod::IonicSpheres)
    } else {
        let mut v = 0.0;
        for (e, c) in counts {
            let per_atom = match e.data().molar_volume {
                Some(vm) => vm / units::AVOGADRO / units::A3_IN_CM3,
                None => {
                    let r = e.covalent_radius().ok_or_else(|| {
                        BuildError::Invalid(format!(
                            "{e} has neither a molar volume nor a covalent radius"
                        ))
                    })?;
                    4.0 / 3.0 * PI * r.powi(3) / IONIC_PACKING_FRACTION
                }
            };
            v += *c as f64 * per_atom;
        }
        (v, VolumeMethod::ElementalVolumes)
    };
    let mass: f64 = counts.iter().map(|(e, c)| e.mass() * *c as f64).sum();
    let density = units::density_g_cm3(mass, volume);
    check_density(counts, density, "estimated")?;
    Ok(VolumeEstimate {
        volume,
        density_g_cm3: density,
        method,
    })
}

/// The volume (Å³) of `counts` atoms at `density` g/cm³, checked against [`DENSITY_RANGE`].
pub fn volume_for_density(counts: &[(Element, usize)], density: f64) -> Result<VolumeEstimate> {
    check_density(counts, density, "requested")?;
    let mass: f64 = counts.iter().map(|(e, c)| e.mass() * *c as f64).sum();
    Ok(VolumeEstimate {
        volume: mass * units::AMU_IN_G / (density * units::A3_IN_CM3),
        density_g_cm3: density,
        method: VolumeMethod::User,
    })
}

fn check_density(counts: &[(Element, usize)], density: f64, why: &str) -> Result<()> {
    let (min, max) = DENSITY_RANGE;
    if !(density.is_finite() && (min..=max).contains(&density)) {
        return Err(BuildError::Density {
            formula: formula_string(counts),
            density,
            min,
            max,
            why: why.into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(s: &str) -> Element {
        Element::from_symbol(s).unwrap()
    }

    #[test]
    fn counts_follow_mpmorph() {
        let li2o = cell_counts(&[(el("Li"), 2.0), (el("O"), 1.0)], 100).unwrap();
        assert_eq!(li2o, vec![(el("Li"), 68), (el("O"), 34)]); // 34 f.u. = 102 atoms
        let lps = cell_counts(&[(el("Li"), 3.0), (el("P"), 1.0), (el("S"), 4.0)], 100).unwrap();
        assert_eq!(lps.iter().map(|c| c.1).sum::<usize>(), 104); // 13 f.u.
        let llto = cell_counts(
            &[
                (el("Li"), 0.5),
                (el("La"), 0.5),
                (el("Ti"), 1.0),
                (el("O"), 3.0),
            ],
            100,
        )
        .unwrap();
        assert_eq!(
            llto,
            vec![
                (el("Li"), 10),
                (el("La"), 10),
                (el("Ti"), 20),
                (el("O"), 60)
            ]
        );
        let reduced = cell_counts(&[(el("Li"), 4.0), (el("O"), 2.0)], 100).unwrap();
        assert_eq!(reduced, li2o);
        assert!(cell_counts(&[], 100).is_err());
        assert!(cell_counts(&[(el("Li"), -1.0)], 100).is_err());
    }

    #[test]
    fn atom_counts_are_bounded() {
        let li2o = [(el("Li"), 2.0), (el("O"), 1.0)];
        let msg = |r: Result<Vec<(Element, usize)>>| r.unwrap_err().to_string();
        // 0 atoms used to give one formula unit (3 atoms); now an error.
        assert!(msg(cell_counts(&li2o, 0)).contains("at least 1"));
        assert!(msg(cell_counts(&li2o, 100_000_000)).contains("at most 1000000"));
        assert!(msg(cell_counts(&li2o, usize::MAX)).contains("at most 1000000"));
        // Up to the bound is allowed; whole formula units may not step over it
        // (target 10⁶ → 333 334 Li2O = 1 000 002 atoms).
        let near = cell_counts(&li2o, MAX_ATOMS - 2).unwrap();
        assert_eq!(near.iter().map(|c| c.1).sum::<usize>(), 999_999);
        assert!(msg(cell_counts(&li2o, MAX_ATOMS)).contains("more than amorph builds"));
        // One formula unit beyond the bound, and amounts whose integers overflow u64.
        assert!(msg(cell_counts(&[(el("Li"), 1e8), (el("O"), 1.0)], 1)).contains("formula unit"));
        let big = [(el("Li"), 1.8e19), (el("O"), 1.8e19), (el("F"), 1.0)];
        assert!(cell_counts(&big, 100).is_err());
        // An amount so small next to the others that it rounds to no atom is refused, not
        // silently dropped.
        assert!(cell_counts(&[(el("Li"), 1e-7), (el("O"), 1.0)], 100).is_err());
    }

    #[test]
    fn estimates_are_sane() {
        // Li2O crystal: 2.01 g/cm³; the ionic estimate with φ = 0.55 lands within ~10 %.
        let e = estimate_volume(&[(el("Li"), 68), (el("O"), 34)]).unwrap();
        assert_eq!(e.method, VolumeMethod::IonicSpheres);
        assert!((1.7..2.1).contains(&e.density_g_cm3), "{}", e.density_g_cm3);
        // Li2Si2O5 glass ~2.4 g/cm³.
        let e = estimate_volume(&[(el("Li"), 24), (el("Si"), 24), (el("O"), 60)]).unwrap();
        assert!((2.0..3.5).contains(&e.density_g_cm3), "{}", e.density_g_cm3);
        // Intermetallic: elemental volumes (LiAl ~1.7 g/cm³).
        let e = estimate_volume(&[(el("Li"), 50), (el("Al"), 50)]).unwrap();
        assert_eq!(e.method, VolumeMethod::ElementalVolumes);
        assert!((1.2..2.2).contains(&e.density_g_cm3), "{}", e.density_g_cm3);
        assert!(volume_for_density(&[(el("Li"), 2)], 100.0).is_err());
        let v = volume_for_density(&[(el("Li"), 2)], 0.5).unwrap();
        assert!((v.volume - 2.0 * 6.941 * units::AMU_IN_G / 0.5 / 1e-24).abs() < 1e-9);
    }
}
