//! The last test binary of `cargo test --workspace` (see this crate's `Cargo.toml`): reports
//! on every peer and ends the run's test output with one line counting its peer tests, naming
//! the skipped ones, the missing peers and how to run them. `harness = false`, so libtest
//! captures nothing and the lines always show. It fails nothing: the peer tests themselves do
//! when peers are required.

use amorph_testkit::{LOG_VAR, PEERS, read_records, record_dir, remove_stale_records, say};

fn main() {
    // `cargo test -- --list` asks every test binary for its tests: this one has none.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = record_dir();
    let records = read_records(&dir);
    for p in PEERS {
        match (p.probe)() {
            Ok(found) => say(&format!("peer {}: found ({found})", p.name)),
            Err(why) => say(&format!("peer {}: missing ({why})", p.name)),
        }
    }
    say(&amorph_testkit::summary_line(&records));
    // The directory of this cargo run is ours to clear, unless scripts/test.sh chose it (it
    // prints the same count again after the doc-tests).
    if std::env::var_os(LOG_VAR).is_none() {
        let _ = std::fs::remove_dir_all(&dir);
        remove_stale_records(&dir);
    }
}
