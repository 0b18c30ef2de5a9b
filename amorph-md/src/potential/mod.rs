//! Built-in classical potentials, all implementing [`amorph_core::Calculator`].
//!
//! - [`PairTerm`] / [`PairPotential`]: Lennard-Jones, Morse, Buckingham, Born–Mayer–Huggins,
//!   inverse powers and ZBL, summed per species pair, with cutoffs and optional energy shift.
//! - [`Coulomb`]: exact [Ewald](Coulomb::Ewald) summation (automatic split from a relative
//!   accuracy) or [DSF](Coulomb::Dsf) with LAMMPS's self-energy convention.
//! - [`ForceField`]: pair potential + charges + electrostatics as one calculator; energy,
//!   forces and stress in one pass over a half Verlet list.
//! - [`pedone`]: the Pedone (PMMCS) glass potential with its full cation table (oxides).
//! - [`tosi_fumi`]: the Tosi–Fumi Born–Mayer–Huggins model of the alkali halides.
//! - [`uff_zbl`]: UFF Lennard-Jones + ZBL for Z = 1–94, a **smoke-test** potential (no
//!   charges: ionic compounds evaporate); never chosen automatically.
//! - [`Family`], [`choose_family`], [`PotentialSpec`]: which built-in potential covers a
//!   composition (every pair parameterised, fixed charges neutral) and potentials by name;
//!   a composition that nothing covers is refused with [`crate::MdError::NotCovered`].
//! - [`PotentialChooser`] / [`DefaultChooser`]: the choice the workflow makes for each
//!   composition; users pass their own chooser to override.

mod choice;
mod coulomb;
pub mod erfc;
mod forcefield;
mod kernel;
mod pair;
mod pedone;
mod tosi_fumi;
mod uff;
mod vmath;

pub use choice::{
    Coverage, CoverageReport, Family, POTENTIAL_NAMES, PotentialSpec, Uncovered, choose_family,
    physical_families,
};
pub use coulomb::{Coulomb, EWALD_COST_WEIGHT, EwaldOptions, EwaldSplit};
pub use forcefield::{DEFAULT_MIN_DISTANCE, DEFAULT_SKIN, ForceField, PARALLEL_MIN_PAIRS};
pub use kernel::PairKernel;
pub use pair::{PairEntry, PairPotential, PairTerm};
pub use pedone::{
    PEDONE_IONS, PEDONE_O_CHARGE, PEDONE_OO, PEDONE_ZBL_RADII, PedoneIon, PedoneOptions, pedone,
    pedone_ions,
};
pub use tosi_fumi::{
    ERG_CM_TO_EV_A, TF_ANIONS, TF_B, TF_CATIONS, TF_SALTS, TF_ZBL_RADII, TfIon, TfSalt,
    TosiFumiOptions, tf_pair_term, tf_salt, tf_salt_of, tosi_fumi,
};
pub use uff::{KCAL_PER_MOL_IN_EV, UFF_CUTOFF, UFF_LJ, uff_lj, uff_zbl};

use crate::error::Result;
use amorph_core::{Calculator, Composition};

/// Default DSF damping for `--coulomb dsf` (1/Å).
pub const DEFAULT_DSF_ALPHA: f64 = 0.2;
/// Default DSF cutoff for `--coulomb dsf` (Å).
pub const DEFAULT_DSF_CUTOFF: f64 = 10.0;
/// Default Ewald relative accuracy for `--coulomb ewald`.
pub const DEFAULT_EWALD_ACCURACY: f64 = 1e-10;

/// Picks a calculator for a composition. Implemented by [`DefaultChooser`] and by any
/// `Fn(&Composition) -> Result<Box<dyn Calculator>>`, so users can
/// override the choice. Called once before any MD (so that an uncovered composition is refused
/// up front) and then for each run.
pub trait PotentialChooser: Send + Sync {
    /// A calculator for structures of this composition.
    fn choose(&self, composition: &Composition) -> Result<Box<dyn Calculator>>;

    /// What [`PotentialChooser::choose`] would give for `composition`, checked before any MD.
    /// The default builds the calculator and reports its name as physical (a user's chooser
    /// answers for its own physics).
    fn preview(&self, composition: &Composition) -> Result<Choice> {
        let calc = self.choose(composition)?;
        Ok(Choice {
            potential: calc.name().to_string(),
            physical: true,
        })
    }
}

/// What a [`PotentialChooser`] picks for a composition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    /// The calculator's name (e.g. `pedone`, `tosi-fumi`, `uff-zbl`).
    pub potential: String,
    /// False for a smoke-test potential whose numbers are not physics (UFF).
    pub physical: bool,
}

impl<F> PotentialChooser for F
where
    F: Fn(&Composition) -> Result<Box<dyn Calculator>> + Send + Sync,
{
    fn choose(&self, composition: &Composition) -> Result<Box<dyn Calculator>> {
        self(composition)
    }
}

/// amorph's choice: a [`PotentialSpec`] (by default `auto-zbl`: the covering physical family
/// with its ZBL wall) with `coulomb` for the charged families.
///
/// ```
/// use amorph_core::Composition;
/// use amorph_md::potential::{Coulomb, DefaultChooser, PotentialChooser, PotentialSpec};
/// let chooser = DefaultChooser { spec: PotentialSpec::AUTO_ZBL, coulomb: Coulomb::dsf(0.2, 10.0).unwrap() };
/// let c = |f: &str| Composition::parse(f).unwrap();
/// assert_eq!(chooser.choose(&c("Li2Si2O5")).unwrap().name(), "pedone");
/// assert_eq!(chooser.choose(&c("KBr")).unwrap().name(), "tosi-fumi");
/// assert!(chooser.choose(&c("Li3PS4")).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DefaultChooser {
    /// The potential by name.
    pub spec: PotentialSpec,
    /// Electrostatics of the charged families.
    pub coulomb: Coulomb,
}

impl PotentialChooser for DefaultChooser {
    fn choose(&self, composition: &Composition) -> Result<Box<dyn Calculator>> {
        self.spec.build(composition, self.coulomb)
    }

    fn preview(&self, composition: &Composition) -> Result<Choice> {
        let family = self.spec.resolve(composition)?;
        Ok(Choice {
            potential: self.choose(composition)?.name().to_string(),
            physical: family.is_physical(),
        })
    }
}
