//! Times SevenNet-0 through libtorch: one energy + forces + stress evaluation (the cost of an MD
//! step) of a fixture cell, alone and as batches of copies in one forward call.
//!
//! ```text
//! source scripts/peers/libtorch.sh
//! cargo run --release -p amorph-mlip --features torch --example sevennet_bench -- \
//!     [--cell NAME|FILE.json] [--repeat NX,NY,NZ] [--batch 1,8,64] [--steps N] [--threads T] [--device cpu|cuda]
//! ```
//!
//! Prints one JSON line per batch size: atoms per cell, cells, seconds per call, cell-steps/s
//! and atom-steps/s (median over `--steps` calls after one warm-up call).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use amorph_core::{Element, Lattice, Request, Structure};
    use amorph_mlip::{SevenNet, SevenNetOptions};
    use nalgebra::Vector3;

    let mut cell = "li3ps4_sulfide".to_string();
    let mut repeat = [1u32, 1, 1];
    let mut batches = vec![1usize];
    let mut steps = 5usize;
    let mut options = SevenNetOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--cell" => cell = value()?,
            "--repeat" => {
                let v: Vec<u32> = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?;
                repeat = [v[0], v[1], v[2]];
            }
            "--batch" => {
                batches = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?
            }
            "--steps" => steps = value()?.parse()?,
            "--threads" => options.threads = Some(value()?.parse()?),
            "--device" => options.device = value()?.parse()?,
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let path = if cell.ends_with(".json") {
        std::path::PathBuf::from(&cell)
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sevennet")
            .join(format!("{cell}.json"))
    };
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let rows: [[f64; 3]; 3] = serde_json::from_value(v["cell"].clone())?;
    let species: Vec<Element> = (v["symbols"].as_array().ok_or("symbols")?.iter())
        .map(|s| s.as_str().unwrap_or("?").parse())
        .collect::<Result<_, _>>()?;
    let positions: Vec<[f64; 3]> = serde_json::from_value(v["positions"].clone())?;
    let s = Structure::new(
        Lattice::from_rows(rows)?,
        species,
        positions.into_iter().map(Vector3::from).collect(),
    )?
    .supercell(repeat)?;
    let mut model = SevenNet::sevennet_0(&options)?;
    for &b in &batches {
        let cells: Vec<&Structure> = vec![&s; b];
        model.calculate_batch(&cells, Request::STRESS)?; // warm-up (TorchScript profiling runs)
        let mut times = Vec::with_capacity(steps);
        for _ in 0..steps {
            let t = std::time::Instant::now();
            model.calculate_batch(&cells, Request::STRESS)?;
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "{}",
            serde_json::json!({
                "cell": cell, "atoms_per_cell": s.len(), "cells": b, "device": options.device.to_string(),
                "threads": options.threads.unwrap_or_else(rayon::current_num_threads),
                "seconds_per_call": median, "cell_steps_per_s": b as f64 / median,
                "atom_steps_per_s": (b * s.len()) as f64 / median,
            })
        );
    }
    Ok(())
}
