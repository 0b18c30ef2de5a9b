//! The error type of amorph-features.

use crate::value::Undefined;
use amorph_core::Element;
use std::fmt;

/// An element property a feature needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum Property {
    /// Pauling electronegativity.
    Electronegativity,
    /// Empirical (Slater) atomic radius.
    AtomicRadius,
    /// Cordero covalent radius.
    CovalentRadius,
    /// Paper bulk modulus (DFT, solved from the paper's feature table).
    BulkModulus,
    /// Paper shear modulus.
    ShearModulus,
    /// Paper cohesive energy.
    CohesiveEnergy,
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Property::Electronegativity => "electronegativity",
            Property::AtomicRadius => "atomic radius",
            Property::CovalentRadius => "covalent radius",
            Property::BulkModulus => "bulk modulus",
            Property::ShearModulus => "shear modulus",
            Property::CohesiveEnergy => "cohesive energy",
        })
    }
}

/// Errors of amorph-features. Each names the input that was wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeatureError {
    /// An error from amorph-core (unknown element symbol, bad formula, neighbour list …).
    #[error(transparent)]
    Core(#[from] amorph_core::Error),

    /// A structure with no atoms.
    #[error("empty structure: there are no atoms to featurize")]
    EmptyStructure,

    /// The element table has no value of `property` for `element` and the
    /// [`crate::MissingData`] policy is `Error`.
    #[error(
        "element {element} has no {property} in the element table (needed by feature '{feature}')"
    )]
    MissingElementData {
        /// The element.
        element: Element,
        /// The missing property.
        property: Property,
        /// The first feature that needed it.
        feature: &'static str,
    },

    /// A feature was asked for (e.g. with [`crate::FeatureRow::get`]) but is undefined for
    /// this input, e.g. a Li feature of a structure without Li.
    #[error("feature '{feature}' is undefined for {label}: {reason}")]
    Undefined {
        /// The feature (paper column name).
        feature: String,
        /// The row (formula) it was asked of.
        label: String,
        /// Why it is undefined.
        reason: Undefined,
    },

    /// A structure feature was asked of a bare composition.
    #[error("featurizer '{0}' needs a structure, but only a composition was given")]
    NeedsStructure(&'static str),

    /// A column name that no featurizer produces.
    #[error("unknown feature '{0}'")]
    UnknownFeature(String),

    /// A setting out of range (negative cutoff …).
    #[error("invalid feature setting: {0}")]
    Settings(String),

    /// A row of a batch failed.
    #[error("row {index} ({label}): {source}")]
    Row {
        /// 0-based row index.
        index: usize,
        /// The row's label (file name or formula).
        label: String,
        /// What went wrong.
        #[source]
        source: Box<FeatureError>,
    },

    /// Writing a table failed.
    #[error("writing the feature table: {0}")]
    Io(#[from] std::io::Error),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, FeatureError>;
