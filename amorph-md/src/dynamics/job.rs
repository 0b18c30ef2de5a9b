//! One MD job with its files, as `amorph md` runs it: a trajectory, an optional thermo log and
//! checkpoints ([`RunFiles`]), then a [`RunSummary`] of the end state and of the last half of
//! the run.

use super::{CallbackObserver, Md, PressureCoupling, Progress, ThermoLog, TrajectoryWriter};
use crate::error::Result;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The files of an MD job: a trajectory every `trajectory_every` steps, a thermo log every
/// `thermo_every` steps and a checkpoint every `checkpoint_every` steps and at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct RunFiles {
    /// Trajectory: `.xyz`/`.extxyz` or XDATCAR ([`TrajectoryWriter`]).
    pub trajectory: PathBuf,
    /// Trajectory interval (steps).
    pub trajectory_every: u64,
    /// Thermo log (CSV, [`ThermoLog`]).
    pub thermo: Option<PathBuf>,
    /// Thermo log interval (steps).
    pub thermo_every: u64,
    /// Checkpoint file, rewritten atomically.
    pub checkpoint: Option<PathBuf>,
    /// Checkpoint interval (steps).
    pub checkpoint_every: u64,
}

impl RunFiles {
    /// Adds the trajectory writer and the thermo log to `md`: new files, or appended to when
    /// `append` (a run resumed from a checkpoint).
    pub fn attach(&self, md: &mut Md, append: bool) -> Result<()> {
        let (t, every) = (&self.trajectory, self.trajectory_every);
        md.add_observer(Box::new(if append {
            TrajectoryWriter::append(t, every)?
        } else {
            TrajectoryWriter::create(t, every)?
        }));
        if let Some(t) = &self.thermo {
            let log = if append {
                ThermoLog::append(t, self.thermo_every)?
            } else {
                ThermoLog::create(t, self.thermo_every)?
            };
            md.add_observer(Box::new(log));
        }
        Ok(())
    }

    /// Runs `steps` more steps of `md` (whose observers [`RunFiles::attach`] set up),
    /// checkpointing as asked and at the end, then closes the files. `potential` names the
    /// potential in the summary; `progress` is called as by [`Md::run_with_progress`].
    pub fn run(
        &self,
        md: &mut Md,
        steps: u64,
        potential: Option<&str>,
        progress: impl FnMut(&Progress),
    ) -> Result<RunSummary> {
        if let Some(c) = &self.checkpoint {
            md.checkpoint_every(c.clone(), self.checkpoint_every)?;
        }
        // Sums over the last half of this run's steps.
        let means = Arc::new(Mutex::new(HalfMeans::default()));
        let half_from = md.step() + steps / 2;
        let sink = means.clone();
        md.add_observer(Box::new(CallbackObserver::new(1, false, move |f| {
            let t = &f.thermo;
            if t.step > half_from {
                let mut m = sink.lock().unwrap_or_else(|e| e.into_inner());
                m.n += 1;
                m.volume += t.volume;
                m.density += t.density_g_cm3;
                if let Some(p) = t.pressure_bar {
                    m.np += 1;
                    m.pressure += p;
                }
            }
            Ok(())
        })));
        let start = std::time::Instant::now();
        md.run_with_progress(steps, progress)?;
        let wall = start.elapsed().as_secs_f64();
        if let Some(c) = &self.checkpoint {
            md.write_checkpoint(c)?;
        }
        md.finish()?;
        let m = *means.lock().unwrap_or_else(|e| e.into_inner());
        let avg = |sum: f64, n: u64| (n > 0).then(|| sum / n as f64);
        let t = md.thermo();
        let b = md.barostat();
        Ok(RunSummary {
            atoms: md.structure().len(),
            potential: potential.map(str::to_string),
            thermostat: md.thermostat().name(),
            timestep_fs: md.timestep_fs(),
            step: md.step(),
            time_fs: md.time_fs(),
            dof: md.dof(),
            trajectory: self.trajectory.clone(),
            kinetic_energy: t.kinetic_energy,
            total_energy: t.total_energy,
            conserved_energy: t.conserved_energy,
            volume: t.volume,
            density_g_cm3: t.density_g_cm3,
            barostat: b.map(|b| b.name()),
            pressure_target_bar: b.map(|b| b.target_pressure_bar()),
            pressure_coupling: b.map(|b| match b.coupling() {
                PressureCoupling::Full => "full",
                PressureCoupling::Virial => "virial",
            }),
            mean_volume_a3: avg(m.volume, m.n),
            mean_density_g_cm3: avg(m.density, m.n),
            mean_pressure_bar: avg(m.pressure, m.np),
            mean_over_steps: m.n,
            wall_s: wall,
            steps_per_second: if wall > 0.0 { steps as f64 / wall } else { 0.0 },
            temperature: t.temperature,
            pressure_bar: t.pressure_bar,
            energy: t.potential_energy,
            steps,
        })
    }
}

/// Sums over the last half of a run: volume (Å³), density (g/cm³), and pressure (bar) where
/// known.
#[derive(Clone, Copy, Default)]
struct HalfMeans {
    n: u64,
    volume: f64,
    density: f64,
    np: u64,
    pressure: f64,
}

/// The end of an MD job ([`RunFiles::run`]): its state, the means over the last half of its
/// steps, and its speed. Serialises to `amorph md --json`; displays as its text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunSummary {
    /// Number of atoms.
    pub atoms: usize,
    /// The potential as named by the caller.
    pub potential: Option<String>,
    /// Thermostat name.
    pub thermostat: &'static str,
    /// Time step (fs).
    pub timestep_fs: f64,
    /// Step counter at the end (a resumed run counts on from its checkpoint).
    pub step: u64,
    /// Simulated time at the end (fs).
    pub time_fs: f64,
    /// Degrees of freedom.
    pub dof: usize,
    /// The trajectory file.
    pub trajectory: PathBuf,
    /// Kinetic energy (eV).
    pub kinetic_energy: f64,
    /// `E_pot + K` (eV).
    pub total_energy: f64,
    /// Conserved quantity (eV).
    pub conserved_energy: f64,
    /// Cell volume (Å³).
    pub volume: f64,
    /// Density (g/cm³).
    pub density_g_cm3: f64,
    /// Barostat name (NPT runs).
    pub barostat: Option<&'static str>,
    /// Target pressure (bar) of the barostat.
    pub pressure_target_bar: Option<f64>,
    /// The pressure the barostat couples to: `full` or `virial`.
    pub pressure_coupling: Option<&'static str>,
    /// Mean volume over the last half of the steps (Å³).
    #[serde(rename = "mean_volume_A3")]
    pub mean_volume_a3: Option<f64>,
    /// Mean density over the last half of the steps (g/cm³).
    pub mean_density_g_cm3: Option<f64>,
    /// Mean pressure over the last-half steps that computed it (bar).
    pub mean_pressure_bar: Option<f64>,
    /// Number of steps in the means.
    pub mean_over_steps: u64,
    /// Wall time of the steps (s).
    pub wall_s: f64,
    /// Steps per second.
    pub steps_per_second: f64,
    /// Temperature at the end (K).
    pub temperature: f64,
    /// Pressure at the end (bar), when known.
    pub pressure_bar: Option<f64>,
    /// Potential energy at the end (eV).
    pub energy: f64,
    /// Steps run by this job.
    #[serde(skip)]
    pub steps: u64,
}

impl fmt::Display for RunSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bar = |p: Option<f64>| p.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1}"));
        writeln!(
            f,
            "{} atoms, {} steps of {} fs ({}{}): {:.1} steps/s",
            self.atoms,
            self.steps,
            self.timestep_fs,
            self.thermostat,
            self.barostat.map(|b| format!(" + {b}")).unwrap_or_default(),
            self.steps_per_second,
        )?;
        writeln!(
            f,
            "T = {:.2} K, P = {} bar, E_pot = {:.6} eV, conserved = {:.6} eV",
            self.temperature,
            bar(self.pressure_bar),
            self.energy,
            self.conserved_energy
        )?;
        write!(
            f,
            "V = {:.2} Å³, density = {:.4} g/cm³",
            self.volume, self.density_g_cm3
        )?;
        if let (Some(p0), Some(v), Some(rho)) = (
            self.pressure_target_bar,
            self.mean_volume_a3,
            self.mean_density_g_cm3,
        ) {
            write!(
                f,
                "\nNPT at {p0} bar: last-half mean V = {v:.2} Å³, density = {rho:.4} g/cm³, P = {} bar",
                bar(self.mean_pressure_bar)
            )?;
        }
        write!(f, "\ntrajectory: {}", self.trajectory.display())
    }
}
