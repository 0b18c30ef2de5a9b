//! The one error type of amorph-diffusion.

use thiserror::Error;

/// Everything that can go wrong in a diffusion analysis. Each variant names the bad input.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DiffusionError {
    /// The requested species has no atoms in the trajectory.
    #[error("species {species} is absent (the trajectory holds {present})")]
    SpeciesAbsent {
        /// The species asked for.
        species: String,
        /// The species that are there.
        present: String,
    },
    /// Drift correction against the framework was asked for, but every atom is diffusing.
    #[error(
        "no framework atoms are left for drift correction: every atom is {species}; \
         use Drift::None (CLI: --no-drift) for a cell of diffusing atoms only"
    )]
    NoFramework {
        /// The diffusing species.
        species: String,
    },
    /// Too few frames for what was asked (lags, averaging windows, fits).
    #[error("not enough frames: {what} needs {needed}, the trajectory has {frames}")]
    NotEnoughFrames {
        /// What needed them.
        what: String,
        /// How many were needed.
        needed: usize,
        /// How many there are.
        frames: usize,
    },
    /// A temperature that is not a positive finite number of kelvin.
    #[error("temperature {0} K must be positive and finite")]
    Temperature(f64),
    /// A parameter outside its valid range.
    #[error("invalid {name} = {value}: {reason}")]
    Parameter {
        /// The parameter.
        name: &'static str,
        /// Its value as given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Arrays whose shapes do not fit together.
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// A fit that cannot be done (too few points, singular system, non-positive data).
    #[error("fit failed: {0}")]
    Fit(String),
    /// An error from amorph-core (elements, lattices, neighbour lists).
    #[error(transparent)]
    Core(#[from] amorph_core::Error),
}

/// Result with [`DiffusionError`].
pub type Result<T> = std::result::Result<T, DiffusionError>;

pub(crate) fn param(
    name: &'static str,
    value: impl std::fmt::Display,
    reason: &str,
) -> DiffusionError {
    DiffusionError::Parameter {
        name,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}
