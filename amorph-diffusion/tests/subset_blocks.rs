//! The fast paths of `analyze`: drift-corrected subsets equal the full drift-corrected copy, and
//! the block-summed FFT MSD over many atoms (several parallel blocks, an unpaired last atom)
//! equals the direct windowed average.

use amorph_core::Element;
use amorph_diffusion::{Displacements, Drift, msd::msd_all_lags, msd::msd_windowed_lags};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

fn random_walks(n_li: usize, n_s: usize, nf: usize, seed: u64) -> Displacements {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let li = Element::from_symbol("Li").unwrap();
    let s = Element::from_symbol("S").unwrap();
    let mut species = vec![];
    let mut data = vec![];
    for a in 0..n_li + n_s {
        // Interleave the species so that selections are not contiguous.
        let el = if a < 2 * n_li.min(n_s) {
            if a % 2 == 0 { li } else { s }
        } else if n_li > n_s {
            li
        } else {
            s
        };
        let sd = if el == li { 0.3 } else { 0.02 };
        let step = Normal::new(0.01, sd).unwrap();
        let mut p = [0.0; 3];
        for f in 0..nf {
            if f > 0 {
                for x in &mut p {
                    *x += step.sample(&mut rng);
                }
            }
            data.push(p);
        }
        species.push(el);
    }
    Displacements::from_cumulative(species, 1000.0, nf, data).unwrap()
}

#[test]
fn subset_equals_drift_corrected_rows() {
    let d = random_walks(9, 6, 50, 3);
    let li = Element::from_symbol("Li").unwrap();
    let atoms = d.select(li).unwrap();
    let framework: Vec<usize> = (0..d.n_atoms()).filter(|i| !atoms.contains(i)).collect();
    assert!(!framework.is_empty() && atoms.len() == 9);
    for drift in [Drift::Framework, Drift::None, Drift::Indices(vec![0, 4])] {
        let full = d.drift_corrected(&drift, li).unwrap();
        let mean = d.drift(&drift, li).unwrap();
        assert_eq!(mean.is_none(), drift == Drift::None);
        let sub = d.subset(&atoms, mean.as_deref());
        assert_eq!(sub.n_atoms(), atoms.len());
        for (j, &i) in atoms.iter().enumerate() {
            assert_eq!(sub.atom(j), full.atom(i), "{drift:?} atom {i}");
        }
        assert_eq!(
            d.max_displacement_corrected(&framework, mean.as_deref()),
            full.max_displacement(&framework)
        );
    }
}

#[test]
fn block_summed_fft_msd_equals_windowed_over_many_atoms() {
    // 71 atoms: three parallel blocks of 32, the last with an unpaired atom.
    let d = random_walks(71, 0, 64, 11);
    let atoms: Vec<usize> = (0..71).collect();
    let fft = msd_all_lags(&d, &atoms);
    let lags: Vec<usize> = (1..64).collect();
    let win = msd_windowed_lags(&d, &atoms, &lags);
    for (j, &m) in lags.iter().enumerate() {
        for k in 0..3 {
            let (a, b) = (fft.components[m][k], win.components[j][k]);
            assert!(
                (a - b).abs() <= 1e-10 * b.abs().max(1.0),
                "lag {m} axis {k}: {a} vs {b}"
            );
        }
        let (a, b) = (fft.mscd[m], win.mscd[j]);
        assert!(
            (a - b).abs() <= 1e-10 * b.abs().max(1.0),
            "mscd lag {m}: {a} vs {b}"
        );
    }
}
