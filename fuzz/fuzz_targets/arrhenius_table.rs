//! Fuzz target: `amorph_diffusion::arrhenius::parse_table` (the table of `amorph arrhenius`)
//! and the per-group fits the command makes of it: Ok or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rows) = amorph_diffusion::arrhenius::parse_table(text) {
        if let Ok(fits) = amorph_diffusion::arrhenius::fit_groups(&rows) {
            for (_, f) in fits {
                let _ = f.extrapolate(300.0);
            }
        }
    }
});
