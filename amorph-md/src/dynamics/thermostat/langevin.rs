//! Langevin dynamics with the BAOAB splitting.

use super::super::velocities::remove_momentum;
use super::{Particles, Thermostat, check_temperature, check_time, load, save};
use crate::error::Result;
use amorph_core::rng::{SeededRng, rng_from_seed};
use amorph_core::units::{AMU_A2_PER_FS2_IN_EV, KB_EV};
use nalgebra::Vector3;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

/// Langevin thermostat, BAOAB splitting (Leimkuhler & Matthews, J. Chem. Phys. 138, 174102
/// (2013)): B (half kick) · A (half drift) · O (exact Ornstein–Uhlenbeck step
/// `v ← e^{−γdt} v + sqrt((1 − e^{−2γdt}) k_BT/m) ξ`) · A · force · B, with friction
/// `γ = 1/τ`.
///
/// When the run holds the total momentum at zero (`N_f = 3N − 3`) the O step's noise is
/// projected onto zero total momentum (the centre-of-mass velocity is subtracted), which is an
/// exact OU process on that subspace, so the kinetic energy stays canonical over `3N − 3`
/// degrees of freedom. Excellent configurational sampling; it damps the dynamics, so
/// diffusion coefficients depend on γ. atomate2's MLFF default is γ = 10 ps⁻¹ (τ = 100 fs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Langevin {
    temperature: f64,
    tau: f64,
    rng: SeededRng,
}

impl Langevin {
    /// Target temperature (K), damping time τ = 1/γ (fs) and RNG seed.
    pub fn new(temperature: f64, tau_fs: f64, seed: u64) -> Result<Self> {
        check_temperature("langevin", temperature)?;
        check_time("langevin", "tau", tau_fs)?;
        Ok(Langevin {
            temperature,
            tau: tau_fs,
            rng: rng_from_seed(seed),
        })
    }
}

impl Thermostat for Langevin {
    fn name(&self) -> &'static str {
        "langevin"
    }
    fn target_temperature(&self) -> Option<f64> {
        Some(self.temperature)
    }
    fn set_target_temperature(&mut self, t: f64) -> Result<()> {
        check_temperature("langevin", t)?;
        self.temperature = t;
        Ok(())
    }
    fn drift(&mut self, p: &mut Particles<'_>, dt: f64) -> Result<()> {
        p.drift(0.5 * dt);
        let c1 = (-dt / self.tau).exp();
        let c2 = (1.0 - c1 * c1).sqrt();
        let kt = KB_EV * self.temperature / AMU_A2_PER_FS2_IN_EV;
        for (v, m) in p.velocities.iter_mut().zip(p.masses) {
            let sigma = c2 * (kt / m).sqrt();
            let mut g = || -> f64 { StandardNormal.sample(&mut self.rng) };
            let xi = Vector3::new(g(), g(), g());
            *v = *v * c1 + xi * sigma;
        }
        if p.zero_momentum {
            remove_momentum(p.velocities, p.masses);
        }
        p.drift(0.5 * dt);
        Ok(())
    }
    fn save_state(&self) -> serde_json::Value {
        save(self)
    }
    fn load_state(&mut self, state: serde_json::Value) -> Result<()> {
        let saved: Langevin = load("langevin", state)?;
        // The saved parameters pass the same checks as new ones.
        Langevin::new(saved.temperature, saved.tau, 0)?;
        *self = saved;
        Ok(())
    }
}
