//! Benchmark: all 43 features for 1 000 random ~100-atom cells of the paper's compositions, and
//! for one 10 000-atom cell.
//!
//! `cargo bench -p amorph-features --bench featurize` (threads: `RAYON_NUM_THREADS=2`).
//! With `--dump DIR` it also writes the cells as extxyz (for the Python peer script
//! `scripts/fixtures/features_bench_peer.py`).

use amorph_core::{Element, Lattice, Structure};
use amorph_features::{FeatureTable, PaperFeaturizer};
use nalgebra::Vector3;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// Reduced formulas (counts) of some of the paper's compositions and a typical AAV (Å³/atom).
const CELLS: &[(&[(&str, usize)], f64)] = &[
    (&[("Li", 2), ("O", 1)], 11.0),
    (&[("Li", 2), ("Si", 2), ("O", 5)], 15.0),
    (&[("Li", 1), ("P", 1), ("F", 6)], 13.0),
    (&[("Li", 1), ("V", 1), ("O", 3)], 12.0),
    (&[("Li", 4), ("Sr", 1)], 22.0),
    (&[("Li", 3), ("Bi", 2), ("P", 3), ("O", 12)], 12.0),
    (&[("Li", 15), ("Si", 2), ("Sn", 3)], 18.0),
    (&[("Li", 1), ("Ge", 1), ("O", 3)], 14.0),
];

fn random_cell(counts: &[(&str, usize)], aav: f64, target: usize, seed: u64) -> Structure {
    let unit: usize = counts.iter().map(|c| c.1).sum();
    let k = (target as f64 / unit as f64).round().max(1.0) as usize;
    let n = unit * k;
    let a = (aav * n as f64).cbrt();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut species, mut pos) = (Vec::new(), Vec::<Vector3<f64>>::new());
    for (sym, c) in counts {
        let e = Element::from_symbol(sym).unwrap();
        for _ in 0..c * k {
            loop {
                let p = Vector3::new(
                    rng.random::<f64>(),
                    rng.random::<f64>(),
                    rng.random::<f64>(),
                ) * a;
                if pos.iter().all(|q| {
                    let mut d = p - q;
                    d.iter_mut().for_each(|x| *x -= a * (*x / a).round());
                    d.norm() >= 1.5
                }) {
                    species.push(e);
                    pos.push(p);
                    break;
                }
            }
        }
    }
    Structure::new(Lattice::cubic(a).unwrap(), species, pos).unwrap()
}

/// CPU time (user + system) of this process so far (s), from /proc (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .map(|i| args[i + 1].clone());
    let structures: Vec<Structure> = (0..1000)
        .map(|i| {
            let (c, aav) = CELLS[i % CELLS.len()];
            random_cell(c, aav, 100, i as u64)
        })
        .collect();
    let atoms: usize = structures.iter().map(|s| s.len()).sum();
    let f = PaperFeaturizer::default();
    let threads = rayon::current_num_threads();
    // Warm-up, then best of 5.
    let _ = FeatureTable::from_structures(&f, &structures[..50], None).unwrap();
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    for _ in 0..5 {
        let (t, c) = (Instant::now(), cpu_seconds());
        let table = FeatureTable::from_structures(&f, &structures, None).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_seconds() - c);
        assert_eq!(table.rows().len(), 1000);
    }
    println!(
        "1000 structures ({atoms} atoms, mean {:.1}/structure), {threads} threads: wall {:.3} s, CPU {:.2} s (all threads)",
        atoms as f64 / 1000.0,
        best,
        best_cpu,
    );

    // Floor: just the 4 Å neighbour list of every structure, serially.
    let t = Instant::now();
    let mut entries = 0;
    for s in &structures {
        entries += amorph_core::NeighborList::build(s, 4.0).unwrap().len();
    }
    let nl_time = t.elapsed().as_secs_f64();
    println!(
        "  (for scale: the 4 Å neighbour lists alone, 1 thread: {nl_time:.3} s, {:.1} neighbours/atom)",
        entries as f64 / atoms as f64
    );

    // One 10 000-atom cell: a 5×5×4 supercell of a 100-atom Li2Si2O5 cell, jittered ±0.1 Å.
    let base = random_cell(CELLS[1].0, CELLS[1].1, 100, 7);
    let mut big = base.supercell([5, 5, 4]).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for p in big.positions_mut() {
        *p += Vector3::new(
            rng.random::<f64>() - 0.5,
            rng.random::<f64>() - 0.5,
            rng.random::<f64>() - 0.5,
        ) * 0.2;
    }
    let mut best_big = f64::INFINITY;
    let mut best_big_cpu = f64::INFINITY;
    for _ in 0..3 {
        let (t, c) = (Instant::now(), cpu_seconds());
        let table = FeatureTable::from_structures(&f, std::slice::from_ref(&big), None).unwrap();
        best_big = best_big.min(t.elapsed().as_secs_f64());
        best_big_cpu = best_big_cpu.min(cpu_seconds() - c);
        assert_eq!(table.rows().len(), 1);
    }
    println!(
        "one structure of {} atoms, {threads} threads: wall {:.3} s, CPU {:.2} s",
        big.len(),
        best_big,
        best_big_cpu
    );

    if let Some(dir) = dump {
        std::fs::create_dir_all(&dir).unwrap();
        for (i, s) in structures.iter().take(100).enumerate() {
            let mut text = format!(
                "{}\nLattice=\"{a} 0 0 0 {a} 0 0 0 {a}\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n",
                s.len(),
                a = s.lattice().lengths()[0]
            );
            for (e, p) in s.species().iter().zip(s.positions()) {
                text.push_str(&format!("{e} {} {} {}\n", p[0], p[1], p[2]));
            }
            std::fs::write(format!("{dir}/cell_{i:04}.xyz"), text).unwrap();
        }
        let t = FeatureTable::from_structures(&f, &structures[..100], None).unwrap();
        let mut out = Vec::new();
        t.write_csv(&mut out).unwrap();
        std::fs::write(format!("{dir}/amorph_features.csv"), out).unwrap();
        println!("wrote 100 cells and amorph_features.csv to {dir}");
    }
}
