//! `amorph md IN -o TRAJ --potential NAME --temperature K --steps N --timestep FS`: one MD run
//! (NPT with `--pressure BAR`).

use super::{InFile, Outcome};
use amorph_md::dynamics::{
    CRescale, Checkpoint, DEFAULT_BAROSTAT_TAU_FS, DEFAULT_COMPRESSIBILITY_PER_BAR, Md, MdConfig,
    PressureCoupling, RunFiles, ThermostatKind, maxwell_boltzmann,
};
use amorph_md::potential;
use amorph_md::spec::CoulombKind;
use anyhow::{Context, bail};
use std::path::PathBuf;

/// The pressure the barostat drives to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CouplingName {
    /// The full pressure, kinetic term included (samples the NPT ensemble).
    Full,
    /// The static (virial) pressure alone, MPMorph's convention (velocities not rescaled).
    Virial,
}

/// Arguments of `amorph md`.
#[derive(clap::Args)]
pub struct Args {
    /// Input structure (any format amorph reads; a LAMMPS .data file takes elements from its
    /// masses).
    pub input: PathBuf,
    /// Output trajectory: .xyz/.extxyz (unwrapped positions, velocities, forces, energy) or
    /// XDATCAR (wrapped fractional coordinates).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Potential: auto (the physical potential that covers the composition), auto-zbl,
    /// pedone, pedone-zbl, tosi-fumi, tosi-fumi-zbl, uff (smoke test, not physics), or
    /// sevennet / sevennet:PATH (SevenNet-0 or a deployed SevenNet model; build with
    /// `--features torch`).
    #[arg(long, required_unless_present = "calculator")]
    pub potential: Option<String>,
    /// Where a machine-learned potential runs: cpu, cuda or cuda:N.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// External calculator instead of --potential: `ipi:unix:NAME` (socket /tmp/ipi_NAME) or
    /// `ipi:tcp:PORT` (127.0.0.1); waits for an i-PI client (ASE SocketClient, LAMMPS fix ipi).
    #[arg(long, conflicts_with = "potential")]
    pub calculator: Option<String>,
    /// Electrostatics of the charged potentials: dsf or ewald.
    #[arg(long, default_value = "dsf")]
    pub coulomb: CoulombKind,
    /// DSF damping α (1/Å).
    #[arg(long, default_value_t = potential::DEFAULT_DSF_ALPHA)]
    pub dsf_alpha: f64,
    /// DSF cutoff (Å).
    #[arg(long, default_value_t = potential::DEFAULT_DSF_CUTOFF)]
    pub dsf_cutoff: f64,
    /// Ewald relative accuracy.
    #[arg(long, default_value_t = potential::DEFAULT_EWALD_ACCURACY)]
    pub ewald_accuracy: f64,
    /// Target (and initial Maxwell–Boltzmann) temperature (K).
    #[arg(long)]
    pub temperature: f64,
    /// Number of steps.
    #[arg(long)]
    pub steps: u64,
    /// Time step (fs).
    #[arg(long)]
    pub timestep: f64,
    /// Thermostat: nhc, csvr, langevin, berendsen, rescale or nve.
    #[arg(long, default_value = "nhc")]
    pub thermostat: ThermostatKind,
    /// Thermostat time constant τ (fs); Langevin friction is 1/τ.
    #[arg(long, default_value_t = 100.0)]
    pub tau: f64,
    /// Seed of the initial velocities and of stochastic thermostats.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write a trajectory frame every N steps.
    #[arg(long, default_value_t = 10)]
    pub every: u64,
    /// Thermo log (CSV: step, time, T, E_pot, E_kin, E_tot, conserved, P incl. kinetic, V).
    #[arg(long)]
    pub thermo: Option<PathBuf>,
    /// Thermo log interval (steps).
    #[arg(long, default_value_t = 100)]
    pub thermo_every: u64,
    /// Checkpoint file, written atomically every --checkpoint-every steps and at the end.
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
    /// Checkpoint interval (steps).
    #[arg(long, default_value_t = 1000)]
    pub checkpoint_every: u64,
    /// Continue from this checkpoint (IN is then ignored): --steps more steps are run and the
    /// trajectory and thermo log are appended to.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Target pressure (bar): turns on the C-rescale barostat (stochastic cell rescaling,
    /// isotropic; NPT), its noise at --temperature. On --resume the checkpoint's barostat is
    /// used, and this must match it.
    #[arg(long, allow_hyphen_values = true)]
    pub pressure: Option<f64>,
    /// Barostat coupling time τ_p (fs).
    #[arg(long, requires = "pressure", allow_hyphen_values = true,
          default_value_t = DEFAULT_BAROSTAT_TAU_FS)]
    pub barostat_tau: f64,
    /// Compressibility β_T (1/bar) of the barostat; only sets the coupling strength (the volume
    /// relaxes in about τ_p·κ/β_T for a true compressibility κ).
    #[arg(long, requires = "pressure", allow_hyphen_values = true,
          default_value_t = DEFAULT_COMPRESSIBILITY_PER_BAR)]
    pub compressibility: f64,
    /// Move the cell every N steps (GROMACS nstpcouple); the neighbour list is rebuilt on every
    /// move, so 5–10 is faster than 1.
    #[arg(long, requires = "pressure", default_value_t = 1)]
    pub barostat_every: u64,
    /// Pressure the barostat couples to.
    #[arg(long, requires = "pressure", value_enum, default_value = "full")]
    pub pressure_coupling: CouplingName,
}

/// The barostat of `--pressure`, if asked for.
fn barostat(args: &Args) -> anyhow::Result<Option<CRescale>> {
    let Some(p) = args.pressure else {
        return Ok(None);
    };
    if !p.is_finite() {
        bail!("--pressure {p} must be a finite pressure (bar)");
    }
    let b = CRescale::new(p, args.barostat_tau, args.seed ^ 0xba40)
        .context("--barostat-tau")?
        .with_compressibility(args.compressibility)
        .context("--compressibility")?
        .with_interval(args.barostat_every)
        .context("--barostat-every")?
        .with_coupling(match args.pressure_coupling {
            CouplingName::Full => PressureCoupling::Full,
            CouplingName::Virial => PressureCoupling::Virial,
        });
    // Without a thermostat the barostat's noise still needs a temperature.
    let b = match args.thermostat {
        ThermostatKind::Nve => b
            .with_temperature(args.temperature)
            .context("--temperature")?,
        _ => b,
    };
    Ok(Some(b))
}

/// Runs the MD.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let coulomb = args
        .coulomb
        .with(args.dsf_alpha, args.dsf_cutoff, args.ewald_accuracy)
        .context("--coulomb")?;
    // The external calculator or the named potential for the run's elements.
    let calculator = |s: &amorph_core::Structure| {
        super::energy::calculator(
            args.calculator.as_deref(),
            args.potential.as_deref(),
            &args.device,
            s,
            coulomb,
        )
    };
    let files = RunFiles {
        trajectory: args.output.clone(),
        trajectory_every: args.every,
        thermo: args.thermo.clone(),
        thermo_every: args.thermo_every,
        checkpoint: args.checkpoint.clone(),
        checkpoint_every: args.checkpoint_every,
    };
    let mut md = match &args.resume {
        Some(path) => {
            let ck = Checkpoint::read(path)?;
            let calc = calculator(&ck.structure)?;
            let th = ck.thermostat().in_file(path)?;
            let mut md = Md::resume(ck, calc, th).in_file(path)?;
            match (args.pressure, md.barostat()) {
                (Some(p), None) => bail!(
                    "--pressure {p}: checkpoint {} is of a constant-volume run",
                    path.display()
                ),
                (Some(p), Some(b))
                    if (b.target_pressure_bar() - p).abs() > 1e-9 * p.abs().max(1.0) =>
                {
                    bail!(
                        "--pressure {p} differs from the checkpoint's {} bar",
                        b.target_pressure_bar()
                    )
                }
                _ => {}
            }
            files.attach(&mut md, true)?;
            if args.timestep != md.timestep_fs() {
                bail!(
                    "--timestep {} differs from the checkpoint's {} fs",
                    args.timestep,
                    md.timestep_fs()
                );
            }
            md
        }
        None => {
            let structure = amorph_core::io::read_structure(&args.input).in_file(&args.input)?;
            let calc = calculator(&structure)?;
            let v = maxwell_boltzmann(&structure, args.temperature, args.seed, true)
                .context("--temperature")?;
            let mut md = Md::new(structure, calc, MdConfig::new(args.timestep))
                .in_file(&args.input)?
                .with_velocities(v)?
                .with_thermostat(args.thermostat.build(
                    args.temperature,
                    args.tau,
                    args.seed ^ 0x5eed,
                )?)?;
            if let Some(b) = barostat(&args)? {
                md = md.with_barostat(b).context("--pressure")?;
            }
            files.attach(&mut md, false)?;
            md
        }
    };
    let bar = indicatif::ProgressBar::new(args.steps);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} steps  {msg}  eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let potential = args.calculator.as_ref().or(args.potential.as_ref());
    let summary = files.run(&mut md, args.steps, potential.map(String::as_str), |p| {
        bar.set_position(p.done);
        bar.set_message(format!(
            "{:.0} steps/s  T {:.0} K  E {:.3} eV",
            p.steps_per_second, p.temperature, p.potential_energy
        ));
    })?;
    bar.finish_and_clear();
    Outcome::of(&summary)
}
