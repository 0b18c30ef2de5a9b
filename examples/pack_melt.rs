//! Pack one composition into a random periodic cell with amorph-build, then melt and quench it
//! with amorph-md's built-in potential: the first stages of the MPMorph workflow by hand.
//!
//! Run: `cargo run --example pack_melt` (also run by `cargo test`, with these small settings).
//! Change the composition and the steps per stage with
//! `cargo run --release --example pack_melt -- --formula Li2SiO3 --steps 2000`.
//!
//! Shows: `cell_counts` (≥ 100 atoms), `estimate_volume` (the starting density), `pack` (a true
//! periodic 2.0 Å minimum distance), `PotentialSpec::AUTO_ZBL` (the physical potential that
//! covers the composition, with its ZBL wall: Pedone for oxides, Tosi–Fumi for alkali halides;
//! anything else is refused), Maxwell–Boltzmann velocities, a CSVR melt at
//! 3000 K and a quench to 1000 K, NVT at the packed density. Prints the density and the
//! temperatures, and exits non-zero when a sanity check fails (temperature off its target,
//! non-finite energy, atoms closer than 1 Å, momentum not conserved).

use amorph_build::{
    DENSITY_RANGE, PackOptions, cell_counts, estimate_volume, min_periodic_distance, pack,
};
use amorph_core::{Composition, Element, Lattice};
use amorph_md::dynamics::{Csvr, Md, MdConfig, maxwell_boltzmann};
use amorph_md::potential::{Coulomb, DEFAULT_DSF_ALPHA, DEFAULT_DSF_CUTOFF, PotentialSpec};

const MELT_K: f64 = 3000.0;
const QUENCH_K: f64 = 1000.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let formula = option("--formula").unwrap_or_else(|| "Li2O".to_string());
    let steps: u64 = option("--steps")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1000);

    // 1. Atom counts, volume estimate and packing.
    let comp = Composition::parse(&formula)?;
    let amounts: Vec<(Element, f64)> = comp.iter().collect();
    let counts = cell_counts(&amounts, 100)?;
    let estimate = estimate_volume(&counts)?;
    let lattice = Lattice::cubic(estimate.volume.cbrt())?;
    let options = PackOptions {
        seed: 1,
        ..PackOptions::default()
    };
    let s = pack(&counts, lattice, &options)?;
    let density = s.density_g_cm3();
    let packed_min = min_periodic_distance(&s, 4.0)?;
    println!(
        "{formula}: {} atoms in a {:.2} Å cube, {density:.3} g/cm³ ({:?}), closest pair {packed_min:.3} Å",
        s.len(),
        estimate.volume.cbrt(),
        estimate.method
    );
    check(
        (DENSITY_RANGE.0..=DENSITY_RANGE.1).contains(&density),
        "density in range",
    )?;
    check(
        packed_min >= options.min_distance - 1e-9,
        "packing distance",
    )?;

    // 2. Melt at 3000 K, then quench to 1000 K, 1 fs steps, CSVR with τ = 25 fs.
    let calc = PotentialSpec::AUTO_ZBL
        .build(&comp, Coulomb::dsf(DEFAULT_DSF_ALPHA, DEFAULT_DSF_CUTOFF)?)?;
    println!("potential: {}", calc.name());
    let v = maxwell_boltzmann(&s, MELT_K, 7, true)?;
    let mut md = Md::new(s, calc, MdConfig::new(1.0))?
        .with_velocities(v)?
        .with_thermostat(Box::new(Csvr::new(MELT_K, 25.0, 11)?))?;
    let melt = mean_temperature(&mut md, steps)?;
    println!(
        "melt:   {steps} steps at {MELT_K} K, mean T over the last half {melt:.0} K, E_pot {:.3} eV",
        md.potential_energy()
    );
    let mut md = md.with_thermostat(Box::new(Csvr::new(QUENCH_K, 25.0, 13)?))?;
    let quench = mean_temperature(&mut md, steps)?;
    let final_min = min_periodic_distance(md.structure(), 4.0)?;
    println!(
        "quench: {steps} steps at {QUENCH_K} K, mean T over the last half {quench:.0} K, final T {:.0} K, \
         E_pot {:.3} eV, closest pair {final_min:.3} Å, density {:.3} g/cm³ (NVT)",
        md.temperature(),
        md.potential_energy(),
        md.structure().density_g_cm3()
    );

    check((melt / MELT_K - 1.0).abs() < 0.15, "melt temperature")?;
    check((quench / QUENCH_K - 1.0).abs() < 0.25, "quench temperature")?;
    check(md.potential_energy().is_finite(), "finite energy")?;
    check(final_min > 1.0, "no atoms closer than 1 Å")?;
    check(md.momentum().norm() < 1e-6, "momentum conserved")?;
    Ok(())
}

/// The value after `--name`; other arguments (test filters and flags that `cargo test` passes
/// to every test target) are ignored.
fn option(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

/// Runs `steps` steps and returns the mean temperature over the second half.
fn mean_temperature(md: &mut Md, steps: u64) -> Result<f64, Box<dyn std::error::Error>> {
    md.run(steps / 2)?;
    let half = steps - steps / 2;
    let mut sum = 0.0;
    for _ in 0..half {
        md.run(1)?;
        sum += md.temperature();
    }
    Ok(sum / half as f64)
}

fn check(ok: bool, what: &str) -> Result<(), Box<dyn std::error::Error>> {
    if ok {
        Ok(())
    } else {
        Err(format!("sanity check failed: {what}").into())
    }
}
