//! The Pedone (PMMCS) potential: Morse + C/r¹² + Coulomb with partial charges.
//!
//! Pedone, Malavasi, Menziani, Cormack, Segre, *J. Phys. Chem. B* **110**, 11780 (2006).
//! Per pair `U = K qᵢqⱼ/r + D[e^{−2a(r−r0)} − 2e^{−a(r−r0)}] + C/r¹²`; only cation–O and O–O
//! pairs have the short-range terms, cation–cation pairs are Coulomb only. Charges: O −1.2,
//! M⁺ 0.6, M²⁺ 1.2, M³⁺ 1.8, M⁴⁺ 2.4, P⁵⁺ 3.0.
//!
//! Parameter source: `glasagent/amorphouspy` `potentials/pmmcs_potential.py` (which cites
//! the 2006 paper), as collected in amorph's MD reference notes. The Si–O, Al–O, Be–O, Ca–O and
//! O–O rows are **confirmed** by independent copies (LAMMPS `examples/PACKAGES/pedone`, the
//! `gvermillion/research` potential file); the other rows are from that one source and marked
//! `confirmed: false` until checked against the paper's Table 1.
//!
//! Defaults ([`PedoneOptions::default`]): short-range cutoff 5.5 Å with the energy shifted to
//! zero there (LAMMPS `pair_modify shift yes`), Fe as Fe²⁺.

use super::coulomb::Coulomb;
use super::forcefield::ForceField;
use super::pair::{PairPotential, PairTerm};
use crate::error::Result;
use amorph_core::Element;

/// One row of the Pedone table: the X–O parameters of an ion (and its charge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PedoneIon {
    /// Label with the oxidation state, e.g. `"Fe3+"`.
    pub label: &'static str,
    /// Element symbol.
    pub symbol: &'static str,
    /// Partial charge (e).
    pub charge: f64,
    /// Morse well depth D (eV).
    pub d0: f64,
    /// Morse a (1/Å).
    pub alpha: f64,
    /// Morse r0 (Å).
    pub r0: f64,
    /// Repulsion coefficient C of C/r¹² (eV·Å¹²).
    pub c: f64,
    /// Whether the row is confirmed by an independent copy of the table.
    pub confirmed: bool,
}

#[allow(clippy::too_many_arguments)]
const fn ion(
    label: &'static str,
    symbol: &'static str,
    charge: f64,
    d0: f64,
    alpha: f64,
    r0: f64,
    c: f64,
    confirmed: bool,
) -> PedoneIon {
    PedoneIon {
        label,
        symbol,
        charge,
        d0,
        alpha,
        r0,
        c,
        confirmed,
    }
}

/// Oxygen's charge in Pedone's model.
pub const PEDONE_O_CHARGE: f64 = -1.2;

/// The O–O row (charge −1.2; confirmed).
pub const PEDONE_OO: PedoneIon = ion("O2-", "O", -1.2, 0.042395, 1.379316, 3.618701, 22.0, true);

/// The published cation table (X–O parameters), in the order of the paper.
pub const PEDONE_IONS: [PedoneIon; 28] = [
    ion("Li+", "Li", 0.6, 0.001114, 3.429506, 2.681360, 1.0, false),
    ion("Na+", "Na", 0.6, 0.023363, 1.763867, 3.006315, 5.0, false),
    ion("K+", "K", 0.6, 0.011612, 2.062605, 3.305308, 5.0, false),
    ion("Be2+", "Be", 1.2, 0.239919, 2.527420, 1.815405, 1.0, true),
    ion("Mg2+", "Mg", 1.2, 0.038908, 2.281000, 2.586153, 5.0, false),
    ion("Ca2+", "Ca", 1.2, 0.030211, 2.241334, 2.923245, 5.0, true),
    ion("Sr2+", "Sr", 1.2, 0.019623, 1.886000, 3.328330, 3.0, false),
    ion("Ba2+", "Ba", 1.2, 0.065011, 1.547596, 3.393410, 5.0, false),
    ion("Sc3+", "Sc", 1.8, 0.000333, 3.144445, 3.200000, 2.6, false),
    ion("Ti4+", "Ti", 2.4, 0.024235, 2.254703, 2.708943, 1.0, false),
    ion("Zr4+", "Zr", 2.4, 0.206237, 2.479675, 2.436997, 1.0, false),
    ion("Cr3+", "Cr", 1.8, 0.399561, 1.785079, 2.340810, 1.0, false),
    ion("Mn2+", "Mn", 1.2, 0.029658, 1.997543, 2.852075, 3.0, false),
    ion("Fe2+", "Fe", 1.2, 0.078171, 1.822638, 2.658163, 2.0, false),
    ion("Fe3+", "Fe", 1.8, 0.418981, 1.620376, 2.382183, 2.0, false),
    ion("Co2+", "Co", 1.2, 0.012958, 2.361272, 2.756282, 3.0, false),
    ion("Ni2+", "Ni", 1.2, 0.029356, 2.679137, 2.500754, 3.0, false),
    ion("Cu+", "Cu", 0.6, 0.090720, 3.802168, 2.055405, 1.0, false),
    ion("Ag+", "Ag", 0.6, 0.088423, 3.439162, 2.265956, 1.0, false),
    ion("Zn2+", "Zn", 1.2, 0.001221, 3.150679, 2.851850, 1.0, false),
    ion("Al3+", "Al", 1.8, 0.361581, 1.900442, 2.164818, 0.9, true),
    ion("Si4+", "Si", 2.4, 0.340554, 2.006700, 2.100000, 1.0, true),
    ion("Ge4+", "Ge", 2.4, 0.158118, 2.294230, 2.261313, 5.0, false),
    ion("Sn4+", "Sn", 2.4, 0.079400, 2.156770, 2.633076, 3.0, false),
    ion("P5+", "P", 3.0, 0.831326, 2.585833, 1.800790, 1.0, false),
    ion("Nd3+", "Nd", 1.8, 0.014580, 1.825100, 3.398717, 3.0, false),
    ion("Gd3+", "Gd", 1.8, 0.000132, 2.013000, 4.351589, 3.0, false),
    ion("Er3+", "Er", 1.8, 0.040448, 2.294078, 2.837722, 3.0, false),
];

/// Options of the Pedone force field.
#[derive(Debug, Clone, PartialEq)]
pub struct PedoneOptions {
    /// Short-range cutoff (Å); default 5.5.
    pub cutoff: f64,
    /// Shift the short-range energy to zero at the cutoff; default true.
    pub shift: bool,
    /// Electrostatics; default Ewald to 1e-10.
    pub coulomb: Coulomb,
    /// Use the Fe³⁺ row for iron instead of Fe²⁺; default false.
    pub ferric: bool,
    /// Add a ZBL screened nuclear repulsion to every pair, switched off between the two radii
    /// (inner, outer) in Å; default `None` (plain Pedone, as LAMMPS `pair_style pedone`).
    /// Pedone's soft C/r¹² wall lets ions run into each other in 5000 K melts (measured:
    /// Li–Li at 0.36 Å within 17 steps of a packed Li2Si2O5 cell); `Some((0.7, 1.4))` stops
    /// that without touching distances beyond 1.4 Å.
    pub zbl: Option<(f64, f64)>,
}

impl Default for PedoneOptions {
    fn default() -> Self {
        PedoneOptions {
            cutoff: 5.5,
            shift: true,
            coulomb: Coulomb::Ewald(Default::default()),
            ferric: false,
            zbl: None,
        }
    }
}

/// The ions used for each element (one row per element; Fe per `ferric`).
pub fn pedone_ions(ferric: bool) -> impl Iterator<Item = &'static PedoneIon> {
    PEDONE_IONS
        .iter()
        .filter(move |i| i.label != if ferric { "Fe2+" } else { "Fe3+" })
}

/// Builds the Pedone force field for every element of the table.
///
/// ```
/// use amorph_md::potential::{pedone, Coulomb, PedoneOptions};
/// let ff = pedone(&PedoneOptions { coulomb: Coulomb::dsf(0.2, 10.0).unwrap(), ..Default::default() }).unwrap();
/// let li: amorph_core::Element = "Li".parse().unwrap();
/// assert_eq!(ff.charges()[&li], 0.6);
/// ```
pub fn pedone(options: &PedoneOptions) -> Result<ForceField> {
    let o = Element::from_symbol("O")?;
    let ions: Vec<(Element, &PedoneIon)> = pedone_ions(options.ferric)
        .map(|i| Element::from_symbol(i.symbol).map(|e| (e, i)))
        .collect::<std::result::Result<_, _>>()?;
    let terms = |i: &PedoneIon| {
        vec![
            PairTerm::Morse {
                d0: i.d0,
                alpha: i.alpha,
                r0: i.r0,
            },
            PairTerm::InversePower { c: i.c, n: 12 },
        ]
    };
    let with_zbl = |a: Element, b: Element, mut t: Vec<PairTerm>| {
        if let Some((inner, outer)) = options.zbl {
            t.push(PairTerm::Zbl {
                z1: f64::from(a.z()),
                z2: f64::from(b.z()),
                inner,
                outer,
            });
        }
        t
    };
    let mut pair = PairPotential::new("pedone").with_shift(options.shift);
    pair.set_pair(o, o, options.cutoff, with_zbl(o, o, terms(&PEDONE_OO)))?;
    for (a, (ea, ia)) in ions.iter().enumerate() {
        pair.set_pair(*ea, o, options.cutoff, with_zbl(*ea, o, terms(ia)))?;
        for (eb, _) in &ions[a..] {
            pair.set_pair(*ea, *eb, options.cutoff, with_zbl(*ea, *eb, Vec::new()))?;
        }
    }
    let mut ff = ForceField::new("pedone")
        .with_pair_potential(pair)
        .with_charge(o, PEDONE_O_CHARGE);
    for (e, i) in &ions {
        ff = ff.with_charge(*e, i.charge);
    }
    ff.with_coulomb(options.coulomb)
}

/// The ZBL switching radii (Å) of the stabilised Pedone, `pedone-zbl`.
pub const PEDONE_ZBL_RADII: (f64, f64) = (0.7, 1.4);

/// Pedone as a [`Family`](super::Family) of the automatic choice (its entry in the families'
/// table of `choice.rs`).
pub(crate) mod family {
    use super::super::choice::{Uncovered, distinct, neutral, uncovered_pairs};
    use super::super::coulomb::Coulomb;
    use super::{
        PEDONE_IONS, PEDONE_O_CHARGE, PEDONE_ZBL_RADII, PedoneOptions, pedone, pedone_ions,
    };
    use crate::error::Result;
    use amorph_core::{Calculator, Composition, Element};

    fn charge(e: Element) -> f64 {
        if e.symbol() == "O" {
            return PEDONE_O_CHARGE;
        }
        pedone_ions(false)
            .find(|i| i.symbol == e.symbol())
            .map_or(0.0, |i| i.charge)
    }

    /// Every pair parameterised (oxygen and the table's cations), oxygen present, neutral.
    pub(crate) fn covers(composition: &Composition) -> std::result::Result<(), Uncovered> {
        let els = distinct(composition);
        let known =
            |e: Element| e.symbol() == "O" || PEDONE_IONS.iter().any(|i| i.symbol == e.symbol());
        let pairs = uncovered_pairs(&els, |a, b| known(a) && known(b));
        if !pairs.is_empty() {
            return Err(Uncovered::Pairs(pairs));
        }
        if !els.iter().any(|e| e.symbol() == "O") {
            return Err(Uncovered::Requirement("no oxygen (a potential for oxides)"));
        }
        neutral(composition, charge)
    }

    /// Pedone with `coulomb` and, with `zbl`, its ZBL wall.
    pub(crate) fn build(
        _composition: &Composition,
        coulomb: Coulomb,
        zbl: bool,
    ) -> Result<Box<dyn Calculator>> {
        Ok(Box::new(pedone(&PedoneOptions {
            coulomb,
            zbl: zbl.then_some(PEDONE_ZBL_RADII),
            ..PedoneOptions::default()
        })?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_charges_follow_oxidation_states() {
        assert_eq!(PEDONE_IONS.len(), 28);
        for i in &PEDONE_IONS {
            let ox: f64 = i
                .label
                .trim_end_matches(['+'])
                .trim_start_matches(char::is_alphabetic)
                .parse()
                .unwrap_or(1.0);
            assert!((i.charge - 0.6 * ox).abs() < 1e-12, "{}", i.label);
            assert!(Element::from_symbol(i.symbol).is_ok());
        }
        let confirmed: Vec<_> = PEDONE_IONS
            .iter()
            .filter(|i| i.confirmed)
            .map(|i| i.symbol)
            .collect();
        assert_eq!(confirmed, ["Be", "Ca", "Al", "Si"]);
    }
}
