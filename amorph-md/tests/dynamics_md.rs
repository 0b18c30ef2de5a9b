//! Integration tests of the MD engine on a Lennard-Jones argon crystal (a test calculator in
//! `dynamics_common`): NVE energy conservation, the NHC conserved quantity, canonical
//! kinetic-energy distributions, momentum conservation, the pressure convention.

mod dynamics_common;

use amorph_core::units::{EV_PER_A3_IN_BAR, KB_EV};
use amorph_md::dynamics::{
    Berendsen, CallbackObserver, Csvr, Langevin, Md, MdConfig, NoseHooverChain, Thermo, Thermostat,
    VelocityRescale, maxwell_boltzmann,
};
use dynamics_common::{Free, Lj, argon_fcc};
use std::sync::{Arc, Mutex};

/// A run of `steps` steps recording the thermo state every `every` steps.
fn record(md: &mut Md, steps: u64, every: u64, pressure: bool) -> Vec<Thermo> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    md.add_observer(Box::new(CallbackObserver::new(every, pressure, move |f| {
        sink.lock().unwrap().push(f.thermo);
        Ok(())
    })));
    md.run(steps).unwrap();
    log.lock().unwrap().clone()
}

fn argon_md(t: f64, dt: f64, seed: u64, thermostat: Option<Box<dyn Thermostat>>) -> Md {
    let s = argon_fcc(3, 5.30);
    let v = maxwell_boltzmann(&s, t, seed, true).unwrap();
    let md = Md::new(s, Box::new(Lj::argon()), MdConfig::new(dt))
        .unwrap()
        .with_velocities(v)
        .unwrap();
    match thermostat {
        Some(t) => md.with_thermostat(t).unwrap(),
        None => md,
    }
}

/// NVE, 10 ps at 1 fs, 108 argon atoms starting at 80 K (≈ 40 K after equipartition).
/// Bound: the total energy stays within 2e-6 eV/atom of its start (measured: 2e-7) and the
/// fitted drift is below 1e-7 eV/atom/ps (measured: ~1e-9).
/// Halving the step must shrink the fluctuation (second-order integrator).
#[test]
fn nve_energy_drift_is_bounded_over_10_ps() {
    let mut md = argon_md(80.0, 1.0, 1, None);
    let n = md.structure().len() as f64;
    let log = record(&mut md, 10_000, 10, false);
    let e0 = log[0].total_energy;
    let dev: Vec<f64> = log.iter().map(|t| (t.total_energy - e0) / n).collect();
    let max = dev.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    // Least-squares slope (eV/atom/fs).
    let m = dev.len() as f64;
    let ts: Vec<f64> = log.iter().map(|t| t.time_fs).collect();
    let tm = ts.iter().sum::<f64>() / m;
    let dm = dev.iter().sum::<f64>() / m;
    let slope = ts
        .iter()
        .zip(&dev)
        .map(|(t, d)| (t - tm) * (d - dm))
        .sum::<f64>()
        / ts.iter().map(|t| (t - tm).powi(2)).sum::<f64>();
    eprintln!(
        "NVE 10 ps: max |ΔE| = {max:.3e} eV/atom, drift = {:.3e} eV/atom/ps",
        slope * 1000.0
    );
    assert!(max < 2e-6, "max |ΔE| {max:.3e} eV/atom");
    assert!(
        (slope * 1000.0).abs() < 1e-7,
        "drift {:.3e} eV/atom/ps",
        slope * 1000.0
    );
    // The crystal stayed a crystal at ~40 K and the energy really moved between kinds.
    let t_mean = log[100..].iter().map(|t| t.temperature).sum::<f64>() / (log.len() - 100) as f64;
    assert!((20.0..60.0).contains(&t_mean), "{t_mean}");
    assert!(md.momentum().norm() < 1e-10);

    // dt = 2 fs for 1 ps has a clearly larger fluctuation than dt = 1 fs for 1 ps.
    let spread = |dt: f64| {
        let mut md = argon_md(80.0, dt, 1, None);
        let log = record(&mut md, (1000.0 / dt) as u64, 1, false);
        let e: Vec<f64> = log.iter().map(|t| t.total_energy).collect();
        e.iter().cloned().fold(f64::MIN, f64::max) - e.iter().cloned().fold(f64::MAX, f64::min)
    };
    let (s1, s2) = (spread(1.0), spread(2.0));
    eprintln!("energy spread: dt 1 fs {s1:.3e} eV, dt 2 fs {s2:.3e} eV");
    assert!(s2 > 2.5 * s1, "{s1} {s2}");
}

/// NHC (chain 3, τ = 100 fs) at 60 K for 5 ps: H' stays within 5e-6 eV/atom (measured 2e-7;
/// the reference's suggested drift threshold is 1e-4 eV/atom/ps) while E_pot + K itself wanders by much more,
/// and the mean temperature is the target within 5 %.
#[test]
fn nhc_conserved_quantity_is_bounded() {
    let nhc = NoseHooverChain::new(60.0, 100.0).unwrap();
    let mut md = argon_md(20.0, 1.0, 2, Some(Box::new(nhc)));
    let n = md.structure().len() as f64;
    let log = record(&mut md, 5000, 10, false);
    let h0 = log[0].conserved_energy;
    let max_h = log
        .iter()
        .map(|t| ((t.conserved_energy - h0) / n).abs())
        .fold(0.0, f64::max);
    let e0 = log[0].total_energy;
    let max_e = log
        .iter()
        .map(|t| ((t.total_energy - e0) / n).abs())
        .fold(0.0, f64::max);
    let t_mean = log[200..].iter().map(|t| t.temperature).sum::<f64>() / (log.len() - 200) as f64;
    eprintln!("NHC: max |ΔH'| {max_h:.3e}, max |ΔE| {max_e:.3e} eV/atom, <T> {t_mean:.2} K");
    assert!(max_h < 5e-6, "{max_h}");
    assert!(
        max_e > 20.0 * max_h,
        "the thermostat did not act: {max_e} vs {max_h}"
    );
    assert!((t_mean - 60.0).abs() < 3.0, "{t_mean}");
}

/// Sample mean and variance of the kinetic energy every `every` steps after `burn` steps.
fn kinetic_moments(md: &mut Md, burn: u64, steps: u64, every: u64) -> (f64, f64, usize) {
    md.run(burn).unwrap();
    let log = record(md, steps, every, false);
    let k: Vec<f64> = log.iter().skip(1).map(|t| t.kinetic_energy).collect();
    let m = k.len() as f64;
    let mean = k.iter().sum::<f64>() / m;
    let var = k.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1.0);
    (mean, var, k.len())
}

/// The canonical kinetic-energy distribution over N_f = 3N − 3 degrees of freedom has mean
/// N_f kT/2 and variance N_f (kT)²/2. 32 argon atoms (N_f = 93) at 50 K, dt 2 fs, τ = 20 fs,
/// 2 000 samples 40 fs apart. Tolerances: mean within 3 % (the standard error is ≈ 0.5 %),
/// variance within 20 % (standard error ≈ 5 % with ~1 000 independent samples). Berendsen
/// (negative control) must fail the variance check by far.
#[test]
fn csvr_and_langevin_kinetic_energy_is_canonical() {
    let t = 50.0;
    let nf = 93.0;
    let kt = KB_EV * t;
    let (mean0, var0) = (0.5 * nf * kt, 0.5 * nf * kt * kt);
    let small = |th: Box<dyn Thermostat>| {
        let s = argon_fcc(2, 5.30);
        let v = maxwell_boltzmann(&s, t, 3, true).unwrap();
        Md::new(s, Box::new(Lj::argon()), MdConfig::new(2.0))
            .unwrap()
            .with_velocities(v)
            .unwrap()
            .with_thermostat(th)
            .unwrap()
    };
    for th in [
        Box::new(Csvr::new(t, 20.0, 11).unwrap()) as Box<dyn Thermostat>,
        Box::new(Langevin::new(t, 20.0, 12).unwrap()),
    ] {
        let name = th.name();
        let mut md = small(th);
        assert_eq!(md.dof(), 93);
        let (mean, var, n) = kinetic_moments(&mut md, 500, 40_000, 20);
        eprintln!(
            "{name}: <K> = {mean:.5} (canonical {mean0:.5}), var = {var:.3e} (canonical {var0:.3e}), {n} samples"
        );
        assert!(
            (mean / mean0 - 1.0).abs() < 0.03,
            "{name} mean {mean} vs {mean0}"
        );
        assert!(
            (var / var0 - 1.0).abs() < 0.20,
            "{name} variance {var} vs {var0}"
        );
    }
    let mut md = small(Box::new(Berendsen::new(t, 20.0).unwrap()));
    let (mean, var, _) = kinetic_moments(&mut md, 500, 10_000, 20);
    eprintln!("berendsen: <K> = {mean:.5}, var = {var:.3e}");
    assert!((mean / mean0 - 1.0).abs() < 0.05);
    assert!(
        var < 0.5 * var0,
        "Berendsen is not canonical, yet var {var} ≈ {var0}"
    );
}

/// Every thermostat keeps the (zero) total momentum zero.
#[test]
fn total_momentum_is_conserved_by_every_thermostat() {
    let thermostats: Vec<Box<dyn Thermostat>> = vec![
        Box::new(amorph_md::dynamics::Nve),
        Box::new(NoseHooverChain::new(100.0, 50.0).unwrap()),
        Box::new(Csvr::new(100.0, 50.0, 1).unwrap()),
        Box::new(Langevin::new(100.0, 50.0, 1).unwrap()),
        Box::new(Berendsen::new(100.0, 50.0).unwrap()),
        Box::new(VelocityRescale::new(100.0, 5.0, 10).unwrap()),
    ];
    for th in thermostats {
        let name = th.name();
        let mut md = argon_md(60.0, 2.0, 5, Some(th));
        // A typical single-atom momentum, for scale.
        let scale = 39.948 * md.velocities()[0].norm();
        md.run(300).unwrap();
        let p = md.momentum().norm();
        assert!(p < 1e-12 * scale * 108.0, "{name}: |P| = {p:e}");
        assert!(md.temperature() > 10.0, "{name}");
    }
}

/// Pressure includes the kinetic term 2K/(3V) (LAMMPS `compute pressure`): an ideal gas has
/// P = N_f k T/(3V) exactly; with forces the virial part is added.
#[test]
fn pressure_includes_the_kinetic_term() {
    let s = argon_fcc(2, 5.3);
    let v = maxwell_boltzmann(&s, 300.0, 8, true).unwrap();
    let vol = s.volume();
    let mut md = Md::new(s.clone(), Box::new(Free), MdConfig::new(1.0))
        .unwrap()
        .with_velocities(v.clone())
        .unwrap();
    md.run(3).unwrap();
    let expect = 93.0 * KB_EV * 300.0 / (3.0 * vol) * EV_PER_A3_IN_BAR;
    let p = md.pressure_bar().unwrap();
    assert!((p / expect - 1.0).abs() < 1e-12, "{p} vs {expect}");

    let lj = Md::new(s, Box::new(Lj::argon()), MdConfig::new(1.0))
        .unwrap()
        .with_velocities(v)
        .unwrap();
    let p0 = lj.pressure_bar().unwrap();
    let s0 = lj.stress().unwrap();
    let kin = 2.0 * lj.kinetic_energy() / (3.0 * vol) * EV_PER_A3_IN_BAR;
    let vir = -(s0[0] + s0[1] + s0[2]) / 3.0 * EV_PER_A3_IN_BAR;
    assert!((p0 - kin - vir).abs() < 1e-9 * p0.abs().max(1.0));
    assert!(
        vir.abs() > 10.0,
        "the crystal should not be at zero virial pressure: {vir}"
    );
}
