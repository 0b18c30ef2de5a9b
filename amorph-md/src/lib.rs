//! # amorph-md
//!
//! Molecular dynamics: built-in potentials, Ewald/DSF electrostatics, thermostats, FIRE, i-PI.
//!
//! ## Potentials ([`potential`])
//!
//! [`potential::ForceField`] is a [`amorph_core::Calculator`] made of composable pair terms
//! (Lennard-Jones, Morse, Buckingham, Born–Mayer–Huggins, r⁻ⁿ, ZBL) per species pair plus point
//! charges with exact Ewald or DSF electrostatics; energy, forces and stress come from one pass
//! over a half Verlet list. [`potential::pedone`] builds the Pedone glass potential (oxides),
//! [`potential::tosi_fumi`] the Tosi–Fumi model (alkali halides) and [`potential::uff_zbl`] a
//! charge-free smoke-test potential for any element; [`potential::choose_family`] picks the
//! physical potential that covers a composition or refuses it (pass your own
//! [`potential::PotentialChooser`] to override).
//!
//! ```
//! use amorph_core::{Calculator, Element, Lattice, Request, Structure};
//! use amorph_md::potential::{pedone, Coulomb, PedoneOptions};
//! use nalgebra::Vector3;
//! let (ca, o): (Element, Element) = ("Ca".parse().unwrap(), "O".parse().unwrap());
//! let s = Structure::new(Lattice::cubic(4.8105).unwrap(), vec![ca, o],
//!     vec![Vector3::zeros(), Vector3::new(2.40525, 2.40525, 2.40525)]).unwrap();
//! let mut ff = pedone(&PedoneOptions { coulomb: Coulomb::dsf(0.2, 10.0).unwrap(), ..Default::default() }).unwrap();
//! let c = ff.calculate(&s, Request::STRESS).unwrap();
//! assert!(c.energy < 0.0 && c.forces.iter().all(|f| f.norm() < 1e-9));
//! ```
//!
//! ## Dynamics ([`dynamics`])
//!
//! [`dynamics::Md`] owns a structure, its velocities and forces, a `Box<dyn Calculator>` and a
//! [`dynamics::Thermostat`] (Nosé–Hoover chains, CSVR, Langevin BAOAB, Berendsen, velocity
//! rescaling, or NVE), integrates with velocity Verlet, reports to observers (extxyz/XDATCAR
//! trajectories, a CSV thermo log, callbacks) and writes checkpoints from which a run
//! continues bit for bit. [`dynamics::Fire`] relaxes positions and, optionally, the cell.
//!
//! **Constant pressure:** [`dynamics::Md::with_barostat`] with [`dynamics::CRescale`]
//! (Bernetti & Bussi's stochastic cell rescaling, isotropic) makes a run NPT: the cell and
//! positions are rescaled every step so that the volume samples the isothermal–isobaric
//! ensemble at the target pressure (or, with [`dynamics::PressureCoupling::Virial`], so that
//! the static pressure averages the target, as MPMorph's volume search). Volume and density
//! are reported with the thermodynamic state; the barostat's state is checkpointed.
//!
//! ```
//! use amorph_core::{Element, Lattice, Structure};
//! use amorph_md::dynamics::maxwell_boltzmann;
//! use nalgebra::Vector3;
//! let ar = Element::from_symbol("Ar").unwrap();
//! let s = Structure::new(Lattice::cubic(6.0).unwrap(), vec![ar; 2],
//!     vec![Vector3::zeros(), Vector3::new(3.0, 3.0, 3.0)]).unwrap();
//! // 2 atoms, momentum removed: 3N − 3 = 3 degrees of freedom, exactly 300 K.
//! let v = maxwell_boltzmann(&s, 300.0, 1, true).unwrap();
//! assert!((v[0] * 39.948 + v[1] * 39.948).norm() < 1e-12);
//! ```

pub mod dynamics;
pub mod error;
pub mod ipi;
pub mod potential;
mod sevennet;
#[cfg(feature = "torch")]
pub use sevennet::{SevennetChooser, SevennetSpec};
pub mod spec;

pub use error::{MdError, Result};
