//! The Tosi–Fumi rigid-ion model of the alkali halides (Born–Mayer–Huggins form).
//!
//! Per ion pair (LAMMPS `born` form, plus Coulomb with formal charges ±1):
//!
//! `U(r) = q_i q_j K / r + c_ij b exp((σ_i + σ_j − r)/ρ) − C_ij/r⁶ − D_ij/r⁸`
//!
//! - **Repulsion**: Fumi & Tosi, *J. Phys. Chem. Solids* **25**, 31 (1964) and Tosi & Fumi,
//!   *ibid.* **25**, 45 (1964): the universal `b = 0.338 × 10⁻¹² erg`, the ionic "basic radii"
//!   σ of [`TF_CATIONS`]/[`TF_ANIONS`], one hardness ρ per salt ([`TF_SALTS`]), and the Pauling
//!   factors `c_ij = 1 + z_i/n_i + z_j/n_j` with `n` the electrons of the outer shell (2 for
//!   Li⁺, 8 for the other ions).
//! - **Dispersion**: the dipole–dipole `C` and dipole–quadrupole `D` coefficients of
//!   J. E. Mayer, *J. Chem. Phys.* **1**, 270 (1933), per salt and per pair (++, −−, +−), in
//!   10⁻⁶⁰ erg cm⁶ and 10⁻⁷⁶ erg cm⁸ as tabulated with the Tosi–Fumi repulsion (e.g. by
//!   Sangster & Dixon, *Adv. Phys.* **25**, 247 (1976)). Both convert to eV·Å⁶ / eV·Å⁸ with
//!   the same factor [`ERG_CM_TO_EV_A`].
//!
//! The numbers below were transcribed from a second copy of the tables (the Jackson–Sivaraman
//! molten-salt parameter script) and checked against the sources listed in the project's
//! potentials note; the LAMMPS agreement test (`tests/potential_lammps.rs`) uses an independent
//! transcription in `scripts/fixtures/lammps_potentials.py`.
//!
//! The model covers one alkali (Li, Na, K) with one halide (F, Cl, Br, I): the dispersion
//! coefficients of an ion depend on its partner in the published table, so mixed salts would
//! need a mixing rule that this module does not invent.
//!
//! Like every potential with attractive r⁻⁶/r⁻⁸ terms, the model has a short-range catastrophe:
//! the attraction overwhelms the bounded exponential at small r. The barrier between the
//! ion-pair minimum and that collapse is low for some salts (NaF 0.7 eV at 1.11 Å, LiF 2.0 eV
//! at 0.83 Å, KF 2.1 eV at 1.25 Å, LiI 2.5 eV at 1.10 Å), which a 5000 K melt crosses. The
//! workflow therefore adds a ZBL wall ([`TF_ZBL_RADII`], switched off beyond 1.3 Å): every
//! salt's barrier then exceeds 26 eV, and nothing beyond 1.3 Å changes (the shortest distance of
//! the crystals is Li–F 2.01 Å; the isolated ion pairs' minima lie at 1.34–2.97 Å).

use super::coulomb::Coulomb;
use super::forcefield::ForceField;
use super::pair::{PairPotential, PairTerm};
use crate::error::{MdError, Result};
use amorph_core::Element;

/// `b = 0.338 × 10⁻¹² erg` in eV (1 eV = 1.602176634 × 10⁻¹² erg).
pub const TF_B: f64 = 0.338 / 1.602_176_634;

/// 10⁻⁶⁰ erg cm⁶ in eV·Å⁶, which is also 10⁻⁷⁶ erg cm⁸ in eV·Å⁸
/// (10⁻⁶⁰ erg · 10⁴⁸ Å⁶/cm⁶ = 10⁻¹² erg = 1/1.602176634 eV).
pub const ERG_CM_TO_EV_A: f64 = 1.0 / 1.602_176_634;

/// The ZBL wall of `tosi-fumi-zbl`: full below 0.7 Å, switched off smoothly by 1.3 Å.
pub const TF_ZBL_RADII: (f64, f64) = (0.7, 1.3);

/// One ion of the Tosi–Fumi tables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TfIon {
    /// Element symbol.
    pub symbol: &'static str,
    /// Formal charge (e).
    pub charge: f64,
    /// Basic radius σ (Å), Tosi & Fumi 1964.
    pub sigma: f64,
    /// Electrons in the outer shell (Pauling factor).
    pub outer_electrons: f64,
}

const fn ion(symbol: &'static str, charge: f64, sigma: f64, outer: f64) -> TfIon {
    TfIon {
        symbol,
        charge,
        sigma,
        outer_electrons: outer,
    }
}

/// The cations: Li⁺, Na⁺, K⁺.
pub const TF_CATIONS: [TfIon; 3] = [
    ion("Li", 1.0, 0.816, 2.0),
    ion("Na", 1.0, 1.170, 8.0),
    ion("K", 1.0, 1.463, 8.0),
];

/// The anions: F⁻, Cl⁻, Br⁻, I⁻.
pub const TF_ANIONS: [TfIon; 4] = [
    ion("F", -1.0, 1.179, 8.0),
    ion("Cl", -1.0, 1.585, 8.0),
    ion("Br", -1.0, 1.716, 8.0),
    ion("I", -1.0, 1.907, 8.0),
];

/// One salt: its hardness ρ and Mayer's dispersion coefficients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TfSalt {
    /// Cation symbol.
    pub cation: &'static str,
    /// Anion symbol.
    pub anion: &'static str,
    /// Hardness ρ (Å).
    pub rho: f64,
    /// C for (++, −−, +−) in 10⁻⁶⁰ erg cm⁶.
    pub c: [f64; 3],
    /// D for (++, −−, +−) in 10⁻⁷⁶ erg cm⁸.
    pub d: [f64; 3],
}

const fn salt(
    cation: &'static str,
    anion: &'static str,
    rho: f64,
    c: [f64; 3],
    d: [f64; 3],
) -> TfSalt {
    TfSalt {
        cation,
        anion,
        rho,
        c,
        d,
    }
}

/// The twelve salts of Li, Na, K with F, Cl, Br, I.
pub const TF_SALTS: [TfSalt; 12] = [
    salt("Li", "F", 0.299, [0.073, 14.5, 0.8], [0.03, 17.0, 0.6]),
    salt("Li", "Cl", 0.342, [0.073, 111.0, 2.0], [0.03, 223.0, 2.4]),
    salt("Li", "Br", 0.353, [0.073, 185.0, 2.5], [0.03, 423.0, 3.3]),
    salt("Li", "I", 0.430, [0.073, 378.0, 3.3], [0.03, 1060.0, 5.3]),
    salt("Na", "F", 0.330, [1.68, 16.5, 4.5], [0.8, 20.0, 3.8]),
    salt("Na", "Cl", 0.317, [1.68, 116.0, 11.2], [0.8, 233.0, 13.9]),
    salt("Na", "Br", 0.340, [1.68, 196.0, 14.0], [0.8, 450.0, 19.0]),
    salt("Na", "I", 0.386, [1.68, 392.0, 19.1], [0.8, 1100.0, 31.0]),
    salt("K", "F", 0.338, [24.3, 18.6, 19.5], [24.0, 22.0, 21.0]),
    salt("K", "Cl", 0.337, [24.3, 124.5, 48.0], [24.0, 250.0, 73.0]),
    salt("K", "Br", 0.335, [24.3, 206.0, 60.0], [24.0, 470.0, 99.0]),
    salt("K", "I", 0.355, [24.3, 403.0, 82.0], [24.0, 1130.0, 156.0]),
];

/// Options of the Tosi–Fumi force field.
#[derive(Debug, Clone, PartialEq)]
pub struct TosiFumiOptions {
    /// Short-range cutoff (Å); default 10 (the r⁻⁶ tail is −1 meV per Cl–Cl pair there).
    pub cutoff: f64,
    /// Shift the short-range energy to zero at the cutoff; default true.
    pub shift: bool,
    /// Electrostatics; default Ewald to 1e-10.
    pub coulomb: Coulomb,
    /// A ZBL wall switched off between (inner, outer) Å; default `None` (the published model).
    pub zbl: Option<(f64, f64)>,
}

impl Default for TosiFumiOptions {
    fn default() -> Self {
        TosiFumiOptions {
            cutoff: 10.0,
            shift: true,
            coulomb: Coulomb::Ewald(Default::default()),
            zbl: None,
        }
    }
}

/// The salt of the table made of `cation` and `anion`, if any.
pub fn tf_salt(cation: Element, anion: Element) -> Option<&'static TfSalt> {
    TF_SALTS
        .iter()
        .find(|s| s.cation == cation.symbol() && s.anion == anion.symbol())
}

fn tf_ion(e: Element) -> Option<&'static TfIon> {
    TF_CATIONS
        .iter()
        .chain(&TF_ANIONS)
        .find(|i| i.symbol == e.symbol())
}

/// The published pair parameters of `a`–`b` within `salt`, as a LAMMPS `born` term
/// (`A e^{(σ−r)/ρ} − C/r⁶ + D/r⁸`, so `d` is minus Mayer's D).
pub fn tf_pair_term(salt: &TfSalt, a: Element, b: Element) -> Result<PairTerm> {
    let missing = |e: Element| MdError::MissingSpecies {
        potential: "tosi-fumi".into(),
        species: e,
    };
    let (ia, ib) = (tf_ion(a).ok_or(missing(a))?, tf_ion(b).ok_or(missing(b))?);
    let in_salt = |i: &TfIon| i.symbol == salt.cation || i.symbol == salt.anion;
    if !in_salt(ia) {
        return Err(missing(a));
    }
    if !in_salt(ib) {
        return Err(missing(b));
    }
    let k = match (ia.charge > 0.0, ib.charge > 0.0) {
        (true, true) => 0,
        (false, false) => 1,
        _ => 2,
    };
    let pauling = 1.0 + ia.charge / ia.outer_electrons + ib.charge / ib.outer_electrons;
    Ok(PairTerm::BornMayerHuggins {
        a: pauling * TF_B,
        rho: salt.rho,
        sigma: ia.sigma + ib.sigma,
        c: salt.c[k] * ERG_CM_TO_EV_A,
        d: -salt.d[k] * ERG_CM_TO_EV_A,
    })
}

/// The salt that `elements` (distinct) form, when they are exactly one Tosi–Fumi cation and
/// one Tosi–Fumi anion.
pub fn tf_salt_of(elements: &[Element]) -> Option<&'static TfSalt> {
    let mut els = elements.to_vec();
    els.sort();
    els.dedup();
    match els.as_slice() {
        [a, b] => tf_salt(*a, *b).or_else(|| tf_salt(*b, *a)),
        _ => None,
    }
}

/// Builds the Tosi–Fumi force field of `salt`.
///
/// ```
/// use amorph_core::{Calculator, Element, Lattice, Request, Structure};
/// use amorph_md::potential::{tosi_fumi, tf_salt, Coulomb, TosiFumiOptions};
/// use nalgebra::Vector3;
/// let (na, cl): (Element, Element) = ("Na".parse().unwrap(), "Cl".parse().unwrap());
/// let a = 5.64;
/// let (mut sp, mut pos) = (Vec::new(), Vec::new());
/// for f in [[0.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]] {
///     sp.push(na);
///     pos.push(Vector3::new(f[0], f[1], f[2]) * a);
///     sp.push(cl);
///     pos.push(Vector3::new(f[0] + 0.5, f[1], f[2]) * a);
/// }
/// let s = Structure::new(Lattice::cubic(a).unwrap(), sp, pos).unwrap();
/// let mut ff = tosi_fumi(tf_salt(na, cl).unwrap(), &TosiFumiOptions::default()).unwrap();
/// let e = ff.calculate(&s, Request::FORCES).unwrap().energy / 4.0;
/// // The lattice energy of NaCl is about 7.9 eV per ion pair.
/// assert!((-8.1..-7.7).contains(&e), "{e}");
/// ```
pub fn tosi_fumi(salt: &TfSalt, options: &TosiFumiOptions) -> Result<ForceField> {
    let cation = Element::from_symbol(salt.cation)?;
    let anion = Element::from_symbol(salt.anion)?;
    let mut pair = PairPotential::new("tosi-fumi").with_shift(options.shift);
    for (a, b) in [(cation, cation), (anion, anion), (cation, anion)] {
        let mut terms = vec![tf_pair_term(salt, a, b)?];
        if let Some((inner, outer)) = options.zbl {
            terms.push(PairTerm::Zbl {
                z1: f64::from(a.z()),
                z2: f64::from(b.z()),
                inner,
                outer,
            });
        }
        pair.set_pair(a, b, options.cutoff, terms)?;
    }
    ForceField::new("tosi-fumi")
        .with_pair_potential(pair)
        .with_charge(cation, 1.0)
        .with_charge(anion, -1.0)
        .with_coulomb(options.coulomb)
}

/// Tosi–Fumi as a [`Family`](super::Family) of the automatic choice (its entry in the families'
/// table of `choice.rs`).
pub(crate) mod family {
    use super::super::choice::{Uncovered, distinct, formula, neutral, uncovered_pairs};
    use super::super::coulomb::Coulomb;
    use super::{
        TF_ANIONS, TF_CATIONS, TF_SALTS, TF_ZBL_RADII, TosiFumiOptions, tf_salt_of, tosi_fumi,
    };
    use crate::error::{MdError, Result};
    use amorph_core::{Calculator, Composition, Element};

    fn charge(e: Element) -> f64 {
        TF_CATIONS
            .iter()
            .chain(&TF_ANIONS)
            .find(|i| i.symbol == e.symbol())
            .map_or(0.0, |i| i.charge)
    }

    /// One alkali with one halide of the table, neutral.
    pub(crate) fn covers(composition: &Composition) -> std::result::Result<(), Uncovered> {
        let els = distinct(composition);
        let same_salt = |a: Element, b: Element| {
            TF_SALTS.iter().any(|s| {
                let has = |e: Element| s.cation == e.symbol() || s.anion == e.symbol();
                has(a) && has(b)
            })
        };
        let pairs = uncovered_pairs(&els, same_salt);
        if !pairs.is_empty() {
            return Err(Uncovered::Pairs(pairs));
        }
        if tf_salt_of(&els).is_none() {
            return Err(Uncovered::Requirement(
                "one alkali and one halide are needed (no mixing rule for mixed salts)",
            ));
        }
        neutral(composition, charge)
    }

    /// The salt's Tosi–Fumi model with `coulomb` and, with `zbl`, its ZBL wall.
    pub(crate) fn build(
        composition: &Composition,
        coulomb: Coulomb,
        zbl: bool,
    ) -> Result<Box<dyn Calculator>> {
        let salt = tf_salt_of(&distinct(composition)).ok_or_else(|| MdError::NotCovered {
            composition: formula(composition),
            reason: "tosi-fumi: not one alkali with one halide".into(),
        })?;
        Ok(Box::new(tosi_fumi(
            salt,
            &TosiFumiOptions {
                coulomb,
                zbl: zbl.then_some(TF_ZBL_RADII),
                ..TosiFumiOptions::default()
            },
        )?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(s: &str) -> Element {
        Element::from_symbol(s).unwrap()
    }

    #[test]
    fn pauling_factors_and_units() {
        // b = 0.338e-12 erg = 0.21096 eV.
        assert!((TF_B - 0.210_963).abs() < 1e-6);
        let licl = tf_salt(el("Li"), el("Cl")).unwrap();
        let t = |a: &str, b: &str| match tf_pair_term(licl, el(a), el(b)).unwrap() {
            PairTerm::BornMayerHuggins {
                a,
                rho,
                sigma,
                c,
                d,
            } => (a, rho, sigma, c, d),
            _ => unreachable!(),
        };
        // Li–Li: c = 1 + 1/2 + 1/2 = 2; Cl–Cl: 1 − 1/8 − 1/8 = 0.75; Li–Cl: 1 + 1/2 − 1/8.
        assert!((t("Li", "Li").0 - 2.0 * TF_B).abs() < 1e-15);
        assert!((t("Cl", "Cl").0 - 0.75 * TF_B).abs() < 1e-15);
        assert!((t("Li", "Cl").0 - 1.375 * TF_B).abs() < 1e-15);
        assert_eq!(t("Cl", "Li"), t("Li", "Cl"));
        assert!((t("Li", "Cl").2 - (0.816 + 1.585)).abs() < 1e-12);
        assert_eq!(t("Li", "Cl").1, 0.342);
        // C(Cl–Cl) = 111e-60 erg cm⁶ = 69.28 eV Å⁶; D enters with LAMMPS's sign.
        assert!((t("Cl", "Cl").3 - 69.281).abs() < 1e-3);
        assert!((t("Cl", "Cl").4 + 223.0 * ERG_CM_TO_EV_A).abs() < 1e-12);
        assert!(tf_pair_term(licl, el("Na"), el("Cl")).is_err());
        let nacl = tf_salt(el("Na"), el("Cl")).unwrap();
        match tf_pair_term(nacl, el("Na"), el("Na")).unwrap() {
            PairTerm::BornMayerHuggins { a, .. } => assert!((a - 1.25 * TF_B).abs() < 1e-15),
            _ => unreachable!(),
        }
    }

    #[test]
    fn salts_are_found_in_either_order() {
        assert_eq!(tf_salt_of(&[el("Cl"), el("Li")]).unwrap().rho, 0.342);
        assert_eq!(tf_salt_of(&[el("K"), el("I"), el("K")]).unwrap().rho, 0.355);
        assert!(tf_salt_of(&[el("Li"), el("Na"), el("Cl")]).is_none());
        assert!(tf_salt_of(&[el("Li"), el("O")]).is_none());
        assert!(tf_salt_of(&[el("Rb"), el("Cl")]).is_none());
        assert_eq!(TF_SALTS.len(), 12);
        for s in &TF_SALTS {
            assert!(s.rho > 0.25 && s.rho < 0.45, "{s:?}");
            assert!(s.c.iter().chain(&s.d).all(|x| *x > 0.0));
        }
    }
}
