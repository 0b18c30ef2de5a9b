//! The MPMorph workflow with its forces from an ASE calculator behind i-PI.
//!
//! Run it with `cargo run --example ipi_recipe` (a few seconds; needs a Python with ASE:
//! `$AMORPH_PYTHON`, else the active virtual environment's, the project's `.venv` made by
//! `scripts/test.sh`, or `python3`). It melts and anneals a 21-atom Li2O cell through every
//! workflow stage (pack, melt at 3000 K, anneal and production at 1500 K, features, diffusion,
//! Arrhenius) with the `smoke` preset's tiny settings, while a Python process computes every force with ASE's
//! Lennard-Jones calculator — a stand-in for any ASE calculator.
//!
//! # The recipe
//!
//! amorph is the i-PI **server**: it owns the dynamics and sends cell and positions; the client
//! owns the atoms and the calculator. The protocol never sends species, so the client must hold
//! the atoms amorph moves, in the same order — for the workflow, those of
//! `amorph pack FORMULA --atoms TARGET` (the same counts and order the workflow packs).
//!
//! From the command line, with CHGNet (`pip install ase chgnet`; its weights ship in the wheel):
//!
//! ```text
//! amorph pack Li2O --atoms 100 -o li2o.extxyz
//! amorph run Li2O --preset demo --calculator ipi:unix:li2o --db chgnet.db &
//! python scripts/ipi_client.py --unix li2o --structure li2o.extxyz --calc chgnet
//! amorph export --db chgnet.db
//! ```
//!
//! `scripts/ipi_client.py` wraps any ASE calculator (`--calc lj|emt|chgnet`; add yours in
//! `make_calculator`) in ASE's `SocketClient` with `use_stress=True` (without it ASE sends a
//! zero virial and the workflow's pressure search would be wrong). In code, as below: bind an
//! [`IpiCalculator`], share it between the stages with [`SharedCalculator`], and give the
//! workflow a chooser that hands out clones. One client serves one composition; run one
//! `amorph run` (and one client) per formula.

use amorph::core::{Calculator, Composition, Element, Lattice, SharedCalculator, Structure};
use amorph::md::ipi::{IpiAddress, IpiCalculator, IpiOptions};
use amorph::md::potential::PotentialChooser;
use amorph::morph::{AmorphMd, Config, Database, Event, Workflow};
use nalgebra::Vector3;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const FORMULA: &str = "Li2O";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A Python with ASE: `$AMORPH_PYTHON`, else the active venv's, the project's `.venv`, or
    // `python3`. Under `cargo test` without one this prints a SKIPPED line and returns (and
    // fails instead where peers are required: `scripts/test.sh`, CI).
    let Some(python) = amorph_testkit::python_with_ase("ipi_recipe") else {
        return Ok(());
    };

    // The `smoke` preset: every stage on a 21-atom cell in seconds (not for science).
    let config = Config::smoke();
    let dir = std::env::temp_dir().join(format!("amorph-ipi-recipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;

    // 1. The client's atoms: the packed cell's species in the workflow's order (positions
    //    arrive with every step; `amorph pack` writes the same file from the command line).
    let counts = amorph::morph::cell_counts(FORMULA, &config)?;
    let species: Vec<Element> = counts
        .iter()
        .flat_map(|(e, n)| std::iter::repeat_n(*e, *n))
        .collect();
    let n = species.len();
    let atoms = dir.join("client.extxyz");
    amorph::core::io::write_structure(
        &atoms,
        &Structure::new(Lattice::cubic(10.0)?, species, vec![Vector3::zeros(); n])?,
    )?;

    // 2. The server, then the client (ASE Lennard-Jones; `--calc chgnet` for CHGNet).
    let name = format!("amorph-recipe-{}", std::process::id());
    let ipi = IpiCalculator::bind(
        IpiAddress::unix(&name),
        IpiOptions {
            connect_timeout: Duration::from_secs(60),
            ..Default::default()
        },
    )?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/ipi_client.py");
    let client = Command::new(&python)
        .arg(script)
        .args(["--unix", &name, "--calc", "lj"])
        .args(["--sigma", "1.8", "--epsilon", "0.02", "--rc", "6"])
        .arg("--structure")
        .arg(&atoms)
        .stderr(Stdio::piped())
        .spawn()?;

    // 3. The workflow, every stage asking the one shared connection.
    let shared = SharedCalculator::new(Box::new(ipi));
    let chooser: Arc<dyn PotentialChooser> =
        Arc::new(move |_: &Composition| Ok(Box::new(shared.clone()) as Box<dyn Calculator>));
    let engine = AmorphMd::with_chooser(chooser, &config);
    let db_path = dir.join("recipe.db");
    let _ = std::fs::remove_file(&db_path);
    let report = |e: Event| {
        if let Event::Finished { stage, seconds, .. } = e {
            println!("  {stage:<20} {seconds:6.2} s");
        }
    };
    let outcomes = Workflow::new(config.clone())
        .engine(&engine)
        .on_event(report)
        .run(&[FORMULA.to_string()], Database::open(&db_path)?)?;
    drop(engine); // the last clone goes: the server tells the client to exit
    let out = client.wait_with_output()?;
    print!("{}", String::from_utf8_lossy(&out.stderr));
    if let Err(e) = &outcomes[0].result {
        return Err(format!("{FORMULA}: {e}").into());
    }

    // 4. What the database holds: D(T) computed from forces that came over the socket.
    let db = Database::open(&db_path)?;
    let id = db.compositions()?[0].id;
    for d in db.diffusion(id)? {
        println!(
            "{FORMULA} at {} K: D(Li) = {:?} cm²/s",
            d.temperature, d.diffusivity_cm2_s
        );
    }
    if db.diffusion(id)?.len() != 2 || !out.status.success() {
        return Err("expected D at 3000 K and 1500 K and a client that exited cleanly".into());
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
