//! `amorph energy IN --potential NAME [--coulomb ewald|dsf]`: energy, forces and stress.

use super::{InFile, Outcome};
use amorph_core::{Calculator, EnergySummary};
use amorph_md::potential::{
    Coulomb, DEFAULT_DSF_ALPHA, DEFAULT_DSF_CUTOFF, DEFAULT_EWALD_ACCURACY, PedoneOptions, pedone,
};
use amorph_md::spec::{CalculatorSpec, CoulombKind};
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `amorph energy`.
#[derive(clap::Args)]
pub struct Args {
    /// Structure file (extxyz, POSCAR, LAMMPS data …).
    pub input: PathBuf,
    /// Potential: auto (the physical potential that covers the composition), auto-zbl,
    /// pedone, pedone-zbl, tosi-fumi, tosi-fumi-zbl, uff (smoke test, not physics), or
    /// sevennet / sevennet:PATH (SevenNet-0 or a deployed SevenNet model; build with
    /// `--features torch`).
    #[arg(long, default_value = "auto")]
    pub potential: String,
    /// Where a machine-learned potential runs: cpu, cuda or cuda:N.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// Electrostatics of the charged potentials: ewald or dsf.
    #[arg(long, default_value = "ewald")]
    pub coulomb: CoulombKind,
    /// Ewald relative accuracy.
    #[arg(long, default_value_t = DEFAULT_EWALD_ACCURACY)]
    pub ewald_accuracy: f64,
    /// DSF damping α (1/Å).
    #[arg(long, default_value_t = DEFAULT_DSF_ALPHA)]
    pub dsf_alpha: f64,
    /// DSF cutoff (Å).
    #[arg(long, default_value_t = DEFAULT_DSF_CUTOFF)]
    pub dsf_cutoff: f64,
    /// Pedone short-range cutoff (Å; energy shifted to zero there).
    #[arg(long, default_value_t = 5.5)]
    pub cutoff: f64,
    /// External calculator instead of --potential: `ipi:unix:NAME` (socket /tmp/ipi_NAME) or
    /// `ipi:tcp:PORT` (127.0.0.1); waits for an i-PI client (ASE SocketClient, LAMMPS fix ipi).
    #[arg(long)]
    pub calculator: Option<String>,
}

/// The calculator of `--calculator SPEC` (an i-PI server that waits for its client), else the
/// built-in `--potential` (default auto) for the structure's composition. Shared with
/// `amorph md`.
pub fn calculator(
    spec: Option<&str>,
    potential: Option<&str>,
    device: &str,
    structure: &amorph_core::Structure,
    coulomb: Coulomb,
) -> anyhow::Result<Box<dyn Calculator>> {
    if let Some(spec) = spec {
        let ipi = amorph_md::ipi::IpiCalculator::from_spec(spec, Default::default())
            .with_context(|| format!("--calculator {spec}"))?;
        eprintln!("waiting for an i-PI client on {}", ipi.address());
        return Ok(Box::new(ipi));
    }
    let name = potential.unwrap_or("auto");
    let spec: CalculatorSpec = name
        .parse()
        .with_context(|| format!("--potential {name}"))?;
    let spec = spec
        .on_device(device)
        .with_context(|| format!("--device {device}"))?;
    if spec.is_ipi() {
        anyhow::bail!("--potential {name}: use --calculator for an i-PI client");
    }
    spec.calculator_for(&structure.composition()?, coulomb)
        .with_context(|| format!("--potential {name}"))
}

/// Runs `amorph energy`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let s = amorph_core::io::read_structure(&args.input).in_file(&args.input)?;
    let coulomb = args
        .coulomb
        .with(args.dsf_alpha, args.dsf_cutoff, args.ewald_accuracy)
        .context("--coulomb options")?;
    let mut calc: Box<dyn Calculator> = if args.calculator.is_some() {
        calculator(args.calculator.as_deref(), None, "cpu", &s, coulomb)?
    } else if args.potential.eq_ignore_ascii_case("pedone") {
        Box::new(
            pedone(&PedoneOptions {
                cutoff: args.cutoff,
                coulomb,
                ..Default::default()
            })
            .context("--cutoff")?,
        )
    } else {
        calculator(None, Some(&args.potential), &args.device, &s, coulomb)?
    };
    let name = args.input.display().to_string();
    Outcome::of(&EnergySummary::compute(name.clone(), &s, calc.as_mut()).with_context(|| name)?)
}
