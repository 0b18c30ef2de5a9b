//! Conventions and parameters of the structural features.

use crate::error::{FeatureError, Result};

/// Which reading of the feature definitions to follow where the sources disagree.
///
/// | | `Paper` (default) | `Sendek` |
/// | --- | --- | --- |
/// | anion A (VPA, LASD, AASD, AFC) | alphabetically last element symbol present, Li included (reproduces VPA·x_A = AAV on 207/207 paper formulas, e.g. LiVO3 → V, LiF → Li) | the most electronegative non-Li element (ties: the symbol that sorts first); none in a Li-only cell → [`crate::Undefined::NoAnion`] |
/// | LBI | Σ\|ΔX\| / (N_b − 1) | Σ\|ΔX\| / N_b |
/// | SDLI | √(Σ(b − LBI)² / (N_b − 1)) around the Paper LBI | √(Σ(b − b̄)² / (N_b − 1)) around the true mean |
///
/// Everything else is shared. `Paper` matches the paper's published table (its anion rule is
/// the one that reproduces VPA·x_A = AAV on every row); `Sendek` follows Sendek et al. 2017's
/// wording.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Convention {
    /// Bit-compatible with the paper's feature table, quirks included.
    #[default]
    Paper,
    /// Sendek et al.'s definitions: anion = most electronegative element, plain means.
    Sendek,
}

/// What to do when the element table lacks a value a feature needs (e.g. the paper's bulk
/// modulus of an element outside its 60, or the electronegativity of a noble gas).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum MissingData {
    /// Fail the whole row with [`FeatureError::MissingElementData`] (default): no silent
    /// imputation, and the error names the element, property and feature.
    #[default]
    Error,
    /// Mark only the affected features as [`crate::Undefined::MissingData`] and keep the rest.
    Undefined,
}

impl std::str::FromStr for Convention {
    type Err = crate::FeatureError;

    /// `paper` or `sendek`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "paper" => Ok(Convention::Paper),
            "sendek" => Ok(Convention::Sendek),
            _ => Err(crate::FeatureError::Settings(format!(
                "unknown convention '{s}' (known: paper, sendek)"
            ))),
        }
    }
}

impl std::str::FromStr for MissingData {
    type Err = crate::FeatureError;

    /// `error` or `undefined`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "error" => Ok(MissingData::Error),
            "undefined" => Ok(MissingData::Undefined),
            _ => Err(crate::FeatureError::Settings(format!(
                "unknown missing-data policy '{s}' (known: error, undefined)"
            ))),
        }
    }
}

/// Parameters of the features. [`Settings::default`] is the paper's choice.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Definition variant; see [`Convention`].
    pub convention: Convention,
    /// Bond / neighbour cutoff (Å), strict `d < cutoff`. Paper and Sendek: 4.0 Å.
    pub cutoff: f64,
    /// A site whose mean |ΔX| to its neighbours within `cutoff` exceeds this is "ionic" and
    /// gets the Shannon crystal radius of its common ion instead of its covalent radius
    /// (PF, SPF, SLPW, SLPE). `None`: covalent radii everywhere. Default 2.0.
    pub ionic_threshold: Option<f64>,
    /// Width of the anion framework shell (Å): AFC counts anions with r0 ≤ d ≤ r0 + shell.
    /// Default 1.0.
    pub afc_shell: f64,
    /// Policy for missing element data.
    pub missing: MissingData,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            convention: Convention::Paper,
            cutoff: 4.0,
            ionic_threshold: Some(2.0),
            afc_shell: 1.0,
            missing: MissingData::Error,
        }
    }
}

impl Settings {
    /// The paper's settings (same as `default()`).
    pub fn paper() -> Self {
        Self::default()
    }

    /// Sendek's conventions with the paper's cutoff and radii.
    pub fn sendek() -> Self {
        Settings {
            convention: Convention::Sendek,
            ..Self::default()
        }
    }

    /// Replaces the convention.
    pub fn with_convention(mut self, convention: Convention) -> Self {
        self.convention = convention;
        self
    }

    /// Replaces the missing-data policy.
    pub fn with_missing(mut self, missing: MissingData) -> Self {
        self.missing = missing;
        self
    }

    /// Replaces the ionic-radius threshold.
    pub fn with_ionic_threshold(mut self, threshold: Option<f64>) -> Self {
        self.ionic_threshold = threshold;
        self
    }

    /// Checks the numbers: cutoff and shell positive and finite, threshold finite.
    pub fn validate(&self) -> Result<()> {
        if !(self.cutoff.is_finite() && self.cutoff > 0.0) {
            return Err(FeatureError::Settings(format!(
                "cutoff {} Å must be positive and finite",
                self.cutoff
            )));
        }
        if !(self.afc_shell.is_finite() && self.afc_shell >= 0.0) {
            return Err(FeatureError::Settings(format!(
                "AFC shell {} Å must be non-negative and finite",
                self.afc_shell
            )));
        }
        if let Some(t) = self.ionic_threshold
            && !t.is_finite()
        {
            return Err(FeatureError::Settings(format!(
                "ionic threshold {t} must be finite"
            )));
        }
        Ok(())
    }
}
