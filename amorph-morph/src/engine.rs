//! The MD engine behind the workflow: an interface (so tests and plug-ins can substitute
//! their own) and its implementation on amorph-md.

use crate::{Config, MorphError, Result};
use amorph_core::units::{EV_PER_A3_IN_BAR, KB_EV};
use amorph_core::{Composition, Structure, Trajectory};
use amorph_md::dynamics::{
    CallbackObserver, Md, MdConfig, Thermostat, ThermostatKind, maxwell_boltzmann,
};
use amorph_md::potential::{Choice, PotentialChooser};
use nalgebra::Vector3;
use std::sync::{Arc, Mutex};

/// One NVT run the workflow asks for.
#[derive(Debug, Clone, Copy)]
pub struct MdRequest<'a> {
    /// Starting structure (its volume is the run's volume).
    pub structure: &'a Structure,
    /// Starting velocities (Å/fs); `None` draws Maxwell–Boltzmann velocities at `temperature`.
    pub velocities: Option<&'a [Vector3<f64>]>,
    /// Thermostat temperature (K).
    pub temperature: f64,
    /// Steps.
    pub steps: u64,
    /// Seed of the velocities and of stochastic thermostats.
    pub seed: u64,
    /// Keep every n-th frame in a trajectory (`None`: no trajectory).
    pub frame_interval: Option<u64>,
}

/// What an NVT run returns.
#[derive(Debug, Clone)]
pub struct MdOutcome {
    /// Final structure (unwrapped positions).
    pub structure: Structure,
    /// Final velocities (Å/fs).
    pub velocities: Vec<Vector3<f64>>,
    /// Pressure samples (bar), evenly spaced over the run.
    pub pressures_bar: Vec<f64>,
    /// Total-energy samples (eV) at the same steps.
    pub energies_ev: Vec<f64>,
    /// The trajectory, when frames were asked for.
    pub trajectory: Option<Trajectory>,
    /// Throughput of the run.
    pub steps_per_second: f64,
}

/// Runs NVT molecular dynamics for the workflow.
pub trait Engine: Send + Sync {
    /// Runs one NVT simulation.
    fn run(&self, request: &MdRequest<'_>) -> Result<MdOutcome>;

    /// The potential this engine would use for a composition, checked before any MD so that a
    /// composition it cannot simulate is refused up front. The default accepts everything and
    /// reports an engine-defined potential.
    fn preflight(&self, composition: &Composition) -> Result<Choice> {
        let _ = composition;
        Ok(Choice {
            potential: "engine".into(),
            physical: true,
        })
    }
}

/// The amorph-md engine: a calculator from a [`PotentialChooser`], velocity Verlet and a
/// thermostat, pressure sampled every `sample_interval` steps.
pub struct AmorphMd {
    /// Chooses the calculator from the composition of the structure.
    pub chooser: Arc<dyn PotentialChooser>,
    /// The thermostat of every run.
    pub thermostat: ThermostatKind,
    /// Time step (fs).
    pub time_step_fs: f64,
    /// Include the kinetic term in the pressure (see [`crate::Config::kinetic_pressure`]).
    pub kinetic_pressure: bool,
    /// Steps between pressure/energy samples.
    pub sample_interval: u64,
}

impl AmorphMd {
    /// The engine of a configuration: its calculator (a built-in potential with the
    /// configured electrostatics, or an i-PI server bound now and shared by every run), its
    /// thermostat, time step and pressure convention, pressure sampled every 5 steps.
    pub fn from_config(config: &Config) -> Result<Self> {
        Ok(AmorphMd {
            chooser: config.potential.chooser(config.coulomb.coulomb())?,
            thermostat: config.thermostat,
            time_step_fs: config.time_step_fs,
            kinetic_pressure: config.kinetic_pressure,
            sample_interval: 5,
        })
    }

    /// The engine with its own chooser (e.g. a user's in-process calculator) and the rest
    /// from `config`.
    pub fn with_chooser(chooser: Arc<dyn PotentialChooser>, config: &Config) -> Self {
        AmorphMd {
            chooser,
            thermostat: config.thermostat,
            time_step_fs: config.time_step_fs,
            kinetic_pressure: config.kinetic_pressure,
            sample_interval: 5,
        }
    }

    /// The thermostat of a run at `temperature`: coupling times follow VASP's SMASS = 0
    /// choice of a 40-step period for Nosé–Hoover; 100 fs for the others (Langevin friction
    /// 10 ps⁻¹, atomate2's default).
    fn thermostat(&self, temperature: f64, seed: u64) -> Result<Box<dyn Thermostat>> {
        let tau = match self.thermostat {
            ThermostatKind::Nhc => 40.0 * self.time_step_fs,
            _ => 100.0,
        };
        Ok(self.thermostat.build(temperature, tau, seed)?)
    }
}

#[derive(Default)]
struct Samples {
    pressures: Vec<f64>,
    energies: Vec<f64>,
    trajectory: Option<Trajectory>,
}

impl Engine for AmorphMd {
    fn preflight(&self, composition: &Composition) -> Result<Choice> {
        let choice = self.chooser.preview(composition)?;
        // The volume search drives the pressure to zero: it needs the stress.
        let calculator = self.chooser.choose(composition)?;
        if !calculator.capabilities().stress {
            return Err(MorphError::Md(format!(
                "calculator {} does not compute the stress, which the workflow's volume search needs",
                calculator.name()
            )));
        }
        Ok(choice)
    }

    fn run(&self, req: &MdRequest<'_>) -> Result<MdOutcome> {
        let s = req.structure;
        let calculator = self.chooser.choose(&s.composition()?)?;
        let velocities = match req.velocities {
            Some(v) => v.to_vec(),
            None => maxwell_boltzmann(s, req.temperature, req.seed, true)?,
        };
        let samples = Arc::new(Mutex::new(Samples {
            trajectory: match req.frame_interval {
                Some(n) => Some(Trajectory::new(
                    s.species().to_vec(),
                    s.lattice().clone(),
                    self.time_step_fs * n as f64,
                )?),
                None => None,
            },
            ..Samples::default()
        }));
        let kinetic = self.kinetic_pressure;
        let sink = Arc::clone(&samples);
        let sampler = CallbackObserver::new(self.sample_interval, true, move |f| {
            let t = f.thermo;
            let mut p = t.pressure_bar.unwrap_or(f64::NAN);
            if !kinetic {
                p -= 2.0 * t.kinetic_energy / (3.0 * t.volume) * EV_PER_A3_IN_BAR;
            }
            let mut g = sink.lock().expect("sample lock");
            g.pressures.push(p);
            g.energies.push(t.total_energy);
            Ok(())
        });
        let mut md = Md::new(s.clone(), calculator, MdConfig::new(self.time_step_fs))?
            .with_velocities(velocities)?
            .with_thermostat(self.thermostat(req.temperature, req.seed)?)?
            .with_observer(Box::new(sampler));
        if let Some(n) = req.frame_interval {
            let sink = Arc::clone(&samples);
            md.add_observer(Box::new(CallbackObserver::new(n, false, move |f| {
                let mut g = sink.lock().expect("sample lock");
                if let Some(t) = g.trajectory.as_mut() {
                    t.push_frame(f.structure.positions().to_vec(), None)?;
                }
                Ok(())
            })));
        }
        let start = std::time::Instant::now();
        md.run(req.steps)?;
        md.finish()?;
        let elapsed = start.elapsed().as_secs_f64();
        let structure = md.structure().clone();
        let velocities = md.velocities().to_vec();
        drop(md);
        let samples = std::mem::take(&mut *samples.lock().expect("sample lock"));
        Ok(MdOutcome {
            structure,
            velocities,
            pressures_bar: samples.pressures,
            energies_ev: samples.energies,
            trajectory: samples.trajectory,
            steps_per_second: req.steps as f64 / elapsed.max(1e-9),
        })
    }
}

/// Mean of the last half of `x` and its standard error from block averaging (5 blocks).
pub fn last_half_mean(x: &[f64]) -> (f64, f64) {
    let half = &x[x.len() / 2..];
    if half.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = half.iter().sum::<f64>() / half.len() as f64;
    let nb = 5.min(half.len());
    let size = half.len() / nb;
    if nb < 2 || size == 0 {
        return (mean, f64::NAN);
    }
    let blocks: Vec<f64> = (0..nb)
        .map(|b| half[b * size..(b + 1) * size].iter().sum::<f64>() / size as f64)
        .collect();
    let var = blocks.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (nb - 1) as f64;
    (mean, (var / nb as f64).sqrt())
}

/// MPMorph's energy-drift criterion: |(μ₂ − μ₁)/μ| of the first and second halves.
pub fn energy_drift(e: &[f64]) -> f64 {
    if e.len() < 2 {
        return 0.0;
    }
    let (a, b) = e.split_at(e.len() / 2);
    let m = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let mu = m(e);
    ((m(b) - m(a)) / mu).abs()
}

/// Ideal-gas pressure N k T / V in bar (for reporting the kinetic-term choice).
pub fn ideal_gas_pressure_bar(atoms: usize, temperature: f64, volume: f64) -> f64 {
    atoms as f64 * KB_EV * temperature / volume * EV_PER_A3_IN_BAR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics() {
        let x: Vec<f64> = (0..100)
            .map(|i| if i < 50 { 100.0 } else { 1.0 + (i % 2) as f64 })
            .collect();
        let (m, se) = last_half_mean(&x);
        assert!((m - 1.5).abs() < 1e-12);
        assert!(se < 0.1);
        assert!((energy_drift(&[1.0, 1.0, 1.1, 1.1]) - 0.1 / 1.05).abs() < 1e-12);
        // 100 atoms at 5000 K in 1200 Å³: ~57 kbar, the figure the reference quotes.
        let p = ideal_gas_pressure_bar(100, 5000.0, 1200.0);
        assert!((p / 1000.0 - 57.5).abs() < 1.0, "{p}");
    }
}
