//! Fuzz target: `amorph_core::io::xdatcar::read` must return Ok or a typed error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = amorph_core::io::xdatcar::read(data, "fuzz-input");
});
