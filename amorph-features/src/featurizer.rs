//! The `Featurizer` trait and the paper's featurizers.

use crate::composition::composition_features;
use crate::error::{FeatureError, Result};
use crate::names::{COMPOSITION_COLUMNS, DENSITY, STRUCTURE_COLUMNS, all_columns};
use crate::settings::{MissingData, Settings};
use crate::structure::{StructureContext, structure_features};
use crate::value::{FeatureValue, Undefined};
use amorph_core::Composition;

/// What a featurizer is given: a bare composition or a prepared structure.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A composition only (formula features).
    Composition(&'a Composition),
    /// A structure with its shared neighbour lists.
    Structure(&'a StructureContext<'a>),
}

impl Input<'_> {
    /// The composition of the input.
    pub fn composition(&self) -> &Composition {
        match self {
            Input::Composition(c) => c,
            Input::Structure(ctx) => ctx.composition(),
        }
    }
}

/// Names and values of a set of features. Object-safe; `Send + Sync` so that a
/// [`crate::FeatureTable`] can run it over many inputs in parallel.
pub trait Featurizer: Send + Sync {
    /// A short name for messages, e.g. `"paper"`.
    fn name(&self) -> &'static str;
    /// Column names, in the order of [`Featurizer::featurize`]'s values.
    fn names(&self) -> Vec<&'static str>;
    /// `true` when [`Featurizer::featurize`] needs [`Input::Structure`].
    fn needs_structure(&self) -> bool;
    /// One value per name: a number or a typed [`Undefined`]. Errors are reserved for bad
    /// input (empty structure, missing element data under [`MissingData::Error`], …).
    fn featurize(&self, input: &Input<'_>) -> Result<Vec<FeatureValue>>;
}

/// Applies the missing-data policy: under [`MissingData::Error`] the first
/// [`Undefined::MissingData`] becomes [`FeatureError::MissingElementData`].
fn apply_missing(
    names: &[&'static str],
    values: Vec<FeatureValue>,
    policy: MissingData,
) -> Result<Vec<FeatureValue>> {
    if policy == MissingData::Error {
        for (name, v) in names.iter().zip(&values) {
            if let Err(Undefined::MissingData { element, property }) = v {
                return Err(FeatureError::MissingElementData {
                    element: *element,
                    property: *property,
                    feature: name,
                });
            }
        }
    }
    Ok(values)
}

/// The 21 compositional columns ([`crate::composition`]); works on compositions and
/// structures alike.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompositionFeaturizer {
    /// Only [`Settings::missing`] is used.
    pub settings: Settings,
}

impl Featurizer for CompositionFeaturizer {
    fn name(&self) -> &'static str {
        "composition"
    }
    fn names(&self) -> Vec<&'static str> {
        COMPOSITION_COLUMNS.to_vec()
    }
    fn needs_structure(&self) -> bool {
        false
    }
    fn featurize(&self, input: &Input<'_>) -> Result<Vec<FeatureValue>> {
        let v = composition_features(input.composition());
        apply_missing(&COMPOSITION_COLUMNS, v, self.settings.missing)
    }
}

/// The 21 structural columns plus `density` ([`crate::structure`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct StructureFeaturizer {
    /// Convention, cutoff, radii, missing-data policy.
    pub settings: Settings,
}

impl Featurizer for StructureFeaturizer {
    fn name(&self) -> &'static str {
        "structure"
    }
    fn names(&self) -> Vec<&'static str> {
        STRUCTURE_COLUMNS
            .iter()
            .copied()
            .chain(std::iter::once(DENSITY))
            .collect()
    }
    fn needs_structure(&self) -> bool {
        true
    }
    fn featurize(&self, input: &Input<'_>) -> Result<Vec<FeatureValue>> {
        let Input::Structure(ctx) = input else {
            return Err(FeatureError::NeedsStructure(self.name()));
        };
        let v = structure_features(ctx, &self.settings)?;
        apply_missing(&self.names(), v, self.settings.missing)
    }
}

/// All 43 features of the paper: the 42 columns of `feature_target.dat` in its order, then
/// `density`.
///
/// ```
/// use amorph_core::{Element, Lattice, Structure};
/// use amorph_features::{Featurizer, FeatureTable, PaperFeaturizer};
/// use nalgebra::Vector3;
///
/// // Rock-salt LiF, a = 4.03 Å.
/// let (li, f) = (Element::from_symbol("Li")?, Element::from_symbol("F")?);
/// let a = 4.03;
/// let mut species = Vec::new();
/// let mut pos = Vec::new();
/// for c in [[0.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.5, 0.0, 0.5], [0.0, 0.5, 0.5]] {
///     species.push(li);
///     pos.push(Vector3::new(c[0], c[1], c[2]) * a);
///     species.push(f);
///     pos.push(Vector3::new(c[0] + 0.5, c[1], c[2]) * a);
/// }
/// let s = Structure::new(Lattice::cubic(a)?, species, pos)?;
/// let table = FeatureTable::from_structures(&PaperFeaturizer::default(), &[s], Some(1000.0))?;
/// let row = &table.rows()[0];
/// assert_eq!(row.get(&table, "LNC")?, 26.0); // 6 F + 12 Li + 8 F within 4 Å
/// assert_eq!(row.get(&table, "Li_percentage")?, 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct PaperFeaturizer {
    /// Convention, cutoff, radii, missing-data policy.
    pub settings: Settings,
}

impl PaperFeaturizer {
    /// With these settings.
    pub fn new(settings: Settings) -> Self {
        PaperFeaturizer { settings }
    }
}

impl Featurizer for PaperFeaturizer {
    fn name(&self) -> &'static str {
        "paper"
    }
    fn names(&self) -> Vec<&'static str> {
        all_columns()
    }
    fn needs_structure(&self) -> bool {
        true
    }
    fn featurize(&self, input: &Input<'_>) -> Result<Vec<FeatureValue>> {
        let Input::Structure(ctx) = input else {
            return Err(FeatureError::NeedsStructure(self.name()));
        };
        let mut st = structure_features(ctx, &self.settings)?;
        let density = st.pop().unwrap_or(Err(Undefined::ZeroDenominator));
        st.extend(composition_features(ctx.composition()));
        st.push(density);
        apply_missing(&self.names(), st, self.settings.missing)
    }
}
