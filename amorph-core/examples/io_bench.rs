//! Times amorph-core's readers and writers on a file (best of N runs).
//!
//! `cargo run --release -p amorph-core --example io_bench -- FILE [RUNS] [OUT]`
//! reads FILE RUNS times (default 5) and prints the best wall time; with OUT it also times
//! writing the frames to OUT (format from its name).

use amorph_core::io;
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: io_bench FILE [RUNS] [OUT]")?;
    let runs: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(5);
    let mut best = f64::INFINITY;
    let mut frames = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        frames = io::read_frames(Path::new(path))?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    let atoms = frames.first().map_or(0, |f| f.structure.len());
    println!(
        "read  {path}: {} frames x {atoms} atoms, best of {runs}: {:.4} s",
        frames.len(),
        best
    );
    if let Some(out) = args.get(3) {
        let mut best = f64::INFINITY;
        for _ in 0..runs {
            let t = Instant::now();
            io::write_frames(Path::new(out), &frames)?;
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("write {out}: best of {runs}: {best:.4} s");
    }
    Ok(())
}
