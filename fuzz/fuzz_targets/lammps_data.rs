//! Fuzz target: `amorph_core::io::lammps_data::read` must return Ok or a typed error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = amorph_core::io::lammps_data::read(data, "fuzz-input");
});
