//! Fuzz target: `amorph_md::ipi::IpiAddress::parse` (`--calculator ipi:unix:NAME|tcp:PORT`)
//! must return Ok or a typed error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(a) = amorph_md::ipi::IpiAddress::parse(text) {
        let _ = a.to_string();
    }
});
