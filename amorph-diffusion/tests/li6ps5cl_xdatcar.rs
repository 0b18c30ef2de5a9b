//! The real VASP AIMD XDATCAR Li6PS5Cl_500K_XDATCAR.gz (shared data, MIT; kinisi's example
//! file): amorph-core's reader + our analysis against pymatgen and kinisi.
//!
//! Fixtures: `tests/fixtures/pymatgen_li6ps5cl.json` from `scripts/fixtures/pymatgen_diffusion.py`
//! (pymatgen 2026.10.24 Xdatcar + pymatgen-analysis-diffusion DiffusionAnalyzer);
//! `tests/fixtures/kinisi_li6ps5cl.json` from `scripts/fixtures/kinisi_diffusion.py` (kinisi 2.1.0,
//! emcee posterior, seeded). Each file's "peer" key records the exact versions.

use amorph_core::Element;
use amorph_diffusion::{
    DiffusionSettings, Displacements, GlsSettings, Sampling, Smoothing, analyze,
};
use std::path::Path;
use std::sync::OnceLock;

const XDATCAR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz"
);

fn fixture(name: &str) -> serde_json::Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn displacements() -> &'static Displacements {
    static D: OnceLock<Displacements> = OnceLock::new();
    D.get_or_init(|| {
        let t = amorph_core::io::read_trajectory(Path::new(XDATCAR), 100.0).unwrap();
        Displacements::from_trajectory(&t).unwrap()
    })
}

fn settings() -> DiffusionSettings {
    // time_step 2 fs × step_skip 50 = 100 fs per frame, 500 K.
    DiffusionSettings::new(Element::from_symbol("Li").unwrap(), 500.0, 100.0)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn matches_pymatgen_diffusion_analyzer() {
    let pm = fixture("pymatgen_li6ps5cl.json");
    let d = displacements();
    assert_eq!(d.n_frames(), pm["n_frames"].as_u64().unwrap() as usize);
    for (name, smoothing) in [
        ("max", Smoothing::Max { min_obs: 30 }),
        ("none", Smoothing::None),
        ("constant", Smoothing::Constant { avg_nsteps: 50 }),
    ] {
        let mut s = settings();
        s.smoothing = smoothing;
        s.gls = None;
        let r = analyze(d, &s).unwrap();
        let p = &pm[name];
        let f = |k: &str| p[k].as_f64().unwrap();
        assert!(
            rel(r.diffusivity_cm2_s, f("diffusivity")) < 1e-6,
            "{name}: D {} vs {}",
            r.diffusivity_cm2_s,
            f("diffusivity")
        );
        assert!(
            rel(r.conductivity_ms_cm, f("conductivity")) < 1e-6,
            "{name}: σ"
        );
        assert!(
            rel(r.charge_diffusivity_cm2_s, f("chg_diffusivity")) < 1e-6,
            "{name}: charge D"
        );
        assert!(rel(r.haven_ratio, f("haven_ratio")) < 1e-6, "{name}: Haven");
        assert!(
            rel(r.diffusivity_std_cm2_s, f("diffusivity_std_dev")) < 1e-5,
            "{name}: std"
        );
        for k in 0..3 {
            let c = p["diffusivity_components"][k].as_f64().unwrap();
            assert!(
                rel(r.diffusivity_components_cm2_s[k], c) < 1e-6,
                "{name}: D_{k}"
            );
        }
        let mfd = r.max_framework_displacement.unwrap();
        assert!(
            rel(mfd, f("max_framework_displacement")) < 1e-9,
            "{name}: max framework displacement"
        );
        let msd = p["msd"].as_array().unwrap();
        assert_eq!(r.curves.msd.len(), msd.len(), "{name}: lags");
        for (a, b) in r.curves.msd.iter().zip(msd) {
            assert!(
                (a - b.as_f64().unwrap()).abs() < 1e-9 * (1.0 + a),
                "{name}: msd"
            );
        }
    }
}

#[test]
fn gls_matches_kinisi() {
    let k = fixture("kinisi_li6ps5cl.json");
    let f = |key: &str| k[key].as_f64().unwrap();
    let d = displacements();
    // kinisi's exact sampling: MSD, variance and n_samples per lag, then the analytic GLS on
    // its own covariance, then its MCMC posterior (within 5 %).
    let mut s = settings();
    s.gls = Some(GlsSettings {
        start_fs: f("start_dt_fs"),
        cond_max: 1e16,
        max_lags: 1000,
        sampling: Sampling::Kinisi,
    });
    let r = analyze(d, &s).unwrap();
    let g = r.gls.as_ref().unwrap();
    let st = &g.statistics;
    let kmsd = k["msd"].as_array().unwrap();
    assert_eq!(st.msd.len(), kmsd.len());
    for i in 0..kmsd.len() {
        let (m, v, n) = (
            kmsd[i].as_f64().unwrap(),
            k["msd_var"][i].as_f64().unwrap(),
            k["n_samples"][i].as_f64().unwrap(),
        );
        assert!(
            rel(st.msd[i], m) < 1e-8,
            "lag {i}: msd {} vs {m}",
            st.msd[i]
        );
        assert!(
            rel(st.variance[i], v) < 1e-6,
            "lag {i}: var {} vs {v}",
            st.variance[i]
        );
        assert!(rel(st.n_independent[i], n) < 1e-12);
    }
    assert!(
        rel(g.diffusivity_cm2_s, f("gls_from_kinisi_cov_D_cm2_s")) < 1e-4,
        "GLS D {}",
        g.diffusivity_cm2_s
    );
    assert!(
        rel(g.std_cm2_s, f("gls_from_kinisi_cov_std_cm2_s")) < 1e-3,
        "GLS σ {}",
        g.std_cm2_s
    );
    assert!(rel(g.diffusivity_cm2_s, f("posterior_D_mean_cm2_s")) < 0.05);
    assert!(
        rel(g.std_cm2_s, f("posterior_D_std_cm2_s")) < 0.05,
        "σ {} vs kinisi {}",
        g.std_cm2_s,
        f("posterior_D_std_cm2_s")
    );

    // Our default sampling (every origin, lags 1…N−1) also agrees with kinisi within 5 %.
    let mut s = settings();
    s.gls = Some(GlsSettings {
        start_fs: f("start_dt_fs"),
        ..GlsSettings::default()
    });
    let g = analyze(d, &s).unwrap().gls.unwrap();
    eprintln!(
        "default GLS D {} ± {}; kinisi {} ± {}",
        g.diffusivity_cm2_s,
        g.std_cm2_s,
        f("posterior_D_mean_cm2_s"),
        f("posterior_D_std_cm2_s")
    );
    assert!(rel(g.diffusivity_cm2_s, f("posterior_D_mean_cm2_s")) < 0.05);
    assert!(rel(g.std_cm2_s, f("posterior_D_std_cm2_s")) < 0.05);
}
