//! amorph as the i-PI server, ASE 3.29's `SocketClient` + `LennardJones` as the client
//! (peer: ASE, the version in `scripts/ci-requirements.txt`). Energies, forces and stress over
//! 20 MD steps must equal amorph's own LJ (same conventions: energy shifted to zero at rc) to
//! 1e-8 relative, in a triclinic cell, over a UNIX socket and over TCP; and a client that
//! leaves between steps is replaced by a new one.

mod ipi_common;

use amorph_core::{Calculation, Calculator, Element, Lattice, Request, Structure};
use amorph_md::dynamics::{Csvr, Md, MdConfig, maxwell_boltzmann};
use amorph_md::ipi::{IpiAddress, IpiCalculator, IpiOptions};
use amorph_md::potential::{ForceField, PairPotential, PairTerm};
use ipi_common::*;
use nalgebra::Vector3;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn options() -> IpiOptions {
    IpiOptions {
        connect_timeout: Duration::from_secs(20),
        reply_timeout: Duration::from_secs(20),
        ..Default::default()
    }
}

/// `nx·ny·nz` Ar atoms on a jittered grid of the cell with lattice rows `rows`.
fn argon(rows: [[f64; 3]; 3], n: [usize; 3], seed: u64) -> Structure {
    let lattice = Lattice::from_rows(rows).unwrap();
    let mut state = seed;
    let mut jitter = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.04
    };
    let mut pos = Vec::new();
    for i in 0..n[0] {
        for j in 0..n[1] {
            for k in 0..n[2] {
                let f = Vector3::new(
                    (i as f64 + 0.5) / n[0] as f64 + jitter(),
                    (j as f64 + 0.5) / n[1] as f64 + jitter(),
                    (k as f64 + 0.5) / n[2] as f64 + jitter(),
                );
                pos.push(lattice.to_cartesian(&f));
            }
        }
    }
    let ar = Element::from_symbol("Ar").unwrap();
    Structure::new(lattice, vec![ar; pos.len()], pos).unwrap()
}

fn amorph_lj() -> ForceField {
    let ar = Element::from_symbol("Ar").unwrap();
    let pair = PairPotential::new("lj")
        .with_pair(
            ar,
            ar,
            RC,
            vec![PairTerm::LennardJones {
                epsilon: EPSILON,
                sigma: SIGMA,
            }],
        )
        .unwrap()
        .with_shift(true);
    ForceField::new("lj").with_pair_potential(pair)
}

/// Largest relative deviations (energy, forces, stress) of one evaluation.
#[derive(Debug, Clone, Copy)]
struct Deviation {
    energy: f64,
    forces: f64,
    stress: f64,
    max_force: f64,
    max_stress: f64,
}

fn deviation(ipi: &Calculation, own: &Calculation) -> Deviation {
    let max_force = own.forces.iter().map(|f| f.amax()).fold(0.0, f64::max);
    let df = ipi
        .forces
        .iter()
        .zip(&own.forces)
        .map(|(a, b)| (a - b).amax())
        .fold(0.0, f64::max);
    let (si, so) = (ipi.stress.unwrap(), own.stress.unwrap());
    let max_stress = so.iter().map(|x| x.abs()).fold(0.0, f64::max);
    let ds = si
        .iter()
        .zip(&so)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    Deviation {
        energy: (ipi.energy - own.energy).abs() / own.energy.abs(),
        forces: df / max_force,
        stress: ds / max_stress,
        max_force,
        max_stress,
    }
}

/// Passes the i-PI result on to the MD run, after comparing it with amorph's own LJ.
struct Compare {
    ipi: IpiCalculator,
    own: ForceField,
    log: Arc<Mutex<Vec<Deviation>>>,
}

impl Calculator for Compare {
    fn name(&self) -> &str {
        "compare"
    }
    fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
        let a = self.ipi.calculate(s, Request::STRESS)?;
        let b = self.own.calculate(s, Request::STRESS)?;
        self.log.lock().unwrap().push(deviation(&a, &b));
        Ok(a)
    }
}

fn run_md(s: Structure, address: IpiAddress, mode: &str, python: &str) -> Vec<Deviation> {
    let ipi = IpiCalculator::bind(address, options()).unwrap();
    let addr = match ipi.address() {
        IpiAddress::Unix(p) => p
            .to_str()
            .unwrap()
            .strip_prefix(amorph_md::ipi::UNIX_PREFIX)
            .unwrap()
            .to_string(),
        IpiAddress::Tcp(port) => port.to_string(),
    };
    let mut child = spawn_ase(python, mode, &addr, s.len(), None);
    let log = Arc::new(Mutex::new(Vec::new()));
    let calc = Compare {
        ipi,
        own: amorph_lj(),
        log: log.clone(),
    };
    let v = maxwell_boltzmann(&s, 300.0, 11, true).unwrap();
    let mut md = Md::new(s, Box::new(calc), MdConfig::new(2.0))
        .unwrap()
        .with_velocities(v)
        .unwrap()
        .with_thermostat(Box::new(Csvr::new(300.0, 50.0, 3).unwrap()))
        .unwrap();
    let start = md.structure().positions().to_vec();
    md.run(20).unwrap();
    let moved = md
        .structure()
        .positions()
        .iter()
        .zip(&start)
        .map(|(a, b)| (a - b).norm())
        .fold(0.0, f64::max);
    assert!(moved > 0.05, "the atoms barely moved ({moved} Å)");
    drop(md); // sends EXIT: the client must leave cleanly
    let status = child.wait().unwrap();
    assert!(status.success(), "ASE client exited with {status}");
    log.lock().unwrap().clone()
}

fn check(log: &[Deviation]) {
    assert_eq!(log.len(), 21, "one evaluation at start + one per step");
    for (step, d) in log.iter().enumerate() {
        assert!(
            d.max_force > 1e-3 && d.max_stress > 1e-6,
            "step {step}: {d:?}"
        );
        assert!(
            d.energy < 1e-8 && d.forces < 1e-8 && d.stress < 1e-8,
            "step {step}: i-PI/ASE vs amorph LJ differ: {d:?}"
        );
    }
}

#[test]
fn ase_lj_over_unix_socket_matches_amorph_lj_in_a_triclinic_cell() {
    let Some(python) =
        python_with_ase("ase_lj_over_unix_socket_matches_amorph_lj_in_a_triclinic_cell")
    else {
        return;
    };
    let s = argon(
        [[10.4, 0.0, 0.0], [1.7, 10.6, 0.0], [-1.1, 0.9, 11.0]],
        [3, 3, 3],
        5,
    );
    let name = unique_name("ase-tri");
    let log = run_md(s, IpiAddress::unix(&name), "unix", &python);
    check(&log);
    assert!(!socket_path(&name).exists(), "socket file left behind");
}

#[test]
fn ase_lj_over_tcp_matches_amorph_lj() {
    let Some(python) = python_with_ase("ase_lj_over_tcp_matches_amorph_lj") else {
        return;
    };
    let s = argon(
        [[10.2, 0.0, 0.0], [0.0, 10.2, 0.0], [0.0, 0.0, 10.2]],
        [3, 3, 3],
        9,
    );
    let log = run_md(s, IpiAddress::Tcp(0), "tcp", &python);
    check(&log);
}

#[test]
fn a_new_client_takes_over_after_the_first_leaves() {
    let Some(python) = python_with_ase("a_new_client_takes_over_after_the_first_leaves") else {
        return;
    };
    let s = argon(
        [[10.4, 0.0, 0.0], [1.7, 10.6, 0.0], [-1.1, 0.9, 11.0]],
        [3, 3, 3],
        2,
    );
    let name = unique_name("ase-reconnect");
    let mut ipi = IpiCalculator::bind(IpiAddress::unix(&name), options()).unwrap();
    let mut own = amorph_lj();
    let mut first = spawn_ase(&python, "unix", &name, s.len(), None);
    let a = ipi.calculate(&s, Request::STRESS).unwrap();
    ipi.exit_client();
    assert!(first.wait().unwrap().success());
    // The second client connects only now; the next call waits for it.
    let mut second = spawn_ase(&python, "unix", &name, s.len(), None);
    let mut moved = s.clone();
    moved.positions_mut()[0] += Vector3::new(0.05, -0.03, 0.02);
    let b = ipi.calculate(&moved, Request::STRESS).unwrap();
    let d0 = deviation(&a, &own.calculate(&s, Request::STRESS).unwrap());
    let d1 = deviation(&b, &own.calculate(&moved, Request::STRESS).unwrap());
    assert!(d0.energy < 1e-8 && d0.forces < 1e-8, "{d0:?}");
    assert!(
        d1.energy < 1e-8 && d1.forces < 1e-8 && d1.stress < 1e-8,
        "{d1:?}"
    );
    assert_ne!(a.energy, b.energy);
    assert_eq!(ipi.calls(), 2);
    assert_eq!(ipi.reconnects(), 1);
    drop(ipi);
    assert!(second.wait().unwrap().success());
}
