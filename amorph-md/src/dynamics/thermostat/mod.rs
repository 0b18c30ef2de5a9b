//! The [`Thermostat`] trait and the thermostats of amorph-md.
//!
//! A thermostat acts through three hooks around the velocity-Verlet step
//!
//! ```text
//! before_step(dt) ─ v += dt/2·F/m ─ drift(dt) ─ F ← F(x) ─ v += dt/2·F/m ─ after_step(dt)
//! ```
//!
//! where `drift` defaults to `x += dt·v`. Nosé–Hoover chains use `before_step`/`after_step`
//! for their two half-step propagations, CSVR rescales in `before_step`, Berendsen and
//! velocity rescaling in `after_step`, and Langevin BAOAB replaces `drift` by A·O·A.
//! With a barostat ([`super::CRescale`]) `drift` is called twice per step, with `dt/2` each,
//! around the cell rescaling, so a `drift` must be a propagator over whatever time it is
//! given.
//! Stochastic thermostats own a seeded stream ([`amorph_core::rng::SeededRng`]) whose state is
//! part of [`Thermostat::save_state`], so a checkpointed run continues with the same random
//! numbers.
//!
//! Every thermostat here scales all velocities by one factor or (Langevin) projects its noise
//! onto zero total momentum when the degrees of freedom are `3N − 3`, so a zero total momentum
//! stays zero.

mod csvr;
mod kind;
mod langevin;
mod nhc;

pub use csvr::Csvr;
pub use kind::{THERMOSTAT_NAMES, ThermostatKind};
pub use langevin::Langevin;
pub use nhc::NoseHooverChain;

use super::temperature_of;
use super::velocities::kinetic_energy;
use crate::error::{MdError, Result};
use nalgebra::Vector3;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The mutable view of the particles a thermostat acts on.
pub struct Particles<'a> {
    /// Positions (Å).
    pub positions: &'a mut [Vector3<f64>],
    /// Velocities (Å/fs).
    pub velocities: &'a mut [Vector3<f64>],
    /// Masses (amu).
    pub masses: &'a [f64],
    /// Degrees of freedom the temperature is spread over.
    pub dof: usize,
    /// Whether the total momentum is held at zero (`dof = 3N − 3`).
    pub zero_momentum: bool,
}

impl Particles<'_> {
    /// Kinetic energy (eV).
    pub fn kinetic_energy(&self) -> f64 {
        kinetic_energy(self.velocities, self.masses)
    }

    /// Instantaneous temperature (K).
    pub fn temperature(&self) -> f64 {
        temperature_of(self.kinetic_energy(), self.dof)
    }

    /// Multiplies every velocity by `factor`.
    pub fn scale_velocities(&mut self, factor: f64) {
        for v in self.velocities.iter_mut() {
            *v *= factor;
        }
    }

    /// The plain velocity-Verlet drift `x += dt·v`.
    pub fn drift(&mut self, dt: f64) {
        for (x, v) in self.positions.iter_mut().zip(self.velocities.iter()) {
            *x += v * dt;
        }
    }
}

/// A thermostat: hooks around the velocity-Verlet step (see the module documentation).
///
/// The trait is object-safe; an MD run holds a `Box<dyn Thermostat>`.
pub trait Thermostat: Send {
    /// A short name (`"nve"`, `"nhc"`, `"csvr"`, `"langevin"`, `"berendsen"`, `"rescale"`),
    /// also used to match checkpoints.
    fn name(&self) -> &'static str;

    /// The target temperature (K); `None` for NVE.
    fn target_temperature(&self) -> Option<f64>;

    /// Changes the target temperature (K), e.g. along a quench ramp.
    fn set_target_temperature(&mut self, temperature: f64) -> Result<()>;

    /// Called once when the thermostat is attached to a run (and after a restore), with the
    /// time step (fs): validate against the system, precompute constants.
    fn setup(&mut self, particles: &Particles<'_>, dt: f64) -> Result<()> {
        let _ = (particles, dt);
        Ok(())
    }

    /// Acts before the first half kick.
    fn before_step(&mut self, particles: &mut Particles<'_>, dt: f64) -> Result<()> {
        let _ = (particles, dt);
        Ok(())
    }

    /// Moves the positions by `dt` between the two half kicks; `x += dt·v` unless overridden
    /// (Langevin BAOAB). Called once with the time step, or twice with half of it around the
    /// barostat's cell rescaling in NPT runs.
    fn drift(&mut self, particles: &mut Particles<'_>, dt: f64) -> Result<()> {
        particles.drift(dt);
        Ok(())
    }

    /// Acts after the second half kick.
    fn after_step(&mut self, particles: &mut Particles<'_>, dt: f64) -> Result<()> {
        let _ = (particles, dt);
        Ok(())
    }

    /// The thermostat's own energy that makes `E_pot + K + energy` a conserved quantity
    /// (Nosé–Hoover chains). `None` (the default) tells the run to track the kinetic energy
    /// the thermostat adds and report `E_pot + K − added` instead.
    fn energy(&self) -> Option<f64> {
        None
    }

    /// The complete state (parameters, internal variables, RNG stream) for a checkpoint.
    fn save_state(&self) -> serde_json::Value;

    /// Restores a state written by [`Thermostat::save_state`] of the same thermostat type.
    fn load_state(&mut self, state: serde_json::Value) -> Result<()>;
}

pub(crate) fn save<T: Serialize>(value: &T) -> serde_json::Value {
    // Serialising plain structs of numbers into a Value cannot fail.
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

pub(crate) fn load<T: DeserializeOwned>(name: &str, state: serde_json::Value) -> Result<T> {
    serde_json::from_value(state).map_err(|e| MdError::Thermostat {
        thermostat: name.into(),
        reason: format!("cannot restore the saved state: {e}"),
    })
}

pub(crate) fn check_temperature(name: &str, t: f64) -> Result<()> {
    if t.is_finite() && t >= 0.0 {
        Ok(())
    } else {
        Err(MdError::invalid(
            format!("{name} temperature"),
            t,
            "must be finite and ≥ 0 K",
        ))
    }
}

pub(crate) fn check_time(name: &str, what: &str, t: f64) -> Result<()> {
    if t.is_finite() && t > 0.0 {
        Ok(())
    } else {
        Err(MdError::invalid(
            format!("{name} {what}"),
            t,
            "must be finite and > 0 fs",
        ))
    }
}

pub(crate) fn cold_error(name: &str) -> MdError {
    MdError::Thermostat {
        thermostat: name.into(),
        reason: "the kinetic energy is zero, so velocities cannot be rescaled; draw \
                 Maxwell–Boltzmann velocities first"
            .into(),
    }
}

/// No thermostat: plain velocity Verlet (NVE).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Nve;

impl Thermostat for Nve {
    fn name(&self) -> &'static str {
        "nve"
    }
    fn target_temperature(&self) -> Option<f64> {
        None
    }
    fn set_target_temperature(&mut self, _: f64) -> Result<()> {
        Err(MdError::Thermostat {
            thermostat: "nve".into(),
            reason: "an NVE run has no target temperature".into(),
        })
    }
    fn energy(&self) -> Option<f64> {
        Some(0.0)
    }
    fn save_state(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn load_state(&mut self, _: serde_json::Value) -> Result<()> {
        Ok(())
    }
}

/// Berendsen weak coupling (J. Chem. Phys. 81, 3684 (1984)): after every step the velocities
/// are scaled by `λ = sqrt(1 + (dt/τ)(T₀/T − 1))`, clamped to [0.9, 1.1] as ASE does.
///
/// Relaxes T exponentially with time constant τ but does **not** sample the canonical
/// ensemble (the kinetic-energy distribution is too narrow): use it to pre-equilibrate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Berendsen {
    temperature: f64,
    tau: f64,
}

impl Berendsen {
    /// Target temperature (K) and coupling time τ (fs).
    pub fn new(temperature: f64, tau_fs: f64) -> Result<Self> {
        check_temperature("berendsen", temperature)?;
        check_time("berendsen", "tau", tau_fs)?;
        Ok(Berendsen {
            temperature,
            tau: tau_fs,
        })
    }
}

impl Thermostat for Berendsen {
    fn name(&self) -> &'static str {
        "berendsen"
    }
    fn target_temperature(&self) -> Option<f64> {
        Some(self.temperature)
    }
    fn set_target_temperature(&mut self, t: f64) -> Result<()> {
        check_temperature("berendsen", t)?;
        self.temperature = t;
        Ok(())
    }
    fn after_step(&mut self, p: &mut Particles<'_>, dt: f64) -> Result<()> {
        let t = p.temperature();
        if t <= 0.0 {
            if self.temperature > 0.0 {
                return Err(cold_error("berendsen"));
            }
            return Ok(());
        }
        let lambda = (1.0 + dt / self.tau * (self.temperature / t - 1.0))
            .max(0.0)
            .sqrt()
            .clamp(0.9, 1.1);
        p.scale_velocities(lambda);
        Ok(())
    }
    fn save_state(&self) -> serde_json::Value {
        save(self)
    }
    fn load_state(&mut self, state: serde_json::Value) -> Result<()> {
        let saved: Berendsen = load("berendsen", state)?;
        // The saved parameters pass the same checks as new ones.
        Berendsen::new(saved.temperature, saved.tau)?;
        *self = saved;
        Ok(())
    }
}

/// Velocity rescaling: every `interval` steps, when the temperature is further than `window`
/// (K) from the target, scale the velocities to the target exactly (LAMMPS `fix temp/rescale`
/// with fraction 1). Not canonical; for pre-equilibration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VelocityRescale {
    temperature: f64,
    window: f64,
    interval: u64,
    count: u64,
}

impl VelocityRescale {
    /// Target (K), tolerance window (K, ≥ 0) and interval (steps, ≥ 1).
    pub fn new(temperature: f64, window: f64, interval: u64) -> Result<Self> {
        check_temperature("rescale", temperature)?;
        if !(window.is_finite() && window >= 0.0) {
            return Err(MdError::invalid("rescale window", window, "must be ≥ 0 K"));
        }
        if interval == 0 {
            return Err(MdError::invalid(
                "rescale interval",
                0.0,
                "must be ≥ 1 step",
            ));
        }
        Ok(VelocityRescale {
            temperature,
            window,
            interval,
            count: 0,
        })
    }
}

impl Thermostat for VelocityRescale {
    fn name(&self) -> &'static str {
        "rescale"
    }
    fn target_temperature(&self) -> Option<f64> {
        Some(self.temperature)
    }
    fn set_target_temperature(&mut self, t: f64) -> Result<()> {
        check_temperature("rescale", t)?;
        self.temperature = t;
        Ok(())
    }
    fn after_step(&mut self, p: &mut Particles<'_>, _dt: f64) -> Result<()> {
        self.count += 1;
        if self.count % self.interval != 0 {
            return Ok(());
        }
        let t = p.temperature();
        if (t - self.temperature).abs() > self.window {
            if t <= 0.0 {
                return Err(cold_error("rescale"));
            }
            p.scale_velocities((self.temperature / t).sqrt());
        }
        Ok(())
    }
    fn save_state(&self) -> serde_json::Value {
        save(self)
    }
    fn load_state(&mut self, state: serde_json::Value) -> Result<()> {
        let saved: VelocityRescale = load("rescale", state)?;
        // The saved parameters pass the same checks as new ones (interval ≥ 1).
        VelocityRescale::new(saved.temperature, saved.window, saved.interval)?;
        *self = saved;
        Ok(())
    }
}
