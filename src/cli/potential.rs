//! `amorph potential FORMULA...`: which built-in potential covers each composition, or why
//! none does.

use super::Outcome;
use amorph_core::Composition;
use amorph_md::potential::{CoverageReport, PotentialSpec};
use anyhow::Context;

/// Arguments of `amorph potential`.
#[derive(clap::Args)]
pub struct Args {
    /// Formulas, e.g. Li2O LiCl Li3PS4.
    #[arg(required = true)]
    pub formulas: Vec<String>,
    /// The potential by name (auto, auto-zbl, pedone, tosi-fumi, uff, …).
    #[arg(long, default_value = "auto-zbl")]
    pub potential: String,
}

/// `amorph potential`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let spec: PotentialSpec = args
        .potential
        .parse()
        .with_context(|| format!("--potential {}", args.potential))?;
    let compositions = (args.formulas.iter())
        .map(|f| {
            let composition = Composition::parse(f).with_context(|| format!("formula {f}"))?;
            Ok(spec.coverage(f, &composition))
        })
        .collect::<anyhow::Result<_>>()?;
    Outcome::of(&CoverageReport {
        potential: spec,
        compositions,
    })
}
