//! Fuzz target: `amorph_morph::import::parse_paper_table` (the table of `amorph import` and
//! `amorph fidelity`) must return Ok or a typed error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = amorph_morph::import::parse_paper_table(text, Path::new("fuzz-input"));
});
