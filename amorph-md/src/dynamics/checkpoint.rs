//! Checkpoints: everything an MD run needs to continue bit for bit.

use super::barostat::CRescale;
use super::thermostat::{Thermostat, ThermostatKind};
use super::velocities::Dof;
use crate::error::{MdError, Result};
use amorph_core::Structure;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The format tag written into every checkpoint (version 2 added the barostat).
pub(crate) const CHECKPOINT_FORMAT: &str = "amorph-md checkpoint 2";
/// The format tags that are read (version 1 has no barostat field).
pub(crate) const CHECKPOINT_FORMATS: [&str; 2] = ["amorph-md checkpoint 1", CHECKPOINT_FORMAT];

/// The complete state of an MD run: positions (unwrapped), velocities, forces, energy and
/// stress at the current step, the thermostat's state (its RNG stream included), the
/// barostat's (likewise), the step counter, time and the heat bookkeeping of the conserved
/// quantity.
///
/// Stored as JSON; floating-point numbers are written in shortest round-trip form and read
/// back exactly, so a resumed run is bit-identical.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Format tag (`"amorph-md checkpoint 2"`; version 1 files, without a barostat, are read
    /// too).
    pub format: String,
    /// Step counter.
    pub step: u64,
    /// Simulated time (fs).
    pub time_fs: f64,
    /// Time step (fs).
    pub timestep_fs: f64,
    /// Degrees-of-freedom convention.
    pub dof: Dof,
    /// Whether stress is computed for pressure reports.
    pub pressure: bool,
    /// The structure (unwrapped positions).
    pub structure: Structure,
    /// Velocities (Å/fs).
    pub velocities: Vec<Vector3<f64>>,
    /// Forces (eV/Å) at these positions.
    pub forces: Vec<Vector3<f64>>,
    /// Potential energy (eV).
    pub energy: f64,
    /// Stress at this step, when it was computed.
    pub stress: Option<[f64; 6]>,
    /// Kinetic energy put in by thermostats without their own energy term (eV).
    pub heat: f64,
    /// The thermostat's name ([`Thermostat::name`]).
    pub thermostat: String,
    /// The thermostat's state ([`Thermostat::save_state`]).
    pub thermostat_state: serde_json::Value,
    /// The barostat with its state (RNG stream, effective-energy integral), when the run is
    /// NPT; restored by [`super::Md::resume`].
    #[serde(default)]
    pub barostat: Option<CRescale>,
}

impl Checkpoint {
    /// Writes the checkpoint atomically: to `<path>.tmp` first (synced), then renamed over
    /// `path`, so a crash never leaves a half-written checkpoint.
    pub fn write(&self, path: &Path) -> Result<()> {
        let io = |source| MdError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let text = serde_json::to_vec(self).map_err(|e| MdError::Checkpoint {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        {
            let mut f = std::fs::File::create(&tmp).map_err(io)?;
            f.write_all(&text).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a checkpoint written by [`Checkpoint::write`].
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read(path).map_err(|source| MdError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text, path)
    }

    /// Parses a checkpoint's JSON text (what [`Checkpoint::read`] does after reading the
    /// file); `path` names it in errors.
    pub fn from_json(text: &[u8], path: &Path) -> Result<Self> {
        let c: Checkpoint = serde_json::from_slice(text).map_err(|e| MdError::Checkpoint {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if !CHECKPOINT_FORMATS.contains(&c.format.as_str()) {
            return Err(MdError::Checkpoint {
                path: path.to_path_buf(),
                reason: format!("format '{}' is not '{CHECKPOINT_FORMAT}'", c.format),
            });
        }
        Ok(c)
    }

    /// The saved thermostat, when it is one of amorph-md's built-in thermostats.
    pub fn thermostat(&self) -> Result<Box<dyn Thermostat>> {
        let kind: ThermostatKind = self.thermostat.parse().map_err(|_| MdError::Checkpoint {
            path: PathBuf::from("<memory>"),
            reason: format!(
                "thermostat '{}' is not built in; pass it to Md::resume",
                self.thermostat
            ),
        })?;
        // Placeholder parameters: the saved state replaces them.
        let mut t = kind.build(1.0, 1.0, 0)?;
        t.load_state(self.thermostat_state.clone())?;
        Ok(t)
    }
}
