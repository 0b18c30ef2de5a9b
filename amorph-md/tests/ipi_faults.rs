//! Faults at the i-PI server: nothing connects, a client that sends a wrong atom count, a
//! garbage header, dies mid-step, sends a short reply, or hangs — each is a typed
//! [`IpiError`] within the timeout, never a hang or a panic; the server then accepts a new
//! client. A small fake client written here (std `UnixStream`) plays each fault; a real ASE
//! client killed (SIGKILL) inside its third force evaluation ends an MD run with an error.

mod ipi_common;

use amorph_core::units::BOHR_IN_ANGSTROM;
use amorph_core::{Calculator, Element, Lattice, Request, Structure};
use amorph_md::MdError;
use amorph_md::dynamics::{Md, MdConfig, maxwell_boltzmann};
use amorph_md::ipi::{IpiAddress, IpiCalculator, IpiError, IpiOptions, IpiUnits};
use ipi_common::*;
use nalgebra::Vector3;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Fake {
    Good,
    NeedInit,
    WrongCount,
    Garbage,
    DieAfterPosdata,
    ShortReply,
    Hang,
}

/// What the fake client saw: h (wire layout, Bohr) and positions (Bohr) of each POSDATA.
type Seen = Vec<([f64; 9], Vec<f64>)>;

const WIRE_VIRIAL: [f64; 9] = [1e-3, 2e-3, 3e-3, 4e-3, 5e-3, 6e-3, 7e-3, 8e-3, 9e-3];

fn f64s(s: &mut UnixStream, n: usize) -> std::io::Result<Vec<f64>> {
    let mut b = vec![0u8; 8 * n];
    s.read_exact(&mut b)?;
    Ok(b.chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect())
}

fn i32_(s: &mut UnixStream) -> std::io::Result<i32> {
    let mut b = [0u8; 4];
    s.read_exact(&mut b)?;
    Ok(i32::from_le_bytes(b))
}

fn head(name: &str) -> Vec<u8> {
    format!("{name:<12}").into_bytes()
}

fn fake_client(path: PathBuf, kind: Fake) -> JoinHandle<Seen> {
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut s = loop {
            match UnixStream::connect(&path) {
                Ok(s) => break s,
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => panic!("fake client cannot connect: {e}"),
            }
        };
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut need_init = kind == Fake::NeedInit;
        let mut have: Option<Vec<f64>> = None;
        loop {
            let mut h = [0u8; 12];
            if s.read_exact(&mut h).is_err() {
                return seen;
            }
            let h = String::from_utf8_lossy(&h).trim().to_string();
            let r: std::io::Result<()> = (|| {
                match h.as_str() {
                    "STATUS" if kind == Fake::Garbage => s.write_all(b"\x00HELLO\xffWORLD"),
                    "STATUS" if need_init => s.write_all(&head("NEEDINIT")),
                    "STATUS" if have.is_some() => s.write_all(&head("HAVEDATA")),
                    "STATUS" => s.write_all(&head("READY")),
                    "INIT" => {
                        let _bead = i32_(&mut s)?;
                        let len = i32_(&mut s)?;
                        let mut b = vec![0u8; len as usize];
                        s.read_exact(&mut b)?;
                        need_init = false;
                        Ok(())
                    }
                    "POSDATA" => {
                        let cells = f64s(&mut s, 18)?;
                        let n = i32_(&mut s)? as usize;
                        let pos = f64s(&mut s, 3 * n)?;
                        seen.push((cells[..9].try_into().unwrap(), pos.clone()));
                        have = Some(pos);
                        Ok(())
                    }
                    "GETFORCE" => {
                        let pos = have.take().unwrap();
                        let n = pos.len() / 3;
                        let mut m = head("FORCEREADY");
                        m.extend_from_slice(&0.25f64.to_le_bytes());
                        let count = if kind == Fake::WrongCount { n + 1 } else { n };
                        m.extend_from_slice(&(count as i32).to_le_bytes());
                        let forces: Vec<f64> = pos.iter().map(|x| -0.01 * x).collect();
                        let upto = if kind == Fake::ShortReply {
                            forces.len() / 2
                        } else {
                            forces.len()
                        };
                        for f in &forces[..upto] {
                            m.extend_from_slice(&f.to_le_bytes());
                        }
                        if kind == Fake::ShortReply {
                            s.write_all(&m)?;
                            return Err(std::io::ErrorKind::Other.into());
                        }
                        for v in WIRE_VIRIAL {
                            m.extend_from_slice(&v.to_le_bytes());
                        }
                        m.extend_from_slice(&1i32.to_le_bytes());
                        m.push(0);
                        s.write_all(&m)
                    }
                    _ => Err(std::io::ErrorKind::Other.into()), // EXIT or unknown: leave
                }
            })();
            if r.is_err() {
                return seen;
            }
            if h == "POSDATA" {
                match kind {
                    Fake::DieAfterPosdata => return seen,
                    Fake::Hang => {
                        std::thread::sleep(Duration::from_secs(3));
                        return seen;
                    }
                    _ => {}
                }
            }
        }
    })
}

fn structure() -> Structure {
    let li = Element::from_symbol("Li").unwrap();
    let lattice = Lattice::from_rows([[6.0, 0.0, 0.0], [0.5, 6.2, 0.0], [0.3, 0.2, 6.5]]).unwrap();
    let pos = vec![
        Vector3::new(0.1, 0.2, 0.3),
        Vector3::new(3.0, 3.1, 2.9),
        Vector3::new(1.5, 4.0, 5.0),
    ];
    Structure::new(lattice, vec![li; 3], pos).unwrap()
}

fn server(tag: &str, connect_ms: u64, reply_ms: u64) -> (IpiCalculator, PathBuf) {
    let name = unique_name(tag);
    let opts = IpiOptions {
        connect_timeout: Duration::from_millis(connect_ms),
        reply_timeout: Duration::from_millis(reply_ms),
        ..Default::default()
    };
    (
        IpiCalculator::bind(IpiAddress::unix(&name), opts).unwrap(),
        socket_path(&name),
    )
}

/// Runs one faulty exchange; returns the typed error and the time it took.
fn fault(kind: Fake, reply_ms: u64) -> (IpiError, Duration, IpiCalculator, PathBuf) {
    let (mut ipi, path) = server(&format!("{kind:?}"), 2000, reply_ms);
    let client = fake_client(path.clone(), kind);
    let t = Instant::now();
    let err = ipi.calculate(&structure(), Request::STRESS).unwrap_err();
    let took = t.elapsed();
    assert!(
        err.to_string().starts_with("calculator 'ipi': "),
        "{kind:?}: {err}"
    );
    assert!(!ipi.is_connected(), "the broken connection must be dropped");
    client.join().unwrap();
    let e = match err {
        amorph_core::Error::Calculator { source, .. } => *source.downcast::<IpiError>().unwrap(),
        other => panic!("not a calculator error: {other}"),
    };
    (e, took, ipi, path)
}

/// After a fault the server accepts a new client and works.
fn recovers(ipi: &mut IpiCalculator, path: PathBuf) {
    let c = fake_client(path, Fake::Good);
    let r = ipi.calculate(&structure(), Request::STRESS).unwrap();
    assert_eq!(r.forces.len(), 3);
    drop(std::mem::replace(ipi, server("spare", 10, 10).0));
    c.join().unwrap();
}

#[test]
fn nothing_connects_is_a_clear_error_after_the_connect_timeout() {
    let (mut ipi, path) = server("nobody", 300, 1000);
    let t = Instant::now();
    let err = ipi.calculate(&structure(), Request::FORCES).unwrap_err();
    let took = t.elapsed();
    assert!(
        matches!(ipi_error(&err), Some(IpiError::NoClient { .. })),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("no i-PI client connected to unix:/tmp/ipi_"),
        "{err}"
    );
    assert!(
        took >= Duration::from_millis(290) && took < Duration::from_secs(3),
        "{took:?}"
    );
    drop(ipi);
    assert!(!path.exists(), "socket file removed on drop");
}

#[test]
fn wrong_atom_count_is_rejected_and_a_new_client_is_accepted() {
    let (e, took, mut ipi, path) = fault(Fake::WrongCount, 2000);
    assert!(
        matches!(
            e,
            IpiError::AtomCount {
                expected: 3,
                got: 4
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("4 atoms' forces for a 3-atom structure"),
        "{e}"
    );
    assert!(took < Duration::from_secs(2));
    recovers(&mut ipi, path);
}

#[test]
fn garbage_header_is_rejected() {
    let (e, took, mut ipi, path) = fault(Fake::Garbage, 2000);
    match &e {
        IpiError::BadHeader { got, .. } => assert_eq!(got, "\\x00HELLO\\xffWORLD"),
        other => panic!("{other}"),
    }
    assert!(took < Duration::from_secs(2));
    recovers(&mut ipi, path);
}

#[test]
fn client_dying_mid_step_is_a_disconnect_not_a_hang() {
    let (e, took, mut ipi, path) = fault(Fake::DieAfterPosdata, 5000);
    assert!(
        matches!(
            e,
            IpiError::Disconnected {
                during: "waiting for the client's computation"
            }
        ),
        "{e}"
    );
    assert!(
        took < Duration::from_secs(2),
        "{took:?}: EOF must be noticed at once"
    );
    recovers(&mut ipi, path);
}

#[test]
fn short_reply_is_a_disconnect() {
    let (e, took, _ipi, _) = fault(Fake::ShortReply, 5000);
    assert!(
        matches!(
            e,
            IpiError::Disconnected {
                during: "reading the forces"
            }
        ),
        "{e}"
    );
    assert!(took < Duration::from_secs(2));
}

#[test]
fn hung_client_times_out() {
    let (e, took, _ipi, _) = fault(Fake::Hang, 300);
    assert!(matches!(e, IpiError::Timeout { .. }), "{e}");
    assert!(e.to_string().contains("did not answer within 300ms"), "{e}");
    assert!(
        took >= Duration::from_millis(290) && took < Duration::from_secs(2),
        "{took:?}"
    );
}

#[test]
fn wire_layout_units_init_and_stress_sign() {
    let (mut ipi, path) = server("good", 5000, 5000);
    let client = fake_client(path, Fake::NeedInit);
    let s = structure();
    let c = ipi.calculate(&s, Request::STRESS).unwrap();
    let c2 = ipi.calculate(&s, Request::STRESS).unwrap();
    assert_eq!(c, c2);
    drop(ipi);
    let seen = client.join().unwrap();
    assert_eq!(seen.len(), 2);
    let u = IpiUnits::ASE;
    let (h, pos) = &seen[0];
    // h has the lattice vectors as columns, sent row-major: [a_x b_x c_x a_y b_y c_y ...].
    let rows = s.lattice().rows();
    for i in 0..3 {
        for j in 0..3 {
            assert!(
                (h[3 * i + j] * u.bohr - rows[j][i]).abs() < 1e-12,
                "h[{i}{j}]"
            );
        }
    }
    assert!((pos[3 * 2 + 1] * u.bohr - 4.0).abs() < 1e-12);
    assert!((c.energy - 0.25 * u.hartree).abs() < 1e-12);
    // F = −0.01·r(Bohr) Ha/Bohr → eV/Å
    let expect = -0.01 * 5.0 / u.bohr * u.hartree / u.bohr;
    assert!((c.forces[2].z - expect).abs() < 1e-12, "{}", c.forces[2].z);
    // σ = −W/V from the upper triangle of the wire matrix (i-PI, LAMMPS): yz = −m[1][2]/V
    let v = s.volume();
    let st = c.stress.unwrap();
    assert!((st[0] + 1e-3 * u.hartree / v).abs() < 1e-15);
    assert!((st[3] + 6e-3 * u.hartree / v).abs() < 1e-15);
    assert!((st[5] + 2e-3 * u.hartree / v).abs() < 1e-15);
    // The CODATA 2018 factors differ from ASE's by < 1e-9 relative.
    assert!((u.bohr / BOHR_IN_ANGSTROM - 1.0).abs() < 1e-9);
}

#[test]
fn socket_paths_in_use_are_refused_and_stale_ones_replaced() {
    let (live, path) = server("live", 100, 100);
    let name = path
        .to_str()
        .unwrap()
        .strip_prefix("/tmp/ipi_")
        .unwrap()
        .to_string();
    let err = IpiCalculator::bind(IpiAddress::unix(&name), IpiOptions::default()).unwrap_err();
    assert!(
        matches!(ipi_error(&err), Some(IpiError::AddressInUse { .. })),
        "{err}"
    );
    // A stale socket (its server gone without cleaning up) is replaced.
    drop(live);
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap()); // leaves the file behind
    assert!(path.exists());
    assert!(IpiCalculator::bind(IpiAddress::unix(&name), IpiOptions::default()).is_ok());
    // A regular file is never deleted.
    let file = std::env::temp_dir().join(unique_name("file"));
    std::fs::write(&file, "keep").unwrap();
    let err =
        IpiCalculator::bind(IpiAddress::Unix(file.clone()), IpiOptions::default()).unwrap_err();
    assert!(err.to_string().contains("is not a socket"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    std::fs::remove_file(file).unwrap();
}

#[test]
fn ase_client_killed_mid_step_ends_the_md_run_with_an_error() {
    let Some(python) = python_with_ase("ase_client_killed_mid_step_ends_the_md_run_with_an_error")
    else {
        return;
    };
    let (ipi, path) = server("ase-killed", 20_000, 20_000);
    let name = path
        .to_str()
        .unwrap()
        .strip_prefix("/tmp/ipi_")
        .unwrap()
        .to_string();
    let ar = Element::from_symbol("Ar").unwrap();
    let lattice = Lattice::cubic(9.0).unwrap();
    let pos: Vec<_> = (0..8)
        .map(|i| Vector3::new((i & 1) as f64, ((i >> 1) & 1) as f64, (i >> 2) as f64) * 4.5)
        .collect();
    let s = Structure::new(lattice, vec![ar; 8], pos).unwrap();
    let mut child = spawn_ase(&python, "unix", &name, 8, Some(3));
    let v = maxwell_boltzmann(&s, 100.0, 1, true).unwrap();
    let mut md = Md::new(s, Box::new(ipi), MdConfig::new(2.0))
        .unwrap()
        .with_velocities(v)
        .unwrap();
    let t = Instant::now();
    let err = md.run(10).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    match &err {
        MdError::CalculatorFailed { step, .. } => assert_eq!(*step, 2),
        other => panic!("{other}"),
    }
    assert!(
        matches!(ipi_error(&err), Some(IpiError::Disconnected { .. })),
        "{err}"
    );
    let status = child.wait().unwrap();
    assert!(!status.success(), "the client was killed");
}
