//! The whole MPMorph workflow with its forces from an i-PI client equals the same workflow with
//! the same potential computed in-process.
//!
//! The client is `scripts/ipi_client.py` (ASE 3.29's `SocketClient` around ASE's
//! `LennardJones`, σ 1.8 Å, ε 0.02 eV, rc 6 Å, `smooth=False`, i.e. energy shifted to zero at
//! rc); the in-process twin is amorph's LJ `ForceField` with the same parameters and shift. One
//! i-PI connection serves every stage through a `SharedCalculator`, as `amorph run --calculator`
//! does. Single evaluations agree to ~1e-12 (`amorph-md/tests/ipi_ase.rs` checks 1e-8); the
//! exchange goes through Bohr and Hartree, and those last-digit differences grow over the
//! ~1000 chaotic MD steps of the run as between any two MD codes (measured: 3e-9 Å after the
//! 3000 K equilibration, 2.5e-6 Å after the 1500 K production). So every stage's volume must
//! agree to 1e-7 relative, positions to 1e-4 Å and D(T) to 1e-6 relative (measured 8e-10); a wrong unit, a
//! missing virial or a mixed-up atom order would miss these by orders of magnitude.

#[path = "../../amorph-md/tests/ipi_common/mod.rs"]
mod ipi_common;

use amorph_core::{Calculator, Composition, Element, Lattice, SharedCalculator, Structure};
use amorph_md::ipi::{IpiAddress, IpiCalculator, IpiOptions};
use amorph_md::potential::{ForceField, PairPotential, PairTerm};
use amorph_morph::{AmorphMd, Config, Database};
use nalgebra::Vector3;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const SIGMA: f64 = 1.8;
const EPSILON: f64 = 0.02;
const RC: f64 = 6.0;
const FORMULA: &str = "Li2O";

fn lj() -> ForceField {
    let els = [
        Element::from_symbol("Li").unwrap(),
        Element::from_symbol("O").unwrap(),
    ];
    let mut pair = PairPotential::new("lj").with_shift(true);
    for (i, a) in els.iter().enumerate() {
        for b in &els[i..] {
            pair = pair
                .with_pair(
                    *a,
                    *b,
                    RC,
                    vec![PairTerm::LennardJones {
                        epsilon: EPSILON,
                        sigma: SIGMA,
                    }],
                )
                .unwrap();
        }
    }
    ForceField::new("lj").with_pair_potential(pair)
}

fn engine(chooser: Arc<dyn amorph_md::potential::PotentialChooser>, c: &Config) -> AmorphMd {
    AmorphMd::with_chooser(chooser, c)
}

fn fresh_db(dir: &Path, name: &str) -> Database {
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    Database::open(&path).unwrap()
}

/// The atoms the client holds: the packed cell's species in order (positions come with
/// every POSDATA, so zeros do here).
fn client_structure(dir: &Path, c: &Config) -> PathBuf {
    let counts = amorph_morph::cell_counts(FORMULA, c).unwrap();
    let species: Vec<Element> = counts
        .iter()
        .flat_map(|(e, n)| std::iter::repeat_n(*e, *n))
        .collect();
    let n = species.len();
    let s = Structure::new(
        Lattice::cubic(10.0).unwrap(),
        species,
        vec![Vector3::zeros(); n],
    )
    .unwrap();
    let path = dir.join("client.extxyz");
    amorph_core::io::write_structure(&path, &s).unwrap();
    path
}

fn run(engine: &AmorphMd, db: Database, c: &Config) {
    let outcomes = amorph_morph::Workflow::new(c.clone())
        .engine(engine)
        .run(&[FORMULA.to_string()], db)
        .unwrap();
    assert!(
        outcomes[0].result.is_ok(),
        "workflow failed: {:?}",
        outcomes[0].result
    );
}

#[test]
fn workflow_through_ipi_equals_the_in_process_potential() {
    let Some(python) =
        ipi_common::python_with_ase("workflow_through_ipi_equals_the_in_process_potential")
    else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("amorph-ipi-workflow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let c = Config::smoke();

    // In-process.
    let own: Arc<dyn amorph_md::potential::PotentialChooser> =
        Arc::new(|_: &Composition| Ok(Box::new(lj()) as Box<dyn Calculator>));
    run(&engine(own, &c), fresh_db(&dir, "own.db"), &c);

    // Through i-PI, one connection for all stages.
    let name = ipi_common::unique_name("workflow");
    let ipi = IpiCalculator::bind(
        IpiAddress::unix(&name),
        IpiOptions {
            connect_timeout: Duration::from_secs(60),
            reply_timeout: Duration::from_secs(60),
            ..Default::default()
        },
    )
    .unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/ipi_client.py");
    let structure = client_structure(&dir, &c);
    let client = Command::new(&python)
        .arg(script)
        .args(["--unix", &name, "--calc", "lj"])
        .arg("--structure")
        .arg(&structure)
        .args([
            "--sigma",
            &SIGMA.to_string(),
            "--epsilon",
            &EPSILON.to_string(),
        ])
        .args(["--rc", &RC.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start scripts/ipi_client.py");
    let shared = SharedCalculator::new(Box::new(ipi));
    let chooser: Arc<dyn amorph_md::potential::PotentialChooser> =
        Arc::new(move |_: &Composition| Ok(Box::new(shared.clone()) as Box<dyn Calculator>));
    let engine_ipi = engine(chooser, &c);
    run(&engine_ipi, fresh_db(&dir, "ipi.db"), &c);
    // Dropping the engine drops the last SharedCalculator, which tells the client to exit.
    drop(engine_ipi);
    let out = client.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "client failed: {stderr}");
    assert!(stderr.contains("calculations of 21 atoms"), "{stderr}");

    let own = Database::open(&dir.join("own.db")).unwrap();
    let ipi = Database::open(&dir.join("ipi.db")).unwrap();
    let (co, ci) = (own.compositions().unwrap(), ipi.compositions().unwrap());
    let stages: Vec<amorph_morph::Stage> = own
        .stages()
        .unwrap()
        .into_iter()
        .map(|s| s.stage)
        .filter(|s| {
            matches!(
                s,
                amorph_morph::Stage::Equilibrate(_) | amorph_morph::Stage::Production(_)
            )
        })
        .collect();
    assert!(stages.len() >= 4, "{stages:?}");
    for stage in &stages {
        let (a, _) = own.structure(co[0].id, *stage).unwrap().unwrap();
        let (b, _) = ipi.structure(ci[0].id, *stage).unwrap().unwrap();
        let (va, vb) = (a.volume(), b.volume());
        assert!(
            (va - vb).abs() < 1e-7 * va,
            "{stage}: volume {va} Å³ in-process, {vb} Å³ through i-PI"
        );
        let worst = a
            .positions()
            .iter()
            .zip(b.positions())
            .map(|(p, q)| (p - q).norm())
            .fold(0.0, f64::max);
        assert!(worst < 1e-4, "{stage}: positions differ by {worst:e} Å");
    }
    let d = |db: &Database, id| {
        db.diffusion(id)
            .unwrap()
            .into_iter()
            .map(|d| (d.temperature, d.diffusivity_cm2_s.unwrap()))
            .collect::<Vec<_>>()
    };
    let (da, db) = (d(&own, co[0].id), d(&ipi, ci[0].id));
    assert_eq!(da.len(), 2);
    for ((ta, a), (tb, b)) in da.iter().zip(&db) {
        assert_eq!(ta, tb);
        assert!((a - b).abs() <= 1e-6 * a.abs(), "D at {ta} K: {a} vs {b}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
