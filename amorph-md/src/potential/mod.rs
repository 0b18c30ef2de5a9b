//! Built-in classical potentials, all implementing [`amorph_core::Calculator`].
//!
//! - [`PairTerm`] / [`PairPotential`]: Lennard-Jones, Morse, Buckingham, Born–Mayer–Huggins,
//!   inverse powers and ZBL, summed per species pair, with cutoffs and optional energy shift.
//! - [`Coulomb`]: exact [Ewald](Coulomb::Ewald) summation (automatic split from a relative
//!   accuracy) or [DSF](Coulomb::Dsf) with LAMMPS's self-energy convention.
//! - [`ForceField`]: pair potential + charges + electrostatics as one calculator; energy,
//!   forces and stress in one pass over a half Verlet list.
//! - [`pedone`]: the Pedone (PMMCS) glass potential with its full cation table.
//! - [`uff_zbl`]: a universal fallback (UFF Lennard-Jones + ZBL) for Z = 1–94.
//! - [`choose_potential`] / [`PotentialChooser`]: Pedone where it covers the composition,
//!   the fallback otherwise; users pass their own chooser to override.

mod coulomb;
pub mod erfc;
mod forcefield;
mod pair;
mod pedone;
mod uff;

pub use coulomb::{Coulomb, EWALD_COST_WEIGHT, EwaldOptions, EwaldSplit};
pub use forcefield::{DEFAULT_MIN_DISTANCE, DEFAULT_SKIN, ForceField, PARALLEL_MIN_PAIRS};
pub use pair::{PairEntry, PairPotential, PairTerm};
pub use pedone::{
    PEDONE_IONS, PEDONE_O_CHARGE, PEDONE_OO, PedoneIon, PedoneOptions, pedone, pedone_covers,
    pedone_ions,
};
pub use uff::{KCAL_PER_MOL_IN_EV, UFF_CUTOFF, UFF_LJ, uff_lj, uff_zbl};

use crate::error::{MdError, Result};
use amorph_core::{Calculator, Element};

/// Default DSF damping for `--coulomb dsf` (1/Å).
pub const DEFAULT_DSF_ALPHA: f64 = 0.2;
/// Default DSF cutoff for `--coulomb dsf` (Å).
pub const DEFAULT_DSF_CUTOFF: f64 = 10.0;
/// Default Ewald relative accuracy for `--coulomb ewald`.
pub const DEFAULT_EWALD_ACCURACY: f64 = 1e-10;

/// Picks a calculator for a set of elements. Implemented by [`DefaultChooser`] and by any
/// `Fn(&[Element]) -> Result<Box<dyn Calculator>>`, so users can override the choice.
pub trait PotentialChooser: Send + Sync {
    /// A calculator for structures made of `elements`.
    fn choose(&self, elements: &[Element]) -> Result<Box<dyn Calculator>>;
}

impl<F> PotentialChooser for F
where
    F: Fn(&[Element]) -> Result<Box<dyn Calculator>> + Send + Sync,
{
    fn choose(&self, elements: &[Element]) -> Result<Box<dyn Calculator>> {
        self(elements)
    }
}

/// amorph's default choice: Pedone (with `coulomb`) when every element is in its table and
/// oxygen is present, the UFF + ZBL fallback otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DefaultChooser {
    /// Electrostatics for Pedone.
    pub coulomb: Coulomb,
}

impl PotentialChooser for DefaultChooser {
    fn choose(&self, elements: &[Element]) -> Result<Box<dyn Calculator>> {
        choose_potential(elements, self.coulomb)
    }
}

/// Pedone (with `coulomb`) when it covers `elements` and oxygen is among them, else the
/// UFF + ZBL fallback.
///
/// ```
/// use amorph_core::Element;
/// use amorph_md::potential::{choose_potential, Coulomb};
/// let els = |f: &[&str]| f.iter().map(|s| s.parse::<Element>().unwrap()).collect::<Vec<_>>();
/// let dsf = Coulomb::dsf(0.2, 10.0).unwrap();
/// assert_eq!(choose_potential(&els(&["Li", "Si", "O"]), dsf).unwrap().name(), "pedone");
/// assert_eq!(choose_potential(&els(&["Li", "B", "O"]), dsf).unwrap().name(), "uff-zbl");
/// ```
pub fn choose_potential(elements: &[Element], coulomb: Coulomb) -> Result<Box<dyn Calculator>> {
    let has_o = elements.iter().any(|e| e.symbol() == "O");
    if has_o && pedone_covers(elements) {
        Ok(Box::new(pedone(&PedoneOptions {
            coulomb,
            ..PedoneOptions::default()
        })?))
    } else {
        Ok(Box::new(uff_zbl(elements)?))
    }
}

/// The ZBL switching radii (Å) of the stabilised Pedone, `pedone-zbl`.
pub const PEDONE_ZBL_RADII: (f64, f64) = (0.7, 1.4);

/// Like [`choose_potential`], but Pedone gets the ZBL wall of [`PEDONE_ZBL_RADII`]
/// (`PedoneOptions::zbl`), which melts at 5000 K need. The workflow's default.
pub fn choose_stable_potential(
    elements: &[Element],
    coulomb: Coulomb,
) -> Result<Box<dyn Calculator>> {
    let has_o = elements.iter().any(|e| e.symbol() == "O");
    if has_o && pedone_covers(elements) {
        Ok(Box::new(pedone(&PedoneOptions {
            coulomb,
            zbl: Some(PEDONE_ZBL_RADII),
            ..PedoneOptions::default()
        })?))
    } else {
        Ok(Box::new(uff_zbl(elements)?))
    }
}

/// A built-in force field by name: `pedone`, `pedone-zbl` (Pedone with a ZBL wall below
/// 1.4 Å), `uff` (the fallback), `auto` ([`choose_potential`]) or `auto-zbl`
/// ([`choose_stable_potential`]). `coulomb` applies to Pedone.
pub fn by_name(name: &str, elements: &[Element], coulomb: Coulomb) -> Result<Box<dyn Calculator>> {
    match name.to_ascii_lowercase().as_str() {
        "pedone" | "pmmcs" => Ok(Box::new(pedone(&PedoneOptions {
            coulomb,
            ..PedoneOptions::default()
        })?)),
        "pedone-zbl" => Ok(Box::new(pedone(&PedoneOptions {
            coulomb,
            zbl: Some(PEDONE_ZBL_RADII),
            ..PedoneOptions::default()
        })?)),
        "uff" | "uff-zbl" | "fallback" => Ok(Box::new(uff_zbl(elements)?)),
        "auto" => choose_potential(elements, coulomb),
        "auto-zbl" => choose_stable_potential(elements, coulomb),
        _ => Err(MdError::UnknownPotential(format!(
            "{name} (known: pedone, pedone-zbl, uff, auto, auto-zbl)"
        ))),
    }
}
