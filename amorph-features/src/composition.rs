//! Compositional features: the 21 columns that depend on the formula alone.
//!
//! Notation: x_e = atomic fraction of element e, y_e = its fraction among the non-Li atoms,
//! P̄ = Σ_e x_e P_e ("with Li"), P̄⁻ᴸⁱ = Σ_{e≠Li} y_e P_e ("without Li"). Element data come
//! from [`amorph_core::Element::data`]:
//!
//! | symbol | property | unit | source |
//! | --- | --- | --- | --- |
//! | m | atomic mass | amu | pymatgen (old IUPAC: Li 6.941) |
//! | X | Pauling electronegativity | – | pymatgen |
//! | R | empirical atomic radius | Å | pymatgen "Atomic radius" (Slater), **not** covalent |
//! | B, G | bulk / shear modulus | GPa | the paper's DFT values (features.md App. A; Ti G = 1287 GPa copied as the paper has it) |
//! | E_coh | cohesive energy | eV/atom | the paper's PBE values (App. A) |
//!
//! | column | definition | unit |
//! | --- | --- | --- |
//! | `Li_percentage` | x_Li, a fraction 0–1 (not %) | 1 |
//! | `avg_B_with_Li` / `avg_B_wiout_Li` | B̄ / B̄⁻ᴸⁱ | GPa |
//! | `avg_G_with_Li` / `avg_G_wiout_Li` | Ḡ / Ḡ⁻ᴸⁱ | GPa |
//! | `avg_Ecoh_with_Li` / `avg_Echo_wiout_Li` (sic) | Ē_coh / Ē_coh⁻ᴸⁱ (SI eq. 1) | eV/atom |
//! | `BR5_M_with_Li` / `BR5_M_without_Li` | R̄²·√(B̄·R̄/m̄) with Å, GPa, amu as plain numbers (matching ±Li set) | Table 1 says m²/s; numerically mixed units |
//! | `GR5_M_with_Li` / `GR5_M_without_Li` | R̄²·√(Ḡ·R̄/m̄) | as above |
//! | `ER2_m_with_Li` / `ER2_m_without_Li` | √(Ē_coh·R̄²/m̄) | as above |
//! | `atomic_radius_avg` / `atomic_radius_avg_exclude_Li` | R̄ / R̄⁻ᴸⁱ | Å |
//! | `ratio_r_without_Li_with` | R̄⁻ᴸⁱ / R̄ (the SI's "radius of the Li neighbours" wording is contradicted by the data) | 1 |
//! | `avg_m_with_Li` / `avg_m_wiout_Li` | m̄ / m̄⁻ᴸⁱ (Table 1 says kg: it is amu) | amu |
//! | `avg_X_with_Li` / `avg_X_wiout_Li` | X̄ / X̄⁻ᴸⁱ | 1 |
//! | `avg_diff_of_X_Li_rest` | X̄⁻ᴸⁱ − X̄ = x_Li (X̄⁻ᴸⁱ − X_Li): positive when the others are more electronegative than Li, despite the name | 1 |
//!
//! Undefined values: every "without Li" column (and the ratio) is
//! [`Undefined::NoNonLithium`] for a Li-only composition; a column whose element data are
//! missing is [`Undefined::MissingData`] (turned into an error by [`crate::MissingData::Error`]).
//! Without Li every column is defined (x_Li = 0, "with" = "without").

use crate::error::{FeatureError, Property, Result};
use crate::names::COMPOSITION_COLUMNS;
use crate::value::{FeatureValue, Undefined, finite};
use amorph_core::{Element, Structure};

/// A composition as positive amounts per element (merged, ordered by atomic number).
///
/// ```
/// use amorph_core::Element;
/// use amorph_features::Amounts;
/// let li = Element::from_symbol("Li").unwrap();
/// let o = Element::from_symbol("O").unwrap();
/// let a = Amounts::new([(li, 2.0), (o, 1.0)]).unwrap();
/// assert_eq!(a.fraction(li), 2.0 / 3.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Amounts {
    entries: Vec<(Element, f64)>,
    total: f64,
}

impl Amounts {
    /// Merges duplicate elements; rejects non-positive or non-finite amounts and empty input.
    pub fn new(amounts: impl IntoIterator<Item = (Element, f64)>) -> Result<Self> {
        let mut entries: Vec<(Element, f64)> = Vec::new();
        for (e, a) in amounts {
            if !(a.is_finite() && a > 0.0) {
                return Err(FeatureError::InvalidAmount {
                    element: e,
                    amount: a,
                });
            }
            match entries.iter_mut().find(|(x, _)| *x == e) {
                Some(entry) => entry.1 += a,
                None => entries.push((e, a)),
            }
        }
        if entries.is_empty() {
            return Err(FeatureError::EmptyComposition);
        }
        entries.sort_by_key(|(e, _)| *e);
        let total = entries.iter().map(|(_, a)| a).sum();
        Ok(Amounts { entries, total })
    }

    /// Parses a formula with [`amorph_core::Composition::parse`] (pymatgen syntax,
    /// parentheses and fractional amounts allowed: `Li(Si2W)3`, `Li0.5FePO4`). Unknown
    /// symbols and bad syntax give [`amorph_core::Error::Formula`] naming the formula.
    pub fn from_formula(formula: &str) -> Result<Self> {
        Self::from_composition(&amorph_core::Composition::parse(formula)?)
    }

    /// The amounts of a parsed composition.
    pub fn from_composition(c: &amorph_core::Composition) -> Result<Self> {
        Self::new(c.iter())
    }

    /// pymatgen's reduced formula (`Li2O`, `Li(Si2W)3`, elements by electronegativity), the
    /// form of the paper's `formula` column.
    pub fn reduced_formula(&self) -> String {
        amorph_core::Composition::from_amounts(self.entries.iter().copied())
            .map(|c| c.reduced_formula())
            .unwrap_or_else(|_| self.formula())
    }

    /// The element counts of a structure.
    pub fn from_structure(structure: &Structure) -> Result<Self> {
        if structure.is_empty() {
            return Err(FeatureError::EmptyStructure);
        }
        Self::new(
            structure
                .element_counts()
                .into_iter()
                .map(|(e, n)| (e, n as f64)),
        )
    }

    /// (element, amount) pairs ordered by atomic number.
    pub fn entries(&self) -> &[(Element, f64)] {
        &self.entries
    }

    /// Sum of the amounts.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Atomic fraction of `e` (0 when absent).
    pub fn fraction(&self, e: Element) -> f64 {
        self.entries
            .iter()
            .find(|(x, _)| *x == e)
            .map_or(0.0, |(_, a)| a / self.total)
    }

    /// A formula with elements in atomic-number order and amounts as given (`"Li2O"`;
    /// non-integer amounts printed with up to 6 decimals).
    pub fn formula(&self) -> String {
        self.entries
            .iter()
            .map(|(e, a)| {
                if (a - 1.0).abs() < 1e-9 {
                    e.symbol().to_string()
                } else if (a - a.round()).abs() < 1e-9 {
                    format!("{}{}", e.symbol(), a.round() as i64)
                } else {
                    let s = format!("{a:.6}");
                    format!("{}{}", e.symbol(), s.trim_end_matches('0'))
                }
            })
            .collect()
    }
}

pub(crate) fn lithium() -> Element {
    Element::from_z(3).expect("Z = 3 is Li")
}

/// Value of `property` for `e`, or the typed reason it is missing.
pub(crate) fn property(e: Element, p: Property) -> FeatureValue {
    let d = e.data();
    let v = match p {
        Property::Electronegativity => d.electronegativity,
        Property::AtomicRadius => d.atomic_radius,
        Property::CovalentRadius => d.covalent_radius,
        Property::BulkModulus => d.bulk_modulus,
        Property::ShearModulus => d.shear_modulus,
        Property::CohesiveEnergy => d.cohesive_energy,
    };
    v.ok_or(Undefined::MissingData {
        element: e,
        property: p,
    })
}

/// Weighted average of a property, with (`with_li`) or without Li.
fn average(
    amounts: &Amounts,
    with_li: bool,
    value: impl Fn(Element) -> FeatureValue,
) -> FeatureValue {
    let li = lithium();
    let mut sum = 0.0;
    let mut weight = 0.0;
    for &(e, a) in amounts.entries() {
        if !with_li && e == li {
            continue;
        }
        sum += a * value(e)?;
        weight += a;
    }
    if weight == 0.0 {
        return Err(Undefined::NoNonLithium);
    }
    finite(sum / weight)
}

/// The 21 compositional columns, in the order of [`COMPOSITION_COLUMNS`].
///
/// Missing element data give [`Undefined::MissingData`] here; [`crate::MissingData`] is
/// applied by the featurizers.
pub fn composition_features(amounts: &Amounts) -> Vec<FeatureValue> {
    let prop = |p: Property| move |e: Element| property(e, p);
    let mass = |e: Element| Ok(e.mass());
    let mut out = Vec::with_capacity(COMPOSITION_COLUMNS.len());
    let b = [true, false].map(|w| average(amounts, w, prop(Property::BulkModulus)));
    let g = [true, false].map(|w| average(amounts, w, prop(Property::ShearModulus)));
    let ec = [true, false].map(|w| average(amounts, w, prop(Property::CohesiveEnergy)));
    let r = [true, false].map(|w| average(amounts, w, prop(Property::AtomicRadius)));
    let m = [true, false].map(|w| average(amounts, w, mass));
    let x = [true, false].map(|w| average(amounts, w, prop(Property::Electronegativity)));
    // R̄²·√(P̄·R̄/m̄)
    let r5 = |p: FeatureValue, k: usize| -> FeatureValue {
        let (p, r, m) = (p?, r[k]?, m[k]?);
        finite(r * r * (p * r / m).sqrt())
    };
    let er2 = |k: usize| -> FeatureValue {
        let (e, r, m) = (ec[k]?, r[k]?, m[k]?);
        finite((e * r * r / m).sqrt())
    };
    out.push(Ok(amounts.fraction(lithium())));
    out.extend([b[0], b[1], g[0], g[1], ec[0], ec[1]]);
    out.extend([
        r5(b[0], 0),
        r5(b[1], 1),
        r5(g[0], 0),
        r5(g[1], 1),
        er2(0),
        er2(1),
    ]);
    out.extend([r[0], r[1], r[1].and_then(|a| finite(a / r[0]?))]);
    out.extend([m[0], m[1], x[0], x[1], x[1].and_then(|a| finite(a - x[0]?))]);
    debug_assert_eq!(out.len(), COMPOSITION_COLUMNS.len());
    out
}
