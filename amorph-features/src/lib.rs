//! # amorph-features
//!
//! The 43 descriptors of the paper's Table 1 (Zheng et al., amorphous Li-ion conductors; built
//! on Sendek et al., Energy Environ. Sci. 10, 306 (2017)) behind the [`Featurizer`] trait,
//! under the paper's own column names (those of its `feature_target.dat`).
//!
//! * [`composition`]: the 21 columns that depend on the formula alone (Li fraction, weighted
//!   B, G, E_coh, X, m, R with and without Li, the synthetic R̄²√(B̄R̄/m̄)-type columns). With
//!   the element table of `amorph-core` they reproduce the paper's table exactly.
//! * [`structure`]: the 21 structural columns (AAV, PF, SPF, LNC, SDLC, SNC, RNC, LLB, LBI,
//!   SDLI, SBI, RBI, ENS, AFC, AASD, VPA, LASD, LLSD, SLPW, SLPW_pp, SLPE) and `density`, from
//!   one shared periodic neighbour list per structure; every definition, radius table and
//!   disagreement between sources is documented there.
//! * [`Convention`]: `Paper` (the published table's quirks: anion = alphabetically last symbol,
//!   LBI / (N − 1)) or `Sendek` (anion = most electronegative element, plain means).
//! * [`FeatureTable`]: many structures in parallel (rayon), CSV or JSON out.
//!
//! A feature that does not apply (a Li feature of a Li-free cell, an anion feature of a
//! Li-only cell in `Sendek` mode) is a typed [`Undefined`], never a NaN. Missing element data
//! follow [`MissingData`] (default: an error naming element, property and feature).
//!
//! ```
//! use amorph_features::{CompositionFeaturizer, FeatureTable};
//!
//! let t = FeatureTable::from_formulas(&CompositionFeaturizer::default(), &["Li2O", "LiPF6"])?;
//! let li2o = &t.rows()[0];
//! assert!((li2o.get(&t, "Li_percentage")? - 2.0 / 3.0).abs() < 1e-15);
//! // X̄ without Li minus X̄: x_Li·(X_O − X_Li) = (2/3)(3.44 − 0.98)
//! assert!((li2o.get(&t, "avg_diff_of_X_Li_rest")? - 1.64).abs() < 1e-12);
//! # Ok::<(), amorph_features::FeatureError>(())
//! ```

pub mod composition;
pub mod error;
pub mod feature_table;
pub mod featurizer;
pub mod names;
pub mod settings;
pub mod structure;
pub mod value;

pub use composition::composition_features;
pub use error::{FeatureError, Property, Result};
pub use feature_table::{FeatureRow, FeatureTable, Sample};
pub use featurizer::{
    CompositionFeaturizer, Featurizer, Input, PaperFeaturizer, StructureFeaturizer,
};
pub use settings::{Convention, MissingData, Settings};
pub use structure::{StructureContext, anion, structure_features};
pub use value::{FeatureValue, Undefined};

/// The former name of [`feature_table`], kept so that `amorph_features::table::…` paths still
/// resolve.
#[doc(hidden)]
pub use feature_table as table;
