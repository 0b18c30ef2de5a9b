//! `sevennet` and `sevennet:PATH` as calculator names: SevenNet models run in process through
//! libtorch (crate `amorph-mlip`), present only in a build with the `torch` feature. A build
//! without it refuses the names with a message that says how to get them.

use crate::error::{MdError, Result};
use crate::spec::CalculatorSpec;

/// The calculator named `name` if it names a SevenNet model (`sevennet`, `sevennet:PATH`,
/// any case for the prefix), else `None` (not ours).
pub(crate) fn parse(name: &str) -> Option<Result<CalculatorSpec>> {
    let lower = name.to_ascii_lowercase();
    let model = if lower == "sevennet" {
        None
    } else if lower.starts_with("sevennet:") {
        let path = &name["sevennet:".len()..];
        if path.is_empty() {
            return Some(Err(MdError::InvalidName {
                what: "potential",
                name: name.to_string(),
                known: "sevennet, sevennet:PATH (a model deployed by sevenn)",
            }));
        }
        Some(std::path::PathBuf::from(path))
    } else {
        return None;
    };
    #[cfg(feature = "torch")]
    return Some(Ok(CalculatorSpec::Sevennet(SevennetSpec {
        model,
        device: Default::default(),
    })));
    #[cfg(not(feature = "torch"))]
    {
        let _ = model;
        Some(Err(MdError::Unsupported {
            potential: name.to_string(),
            reason: "this amorph was built without libtorch; rebuild with `--features torch` (libtorch from scripts/peers/libtorch.sh)".into(),
        }))
    }
}

#[cfg(feature = "torch")]
pub use with_torch::*;

#[cfg(feature = "torch")]
mod with_torch {
    use crate::error::{MdError, Result};
    use crate::potential::{Choice, PotentialChooser};
    use amorph_core::{Calculator, Composition};
    use amorph_mlip::{Device, Lockstep, ModelInfo, SevenNet, SevenNetOptions};
    use std::path::PathBuf;

    /// A SevenNet model and where it runs.
    #[derive(Debug, Clone, PartialEq)]
    pub struct SevennetSpec {
        /// A deployed model file, or `None` for SevenNet-0 (carried by amorph-mlip).
        pub model: Option<PathBuf>,
        /// Where it runs (not part of the name: the same model gives the same numbers).
        pub device: Device,
    }

    impl std::fmt::Display for SevennetSpec {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match &self.model {
                None => f.write_str("sevennet"),
                Some(p) => write!(f, "sevennet:{}", p.display()),
            }
        }
    }

    impl SevennetSpec {
        /// The chooser that hands every MD run a SevenNet calculator. Loads the model now (a
        /// missing file, a bad device or a species outside the model is refused before MD),
        /// once: every run gets a member of one [`Lockstep`] group around it, so runs that go
        /// on at the same time (the compositions of `amorph run A B C`) are evaluated together,
        /// one forward call per step for all of them.
        pub fn chooser(&self) -> Result<SevennetChooser> {
            let info = match &self.model {
                None => ModelInfo::from_bytes(amorph_mlip::SEVENNET_0_BYTES),
                Some(p) => ModelInfo::read(p),
            }
            .map_err(|e| self.error(e))?;
            Ok(SevennetChooser {
                spec: self.clone(),
                info,
                group: Lockstep::new(Box::new(self.build()?)),
            })
        }

        /// The calculator.
        pub fn build(&self) -> Result<SevenNet> {
            let options = SevenNetOptions {
                device: self.device,
                threads: None,
            };
            SevenNet::from_model(self.model.as_ref(), &options).map_err(|e| self.error(e))
        }

        fn error(&self, e: amorph_mlip::TorchError) -> MdError {
            MdError::Unsupported {
                potential: self.to_string(),
                reason: e.to_string(),
            }
        }
    }

    /// Gives each MD run a [`amorph_mlip::LockstepMember`] of one group around one loaded
    /// model: the runs' calls are gathered into batches (one forward call for all runs that
    /// are computing forces at the same time).
    #[derive(Debug, Clone)]
    pub struct SevennetChooser {
        spec: SevennetSpec,
        info: ModelInfo,
        group: Lockstep,
    }

    impl SevennetChooser {
        /// The number of cells in each forward call so far (runs that computed together).
        pub fn batch_sizes(&self) -> Vec<usize> {
            self.group.batch_sizes()
        }

        fn check(&self, composition: &Composition) -> Result<()> {
            for (e, _) in composition.iter() {
                if self.info.index_of(e).is_none() {
                    return Err(MdError::Unsupported {
                        potential: self.spec.to_string(),
                        reason: format!("the model does not know {e} (in {composition})"),
                    });
                }
            }
            Ok(())
        }
    }

    impl PotentialChooser for SevennetChooser {
        fn choose(&self, composition: &Composition) -> Result<Box<dyn Calculator>> {
            self.check(composition)?;
            Ok(Box::new(self.group.member()))
        }

        fn preview(&self, composition: &Composition) -> Result<Choice> {
            self.check(composition)?;
            Ok(Choice {
                potential: self.spec.to_string(),
                physical: true,
            })
        }
    }
}
