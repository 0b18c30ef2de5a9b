//! Invariants of the MSD: the FFT form equals the direct windowed average (proptest), and a
//! simulated random walk of known D is recovered within the GLS uncertainty (coverage test).

use amorph_core::Element;
use amorph_diffusion::{
    Displacements, Sampling, gls_fit, msd::msd_all_lags, msd::msd_windowed_lags, msd_fft,
    msd_statistics, msd_windowed, pymatgen_fit,
};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn fft_msd_equals_windowed(
        path in prop::collection::vec(prop::array::uniform3(-50.0f64..50.0), 2..300),
    ) {
        let n = path.len();
        let lags: Vec<usize> = (0..n).collect();
        let fft = msd_fft(&path);
        let win = msd_windowed(&path, &lags);
        let scale = path.iter().flatten().map(|x| x * x).fold(1.0, f64::max);
        for m in 0..n {
            for k in 0..3 {
                prop_assert!((fft[m][k] - win[m][k]).abs() <= 1e-9 * scale,
                    "lag {} axis {}: fft {} windowed {}", m, k, fft[m][k], win[m][k]);
            }
        }
    }

    #[test]
    fn species_curves_fft_equal_windowed(seed in 0u64..1000, n_atoms in 1usize..7, nf in 3usize..120) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let step = Normal::new(0.0, 0.3).unwrap();
        let li = Element::from_symbol("Li").unwrap();
        let mut data = Vec::new();
        for _ in 0..n_atoms {
            let mut p = [0.0; 3];
            for f in 0..nf {
                if f > 0 { for x in &mut p { *x += step.sample(&mut rng); } }
                data.push(p);
            }
        }
        let d = Displacements::from_cumulative(vec![li; n_atoms], 1000.0, nf, data).unwrap();
        let atoms: Vec<usize> = (0..n_atoms).collect();
        let a = msd_all_lags(&d, &atoms);
        let b = msd_windowed_lags(&d, &atoms, &a.lags);
        for m in 0..nf {
            prop_assert!((a.msd[m] - b.msd[m]).abs() < 1e-9 * (1.0 + b.msd[m]));
            prop_assert!((a.mscd[m] - b.mscd[m]).abs() < 1e-9 * (1.0 + b.mscd[m]));
        }
    }
}

/// Gaussian random walk: `n` atoms, `nf` frames, per-axis step σ (Å); D = σ²/(2Δt).
fn random_walk(seed: u64, n: usize, nf: usize, sigma: f64) -> Displacements {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let step = Normal::new(0.0, sigma).unwrap();
    let li = Element::from_symbol("Li").unwrap();
    let mut data = Vec::with_capacity(n * nf);
    for _ in 0..n {
        let mut p = [0.0; 3];
        for f in 0..nf {
            if f > 0 {
                for x in &mut p {
                    *x += step.sample(&mut rng);
                }
            }
            data.push(p);
        }
    }
    Displacements::from_cumulative(vec![li; n], 1000.0, nf, data).unwrap()
}

#[test]
fn random_walk_d_recovered_within_gls_uncertainty() {
    // 60 seeds; the 95 % interval (1.96 σ) of the covariance-aware fit must cover the true D
    // in at least 90 % of them. pymatgen's OLS σ is reported alongside to show why it is not
    // used (it covers far less often: its points are treated as independent).
    let (n, nf, sigma, frame_fs) = (16, 400, 0.1, 1.0);
    let d_true = sigma * sigma / (2.0 * frame_fs) * 0.1; // cm²/s
    let lags: Vec<usize> = (0..100).map(|i| 1 + i * 3).collect();
    let atoms: Vec<usize> = (0..n).collect();
    let (mut gls_hits, mut ols_hits, seeds) = (0, 0, 60);
    let mut z_sq = 0.0;
    for seed in 0..seeds {
        let d = random_walk(seed, n, nf, sigma);
        let st = msd_statistics(&d, &atoms, &lags, Sampling::AllOrigins).unwrap();
        let g = gls_fit(&st, frame_fs, 0.0, 1e16).unwrap();
        let (dg, sg) = (g.slope / 6.0 * 0.1, g.slope_std / 6.0 * 0.1);
        z_sq += ((dg - d_true) / sg).powi(2);
        if (dg - d_true).abs() <= 1.96 * sg {
            gls_hits += 1;
        }
        let t: Vec<f64> = st.lags.iter().map(|&k| k as f64 * frame_fs).collect();
        let o = pymatgen_fit(&t, &st.msd, false).unwrap();
        if (o.slope / 60.0 - d_true).abs() <= 1.96 * o.slope_std / 60.0 {
            ols_hits += 1;
        }
    }
    let rms_z = (z_sq / seeds as f64).sqrt();
    eprintln!("GLS coverage {gls_hits}/{seeds}, OLS coverage {ols_hits}/{seeds}, rms z {rms_z:.2}");
    assert!(
        gls_hits * 10 >= seeds * 9,
        "GLS 95% interval covered D in {gls_hits}/{seeds}"
    );
    // The uncertainty is not grossly inflated either: the z-scores have rms near 1.
    assert!(rms_z > 0.6 && rms_z < 1.4, "rms z {rms_z}");
    assert!(ols_hits < gls_hits, "OLS {ols_hits} vs GLS {gls_hits}");
}
