//! A run checkpointed and resumed (fresh calculator, thermostat rebuilt from the file)
//! equals the uninterrupted run bit for bit, for every thermostat.

mod dynamics_common;

use amorph_md::dynamics::{
    Berendsen, Checkpoint, Csvr, Langevin, Md, MdConfig, NoseHooverChain, Nve, ThermoLog,
    Thermostat, VelocityRescale, maxwell_boltzmann,
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
