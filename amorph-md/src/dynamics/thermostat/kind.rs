//! Thermostats by name: the form configuration files and the command line hold.

use super::{Berendsen, Csvr, Langevin, NoseHooverChain, Nve, Thermostat, VelocityRescale};
use crate::error::{MdError, Result};
use std::fmt;
use std::str::FromStr;

/// One line per thermostat: its variant, its name, and how it is built from the target
/// temperature `t` (K), the time constant `tau` (fs) and the RNG `seed`. Adding a thermostat
/// to the configuration files and the command line is one entry here (and its own file).
macro_rules! thermostat_kinds {
    (
        $(#[$meta:meta])*
        pub enum ThermostatKind {
            $($(#[$doc:meta])* $variant:ident = $name:literal => |$t:ident, $tau:ident, $seed:ident| $build:expr;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub enum ThermostatKind {
            $($(#[$doc])* $variant,)+
        }

        impl ThermostatKind {
            /// Every built-in thermostat, in the order of [`THERMOSTAT_NAMES`].
            pub const ALL: &[ThermostatKind] = &[$(ThermostatKind::$variant),+];

            /// The name (as [`super::Thermostat::name`] reports it).
            pub fn name(self) -> &'static str {
                match self {
                    $(ThermostatKind::$variant => $name,)+
                }
            }

            /// The thermostat at `temperature` (K) with time constant `tau_fs` (ignored by
            /// `rescale` and `nve`) and, for the stochastic ones, its RNG `seed`.
            #[allow(unused_variables)] // not every thermostat uses τ and the seed
            pub fn build(self, temperature: f64, tau_fs: f64, seed: u64) -> Result<Box<dyn Thermostat>> {
                Ok(match self {
                    $(ThermostatKind::$variant => {
                        let ($t, $tau, $seed) = (temperature, tau_fs, seed);
                        Box::new($build)
                    })+
                })
            }
        }

        impl FromStr for ThermostatKind {
            type Err = MdError;
            fn from_str(s: &str) -> Result<Self> {
                match s.to_ascii_lowercase().as_str() {
                    $($name => Ok(ThermostatKind::$variant),)+
                    _ => Err(MdError::Thermostat {
                        thermostat: s.to_string(),
                        reason: format!("unknown thermostat (known: {THERMOSTAT_NAMES})"),
                    }),
                }
            }
        }
    };
}

thermostat_kinds! {
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
    pub enum ThermostatKind {
        /// Nosé–Hoover chain (MTK, chain 3), period τ.
        Nhc = "nhc" => |t, tau, seed| NoseHooverChain::new(t, tau)?;
        /// Bussi–Donadio–Parrinello stochastic velocity rescaling, coupling time τ.
        Csvr = "csvr" => |t, tau, seed| Csvr::new(t, tau, seed)?;
        /// Langevin, BAOAB splitting, friction 1/τ.
        Langevin = "langevin" => |t, tau, seed| Langevin::new(t, tau, seed)?;
        /// Berendsen weak coupling, τ (not canonical; pre-equilibration).
        Berendsen = "berendsen" => |t, tau, seed| Berendsen::new(t, tau)?;
        /// Velocity rescaling to the target every step (not canonical; pre-equilibration).
        Rescale = "rescale" => |t, tau, seed| VelocityRescale::new(t, 0.0, 1)?;
        /// No thermostat (NVE).
        Nve = "nve" => |t, tau, seed| Nve;
    }
}

/// The names [`ThermostatKind`] parses, as one comma-separated line for messages.
pub const THERMOSTAT_NAMES: &str = "nhc, csvr, langevin, berendsen, rescale, nve";

impl fmt::Display for ThermostatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
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
        let names: Vec<&str> = ThermostatKind::ALL.iter().map(|k| k.name()).collect();
        // The message's list is the table's.
        assert_eq!(names.join(", "), THERMOSTAT_NAMES);
        for name in names {
            let kind: ThermostatKind = name.parse().unwrap();
            assert_eq!(kind.to_string(), name);
            assert_eq!(kind.build(300.0, 100.0, 1).unwrap().name(), name);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<ThermostatKind>(&json).unwrap(), kind);
        }
        assert!(ThermostatKind::Csvr.build(-1.0, 100.0, 1).is_err());
    }
}
