//! Calculators by name: what a workflow configuration or a command line holds, turned into
//! objects in one place.
//!
//! - [`CoulombKind`]: `dsf` or `ewald`, with amorph's default parameters.
//! - [`CalculatorSpec`]: a built-in potential ([`PotentialSpec`]) or an i-PI client
//!   (`ipi:unix:NAME`, `ipi:tcp:PORT`); [`CalculatorSpec::chooser`] makes the
//!   [`PotentialChooser`] that hands every MD run its calculator.
//!
//! Thermostats by name are [`crate::dynamics::ThermostatKind`].

use crate::error::{MdError, Result};
use crate::ipi::{IpiAddress, IpiCalculator, IpiOptions};
use crate::potential::{
    Coulomb, DEFAULT_DSF_ALPHA, DEFAULT_DSF_CUTOFF, DEFAULT_EWALD_ACCURACY, DefaultChooser,
    PotentialChooser, PotentialSpec,
};
use amorph_core::{Calculator, Composition, SharedCalculator};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// Electrostatics by name: `dsf` (α 0.2 Å⁻¹, cutoff 10 Å) or `ewald` (relative accuracy 1e-10).
///
/// ```
/// use amorph_md::spec::CoulombKind;
/// use amorph_md::potential::Coulomb;
/// let dsf: CoulombKind = "dsf".parse().unwrap();
/// assert_eq!(dsf.coulomb(), Coulomb::dsf(0.2, 10.0).unwrap());
/// assert!("pppm".parse::<CoulombKind>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum CoulombKind {
    /// Damped shifted force.
    Dsf,
    /// Ewald summation.
    Ewald,
}

impl CoulombKind {
    /// The name.
    pub fn name(self) -> &'static str {
        match self {
            CoulombKind::Dsf => "dsf",
            CoulombKind::Ewald => "ewald",
        }
    }

    /// The electrostatics with amorph's default parameters.
    pub fn coulomb(self) -> Coulomb {
        match self {
            CoulombKind::Dsf => Coulomb::Dsf {
                alpha: DEFAULT_DSF_ALPHA,
                cutoff: DEFAULT_DSF_CUTOFF,
            },
            CoulombKind::Ewald => Coulomb::Ewald(crate::potential::EwaldOptions {
                accuracy: DEFAULT_EWALD_ACCURACY,
                ..Default::default()
            }),
        }
    }

    /// The electrostatics with the given DSF α (1/Å) and cutoff (Å) or Ewald relative
    /// accuracy, validated.
    pub fn with(self, dsf_alpha: f64, dsf_cutoff: f64, ewald_accuracy: f64) -> Result<Coulomb> {
        match self {
            CoulombKind::Dsf => Coulomb::dsf(dsf_alpha, dsf_cutoff),
            CoulombKind::Ewald => Coulomb::ewald(ewald_accuracy),
        }
    }
}

impl fmt::Display for CoulombKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CoulombKind {
    type Err = MdError;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "dsf" => Ok(CoulombKind::Dsf),
            "ewald" => Ok(CoulombKind::Ewald),
            _ => Err(MdError::InvalidName {
                what: "electrostatics",
                name: s.to_string(),
                known: "dsf, ewald",
            }),
        }
    }
}

impl TryFrom<String> for CoulombKind {
    type Error = MdError;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<CoulombKind> for String {
    fn from(k: CoulombKind) -> String {
        k.name().to_string()
    }
}

/// Where forces come from: a built-in potential by name, or an i-PI client. Serialised as the
/// command-line form: a potential name (`auto-zbl`, `tosi-fumi`, …) or `ipi:unix:NAME`,
/// `ipi:unix:/path`, `ipi:tcp:PORT`.
///
/// ```
/// use amorph_md::spec::CalculatorSpec;
/// let builtin: CalculatorSpec = "auto-zbl".parse().unwrap();
/// assert!(!builtin.is_ipi());
/// let ipi: CalculatorSpec = "ipi:tcp:31415".parse().unwrap();
/// assert!(ipi.is_ipi());
/// assert_eq!(ipi.to_string(), "ipi:tcp:31415");
/// assert!("ipi:tcp:http".parse::<CalculatorSpec>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum CalculatorSpec {
    /// A built-in potential.
    Potential(PotentialSpec),
    /// An i-PI client connecting to amorph's server at this address.
    Ipi(IpiAddress),
    /// A SevenNet model run in process through libtorch (`sevennet` for SevenNet-0,
    /// `sevennet:PATH` for another deployed model); only in a build with the `torch` feature.
    #[cfg(feature = "torch")]
    Sevennet(crate::sevennet::SevennetSpec),
}

impl CalculatorSpec {
    /// True for an i-PI client.
    pub fn is_ipi(&self) -> bool {
        matches!(self, CalculatorSpec::Ipi(_))
    }

    /// The chooser that gives every MD run its calculator: for a built-in potential the
    /// [`DefaultChooser`] with `coulomb`; for i-PI, a server bound now (it waits for its
    /// client on the first calculation) shared by every run ([`SharedCalculator`]), since one
    /// client holds one cell's atoms.
    pub fn chooser(&self, coulomb: Coulomb) -> Result<Arc<dyn PotentialChooser>> {
        Ok(match self {
            CalculatorSpec::Potential(spec) => Arc::new(DefaultChooser {
                spec: *spec,
                coulomb,
            }),
            CalculatorSpec::Ipi(address) => {
                let ipi = IpiCalculator::bind(address.clone(), IpiOptions::default())?;
                let shared = SharedCalculator::new(Box::new(ipi));
                Arc::new(move |_: &Composition| Ok(Box::new(shared.clone()) as Box<dyn Calculator>))
            }
            #[cfg(feature = "torch")]
            CalculatorSpec::Sevennet(spec) => Arc::new(spec.chooser()?),
        })
    }

    /// The calculator of one structure of `composition` (what `amorph energy` and the Python
    /// `Calculator` evaluate): a built-in potential built for it, or a machine-learned one.
    /// An i-PI address is refused: its server serves whole runs ([`CalculatorSpec::chooser`]).
    pub fn calculator_for(
        &self,
        composition: &Composition,
        coulomb: Coulomb,
    ) -> Result<Box<dyn Calculator>> {
        match self {
            CalculatorSpec::Potential(spec) => spec.build(composition, coulomb),
            CalculatorSpec::Ipi(_) => Err(MdError::Unsupported {
                potential: self.to_string(),
                reason: "an i-PI client serves whole MD runs (amorph md/run --calculator), \
                         not one structure"
                    .to_string(),
            }),
            #[cfg(feature = "torch")]
            CalculatorSpec::Sevennet(_) => self.chooser(coulomb)?.choose(composition),
        }
    }

    /// The same calculator on `device` (`cpu`, `cuda`, `cuda:N`): only a machine-learned
    /// potential (`sevennet`) runs anywhere but the CPU.
    pub fn on_device(self, device: &str) -> Result<Self> {
        #[cfg(feature = "torch")]
        if let CalculatorSpec::Sevennet(mut spec) = self {
            spec.device = device.parse().map_err(|e| MdError::InvalidName {
                what: "device",
                name: format!("{device} ({e})"),
                known: "cpu, cuda, cuda:N",
            })?;
            return Ok(CalculatorSpec::Sevennet(spec));
        }
        if device.eq_ignore_ascii_case("cpu") {
            Ok(self)
        } else {
            Err(MdError::Unsupported {
                potential: self.to_string(),
                reason: format!(
                    "runs on the CPU only (device {device} is for --potential sevennet)"
                ),
            })
        }
    }
}

impl fmt::Display for CalculatorSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalculatorSpec::Potential(p) => write!(f, "{p}"),
            CalculatorSpec::Ipi(IpiAddress::Tcp(port)) => write!(f, "ipi:tcp:{port}"),
            CalculatorSpec::Ipi(IpiAddress::Unix(path)) => {
                match path
                    .to_str()
                    .and_then(|p| p.strip_prefix(crate::ipi::UNIX_PREFIX))
                {
                    Some(name) if !name.contains('/') => write!(f, "ipi:unix:{name}"),
                    _ => write!(f, "ipi:unix:{}", path.display()),
                }
            }
            #[cfg(feature = "torch")]
            CalculatorSpec::Sevennet(spec) => write!(f, "{spec}"),
        }
    }
}

impl FromStr for CalculatorSpec {
    type Err = MdError;
    fn from_str(s: &str) -> Result<Self> {
        if s.starts_with("ipi:") {
            let address = IpiAddress::parse(s).map_err(|e| MdError::InvalidName {
                what: "i-PI address",
                name: format!("{s} ({e})"),
                known: "ipi:unix:NAME, ipi:unix:/path, ipi:tcp:PORT",
            })?;
            return Ok(CalculatorSpec::Ipi(address));
        }
        if let Some(spec) = crate::sevennet::parse(s) {
            return spec;
        }
        Ok(CalculatorSpec::Potential(s.parse()?))
    }
}

impl TryFrom<String> for CalculatorSpec {
    type Error = MdError;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<CalculatorSpec> for String {
    fn from(c: CalculatorSpec) -> String {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in [
            "auto-zbl",
            "tosi-fumi",
            "uff",
            "ipi:unix:li2o",
            "ipi:unix:/tmp/x/sock",
            "ipi:tcp:0",
        ] {
            let spec: CalculatorSpec = s.parse().unwrap();
            assert_eq!(spec.to_string(), s);
            let json = serde_json::to_string(&spec).unwrap();
            assert_eq!(serde_json::from_str::<CalculatorSpec>(&json).unwrap(), spec);
        }
        for s in ["dsf", "ewald"] {
            let k: CoulombKind = s.parse().unwrap();
            assert_eq!(k.to_string(), s);
        }
        let e = "ipi:udp:1"
            .parse::<CalculatorSpec>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("ipi:udp:1"), "{e}");
        assert!("lennard-jones".parse::<CalculatorSpec>().is_err());
    }

    #[cfg(not(feature = "torch"))]
    #[test]
    fn sevennet_without_libtorch_says_how_to_get_it() {
        for s in ["sevennet", "SevenNet", "sevennet:model.pt"] {
            let e = s.parse::<CalculatorSpec>().unwrap_err().to_string();
            assert_eq!(
                e,
                format!(
                    "potential '{s}': this amorph was built without libtorch; rebuild with `--features torch` (libtorch from scripts/peers/libtorch.sh)"
                )
            );
        }
        let e = CalculatorSpec::Potential(crate::potential::PotentialSpec::AUTO_ZBL)
            .on_device("cuda")
            .unwrap_err()
            .to_string();
        assert!(e.contains("runs on the CPU only"), "{e}");
    }

    #[cfg(feature = "torch")]
    #[test]
    fn sevennet_names_round_trip() {
        for s in ["sevennet", "sevennet:models/x.pt"] {
            let spec: CalculatorSpec = s.parse().unwrap();
            assert_eq!(spec.to_string(), s);
            let json = serde_json::to_string(&spec).unwrap();
            assert_eq!(serde_json::from_str::<CalculatorSpec>(&json).unwrap(), spec);
        }
        let spec: CalculatorSpec = "sevennet".parse().unwrap();
        let CalculatorSpec::Sevennet(s) = spec.on_device("cuda:1").unwrap() else {
            panic!("not sevennet")
        };
        assert_eq!(s.device, amorph_mlip::Device::Cuda(1));
        assert!("sevennet:".parse::<CalculatorSpec>().is_err());
    }
}
