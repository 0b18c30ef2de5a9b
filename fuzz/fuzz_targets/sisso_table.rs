//! Fuzz target: `amorph_sisso::Table::parse` (the table of `amorph sisso`) and the dataset
//! built from it must return Ok or a typed error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(t) = amorph_sisso::Table::parse(text, "fuzz-input") else {
        return;
    };
    let config = amorph_sisso::Config::default();
    if let Some(target) = t.names.first() {
        let _ = amorph_sisso::Dataset::from_table(&t, target, &config);
    }
    let _ = t.resolve_rows(&t.ids);
});
