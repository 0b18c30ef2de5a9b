//! `amorph convert IN OUT`: structure and trajectory format conversion.
//!
//! Formats come from the file names (see `amorph_core::io::Format::from_path`); `.gz` inputs
//! are read transparently and `.gz` outputs are compressed. A multi-frame input (XDATCAR,
//! extxyz) goes whole into a multi-frame output; a single-structure output (POSCAR, LAMMPS
//! data) needs one frame: pick it with `--frame` (0 = first, -1 = last).

use super::Outcome;
use amorph_core::io::{self, Format, lammps_data};
use anyhow::bail;
use serde_json::json;
use std::path::PathBuf;

/// Arguments of `amorph convert`.
#[derive(clap::Args)]
pub struct Args {
    /// Input file (format from its name: .xyz/.extxyz, POSCAR/CONTCAR/.vasp, XDATCAR, .data/.lmp; .gz allowed).
    pub input: PathBuf,
    /// Output file (format from its name: .xyz/.extxyz, POSCAR/CONTCAR/.vasp, XDATCAR, .data/.lmp; .gz compresses).
    pub output: PathBuf,
    /// Convert only this frame (0 = first, negative counts from the end: -1 = last).
    #[arg(long, allow_hyphen_values = true)]
    pub frame: Option<i64>,
    /// LAMMPS data output: atom style (`atomic`, or `charge` with zero charges).
    #[arg(long, default_value = "atomic", value_parser = ["atomic", "charge"])]
    pub lammps_style: String,
}

/// Runs the conversion.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let out_format = Format::from_path(&args.output)?;
    // Read first: a missing input is "no such file" whatever its name.
    let mut frames = io::read_frames(&args.input)?;
    let in_format = Format::from_path(&args.input)?;
    let total = frames.len();
    if let Some(k) = args.frame {
        let idx = if k < 0 { total as i64 + k } else { k };
        if idx < 0 || idx >= total as i64 {
            bail!(
                "{}: --frame {k} is out of range ({total} frames)",
                args.input.display()
            );
        }
        frames = vec![frames.swap_remove(idx as usize)];
    }
    if !out_format.is_multi_frame() && frames.len() > 1 {
        bail!(
            "{}: {out_format} holds one structure but {} has {} frames; choose one with --frame",
            args.output.display(),
            args.input.display(),
            frames.len()
        );
    }
    let mut types = None;
    if out_format == Format::LammpsData {
        let options = lammps_data::Options {
            style: if args.lammps_style == "charge" {
                lammps_data::AtomStyle::Charge
            } else {
                lammps_data::AtomStyle::Atomic
            },
            ..Default::default()
        };
        let t = io::write_lammps_data(&args.output, &frames[0], &options)?;
        types = Some(t.iter().map(|e| e.symbol()).collect::<Vec<_>>());
    } else {
        // amorph-core errors already name the file (and line).
        io::write_frames(&args.output, &frames)?;
    }
    let atoms = frames[0].structure.len();
    let mut value = json!({
        "input": args.input.display().to_string(),
        "output": args.output.display().to_string(),
        "formats": {"input": in_format.name(), "output": out_format.name()},
        "frames": frames.len(),
        "atoms": atoms,
    });
    if let Some(t) = &types {
        value["lammps_types"] = json!(t);
    }
    let mut text = format!(
        "{} ({in_format}, {} frame{}) -> {} ({out_format}), {atoms} atoms",
        args.input.display(),
        frames.len(),
        if frames.len() == 1 { "" } else { "s" },
        args.output.display()
    );
    if let Some(t) = types {
        text.push_str(&format!("; LAMMPS types: {}", t.join(" ")));
    }
    Ok(Outcome { json: value, text })
}
