//! Arrhenius fits: synthetic recovery, uncertainty calibration, and the paper's own table.

use amorph_core::units::KB_EV;
use amorph_diffusion::{fit_arrhenius, fit_groups, parse_table};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

const TABLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/paper_ml/feature_target.dat"
);

#[test]
fn exact_data_recovers_ea_and_d0() {
    let (ea, d0) = (0.42, 3.1e-3);
    let t = [800.0, 1000.0, 1250.0, 1600.0, 2000.0];
    let d: Vec<f64> = t.iter().map(|t| d0 * (-ea / (KB_EV * t)).exp()).collect();
    let f = fit_arrhenius(&t, &d, None).unwrap();
    assert!((f.ea_ev - ea).abs() < 1e-12);
    assert!((f.d0 / d0 - 1.0).abs() < 1e-10);
    assert!(f.ea_std_ev.unwrap() < 1e-12);
    let x = f.extrapolate(300.0).unwrap();
    assert!((x.d / (d0 * (-ea / (KB_EV * 300.0)).exp()) - 1.0).abs() < 1e-9);
    assert!(f.extrapolate(0.0).is_err());
}

#[test]
fn weighted_fit_uncertainty_is_calibrated() {
    // 5 temperatures, D with 10 % log-normal noise and that σ given: Ea and the 300 K
    // extrapolation must fall within 2σ of the truth in ≥ 90 % of 200 seeds.
    let (ea, d0) = (0.35, 1e-3);
    let t = [1000.0, 1250.0, 1500.0, 2000.0, 2500.0];
    let noise = Normal::new(0.0, 0.1).unwrap();
    let (mut hit_ea, mut hit_x, n) = (0, 0, 200);
    for seed in 0..n {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let d: Vec<f64> = t
            .iter()
            .map(|t| d0 * (-ea / (KB_EV * t)).exp() * f64::exp(noise.sample(&mut rng)))
            .collect();
        let s: Vec<f64> = d.iter().map(|d| 0.1 * d).collect();
        let f = fit_arrhenius(&t, &d, Some(&s)).unwrap();
        assert!(f.weighted);
        if (f.ea_ev - ea).abs() <= 2.0 * f.ea_std_ev.unwrap() {
            hit_ea += 1;
        }
        let x = f.extrapolate(300.0).unwrap();
        let truth = d0 * (-ea / (KB_EV * 300.0)).exp();
        // ln D is the Gaussian quantity: compare there.
        if (x.d.ln() - truth.ln()).abs() <= 2.0 * x.d_std.unwrap() / x.d {
            hit_x += 1;
        }
    }
    assert!(hit_ea * 10 >= n * 9, "Ea covered {hit_ea}/{n}");
    assert!(hit_x * 10 >= n * 9, "D(300 K) covered {hit_x}/{n}");
}

#[test]
fn paper_table_gives_per_composition_ea() {
    let text = std::fs::read_to_string(TABLE).expect("shared data present");
    let rows = parse_table(&text).unwrap();
    assert_eq!(rows.len(), 792);
    let fits = fit_groups(&rows).unwrap();
    assert_eq!(fits.len(), 207, "207 compositions");
    let li3n = fits
        .iter()
        .find(|(g, _)| g.as_deref() == Some("Li3N"))
        .map(|(_, f)| f)
        .unwrap();
    // Unweighted ln D vs 1/T over 1000–2500 K; numpy polyfit gives 0.318458104.
    assert!((li3n.ea_ev - 0.318458104).abs() < 1e-8, "{}", li3n.ea_ev);
    assert_eq!(li3n.n_points, 4);
    assert!(!li3n.weighted && li3n.ea_std_ev.is_some());
    // The table's unit is 1e-3 cm²/s: D0 comes out in cm²/s.
    assert!(li3n.d0 > 1e-4 && li3n.d0 < 1e-1, "{}", li3n.d0);
}

#[test]
fn plain_and_bad_tables() {
    let rows = parse_table("1000 1e-5 1e-6\n1500 4e-5 2e-6\n2000 9e-5 5e-6\n").unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].d_std, Some(1e-6));
    let rows = parse_table("T,D\n1000,1e-5\n2000,2e-5\n").unwrap();
    assert_eq!(rows[1].temperature_k, 2000.0);
    assert!(parse_table("x y\n1 2\n").is_err());
    assert!(parse_table("").is_err());
    assert!(fit_arrhenius(&[1000.0, 0.0], &[1e-5, 2e-5], None).is_err());
    assert!(fit_arrhenius(&[1000.0, 2000.0], &[1e-5, -2e-5], None).is_err());
}
