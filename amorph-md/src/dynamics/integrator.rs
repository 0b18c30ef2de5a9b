//! The MD run: velocity Verlet with a thermostat, an optional barostat, observers and
//! checkpoints.

use super::barostat::CRescale;
use super::checkpoint::{CHECKPOINT_FORMAT, CHECKPOINT_FORMATS, Checkpoint};
use super::observer::{Frame, Observer, Thermo};
use super::thermostat::{Nve, Particles, Thermostat};
use super::velocities::{Dof, kinetic_energy, momentum};
use super::{ACCEL, temperature_of};
use crate::error::{MdError, Result};
use amorph_core::units::{EV_PER_A3_IN_BAR, KB_EV};
use amorph_core::{Calculator, Lattice, Request, Structure};
use nalgebra::Vector3;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Settings of an MD run that do not belong to the thermostat.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct MdConfig {
    /// Time step (fs), > 0.
    pub timestep_fs: f64,
    /// Degrees of freedom convention (default [`Dof::MomentumRemoved`], `3N − 3`).
    pub dof: Dof,
    /// Ask the calculator for stress on the steps where an observer reports pressure, and on
    /// every step when a barostat is set (default true; switch off for calculators that
    /// cannot compute stress, which rules out a barostat).
    pub pressure: bool,
}

impl MdConfig {
    /// Defaults with the given time step (fs).
    pub fn new(timestep_fs: f64) -> Self {
        MdConfig {
            timestep_fs,
            dof: Dof::MomentumRemoved,
            pressure: true,
        }
    }
}

/// Progress of [`Md::run_with_progress`], reported about 100 times per run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Steps done in this call.
    pub done: u64,
    /// Steps asked for in this call.
    pub total: u64,
    /// The run's step counter.
    pub step: u64,
    /// Wall time of this call so far (s).
    pub elapsed_s: f64,
    /// Steps per second so far in this call.
    pub steps_per_second: f64,
    /// Instantaneous temperature (K).
    pub temperature: f64,
    /// Potential energy (eV).
    pub potential_energy: f64,
}

/// One molecular-dynamics run: the structure, velocities, forces, a calculator, a thermostat
/// (NVE unless set), an optional barostat (NPT, [`Md::with_barostat`]), observers and an
/// optional checkpoint schedule.
///
/// Velocity Verlet with the thermostat hooks of [`Thermostat`]; forces are computed once at
/// construction, then once per step. See the module documentation of [`crate::dynamics`] for
/// units, degrees of freedom, the pressure convention and the conserved quantity, and
/// [`CRescale`] for where the barostat acts within the step.
pub struct Md {
    structure: Structure,
    velocities: Vec<Vector3<f64>>,
    forces: Vec<Vector3<f64>>,
    masses: Vec<f64>,
    accel: Vec<f64>,
    calculator: Box<dyn Calculator>,
    thermostat: Box<dyn Thermostat>,
    barostat: Option<CRescale>,
    config: MdConfig,
    dof: usize,
    step: u64,
    time_fs: f64,
    energy: f64,
    stress: Option<[f64; 6]>,
    heat: f64,
    observers: Vec<Box<dyn Observer>>,
    checkpoint: Option<(PathBuf, u64)>,
    observed_start: bool,
}

impl std::fmt::Debug for Md {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Md")
            .field("atoms", &self.structure.len())
            .field("calculator", &self.calculator.name())
            .field("thermostat", &self.thermostat.name())
            .field("barostat", &self.barostat.as_ref().map(|b| b.name()))
            .field("step", &self.step)
            .field("timestep_fs", &self.config.timestep_fs)
            .finish()
    }
}

fn check_timestep(dt: f64) -> Result<()> {
    if dt.is_finite() && dt > 0.0 {
        Ok(())
    } else {
        Err(MdError::invalid(
            "timestep",
            dt,
            "must be finite and > 0 fs",
        ))
    }
}

impl Md {
    /// A run of `structure` with zero velocities and no thermostat (NVE); computes the initial
    /// forces. Errors: a non-positive or non-finite time step, an empty structure, a failing
    /// calculator (NaN included, [`MdError::CalculatorFailed`]).
    pub fn new(
        structure: Structure,
        calculator: Box<dyn Calculator>,
        config: MdConfig,
    ) -> Result<Self> {
        check_timestep(config.timestep_fs)?;
        if structure.is_empty() {
            return Err(MdError::invalid("atoms", 0.0, "the structure has no atoms"));
        }
        let masses = structure.masses();
        let n = masses.len();
        let mut md = Md {
            accel: masses.iter().map(|m| ACCEL / m).collect(),
            masses,
            velocities: vec![Vector3::zeros(); n],
            forces: Vec::new(),
            structure,
            calculator,
            thermostat: Box::new(Nve),
            barostat: None,
            dof: config.dof.count(n),
            config,
            step: 0,
            time_fs: 0.0,
            energy: 0.0,
            stress: None,
            heat: 0.0,
            observers: Vec::new(),
            checkpoint: None,
            observed_start: false,
        };
        md.compute(true)?;
        Ok(md)
    }

    /// Continues a run from a checkpoint with a (fresh) calculator and a thermostat of the
    /// type that was saved (use [`Checkpoint::thermostat`] for the built-in ones); the
    /// barostat, when the run had one, is restored from the checkpoint. Forces, energy and
    /// stress come from the checkpoint, so the continuation repeats the original run bit for
    /// bit when the calculator is deterministic and either stateless or reset at the
    /// checkpoint (which [`Md`] does, see [`Calculator::reset`]).
    pub fn resume(
        checkpoint: Checkpoint,
        calculator: Box<dyn Calculator>,
        mut thermostat: Box<dyn Thermostat>,
    ) -> Result<Self> {
        let bad = |reason: String| MdError::Checkpoint {
            path: PathBuf::from("<memory>"),
            reason,
        };
        if !CHECKPOINT_FORMATS.contains(&checkpoint.format.as_str()) {
            return Err(bad(format!(
                "format '{}' is not '{CHECKPOINT_FORMAT}'",
                checkpoint.format
            )));
        }
        check_timestep(checkpoint.timestep_fs)?;
        let n = checkpoint.structure.len();
        if n == 0 || checkpoint.velocities.len() != n || checkpoint.forces.len() != n {
            return Err(bad(format!(
                "{} atoms but {} velocities and {} forces",
                n,
                checkpoint.velocities.len(),
                checkpoint.forces.len()
            )));
        }
        let finite = |v: &[Vector3<f64>]| v.iter().all(|x| x.iter().all(|c| c.is_finite()));
        if !finite(&checkpoint.velocities) || !finite(&checkpoint.forces) {
            return Err(bad("a velocity or a force is not finite".into()));
        }
        let scalars = [
            ("time_fs", checkpoint.time_fs),
            ("energy", checkpoint.energy),
            ("heat", checkpoint.heat),
        ];
        if let Some((name, x)) = scalars.iter().find(|(_, x)| !x.is_finite()) {
            return Err(bad(format!("{name} {x} is not finite")));
        }
        if checkpoint
            .stress
            .is_some_and(|s| s.iter().any(|x| !x.is_finite()))
        {
            return Err(bad("the stress is not finite".into()));
        }
        if thermostat.name() != checkpoint.thermostat {
            return Err(bad(format!(
                "saved with thermostat '{}', resumed with '{}'",
                checkpoint.thermostat,
                thermostat.name()
            )));
        }
        thermostat.load_state(checkpoint.thermostat_state)?;
        let masses = checkpoint.structure.masses();
        let config = MdConfig {
            timestep_fs: checkpoint.timestep_fs,
            dof: checkpoint.dof,
            pressure: checkpoint.pressure,
        };
        let mut md = Md {
            accel: masses.iter().map(|m| ACCEL / m).collect(),
            masses,
            velocities: checkpoint.velocities,
            forces: checkpoint.forces,
            structure: checkpoint.structure,
            calculator,
            thermostat: Box::new(Nve),
            barostat: None,
            dof: config.dof.count(n),
            config,
            step: checkpoint.step,
            time_fs: checkpoint.time_fs,
            energy: checkpoint.energy,
            stress: checkpoint.stress,
            heat: checkpoint.heat,
            observers: Vec::new(),
            checkpoint: None,
            observed_start: true,
        };
        md.attach(thermostat)?;
        if let Some(b) = checkpoint.barostat {
            b.check()?;
            md.check_barostat(&b)?;
            md.barostat = Some(b);
        }
        Ok(md)
    }

    fn attach(&mut self, mut thermostat: Box<dyn Thermostat>) -> Result<()> {
        let p = Particles {
            positions: self.structure.positions_mut(),
            velocities: &mut self.velocities,
            masses: &self.masses,
            dof: self.dof,
            zero_momentum: self.config.dof == Dof::MomentumRemoved,
        };
        thermostat.setup(&p, self.config.timestep_fs)?;
        self.thermostat = thermostat;
        Ok(())
    }

    /// Checks that `b` can act on this run: stress is asked for and known, and the cell is
    /// periodic along a, b and c.
    fn check_barostat(&self, b: &CRescale) -> Result<()> {
        let bad = |reason: &str| MdError::Barostat {
            barostat: b.name().into(),
            reason: reason.into(),
        };
        if self.structure.pbc() != [true; 3] {
            return Err(bad(
                "the cell must be periodic along a, b and c to change its volume",
            ));
        }
        if !self.config.pressure {
            return Err(bad(
                "it needs the stress on every step, but MdConfig::pressure is off",
            ));
        }
        if self.stress.is_none() {
            return Err(bad(&format!(
                "calculator '{}' returned no stress",
                self.calculator.name()
            )));
        }
        Ok(())
    }

    /// Sets the barostat: the run becomes NPT (isotropic cell rescaling, see [`CRescale`]).
    /// The calculator is then asked for the stress on every step. Errors
    /// ([`MdError::Barostat`]): a cell not periodic along a, b and c, [`MdConfig::pressure`]
    /// off, a calculator that gives no stress. The noise temperature is the thermostat's
    /// target unless set with [`CRescale::with_temperature`]; a run with neither fails at
    /// its first step.
    pub fn with_barostat(mut self, barostat: CRescale) -> Result<Self> {
        self.check_barostat(&barostat)?;
        self.barostat = Some(barostat);
        Ok(self)
    }

    /// Sets the velocities (Å/fs), e.g. from [`super::maxwell_boltzmann`].
    pub fn with_velocities(mut self, velocities: Vec<Vector3<f64>>) -> Result<Self> {
        if velocities.len() != self.structure.len() {
            return Err(MdError::invalid(
                "velocities",
                velocities.len() as f64,
                format!("need one velocity per atom ({})", self.structure.len()),
            ));
        }
        if velocities.iter().any(|v| v.iter().any(|x| !x.is_finite())) {
            return Err(MdError::invalid("velocities", f64::NAN, "must be finite"));
        }
        self.velocities = velocities;
        Ok(self)
    }

    /// Sets the thermostat (validated against the system by [`Thermostat::setup`]).
    pub fn with_thermostat(mut self, thermostat: Box<dyn Thermostat>) -> Result<Self> {
        self.attach(thermostat)?;
        Ok(self)
    }

    /// Adds an observer (trajectory writer, thermo log, callback).
    pub fn with_observer(mut self, observer: Box<dyn Observer>) -> Self {
        self.observers.push(observer);
        self
    }

    /// Adds an observer to a run in progress (e.g. after [`Md::resume`]).
    pub fn add_observer(&mut self, observer: Box<dyn Observer>) {
        self.observers.push(observer);
    }

    /// Writes a checkpoint to `path` (atomically) every `interval` steps during runs.
    pub fn checkpoint_every(&mut self, path: impl Into<PathBuf>, interval: u64) -> Result<()> {
        if interval == 0 {
            return Err(MdError::invalid(
                "checkpoint interval",
                0.0,
                "must be ≥ 1 step",
            ));
        }
        self.checkpoint = Some((path.into(), interval));
        Ok(())
    }

    /// The current structure (positions unwrapped: atoms may lie outside the cell).
    pub fn structure(&self) -> &Structure {
        &self.structure
    }
    /// Velocities (Å/fs).
    pub fn velocities(&self) -> &[Vector3<f64>] {
        &self.velocities
    }
    /// Forces (eV/Å) at the current positions.
    pub fn forces(&self) -> &[Vector3<f64>] {
        &self.forces
    }
    /// The thermostat.
    pub fn thermostat(&self) -> &dyn Thermostat {
        self.thermostat.as_ref()
    }
    /// Mutable thermostat (e.g. to change the target temperature along a ramp).
    pub fn thermostat_mut(&mut self) -> &mut dyn Thermostat {
        self.thermostat.as_mut()
    }
    /// The barostat, when the run is NPT.
    pub fn barostat(&self) -> Option<&CRescale> {
        self.barostat.as_ref()
    }
    /// Mutable barostat (e.g. to change the target pressure along a ramp).
    pub fn barostat_mut(&mut self) -> Option<&mut CRescale> {
        self.barostat.as_mut()
    }
    /// Steps done since the run began (continues across checkpoints).
    pub fn step(&self) -> u64 {
        self.step
    }
    /// Simulated time (fs).
    pub fn time_fs(&self) -> f64 {
        self.time_fs
    }
    /// Time step (fs).
    pub fn timestep_fs(&self) -> f64 {
        self.config.timestep_fs
    }
    /// Degrees of freedom of the temperature.
    pub fn dof(&self) -> usize {
        self.dof
    }
    /// Potential energy (eV).
    pub fn potential_energy(&self) -> f64 {
        self.energy
    }
    /// Kinetic energy (eV).
    pub fn kinetic_energy(&self) -> f64 {
        kinetic_energy(&self.velocities, &self.masses)
    }
    /// Instantaneous temperature (K), `2K/(N_f k_B)`.
    pub fn temperature(&self) -> f64 {
        temperature_of(self.kinetic_energy(), self.dof)
    }
    /// Total momentum (amu·Å/fs).
    pub fn momentum(&self) -> Vector3<f64> {
        momentum(&self.velocities, &self.masses)
    }
    /// The conserved quantity (eV): `E_pot + K + thermostat energy`, or `E_pot + K − (kinetic
    /// energy added by the thermostat)` for thermostats without their own energy; with a
    /// barostat, plus its effective energy `P₀V + work` ([`CRescale::energy`]).
    pub fn conserved_energy(&self) -> f64 {
        let mut e = self.energy + self.kinetic_energy();
        e += match self.thermostat.energy() {
            Some(x) => x,
            None => -self.heat,
        };
        if let Some(b) = &self.barostat {
            e += b.energy(self.structure.volume());
        }
        e
    }
    /// Cell volume (Å³).
    pub fn volume(&self) -> f64 {
        self.structure.volume()
    }
    /// Mass density (g/cm³).
    pub fn density_g_cm3(&self) -> f64 {
        self.structure.density_g_cm3()
    }
    /// Pressure (bar) including the kinetic term, `2K/(3V) − tr σ/3`, when the stress at the
    /// current step is known (it is computed on the steps observers report pressure at and at
    /// the end of every [`Md::run`]).
    pub fn pressure_bar(&self) -> Option<f64> {
        let s = self.stress?;
        let v = self.structure.volume();
        Some(
            (2.0 * self.kinetic_energy() / (3.0 * v) - (s[0] + s[1] + s[2]) / 3.0)
                * EV_PER_A3_IN_BAR,
        )
    }
    /// Stress (eV/Å³, Voigt, ASE sign) of the potential at the current step, when known.
    pub fn stress(&self) -> Option<[f64; 6]> {
        self.stress
    }

    /// The thermodynamic state now.
    pub fn thermo(&self) -> Thermo {
        let k = self.kinetic_energy();
        Thermo {
            step: self.step,
            time_fs: self.time_fs,
            temperature: temperature_of(k, self.dof),
            potential_energy: self.energy,
            kinetic_energy: k,
            total_energy: self.energy + k,
            conserved_energy: self.conserved_energy(),
            pressure_bar: self.pressure_bar(),
            volume: self.structure.volume(),
            density_g_cm3: self.structure.density_g_cm3(),
        }
    }

    fn compute(&mut self, want_stress: bool) -> Result<()> {
        let request = if want_stress && self.config.pressure {
            Request::STRESS
        } else {
            Request::FORCES
        };
        let c = self
            .calculator
            .calculate_checked(&self.structure, request)
            .map_err(|source| MdError::CalculatorFailed {
                step: self.step,
                source,
            })?;
        self.forces = c.forces;
        self.energy = c.energy;
        self.stress = if request.stress { c.stress } else { None };
        Ok(())
    }

    fn kick(&mut self, dt: f64) {
        let h = 0.5 * dt;
        for ((v, f), a) in self
            .velocities
            .iter_mut()
            .zip(&self.forces)
            .zip(&self.accel)
        {
            *v += f * (h * a);
        }
    }

    /// One velocity-Verlet step with the thermostat's hooks and, when set, the barostat
    /// between the two half drifts (see [`CRescale`]).
    fn advance(&mut self, want_stress: bool) -> Result<()> {
        let dt = self.config.timestep_fs;
        let track = self.thermostat.energy().is_none();
        let zero_momentum = self.config.dof == Dof::MomentumRemoved;
        macro_rules! hook {
            ($method:ident, $dt:expr) => {{
                let mut p = Particles {
                    positions: self.structure.positions_mut(),
                    velocities: &mut self.velocities,
                    masses: &self.masses,
                    dof: self.dof,
                    zero_momentum,
                };
                let before = if track { p.kinetic_energy() } else { 0.0 };
                self.thermostat.$method(&mut p, $dt)?;
                if track {
                    self.heat += p.kinetic_energy() - before;
                }
            }};
        }
        let step = self.step + 1;
        let barostat_dt = match &self.barostat {
            Some(b) if step % b.interval() == 0 => Some(dt * b.interval() as f64),
            _ => None,
        };
        // Checked before anything moves.
        let kt = match barostat_dt {
            Some(_) => KB_EV * self.barostat_temperature()?,
            None => 0.0,
        };
        hook!(before_step, dt);
        self.kick(dt);
        if let Some(bdt) = barostat_dt {
            // The barostat's move between two half drifts (the authors' Trotter scheme).
            let v0 = self.structure.volume();
            let p0 = self.barostat_pressure()?;
            let mut scale = (1.0, true);
            if let Some(b) = self.barostat.as_mut() {
                let s = b
                    .begin_step(v0, p0, kt, bdt)
                    .map_err(|reason| MdError::Unstable { step, reason })?;
                scale = (s, b.scales_velocities());
            }
            hook!(drift, 0.5 * dt);
            self.rescale(scale.0, scale.1)?;
            hook!(drift, 0.5 * dt);
            self.step += 1;
            self.time_fs += dt;
            self.compute(true)?;
            let v1 = self.structure.volume();
            let p1 = self.barostat_pressure()?;
            if let Some(b) = self.barostat.as_mut() {
                b.end_step(v1, p1, kt, bdt);
            }
        } else {
            hook!(drift, dt);
            self.step += 1;
            self.time_fs += dt;
            self.compute(want_stress)?;
        }
        self.kick(dt);
        hook!(after_step, dt);
        let k = self.kinetic_energy();
        if !k.is_finite() {
            return Err(MdError::Unstable {
                step: self.step,
                reason: format!("kinetic energy {k}"),
            });
        }
        Ok(())
    }

    /// The temperature (K) of the barostat's noise: its own, or the thermostat's target.
    fn barostat_temperature(&self) -> Result<f64> {
        let Some(b) = &self.barostat else {
            return Ok(0.0);
        };
        b.temperature()
            .or_else(|| self.thermostat.target_temperature())
            .ok_or_else(|| MdError::Barostat {
                barostat: b.name().into(),
                reason: format!(
                    "thermostat '{}' has no target temperature for the barostat's noise; use a \
                     thermostat or CRescale::with_temperature",
                    self.thermostat.name()
                ),
            })
    }

    /// The pressure (eV/Å³) the barostat couples to, now.
    fn barostat_pressure(&self) -> Result<f64> {
        let Some(b) = &self.barostat else {
            return Ok(0.0);
        };
        let stress = self.stress.as_ref().ok_or_else(|| MdError::Barostat {
            barostat: b.name().into(),
            reason: format!(
                "calculator '{}' returned no stress at step {}",
                self.calculator.name(),
                self.step
            ),
        })?;
        Ok(b.internal_pressure(self.kinetic_energy(), stress, self.structure.volume()))
    }

    /// Scales the cell and the (unwrapped) positions by `s`, velocities by `1/s` when asked.
    fn rescale(&mut self, s: f64, velocities: bool) -> Result<()> {
        let lattice = Lattice::new(self.structure.lattice().matrix() * s)?;
        self.structure.set_lattice(lattice);
        for x in self.structure.positions_mut() {
            *x *= s;
        }
        if velocities {
            let inv = 1.0 / s;
            for v in &mut self.velocities {
                *v *= inv;
            }
        }
        Ok(())
    }

    fn due(&self, step: u64) -> bool {
        self.barostat.is_some()
            || self
                .observers
                .iter()
                .any(|o| o.needs_pressure() && step % o.interval().max(1) == 0)
    }

    fn observe(&mut self) -> Result<()> {
        let step = self.step;
        if !self
            .observers
            .iter()
            .any(|o| step % o.interval().max(1) == 0)
        {
            return Ok(());
        }
        let frame = Frame {
            thermo: self.thermo(),
            structure: &self.structure,
            velocities: &self.velocities,
            forces: &self.forces,
        };
        for o in self.observers.iter_mut() {
            if step % o.interval().max(1) == 0 {
                o.observe(&frame)?;
            }
        }
        Ok(())
    }

    /// Runs `steps` steps (see [`Md::run_with_progress`]).
    pub fn run(&mut self, steps: u64) -> Result<()> {
        self.run_with_progress(steps, |_| {})
    }

    /// Runs `steps` steps, calling observers when due, writing checkpoints when due, and
    /// `progress` about 100 times. A run that starts at step 0 first shows observers the
    /// initial state. The last step always has its stress computed (for
    /// [`Md::pressure_bar`]) when [`MdConfig::pressure`] is on.
    pub fn run_with_progress(
        &mut self,
        steps: u64,
        mut progress: impl FnMut(&Progress),
    ) -> Result<()> {
        if !self.observed_start {
            self.observed_start = true;
            self.observe()?;
        }
        let start = Instant::now();
        let report = (steps / 100).max(1);
        for done in 1..=steps {
            let next = self.step + 1;
            self.advance(done == steps || self.due(next))?;
            self.observe()?;
            if let Some((path, every)) = &self.checkpoint {
                if self.step % every == 0 {
                    let path = path.clone();
                    self.write_checkpoint(&path)?;
                }
            }
            if done % report == 0 || done == steps {
                let elapsed = start.elapsed().as_secs_f64();
                progress(&Progress {
                    done,
                    total: steps,
                    step: self.step,
                    elapsed_s: elapsed,
                    steps_per_second: if elapsed > 0.0 {
                        done as f64 / elapsed
                    } else {
                        f64::INFINITY
                    },
                    temperature: self.temperature(),
                    potential_energy: self.energy,
                });
            }
        }
        Ok(())
    }

    /// Flushes and closes the observers.
    pub fn finish(&mut self) -> Result<()> {
        for o in self.observers.iter_mut() {
            o.finish()?;
        }
        Ok(())
    }

    /// The state as a checkpoint, and [`Calculator::reset`] of the calculator so that the
    /// continuation of this run and a run resumed from the checkpoint stay bit-identical.
    pub fn checkpoint(&mut self) -> Checkpoint {
        self.calculator.reset();
        Checkpoint {
            format: CHECKPOINT_FORMAT.to_string(),
            step: self.step,
            time_fs: self.time_fs,
            timestep_fs: self.config.timestep_fs,
            dof: self.config.dof,
            pressure: self.config.pressure,
            structure: self.structure.clone(),
            velocities: self.velocities.clone(),
            forces: self.forces.clone(),
            energy: self.energy,
            stress: self.stress,
            heat: self.heat,
            thermostat: self.thermostat.name().to_string(),
            thermostat_state: self.thermostat.save_state(),
            barostat: self.barostat.clone(),
        }
    }

    /// Writes [`Md::checkpoint`] to `path` atomically (write to a temporary file beside it,
    /// then rename), flushing the observers first so their files match the checkpoint.
    pub fn write_checkpoint(&mut self, path: &Path) -> Result<()> {
        for o in self.observers.iter_mut() {
            o.flush()?;
        }
        self.checkpoint().write(path)
    }
}
