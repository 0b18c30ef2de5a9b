//! Force-evaluation benchmark of amorph-md's potentials (harness-free bench binary).
//!
//! `cargo bench -p amorph-md --bench forces` (set `RAYON_NUM_THREADS=1` for one thread).
//! Inputs: the random Li₂Si₂O₅ LAMMPS data files of `tests/fixtures/lammps/` (108, 432 and
//! 1728 atoms, written by `scripts/fixtures/lammps_potentials.py`). For each it prints the
//! best-of-5 time per force evaluation (energy + forces + stress; neighbour list reused, as
//! between rebuilds in MD) for Pedone + DSF (α 0.25, rc 10) and Pedone + Ewald (1e-6 and
//! 1e-10), and the time of one neighbour-list build. Compare with
//! `amorph-md/benches/forces_lammps.sh`.

use amorph_core::{Calculator, Element, Lattice, Request, Structure};
use amorph_md::potential::{Coulomb, EwaldOptions, PedoneOptions, pedone};
use nalgebra::Vector3;
use std::time::Instant;

/// Reads the data files this crate's fixture script writes (orthogonal or triclinic box,
/// `Masses` with `# Symbol` comments, `Atoms # charge`).
fn read_data(path: &str) -> Structure {
    let text = std::fs::read_to_string(path).expect(path);
    let (mut lo, mut hi) = ([0.0; 3], [0.0; 3]);
    let mut tilt = [0.0; 3];
    let mut types = std::collections::HashMap::new();
    let mut atoms = Vec::new();
    let mut section = "";
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let w: Vec<&str> = t.split_whitespace().collect();
        match t {
            _ if t.ends_with("xlo xhi") => {
                (lo[0], hi[0]) = (w[0].parse().unwrap(), w[1].parse().unwrap())
            }
            _ if t.ends_with("ylo yhi") => {
                (lo[1], hi[1]) = (w[0].parse().unwrap(), w[1].parse().unwrap())
            }
            _ if t.ends_with("zlo zhi") => {
                (lo[2], hi[2]) = (w[0].parse().unwrap(), w[1].parse().unwrap())
            }
            _ if t.ends_with("xy xz yz") => tilt = [0, 1, 2].map(|k| w[k].parse().unwrap()),
            _ if t.starts_with("Masses") => section = "masses",
            _ if t.starts_with("Atoms") => section = "atoms",
            _ if section == "masses" => {
                let sym: Element = w[w.len() - 1].parse().unwrap();
                types.insert(w[0].to_string(), sym);
            }
            _ if section == "atoms" => {
                let p = Vector3::new(
                    w[3].parse().unwrap(),
                    w[4].parse().unwrap(),
                    w[5].parse().unwrap(),
                );
                atoms.push((w[0].parse::<usize>().unwrap(), types[w[1]], p));
            }
            _ => {}
        }
    }
    atoms.sort_by_key(|a| a.0);
    let l = [0, 1, 2].map(|k| hi[k] - lo[k]);
    let lattice = Lattice::from_rows([
        [l[0], 0.0, 0.0],
        [tilt[0], l[1], 0.0],
        [tilt[1], tilt[2], l[2]],
    ])
    .unwrap();
    Structure::new(
        lattice,
        atoms.iter().map(|a| a.1).collect(),
        atoms
            .iter()
            .map(|a| a.2 - Vector3::new(lo[0], lo[1], lo[2]))
            .collect(),
    )
    .unwrap()
}

fn time_it(mut f: impl FnMut(), reps: usize) -> f64 {
    f();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..reps {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() / reps as f64);
    }
    best
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lammps");
    println!("threads: {}", rayon::current_num_threads());
    for n in [108, 432, 1728] {
        let s = read_data(&format!("{dir}/li2si2o5_{n}.data"));
        let reps: usize = (20_000 / n).max(3);
        let cases = [
            ("pedone+dsf(0.25,10)", Coulomb::dsf(0.25, 10.0).unwrap()),
            (
                "pedone+ewald(1e-6)",
                Coulomb::Ewald(EwaldOptions {
                    accuracy: 1e-6,
                    ..Default::default()
                }),
            ),
            (
                "pedone+ewald(1e-10)",
                Coulomb::Ewald(EwaldOptions {
                    accuracy: 1e-10,
                    ..Default::default()
                }),
            ),
        ];
        for (name, coulomb) in cases {
            let mut ff = pedone(&PedoneOptions {
                coulomb,
                ..Default::default()
            })
            .unwrap();
            ff.calculate(&s, Request::STRESS).unwrap();
            let t = time_it(
                || {
                    std::hint::black_box(ff.calculate(&s, Request::STRESS).unwrap());
                },
                if name.contains("1e-10") {
                    reps.div_ceil(4)
                } else {
                    reps
                },
            );
            let split = ff.ewald_split().map(|e| {
                format!(
                    " alpha {:.3} rc {:.2} kc {:.2} nk {}",
                    e.alpha,
                    e.real_cutoff,
                    e.k_cutoff,
                    ff.n_kvectors()
                )
            });
            println!(
                "{n:5} atoms  {name:22} {:10.3} ms/eval  {:8.0} k atom-evals/s{}",
                t * 1e3,
                n as f64 / t / 1e3,
                split.unwrap_or_default()
            );
        }
        let t = time_it(
            || {
                std::hint::black_box(
                    amorph_core::neighbor::VerletList::new(&s, 10.0, 1.0).unwrap(),
                );
            },
            (2000 / n).max(2),
        );
        println!(
            "{n:5} atoms  {:22} {:10.3} ms/build",
            "verlet list 10+1 Å",
            t * 1e3
        );
    }
}
