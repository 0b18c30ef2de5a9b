//! Thermostats by name: the form configuration files and the command line hold.

use super::{Berendsen, Csvr, Langevin, NoseHooverChain, Nve, Thermostat, VelocityRescale};
use crate::error::{MdError, Result};
use std::fmt;
use std::str::FromStr;

/// A built-in thermostat by name: `nhc`, `csvr`, `langevin`, `berendsen`, `rescale` or `nve`.
/// Serialised as that name; [`ThermostatKind::build`] makes the thermostat.
///
/// ```
/// use amorph_md::dynamics::ThermostatKind;
/// let kind: ThermostatKind = "csvr".parse().unwrap();
/// let t = kind.build(1000.0, 100.0, 7).unwrap();
/// assert_eq!(t.name(), "csvr");
/// assert_eq!(t.target_temperature(), Some(1000.0));
/// assert!("andersen".parse::<ThermostatKind>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ThermostatKind {
    /// Nosé–Hoover chain (MTK, chain 3), period τ.
    Nhc,
    /// Bussi–Donadio–Parrinello stochastic velocity rescaling, coupling time τ.
    Csvr,
    /// Langevin, BAOAB splitting, friction 1/τ.
    Langevin,
    /// Berendsen weak coupling, τ (not canonical; pre-equilibration).
    Berendsen,
    /// Velocity rescaling to the target every step (not canonical; pre-equilibration).
    Rescale,
    /// No thermostat (NVE).
    Nve,
}

/// The names [`ThermostatKind`] parses.
pub const THERMOSTAT_NAMES: &str = "nhc, csvr, langevin, berendsen, rescale, nve";

impl ThermostatKind {
    /// The name (as [`super::Thermostat::name`] reports it).
    pub fn name(self) -> &'static str {
        match self {
            ThermostatKind::Nhc => "nhc",
            ThermostatKind::Csvr => "csvr",
            ThermostatKind::Langevin => "langevin",
            ThermostatKind::Berendsen => "berendsen",
            ThermostatKind::Rescale => "rescale",
            ThermostatKind::Nve => "nve",
        }
    }

    /// The thermostat at `temperature` (K) with time constant `tau_fs` (ignored by `rescale`
    /// and `nve`) and, for the stochastic ones, its RNG `seed`.
    pub fn build(self, temperature: f64, tau_fs: f64, seed: u64) -> Result<Box<dyn Thermostat>> {
        Ok(match self {
            ThermostatKind::Nhc => Box::new(NoseHooverChain::new(temperature, tau_fs)?),
            ThermostatKind::Csvr => Box::new(Csvr::new(temperature, tau_fs, seed)?),
            ThermostatKind::Langevin => Box::new(Langevin::new(temperature, tau_fs, seed)?),
            ThermostatKind::Berendsen => Box::new(Berendsen::new(temperature, tau_fs)?),
            ThermostatKind::Rescale => Box::new(VelocityRescale::new(temperature, 0.0, 1)?),
            ThermostatKind::Nve => Box::new(Nve),
        })
    }
}

impl fmt::Display for ThermostatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ThermostatKind {
    type Err = MdError;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "nhc" => ThermostatKind::Nhc,
            "csvr" => ThermostatKind::Csvr,
            "langevin" => ThermostatKind::Langevin,
            "berendsen" => ThermostatKind::Berendsen,
            "rescale" => ThermostatKind::Rescale,
            "nve" => ThermostatKind::Nve,
            _ => {
                return Err(MdError::Thermostat {
                    thermostat: s.to_string(),
                    reason: format!("unknown thermostat (known: {THERMOSTAT_NAMES})"),
                });
            }
        })
    }
}

impl TryFrom<String> for ThermostatKind {
    type Error = MdError;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<ThermostatKind> for String {
    fn from(k: ThermostatKind) -> String {
        k.name().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_builds_the_thermostat_of_that_name() {
        for name in THERMOSTAT_NAMES.split(", ") {
            let kind: ThermostatKind = name.parse().unwrap();
            assert_eq!(kind.to_string(), name);
            assert_eq!(kind.build(300.0, 100.0, 1).unwrap().name(), name);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<ThermostatKind>(&json).unwrap(), kind);
        }
        assert!(ThermostatKind::Csvr.build(-1.0, 100.0, 1).is_err());
    }
}
