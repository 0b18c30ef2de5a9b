//! A run checkpointed and resumed (fresh calculator, thermostat rebuilt from the file)
//! equals the uninterrupted run bit for bit, for every thermostat, with and without the
//! barostat.

mod dynamics_common;

use amorph_md::dynamics::{
    Berendsen, CRescale, Checkpoint, Csvr, Langevin, Md, MdConfig, NoseHooverChain, Nve,
    PressureCoupling, ThermoLog, Thermostat, VelocityRescale, maxwell_boltzmann,
};
use dynamics_common::{Lj, argon_fcc};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amorph-md-ckpt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn start(th: Box<dyn Thermostat>) -> Md {
    let s = argon_fcc(2, 5.25);
    let v = maxwell_boltzmann(&s, 150.0, 21, true).unwrap();
    Md::new(s, Box::new(Lj::argon()), MdConfig::new(2.0))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(th)
        .unwrap()
}

fn assert_same(a: &Md, b: &Md, what: &str) {
    assert_eq!(a.step(), b.step(), "{what}");
    assert_eq!(
        a.structure().positions(),
        b.structure().positions(),
        "{what}: positions"
    );
    assert_eq!(a.velocities(), b.velocities(), "{what}: velocities");
    assert_eq!(a.forces(), b.forces(), "{what}: forces");
    assert_eq!(
        a.potential_energy().to_bits(),
        b.potential_energy().to_bits(),
        "{what}"
    );
    assert_eq!(
        a.conserved_energy().to_bits(),
        b.conserved_energy().to_bits(),
        "{what}: conserved"
    );
    assert_eq!(
        a.thermostat().save_state(),
        b.thermostat().save_state(),
        "{what}"
    );
    assert_eq!(
        a.structure().lattice(),
        b.structure().lattice(),
        "{what}: cell"
    );
    assert_eq!(a.barostat(), b.barostat(), "{what}: barostat");
    assert_eq!(a.stress(), b.stress(), "{what}: stress");
}

#[test]
fn resumed_runs_are_bit_identical() {
    let thermostats: Vec<Box<dyn Thermostat>> = vec![
        Box::new(Nve),
        Box::new(NoseHooverChain::new(300.0, 40.0).unwrap()),
        Box::new(Csvr::new(300.0, 40.0, 5).unwrap()),
        Box::new(Langevin::new(300.0, 40.0, 6).unwrap()),
        Box::new(Berendsen::new(300.0, 40.0).unwrap()),
        Box::new(VelocityRescale::new(300.0, 10.0, 7).unwrap()),
    ];
    for th in thermostats {
        let name = th.name();
        let path = tmp(&format!("{name}.json"));
        // Uninterrupted run with a checkpoint at step 250 (liquid-like motion at 300 K, so the
        // Verlet list is rebuilt several times before and after).
        let mut a = start(th);
        a.run(250).unwrap();
        a.write_checkpoint(&path).unwrap();
        a.run(250).unwrap();

        let ck = Checkpoint::read(&path).unwrap();
        assert_eq!(ck.step, 250);
        let th = ck.thermostat().unwrap();
        let mut b = Md::resume(ck, Box::new(Lj::argon()), th).unwrap();
        b.run(250).unwrap();
        assert_same(&a, &b, name);
        // And the trajectory really went somewhere.
        assert!(a.temperature() > 50.0, "{name}");
    }
}

#[test]
fn periodic_checkpoints_and_appended_thermo_log() {
    let path = tmp("periodic.json");
    let log = tmp("thermo.csv");
    let mut a = start(Box::new(Csvr::new(200.0, 50.0, 9).unwrap()))
        .with_observer(Box::new(ThermoLog::create(&log, 10).unwrap()));
    a.checkpoint_every(&path, 100).unwrap();
    a.run(200).unwrap();
    a.finish().unwrap();
    // The file holds the last checkpoint, written atomically (no temporary left behind).
    let ck = Checkpoint::read(&path).unwrap();
    assert_eq!(ck.step, 200);
    assert!(!PathBuf::from(format!("{}.tmp", path.display())).exists());
    let lines: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 1 + 21, "header + steps 0, 10, …, 200");
    assert!(lines[0].starts_with("step,time_fs,temperature_K"));
    let last: Vec<&str> = lines[21].split(',').collect();
    assert_eq!(last[0], "200");
    assert_eq!(last[1].parse::<f64>().unwrap(), 400.0);
    assert!(last[7].parse::<f64>().unwrap().is_finite(), "pressure");

    // Resume and append: the log continues at 210 without a second header.
    let th = ck.thermostat().unwrap();
    let mut b = Md::resume(ck, Box::new(Lj::argon()), th).unwrap();
    b.add_observer(Box::new(ThermoLog::append(&log, 10).unwrap()));
    b.run(20).unwrap();
    b.finish().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.matches("step,").count(), 1);
    assert!(text.lines().last().unwrap().starts_with("220,"));
}

#[test]
fn checkpoint_errors_are_typed() {
    let path = tmp("bad.json");
    std::fs::write(&path, "{not json").unwrap();
    let err = Checkpoint::read(&path).unwrap_err();
    assert!(
        matches!(err, amorph_md::MdError::Checkpoint { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("bad.json"), "{err}");

    let err = Checkpoint::read(&tmp("missing.json")).unwrap_err();
    assert!(matches!(err, amorph_md::MdError::Io { .. }), "{err}");

    let mut a = start(Box::new(Csvr::new(200.0, 50.0, 9).unwrap()));
    a.run(5).unwrap();
    let ck = a.checkpoint();
    let err = Md::resume(ck, Box::new(Lj::argon()), Box::new(Nve)).unwrap_err();
    assert!(err.to_string().contains("'csvr'"), "{err}");
}

/// The same with the built-in Pedone + DSF force field (Verlet list, reset at the checkpoint)
/// on the 108-atom Li2Si2O5 benchmark cell at 3000 K.
#[test]
fn resumed_pedone_run_is_bit_identical() {
    use amorph_md::potential::{Coulomb, PedoneOptions, pedone};
    let ff = || {
        Box::new(
            pedone(&PedoneOptions {
                coulomb: Coulomb::dsf(0.25, 10.0).unwrap(),
                ..Default::default()
            })
            .unwrap(),
        )
    };
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/md_data/li2si2o5_108.data"
    );
    let s = amorph_core::io::read_structure(std::path::Path::new(data)).unwrap();
    let v = maxwell_boltzmann(&s, 3000.0, 1, true).unwrap();
    let mut a = Md::new(s, ff(), MdConfig::new(1.0))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(Box::new(NoseHooverChain::new(3000.0, 50.0).unwrap()))
        .unwrap();
    a.run(40).unwrap();
    let ck = a.checkpoint();
    a.run(40).unwrap();
    let th = ck.thermostat().unwrap();
    let mut b = Md::resume(ck, ff(), th).unwrap();
    b.run(40).unwrap();
    assert_same(&a, &b, "pedone");
}

/// NPT: the barostat's state (RNG stream, effective-energy integral) is checkpointed, so a
/// resumed run repeats the cell's trajectory bit for bit; every thermostat, both couplings,
/// a move every 3 steps with the checkpoint in the middle of a cycle (step 250).
#[test]
fn resumed_npt_runs_are_bit_identical() {
    let thermostats: Vec<Box<dyn Thermostat>> = vec![
        Box::new(Nve),
        Box::new(NoseHooverChain::new(300.0, 40.0).unwrap()),
        Box::new(Csvr::new(300.0, 40.0, 5).unwrap()),
        Box::new(Langevin::new(300.0, 40.0, 6).unwrap()),
        Box::new(Berendsen::new(300.0, 40.0).unwrap()),
        Box::new(VelocityRescale::new(300.0, 10.0, 7).unwrap()),
    ];
    for (k, th) in thermostats.into_iter().enumerate() {
        let name = th.name();
        let coupling = if k % 2 == 0 {
            PressureCoupling::Full
        } else {
            PressureCoupling::Virial
        };
        let barostat = CRescale::new(500.0, 200.0, 40 + k as u64)
            .unwrap()
            .with_compressibility(2e-4)
            .unwrap()
            .with_interval(3)
            .unwrap()
            .with_coupling(coupling)
            .with_temperature(300.0)
            .unwrap();
        let path = tmp(&format!("npt-{name}.json"));
        let mut a = start(th).with_barostat(barostat).unwrap();
        let v0 = a.structure().volume();
        a.run(250).unwrap();
        a.write_checkpoint(&path).unwrap();
        a.run(250).unwrap();

        let ck = Checkpoint::read(&path).unwrap();
        assert_eq!(ck.step, 250);
        assert!(ck.barostat.is_some());
        let th = ck.thermostat().unwrap();
        let mut b = Md::resume(ck, Box::new(Lj::argon()), th).unwrap();
        b.run(250).unwrap();
        assert_same(&a, &b, &format!("npt {name}"));
        // The cell really moved.
        assert!((a.structure().volume() / v0 - 1.0).abs() > 1e-3, "{name}");
    }
}

/// The same for the Pedone force field with DSF and with Ewald (whose k-vectors follow the
/// cell), Li2Si2O5 at 3000 K and P = 0.
#[test]
fn resumed_npt_pedone_runs_are_bit_identical() {
    use amorph_md::potential::{Coulomb, PedoneOptions, pedone};
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/md_data/li2si2o5_108.data"
    );
    for coulomb in [
        Coulomb::dsf(0.25, 10.0).unwrap(),
        Coulomb::ewald(1e-8).unwrap(),
    ] {
        let ff = || {
            Box::new(
                pedone(&PedoneOptions {
                    coulomb,
                    ..Default::default()
                })
                .unwrap(),
            )
        };
        let s = amorph_core::io::read_structure(std::path::Path::new(data)).unwrap();
        let v0 = s.volume();
        let v = maxwell_boltzmann(&s, 3000.0, 1, true).unwrap();
        let mut a = Md::new(s, ff(), MdConfig::new(1.0))
            .unwrap()
            .with_velocities(v)
            .unwrap()
            .with_thermostat(Box::new(Csvr::new(3000.0, 50.0, 2).unwrap()))
            .unwrap()
            .with_barostat(CRescale::new(0.0, 100.0, 3).unwrap())
            .unwrap();
        a.run(40).unwrap();
        let ck = a.checkpoint();
        a.run(40).unwrap();
        let th = ck.thermostat().unwrap();
        let mut b = Md::resume(ck, ff(), th).unwrap();
        b.run(40).unwrap();
        assert_same(&a, &b, &format!("pedone npt {coulomb:?}"));
        assert!(a.structure().volume() != v0);
    }
}

/// Checkpoints of format 1 (before the barostat) still resume, as NVT runs.
#[test]
fn format_1_checkpoints_still_resume() {
    let mut a = start(Box::new(Csvr::new(200.0, 50.0, 9).unwrap()));
    a.run(20).unwrap();
    let path = tmp("v1.json");
    a.write_checkpoint(&path).unwrap();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let obj = json.as_object_mut().unwrap();
    assert_eq!(obj["format"], "amorph-md checkpoint 2");
    assert!(obj.remove("barostat").unwrap().is_null());
    obj.insert("format".into(), "amorph-md checkpoint 1".into());
    std::fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();
    let ck = Checkpoint::read(&path).unwrap();
    assert!(ck.barostat.is_none());
    let th = ck.thermostat().unwrap();
    let mut b = Md::resume(ck, Box::new(Lj::argon()), th).unwrap();
    a.run(30).unwrap();
    b.run(30).unwrap();
    assert_same(&a, &b, "format 1");
}
