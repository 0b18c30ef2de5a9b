//! The error type of amorph-md: every variant names the input that was wrong and why.

use amorph_core::Element;

/// Errors of amorph-md (potentials, integrators, thermostats, MD runs).
///
/// Calculators report these through [`amorph_core::Error::Calculator`] (the `source` is the
/// `MdError`, so callers can `downcast_ref::<MdError>()`); everything else returns them
/// directly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MdError {
    /// A potential has no parameters for a pair of species present in the structure.
    #[error("potential '{potential}' has no parameters for the species pair {a}–{b}")]
    MissingPair {
        /// The potential's name.
        potential: String,
        /// First species of the pair.
        a: Element,
        /// Second species of the pair.
        b: Element,
    },

    /// A species has no charge (or other per-species parameter) in a potential.
    #[error("potential '{potential}' has no parameters for species {species}")]
    MissingSpecies {
        /// The potential's name.
        potential: String,
        /// The species.
        species: Element,
    },

    /// Two atoms closer than the potential's safety floor (overlapping atoms).
    #[error(
        "atoms {i} ({a}) and {j} ({b}) are {distance:.4} Å apart, closer than the {floor} Å floor of '{potential}'"
    )]
    Overlap {
        /// The potential's name.
        potential: String,
        /// Index of the first atom.
        i: usize,
        /// Index of the second atom.
        j: usize,
        /// Species of atom `i`.
        a: Element,
        /// Species of atom `j`.
        b: Element,
        /// Their distance (Å).
        distance: f64,
        /// The floor (Å).
        floor: f64,
    },

    /// A parameter outside its valid range (non-positive cutoff, negative accuracy, NaN …).
    #[error("invalid parameter {name} = {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: String,
        /// The offending value.
        value: f64,
        /// What range was expected.
        reason: String,
    },

    /// A request the potential cannot serve (Ewald in a non-periodic cell, …).
    #[error("potential '{potential}': {reason}")]
    Unsupported {
        /// The potential's name.
        potential: String,
        /// Why it cannot be served.
        reason: String,
    },

    /// No built-in potential covers a composition (refused before any MD).
    #[error(
        "no built-in potential covers {composition} ({reason}); use a machine-learned potential through an i-PI client (--calculator ipi:unix:NAME with scripts/ipi_client.py --calc chgnet)"
    )]
    NotCovered {
        /// The composition.
        composition: String,
        /// Why, family by family.
        reason: String,
    },

    /// A name (of electrostatics, an i-PI address …) that is not known.
    #[error("unknown {what} '{name}' (known: {known})")]
    InvalidName {
        /// What the name names.
        what: &'static str,
        /// The name given.
        name: String,
        /// The names that are known.
        known: &'static str,
    },

    /// A potential name that is not known.
    #[error("unknown potential '{0}'")]
    UnknownPotential(String),

    /// The calculator failed (or returned NaN) during an MD run or an optimisation.
    #[error("step {step}: {source}")]
    CalculatorFailed {
        /// The MD (or optimiser) step at which it failed.
        step: u64,
        /// The calculator's error ([`amorph_core::Error::Calculator`] for NaN results).
        #[source]
        source: amorph_core::Error,
    },

    /// An MD run or optimisation blew up (non-finite velocities or positions).
    #[error("step {step}: the simulation became unstable: {reason}")]
    Unstable {
        /// The step at which it was seen.
        step: u64,
        /// What was seen.
        reason: String,
    },

    /// A thermostat cannot act on the system it was given.
    #[error("thermostat '{thermostat}': {reason}")]
    Thermostat {
        /// The thermostat's name.
        thermostat: String,
        /// Why.
        reason: String,
    },

    /// A barostat cannot act on the run it was given (no stress from the calculator, no
    /// temperature for its noise, a cell that is not periodic along a, b and c).
    #[error("barostat '{barostat}': {reason}")]
    Barostat {
        /// The barostat's name.
        barostat: String,
        /// Why.
        reason: String,
    },

    /// A checkpoint that cannot be read, written or applied.
    #[error("checkpoint {path}: {reason}")]
    Checkpoint {
        /// The checkpoint file (or `<memory>`).
        path: std::path::PathBuf,
        /// Why.
        reason: String,
    },

    /// An I/O failure on a named output file (thermo log, trajectory, checkpoint).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// An error from amorph-core (neighbour lists, structures, I/O, calculators).
    #[error(transparent)]
    Core(#[from] amorph_core::Error),
}

impl MdError {
    /// An [`MdError::InvalidParameter`].
    pub fn invalid(name: impl Into<String>, value: f64, reason: impl Into<String>) -> Self {
        MdError::InvalidParameter {
            name: name.into(),
            value,
            reason: reason.into(),
        }
    }
}

/// Result alias of amorph-md.
pub type Result<T, E = MdError> = std::result::Result<T, E>;
