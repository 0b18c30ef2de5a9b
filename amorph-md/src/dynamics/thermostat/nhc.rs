//! Nosé–Hoover chains (MTK).

use super::{Particles, Thermostat, check_temperature, check_time, load, save};
use crate::error::{MdError, Result};
use amorph_core::units::KB_EV;
use serde::{Deserialize, Serialize};

/// The longest Nosé–Hoover chain (thermostats beyond the tenth do nothing measurable).
const MAX_CHAIN: usize = 100;
/// The most integration loops per half step (one to a few are used in practice).
const MAX_LOOPS: usize = 1000;

/// Nosé–Hoover chain thermostat in the Martyna–Tuckerman–Klein form (J. Chem. Phys. 97,
/// 2635 (1992); Tuckerman et al., J. Phys. A 39, 5629 (2006)).
///
/// Chain of `M` thermostats (positions η_j, momenta p_j in eV·fs, masses `Q₁ = N_f k_BT₀τ²`,
/// `Q_j = k_BT₀τ²`, as ASE and LAMMPS `fix nvt`). The step is `NHC(dt/2) · VV · NHC(dt/2)`;
/// each half propagation is split into `loops` sub-steps and a Suzuki–Yoshida scheme of order
/// 1, 3 or 5. Conserved quantity
/// `H' = E_pot + K + Σ p_j²/2Q_j + N_f k_BT₀ η₁ + k_BT₀ Σ_{j≥2} η_j` ([`Thermostat::energy`]).
///
/// Defaults ([`NoseHooverChain::new`]): chain length 3, 1 loop, Suzuki–Yoshida order 3
/// (ASE's defaults; LAMMPS `fix nvt` uses tchain 3, tloop 1). τ ≈ 100 time steps is the usual
/// advice.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoseHooverChain {
    temperature: f64,
    tau: f64,
    loops: usize,
    order: usize,
    eta: Vec<f64>,
    p: Vec<f64>,
    /// Set by `setup`: degrees of freedom the chain couples to.
    dof: usize,
}

impl NoseHooverChain {
    /// Target temperature (K, > 0) and time constant τ (fs); chain length 3, 1 loop, SY order 3.
    pub fn new(temperature: f64, tau_fs: f64) -> Result<Self> {
        Self::with_options(temperature, tau_fs, 3, 1, 3)
    }

    /// Full control: chain length (1–100), loops per half step (1–1000),
    /// Suzuki–Yoshida order (1, 3 or 5).
    pub fn with_options(
        temperature: f64,
        tau_fs: f64,
        chain: usize,
        loops: usize,
        order: usize,
    ) -> Result<Self> {
        check_temperature("nhc", temperature)?;
        if temperature <= 0.0 {
            return Err(MdError::invalid(
                "nhc temperature",
                temperature,
                "must be > 0 K (the chain masses are proportional to it)",
            ));
        }
        check_time("nhc", "tau", tau_fs)?;
        if !(1..=MAX_CHAIN).contains(&chain) {
            return Err(MdError::invalid(
                "nhc chain length",
                chain as f64,
                format!("must be 1–{MAX_CHAIN}"),
            ));
        }
        if !(1..=MAX_LOOPS).contains(&loops) {
            return Err(MdError::invalid(
                "nhc loops",
                loops as f64,
                format!("must be 1–{MAX_LOOPS}"),
            ));
        }
        if ![1, 3, 5].contains(&order) {
            return Err(MdError::invalid(
                "nhc Suzuki–Yoshida order",
                order as f64,
                "must be 1, 3 or 5",
            ));
        }
        Ok(NoseHooverChain {
            temperature,
            tau: tau_fs,
            loops,
            order,
            eta: vec![0.0; chain],
            p: vec![0.0; chain],
            dof: 0,
        })
    }

    fn kt(&self) -> f64 {
        KB_EV * self.temperature
    }

    fn mass(&self, j: usize) -> f64 {
        let q = self.kt() * self.tau * self.tau;
        if j == 0 { self.dof as f64 * q } else { q }
    }

    fn weights(&self) -> Vec<f64> {
        match self.order {
            3 => {
                let w = 1.0 / (2.0 - 2f64.cbrt());
                vec![w, 1.0 - 2.0 * w, w]
            }
            5 => {
                let w = 1.0 / (4.0 - 4f64.cbrt());
                vec![w, w, 1.0 - 4.0 * w, w, w]
            }
            _ => vec![1.0],
        }
    }

    /// Force on chain element j given the particles' kinetic energy `k`.
    fn g(&self, j: usize, k: f64) -> f64 {
        if j == 0 {
            2.0 * k - self.dof as f64 * self.kt()
        } else {
            self.p[j - 1] * self.p[j - 1] / self.mass(j - 1) - self.kt()
        }
    }

    /// Updates p_j for time `d/2` (half of a sub-step `d`): kick by G_j, damped by p_{j+1} for
    /// `d/4` on both sides.
    fn update_p(&mut self, j: usize, k: f64, d: f64) {
        let m = self.p.len();
        let damp = if j + 1 < m {
            (-0.25 * d * self.p[j + 1] / self.mass(j + 1)).exp()
        } else {
            1.0
        };
        self.p[j] *= damp;
        self.p[j] += 0.5 * d * self.g(j, k);
        self.p[j] *= damp;
    }

    /// Propagates the chain and the particle velocities for time `h`.
    fn propagate(&mut self, particles: &mut Particles<'_>, h: f64) {
        let m = self.p.len();
        let mut k = particles.kinetic_energy();
        let mut scale = 1.0;
        for _ in 0..self.loops {
            for w in self.weights() {
                let d = w * h / self.loops as f64;
                // Sweep down the chain: p_M … p_1, each for d/2.
                for j in (0..m).rev() {
                    self.update_p(j, k, d);
                }
                for j in 0..m {
                    self.eta[j] += d * self.p[j] / self.mass(j);
                }
                let s = (-d * self.p[0] / self.mass(0)).exp();
                scale *= s;
                k *= s * s;
                // Sweep up: p_1 … p_M, each for d/2.
                for j in 0..m {
                    self.update_p(j, k, d);
                }
            }
        }
        particles.scale_velocities(scale);
    }
}

impl Thermostat for NoseHooverChain {
    fn name(&self) -> &'static str {
        "nhc"
    }
    fn target_temperature(&self) -> Option<f64> {
        Some(self.temperature)
    }
    fn set_target_temperature(&mut self, t: f64) -> Result<()> {
        check_temperature("nhc", t)?;
        if t <= 0.0 {
            return Err(MdError::invalid("nhc temperature", t, "must be > 0 K"));
        }
        self.temperature = t;
        Ok(())
    }
    fn setup(&mut self, particles: &Particles<'_>, _dt: f64) -> Result<()> {
        if particles.dof == 0 {
            return Err(MdError::Thermostat {
                thermostat: "nhc".into(),
                reason: "the system has no degrees of freedom".into(),
            });
        }
        self.dof = particles.dof;
        Ok(())
    }
    fn before_step(&mut self, p: &mut Particles<'_>, dt: f64) -> Result<()> {
        self.propagate(p, 0.5 * dt);
        Ok(())
    }
    fn after_step(&mut self, p: &mut Particles<'_>, dt: f64) -> Result<()> {
        self.propagate(p, 0.5 * dt);
        Ok(())
    }
    fn energy(&self) -> Option<f64> {
        let kt = self.kt();
        let mut e = 0.0;
        for j in 0..self.p.len() {
            e += 0.5 * self.p[j] * self.p[j] / self.mass(j);
            e += if j == 0 {
                self.dof as f64 * kt * self.eta[0]
            } else {
                kt * self.eta[j]
            };
        }
        Some(e)
    }
    fn save_state(&self) -> serde_json::Value {
        save(self)
    }
    fn load_state(&mut self, state: serde_json::Value) -> Result<()> {
        let saved: NoseHooverChain = load("nhc", state)?;
        // The saved parameters pass the same checks as new ones, and the chain's positions
        // and momenta are finite and as long as each other.
        NoseHooverChain::with_options(
            saved.temperature,
            saved.tau,
            saved.eta.len(),
            saved.loops,
            saved.order,
        )?;
        if saved.p.len() != saved.eta.len() {
            return Err(MdError::Thermostat {
                thermostat: "nhc".into(),
                reason: format!(
                    "cannot restore the saved state: {} chain momenta for {} chain positions",
                    saved.p.len(),
                    saved.eta.len()
                ),
            });
        }
        if saved.eta.iter().chain(&saved.p).any(|x| !x.is_finite()) {
            return Err(MdError::Thermostat {
                thermostat: "nhc".into(),
                reason: "cannot restore the saved state: a chain variable is not finite".into(),
            });
        }
        *self = saved;
        Ok(())
    }
}
