//! Shared helpers of the integration tests: crystal builders, a seeded random packer.
#![allow(dead_code)]

use amorph_core::{Element, Lattice, Structure};
use amorph_features::{FeatureTable, Featurizer, PaperFeaturizer, Settings};
use nalgebra::Vector3;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub fn el(s: &str) -> Element {
    Element::from_symbol(s).unwrap()
}

/// A cubic crystal from fractional sites.
pub fn cubic(a: f64, sites: &[(&str, [f64; 3])]) -> Structure {
    let species = sites.iter().map(|(s, _)| el(s)).collect();
    let pos = sites
        .iter()
        .map(|(_, f)| Vector3::new(f[0], f[1], f[2]) * a)
        .collect();
    Structure::new(Lattice::cubic(a).unwrap(), species, pos).unwrap()
}

const FCC: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [0.5, 0.5, 0.0],
    [0.5, 0.0, 0.5],
    [0.0, 0.5, 0.5],
];

/// Rock salt AB: A on fcc sites, B shifted by a/2 along x.
pub fn rock_salt(a_el: &str, b_el: &str, a: f64) -> Structure {
    let mut sites = Vec::new();
    for f in FCC {
        sites.push((a_el, f));
        sites.push((b_el, [(f[0] + 0.5) % 1.0, f[1], f[2]]));
    }
    cubic(a, &sites)
}

/// Anti-fluorite Li2O: O on fcc sites, Li on the 8 (¼,¼,¼)-type sites.
pub fn antifluorite_li2o(a: f64) -> Structure {
    let mut sites: Vec<(&str, [f64; 3])> = FCC.iter().map(|f| ("O", *f)).collect();
    for x in [0.25, 0.75] {
        for y in [0.25, 0.75] {
            for z in [0.25, 0.75] {
                sites.push(("Li", [x, y, z]));
            }
        }
    }
    cubic(a, &sites)
}

/// bcc Li.
pub fn bcc_li(a: f64) -> Structure {
    cubic(a, &[("Li", [0.0, 0.0, 0.0]), ("Li", [0.5, 0.5, 0.5])])
}

/// Values of one structure as (name → value) under `settings`.
pub fn features(s: &Structure, settings: Settings) -> (FeatureTable, amorph_features::FeatureRow) {
    let f = PaperFeaturizer::new(settings);
    let t = FeatureTable::from_structures(&f, std::slice::from_ref(s), None).unwrap();
    let row = t.rows()[0].clone();
    assert_eq!(row.values.len(), f.names().len());
    (t, row)
}

/// A random periodic cubic cell of `counts` atoms at `aav` Å³/atom with all pair distances
/// (minimum image) ≥ `dmin`: rejection sampling, seeded.
pub fn random_cell(counts: &[(&str, usize)], aav: f64, dmin: f64, seed: u64) -> Structure {
    let n: usize = counts.iter().map(|c| c.1).sum();
    let a = (aav * n as f64).cbrt();
    let lattice = Lattice::cubic(a).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut species = Vec::with_capacity(n);
    let mut pos: Vec<Vector3<f64>> = Vec::with_capacity(n);
    for (sym, c) in counts {
        for _ in 0..*c {
            let mut tries = 0;
            loop {
                tries += 1;
                assert!(tries < 200_000, "packing failed");
                let p = Vector3::new(
                    rng.random::<f64>() * a,
                    rng.random::<f64>() * a,
                    rng.random::<f64>() * a,
                );
                let ok = pos.iter().all(|q| {
                    let mut d = p - q;
                    for k in 0..3 {
                        d[k] -= a * (d[k] / a).round();
                    }
                    d.norm() >= dmin
                });
                if ok {
                    species.push(el(sym));
                    pos.push(p);
                    break;
                }
            }
        }
    }
    Structure::new(lattice, species, pos).unwrap()
}
