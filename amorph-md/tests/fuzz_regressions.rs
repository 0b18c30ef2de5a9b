//! Checkpoints that crashed `amorph md --resume` under `cargo fuzz` (target `md_checkpoint`,
//! see `fuzz/README.md`), kept as regression tests: every file under
//! `tests/fuzz_regressions/md_checkpoint/` must be refused with a typed error by
//! `Checkpoint::from_json`, `Checkpoint::thermostat` or `Md::resume`, never panic in the run.

use amorph_core::{Calculation, Calculator, Request, Structure};
use amorph_md::dynamics::{Checkpoint, Md};
use nalgebra::Vector3;
use std::path::Path;

struct Zero;

impl Calculator for Zero {
    fn name(&self) -> &str {
        "zero"
    }
    fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
        Ok(Calculation::new(0.0, vec![Vector3::zeros(); s.len()]).with_stress([0.0; 6]))
    }
}

/// What the fuzz target does: parse, rebuild the thermostat, resume, two steps.
fn resume(bytes: &[u8], name: &str) -> Result<(), String> {
    let ck = Checkpoint::from_json(bytes, Path::new(name)).map_err(|e| e.to_string())?;
    let th = ck.thermostat().map_err(|e| e.to_string())?;
    let mut md = Md::resume(ck, Box::new(Zero), th).map_err(|e| e.to_string())?;
    md.run(2).map_err(|e| e.to_string())
}

#[test]
fn checkpoints_that_crashed_resume() {
    let inputs =
        amorph_testkit::fuzz_regression_inputs(env!("CARGO_MANIFEST_DIR"), "md_checkpoint");
    assert!(!inputs.is_empty());
    for (name, bytes) in inputs {
        assert!(resume(&bytes, &name).is_err(), "{name}: resumed");
    }
}

/// Breaks one part of a checkpoint's JSON.
type Breaker = Box<dyn Fn(&mut serde_json::Value)>;

/// A valid NPT checkpoint (8 LiF, NHC thermostat, C-rescale barostat) with one part broken
/// at a time, as the fuzzer broke them: each is refused on resume, naming what is wrong.
#[test]
fn broken_checkpoint_parts_are_refused() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/npt_checkpoint.json");
    let good: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let text = serde_json::to_vec(&good).unwrap();
    resume(&text, "good.json").unwrap();
    let cases: Vec<(&str, Breaker)> = vec![
        // The first crash: chain momenta longer than the chain (index out of bounds).
        (
            "chain momenta",
            Box::new(|v| {
                v["thermostat_state"]["p"]
                    .as_array_mut()
                    .unwrap()
                    .push(4.0.into())
            }),
        ),
        // A chain looped 10¹⁵ times per half step (a hang).
        (
            "nhc loops",
            Box::new(|v| v["thermostat_state"]["loops"] = 1_000_000_000_000_000u64.into()),
        ),
        (
            "nhc order",
            Box::new(|v| v["thermostat_state"]["order"] = 2.into()),
        ),
        (
            "nhc temperature",
            Box::new(|v| v["thermostat_state"]["temperature"] = (-1.0).into()),
        ),
        // Species and positions of different lengths (indexing past the positions).
        (
            "species but",
            Box::new(|v| {
                v["structure"]["species"]
                    .as_array_mut()
                    .unwrap()
                    .pop()
                    .map(drop)
                    .unwrap()
            }),
        ),
        (
            "velocities",
            Box::new(|v| {
                v["velocities"]
                    .as_array_mut()
                    .unwrap()
                    .pop()
                    .map(drop)
                    .unwrap()
            }),
        ),
        // A barostat moving every 0 steps (division by zero).
        (
            "barostat interval",
            Box::new(|v| v["barostat"]["interval"] = 0.into()),
        ),
        (
            "barostat tau",
            Box::new(|v| v["barostat"]["tau"] = 0.0.into()),
        ),
        (
            "barostat compressibility",
            Box::new(|v| v["barostat"]["compressibility"] = (-1.0).into()),
        ),
        // Velocity rescaling every 0 steps (division by zero).
        (
            "rescale interval",
            Box::new(|v| {
                v["thermostat"] = "rescale".into();
                v["thermostat_state"] = serde_json::json!({"temperature": 300.0, "window": 10.0, "interval": 0, "count": 0});
            }),
        ),
        (
            "csvr tau",
            Box::new(|v| {
                v["thermostat"] = "csvr".into();
                let rng = v["barostat"]["rng"].clone();
                v["thermostat_state"] =
                    serde_json::json!({"temperature": 300.0, "tau": -5.0, "rng": rng});
            }),
        ),
    ];
    for (what, break_it) in cases {
        let mut v = good.clone();
        break_it(&mut v);
        let e = resume(&serde_json::to_vec(&v).unwrap(), "broken.json").unwrap_err();
        let words = what.split(' ').next().unwrap();
        assert!(e.contains(words), "{what}: {e}");
    }
}
