//! Fuzz target: `amorph_morph::Config::from_toml_str` (the `--config` TOML of `amorph run`)
//! must return Ok or a typed error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = amorph_morph::Config::from_toml_str(text);
});
