//! Trajectory output (extxyz, XDATCAR) written frame by frame, read back with amorph-core's
//! readers, and appended to by a resumed run.

mod dynamics_common;

use amorph_md::dynamics::{Checkpoint, Csvr, Md, MdConfig, TrajectoryWriter, maxwell_boltzmann};
use dynamics_common::{Lj, argon_fcc};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amorph-md-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn md() -> Md {
    let s = argon_fcc(2, 5.25);
    let v = maxwell_boltzmann(&s, 200.0, 4, true).unwrap();
    Md::new(s, Box::new(Lj::argon()), MdConfig::new(2.0))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(Box::new(Csvr::new(200.0, 50.0, 3).unwrap()))
        .unwrap()
}

#[test]
fn extxyz_frames_hold_unwrapped_positions_velocities_and_energy() {
    let path = tmp("traj.extxyz");
    let mut md = md().with_observer(Box::new(TrajectoryWriter::create(&path, 25).unwrap()));
    md.run(100).unwrap();
    md.finish().unwrap();
    let frames = amorph_core::io::read_frames(&path).unwrap();
    assert_eq!(frames.len(), 5, "steps 0, 25, 50, 75, 100");
    let last = &frames[4];
    for (a, b) in last
        .structure
        .positions()
        .iter()
        .zip(md.structure().positions())
    {
        assert!((a - b).norm() < 1e-6, "{a} {b}");
    }
    let e = last.energy.unwrap();
    assert!((e - md.potential_energy()).abs() < 1e-6 * e.abs().max(1.0));
    let v = last.velocities.as_ref().unwrap();
    assert!((v[3] - md.velocities()[3]).norm() < 1e-6 * md.velocities()[3].norm().max(1e-3));
    assert_eq!(last.info.get("step").map(String::as_str), Some("100"));
}

#[test]
fn xdatcar_is_appended_across_a_resume() {
    let path = tmp("XDATCAR");
    let ck_path = tmp("xdat-ck.json");
    let mut a = md().with_observer(Box::new(TrajectoryWriter::create(&path, 10).unwrap()));
    a.run(50).unwrap();
    a.write_checkpoint(&ck_path).unwrap();
    a.finish().unwrap();
    drop(a);
    let ck = Checkpoint::read(&ck_path).unwrap();
    let th = ck.thermostat().unwrap();
    let mut b = Md::resume(ck, Box::new(Lj::argon()), th).unwrap();
    b.add_observer(Box::new(TrajectoryWriter::append(&path, 10).unwrap()));
    b.run(30).unwrap();
    b.finish().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.matches("Direct configuration=").count(),
        9,
        "0..=50 and 60..=80"
    );
    assert!(text.contains("Direct configuration=     9"));
    let frames = amorph_core::io::read_frames(&path).unwrap();
    assert_eq!(frames.len(), 9);
    // XDATCAR holds wrapped coordinates: the same structure up to lattice translations.
    let lat = b.structure().lattice();
    for (p, q) in frames[8]
        .structure
        .positions()
        .iter()
        .zip(b.structure().positions())
    {
        let d = lat.to_fractional(&(p - q));
        assert!(d.iter().all(|x| (x - x.round()).abs() < 1e-6), "{d}");
    }
}

#[test]
fn trajectory_format_must_hold_frames() {
    assert!(TrajectoryWriter::create(tmp("x.data"), 1).is_err());
    assert!(TrajectoryWriter::create(tmp("POSCAR"), 1).is_err());
    assert!(TrajectoryWriter::create(tmp("x.txt"), 1).is_err());
}
