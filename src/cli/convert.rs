//! `amorph convert IN OUT`: structure and trajectory format conversion.
//!
//! Formats come from the file names (see `amorph_core::io::Format::from_path`); `.gz` inputs
//! are read transparently and `.gz` outputs are compressed. A multi-frame input (XDATCAR,
//! extxyz) goes whole into a multi-frame output; a single-structure output (POSCAR, LAMMPS
//! data) needs one frame: pick it with `--frame` (0 = first, -1 = last).

use super::Outcome;
use amorph_core::io::{self, Conversion, ConversionFormats, Format, lammps_data::AtomStyle};
use anyhow::bail;
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
        let Some(idx) = io::frame_index(k, total) else {
            bail!(
                "{}: --frame {k} is out of range ({total} frames)",
                args.input.display()
            );
        };
        frames = vec![frames.swap_remove(idx)];
    }
    if !out_format.is_multi_frame() && frames.len() > 1 {
        bail!(
            "{}: {out_format} holds one structure but {} has {} frames; choose one with --frame",
            args.output.display(),
            args.input.display(),
            frames.len()
        );
    }
    let style = match args.lammps_style.as_str() {
        "charge" => AtomStyle::Charge,
        _ => AtomStyle::Atomic,
    };
    // amorph-core errors already name the file (and line).
    let types = io::write_converted(&args.output, &frames, style)?;
    Outcome::of(&Conversion {
        input: args.input.display().to_string(),
        output: args.output.display().to_string(),
        formats: ConversionFormats {
            input: in_format.name(),
            output: out_format.name(),
        },
        frames: frames.len(),
        atoms: frames[0].structure.len(),
        lammps_types: types.map(|t| t.iter().map(|e| e.symbol()).collect()),
    })
}
