//! Trajectory output (extxyz, XDATCAR) written frame by frame, read back with amorph-core's
//! readers, and appended to by a resumed run.

mod dynamics_common;

use amorph_md::dynamics::{
    CRescale, Checkpoint, Csvr, Md, MdConfig, ThermoLog, TrajectoryWriter, maxwell_boltzmann,
};
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
    // A fixed cell: one header (its scale line), also after the append.
    assert_eq!(text.matches("\n           1\n").count(), 1);
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

/// NPT: every XDATCAR frame carries its own cell (the header is repeated when the cell
/// changed, VASP's variable-cell layout), also across a resume; extxyz frames have their
/// lattice; the thermo log has the volume and density.
#[test]
fn npt_trajectories_carry_the_changing_cell() {
    let xdat = tmp("npt_XDATCAR");
    let xyz = tmp("npt.extxyz");
    let log = tmp("npt.csv");
    let ck_path = tmp("npt-ck.json");
    let mut a = md()
        .with_barostat(
            CRescale::new(3000.0, 100.0, 1)
                .unwrap()
                .with_compressibility(1e-4)
                .unwrap(),
        )
        .unwrap()
        .with_observer(Box::new(TrajectoryWriter::create(&xdat, 10).unwrap()))
        .with_observer(Box::new(TrajectoryWriter::create(&xyz, 10).unwrap()))
        .with_observer(Box::new(ThermoLog::create(&log, 10).unwrap()));
    let v0 = a.volume();
    a.run(50).unwrap();
    a.write_checkpoint(&ck_path).unwrap();
    a.finish().unwrap();
    drop(a);
    let ck = Checkpoint::read(&ck_path).unwrap();
    let th = ck.thermostat().unwrap();
    let mut b = Md::resume(ck, Box::new(Lj::argon()), th).unwrap();
    b.add_observer(Box::new(TrajectoryWriter::append(&xdat, 10).unwrap()));
    b.add_observer(Box::new(TrajectoryWriter::append(&xyz, 10).unwrap()));
    b.add_observer(Box::new(ThermoLog::append(&log, 10).unwrap()));
    b.run(30).unwrap();
    b.finish().unwrap();
    assert!((b.volume() / v0 - 1.0).abs() > 1e-3, "the cell moved");

    let text = std::fs::read_to_string(&xdat).unwrap();
    assert_eq!(text.matches("Direct configuration=").count(), 9);
    assert_eq!(
        text.matches("\n           1\n").count(),
        9,
        "a header per frame"
    );
    let xd = amorph_core::io::read_frames(&xdat).unwrap();
    let xz = amorph_core::io::read_frames(&xyz).unwrap();
    assert_eq!((xd.len(), xz.len()), (9, 9));
    let csv = std::fs::read_to_string(&log).unwrap();
    let rows: Vec<Vec<f64>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert!(
        csv.starts_with("step,")
            && csv
                .lines()
                .next()
                .unwrap()
                .ends_with(",volume_A3,density_g_cm3")
    );
    assert_eq!(rows.len(), 9);
    let mass = b.structure().total_mass();
    for ((d, z), row) in xd.iter().zip(&xz).zip(&rows) {
        let (vd, vz) = (d.structure.volume(), z.structure.volume());
        assert!((vd / vz - 1.0).abs() < 1e-5, "{vd} vs {vz}");
        assert!(
            (row[8] / vz - 1.0).abs() < 1e-9,
            "thermo volume {} vs {vz}",
            row[8]
        );
        let rho = amorph_core::units::density_g_cm3(mass, row[8]);
        assert!((row[9] / rho - 1.0).abs() < 1e-12);
    }
    assert_ne!(xz[8].structure.volume(), xz[0].structure.volume());
    // The last frame is the run's current structure.
    let last = &xz[8].structure;
    assert_eq!(last.lattice().rows().len(), 3);
    for (p, q) in last.positions().iter().zip(b.structure().positions()) {
        assert!((p - q).norm() < 1e-6);
    }
}
