//! Feature values and the typed reasons a feature can be undefined.

use crate::error::Property;
use amorph_core::Element;
use std::fmt;

/// Why a feature has no value for an input. Every feature documents which of these it can
/// return; none of them is ever turned into a silent NaN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Undefined {
    /// The input has no Li atoms, and the feature is a statistic over Li atoms.
    NoLithium,
    /// The input has no non-Li atoms, and the feature is a statistic over non-Li atoms.
    NoNonLithium,
    /// No element qualifies as the anion ([`crate::Convention::Sendek`] on a Li-only cell).
    NoAnion,
    /// The atoms the feature averages over have no bonds within the cutoff.
    NoBonds,
    /// `Paper` LBI/SDLI divide by `N_bonds − 1`, which is zero with a single Li bond.
    TooFewBonds,
    /// The atom has no partner of the wanted species at any distance (a non-periodic cell
    /// with a single Li, say).
    NoPartner,
    /// No Li–Li straight-line path has an atom projecting strictly inside it.
    NoPathBlocker,
    /// A ratio whose denominator is zero.
    ZeroDenominator,
    /// The element table lacks a value the feature needs (with [`crate::MissingData::Undefined`]).
    MissingData {
        /// The element.
        element: Element,
        /// The property.
        property: Property,
    },
}

impl Undefined {
    /// A short machine-friendly tag, e.g. `"no_lithium"` (used in JSON output).
    pub fn tag(&self) -> &'static str {
        match self {
            Undefined::NoLithium => "no_lithium",
            Undefined::NoNonLithium => "no_non_lithium",
            Undefined::NoAnion => "no_anion",
            Undefined::NoBonds => "no_bonds",
            Undefined::TooFewBonds => "too_few_bonds",
            Undefined::NoPartner => "no_partner",
            Undefined::NoPathBlocker => "no_path_blocker",
            Undefined::ZeroDenominator => "zero_denominator",
            Undefined::MissingData { .. } => "missing_element_data",
        }
    }
}

impl fmt::Display for Undefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Undefined::NoLithium => f.write_str("there are no Li atoms"),
            Undefined::NoNonLithium => f.write_str("there are no non-Li atoms"),
            Undefined::NoAnion => f.write_str("no element qualifies as the anion"),
            Undefined::NoBonds => f.write_str("no bonds within the cutoff"),
            Undefined::TooFewBonds => f.write_str("fewer than two Li bonds (Paper divides by N-1)"),
            Undefined::NoPartner => f.write_str("no partner atom of the wanted species exists"),
            Undefined::NoPathBlocker => {
                f.write_str("no atom projects inside any Li-Li straight-line path")
            }
            Undefined::ZeroDenominator => f.write_str("the denominator is zero"),
            Undefined::MissingData { element, property } => {
                write!(f, "element {element} has no {property}")
            }
        }
    }
}

impl std::error::Error for Undefined {}

/// One feature value: a finite number, or the typed reason it is undefined.
pub type FeatureValue = std::result::Result<f64, Undefined>;

/// Guards a computed number: non-finite results become [`Undefined::ZeroDenominator`]
/// (they can only come from a division by zero, never from the data).
pub(crate) fn finite(x: f64) -> FeatureValue {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Undefined::ZeroDenominator)
    }
}
