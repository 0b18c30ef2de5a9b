//! Observers: what an MD run reports every N steps (thermo log, trajectory, callbacks).

use crate::error::{MdError, Result};
use amorph_core::Structure;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The thermodynamic state of a run at one step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thermo {
    /// Step.
    pub step: u64,
    /// Simulated time (fs).
    pub time_fs: f64,
    /// Temperature (K), `2K/(N_f k_B)`.
    pub temperature: f64,
    /// Potential energy (eV).
    pub potential_energy: f64,
    /// Kinetic energy (eV).
    pub kinetic_energy: f64,
    /// `E_pot + K` (eV).
    pub total_energy: f64,
    /// The conserved quantity of the integrator and thermostat (eV).
    pub conserved_energy: f64,
    /// Pressure (bar) with the kinetic term, when the stress was computed at this step.
    pub pressure_bar: Option<f64>,
    /// Cell volume (Å³).
    pub volume: f64,
    /// Mass density (g/cm³).
    pub density_g_cm3: f64,
}

/// What an observer sees at a step.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// The thermodynamic state.
    pub thermo: Thermo,
    /// The structure (unwrapped positions).
    pub structure: &'a Structure,
    /// Velocities (Å/fs).
    pub velocities: &'a [Vector3<f64>],
    /// Forces (eV/Å).
    pub forces: &'a [Vector3<f64>],
}

/// Something that watches an MD run every [`Observer::interval`] steps.
pub trait Observer: Send {
    /// Steps between calls (≥ 1); step 0 is included when a run starts there.
    fn interval(&self) -> u64;
    /// Whether this observer reports the pressure (the run then asks the calculator for the
    /// stress on those steps).
    fn needs_pressure(&self) -> bool {
        false
    }
    /// Called on every step that is a multiple of the interval.
    fn observe(&mut self, frame: &Frame<'_>) -> Result<()>;
    /// Pushes buffered output to disk (before a checkpoint is written).
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
    /// Called at the end of the run.
    fn finish(&mut self) -> Result<()> {
        self.flush()
    }
}

/// An observer from a closure.
pub struct CallbackObserver<F> {
    interval: u64,
    pressure: bool,
    callback: F,
}

impl<F: FnMut(&Frame<'_>) -> Result<()> + Send> CallbackObserver<F> {
    /// Calls `callback` every `interval` steps (0 is treated as 1); `pressure` asks for the
    /// stress on those steps.
    pub fn new(interval: u64, pressure: bool, callback: F) -> Self {
        CallbackObserver {
            interval: interval.max(1),
            pressure,
            callback,
        }
    }
}

impl<F: FnMut(&Frame<'_>) -> Result<()> + Send> Observer for CallbackObserver<F> {
    fn interval(&self) -> u64 {
        self.interval
    }
    fn needs_pressure(&self) -> bool {
        self.pressure
    }
    fn observe(&mut self, frame: &Frame<'_>) -> Result<()> {
        (self.callback)(frame)
    }
}

/// The CSV header of [`ThermoLog`].
pub const THERMO_HEADER: &str = "step,time_fs,temperature_K,potential_energy_eV,kinetic_energy_eV,total_energy_eV,conserved_energy_eV,pressure_bar,volume_A3,density_g_cm3";

/// A thermo log in CSV: `step, time_fs, temperature_K, potential_energy_eV,
/// kinetic_energy_eV, total_energy_eV, conserved_energy_eV, pressure_bar, volume_A3,
/// density_g_cm3`
/// (pressure with the kinetic term; empty when the calculator gives no stress). Numbers are
/// written with full precision (shortest round-trip form).
pub struct ThermoLog {
    path: PathBuf,
    interval: u64,
    out: BufWriter<File>,
}

impl ThermoLog {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MdError + '_ {
        move |source| MdError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Creates (truncates) `path` and writes the header.
    pub fn create(path: impl AsRef<Path>, interval: u64) -> Result<Self> {
        let path = path.as_ref();
        let file = File::create(path).map_err(Self::io(path))?;
        let mut log = ThermoLog {
            path: path.to_path_buf(),
            interval: interval.max(1),
            out: BufWriter::new(file),
        };
        writeln!(log.out, "{THERMO_HEADER}").map_err(Self::io(path))?;
        Ok(log)
    }

    /// Appends to `path` (for a resumed run); writes the header only if the file is new or
    /// empty.
    pub fn append(path: impl AsRef<Path>, interval: u64) -> Result<Self> {
        let path = path.as_ref();
        let empty = std::fs::metadata(path)
            .map(|m| m.len() == 0)
            .unwrap_or(true);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(Self::io(path))?;
        let mut log = ThermoLog {
            path: path.to_path_buf(),
            interval: interval.max(1),
            out: BufWriter::new(file),
        };
        if empty {
            writeln!(log.out, "{THERMO_HEADER}").map_err(Self::io(path))?;
        }
        Ok(log)
    }
}

impl Observer for ThermoLog {
    fn interval(&self) -> u64 {
        self.interval
    }
    fn needs_pressure(&self) -> bool {
        true
    }
    fn observe(&mut self, f: &Frame<'_>) -> Result<()> {
        let t = &f.thermo;
        let p = t.pressure_bar.map(|p| p.to_string()).unwrap_or_default();
        writeln!(
            self.out,
            "{},{},{},{},{},{},{},{},{},{}",
            t.step,
            t.time_fs,
            t.temperature,
            t.potential_energy,
            t.kinetic_energy,
            t.total_energy,
            t.conserved_energy,
            p,
            t.volume,
            t.density_g_cm3
        )
        .map_err(Self::io(&self.path))
    }
    fn flush(&mut self) -> Result<()> {
        self.out.flush().map_err(Self::io(&self.path))
    }
}
