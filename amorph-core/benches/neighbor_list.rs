//! Neighbour-list build time (a plain `main`, `harness = false`).
//!
//! ```text
//! cargo bench -p amorph-core --bench neighbor_list -- [--threads 1,2] [--cutoffs 6,10]
//!     [--repeat 5] [--half] [FILE.json ...]
//! ```
//!
//! Each FILE is `{"lattice": [[ax,ay,az],[bx,by,bz],[cx,cy,cz]], "positions": [[x,y,z],...]}`
//! (Å, periodic in all directions), as written by `scripts/fixtures/bench_neighbors.py`, which
//! times matscipy and pymatgen on the same files. Without files, random cells of 100, 1 000,
//! 10 000 and 100 000 atoms at 0.08 atoms/Å³ are generated. One JSON line per (file, cutoff,
//! threads) goes to stdout: the full list's entry count and the best and median wall times of
//! the build (file reading excluded).

use amorph_core::{Element, Lattice, NeighborList, Structure};
use nalgebra::Vector3;
use std::time::Instant;

struct Options {
    threads: Vec<usize>,
    cutoffs: Vec<f64>,
    repeat: usize,
    half: bool,
    files: Vec<String>,
}

fn parse_list<T: std::str::FromStr>(s: &str) -> Vec<T> {
    s.split(',')
        .map(|x| {
            x.trim()
                .parse()
                .unwrap_or_else(|_| panic!("bad list item {x:?}"))
        })
        .collect()
}

fn options() -> Options {
    let mut o = Options {
        threads: vec![1, 2],
        cutoffs: vec![6.0, 10.0],
        repeat: 0,
        half: false,
        files: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => o.threads = parse_list(&args.next().expect("--threads N,M")),
            "--cutoffs" => o.cutoffs = parse_list(&args.next().expect("--cutoffs A,B")),
            "--repeat" => o.repeat = args.next().expect("--repeat N").parse().expect("integer"),
            "--half" => o.half = true,
            // `cargo bench` passes `--bench`; ignore flags we do not know.
            s if s.starts_with("--") => {}
            s => o.files.push(s.to_string()),
        }
    }
    o
}

fn read(path: &str) -> Structure {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let row = |r: &serde_json::Value| -> [f64; 3] {
        let a = r.as_array().expect("3-vector");
        [
            a[0].as_f64().unwrap(),
            a[1].as_f64().unwrap(),
            a[2].as_f64().unwrap(),
        ]
    };
    let l = v["lattice"].as_array().expect("lattice");
    let lattice = Lattice::from_rows([row(&l[0]), row(&l[1]), row(&l[2])]).expect("lattice");
    let positions: Vec<Vector3<f64>> = v["positions"]
        .as_array()
        .expect("positions")
        .iter()
        .map(|p| Vector3::from(row(p)))
        .collect();
    let li = Element::from_symbol("Li").unwrap();
    Structure::new(lattice, vec![li; positions.len()], positions).expect("structure")
}

/// A random cell of `n` atoms at 0.08 atoms/Å³ (uniform positions, fixed seed).
fn generated(n: usize) -> Structure {
    let a = (n as f64 / 0.08).cbrt();
    let lattice = Lattice::cubic(a).unwrap();
    let mut state = 0x2545_f491_4f6c_dd1du64 ^ n as u64;
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let frac: Vec<Vector3<f64>> = (0..n).map(|_| Vector3::new(rnd(), rnd(), rnd())).collect();
    let li = Element::from_symbol("Li").unwrap();
    Structure::from_fractional(lattice, vec![li; n], &frac).unwrap()
}

fn main() {
    let o = options();
    let inputs: Vec<(String, Structure)> = if o.files.is_empty() {
        [100, 1000, 10_000, 100_000]
            .into_iter()
            .map(|n| (format!("generated-{n}"), generated(n)))
            .collect()
    } else {
        o.files.iter().map(|f| (f.clone(), read(f))).collect()
    };
    for (name, s) in &inputs {
        for &rc in &o.cutoffs {
            for &t in &o.threads {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(t)
                    .build()
                    .expect("thread pool");
                // Enough repeats for ~1 s of work on small cells, at least 3.
                let builder = NeighborList::builder(rc).half(o.half).parallel(t > 1);
                let start = Instant::now();
                let first = pool.install(|| builder.build(s)).expect("neighbour list");
                let once = start.elapsed().as_secs_f64();
                let pairs = first.len();
                drop(first);
                let repeat = if o.repeat > 0 {
                    o.repeat
                } else {
                    ((1.0 / once.max(1e-6)) as usize).clamp(3, 200)
                };
                let mut times = Vec::with_capacity(repeat);
                for _ in 0..repeat {
                    let start = Instant::now();
                    let nl = pool.install(|| builder.build(s)).expect("neighbour list");
                    times.push(start.elapsed().as_secs_f64());
                    assert_eq!(nl.len(), pairs);
                }
                times.sort_by(f64::total_cmp);
                println!(
                    "{{\"file\":{name:?},\"n_atoms\":{},\"cutoff\":{rc},\"threads\":{t},\"half\":{},\
                     \"pairs\":{pairs},\"best_s\":{:.6e},\"median_s\":{:.6e},\"repeat\":{repeat}}}",
                    s.len(),
                    o.half,
                    times[0],
                    times[times.len() / 2],
                );
            }
        }
    }
}
