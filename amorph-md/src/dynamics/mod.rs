//! Molecular dynamics: velocity Verlet, thermostats, a barostat, initial velocities,
//! observers, checkpoints and FIRE geometry optimisation.
//!
//! # Units and conventions
//!
//! Positions Å, velocities Å/fs, masses amu, forces eV/Å, energies eV, time fs, temperature K.
//! A force F on mass m accelerates by `F / (m · AMU_A2_PER_FS2_IN_EV)` Å/fs².
//!
//! * **Degrees of freedom** `N_f`: `3N − 3` when the total momentum is removed (the default:
//!   initial velocities have zero momentum and every thermostat here keeps it zero), `3N`
//!   otherwise ([`Dof`]). The temperature is `T = 2K / (N_f k_B)`, LAMMPS's `compute temp`
//!   convention.
//! * **Pressure** includes the kinetic term, as LAMMPS's `compute pressure`:
//!   `P = (N_f k_B T + Σ r·f) / (3V) = 2K/(3V) − tr(σ)/3`, with σ the calculator's stress
//!   (ASE sign). Since `N_f k_B T = 2K`, the value does not depend on the DOF convention.
//!   Reported in bar (`units::EV_PER_A3_IN_BAR`).
//! * **Conserved quantity**: `E_pot + K + (thermostat energy)`: the Nosé–Hoover chain energy
//!   for NHC, minus the kinetic energy the thermostat put in for the others (CSVR's
//!   "effective energy", likewise for Langevin, Berendsen and rescaling); `E_pot + K` in NVE.
//!   With a barostat, plus `P₀V` and the barostat's work estimate ([`CRescale::energy`]).
//!
//! [`RunFiles`] runs a job with its files (trajectory, thermo log, checkpoints) and sums it up
//! in a [`RunSummary`], as `amorph md` does.
//!
//! # Constant pressure (NPT)
//!
//! [`Md::with_barostat`] adds [`CRescale`], Bernetti & Bussi's stochastic cell rescaling:
//! every step the cell and the positions are scaled isotropically (velocities inversely)
//! by a random factor whose drift pushes the pressure towards the target and whose noise
//! gives the volume the fluctuations of the isothermal–isobaric ensemble. The calculator is
//! asked for the stress on every step; the thermostat's target sets the noise temperature.
//! The volume and density are in [`Thermo`] (and the thermo log); checkpoints carry the
//! barostat's state. [`PressureCoupling::Virial`] drives the static pressure alone to the
//! target instead (MPMorph's convention for finding a melt's volume).
//!
//! # Example
//!
//! ```
//! use amorph_core::{Calculation, Calculator, Element, Lattice, Request, Structure};
//! use amorph_md::dynamics::{maxwell_boltzmann, Csvr, Md, MdConfig};
//! use nalgebra::Vector3;
//!
//! /// Every atom tied to its own origin site by a spring (a toy calculator).
//! struct Springs(Vec<Vector3<f64>>);
//! impl Calculator for Springs {
//!     fn name(&self) -> &str { "springs" }
//!     fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
//!         let d: Vec<_> = s.positions().iter().zip(&self.0).map(|(r, r0)| r - r0).collect();
//!         let energy = 0.5 * d.iter().map(|x| x.norm_squared()).sum::<f64>();
//!         Ok(Calculation::new(energy, d.iter().map(|x| -x).collect()).with_stress([0.0; 6]))
//!     }
//! }
//!
//! let o = Element::from_symbol("O").unwrap();
//! let frac: Vec<_> = (0..8).map(|i| Vector3::new((i & 1) as f64, ((i >> 1) & 1) as f64,
//!     (i >> 2) as f64) * 0.5).collect();
//! let s = Structure::from_fractional(Lattice::cubic(6.0).unwrap(), vec![o; 8], &frac).unwrap();
//! let calc = Springs(s.positions().to_vec());
//! let v = maxwell_boltzmann(&s, 300.0, 42, true).unwrap();
//! let mut md = Md::new(s, Box::new(calc), MdConfig::new(1.0)).unwrap()
//!     .with_velocities(v).unwrap()
//!     .with_thermostat(Box::new(Csvr::new(300.0, 100.0, 7).unwrap())).unwrap();
//! assert!((md.temperature() - 300.0).abs() < 1e-9);
//! md.run(100).unwrap();
//! assert_eq!(md.step(), 100);
//! assert!(md.momentum().norm() < 1e-9);
//! ```
//!
//! NPT: these atoms feel no forces (an ideal gas, 1.5 kbar at 300 K in this cell), so at a
//! target of 5 kbar the barostat compresses the cell.
//!
//! ```
//! # use amorph_core::{Calculation, Calculator, Element, Lattice, Request, Structure};
//! # use amorph_md::dynamics::{maxwell_boltzmann, Csvr, Md, MdConfig};
//! # use nalgebra::Vector3;
//! # struct Springs(Vec<Vector3<f64>>);
//! # impl Calculator for Springs {
//! #     fn name(&self) -> &str { "springs" }
//! #     fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
//! #         Ok(Calculation::new(0.0, vec![Vector3::zeros(); s.len()]).with_stress([0.0; 6]))
//! #     }
//! # }
//! use amorph_md::dynamics::CRescale;
//! let o = Element::from_symbol("O").unwrap();
//! let frac: Vec<_> = (0..8).map(|i| Vector3::new((i & 1) as f64, ((i >> 1) & 1) as f64,
//!     (i >> 2) as f64) * 0.5).collect();
//! let s = Structure::from_fractional(Lattice::cubic(6.0).unwrap(), vec![o; 8], &frac).unwrap();
//! let v = maxwell_boltzmann(&s, 300.0, 42, true).unwrap();
//! let mut md = Md::new(s, Box::new(Springs(vec![])), MdConfig::new(1.0)).unwrap()
//!     .with_velocities(v).unwrap()
//!     .with_thermostat(Box::new(Csvr::new(300.0, 100.0, 7).unwrap())).unwrap()
//!     .with_barostat(CRescale::new(5000.0, 100.0, 3).unwrap()).unwrap();
//! md.run(200).unwrap();
//! assert!(md.volume() < 216.0);
//! ```

mod barostat;
mod checkpoint;
mod fire;
mod integrator;
mod job;
mod observer;
mod thermostat;
mod trajectory;
mod velocities;

pub use barostat::{
    CRescale, DEFAULT_BAROSTAT_TAU_FS, DEFAULT_COMPRESSIBILITY_PER_BAR, PressureCoupling,
};
pub use checkpoint::Checkpoint;
pub use fire::{Fire, FireReport};
pub use integrator::{Md, MdConfig, Progress};
pub use job::{RunFiles, RunSummary};
pub use observer::{CallbackObserver, Frame, Observer, Thermo, ThermoLog};
pub use thermostat::{
    Berendsen, Csvr, Langevin, NoseHooverChain, Nve, Particles, THERMOSTAT_NAMES, Thermostat,
    ThermostatKind, VelocityRescale,
};
pub use trajectory::TrajectoryWriter;
pub use velocities::{Dof, kinetic_energy, maxwell_boltzmann, momentum, remove_momentum};

use amorph_core::units::{AMU_A2_PER_FS2_IN_EV, KB_EV};

/// Temperature (K) of kinetic energy `k` (eV) spread over `dof` degrees of freedom.
pub fn temperature_of(k: f64, dof: usize) -> f64 {
    if dof == 0 {
        0.0
    } else {
        2.0 * k / (dof as f64 * KB_EV)
    }
}

/// Converts a force (eV/Å) divided by a mass (amu) into an acceleration (Å/fs²).
pub(crate) const ACCEL: f64 = 1.0 / AMU_A2_PER_FS2_IN_EV;
