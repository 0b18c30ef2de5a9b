//! Test support of the amorph workspace: the live *peers* some tests run against, and what
//! happens when one is missing.
//!
//! A peer is another program a test exchanges messages with: ASE (a Python that imports
//! `ase.calculators.socketio`; the i-PI tests run its `SocketClient`), a SLURM cluster that
//! takes jobs (`scripts/peers/slurm.sh`), and libtorch 2.13 for the SevenNet tests
//! (`scripts/peers/libtorch.sh`). The Python package's pytest suite is run by
//! `scripts/peers/python.sh` and needs no Rust-side peer. A new peer joins as one more [`Peer`]
//! in [`PEERS`] and one more set-up step in `scripts/test.sh`. A test asks for its peer first:
//!
//! ```text
//! let Some(python) = amorph_testkit::python_with_ase("my_test") else { return };
//! ```
//!
//! * Found: the test runs against it, and [`require`] records that it ran.
//! * Missing while peers are required ([`peers_required`]: `AMORPH_REQUIRE_PEERS=1`, which
//!   `scripts/test.sh`, the README's test command and CI's, sets): the test panics, naming the
//!   peer, what was tried and how to get it.
//! * Missing otherwise (a plain `cargo test`): the test returns early after printing
//!   `SKIPPED ...` straight to the process's stdout and recording the skip. libtest captures
//!   only what `print!`/`eprint!` write, so this line shows in the normal `cargo test` output,
//!   among the test's `running N tests` block. The `peer_summary` test target of this crate runs
//!   after every other test binary of the workspace and ends their output with one line
//!   counting the skipped peer tests and naming the missing peers; `scripts/test.sh` prints the
//!   same count as its last line.
//!
//! Records are small files, one per peer test, in [`record_dir`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A program some tests need running beside them.
#[derive(Clone, Copy, Debug)]
pub struct Peer {
    /// Short name used in messages and records, e.g. `ASE`.
    pub name: &'static str,
    /// What counts as having it, in words.
    pub needs: &'static str,
    /// Looks for it: what was found (e.g. the Python's path), or why nothing was.
    pub probe: fn() -> Result<String, String>,
}

/// ASE: a Python that imports `ase.calculators.socketio` (see [`python_candidates`]).
pub const ASE: Peer = Peer {
    name: "ASE",
    needs: "a Python that imports ase.calculators.socketio",
    probe: probe_ase,
};

/// SLURM: a cluster whose node takes jobs (`sinfo` reports it idle, mixed or allocated), as
/// `scripts/peers/slurm.sh start` makes one; see [`slurm_conf`].
pub const SLURM: Peer = Peer {
    name: "SLURM",
    needs: "a SLURM cluster that takes jobs (scripts/peers/slurm.sh start)",
    probe: probe_slurm,
};

/// libtorch 2.13 for amorph-mlip's SevenNet tests (feature `torch`): `LIBTORCH` names a
/// directory with `lib/libtorch_cpu.so` (what `scripts/peers/libtorch.sh` exports; the tests
/// that need it are compiled only with the feature, which links it).
pub const LIBTORCH: Peer = Peer {
    name: "LIBTORCH",
    needs: "libtorch 2.13 at $LIBTORCH (source scripts/peers/libtorch.sh)",
    probe: probe_libtorch,
};

/// Every peer of the workspace; the summary reports on each.
pub const PEERS: &[Peer] = &[ASE, SLURM, LIBTORCH];

/// The advice every skip and the summary give.
pub const HOW_TO_RUN: &str = "run scripts/test.sh to install the peers and run them";

/// Environment variable that makes a missing peer a failure (`1`) or a skip (`0`).
pub const REQUIRE_VAR: &str = "AMORPH_REQUIRE_PEERS";

/// Environment variable naming the directory of the peer-test records (see [`record_dir`]).
pub const LOG_VAR: &str = "AMORPH_PEER_LOG";

/// The Python for [`ASE`] to use, found through [`python_candidates`]; `None` when the test
/// should skip (see [`require`]; panics instead when peers are required).
pub fn python_with_ase(test: &str) -> Option<String> {
    require(test, &ASE)
}

/// Asks for `peer` on behalf of `test` (its function name): the probe's find, recorded as run;
/// or, when the peer is missing, a panic if [`peers_required`], else a skip that is printed
/// to stdout and recorded, and `None`.
pub fn require(test: &str, peer: &Peer) -> Option<String> {
    let id = test_id(test);
    match (peer.probe)() {
        Ok(found) => {
            record(Status::Ran, peer, &id, &found);
            Some(found)
        }
        Err(why) if peers_required() => {
            record(Status::Failed, peer, &id, &why);
            panic!(
                "{id}: peer {} missing: {why}. Peers are required here ({REQUIRE_VAR}=1, or CI \
                 set); scripts/test.sh installs them into .venv and exports AMORPH_PYTHON",
                peer.name
            );
        }
        Err(why) => {
            record(Status::Skipped, peer, &id, &why);
            say(&format!(
                "SKIPPED {id}: peer {} missing ({why}); {HOW_TO_RUN}",
                peer.name
            ));
            None
        }
    }
}

/// Whether a missing peer fails the test: `AMORPH_REQUIRE_PEERS` if set (`0`, `false`, `no`
/// or empty: no; anything else: yes), otherwise whether `CI` is set (and not `0`/`false`).
pub fn peers_required() -> bool {
    required_from(
        std::env::var(REQUIRE_VAR).ok().as_deref(),
        std::env::var("CI").ok().as_deref(),
    )
}

fn required_from(require: Option<&str>, ci: Option<&str>) -> bool {
    let yes = |v: &str| {
        !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no"
        )
    };
    match require {
        Some(v) => yes(v),
        None => ci.is_some_and(yes),
    }
}

/// The Pythons tried for a Python peer, in order: `$AMORPH_PYTHON` alone when it is set (an
/// explicit choice is never silently replaced by another Python); otherwise the active virtual
/// environment's (`$VIRTUAL_ENV/bin/python`), the project's own `.venv/bin/python` (made by
/// `scripts/test.sh`), then `python3` from `PATH`.
pub fn python_candidates() -> Vec<String> {
    if let Some(p) = env_nonempty("AMORPH_PYTHON") {
        return vec![p];
    }
    let mut c = Vec::new();
    if let Some(v) = env_nonempty("VIRTUAL_ENV") {
        c.push(Path::new(&v).join("bin/python").display().to_string());
    }
    c.push(
        workspace_root()
            .join(".venv/bin/python")
            .display()
            .to_string(),
    );
    c.push("python3".into());
    c
}

/// The first of [`python_candidates`] that runs `import {module}`, or why none did.
pub fn python_importing(module: &str) -> Result<String, String> {
    let candidates = python_candidates();
    for c in &candidates {
        let ok = Command::new(c)
            .args(["-c", &format!("import {module}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Ok(c.clone());
        }
    }
    let tried = if env_nonempty("AMORPH_PYTHON").is_some() {
        format!("AMORPH_PYTHON={}", candidates[0])
    } else {
        candidates.join(", ")
    };
    Err(format!("no Python imports {module}; tried {tried}"))
}

fn probe_libtorch() -> Result<String, String> {
    let dir = env_nonempty("LIBTORCH").ok_or("LIBTORCH is not set")?;
    let lib = Path::new(&dir).join("lib/libtorch_cpu.so");
    if lib.exists() {
        Ok(dir)
    } else {
        Err(format!("no {}", lib.display()))
    }
}

fn probe_ase() -> Result<String, String> {
    python_importing("ase.calculators.socketio")
}

/// The SLURM configuration the cluster tests use: `$SLURM_CONF` when set, else the test
/// cluster's (`scripts/peers/slurm.sh`: `$AMORPH_SLURM_DIR/slurm.conf`, by default
/// `/tmp/amorph-slurm/slurm.conf`) when it exists; `None` leaves SLURM to its own default.
pub fn slurm_conf() -> Option<PathBuf> {
    if let Some(c) = env_nonempty("SLURM_CONF") {
        return Some(c.into());
    }
    let dir = env_nonempty("AMORPH_SLURM_DIR").unwrap_or_else(|| "/tmp/amorph-slurm".into());
    Some(Path::new(&dir).join("slurm.conf")).filter(|p| p.exists())
}

/// Asked once per test binary: without a controller `sinfo` takes about 9 s to give up.
fn probe_slurm() -> Result<String, String> {
    static FOUND: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    FOUND.get_or_init(ask_slurm).clone()
}

fn ask_slurm() -> Result<String, String> {
    let conf = slurm_conf();
    let mut sinfo = Command::new("sinfo");
    sinfo.args(["-h", "-o", "%T"]).stdin(Stdio::null());
    if let Some(c) = &conf {
        sinfo.env("SLURM_CONF", c);
    }
    let at = conf
        .as_ref()
        .map_or("SLURM's default configuration".into(), |c| {
            format!("SLURM_CONF={}", c.display())
        });
    match sinfo.output() {
        Err(e) => Err(format!("sinfo: {e}")),
        Ok(o) if !o.status.success() => Err(format!(
            "sinfo with {at}: {}",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
        )),
        Ok(o) => {
            let states = String::from_utf8_lossy(&o.stdout).to_string();
            if states
                .lines()
                .any(|s| matches!(s.trim(), "idle" | "mixed" | "allocated"))
            {
                Ok(at)
            } else {
                Err(format!(
                    "no node takes jobs ({at}; sinfo: {})",
                    states.trim()
                ))
            }
        }
    }
}

/// The workspace's root directory (where `scripts/` and `.venv` live).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Writes one line straight to the process's stdout. libtest's capture only intercepts
/// `print!`/`eprint!`, so unlike them this line is shown in a plain `cargo test` run.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The name a record gives a test: `package binary::test` (package from cargo's
/// `CARGO_PKG_NAME`, binary from the executable's name without cargo's hash), or just
/// `package binary` when `test` is the binary's name (an example run as a test).
pub fn test_id(test: &str) -> String {
    let exe = std::env::current_exe().ok();
    let stem = exe
        .as_deref()
        .and_then(Path::file_stem)
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let bin = strip_hash(stem);
    let pkg = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
    let name = if bin.is_empty() || bin == test {
        test.to_string()
    } else {
        format!("{bin}::{test}")
    };
    if pkg.is_empty() {
        name
    } else {
        format!("{pkg} {name}")
    }
}

/// `ipi_ase-0123456789abcdef` → `ipi_ase` (cargo's `-` + 16 hex digits suffix).
fn strip_hash(stem: &str) -> &str {
    match stem.rsplit_once('-') {
        Some((base, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            base
        }
        _ => stem,
    }
}

/// What became of one peer test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The peer was found and the test ran against it.
    Ran,
    /// The peer was missing and the test skipped itself.
    Skipped,
    /// The peer was missing while peers were required: the test failed.
    Failed,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ran => "ran",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
        }
    }
}

/// One line of the records: a peer test and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Ran, skipped or failed.
    pub status: Status,
    /// The peer's [`Peer::name`].
    pub peer: String,
    /// The test, as [`test_id`] names it.
    pub test: String,
    /// What the probe found, or why it found nothing.
    pub detail: String,
}

/// Where this run's records go: `$AMORPH_PEER_LOG` if set (`scripts/test.sh` sets it), else
/// `peer-tests/<pid of cargo>` in the build profile's directory (e.g. `target/debug`), one
/// directory per `cargo test` run: every test binary of a run is a child of the same cargo.
pub fn record_dir() -> PathBuf {
    if let Some(d) = env_nonempty(LOG_VAR) {
        return d.into();
    }
    #[cfg(unix)]
    let run = std::os::unix::process::parent_id().to_string();
    #[cfg(not(unix))]
    let run = String::from("run");
    records_root().join(run)
}

/// `target/<profile>/peer-tests`: the executable is in `target/<profile>/deps` (tests) or
/// `target/<profile>/examples`.
fn records_root() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.parent()?.join("peer-tests")))
        .unwrap_or_else(|| std::env::temp_dir().join("amorph-peer-tests"))
}

fn record(status: Status, peer: &Peer, test: &str, detail: &str) {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let dir = record_dir();
    let file: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '.'
            }
        })
        .collect();
    let line = format!(
        "{}\t{}\t{}\t{}\n",
        status.word(),
        peer.name,
        clean(test),
        clean(detail)
    );
    // A record that cannot be written only weakens the summary; the test itself goes on.
    let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), line));
}

/// The records in `dir` (none if it does not exist), sorted by test.
pub fn read_records(dir: &Path) -> Vec<Record> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        out.extend(text.lines().filter_map(parse_record));
    }
    out.sort_by(|a, b| a.test.cmp(&b.test));
    out
}

fn parse_record(line: &str) -> Option<Record> {
    let mut f = line.splitn(4, '\t');
    let status = match f.next()? {
        "ran" => Status::Ran,
        "skipped" => Status::Skipped,
        "failed" => Status::Failed,
        _ => return None,
    };
    Some(Record {
        status,
        peer: f.next()?.to_string(),
        test: f.next()?.to_string(),
        detail: f.next().unwrap_or("").to_string(),
    })
}

/// One line counting the peer tests of `records`: how many ran and against which peers, and
/// the skipped (or failed) ones by name with their missing peers and [`HOW_TO_RUN`].
pub fn summary_line(records: &[Record]) -> String {
    let of = |s: Status| -> Vec<&Record> { records.iter().filter(|r| r.status == s).collect() };
    let (ran, skipped, failed) = (of(Status::Ran), of(Status::Skipped), of(Status::Failed));
    if records.is_empty() {
        return "no peer test ran in this cargo run".into();
    }
    let names = |rs: &[&Record]| {
        rs.iter()
            .map(|r| r.test.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let peers = |rs: &[&Record]| {
        let mut p: Vec<String> = rs.iter().map(|r| r.peer.clone()).collect();
        p.sort();
        p.dedup();
        p
    };
    let described = |names: Vec<String>| {
        names
            .iter()
            .map(|n| match PEERS.iter().find(|p| p.name == n) {
                Some(p) => format!("{n} ({})", p.needs),
                None => n.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !skipped.is_empty() {
        parts.push(format!(
            "{} peer tests skipped: {}; missing peers: {}; {HOW_TO_RUN}",
            skipped.len(),
            names(&skipped),
            described(peers(&skipped))
        ));
    }
    if !failed.is_empty() {
        parts.push(format!(
            "{} peer tests failed for a missing peer: {} (missing: {})",
            failed.len(),
            names(&failed),
            described(peers(&failed))
        ));
    }
    if !ran.is_empty() {
        parts.push(format!(
            "{} peer tests ran against their peers ({})",
            ran.len(),
            peers(&ran).join(", ")
        ));
    }
    let line = parts.join("; ");
    if skipped.is_empty() && failed.is_empty() {
        format!("{line}, none skipped")
    } else {
        line
    }
}

/// Removes the record directories of `cargo test` runs that are over (their cargo process is
/// gone), keeping `keep`. Only where `/proc` tells which processes live; elsewhere nothing.
pub fn remove_stale_records(keep: &Path) {
    let root = records_root();
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if path != keep && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// The inputs a fuzz campaign found crashing, kept as regression tests in a crate's
/// `tests/fuzz_regressions/<target>/` (`manifest_dir` is the crate's `CARGO_MANIFEST_DIR`):
/// (file name, bytes), sorted by name; empty when the directory does not exist.
pub fn fuzz_regression_inputs(manifest_dir: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(manifest_dir)
        .join("tests/fuzz_regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .map(|e| {
            let path = e.expect("a directory entry of the fuzz regressions").path();
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let bytes = std::fs::read(&path).expect("a fuzz regression input");
            (name, bytes)
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(status: Status, test: &str) -> Record {
        Record {
            status,
            peer: "ASE".into(),
            test: test.into(),
            detail: String::new(),
        }
    }

    #[test]
    fn required_only_when_asked_or_in_ci() {
        assert!(!required_from(None, None));
        assert!(required_from(Some("1"), None));
        assert!(!required_from(Some("0"), Some("true")));
        assert!(required_from(None, Some("true")));
        assert!(!required_from(None, Some("false")));
        assert!(!required_from(None, Some("")));
    }

    #[test]
    fn cargo_hash_is_stripped() {
        assert_eq!(strip_hash("ipi_ase-0123456789abcdef"), "ipi_ase");
        assert_eq!(strip_hash("ipi_recipe"), "ipi_recipe");
        assert_eq!(strip_hash("cli-ipi"), "cli-ipi");
    }

    #[test]
    fn records_round_trip() {
        let line = "skipped\tASE\tamorph-md ipi_ase::x\tno Python imports ase; tried python3";
        assert_eq!(
            parse_record(line),
            Some(Record {
                status: Status::Skipped,
                peer: "ASE".into(),
                test: "amorph-md ipi_ase::x".into(),
                detail: "no Python imports ase; tried python3".into(),
            })
        );
        assert_eq!(parse_record("garbage"), None);
    }

    /// cargo runs the test binaries of `cargo test --workspace` package by package in name
    /// order; `peer_summary` can only count the peer tests that ran before it if this crate's
    /// name sorts after every other member's (a new `amorph-torch` would not).
    #[test]
    fn this_crate_sorts_after_every_workspace_member() {
        let root = workspace_root();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let members = manifest.split("members = [").nth(1).unwrap();
        let members = members.split(']').next().unwrap();
        let mut names = vec![package_name(&manifest)];
        for dir in members.split(',').map(|m| m.trim().trim_matches('"')) {
            if !dir.is_empty() {
                let m = std::fs::read_to_string(root.join(dir).join("Cargo.toml")).unwrap();
                names.push(package_name(&m));
            }
        }
        let me = env!("CARGO_PKG_NAME");
        assert!(
            names.len() > 2 && names.iter().any(|n| n == me),
            "{names:?}"
        );
        for n in &names {
            assert!(
                n.as_str() <= me,
                "{n} sorts after {me}: cargo would run its tests after peer_summary"
            );
        }
    }

    /// The `name = "..."` of a manifest's `[package]`.
    fn package_name(manifest: &str) -> String {
        let package = manifest.split("[package]").nth(1).unwrap();
        let line = package.lines().find(|l| l.starts_with("name")).unwrap();
        line.split('"').nth(1).unwrap().to_string()
    }

    #[test]
    fn summary_counts_and_names() {
        let s = summary_line(&[rec(Status::Skipped, "a::x"), rec(Status::Skipped, "b::y")]);
        assert_eq!(
            s,
            "2 peer tests skipped: a::x, b::y; missing peers: ASE (a Python that imports \
             ase.calculators.socketio); run scripts/test.sh to install the peers and run them"
        );
        let s = summary_line(&[rec(Status::Ran, "a::x"), rec(Status::Ran, "b::y")]);
        assert_eq!(
            s,
            "2 peer tests ran against their peers (ASE), none skipped"
        );
        assert_eq!(summary_line(&[]), "no peer test ran in this cargo run");
    }
}
