//! Fuzz target: the checkpoint JSON of `amorph md --resume` (`Checkpoint::from_json`, what
//! `Checkpoint::read` parses), then what the command does with it: rebuild the thermostat,
//! resume the run (with a zero-force calculator) and take two steps. Ok or a typed error,
//! never a panic.
#![no_main]

use amorph_core::{Calculation, Calculator, Request, Result, Structure};
use amorph_md::dynamics::{Checkpoint, Md};
use libfuzzer_sys::fuzz_target;
use nalgebra::Vector3;
use std::path::Path;

struct Zero;

impl Calculator for Zero {
    fn name(&self) -> &str {
        "zero"
    }
    fn calculate(&mut self, s: &Structure, _: Request) -> Result<Calculation> {
        Ok(Calculation::new(0.0, vec![Vector3::zeros(); s.len()]).with_stress([0.0; 6]))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(ck) = Checkpoint::from_json(data, Path::new("fuzz-input")) else {
        return;
    };
    // Keep the two MD steps cheap: the target is the parser and the checks on resume.
    if ck.structure.len() > 256 {
        return;
    }
    let Ok(thermostat) = ck.thermostat() else {
        return;
    };
    if let Ok(mut md) = Md::resume(ck, Box::new(Zero), thermostat) {
        let _ = md.run(2);
    }
});
