//! An i-PI socket **server** as a [`Calculator`]: any code with an i-PI client mode computes
//! the forces while amorph owns the dynamics.
//!
//! The i-PI protocol is how MD drivers talk to energy codes: ASE's `SocketClient` (which wraps
//! *any* ASE calculator: EMT, CHGNet, M3GNet, MACE, GPAW …), LAMMPS `fix ipi`, CP2K,
//! Quantum ESPRESSO, FHI-aims and i-PI's own `i-pi-py_driver`. [`IpiCalculator`] listens on a
//! UNIX-domain socket (default, at i-PI's conventional path `/tmp/ipi_NAME`, where
//! `SocketClient(unixsocket=NAME)` and `fix ipi NAME PORT unix` look) or on TCP bound to
//! 127.0.0.1, waits for one client, and on every [`Calculator::calculate`] sends the cell and
//! positions (`POSDATA`, Bohr) and reads back energy (Hartree), forces (Hartree/Bohr) and
//! virial (Hartree), converted to eV, eV/Å and stress in eV/Å³ with ASE's sign
//! (σ = −W/V).
//!
//! Robustness: the client must connect within [`IpiOptions::connect_timeout`]; every reply
//! (including the client's own computation) must arrive within
//! [`IpiOptions::reply_timeout`]; a dead client (EOF), a short read, a wrong atom count, a
//! garbage header or a non-finite number is an [`amorph_core::Error::Calculator`] whose source
//! is an [`IpiError`] — never a hang or a panic. After a failure the connection is dropped and
//! the next call waits for a new client, so a restarted client can continue a run; a client
//! that disconnects *between* calls is replaced the same way.
//!
//! **The client must hold the same atoms in the same order**: the protocol sends only the
//! cell and the positions, never the species (ASE keeps its own `Atoms`). Only the atom count
//! is checked. **ASE's `SocketClient.run(atoms)` sends a zero virial unless called with
//! `use_stress=True`**; stress from such a client is silently zero.
//!
//! ```no_run
//! use amorph_core::{Calculator, Request, Structure};
//! use amorph_md::ipi::{IpiAddress, IpiCalculator, IpiOptions};
//! # fn demo(s: &Structure) -> amorph_core::Result<()> {
//! // Server at /tmp/ipi_amorph; start the client with
//! //   SocketClient(unixsocket="amorph").run(atoms, use_stress=True)
//! let mut calc = IpiCalculator::bind(IpiAddress::unix("amorph"), IpiOptions::default())?;
//! let c = calc.calculate(s, Request::STRESS)?; // waits for the client, then computes
//! println!("{} eV", c.energy);
//! # Ok(()) }
//! ```

use amorph_core::{Calculation, Calculator, Request, Structure};
use nalgebra::{Matrix3, Vector3};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The conventional directory prefix of i-PI UNIX sockets: a socket named `NAME` lives at
/// `/tmp/ipi_NAME` (i-PI, ASE and LAMMPS all use it).
pub const UNIX_PREFIX: &str = "/tmp/ipi_";

/// Length of every i-PI message header (ASCII, upper case, space padded).
pub const HEADER_LEN: usize = 12;

/// Largest accepted length of the client's free-text "extra" block (bytes).
const MAX_EXTRA: i32 = 1 << 26;

/// Where the server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpiAddress {
    /// A UNIX-domain socket at the given path (use [`IpiAddress::unix`] for i-PI's
    /// `/tmp/ipi_NAME` convention).
    Unix(PathBuf),
    /// TCP on 127.0.0.1 at this port (0 = any free port; see [`IpiCalculator::port`]).
    Tcp(u16),
}

impl IpiAddress {
    /// The UNIX socket that i-PI clients look for under `name`: `/tmp/ipi_NAME`.
    pub fn unix(name: &str) -> Self {
        IpiAddress::Unix(PathBuf::from(format!("{UNIX_PREFIX}{name}")))
    }

    /// Parses the command-line form `unix:NAME`, `unix:/abs/path`, `tcp:PORT` (optionally
    /// prefixed by `ipi:`).
    ///
    /// ```
    /// use amorph_md::ipi::IpiAddress;
    /// assert_eq!(IpiAddress::parse("ipi:unix:amorph").unwrap(), IpiAddress::unix("amorph"));
    /// assert_eq!(IpiAddress::parse("tcp:31415").unwrap(), IpiAddress::Tcp(31415));
    /// assert!(IpiAddress::parse("ipi:tcp:http").is_err());
    /// ```
    pub fn parse(spec: &str) -> Result<Self, IpiError> {
        let bad = |reason: &str| IpiError::BadAddress {
            spec: spec.to_string(),
            reason: reason.to_string(),
        };
        let rest = spec.strip_prefix("ipi:").unwrap_or(spec);
        if let Some(name) = rest.strip_prefix("unix:") {
            if name.is_empty() {
                return Err(bad("empty socket name"));
            }
            if name.starts_with('/') {
                Ok(IpiAddress::Unix(PathBuf::from(name)))
            } else if name.contains('/') {
                Err(bad(
                    "a socket name has no '/' (give an absolute path instead)",
                ))
            } else {
                Ok(IpiAddress::unix(name))
            }
        } else if let Some(port) = rest.strip_prefix("tcp:") {
            port.parse::<u16>()
                .map(IpiAddress::Tcp)
                .map_err(|_| bad("the port must be an integer 0–65535"))
        } else {
            Err(bad("expected unix:NAME or tcp:PORT"))
        }
    }
}

impl std::fmt::Display for IpiAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IpiAddress::Unix(p) => write!(f, "unix:{}", p.display()),
            IpiAddress::Tcp(port) => write!(f, "tcp:127.0.0.1:{port}"),
        }
    }
}

/// Conversion factors between atomic units and amorph's Å/eV.
///
/// The client converts back with its own constants, so the server should use the same ones:
/// the default is ASE 3.29's (CODATA 2014), which makes a round trip through an ASE client
/// exact to rounding. The differences between CODATA releases are < 1e-9 relative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IpiUnits {
    /// One Bohr in Å.
    pub bohr: f64,
    /// One Hartree in eV.
    pub hartree: f64,
}

impl IpiUnits {
    /// ASE 3.29 `ase.units` (CODATA 2014): Bohr 0.5291772105638411 Å, Ha 27.211386024367243 eV.
    pub const ASE: IpiUnits = IpiUnits {
        bohr: 0.529_177_210_563_841_1,
        hartree: 27.211_386_024_367_243,
    };
    /// CODATA 2018 (amorph-core's `units`).
    pub const CODATA_2018: IpiUnits = IpiUnits {
        bohr: amorph_core::units::BOHR_IN_ANGSTROM,
        hartree: amorph_core::units::HARTREE_IN_EV,
    };
}

impl Default for IpiUnits {
    fn default() -> Self {
        IpiUnits::ASE
    }
}

/// Settings of an [`IpiCalculator`].
#[derive(Debug, Clone, PartialEq)]
pub struct IpiOptions {
    /// How long to wait for a client to connect (default 120 s).
    pub connect_timeout: Duration,
    /// How long to wait for any single reply, including the client's computation between
    /// `POSDATA` and `HAVEDATA` (default 600 s; raise it for slow DFT clients).
    pub reply_timeout: Duration,
    /// Unit conversions (default [`IpiUnits::ASE`]).
    pub units: IpiUnits,
    /// Whether the client sends a real virial (default true). When false, a stress request is
    /// an error instead of a silent zero (ASE's `SocketClient.run` without `use_stress=True`).
    pub client_sends_virial: bool,
    /// The string sent with `INIT` to clients that ask for it (`NEEDINIT`).
    pub init_string: String,
    /// Name used in errors and logs (default `"ipi"`).
    pub name: String,
}

impl Default for IpiOptions {
    fn default() -> Self {
        IpiOptions {
            connect_timeout: Duration::from_secs(120),
            reply_timeout: Duration::from_secs(600),
            units: IpiUnits::default(),
            client_sends_virial: true,
            init_string: String::new(),
            name: "ipi".to_string(),
        }
    }
}

/// What went wrong in the socket exchange (the source of the
/// [`amorph_core::Error::Calculator`] that [`IpiCalculator`] returns).
#[derive(Debug, thiserror::Error)]
pub enum IpiError {
    /// An address string that is not `unix:NAME` / `tcp:PORT`.
    #[error("bad i-PI address '{spec}': {reason}")]
    BadAddress {
        /// The text given.
        spec: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The socket could not be created.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The system error.
        #[source]
        source: io::Error,
    },
    /// Another live server already listens on this UNIX socket, or the path is not a socket.
    #[error("cannot listen on {address}: {reason}")]
    AddressInUse {
        /// The address.
        address: String,
        /// Why.
        reason: String,
    },
    /// No client connected in time.
    #[error("no i-PI client connected to {address} within {waited:?}")]
    NoClient {
        /// The address listened on.
        address: String,
        /// How long the server waited.
        waited: Duration,
    },
    /// The client did not answer in time.
    #[error("the i-PI client did not answer within {after:?} (while {during})")]
    Timeout {
        /// The protocol step.
        during: &'static str,
        /// The timeout.
        after: Duration,
    },
    /// The client closed the connection (it died or exited), possibly mid-message.
    #[error("the i-PI client closed the connection (while {during})")]
    Disconnected {
        /// The protocol step.
        during: &'static str,
    },
    /// Any other socket error.
    #[error("socket error while {during}: {source}")]
    Io {
        /// The protocol step.
        during: &'static str,
        /// The system error.
        #[source]
        source: io::Error,
    },
    /// The client sent a header that does not fit the protocol state.
    #[error("unexpected i-PI header {got:?} (expected {expected})")]
    BadHeader {
        /// What was acceptable.
        expected: &'static str,
        /// What arrived (escaped).
        got: String,
    },
    /// The client's atom count differs from the structure's.
    #[error(
        "the i-PI client returned {got} atoms' forces for a {expected}-atom structure (does it hold the same atoms?)"
    )]
    AtomCount {
        /// Atoms in the structure.
        expected: usize,
        /// Atoms in the client's reply.
        got: i64,
    },
    /// A non-finite number in the reply.
    #[error("the i-PI client returned a non-finite {what}")]
    NonFinite {
        /// Energy, force or virial.
        what: &'static str,
    },
    /// A negative or absurd length of the "extra" block.
    #[error("the i-PI client announced {0} bytes of extra data")]
    BadExtra(i32),
    /// Stress was requested but the client was declared not to send a virial.
    #[error(
        "stress requested but the i-PI client does not send a virial (IpiOptions::client_sends_virial)"
    )]
    NoVirial,
    /// A structure amorph cannot send (singular cell).
    #[error("cannot send the structure: {0}")]
    BadStructure(String),
}

enum Listener {
    Unix(UnixListener, PathBuf),
    Tcp(TcpListener),
}

enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.flush(),
            Stream::Tcp(s) => s.flush(),
        }
    }
}

impl Stream {
    fn set_timeouts(&self, t: Duration) -> io::Result<()> {
        match self {
            Stream::Unix(s) => {
                s.set_nonblocking(false)?;
                s.set_read_timeout(Some(t))?;
                s.set_write_timeout(Some(t))
            }
            Stream::Tcp(s) => {
                s.set_nonblocking(false)?;
                s.set_nodelay(true)?;
                s.set_read_timeout(Some(t))?;
                s.set_write_timeout(Some(t))
            }
        }
    }
}

/// The i-PI server calculator. See the [module documentation](self).
pub struct IpiCalculator {
    listener: Listener,
    address: IpiAddress,
    stream: Option<Stream>,
    options: IpiOptions,
    calls: u64,
    reconnects: u64,
}

impl std::fmt::Debug for IpiCalculator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IpiCalculator")
            .field("address", &self.address)
            .field("connected", &self.stream.is_some())
            .field("calls", &self.calls)
            .finish()
    }
}

fn wrap(name: &str, e: IpiError) -> amorph_core::Error {
    amorph_core::Error::calculator(name, e)
}

impl IpiCalculator {
    /// Starts listening at `address` (without waiting for a client; the first
    /// [`Calculator::calculate`] or [`IpiCalculator::wait_for_client`] does that).
    ///
    /// A stale UNIX socket file left by a dead server is replaced; a path with a live server
    /// behind it, or a path that is not a socket, is an error ([`IpiError::AddressInUse`]).
    pub fn bind(address: IpiAddress, options: IpiOptions) -> amorph_core::Result<Self> {
        let name = options.name.clone();
        let bind_err = |source: io::Error| {
            wrap(
                &name,
                IpiError::Bind {
                    address: address.to_string(),
                    source,
                },
            )
        };
        let (listener, address) = match &address {
            IpiAddress::Unix(path) => {
                if let Ok(meta) = std::fs::symlink_metadata(path) {
                    use std::os::unix::fs::FileTypeExt;
                    let in_use = |reason: &str| {
                        wrap(
                            &name,
                            IpiError::AddressInUse {
                                address: address.to_string(),
                                reason: reason.to_string(),
                            },
                        )
                    };
                    if !meta.file_type().is_socket() {
                        return Err(in_use("the path exists and is not a socket"));
                    }
                    if UnixStream::connect(path).is_ok() {
                        return Err(in_use("another server is listening there"));
                    }
                    std::fs::remove_file(path).map_err(bind_err)?;
                }
                let l = UnixListener::bind(path).map_err(bind_err)?;
                l.set_nonblocking(true).map_err(bind_err)?;
                (Listener::Unix(l, path.clone()), address.clone())
            }
            IpiAddress::Tcp(port) => {
                let l = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, *port)))
                    .map_err(bind_err)?;
                l.set_nonblocking(true).map_err(bind_err)?;
                let actual = l.local_addr().map_err(bind_err)?.port();
                (Listener::Tcp(l), IpiAddress::Tcp(actual))
            }
        };
        Ok(IpiCalculator {
            listener,
            address,
            stream: None,
            options,
            calls: 0,
            reconnects: 0,
        })
    }

    /// Binds the address of a command-line spec (`ipi:unix:NAME`, `ipi:unix:/path`,
    /// `ipi:tcp:PORT`; see [`IpiAddress::parse`]); the `ipi:` prefix is required here so that
    /// a spec is not mistaken for a potential name.
    pub fn from_spec(spec: &str, options: IpiOptions) -> amorph_core::Result<Self> {
        let address = match spec.strip_prefix("ipi:") {
            Some(_) => IpiAddress::parse(spec),
            None => Err(IpiError::BadAddress {
                spec: spec.to_string(),
                reason: "expected ipi:unix:NAME or ipi:tcp:PORT".into(),
            }),
        }
        .map_err(|e| wrap(&options.name, e))?;
        Self::bind(address, options)
    }

    /// The address listened on (for TCP with port 0, the port actually bound).
    pub fn address(&self) -> &IpiAddress {
        &self.address
    }

    /// The TCP port listened on, if TCP.
    pub fn port(&self) -> Option<u16> {
        match self.address {
            IpiAddress::Tcp(p) => Some(p),
            IpiAddress::Unix(_) => None,
        }
    }

    /// Whether a client is connected now.
    pub fn is_connected(&self) -> bool {
        self.stream.is_some()
    }

    /// Completed force evaluations.
    pub fn calls(&self) -> u64 {
        self.calls
    }

    /// How many times a client connected after the first (a replaced or restarted client).
    pub fn reconnects(&self) -> u64 {
        self.reconnects.saturating_sub(1)
    }

    /// The options in force.
    pub fn options(&self) -> &IpiOptions {
        &self.options
    }

    /// Waits (up to [`IpiOptions::connect_timeout`]) for a client if none is connected.
    pub fn wait_for_client(&mut self) -> amorph_core::Result<()> {
        if self.stream.is_some() {
            return Ok(());
        }
        let deadline = Instant::now() + self.options.connect_timeout;
        let mut pause = Duration::from_micros(200);
        loop {
            let accepted = match &self.listener {
                Listener::Unix(l, _) => l.accept().map(|(s, _)| Stream::Unix(s)),
                Listener::Tcp(l) => l.accept().map(|(s, _)| Stream::Tcp(s)),
            };
            match accepted {
                Ok(s) => {
                    s.set_timeouts(self.options.reply_timeout)
                        .map_err(|source| {
                            wrap(
                                &self.options.name,
                                IpiError::Io {
                                    during: "configuring the client socket",
                                    source,
                                },
                            )
                        })?;
                    self.stream = Some(s);
                    self.reconnects += 1;
                    return Ok(());
                }
                Err(e)
                    if e.kind() == io::ErrorKind::WouldBlock
                        || e.kind() == io::ErrorKind::Interrupted =>
                {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(wrap(
                            &self.options.name,
                            IpiError::NoClient {
                                address: self.address.to_string(),
                                waited: self.options.connect_timeout,
                            },
                        ));
                    }
                    std::thread::sleep(pause.min(deadline - now));
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(source) => {
                    return Err(wrap(
                        &self.options.name,
                        IpiError::Io {
                            during: "accepting a client",
                            source,
                        },
                    ));
                }
            }
        }
    }

    /// Sends `EXIT` to the client (if any) and closes the connection; the server keeps
    /// listening, so a later call waits for a new client.
    pub fn exit_client(&mut self) {
        if let Some(mut s) = self.stream.take() {
            let _ = s.write_all(&header("EXIT"));
            let _ = s.flush();
        }
    }

    fn io_err(&self, during: &'static str, e: io::Error) -> IpiError {
        match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => IpiError::Timeout {
                during,
                after: self.options.reply_timeout,
            },
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted => IpiError::Disconnected { during },
            _ => IpiError::Io { during, source: e },
        }
    }

    fn send(&mut self, during: &'static str, bytes: &[u8]) -> Result<(), IpiError> {
        let s = self
            .stream
            .as_mut()
            .ok_or(IpiError::Disconnected { during })?;
        let r = s.write_all(bytes).and_then(|_| s.flush());
        r.map_err(|e| self.io_err(during, e))
    }

    fn recv(&mut self, during: &'static str, buf: &mut [u8]) -> Result<(), IpiError> {
        let s = self
            .stream
            .as_mut()
            .ok_or(IpiError::Disconnected { during })?;
        let r = s.read_exact(buf);
        r.map_err(|e| self.io_err(during, e))
    }

    fn recv_header(&mut self, during: &'static str) -> Result<String, IpiError> {
        let mut h = [0u8; HEADER_LEN];
        self.recv(during, &mut h)?;
        Ok(decode_header(&h))
    }

    fn recv_i32(&mut self, during: &'static str) -> Result<i32, IpiError> {
        let mut b = [0u8; 4];
        self.recv(during, &mut b)?;
        Ok(i32::from_le_bytes(b))
    }

    fn recv_f64s(&mut self, during: &'static str, n: usize) -> Result<Vec<f64>, IpiError> {
        let mut b = vec![0u8; 8 * n];
        self.recv(during, &mut b)?;
        Ok(b.chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().expect("8-byte chunk")))
            .collect())
    }

    /// `STATUS` until the client is `READY` (sending `INIT` when it asks).
    fn until_ready(&mut self) -> Result<(), IpiError> {
        for _ in 0..3 {
            self.send("asking the client's status", &header("STATUS"))?;
            let h = self.recv_header("waiting for the client's status")?;
            match h.as_str() {
                "READY" => return Ok(()),
                "NEEDINIT" => {
                    let init = self.options.init_string.as_bytes();
                    let mut msg = header("INIT").to_vec();
                    msg.extend_from_slice(&0i32.to_le_bytes());
                    let len = init.len().max(1);
                    msg.extend_from_slice(&(len as i32).to_le_bytes());
                    if init.is_empty() {
                        msg.push(0);
                    } else {
                        msg.extend_from_slice(init);
                    }
                    self.send("sending INIT", &msg)?;
                }
                _ => {
                    return Err(IpiError::BadHeader {
                        expected: "READY or NEEDINIT",
                        got: h,
                    });
                }
            }
        }
        Err(IpiError::BadHeader {
            expected: "READY after INIT",
            got: "NEEDINIT (three times)".into(),
        })
    }

    fn exchange(&mut self, s: &Structure) -> Result<Reply, IpiError> {
        let n = s.len();
        let u = self.options.units;
        self.until_ready()?;
        // POSDATA: h (lattice vectors as columns) row-major = our row-vector cell transposed,
        // written in row-major order; then h⁻¹ likewise; then N and positions.
        let cell: Matrix3<f64> = *s.lattice().matrix();
        let h = cell.transpose() / u.bohr;
        let hinv = h
            .try_inverse()
            .ok_or_else(|| IpiError::BadStructure("singular cell".into()))?;
        let n_i32 = i32::try_from(n)
            .map_err(|_| IpiError::BadStructure(format!("{n} atoms exceed the protocol's i32")))?;
        let mut msg = Vec::with_capacity(HEADER_LEN + 8 * 18 + 4 + 24 * n + HEADER_LEN);
        msg.extend_from_slice(&header("POSDATA"));
        for m in [&h, &hinv] {
            for i in 0..3 {
                for j in 0..3 {
                    msg.extend_from_slice(&m[(i, j)].to_le_bytes());
                }
            }
        }
        msg.extend_from_slice(&n_i32.to_le_bytes());
        for r in s.positions() {
            for k in 0..3 {
                msg.extend_from_slice(&(r[k] / u.bohr).to_le_bytes());
            }
        }
        // i-PI "consolidates" POSDATA and the following STATUS into one write.
        msg.extend_from_slice(&header("STATUS"));
        self.send("sending POSDATA", &msg)?;
        let deadline = Instant::now() + self.options.reply_timeout;
        let mut pause = Duration::from_micros(100);
        loop {
            let h = self.recv_header("waiting for the client's computation")?;
            match h.as_str() {
                "HAVEDATA" => break,
                // Still busy (i-PI semantics): poll again.
                "READY" | "BUSY" => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(IpiError::Timeout {
                            during: "waiting for HAVEDATA",
                            after: self.options.reply_timeout,
                        });
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(10));
                    self.send("sending STATUS", &header("STATUS"))?;
                }
                _ => {
                    return Err(IpiError::BadHeader {
                        expected: "HAVEDATA",
                        got: h,
                    });
                }
            }
        }
        self.send("sending GETFORCE", &header("GETFORCE"))?;
        let h = self.recv_header("waiting for FORCEREADY")?;
        if h != "FORCEREADY" {
            return Err(IpiError::BadHeader {
                expected: "FORCEREADY",
                got: h,
            });
        }
        let energy = self.recv_f64s("reading the energy", 1)?[0];
        let got = self.recv_i32("reading the atom count")?;
        if got as i64 != n as i64 {
            return Err(IpiError::AtomCount {
                expected: n,
                got: got as i64,
            });
        }
        let f = self.recv_f64s("reading the forces", 3 * n)?;
        let v = self.recv_f64s("reading the virial", 9)?;
        let m = self.recv_i32("reading the extra length")?;
        if !(0..=MAX_EXTRA).contains(&m) {
            return Err(IpiError::BadExtra(m));
        }
        let mut extra = vec![0u8; m as usize];
        self.recv("reading the extra data", &mut extra)?;
        if !energy.is_finite() {
            return Err(IpiError::NonFinite { what: "energy" });
        }
        if f.iter().any(|x| !x.is_finite()) {
            return Err(IpiError::NonFinite { what: "force" });
        }
        if v.iter().any(|x| !x.is_finite()) {
            return Err(IpiError::NonFinite { what: "virial" });
        }
        let fc = u.hartree / u.bohr;
        let forces = f
            .chunks_exact(3)
            .map(|c| Vector3::new(c[0], c[1], c[2]) * fc)
            .collect();
        // The virial arrives in h's layout, row-major. i-PI reads only its upper triangle
        // (h is upper triangular): LAMMPS `fix ipi` fills just that triangle, ASE sends the
        // full symmetric `virial.T`. Keep the upper triangle and mirror it.
        let m = Matrix3::from_row_slice(&v) * u.hartree;
        let w = Matrix3::from_fn(|i, j| if i <= j { m[(i, j)] } else { m[(j, i)] });
        Ok((energy * u.hartree, forces, w))
    }
}

/// Energy (eV), forces (eV/Å) and the symmetric virial W (eV) of one evaluation.
type Reply = (f64, Vec<Vector3<f64>>, Matrix3<f64>);

/// A 12-byte header, space padded.
fn header(name: &str) -> [u8; HEADER_LEN] {
    let mut h = [b' '; HEADER_LEN];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h
}

/// Trims padding (spaces and NULs) and escapes non-printable bytes.
fn decode_header(h: &[u8]) -> String {
    let end = h
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |i| i + 1);
    h[..end].escape_ascii().to_string()
}

impl Calculator for IpiCalculator {
    fn name(&self) -> &str {
        &self.options.name
    }

    fn calculate(&mut self, s: &Structure, request: Request) -> amorph_core::Result<Calculation> {
        if request.stress && !self.options.client_sends_virial {
            return Err(wrap(&self.options.name, IpiError::NoVirial));
        }
        if s.is_empty() {
            return Err(wrap(
                &self.options.name,
                IpiError::BadStructure("no atoms".into()),
            ));
        }
        self.wait_for_client()?;
        let fresh = self.calls > 0;
        let mut result = self.exchange(s);
        // A client that went away *between* calls (its connection is dead at the first
        // STATUS) is replaced by the next one that connects.
        if fresh
            && matches!(result, Err(IpiError::Disconnected { during }) if during == "asking the client's status" || during == "waiting for the client's status")
        {
            self.stream = None;
            self.wait_for_client()?;
            result = self.exchange(s);
        }
        let (energy, forces, w) = match result {
            Ok(r) => r,
            Err(e) => {
                // The stream is in an unknown state: drop it; the next call accepts anew.
                self.stream = None;
                return Err(wrap(&self.options.name, e));
            }
        };
        self.calls += 1;
        let stress = if self.options.client_sends_virial {
            let vol = s.volume();
            Some([
                -w[(0, 0)] / vol,
                -w[(1, 1)] / vol,
                -w[(2, 2)] / vol,
                -w[(1, 2)] / vol,
                -w[(0, 2)] / vol,
                -w[(0, 1)] / vol,
            ])
        } else {
            None
        };
        Ok(Calculation::new(energy, forces).with_stress(stress))
    }
}

impl Drop for IpiCalculator {
    fn drop(&mut self) {
        self.exit_client();
        if let Listener::Unix(_, path) = &self.listener {
            remove_socket(path);
        }
    }
}

fn remove_socket(path: &Path) {
    use std::os::unix::fs::FileTypeExt;
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket()) {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_pad_and_decode() {
        assert_eq!(&header("STATUS"), b"STATUS      ");
        assert_eq!(decode_header(b"HAVEDATA    "), "HAVEDATA");
        assert_eq!(decode_header(b"\x00\xffABC\x00   "), "\\x00\\xffABC");
    }

    #[test]
    fn addresses_parse() {
        assert_eq!(
            IpiAddress::parse("unix:/tmp/x.sock").unwrap(),
            IpiAddress::Unix("/tmp/x.sock".into())
        );
        assert!(IpiAddress::parse("unix:").is_err());
        assert!(IpiAddress::parse("unix:a/b").is_err());
        assert!(IpiAddress::parse("tcp:70000").is_err());
        assert!(IpiAddress::parse("udp:1").is_err());
    }
}
