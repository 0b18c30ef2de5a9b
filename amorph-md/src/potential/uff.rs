//! Universal fallback: UFF Lennard-Jones + ZBL repulsion for every element Z = 1–94.
//!
//! Data: the UFF van der Waals parameters of Rappé, Casewit, Colwell, Goddard, Skiff,
//! *J. Am. Chem. Soc.* **114**, 10024 (1992) — the bond distance `x₁` (Å) and well depth `D₁`
//! (kcal/mol) — as tabulated in `peteboyd/lammps_interface` `lammps_interface/uff.py`, one UFF
//! atom type per element (the first listed, e.g. `Si3`, `Ca6+2`; the van der Waals columns do
//! not depend on the type). Pairs combine geometrically (`x = √(xᵢxⱼ)`, `D = √(DᵢDⱼ)`) and
//! `E = D[(x/r)¹² − 2(x/r)⁶]`, i.e. Lennard-Jones with `ε = D`, `σ = x/2^{1/6}`. The ZBL
//! universal screened nuclear repulsion is added for every pair, switched off between 1 and
//! 2 Å. No charges.
//!
//! This is a **smoke-test potential** that gives a dense disordered liquid for any element
//! set so the workflow can run offline; it is not a physical model of oxide glasses.

use super::forcefield::ForceField;
use super::pair::{PairPotential, PairTerm};
use crate::error::Result;
use amorph_core::Element;

/// kcal/mol in eV.
pub const KCAL_PER_MOL_IN_EV: f64 = 4184.0 / 96_485.332_12;

/// UFF `(x₁ Å, D₁ kcal/mol)` for Z = 1…94 (index Z − 1).
#[allow(clippy::approx_constant)] // Hf x₁ = 3.141 Å is data, not π
pub const UFF_LJ: [(f64, f64); 94] = [
    (2.886, 0.044),
    (2.362, 0.056),
    (2.451, 0.025),
    (2.745, 0.085),
    (4.083, 0.180),
    (3.851, 0.105),
    (3.660, 0.069),
    (3.500, 0.060),
    (3.364, 0.050),
    (3.243, 0.042),
    (2.983, 0.030),
    (3.021, 0.111),
    (4.499, 0.505),
    (4.295, 0.402),
    (4.147, 0.305),
    (4.035, 0.274),
    (3.947, 0.227),
    (3.868, 0.185),
    (3.812, 0.035),
    (3.399, 0.238),
    (3.295, 0.019),
    (3.175, 0.017),
    (3.144, 0.016),
    (3.023, 0.015),
    (2.961, 0.013),
    (2.912, 0.013),
    (2.872, 0.014),
    (2.834, 0.015),
    (3.495, 0.005),
    (2.763, 0.124),
    (4.383, 0.415),
    (4.280, 0.379),
    (4.230, 0.309),
    (4.205, 0.291),
    (4.189, 0.251),
    (4.141, 0.220),
    (4.114, 0.040),
    (3.641, 0.235),
    (3.345, 0.072),
    (3.124, 0.069),
    (3.165, 0.059),
    (3.052, 0.056),
    (2.998, 0.048),
    (2.963, 0.056),
    (2.929, 0.053),
    (2.899, 0.048),
    (3.148, 0.036),
    (2.848, 0.228),
    (4.463, 0.599),
    (4.392, 0.567),
    (4.420, 0.449),
    (4.470, 0.398),
    (4.500, 0.339),
    (4.404, 0.332),
    (4.517, 0.045),
    (3.703, 0.364),
    (3.522, 0.017),
    (3.556, 0.013),
    (3.606, 0.010),
    (3.575, 0.010),
    (3.547, 0.009),
    (3.520, 0.008),
    (3.493, 0.008),
    (3.368, 0.009),
    (3.451, 0.007),
    (3.428, 0.007),
    (3.409, 0.007),
    (3.391, 0.007),
    (3.374, 0.006),
    (3.355, 0.228),
    (3.640, 0.041),
    (3.141, 0.072),
    (3.170, 0.081),
    (3.069, 0.067),
    (2.954, 0.066),
    (3.120, 0.037),
    (2.840, 0.073),
    (2.754, 0.080),
    (3.293, 0.039),
    (2.705, 0.385),
    (4.347, 0.680),
    (4.297, 0.663),
    (4.370, 0.518),
    (4.709, 0.325),
    (4.750, 0.284),
    (4.765, 0.248),
    (4.900, 0.050),
    (3.677, 0.404),
    (3.478, 0.033),
    (3.396, 0.026),
    (3.424, 0.022),
    (3.395, 0.022),
    (3.424, 0.019),
    (3.424, 0.016),
];

/// Default cutoff of the fallback (Å), energy shifted to zero there.
pub const UFF_CUTOFF: f64 = 10.0;

/// The UFF Lennard-Jones terms (ε eV, σ Å) of a pair.
pub fn uff_lj(a: Element, b: Element) -> PairTerm {
    let (xa, da) = UFF_LJ[usize::from(a.z()) - 1];
    let (xb, db) = UFF_LJ[usize::from(b.z()) - 1];
    PairTerm::LennardJones {
        epsilon: (da * db).sqrt() * KCAL_PER_MOL_IN_EV,
        sigma: (xa * xb).sqrt() / 2f64.powf(1.0 / 6.0),
    }
}

/// The fallback force field for the given elements (UFF LJ + ZBL, cutoff 10 Å, shifted).
pub fn uff_zbl(elements: &[Element]) -> Result<ForceField> {
    let mut els = elements.to_vec();
    els.sort();
    els.dedup();
    let mut pair = PairPotential::new("uff-zbl").with_shift(true);
    for (i, &a) in els.iter().enumerate() {
        for &b in &els[i..] {
            pair.set_pair(
                a,
                b,
                UFF_CUTOFF,
                vec![
                    uff_lj(a, b),
                    PairTerm::Zbl {
                        z1: f64::from(a.z()),
                        z2: f64::from(b.z()),
                        inner: 1.0,
                        outer: 2.0,
                    },
                ],
            )?;
        }
    }
    ForceField::new("uff-zbl")
        .with_pair_potential(pair)
        .with_min_distance(0.1)
}

/// UFF as a [`Family`](super::Family), reachable by name only (its entry in the families' table
/// of `choice.rs`).
pub(crate) mod family {
    use super::super::choice::{Uncovered, distinct};
    use super::super::coulomb::Coulomb;
    use super::uff_zbl;
    use crate::error::Result;
    use amorph_core::{Calculator, Composition};

    /// Every element up to Z = 94.
    pub(crate) fn covers(_composition: &Composition) -> std::result::Result<(), Uncovered> {
        Ok(())
    }

    /// UFF + ZBL for the composition's elements (no charges: `coulomb` and `zbl` unused).
    pub(crate) fn build(
        composition: &Composition,
        _coulomb: Coulomb,
        _zbl: bool,
    ) -> Result<Box<dyn Calculator>> {
        Ok(Box::new(uff_zbl(&distinct(composition))?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_reference_examples() {
        let e = |s: &str| Element::from_symbol(s).unwrap();
        for (s, x, d) in [
            ("Li", 2.451, 0.025),
            ("Si", 4.295, 0.402),
            ("O", 3.500, 0.060),
            ("La", 3.522, 0.017),
            ("Zr", 3.124, 0.069),
            ("Pu", 3.424, 0.016),
        ] {
            assert_eq!(UFF_LJ[usize::from(e(s).z()) - 1], (x, d), "{s}");
        }
        let PairTerm::LennardJones { epsilon, sigma } = uff_lj(e("O"), e("O")) else {
            panic!()
        };
        assert!((epsilon - 0.06 * 0.0433641).abs() < 1e-7);
        assert!((sigma * 2f64.powf(1.0 / 6.0) - 3.5).abs() < 1e-12);
    }
}
