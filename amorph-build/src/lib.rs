//! # amorph-build
//!
//! Random periodic starting cells for melt–quench MD, the first stage of the MPMorph workflow:
//!
//! 1. **Atom count** ([`cell_counts`]): the integer formula repeated `ceil(target / atoms per
//!    formula unit)` times, so a cell has at least `target` (default 100) atoms — Li2O gives
//!    34 formula units = 102 atoms, as in mpmorph and atomate2. At most [`MAX_ATOMS`] (10⁶):
//!    0 atoms or more than that is an error, never a silent 3-atom cell or an endless packing.
//! 2. **Volume** ([`estimate_volume`]): an embedded estimate (ionic sphere volumes for
//!    compounds with anions, elemental molar volumes otherwise) with a density sanity check, so
//!    that an absurd starting density (atomate2 issue #1046) is an error, not a silent melt.
//! 3. **Packing** ([`pack`]): random positions in the cell followed by overlap removal until every
//!    pair — **through the periodic boundaries** — is at least `min_distance` (2.0 Å) apart.
//!    PACKMOL instead packs into a box shrunk by tol/2 on each face, which wastes volume; here the
//!    whole cell is used and the distance is the true periodic minimum-image distance.
//!
//! ```
//! use amorph_build::{pack, PackOptions};
//! use amorph_core::{Element, Lattice};
//! let li = Element::from_symbol("Li").unwrap();
//! let o = Element::from_symbol("O").unwrap();
//! let counts = [(li, 20), (o, 10)];
//! let cell = Lattice::cubic(7.0).unwrap();
//! let s = pack(&counts, cell, &PackOptions { seed: 7, ..PackOptions::default() }).unwrap();
//! assert_eq!(s.len(), 30);
//! ```

mod pack;
mod summary;
mod volume;

pub use pack::{PackOptions, min_periodic_distance, pack};
pub use summary::PackSummary;
pub use volume::{
    DENSITY_RANGE, IONIC_PACKING_FRACTION, MAX_ATOMS, VolumeEstimate, VolumeMethod, cell_counts,
    estimate_volume, volume_for_density,
};

/// Errors of amorph-build.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// An error from amorph-core (bad composition, bad lattice).
    #[error(transparent)]
    Core(#[from] amorph_core::Error),
    /// Bad options (non-positive distance, zero atoms …).
    #[error("invalid packing request: {0}")]
    Invalid(String),
    /// The atoms do not fit at the requested minimum distance.
    #[error(
        "cannot pack {atoms} atoms into {volume:.1} Å³ ({density:.3} g/cm³) with a {min_distance} Å \
         minimum distance: the closest pair is still {achieved:.3} Å after {iterations} iterations; \
         lower the density or the minimum distance"
    )]
    CannotPack {
        /// Number of atoms.
        atoms: usize,
        /// Cell volume (Å³).
        volume: f64,
        /// Density (g/cm³).
        density: f64,
        /// Requested minimum distance (Å).
        min_distance: f64,
        /// Best minimum distance reached (Å).
        achieved: f64,
        /// Relaxation iterations used.
        iterations: usize,
    },
    /// An estimated or requested density outside the sane range.
    #[error(
        "density {density:.3} g/cm³ for {formula} is outside the sane range {min}–{max} g/cm³ ({why})"
    )]
    Density {
        /// The formula.
        formula: String,
        /// The offending density.
        density: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
        /// Where the number came from.
        why: String,
    },
}

/// Result alias of amorph-build.
pub type Result<T, E = BuildError> = std::result::Result<T, E>;
