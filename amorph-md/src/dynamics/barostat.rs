//! Stochastic cell rescaling (C-rescale), an isotropic barostat for NPT runs: [`CRescale`].

use crate::error::{MdError, Result};
use amorph_core::rng::{SeededRng, rng_from_seed};
use amorph_core::units::EV_PER_A3_IN_BAR;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

/// Default coupling time τ_p (fs): GROMACS's default `tau-p` of 5 ps.
pub const DEFAULT_BAROSTAT_TAU_FS: f64 = 5000.0;
/// Default compressibility β_T (1/bar): water at 300 K, GROMACS's customary value. It only
/// sets the coupling strength (with τ_p), not the sampled distribution.
pub const DEFAULT_COMPRESSIBILITY_PER_BAR: f64 = 4.5e-5;

/// Which pressure the barostat drives to its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PressureCoupling {
    /// The full instantaneous pressure `2K/(3V) − tr σ/3`; velocities are scaled with the
    /// cell. Samples the isothermal–isobaric ensemble (the default).
    #[default]
    Full,
    /// The static (virial) pressure `−tr σ/3` alone; velocities are not scaled. The volume
    /// settles where the virial pressure averages the target (MPMorph's convention); not an
    /// NPT ensemble.
    Virial,
}

/// The stochastic cell rescaling barostat (C-rescale, isotropic) for NPT runs.
///
/// Bernetti & Bussi, J. Chem. Phys. 153, 114107 (2020) (arXiv:2006.09250). The logarithm of
/// the volume `ε = ln V` follows a first-order stochastic equation, written with
/// `λ = √V` so that the noise is additive (the form the authors integrate):
///
/// ```text
/// dλ = −(β_T λ / 2τ_p) (P₀ − P_int − k_BT/2V) dt + sqrt(k_BT β_T / 2τ_p) dW
/// ```
///
/// `P₀` the target pressure, `P_int = 2K/(3V) − tr σ/3` the instantaneous pressure with the
/// kinetic term, `β_T` a compressibility and `τ_p` a coupling time. Its stationary
/// distribution is the isothermal–isobaric one, `∝ exp(−(E + P₀V)/k_BT) dV`, for any
/// `β_T` and `τ_p`: they only set how fast the volume relaxes (about `τ_p κ/β_T` for a
/// system of true compressibility `κ`). In `ε` (Itô) the same process reads
/// `dε = −(β_T/τ_p)(P₀ − P_int) dt + sqrt(2k_BT β_T/(V τ_p)) dW`. Positions and the cell are
/// scaled by `s = exp(Δε/3)`, velocities by `1/s`.
///
/// # Integration (the paper's time-reversible scheme)
///
/// Within [`Md`](crate::dynamics::Md)'s velocity-Verlet step, the barostat sits between the two half
/// kicks, with the thermostat outside them (the Trotter splitting of the authors'
/// reference implementation), on every step or every [`CRescale::with_interval`] steps:
///
/// ```text
/// thermostat · v += dt/2·F/m · x += dt/2·v · [λ → λ + Δλ: x, cell ×s; v ×1/s] · x += dt/2·v
///            · F ← F(x) · v += dt/2·F/m · thermostat
/// ```
///
/// `Δλ = (β_T Δt/4τ_p) f + sqrt(k_BT β_T Δt/2τ_p) R` (Euler–Maruyama, one normal draw `R`
/// from a seeded [`amorph_core::rng::SeededRng`] stream, `Δt` the time step times the interval), with the force on
/// λ `f = −2λ(P₀ − P_int − k_BT/2V)`, `P_int` from the stress of the last force evaluation and
/// the kinetic energy after the first half kick. The two half drifts make the position
/// update `x ← s x + dt v (s + 1/s)/2`. A thermostat that replaces the drift (Langevin BAOAB)
/// is called twice, with `dt/2` each, around the rescaling.
///
/// # Effective energy
///
/// `E_pot + K + P₀V` plus the thermostat's bookkeeping plus the barostat's: each step adds
/// `½Δλ(f + f') + (β_T Δt/16τ_p)(f'² − f²) − ½k_BT ln(V'/V)` (`f`, `f'` the forces on λ
/// before and after the move), the authors' estimate of the work the barostat's friction
/// and noise did. In the limit of a small time step the sum is conserved; its drift measures
/// the integration error of the barostat, as the CSVR effective energy does for the
/// thermostat ([`Md::conserved_energy`](crate::dynamics::Md::conserved_energy)).
///
/// # Virial-only coupling
///
/// [`PressureCoupling::Virial`] couples to the static pressure `−tr σ/3` alone and leaves the
/// velocities unscaled (the kinetic energy is then independent of the volume, and the
/// effective energy above stays consistent). The volume then settles where the virial
/// pressure averages `P₀`: MPMorph's choice (VASP's "external pressure"), which amorph's
/// workflow uses to find the volume of a melt. It does not sample the NPT ensemble.
///
/// # Caveats
///
/// * The temperature of the noise is the thermostat's target (or an explicit
///   [`CRescale::with_temperature`] for runs without a thermostat).
/// * With the total momentum removed (`N_f = 3N − 3`) the kinetic pressure `2K/3V` averages
///   `(N − 1)k_BT/V`, so the sampled volume distribution carries a factor `V^(−1)` relative
///   to the textbook ensemble: an ideal gas averages `N k_BT/P₀` instead of `(N + 1)k_BT/P₀`.
///   For a condensed phase the shift of ⟨V⟩ is `k_BT κ`, negligible.
/// * Every cell change rebuilds a calculator's Verlet list (amorph-core rebuilds on any
///   lattice change): with moves on every step a Lennard-Jones run measured about 4× slower
///   than NVT, Pedone with DSF 1.8× and with Ewald 1.35×. [`CRescale::with_interval`]
///   moves the cell less often.
/// * [`crate::potential::ForceField`] re-enumerates the Ewald k-vectors for every new cell
///   and keeps its split (α, cutoffs) for the run; [`amorph_core::Calculator::reset`] (at
///   each checkpoint) chooses an automatic split again from the current volume, a change at
///   the level of the Ewald accuracy. Fix `EwaldOptions::alpha` or `real_cutoff` to pin it.
///
/// ```
/// use amorph_md::dynamics::{CRescale, PressureCoupling};
/// let b = CRescale::new(0.0, 1000.0, 7).unwrap()
///     .with_compressibility(5e-5).unwrap()
///     .with_coupling(PressureCoupling::Virial);
/// assert_eq!(b.target_pressure_bar(), 0.0);
/// assert!(CRescale::new(1.0, -5.0, 7).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CRescale {
    /// Target pressure (eV/Å³).
    pressure: f64,
    /// Coupling time τ_p (fs).
    tau: f64,
    /// Compressibility β_T (Å³/eV).
    compressibility: f64,
    /// Temperature of the noise (K); `None` takes the thermostat's target.
    temperature: Option<f64>,
    coupling: PressureCoupling,
    /// Steps between moves (GROMACS's `nstpcouple`, the reference code's `nstbaro`).
    interval: u64,
    rng: SeededRng,
    /// Accumulated effective-energy correction (eV), see the module documentation.
    work: f64,
    /// Δλ and the volume before the move of the step in progress (between
    /// [`CRescale::begin_step`] and [`CRescale::end_step`]; unused between steps, where
    /// checkpoints are taken).
    #[serde(skip)]
    pending: (f64, f64),
}

fn check_positive(what: &str, x: f64, unit: &str) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(MdError::invalid(
            format!("barostat {what}"),
            x,
            format!("must be finite and > 0 {unit}"),
        ))
    }
}

fn check_pressure(p_bar: f64) -> Result<()> {
    if p_bar.is_finite() {
        Ok(())
    } else {
        Err(MdError::invalid(
            "barostat pressure",
            p_bar,
            "must be finite (bar)",
        ))
    }
}

impl CRescale {
    /// Target pressure (bar), coupling time τ_p (fs) and RNG seed; compressibility
    /// [`DEFAULT_COMPRESSIBILITY_PER_BAR`], [`PressureCoupling::Full`], noise temperature
    /// from the thermostat.
    pub fn new(pressure_bar: f64, tau_fs: f64, seed: u64) -> Result<Self> {
        check_pressure(pressure_bar)?;
        check_positive("tau", tau_fs, "fs")?;
        Ok(CRescale {
            pressure: pressure_bar / EV_PER_A3_IN_BAR,
            tau: tau_fs,
            compressibility: DEFAULT_COMPRESSIBILITY_PER_BAR * EV_PER_A3_IN_BAR,
            temperature: None,
            coupling: PressureCoupling::Full,
            interval: 1,
            rng: rng_from_seed(seed),
            work: 0.0,
            pending: (0.0, 0.0),
        })
    }

    /// Sets the compressibility β_T (1/bar, > 0). Together with τ_p it sets only the coupling
    /// strength: the volume relaxes in about `τ_p κ/β_T` for a system of compressibility κ,
    /// and a β_T far above κ makes the volume equation stiff (keep `τ_p κ/β_T` ≫ the time
    /// step).
    pub fn with_compressibility(mut self, per_bar: f64) -> Result<Self> {
        check_positive("compressibility", per_bar, "1/bar")?;
        self.compressibility = per_bar * EV_PER_A3_IN_BAR;
        Ok(self)
    }

    /// Sets the temperature (K, ≥ 0) of the barostat's noise instead of taking the
    /// thermostat's target: needed when the run has no thermostat (constant-enthalpy-like
    /// runs).
    pub fn with_temperature(mut self, temperature: f64) -> Result<Self> {
        if !(temperature.is_finite() && temperature >= 0.0) {
            return Err(MdError::invalid(
                "barostat temperature",
                temperature,
                "must be finite and ≥ 0 K",
            ));
        }
        self.temperature = Some(temperature);
        Ok(self)
    }

    /// Chooses the pressure the barostat couples to (default [`PressureCoupling::Full`]).
    pub fn with_coupling(mut self, coupling: PressureCoupling) -> Self {
        self.coupling = coupling;
        self
    }

    /// The barostat's name, `"c-rescale"` (GROMACS's name for it).
    pub fn name(&self) -> &'static str {
        "c-rescale"
    }

    /// Moves the cell every `interval` steps (≥ 1; default 1), each move integrating the
    /// volume equation over `interval` time steps (GROMACS's `nstpcouple`, the `nstbaro` of
    /// the authors' reference code). The neighbour list of a calculator is rebuilt whenever
    /// the cell changes, so an interval of 5–10 recovers most of the speed of an NVT run;
    /// keep `interval·dt` well below the volume's relaxation time `τ_p κ/β_T`.
    pub fn with_interval(mut self, interval: u64) -> Result<Self> {
        if interval == 0 {
            return Err(MdError::invalid(
                "barostat interval",
                0.0,
                "must be ≥ 1 step",
            ));
        }
        self.interval = interval;
        Ok(self)
    }

    /// Steps between cell moves.
    pub fn interval(&self) -> u64 {
        self.interval
    }

    /// The target pressure (bar).
    pub fn target_pressure_bar(&self) -> f64 {
        self.pressure * EV_PER_A3_IN_BAR
    }

    /// Changes the target pressure (bar), e.g. along a compression ramp. The `P₀V` term of the
    /// effective energy jumps with it.
    pub fn set_target_pressure_bar(&mut self, pressure_bar: f64) -> Result<()> {
        check_pressure(pressure_bar)?;
        self.pressure = pressure_bar / EV_PER_A3_IN_BAR;
        Ok(())
    }

    /// The coupling time τ_p (fs).
    pub fn tau_fs(&self) -> f64 {
        self.tau
    }

    /// The compressibility β_T (1/bar).
    pub fn compressibility_per_bar(&self) -> f64 {
        self.compressibility / EV_PER_A3_IN_BAR
    }

    /// The explicit noise temperature (K), or `None` when the thermostat's target is used.
    pub fn temperature(&self) -> Option<f64> {
        self.temperature
    }

    /// Checks every parameter as the builders do, and the work integral: a barostat read from
    /// a checkpoint passes this before it runs.
    pub(crate) fn check(&self) -> Result<()> {
        check_pressure(self.target_pressure_bar())?;
        check_positive("tau", self.tau, "fs")?;
        check_positive("compressibility", self.compressibility_per_bar(), "1/bar")?;
        if let Some(t) = self.temperature {
            CRescale::new(0.0, 1.0, 0)?.with_temperature(t)?;
        }
        CRescale::new(0.0, 1.0, 0)?.with_interval(self.interval)?;
        if !self.work.is_finite() {
            return Err(MdError::invalid(
                "barostat work",
                self.work,
                "must be finite (eV)",
            ));
        }
        Ok(())
    }

    /// The pressure the barostat couples to.
    pub fn coupling(&self) -> PressureCoupling {
        self.coupling
    }

    /// The barostat's part of the effective energy at volume `volume` (Å³): `P₀V` plus the
    /// accumulated work estimate (eV).
    pub fn energy(&self, volume: f64) -> f64 {
        self.pressure * volume + self.work
    }

    /// The pressure (eV/Å³) the barostat couples to, from the kinetic energy (eV), the
    /// potential's stress (eV/Å³, Voigt, ASE sign) and the volume (Å³).
    pub(crate) fn internal_pressure(&self, kinetic: f64, stress: &[f64; 6], volume: f64) -> f64 {
        let virial = -(stress[0] + stress[1] + stress[2]) / 3.0;
        match self.coupling {
            PressureCoupling::Full => 2.0 * kinetic / (3.0 * volume) + virial,
            PressureCoupling::Virial => virial,
        }
    }

    /// Whether velocities are scaled with the cell.
    pub(crate) fn scales_velocities(&self) -> bool {
        self.coupling == PressureCoupling::Full
    }

    /// The force on λ = √V (eV/Å^{3/2}) at volume `v`, pressure `p` and `kt` (eV).
    fn force(&self, v: f64, p: f64, kt: f64) -> f64 {
        -2.0 * v.sqrt() * (self.pressure - p - 0.5 * kt / v)
    }

    /// Draws the volume move of one step of `dt` (fs) at volume `v` (Å³), coupled pressure `p`
    /// (eV/Å³) and noise temperature `kt` (eV); returns the scaling factor `s` of lengths.
    /// Errors (the reason, for [`MdError::Unstable`]) when the move would make the volume
    /// non-positive or non-finite.
    pub(crate) fn begin_step(
        &mut self,
        v: f64,
        p: f64,
        kt: f64,
        dt: f64,
    ) -> std::result::Result<f64, String> {
        let a = self.compressibility * dt / (4.0 * self.tau);
        let f = self.force(v, p, kt);
        let r: f64 = StandardNormal.sample(&mut self.rng);
        let dlambda = a * f + (2.0 * kt * a).sqrt() * r;
        let lambda = v.sqrt();
        let ratio = 1.0 + dlambda / lambda;
        if !(ratio.is_finite() && ratio > 0.0) {
            return Err(format!(
                "the barostat would take the volume from {v} Å³ to {} Å³ in one step \
                 (coupled pressure {} bar): lengthen τ_p or lower the compressibility",
                v * ratio * ratio,
                p * EV_PER_A3_IN_BAR
            ));
        }
        self.work += 0.5 * dlambda * f - 0.25 * a * f * f;
        self.pending = (dlambda, v);
        // s = exp(Δε/3) with Δε = 2 ln(λ'/λ).
        Ok(ratio.powf(2.0 / 3.0))
    }

    /// Completes the effective-energy bookkeeping of the step begun by
    /// [`CRescale::begin_step`], at the new volume and pressure.
    pub(crate) fn end_step(&mut self, v: f64, p: f64, kt: f64, dt: f64) {
        let a = self.compressibility * dt / (4.0 * self.tau);
        let f = self.force(v, p, kt);
        let (dlambda, v0) = self.pending;
        self.work += 0.5 * dlambda * f + 0.25 * a * f * f - 0.5 * kt * (v / v0).ln();
        self.pending = (0.0, 0.0);
    }
}
