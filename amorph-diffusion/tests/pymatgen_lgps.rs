//! pymatgen-analysis-diffusion's own test fixture (Li10GeP2S12, 600 K; shared data
//! `diffusion/pymatgen_LGPS_600K.json`, BSD-3): our analysis reproduces pymatgen's numbers.
//! Reference values: pymatgen-analysis-diffusion's DiffusionAnalyzer (verified by its tests and
//! by a numpy port).

use amorph_core::Element;
use amorph_diffusion::{DiffusionSettings, Displacements, Drift, Smoothing, analyze};
use nalgebra::Matrix3;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/diffusion/pymatgen_LGPS_600K.json"
);

fn load() -> (Displacements, DiffusionSettings) {
    let text = std::fs::read_to_string(PATH).expect("shared data present");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let m = &v["structure"]["lattice"]["matrix"];
    let lat = Matrix3::from_fn(|i, j| m[i][j].as_f64().unwrap());
    let species: Vec<Element> = v["structure"]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Element::from_symbol(s["species"][0]["element"].as_str().unwrap()).unwrap())
        .collect();
    let disp = v["displacements"].as_array().unwrap();
    let nf = disp[0].as_array().unwrap().len();
    let mut data = Vec::with_capacity(species.len() * nf);
    for atom in disp {
        for f in atom.as_array().unwrap() {
            let f = f.as_array().unwrap();
            data.push([
                f[0].as_f64().unwrap(),
                f[1].as_f64().unwrap(),
                f[2].as_f64().unwrap(),
            ]);
        }
    }
    let d = Displacements::from_cumulative(species, lat.determinant().abs(), nf, data).unwrap();
    let t = v["temperature"].as_f64().unwrap();
    let frame = v["time_step"].as_f64().unwrap() * v["step_skip"].as_f64().unwrap();
    let mut s = DiffusionSettings::new(Element::from_symbol("Li").unwrap(), t, frame);
    s.smoothing = Smoothing::Max {
        min_obs: v["min_obs"].as_u64().unwrap() as usize,
    };
    s.gls = None;
    (d, s)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn smoothed_max_matches_pymatgen() {
    let (d, s) = load();
    let r = analyze(&d, &s).unwrap();
    assert!(
        rel(r.diffusivity_cm2_s, 1.16129306e-06) < 1e-6,
        "{}",
        r.diffusivity_cm2_s
    );
    assert!(
        rel(r.conductivity_ms_cm, 74.16537) < 1e-6,
        "{}",
        r.conductivity_ms_cm
    );
    assert!(
        rel(r.charge_diffusivity_cm2_s, 3.64565578e-06) < 1e-6,
        "{}",
        r.charge_diffusivity_cm2_s
    );
    assert!(rel(r.haven_ratio, 0.31854161) < 1e-6, "{}", r.haven_ratio);
    // pymatgen: 206 lags, mscd[0:4] (its test, 1e-3).
    assert_eq!(r.curves.lags.len(), 206);
    for (a, b) in r
        .curves
        .mscd
        .iter()
        .zip([0.69131064, 0.71794072, 0.74315283, 0.76703961])
    {
        assert!((a - b).abs() < 1e-6, "{a} {b}");
    }
    // Conversion factor for this cell (numpy port: 6.38644715e7).
    assert!(
        rel(r.conversion_factor, 6.38644715e7) < 1e-8,
        "{}",
        r.conversion_factor
    );
    // The paper's slope/2 convention is exactly three times the tracer D.
    let mut s2 = s.clone();
    s2.convention = amorph_diffusion::DConvention::PaperSlopeOver2;
    let r2 = analyze(&d, &s2).unwrap();
    assert!(rel(r2.diffusivity_cm2_s, 3.0 * r.diffusivity_cm2_s) < 1e-12);
    assert!(rel(r2.conductivity_ms_cm, r.conductivity_ms_cm) < 1e-12);
}

#[test]
fn smoothed_none_and_constant_match_pymatgen() {
    let (d, mut s) = load();
    s.smoothing = Smoothing::None;
    let r = analyze(&d, &s).unwrap();
    assert!(
        rel(r.diffusivity_cm2_s, 4.25976905e-07) < 1e-6,
        "{}",
        r.diffusivity_cm2_s
    );
    assert!(
        rel(r.conductivity_ms_cm, 27.2047917) < 1e-6,
        "{}",
        r.conductivity_ms_cm
    );
    s.smoothing = Smoothing::Constant { avg_nsteps: 100 };
    let r = analyze(&d, &s).unwrap();
    assert!(
        rel(r.diffusivity_cm2_s, 7.42260165e-07) < 1e-6,
        "{}",
        r.diffusivity_cm2_s
    );
    assert!(
        rel(r.conductivity_ms_cm, 47.404056) < 1e-6,
        "{}",
        r.conductivity_ms_cm
    );
    // Not enough frames for 1000 averaging origins (pymatgen's default) → typed error.
    s.smoothing = Smoothing::Constant { avg_nsteps: 1000 };
    assert!(matches!(
        analyze(&d, &s),
        Err(amorph_diffusion::DiffusionError::NotEnoughFrames { .. })
    ));
}

#[test]
fn bad_input_is_a_typed_error() {
    use amorph_diffusion::DiffusionError as E;
    let (d, mut s) = load();
    s.species = Element::from_symbol("Na").unwrap();
    assert!(matches!(analyze(&d, &s), Err(E::SpeciesAbsent { .. })));
    let (d, mut s) = load();
    s.temperature_k = 0.0;
    assert!(matches!(analyze(&d, &s), Err(E::Temperature(_))));
    // Fewer frames than the 1 ps minimum lag needs.
    let (_, mut s) = load();
    s.min_lag_fs = 1e6;
    assert!(matches!(analyze(&d, &s), Err(E::NotEnoughFrames { .. })));
    // Every atom is Li: no framework for the drift correction.
    let li = Element::from_symbol("Li").unwrap();
    let only = Displacements::from_cumulative(vec![li; 2], 100.0, 3, vec![[0.0; 3]; 6]).unwrap();
    let s = DiffusionSettings::new(li, 300.0, 1.0);
    assert!(matches!(analyze(&only, &s), Err(E::NoFramework { .. })));
    let mut s = s;
    s.drift = Drift::None;
    s.min_lag_fs = 10.0;
    assert!(matches!(analyze(&only, &s), Err(E::NotEnoughFrames { .. })));
}
