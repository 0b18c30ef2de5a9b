//! The workflow's control logic (DAG order, database, resume, failure isolation) with a fast
//! analytic engine in place of MD: P(V) = B·(V₀/V − 1) per atom, so the equilibrium volume is
//! known exactly.

use amorph_core::{Structure, Trajectory};
use amorph_morph::db::StageStatus;
use amorph_morph::results::{Skippable, StageResult};
use amorph_morph::{
    CompositionOutcome, Config, Database, Engine, MdOutcome, MdRequest, MorphError, Stage, Workflow,
};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Equilibrium volume per atom (Å³) and bulk modulus (bar) of the fake material.
const V_ATOM: f64 = 15.0;
const B: f64 = 2.0e5;
/// Activation energy of the fake Li walk (eV).
const EA: f64 = 0.3;

struct Analytic {
    calls: AtomicUsize,
    fail_on: Option<&'static str>,
}

impl Engine for Analytic {
    fn run(&self, req: &MdRequest<'_>) -> amorph_morph::Result<MdOutcome> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let s = req.structure;
        if let Some(sym) = self.fail_on {
            if s.species().iter().any(|e| e.symbol() == sym) {
                return Err(MorphError::Md(format!("fake calculator refuses {sym}")));
            }
        }
        let v0 = V_ATOM * s.len() as f64;
        let p = B * (v0 / s.volume() - 1.0);
        let n = (req.steps / 5) as usize;
        // Li random walk with an Arrhenius step size: variance per axis per frame
        // σ² = 1 Å² · exp(−EA/kT), the other atoms fixed.
        let trajectory = req.frame_interval.map(|k| {
            let mut t =
                Trajectory::new(s.species().to_vec(), s.lattice().clone(), 2.0 * k as f64).unwrap();
            let sigma = (-EA / (8.617333262e-5 * req.temperature)).exp().sqrt();
            let mut state = req.seed | 1;
            let mut gauss = || {
                // Sum of 12 uniforms − 6: unit variance, good enough for a walk.
                (0..12)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 11) as f64 / (1u64 << 53) as f64
                    })
                    .sum::<f64>()
                    - 6.0
            };
            let mut pos = s.positions().to_vec();
            for _ in 0..(req.steps / k) {
                for (p, e) in pos.iter_mut().zip(s.species()) {
                    if e.symbol() == "Li" {
                        *p += nalgebra::Vector3::new(gauss(), gauss(), gauss()) * sigma;
                    }
                }
                t.push_frame(pos.clone(), None).unwrap();
            }
            t
        });
        Ok(MdOutcome {
            structure: s.clone(),
            velocities: vec![nalgebra::Vector3::zeros(); s.len()],
            pressures_bar: vec![p; n],
            energies_ev: vec![-5.0 * s.len() as f64; n],
            trajectory,
            steps_per_second: 1e6,
        })
    }
}

fn small_config() -> Config {
    let mut c = Config::demo();
    c.temperatures = vec![2000.0, 1000.0];
    c.equilibration_steps = 20;
    c.production_steps = 800;
    c.frame_interval = 2;
    // The analytic Li walk has no repulsion: Li atoms pass through each other, which the
    // default like-ion floor rightly flags (see `untrusted_rows_leave_the_arrhenius_fit`).
    c.quality.like_ion_floor = 0.0;
    c
}

/// The workflow of `config` on the fake engine (progress reports ignored).
fn run(
    formulas: &[String],
    config: &Config,
    engine: &dyn Engine,
    db: Database,
    _report: &(dyn Fn(amorph_morph::Event) + Sync),
) -> amorph_morph::Result<Vec<CompositionOutcome>> {
    Workflow::new(config.clone())
        .engine(engine)
        .run(formulas, db)
}

fn formulas(f: &[&str]) -> Vec<String> {
    f.iter().map(|s| s.to_string()).collect()
}

#[test]
fn converges_resumes_and_isolates_failures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wf.db");
    let config = small_config();
    let engine = Analytic {
        calls: AtomicUsize::new(0),
        fail_on: Some("F"),
    };
    let out = run(
        &formulas(&["Li2O", "LiF"]),
        &config,
        &engine,
        Database::open(&path).unwrap(),
        &|_| {},
    )
    .unwrap();
    assert_eq!(out[0].result, Ok(17), "{out:?}");
    let err = out[1].result.clone().unwrap_err();
    assert!(err.contains("fake calculator refuses F"), "{err}");

    let db = Database::open(&path).unwrap();
    let li2o = db.composition("Li2O").unwrap().unwrap();
    assert_eq!(li2o.atoms, 102);
    // Every equilibration converged onto the analytic zero-pressure volume.
    let thermo = db.thermo(li2o.id).unwrap();
    assert_eq!(thermo.len(), 6);
    for (stage, t) in &thermo {
        // |P| < tolerance means |V/V0 − 1| ≲ tolerance/B for this material.
        let r = db.stage_result(li2o.id, *stage).unwrap();
        let allowed = 1.1 * config.pressure_tolerance_kbar * 1000.0 / B;
        assert!(
            (t.volume / (V_ATOM * 102.0) - 1.0).abs() < allowed,
            "{stage}: {} {r:?}",
            t.volume
        );
        if matches!(stage, Stage::Equilibrate(_)) {
            assert!(t.converged, "{stage}");
            assert!(t.pressure_bar.abs() < config.pressure_tolerance_kbar * 1000.0);
        }
    }
    let (traj, temp) = db
        .trajectory(li2o.id, Stage::Production(1000.0))
        .unwrap()
        .unwrap();
    assert_eq!(temp, 1000.0);
    assert_eq!(traj.n_frames(), 400);
    // Diffusion at every temperature and the Arrhenius fit of the anneals recover the walk.
    let d = db.diffusion(li2o.id).unwrap();
    assert_eq!(d.len(), 3);
    let arr = db.arrhenius(li2o.id).unwrap().expect("arrhenius row");
    assert!((arr.ea_ev - EA).abs() < 0.05, "{arr:?}");
    let feats = db.features(li2o.id).unwrap();
    assert_eq!(feats.len(), 3);
    assert!((feats[0].1.get("Li_percentage").unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(traj.n_atoms(), 102);
    // The failed composition is marked with its error.
    let stages = db.stages().unwrap();
    let failed: Vec<_> = stages
        .iter()
        .filter(|s| s.status == StageStatus::Failed)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].formula, "LiF");
    assert_eq!(failed[0].stage, Stage::Equilibrate(5000.0));
    drop(db);

    // A rerun redoes nothing that is done.
    let calls_before = engine.calls.load(Ordering::SeqCst);
    let ok_engine = Analytic {
        calls: AtomicUsize::new(0),
        fail_on: None,
    };
    let out = run(
        &formulas(&["Li2O"]),
        &config,
        &ok_engine,
        Database::open(&path).unwrap(),
        &|_| {},
    )
    .unwrap();
    assert_eq!(out[0].result, Ok(0));
    assert_eq!(ok_engine.calls.load(Ordering::SeqCst), 0);
    assert!(calls_before > 0);

    // The failed composition resumes at its failed stage once the engine works.
    let out = run(
        &formulas(&["LiF"]),
        &config,
        &ok_engine,
        Database::open(&path).unwrap(),
        &|_| {},
    )
    .unwrap();
    assert_eq!(out[0].result, Ok(16), "pack was already done: {out:?}");
}

#[test]
fn interrupted_stage_is_redone_identically() {
    let dir = tempfile::tempdir().unwrap();
    let config = small_config();
    let engine = Analytic {
        calls: AtomicUsize::new(0),
        fail_on: None,
    };
    let a = dir.path().join("a.db");
    run(
        &formulas(&["Li2Si2O5"]),
        &config,
        &engine,
        Database::open(&a).unwrap(),
        &|_| {},
    )
    .unwrap();

    // Simulate a crash in the middle of production@2000K: its row says running, nothing stored.
    let b = dir.path().join("b.db");
    std::fs::copy(&a, &b).unwrap();
    let db = Database::open(&b).unwrap();
    let id = db.composition("Li2Si2O5").unwrap().unwrap().id;
    db.mark_running(id, Stage::Production(2000.0)).unwrap();
    drop(db);
    let out = run(
        &formulas(&["Li2Si2O5"]),
        &config,
        &engine,
        Database::open(&b).unwrap(),
        &|_| {},
    )
    .unwrap();
    assert_eq!(out[0].result, Ok(1));
    let (ta, _) = Database::open(&a)
        .unwrap()
        .trajectory(id, Stage::Production(2000.0))
        .unwrap()
        .unwrap();
    let (tb, _) = Database::open(&b)
        .unwrap()
        .trajectory(id, Stage::Production(2000.0))
        .unwrap()
        .unwrap();
    assert_eq!(ta, tb);
    let sa: Structure = Database::open(&a)
        .unwrap()
        .structure(id, Stage::Production(1000.0))
        .unwrap()
        .unwrap()
        .0;
    let sb: Structure = Database::open(&b)
        .unwrap()
        .structure(id, Stage::Production(1000.0))
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(sa, sb);
}

#[test]
fn bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Analytic {
        calls: AtomicUsize::new(0),
        fail_on: None,
    };
    let db = Database::open(&dir.path().join("x.db")).unwrap();
    let err = run(&formulas(&["Xx2O"]), &small_config(), &engine, db, &|_| {}).unwrap_err();
    assert!(err.to_string().contains("Xx"), "{err}");
    let mut bad = small_config();
    bad.time_step_fs = 0.0;
    let db = Database::open(&dir.path().join("y.db")).unwrap();
    assert!(run(&formulas(&["Li2O"]), &bad, &engine, db, &|_| {}).is_err());
    std::fs::write(dir.path().join("z.db"), b"this is not sqlite").unwrap();
    assert!(Database::open(&dir.path().join("z.db")).is_err());
}

#[test]
fn untrusted_rows_leave_the_arrhenius_fit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wf.db");
    let mut config = small_config();
    config.quality = Default::default();
    let engine = Analytic {
        calls: AtomicUsize::new(0),
        fail_on: None,
    };
    run(
        &formulas(&["Li2O"]),
        &config,
        &engine,
        Database::open(&path).unwrap(),
        &|_| {},
    )
    .unwrap();
    let db = Database::open(&path).unwrap();
    let id = db.composition("Li2O").unwrap().unwrap().id;
    let quality = db.quality(id).unwrap();
    assert_eq!(quality.len(), 3);
    for q in &quality {
        // The walkers overlap: every row is flagged with the reason, none is trusted.
        assert!(!q.trusted(), "{q:?}");
        assert!(
            q.note().contains("like ions as close as Li–Li"),
            "{}",
            q.note()
        );
        assert!(q.convergence.converged && q.physical);
    }
    assert!(db.arrhenius(id).unwrap().is_none());
    let Some(StageResult::Arrhenius(Skippable::Skipped { skipped, excluded })) =
        db.stage_result(id, Stage::Arrhenius).unwrap()
    else {
        panic!("the Arrhenius stage was not skipped")
    };
    assert!(skipped.contains("0 trusted"), "{skipped}");
    assert_eq!(excluded.len(), 2, "{excluded:?}");
    let rows = db.export().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r.trusted == Some(false) && r.ea_ev.is_none())
    );
}

/// A calculator that cannot give the stress is refused before any MD, and nothing is written.
#[test]
fn calculators_without_stress_are_refused_up_front() {
    use amorph_core::{Calculation, Calculator, Capabilities, Composition, Request};
    struct NoStress;
    impl Calculator for NoStress {
        fn name(&self) -> &str {
            "no-stress"
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::FORCES_ONLY
        }
        fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
            Ok(Calculation::new(
                0.0,
                vec![nalgebra::Vector3::zeros(); s.len()],
            ))
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let workflow = Workflow::new(small_config())
        .calculator(|_: &Composition| Ok(Box::new(NoStress) as Box<dyn Calculator>));
    let e = workflow
        .preflight(&formulas(&["Li2O"]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("no-stress") && e.contains("stress"), "{e}");
    let db = Database::open(&path).unwrap();
    assert!(workflow.run(&formulas(&["Li2O"]), db).is_err());
    assert!(
        Database::open(&path)
            .unwrap()
            .compositions()
            .unwrap()
            .is_empty()
    );
}
