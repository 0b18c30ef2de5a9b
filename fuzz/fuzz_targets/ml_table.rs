//! Fuzz target: `amorph_ml::Table::parse` (the tables of `amorph train`, `predict`, `plot`,
//! `report`) and the column accessors the commands call next must return Ok or a typed
//! error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(t) = amorph_ml::Table::parse(text, "fuzz-input") else {
        return;
    };
    let _ = t.row_ids();
    let _ = t.text_columns();
    let numeric = t.numeric_columns();
    let _ = t.matrix(&numeric);
    for name in t.names.clone() {
        let _ = t.column(&name);
        let _ = t.text_column(&name);
        let _ = t.feature_names(&name);
    }
});
