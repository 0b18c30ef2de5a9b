//! A packed cell as `amorph pack` reports it.

use crate::VolumeMethod;
use amorph_core::Structure;
use std::fmt;
use std::path::PathBuf;

/// A packed cell written to a file: serialises to `amorph pack --json` and displays as its
/// text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PackSummary {
    /// The formula as given.
    pub formula: String,
    /// The file written.
    pub output: PathBuf,
    /// Atoms in the cell.
    pub atoms: usize,
    /// Cell volume (Å³).
    pub volume: f64,
    /// Density (g/cm³).
    pub density_g_cm3: f64,
    /// How the volume was chosen.
    pub volume_method: VolumeMethod,
    /// The closest periodic distance between two atoms (Å).
    pub min_distance: f64,
    /// Wall time of the packing (s).
    pub seconds: f64,
}

impl PackSummary {
    /// The summary of `cell`, packed for `formula` and written to `output`; `min_distance` is
    /// its closest pair (Å, [`crate::min_periodic_distance`]).
    pub fn new(
        formula: &str,
        output: impl Into<PathBuf>,
        cell: &Structure,
        volume_method: VolumeMethod,
        min_distance: f64,
        seconds: f64,
    ) -> Self {
        PackSummary {
            formula: formula.to_string(),
            output: output.into(),
            atoms: cell.len(),
            volume: cell.volume(),
            density_g_cm3: cell.density_g_cm3(),
            volume_method,
            min_distance,
            seconds,
        }
    }
}

impl fmt::Display for PackSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} atoms, {:.2} Å³ ({:.3} g/cm³), closest pair {:.3} Å -> {}",
            self.formula,
            self.atoms,
            self.volume,
            self.density_g_cm3,
            self.min_distance,
            self.output.display()
        )
    }
}
