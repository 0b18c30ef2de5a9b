//! `amorph potential FORMULA...`: which built-in potential covers each composition, or why
//! none does.

use super::Outcome;
use amorph_core::Composition;
use amorph_md::potential::{PHYSICAL_FAMILIES, PotentialSpec};
use anyhow::Context;
use serde_json::json;

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
    let mut rows = Vec::new();
    let mut text = String::new();
    for f in &args.formulas {
        let composition = Composition::parse(f).with_context(|| format!("formula {f}"))?;
        match spec.resolve(&composition) {
            Ok(family) => {
                text.push_str(&format!(
                    "{f}: {} — {}\n",
                    family.name(),
                    family.description()
                ));
                rows.push(json!({"formula": f, "covered": true, "family": family.name(), "physical": family.is_physical()}));
            }
            Err(e) => {
                text.push_str(&format!("{f}: not covered — {e}\n"));
                rows.push(json!({"formula": f, "covered": false, "reason": e.to_string()}));
            }
        }
    }
    text.push_str(&format!(
        "built-in physical potentials: {}",
        PHYSICAL_FAMILIES
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(Outcome {
        json: json!({"potential": spec, "compositions": rows}),
        text,
    })
}
