//! Fit + predict timings of the random forest and the booster, for comparison with
//! scikit-learn and XGBoost (`benches/peer_bench.py` times the peers on the same inputs).
//!
//! ```text
//! cargo bench -p amorph-ml --bench ml_bench -- [--reps N] [--synthetic FILE] [--write-synthetic FILE]
//! ```
//! Thread count: `RAYON_NUM_THREADS` (use the same number for the peers' `n_jobs`).
//! The synthetic table is Friedman #1 (`10 sin(π x0 x1) + 20 (x2 − ½)² + 10 x3 + 5 x4 + N(0,1)`)
//! with 38 more uniform noise columns: 100 000 rows × 43 features; rows 0..80 000 train.

use amorph_ml::*;
use ndarray::{Array1, Array2, Axis};
use std::io::Write;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<L: Learner>(
    params: &L,
    xtr: &Array2<f64>,
    ytr: &Array1<f64>,
    xte: &Array2<f64>,
    yte: &[f64],
    reps: usize,
) -> (f64, f64) {
    let mut times = Vec::new();
    let mut r2 = 0.0;
    for _ in 0..reps {
        let t0 = Instant::now();
        let m = params.fit(xtr.view(), ytr.view()).unwrap();
        let p = m.predict(xte.view()).unwrap();
        times.push(t0.elapsed().as_secs_f64());
        r2 = metrics::r2(yte, p.as_slice().unwrap()).unwrap();
    }
    (median(times), r2)
}

fn write_synthetic(path: &str) {
    let mut rng = rng::Rng::new(2024);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let names: Vec<String> = (0..43).map(|j| format!("f{j}")).collect();
    writeln!(f, "id,y,{}", names.join(",")).unwrap();
    for i in 0..100_000 {
        let x: Vec<f64> = (0..43)
            .map(|_| (rng.uniform() * 1e6).round() / 1e6)
            .collect();
        // Box–Muller normal noise.
        let (u1, u2) = (rng.uniform().max(1e-300), rng.uniform());
        let noise = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        let y = 10.0 * (std::f64::consts::PI * x[0] * x[1]).sin()
            + 20.0 * (x[2] - 0.5).powi(2)
            + 10.0 * x[3]
            + 5.0 * x[4]
            + noise;
        let cells: Vec<String> = x.iter().map(|v| format!("{v}")).collect();
        writeln!(f, "{i},{y:.6},{}", cells.join(",")).unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    if let Some(p) = get("--write-synthetic") {
        write_synthetic(&p);
        eprintln!("wrote {p}");
        return;
    }
    let reps: usize = get("--reps").map_or(5, |s| s.parse().unwrap());
    let threads = rayon::current_num_threads();
    println!("threads {threads}, reps {reps} (median fit+predict seconds)");

    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/paper_ml/");
    let t = Table::read(format!("{base}feature_target.dat").as_ref()).unwrap();
    let ids = Table::read(format!("{base}test_ordered.dat").as_ref())
        .unwrap()
        .text_column("index")
        .unwrap();
    let s = split_by_ids(&t.row_ids(), &ids).unwrap();
    let names = t.feature_names("diff_coeff_mul_thousand").unwrap();
    let x = t.matrix(&names).unwrap();
    let y = t.column("diff_coeff_mul_thousand").unwrap();
    let (xtr, ytr) = (x.select(Axis(0), &s.train), y.select(Axis(0), &s.train));
    let xte = x.select(Axis(0), &s.test);
    let yte: Vec<f64> = s.test.iter().map(|&i| y[i]).collect();
    let rf = |n| ForestParams {
        n_estimators: n,
        seed: 62,
        ..Default::default()
    };
    let gbt = BoostParams::paper();
    let (tr, r2) = time(&rf(100), &xtr, &ytr, &xte, &yte, reps);
    println!("paper  rf  100 trees        {tr:8.4} s  test R² {r2:.4}");
    let (tg, r2) = time(&gbt, &xtr, &ytr, &xte, &yte, reps);
    println!("paper  gbt hist (paper)     {tg:8.4} s  test R² {r2:.4}");

    if let Some(p) = get("--synthetic") {
        let t = Table::read(p.as_ref()).unwrap();
        let names = t.feature_names("y").unwrap();
        let x = t.matrix(&names).unwrap();
        let y = t.column("y").unwrap();
        let n_train = 80_000;
        let xtr = x.slice(ndarray::s![..n_train, ..]).to_owned();
        let ytr = y.slice(ndarray::s![..n_train]).to_owned();
        let xte = x.slice(ndarray::s![n_train.., ..]).to_owned();
        let yte = y.slice(ndarray::s![n_train..]).to_vec();
        let reps = reps.min(3);
        let (tr, r2) = time(&rf(20), &xtr, &ytr, &xte, &yte, reps);
        println!("synth  rf  20 trees         {tr:8.4} s  test R² {r2:.4}");
        let (tg, r2) = time(&gbt, &xtr, &ytr, &xte, &yte, reps);
        println!("synth  gbt hist (paper)     {tg:8.4} s  test R² {r2:.4}");
    }
}
