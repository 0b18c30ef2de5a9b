//! `amorph featurize IN... | --formula FORMULA...`: the paper's descriptors, one row per input.

use super::{InFile, Outcome};
use amorph_core::Structure;
use amorph_features::{CompositionFeaturizer, FeatureTable, PaperFeaturizer, Sample, Settings};
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `amorph featurize`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["inputs", "formula"])))]
pub struct Args {
    /// Structure files (extxyz, POSCAR/CONTCAR/.vasp, XDATCAR, LAMMPS .data; .gz allowed): all
    /// 43 features, one row per file (from the frame chosen by --frame).
    #[arg(conflicts_with = "formula")]
    pub inputs: Vec<PathBuf>,
    /// Formulas instead of structures: the 21 composition-only columns, one row per formula.
    #[arg(long, num_args = 1..)]
    pub formula: Vec<String>,
    /// Temperature (K) of the structures, written as the `temperature` column.
    #[arg(long)]
    pub temperature: Option<f64>,
    /// Frame of a multi-frame file: 0-based index, negative counts from the end (default: the
    /// last frame, the end of an MD run).
    #[arg(long, default_value_t = -1, allow_hyphen_values = true)]
    pub frame: i64,
    /// Definition variant: `paper` (bit-compatible with the paper's table) or `sendek`.
    #[arg(long, default_value = "paper", value_parser = ["paper", "sendek"])]
    pub convention: String,
    /// Bond cutoff (Å).
    #[arg(long, default_value_t = 4.0)]
    pub cutoff: f64,
    /// Missing element data: `error` (default) or `undefined` (only the affected columns empty).
    #[arg(long, default_value = "error", value_parser = ["error", "undefined"])]
    pub missing: String,
    /// Print CSV (the default text output; the global --json prints JSON instead).
    #[arg(long)]
    pub csv: bool,
    /// Also write the CSV table to this file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

fn settings(args: &Args) -> anyhow::Result<Settings> {
    let s = Settings {
        convention: args.convention.parse()?,
        cutoff: args.cutoff,
        missing: args.missing.parse()?,
        ..Settings::default()
    };
    s.validate()
        .with_context(|| format!("--cutoff {}", args.cutoff))?;
    Ok(s)
}

fn read(path: &std::path::Path, frame: i64) -> anyhow::Result<Structure> {
    let mut frames = amorph_core::io::read_frames(path).in_file(path)?;
    let Some(k) = amorph_core::io::frame_index(frame, frames.len()) else {
        anyhow::bail!(
            "{}: --frame {frame} but the file has {} frame(s)",
            path.display(),
            frames.len()
        );
    };
    Ok(frames.swap_remove(k).structure)
}

/// Featurizes the inputs.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let settings = settings(&args)?;
    if let Some(t) = args.temperature
        && !(t.is_finite() && t >= 0.0)
    {
        anyhow::bail!("--temperature {t}: must be a non-negative number of kelvin");
    }
    let table = if !args.formula.is_empty() {
        let formulas: Vec<&str> = args.formula.iter().map(String::as_str).collect();
        FeatureTable::from_formulas(&CompositionFeaturizer { settings }, &formulas)?
    } else {
        let structures = (args.inputs.iter())
            .map(|p| Ok((read(p, args.frame)?, p.display().to_string())))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let samples: Vec<Sample<'_>> = (structures.iter())
            .map(|(s, src)| Sample {
                source: Some(src),
                temperature: args.temperature,
                ..Sample::new(s)
            })
            .collect();
        FeatureTable::from_samples(&PaperFeaturizer::new(settings), &samples)?
    };
    let mut csv = Vec::new();
    table.write_csv(&mut csv)?;
    if let Some(out) = &args.output {
        std::fs::write(out, &csv).in_file(out)?;
    }
    Ok(Outcome {
        json: table.to_json(),
        text: String::from_utf8(csv)?,
    })
}
