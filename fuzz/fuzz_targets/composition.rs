//! Fuzz target: `Composition::parse` (the formulas of `amorph pack`, `amorph run`,
//! `amorph potential` and the paper table) must return Ok or a typed error, never panic or
//! hang; what it returns must print and count into a cell (`amorph pack`'s next step).
#![no_main]

use amorph_core::Composition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = Composition::parse(text) {
        let _ = c.formula();
        let _ = c.reduced_formula_and_factor();
        let _ = c.integer_formula_and_factor();
        let _ = c.anonymized_formula();
        let _ = c.weight();
        let _ = c.fractions();
        let amounts: Vec<_> = c.iter().collect();
        let _ = amorph_build::cell_counts(&amounts, 100);
    }
});
