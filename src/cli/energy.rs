//! `amorph energy IN --potential NAME [--coulomb ewald|dsf]`: energy, forces and stress.

use super::Outcome;
use amorph_core::{Calculator, Request};
use amorph_md::potential::{
    Coulomb, DEFAULT_DSF_ALPHA, DEFAULT_DSF_CUTOFF, DEFAULT_EWALD_ACCURACY, PedoneOptions,
    PotentialSpec, pedone,
};
use amorph_md::spec::CoulombKind;
use anyhow::Context;
use serde_json::json;
use std::path::PathBuf;

/// Arguments of `amorph energy`.
#[derive(clap::Args)]
pub struct Args {
    /// Structure file (extxyz, POSCAR, LAMMPS data …).
    pub input: PathBuf,
    /// Potential: auto (the physical potential that covers the composition), auto-zbl,
    /// pedone, pedone-zbl, tosi-fumi, tosi-fumi-zbl, or uff (smoke test, not physics).
    #[arg(long, default_value = "auto")]
    pub potential: String,
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
    let spec: PotentialSpec = name
        .parse()
        .with_context(|| format!("--potential {name}"))?;
    spec.build(&structure.composition()?, coulomb)
        .with_context(|| format!("--potential {name}"))
}

/// Runs `amorph energy`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let s = amorph_core::io::read_structure(&args.input)
        .with_context(|| format!("{}", args.input.display()))?;
    let coulomb = args
        .coulomb
        .with(args.dsf_alpha, args.dsf_cutoff, args.ewald_accuracy)
        .context("--coulomb options")?;
    let mut calc: Box<dyn Calculator> = if args.calculator.is_some() {
        calculator(args.calculator.as_deref(), None, &s, coulomb)?
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
        calculator(None, Some(&args.potential), &s, coulomb)?
    };
    let c = calc
        .calculate_checked(&s, Request::STRESS)
        .with_context(|| format!("{}", args.input.display()))?;
    let stress = c.stress.unwrap_or([0.0; 6]);
    let forces: Vec<[f64; 3]> = c.forces.iter().map(|f| [f.x, f.y, f.z]).collect();
    let pressure_bar =
        -(stress[0] + stress[1] + stress[2]) / 3.0 * amorph_core::units::EV_PER_A3_IN_BAR;
    let fmax = c.forces.iter().map(|f| f.norm()).fold(0.0, f64::max);
    let text = format!(
        "{}: {} atoms, potential {}\nenergy       {:.10} eV ({:.6} eV/atom)\nmax |force|  {:.6} eV/Å\nstress       {:?} eV/Å³ (xx yy zz yz xz xy)\npressure     {:.3} bar (virial part)",
        args.input.display(),
        s.len(),
        calc.name(),
        c.energy,
        c.energy / s.len().max(1) as f64,
        fmax,
        stress,
        pressure_bar
    );
    Ok(Outcome {
        json: json!({
            "potential": calc.name(),
            "energy": c.energy,
            "forces": forces,
            "stress": stress,
            "pressure_bar": pressure_bar,
        }),
        text,
    })
}
