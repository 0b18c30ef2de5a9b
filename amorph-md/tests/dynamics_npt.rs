//! The C-rescale barostat (NPT): the isobaric volume distribution of an ideal gas, the density
//! and volume fluctuations of liquid Lennard-Jones argon against LAMMPS `fix npt`, the
//! direction of the cell's response, the effective energy, the virial-only coupling, typed
//! errors, and a force field that follows a changing cell.
//!
//! The LAMMPS fixture `tests/fixtures/npt_lj_argon.json` is made by
//! `scripts/fixtures/lammps_npt_lj.py` (LAMMPS 22 Jul 2025, `fix npt`, 2 ns).

mod dynamics_common;

use amorph_core::units::{EV_PER_A3_IN_BAR, KB_EV};
use amorph_core::{Calculation, Calculator, Element, Lattice, Request, Structure};
use amorph_md::MdError;
use amorph_md::dynamics::{
    CRescale, CallbackObserver, Csvr, Dof, Langevin, Md, MdConfig, NoseHooverChain, Nve,
    PressureCoupling, Thermo, maxwell_boltzmann,
};
use amorph_md::potential::{Coulomb, EwaldOptions, ForceField, PairPotential, PairTerm};
use dynamics_common::{Free, Lj, argon_fcc};
use nalgebra::Vector3;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// Runs `steps` steps recording the thermo state every `every` steps.
fn record(md: &mut Md, steps: u64, every: u64) -> Vec<Thermo> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    md.add_observer(Box::new(CallbackObserver::new(every, true, move |f| {
        sink.lock().unwrap().push(f.thermo);
        Ok(())
    })));
    md.run(steps).unwrap();
    log.lock().unwrap().clone()
}

/// Mean and (unbiased) variance.
fn moments(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    (
        m,
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0),
    )
}

/// Standard error of the mean from `blocks` block averages.
fn block_error(x: &[f64], blocks: usize) -> f64 {
    let b = x.len() / blocks;
    let means: Vec<f64> = x
        .chunks_exact(b)
        .take(blocks)
        .map(|c| c.iter().sum::<f64>() / b as f64)
        .collect();
    (moments(&means).1 / blocks as f64).sqrt()
}

/// Eight argon atoms on a simple cubic grid.
fn eight_atoms(a: f64) -> Structure {
    let ar = Element::from_symbol("Ar").unwrap();
    let frac: Vec<_> = (0..8)
        .map(|i| Vector3::new((i & 1) as f64, ((i >> 1) & 1) as f64, (i >> 2) as f64) * 0.5)
        .collect();
    Structure::from_fractional(Lattice::cubic(a).unwrap(), vec![ar; 8], &frac).unwrap()
}

/// An ideal gas at constant pressure has `p(V) ∝ V^N e^{−P₀V/kT}` (a gamma distribution):
/// `⟨V⟩ = (N + 1)kT/P₀`, `var V = (N + 1)(kT/P₀)²`, with all `3N` velocity components free.
/// With the momentum removed (`N_f = 3N − 3`) the kinetic pressure averages `(N − 1)kT/V`
/// and the barostat samples `V^(N−1)` instead: `N kT/P₀` and `N (kT/P₀)²` (the documented
/// caveat of [`CRescale`]). N = 8, so the two differ by 12 %.
/// Measured (400 000 steps, 20 000 samples): ⟨V⟩/(kT/P₀) = 9.04 ± 0.08 and 8.04 ± 0.08
/// (expected 9 and 8), var/(kT/P₀)² = 8.81 and 7.79.
#[test]
fn ideal_gas_volume_samples_the_isobaric_distribution() {
    let (t, p0) = (300.0, 100.0);
    let kt_p = KB_EV * t / (p0 / EV_PER_A3_IN_BAR);
    for (dof, zero_momentum, shape) in [(Dof::All, false, 9.0), (Dof::MomentumRemoved, true, 8.0)] {
        let s = eight_atoms((8.0 * kt_p).cbrt());
        let v = maxwell_boltzmann(&s, t, 3, zero_momentum).unwrap();
        let mut config = MdConfig::new(2.0);
        config.dof = dof;
        // β_T = 1/P₀ is the ideal gas's compressibility: the volume relaxes in about τ_p.
        let barostat = CRescale::new(p0, 200.0, 4)
            .unwrap()
            .with_compressibility(1.0 / p0)
            .unwrap();
        let mut md = Md::new(s, Box::new(Free), config)
            .unwrap()
            .with_velocities(v)
            .unwrap()
            .with_thermostat(Box::new(Csvr::new(t, 50.0, 9).unwrap()))
            .unwrap()
            .with_barostat(barostat)
            .unwrap();
        md.run(2000).unwrap();
        let vols: Vec<f64> = record(&mut md, 400_000, 20)
            .iter()
            .map(|x| x.volume)
            .collect();
        let (mean, var) = moments(&vols);
        let err = block_error(&vols, 20);
        eprintln!(
            "{dof:?}: <V>/(kT/P0) = {:.3} ± {:.3} (expected {shape}), var/(kT/P0)^2 = {:.3}",
            mean / kt_p,
            err / kt_p,
            var / kt_p / kt_p
        );
        assert!((mean / kt_p / shape - 1.0).abs() < 0.04, "{dof:?}: {mean}");
        assert!(
            (var / kt_p / kt_p / shape - 1.0).abs() < 0.10,
            "{dof:?}: {var}"
        );
    }
}

fn lj_argon(epsilon: f64, sigma: f64, cutoff: f64) -> ForceField {
    let ar = Element::from_symbol("Ar").unwrap();
    let pair = PairPotential::new("lj")
        .with_pair(
            ar,
            ar,
            cutoff,
            vec![PairTerm::LennardJones { epsilon, sigma }],
        )
        .unwrap()
        .with_shift(true);
    ForceField::new("lj").with_pair_potential(pair)
}

/// Liquid LJ argon (256 atoms, T* = 0.83, P* = 0.24, rc 2.5σ shifted) against LAMMPS
/// `fix npt` on the same model: the mean density within 1 % and the volume fluctuations
/// (set by the isothermal compressibility, `var V = kT V κ`) within 25 %.
/// Measured: ⟨V⟩ 13 503 ± 43 Å³ (LAMMPS 13 491 ± 7), ρ 1.2583 vs 1.2588 g/cm³ (−0.04 %),
/// σ_V 311 vs 261 Å³ (σ_V over 200 ps is noisy: 500-ps runs gave 266–278 Å³, means
/// 13 502–13 521 Å³), ⟨P⟩ 102 bar. CSVR τ 500 fs, C-rescale τ_p 1 ps, β_T 4e-4/bar (≈ κ),
/// moves every 5 steps; 20 ps equilibration, 200 ps sampled.
#[test]
fn lj_argon_density_and_fluctuations_match_lammps_npt() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/npt_lj_argon.json"
    );
    let fx: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let set = &fx["settings"];
    let num = |v: &Value| v.as_f64().unwrap();
    let (t, p0) = (num(&set["temperature"]), num(&set["pressure_bar"]));
    let s = argon_fcc(
        set["cells"].as_u64().unwrap() as usize,
        num(&set["lattice_a"]),
    );
    assert_eq!(s.len() as u64, fx["atoms"].as_u64().unwrap());
    let ff = lj_argon(
        num(&set["epsilon"]),
        num(&set["sigma"]),
        num(&set["cutoff"]),
    );
    let v = maxwell_boltzmann(&s, t, 11, true).unwrap();
    let barostat = CRescale::new(p0, 1000.0, 12)
        .unwrap()
        .with_compressibility(4e-4)
        .unwrap()
        .with_interval(5)
        .unwrap();
    let mut md = Md::new(s, Box::new(ff), MdConfig::new(num(&set["timestep_fs"])))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(Box::new(Csvr::new(t, 500.0, 13).unwrap()))
        .unwrap()
        .with_barostat(barostat)
        .unwrap();
    md.run(4000).unwrap();
    let log = record(&mut md, 40_000, 10);
    let vols: Vec<f64> = log.iter().map(|x| x.volume).collect();
    let (mean, var) = moments(&vols);
    let err = block_error(&vols, 20);
    let rho = log.iter().map(|x| x.density_g_cm3).sum::<f64>() / log.len() as f64;
    let p = log.iter().map(|x| x.pressure_bar.unwrap()).sum::<f64>() / log.len() as f64;
    let rho_ref = num(&fx["mean_density_g_cm3"]);
    let sd_ref = num(&fx["std_volume_A3"]);
    eprintln!(
        "<V> = {mean:.1} ± {err:.1} Å³ (LAMMPS {:.1} ± {:.1}), rho = {rho:.5} (LAMMPS \
         {rho_ref:.5}), sd V = {:.1} (LAMMPS {sd_ref:.1}), <P> = {p:.1} bar",
        num(&fx["mean_volume_A3"]),
        num(&fx["sem_volume_A3"]),
        var.sqrt()
    );
    assert!((rho / rho_ref - 1.0).abs() < 0.01, "{rho} vs {rho_ref}");
    assert!(
        (var.sqrt() / sd_ref - 1.0).abs() < 0.25,
        "{var} vs {sd_ref}²"
    );
    // The mean instantaneous pressure is the target (σ_P ≈ 300 bar per sample).
    assert!((p - p0).abs() < 40.0, "<P> = {p}");
}

/// A target far above (below) the current pressure shrinks (expands) the cell, and the
/// pressure ends up close to the target. 108-atom argon crystal at 40 K starting at
/// a = 5.25 Å with the atoms on their sites (P = 479 bar), 4 ps, a move every 2 steps;
/// measured: 10 kbar → V −13.8 % (late ⟨P⟩ 9904 bar), −500 bar → V +11.2 % (late ⟨P⟩
/// −542 bar; the crystal is soft: its thermal pressure at 40 K is about 1 kbar).
#[test]
fn the_cell_moves_towards_the_target_pressure() {
    for target in [10_000.0, -500.0] {
        let s = argon_fcc(3, 5.25);
        let v0 = s.volume();
        let v = maxwell_boltzmann(&s, 40.0, 2, true).unwrap();
        let mut md = Md::new(s, Box::new(Lj::argon()), MdConfig::new(2.0))
            .unwrap()
            .with_velocities(v)
            .unwrap()
            .with_thermostat(Box::new(NoseHooverChain::new(40.0, 100.0).unwrap()))
            .unwrap()
            .with_barostat(
                CRescale::new(target, 500.0, 5)
                    .unwrap()
                    .with_compressibility(1e-4)
                    .unwrap()
                    .with_interval(2)
                    .unwrap(),
            )
            .unwrap();
        let p_start = md.pressure_bar().unwrap();
        let log = record(&mut md, 2000, 10);
        let late = &log[log.len() / 2..];
        let p_late = late.iter().map(|x| x.pressure_bar.unwrap()).sum::<f64>() / late.len() as f64;
        let v1 = md.volume();
        eprintln!(
            "target {target} bar: P {p_start:.0} → {p_late:.0} bar, V {v0:.1} → {v1:.1} Å³ ({:+.2} %)",
            100.0 * (v1 / v0 - 1.0)
        );
        if target > p_start {
            assert!(v1 < 0.97 * v0, "{v1} vs {v0}");
        } else {
            assert!(v1 > 1.02 * v0, "{v1} vs {v0}");
        }
        assert!((p_late - target).abs() < 0.3 * (p_start - target).abs());
        // Density reported with the volume.
        let rho = md.thermo().density_g_cm3;
        assert!((rho - md.structure().density_g_cm3()).abs() < 1e-12);
    }
}

/// The effective energy (E_pot + K + P₀V, minus the thermostat's and barostat's exchanges)
/// stays flat: its spread over 20 ps of a liquid is a small fraction of the spread of
/// E_pot + K + P₀V, and halving the time step shrinks it about fourfold. Measured:
/// spread 2.5e-3 eV at 5 fs (E + P₀V spread 1.17 eV), 5.3e-4 eV at 2.5 fs (108 atoms, a move
/// every step).
#[test]
fn effective_energy_is_conserved() {
    let spread = |dt: f64| {
        let s = argon_fcc(3, 5.8);
        let v = maxwell_boltzmann(&s, 100.0, 21, true).unwrap();
        let mut md = Md::new(s, Box::new(lj_argon(0.0104, 3.4, 8.5)), MdConfig::new(dt))
            .unwrap()
            .with_velocities(v)
            .unwrap()
            .with_thermostat(Box::new(Csvr::new(100.0, 200.0, 22).unwrap()))
            .unwrap()
            .with_barostat(
                CRescale::new(100.0, 500.0, 23)
                    .unwrap()
                    .with_compressibility(4e-4)
                    .unwrap(),
            )
            .unwrap();
        md.run((2000.0 / dt) as u64).unwrap();
        let p0 = 100.0 / EV_PER_A3_IN_BAR;
        let log = record(&mut md, (20_000.0 / dt) as u64, 10);
        let range = |x: Vec<f64>| {
            x.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
                - x.iter().cloned().fold(f64::INFINITY, f64::min)
        };
        let conserved = range(log.iter().map(|x| x.conserved_energy).collect());
        let enthalpy = range(log.iter().map(|x| x.total_energy + p0 * x.volume).collect());
        (conserved, enthalpy)
    };
    let (c5, h5) = spread(5.0);
    let (c25, _) = spread(2.5);
    eprintln!(
        "effective energy spread {c5:.2e} eV at 5 fs (E + P0 V: {h5:.2e}), {c25:.2e} at 2.5 fs"
    );
    assert!(c5 < 0.02 * h5, "{c5} vs {h5}");
    assert!(c25 < 0.5 * c5, "{c25} vs {c5}");
}

/// Coupling to the virial pressure alone: the static pressure averages the target (here 0)
/// while the full pressure keeps its kinetic part ρkT; velocities are not rescaled.
/// Measured (a move every 5 steps, 80 ps sampled): ⟨P_virial⟩ 13 bar, ⟨P⟩ 328 bar,
/// ⟨2K/3V⟩ 315 bar.
#[test]
fn virial_coupling_drives_the_static_pressure_to_the_target() {
    let s = argon_fcc(3, 5.8);
    let v = maxwell_boltzmann(&s, 100.0, 31, true).unwrap();
    let mut md = Md::new(s, Box::new(lj_argon(0.0104, 3.4, 8.5)), MdConfig::new(5.0))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(Box::new(Csvr::new(100.0, 500.0, 32).unwrap()))
        .unwrap()
        .with_barostat(
            CRescale::new(0.0, 1000.0, 33)
                .unwrap()
                .with_compressibility(4e-4)
                .unwrap()
                .with_interval(5)
                .unwrap()
                .with_coupling(PressureCoupling::Virial),
        )
        .unwrap();
    md.run(4000).unwrap();
    let mut kinetic = Vec::new();
    let mut total = Vec::new();
    let log = Arc::new(Mutex::new((Vec::new(), Vec::new())));
    let sink = log.clone();
    md.add_observer(Box::new(CallbackObserver::new(10, true, move |f| {
        let kin = 2.0 * f.thermo.kinetic_energy / (3.0 * f.thermo.volume) * EV_PER_A3_IN_BAR;
        let mut l = sink.lock().unwrap();
        l.0.push(kin);
        l.1.push(f.thermo.pressure_bar.unwrap());
        Ok(())
    })));
    md.run(16_000).unwrap();
    {
        let l = log.lock().unwrap();
        kinetic.extend_from_slice(&l.0);
        total.extend_from_slice(&l.1);
    }
    let (p, _) = moments(&total);
    let (k, _) = moments(&kinetic);
    let virial = p - k;
    eprintln!("<P_virial> = {virial:.1} bar, <P> = {p:.1} bar, <2K/3V> = {k:.1} bar");
    assert!(virial.abs() < 40.0, "{virial}");
    assert!(k > 200.0 && p > 200.0, "{k} {p}");
}

/// A calculator that never gives a stress.
struct NoStress;
impl Calculator for NoStress {
    fn name(&self) -> &str {
        "no-stress"
    }
    fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
        Ok(Calculation::new(0.0, vec![Vector3::zeros(); s.len()]))
    }
}

#[test]
fn bad_barostat_input_gives_typed_errors() {
    let name_of = |e: MdError| match e {
        MdError::InvalidParameter { name, .. } => name,
        other => panic!("{other}"),
    };
    for (p, tau) in [(f64::NAN, 100.0), (f64::INFINITY, 100.0)] {
        assert_eq!(
            name_of(CRescale::new(p, tau, 1).unwrap_err()),
            "barostat pressure"
        );
    }
    for tau in [0.0, -1.0, f64::NAN] {
        assert_eq!(
            name_of(CRescale::new(0.0, tau, 1).unwrap_err()),
            "barostat tau"
        );
    }
    let b = || CRescale::new(1.0, 100.0, 1).unwrap();
    for beta in [0.0, -4.5e-5, f64::NAN] {
        let e = b().with_compressibility(beta).unwrap_err();
        assert!(e.to_string().contains("compressibility"), "{e}");
    }
    assert_eq!(
        name_of(b().with_temperature(-1.0).unwrap_err()),
        "barostat temperature"
    );
    assert_eq!(
        name_of(b().with_interval(0).unwrap_err()),
        "barostat interval"
    );
    let mut ok = b();
    assert!(ok.set_target_pressure_bar(f64::NAN).is_err());
    ok.set_target_pressure_bar(250.0).unwrap();
    assert!((ok.target_pressure_bar() - 250.0).abs() < 1e-9);

    // The run must be able to give the barostat a stress and a periodic cell. (A calculator
    // without stress already fails in Md::new when MdConfig::pressure is on.)
    let s = argon_fcc(1, 5.3);
    let mut config = MdConfig::new(1.0);
    config.pressure = false;
    for calc in [Box::new(Free) as Box<dyn Calculator>, Box::new(NoStress)] {
        let err = Md::new(s.clone(), calc, config)
            .unwrap()
            .with_barostat(b())
            .unwrap_err();
        assert!(
            matches!(err, MdError::Barostat { .. })
                && err.to_string().contains("MdConfig::pressure"),
            "{err}"
        );
    }
    let slab = Structure::with_pbc(
        s.lattice().clone(),
        s.species().to_vec(),
        s.positions().to_vec(),
        [true, true, false],
    )
    .unwrap();
    let err = Md::new(slab, Box::new(Free), MdConfig::new(1.0))
        .unwrap()
        .with_barostat(b())
        .unwrap_err();
    assert!(err.to_string().contains("periodic"), "{err}");

    // No thermostat and no explicit temperature: the first step says so.
    let v = maxwell_boltzmann(&s, 50.0, 1, true).unwrap();
    let mut md = Md::new(s.clone(), Box::new(Lj::argon()), MdConfig::new(1.0))
        .unwrap()
        .with_velocities(v.clone())
        .unwrap()
        .with_barostat(b())
        .unwrap();
    let err = md.run(3).unwrap_err();
    assert!(
        matches!(err, MdError::Barostat { .. }) && err.to_string().contains("'nve'"),
        "{err}"
    );
    assert_eq!(md.step(), 0);
    assert_eq!(md.velocities(), &v[..], "nothing moved");
    // With one it runs (constant-enthalpy-like: NVE particles, a barostat at 50 K).
    let mut md = Md::new(s, Box::new(Lj::argon()), MdConfig::new(1.0))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(Box::new(Nve))
        .unwrap()
        .with_barostat(b().with_temperature(50.0).unwrap())
        .unwrap();
    md.run(3).unwrap();
    assert_eq!(md.barostat().unwrap().temperature(), Some(50.0));

    // A cell collapse is reported, not passed on as NaN: an absurd compressibility.
    let s = argon_fcc(2, 5.3);
    let v = maxwell_boltzmann(&s, 50.0, 1, true).unwrap();
    let mut md = Md::new(s, Box::new(Lj::argon()), MdConfig::new(1.0))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(Box::new(Langevin::new(50.0, 100.0, 1).unwrap()))
        .unwrap()
        .with_barostat(
            CRescale::new(1e6, 1.0, 1)
                .unwrap()
                .with_compressibility(1.0)
                .unwrap(),
        )
        .unwrap();
    let err = md.run(5).unwrap_err();
    assert!(
        matches!(err, MdError::Unstable { step: 1, .. }) && err.to_string().contains("volume"),
        "{err}"
    );
}

/// A ForceField reused across cell changes (as in an NPT run) gives what a fresh one gives:
/// the Verlet list is rebuilt and the Ewald k-vectors follow the new lattice (with the
/// split fixed, so both use the same one). DSF and Ewald, compressed and expanded cells.
#[test]
fn forcefield_follows_a_changing_cell() {
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/md_data/li2si2o5_108.data"
    );
    let s0 = amorph_core::io::read_structure(std::path::Path::new(data)).unwrap();
    let ewald = Coulomb::Ewald(EwaldOptions {
        accuracy: 1e-10,
        real_cutoff: Some(9.0),
        alpha: None,
    });
    for coulomb in [Coulomb::dsf(0.25, 10.0).unwrap(), ewald] {
        let ff = || {
            amorph_md::potential::pedone(&amorph_md::potential::PedoneOptions {
                coulomb,
                ..Default::default()
            })
            .unwrap()
        };
        let mut reused = ff();
        reused.calculate(&s0, Request::STRESS).unwrap();
        let k0 = reused.n_kvectors();
        for factor in [0.97, 1.04] {
            let mut s = s0.clone();
            s.scale_to_volume(s0.volume() * factor).unwrap();
            let a = reused.calculate(&s, Request::STRESS).unwrap();
            let b = ff().calculate(&s, Request::STRESS).unwrap();
            assert!(
                (a.energy - b.energy).abs() < 1e-9 * b.energy.abs(),
                "{coulomb:?} ×{factor}: {} vs {}",
                a.energy,
                b.energy
            );
            for (fa, fb) in a.forces.iter().zip(&b.forces) {
                assert!((fa - fb).norm() < 1e-9, "{coulomb:?} ×{factor}");
            }
            for (x, y) in a.stress.unwrap().iter().zip(&b.stress.unwrap()) {
                assert!((x - y).abs() < 1e-11, "{coulomb:?} ×{factor}: {x} vs {y}");
            }
            if matches!(coulomb, Coulomb::Ewald(_)) {
                // The k-space cutoff is fixed, so a smaller cell has fewer k-vectors.
                assert_ne!(reused.n_kvectors(), k0);
            }
        }
    }
}
