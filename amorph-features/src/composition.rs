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
//! | B, G | bulk / shear modulus | GPa | the paper's DFT values, solved from its feature table (Ti G = 1287 GPa copied as the paper has it) |
//! | E_coh | cohesive energy | eV/atom | the paper's PBE values, solved from its feature table |
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

use crate::error::Property;
use crate::names::COMPOSITION_COLUMNS;
use crate::value::{FeatureValue, Undefined, finite};
use amorph_core::{Composition, Element};

/// The amounts of `composition` in order of atomic number: the order every sum of this crate
/// runs in, so that no feature depends on the order in which a formula names its elements,
/// not even in its last bit.
pub(crate) fn by_atomic_number(composition: &Composition) -> Vec<(Element, f64)> {
    let mut amounts: Vec<(Element, f64)> = composition.iter().collect();
    amounts.sort_by_key(|(e, _)| *e);
    amounts
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
    amounts: &[(Element, f64)],
    with_li: bool,
    value: impl Fn(Element) -> FeatureValue,
) -> FeatureValue {
    let li = lithium();
    let mut sum = 0.0;
    let mut weight = 0.0;
    for &(e, a) in amounts {
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
pub fn composition_features(composition: &Composition) -> Vec<FeatureValue> {
    let amounts = &by_atomic_number(composition)[..];
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
    let total: f64 = amounts.iter().map(|(_, a)| a).sum();
    let li = amounts.iter().find(|(e, _)| *e == lithium());
    out.push(Ok(li.map_or(0.0, |(_, a)| a / total)));
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
