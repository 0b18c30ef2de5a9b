//! Shared helpers of the i-PI tests: finding a Python with ASE (through `amorph_testkit`),
//! starting ASE clients, unique socket names, and unwrapping our typed errors.
#![allow(dead_code)]

use amorph_md::ipi::IpiError;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// The ASE client: an `Atoms` of `n` Ar (positions and cell come with POSDATA) with ASE's
/// LennardJones (σ 3.4 Å, ε 0.0104 eV, rc 8.5 Å, smooth=False: energy shifted to zero at rc),
/// served through `SocketClient(...).run(atoms, use_stress=True)`. With a fourth argument K,
/// the process kills itself (SIGKILL) inside its K-th force evaluation.
pub const ASE_CLIENT: &str = r#"
import os, sys
from ase import Atoms
from ase.calculators.lj import LennardJones
from ase.calculators.socketio import SocketClient
mode, addr, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
die_at = int(sys.argv[4]) if len(sys.argv) > 4 else -1
class Lj(LennardJones):
    calls = 0
    def calculate(self, *a, **k):
        Lj.calls += 1
        if Lj.calls == die_at:
            os.kill(os.getpid(), 9)
        return super().calculate(*a, **k)
atoms = Atoms('Ar%d' % n, positions=[[0.0, 0.0, 0.0]] * n, cell=[10, 10, 10], pbc=True)
atoms.calc = Lj(sigma=3.4, epsilon=0.0104, rc=8.5)
if mode == 'unix':
    client = SocketClient(unixsocket=addr)
else:
    client = SocketClient(host='127.0.0.1', port=int(addr))
client.run(atoms, use_stress=True)
"#;

/// LJ parameters the ASE client uses.
pub const SIGMA: f64 = 3.4;
/// Well depth (eV).
pub const EPSILON: f64 = 0.0104;
/// Cutoff (Å).
pub const RC: f64 = 8.5;

/// A Python that imports ASE, or `None` when the test should skip (printed on stdout and
/// counted in the run's peer summary); panics instead when peers are required
/// (`AMORPH_REQUIRE_PEERS=1`, as `scripts/test.sh` sets). See `amorph_testkit`.
pub use amorph_testkit::python_with_ase;

/// Starts the ASE client (see [`ASE_CLIENT`]); `addr` is the unix socket NAME or a TCP port.
pub fn spawn_ase(python: &str, mode: &str, addr: &str, n: usize, die_at: Option<u32>) -> Child {
    let mut cmd = Command::new(python);
    cmd.args(["-c", ASE_CLIENT, mode, addr, &n.to_string()]);
    if let Some(k) = die_at {
        cmd.arg(k.to_string());
    }
    cmd.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the Python ASE client")
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A socket name unique to this process and call (`/tmp/ipi_NAME` must not collide between
/// tests running in parallel or with other users).
pub fn unique_name(tag: &str) -> String {
    format!(
        "amorph-test-{tag}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The socket path of a name.
pub fn socket_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{}{name}", amorph_md::ipi::UNIX_PREFIX))
}

/// The [`IpiError`] inside an amorph error (through `MdError::CalculatorFailed` too).
pub fn ipi_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a IpiError> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(i) = err.downcast_ref::<IpiError>() {
            return Some(i);
        }
        cur = err.source();
    }
    None
}
