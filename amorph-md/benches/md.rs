//! Pedone + DSF NVT benchmark on Li2Si2O5 (amorph side; the LAMMPS side and the data files
//! come from `scripts/fixtures/lammps_md_bench.py`).
//!
//! ```text
//! cargo build --release -p amorph-md --bench md
//! RAYON_NUM_THREADS=1 target/release/deps/md-<hash> [--steps-scale X] [DATA...]
//! ```
//!
//! Settings identical to the LAMMPS script: pair Pedone 5.5 Å shifted + coul/dsf α 0.25,
//! rc 10 Å, Verlet skin 1.0 Å, NHC (chain 3) 3000 K, τ 100 fs, dt 1 fs, Maxwell–Boltzmann
//! 3000 K. Prints one JSON line per file: atoms, steps, seconds, steps_per_second, threads.
//! Best of 3 repeats.

use amorph_md::dynamics::{Md, MdConfig, NoseHooverChain, maxwell_boltzmann};
use amorph_md::potential::{Coulomb, PedoneOptions, pedone};
use std::path::PathBuf;
use std::time::Instant;

fn steps_for(atoms: usize) -> u64 {
    match atoms {
        0..=200 => 4000,
        201..=800 => 1500,
        _ => 400,
    }
}

fn main() {
    let mut scale = 1.0;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--steps-scale" => scale = args.next().and_then(|x| x.parse().ok()).unwrap_or(1.0),
            "--bench" => {}
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/md_data"));
        files = [108, 405, 1620]
            .iter()
            .map(|n| dir.join(format!("li2si2o5_{n}.data")))
            .collect();
    }
    for path in files {
        let structure = match amorph_core::io::read_structure(&path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        };
        let n = structure.len();
        let steps = ((steps_for(n) as f64) * scale).max(1.0) as u64;
        let mut best: Option<f64> = None;
        let mut last = (0.0, 0.0);
        for _ in 0..3 {
            let ff = pedone(&PedoneOptions {
                coulomb: Coulomb::dsf(0.25, 10.0).expect("dsf"),
                ..Default::default()
            })
            .expect("pedone");
            let v = maxwell_boltzmann(&structure, 3000.0, 4928459, true).expect("velocities");
            let mut md = Md::new(structure.clone(), Box::new(ff), MdConfig::new(1.0))
                .expect("md")
                .with_velocities(v)
                .expect("velocities")
                .with_thermostat(Box::new(NoseHooverChain::new(3000.0, 100.0).expect("nhc")))
                .expect("thermostat");
            let t0 = Instant::now();
            md.run(steps).expect("run");
            let dt = t0.elapsed().as_secs_f64();
            best = Some(best.map_or(dt, |b: f64| b.min(dt)));
            last = (md.temperature(), md.pressure_bar().unwrap_or(f64::NAN));
        }
        let secs = best.unwrap_or(f64::NAN);
        println!(
            "{{\"atoms\": {n}, \"steps\": {steps}, \"seconds\": {secs:.4}, \"steps_per_second\": {:.2}, \"threads\": {}, \"temperature\": {:.1}, \"pressure_bar\": {:.1}}}",
            steps as f64 / secs,
            rayon::current_num_threads(),
            last.0,
            last.1
        );
    }
}
