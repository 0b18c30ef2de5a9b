//! Bussi–Donadio–Parrinello canonical sampling through velocity rescaling.

use super::{Particles, Thermostat, check_temperature, check_time, cold_error, load, save};
use crate::error::Result;
use amorph_core::rng::{SeededRng, rng_from_seed};
use amorph_core::units::KB_EV;
use rand_distr::{Distribution, Gamma, StandardNormal};
use serde::{Deserialize, Serialize};

/// CSVR (Bussi, Donadio, Parrinello, J. Chem. Phys. 126, 014101 (2007)).
///
/// Before every step the kinetic energy K is replaced by a draw from the exact solution of
/// `dK = (K̄ − K) dt/τ + 2 sqrt(K K̄/N_f) dW/sqrt(τ)` over one time step, and all velocities are
/// scaled by `sqrt(K_new/K)` (positive root, as ASE):
/// `K_new = K + (1 − c)(K̄ (R₁² + S)/N_f − K) + 2R₁ sqrt(c(1 − c) K K̄/N_f)`, `c = e^{−dt/τ}`,
/// `R₁ ~ N(0,1)`, `S ~ χ²(N_f − 1)` (one gamma draw), `K̄ = N_f k_B T₀/2`.
/// Samples the canonical ensemble and barely perturbs the dynamics (good for diffusion).
/// A common τ is 100 fs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Csvr {
    temperature: f64,
    tau: f64,
    rng: SeededRng,
}

impl Csvr {
    /// Target temperature (K), coupling time τ (fs) and RNG seed.
    pub fn new(temperature: f64, tau_fs: f64, seed: u64) -> Result<Self> {
        check_temperature("csvr", temperature)?;
        check_time("csvr", "tau", tau_fs)?;
        Ok(Csvr {
            temperature,
            tau: tau_fs,
            rng: rng_from_seed(seed),
        })
    }
}

impl Thermostat for Csvr {
    fn name(&self) -> &'static str {
        "csvr"
    }
    fn target_temperature(&self) -> Option<f64> {
        Some(self.temperature)
    }
    fn set_target_temperature(&mut self, t: f64) -> Result<()> {
        check_temperature("csvr", t)?;
        self.temperature = t;
        Ok(())
    }
    fn before_step(&mut self, p: &mut Particles<'_>, dt: f64) -> Result<()> {
        if p.dof == 0 {
            return Ok(());
        }
        let k = p.kinetic_energy();
        if k <= 0.0 {
            if self.temperature > 0.0 {
                return Err(cold_error("csvr"));
            }
            return Ok(());
        }
        let nf = p.dof as f64;
        let kbar = 0.5 * nf * KB_EV * self.temperature;
        let c = (-dt / self.tau).exp();
        let r1: f64 = StandardNormal.sample(&mut self.rng);
        let s = if p.dof > 1 {
            // χ²(n) = 2·Gamma(n/2, 1); the shape is positive so `new` cannot fail.
            Gamma::new(0.5 * (nf - 1.0), 1.0)
                .map(|g| 2.0 * g.sample(&mut self.rng))
                .unwrap_or(0.0)
        } else {
            0.0
        };
        let k_new = k
            + (1.0 - c) * (kbar * (r1 * r1 + s) / nf - k)
            + 2.0 * r1 * (c * (1.0 - c) * k * kbar / nf).sqrt();
        p.scale_velocities((k_new.max(0.0) / k).sqrt());
        Ok(())
    }
    fn save_state(&self) -> serde_json::Value {
        save(self)
    }
    fn load_state(&mut self, state: serde_json::Value) -> Result<()> {
        let saved: Csvr = load("csvr", state)?;
        // The saved parameters pass the same checks as new ones.
        Csvr::new(saved.temperature, saved.tau, 0)?;
        *self = saved;
        Ok(())
    }
}
