//! The MPMorph workflow as a petgraph DAG of stages, executed in topological order with every
//! stage checkpointed in the database.

use crate::config::Config;
use crate::db::{Database, StageOutput, StageStatus, ThermoSummary};
use crate::engine::{AmorphMd, Engine, MdRequest, energy_drift, last_half_mean};
use crate::eos::{
    dense_bracket, fit_zero_pressure_volume, interpolate_zero, newton_volume, rescale_volume,
};
use crate::quality::{Convergence, Quality, plausibility};
use crate::results::{
    CheckResult, ConvergenceRun, DiffusionSummary, EquilibrationResult, PackResult,
    ProductionResult, Skippable, StageResult, V0Method, VolumeStep,
};
use crate::{MorphError, Result};
use amorph_core::rng::derive_seed;
use amorph_core::{Composition, Element, Lattice, Structure};
use amorph_features::{Featurizer, PaperFeaturizer, Settings};
use amorph_md::potential::Choice;
use amorph_md::potential::PotentialChooser;
use nalgebra::Vector3;
use petgraph::algo::toposort;
use petgraph::graph::DiGraph;
use rayon::prelude::*;
use std::sync::Arc;
use std::sync::Mutex;

/// One stage of the per-composition workflow. Serialised as its name (`production@1000K`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Stage {
    /// Random periodic packing at the estimated density.
    Pack,
    /// NVT volume equilibration at a temperature: P(V) scan, Birch–Murnaghan fit,
    /// extrapolation, then the pressure-rescale convergence loop.
    Equilibrate(f64),
    /// NVT production run at the equilibrated volume; stores the trajectory.
    Production(f64),
    /// Li diffusion from a production trajectory (amorph-diffusion: pymatgen-compatible D and
    /// the covariance-aware GLS D with σ).
    Diffusion(f64),
    /// Arrhenius fit of the anneal temperatures' diffusivities: Ea ± σ, D₀, D(300 K) ± σ.
    Arrhenius,
    /// The paper's features of the last production frame at a temperature.
    Features(f64),
    /// Whether the production at a temperature can be trusted: the volume search's
    /// convergence and the state's plausibility ([`crate::quality`]).
    Check(f64),
    /// A composition imported from a published table ([`crate::import`]); not part of the
    /// workflow's graph.
    Import,
}

impl Stage {
    /// The stage's name in the database (`pack`, `equilibrate@5000K`, `production@1000K`).
    pub fn name(&self) -> String {
        match self {
            Stage::Pack => "pack".into(),
            Stage::Equilibrate(t) => format!("equilibrate@{t}K"),
            Stage::Production(t) => format!("production@{t}K"),
            Stage::Diffusion(t) => format!("diffusion@{t}K"),
            Stage::Arrhenius => "arrhenius".into(),
            Stage::Features(t) => format!("features@{t}K"),
            Stage::Check(t) => format!("check@{t}K"),
            Stage::Import => "import".into(),
        }
    }
}

impl std::str::FromStr for Stage {
    type Err = MorphError;
    /// Parses a stage name as [`Stage::name`] writes it.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || MorphError::Config(format!("'{s}' is not a stage name"));
        let at = |rest: &str| -> Result<f64> {
            rest.strip_suffix('K')
                .and_then(|t| t.parse::<f64>().ok())
                .filter(|t| t.is_finite())
                .ok_or_else(bad)
        };
        Ok(match s.split_once('@') {
            None => match s {
                "pack" => Stage::Pack,
                "arrhenius" => Stage::Arrhenius,
                "import" => Stage::Import,
                _ => return Err(bad()),
            },
            Some(("equilibrate", t)) => Stage::Equilibrate(at(t)?),
            Some(("production", t)) => Stage::Production(at(t)?),
            Some(("diffusion", t)) => Stage::Diffusion(at(t)?),
            Some(("features", t)) => Stage::Features(at(t)?),
            Some(("check", t)) => Stage::Check(at(t)?),
            Some(_) => return Err(bad()),
        })
    }
}

impl TryFrom<String> for Stage {
    type Error = MorphError;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<Stage> for String {
    fn from(s: Stage) -> String {
        s.name()
    }
}

impl std::fmt::Display for Stage {
    /// The stage's name; honours width and alignment (`{:<22}` in `amorph status`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&self.name())
    }
}

/// The stage graph of one composition: pack → equilibrate(melt) → production(melt) →
/// for each anneal temperature T: equilibrate(T) → production(T); every anneal starts from the
/// last frame of the melt production (an instant quench), as the paper describes. Each
/// production feeds a diffusion, a features and a check stage; the anneal diffusions and
/// checks feed the Arrhenius fit, which uses the trusted temperatures only.
pub fn stage_graph(config: &Config) -> DiGraph<Stage, ()> {
    let mut g = DiGraph::new();
    let pack = g.add_node(Stage::Pack);
    let eq = g.add_node(Stage::Equilibrate(config.melt_temperature));
    let prod = g.add_node(Stage::Production(config.melt_temperature));
    g.add_edge(pack, eq, ());
    g.add_edge(eq, prod, ());
    let analyse = |g: &mut DiGraph<Stage, ()>, p, t| {
        let d = g.add_node(Stage::Diffusion(t));
        let f = g.add_node(Stage::Features(t));
        let c = g.add_node(Stage::Check(t));
        g.add_edge(p, d, ());
        g.add_edge(p, f, ());
        g.add_edge(p, c, ());
        (d, c)
    };
    analyse(&mut g, prod, config.melt_temperature);
    let arrhenius = g.add_node(Stage::Arrhenius);
    for &t in &config.temperatures {
        let e = g.add_node(Stage::Equilibrate(t));
        let p = g.add_node(Stage::Production(t));
        g.add_edge(prod, e, ());
        g.add_edge(e, p, ());
        let (d, c) = analyse(&mut g, p, t);
        g.add_edge(d, arrhenius, ());
        g.add_edge(c, arrhenius, ());
    }
    g
}

/// What the workflow reports while it runs.
#[derive(Debug, Clone)]
pub enum Event {
    /// A stage started.
    Started {
        /// Composition.
        formula: String,
        /// The stage.
        stage: Stage,
        /// Index of the stage in the composition's order, and the number of stages.
        index: usize,
        /// Number of stages of the composition.
        total: usize,
    },
    /// A stage was already done in the database and was skipped.
    Skipped {
        /// Composition.
        formula: String,
        /// The stage.
        stage: Stage,
    },
    /// A stage finished.
    Finished {
        /// Composition.
        formula: String,
        /// The stage.
        stage: Stage,
        /// Wall time (s).
        seconds: f64,
    },
    /// A stage failed; the composition stops, the others go on.
    Failed {
        /// Composition.
        formula: String,
        /// The stage.
        stage: Stage,
        /// The error.
        error: String,
    },
}

/// The outcome for one composition.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositionOutcome {
    /// The formula.
    pub formula: String,
    /// `Ok(stages run now)` or the error that stopped it.
    pub result: std::result::Result<usize, String>,
}

/// The seed of one use within the workflow: [`derive_seed`] over (formula, stage name, index),
/// so every stage of every composition has its own stream whatever order they run in. A
/// composition's own seed (stored in the database) is that of stage `""`, index 0.
fn workflow_seed(master: u64, formula: &str, stage: &str, index: u64) -> u64 {
    derive_seed(master, &[formula.into(), stage.into(), index.into()])
}

/// The MPMorph workflow, assembled from a configuration and its parts: the engine (by default
/// [`AmorphMd::from_config`], or a user's in-process calculator through
/// [`Workflow::calculator`]), the featurizer of the feature stages (by default the paper's) and
/// a progress callback.
///
/// ```no_run
/// use amorph_morph::{Config, Database, Workflow};
/// let workflow = Workflow::new(Config::demo()).on_event(|e| eprintln!("{e:?}"));
/// let db = Database::open("amorph.db".as_ref()).unwrap();
/// let outcomes = workflow.run(&["Li2O".to_string()], db).unwrap();
/// assert!(outcomes[0].result.is_ok());
/// ```
pub struct Workflow<'a> {
    config: Config,
    engine: EngineSlot<'a>,
    featurizer: Box<dyn Featurizer + 'a>,
    report: Box<dyn Fn(Event) + Sync + 'a>,
}

/// Where a workflow's engine comes from.
enum EngineSlot<'a> {
    /// [`AmorphMd::from_config`], built when the workflow runs.
    FromConfig,
    /// An engine the workflow owns.
    Owned(Box<dyn Engine + 'a>),
    /// An engine the caller keeps.
    Borrowed(&'a dyn Engine),
}

impl<'a> Workflow<'a> {
    /// The workflow of `config` with the configured potential, the paper's featurizer and no
    /// progress reports.
    pub fn new(config: Config) -> Self {
        Workflow {
            config,
            engine: EngineSlot::FromConfig,
            featurizer: Box::new(PaperFeaturizer::new(Settings::default())),
            report: Box::new(|_| {}),
        }
    }

    /// Runs MD with this engine (an implementation of [`Engine`], e.g. a test double or a
    /// driver of another MD code), borrowed.
    pub fn engine(mut self, engine: &'a dyn Engine) -> Self {
        self.engine = EngineSlot::Borrowed(engine);
        self
    }

    /// Runs MD with amorph-md and this chooser of calculators: a user's in-process
    /// [`amorph_core::Calculator`], e.g. `|_: &Composition| Ok(Box::new(MyCalc) as Box<dyn
    /// Calculator>)`, or a [`amorph_md::potential::DefaultChooser`] with other settings.
    pub fn calculator(mut self, chooser: impl PotentialChooser + 'static) -> Self {
        self.engine = EngineSlot::Owned(Box::new(AmorphMd::with_chooser(
            Arc::new(chooser),
            &self.config,
        )));
        self
    }

    /// Computes the feature stages with this featurizer instead of the paper's.
    pub fn featurizer(mut self, featurizer: impl Featurizer + 'a) -> Self {
        self.featurizer = Box::new(featurizer);
        self
    }

    /// Calls `report` on every stage event (started, skipped, finished, failed).
    pub fn on_event(mut self, report: impl Fn(Event) + Sync + 'a) -> Self {
        self.report = Box::new(report);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn with_engine<T>(&self, f: impl FnOnce(&dyn Engine) -> Result<T>) -> Result<T> {
        match &self.engine {
            EngineSlot::FromConfig => f(&AmorphMd::from_config(&self.config)?),
            EngineSlot::Owned(e) => f(e.as_ref()),
            EngineSlot::Borrowed(e) => f(*e),
        }
    }

    /// Checks, before anything is written or simulated, that the configuration is valid and
    /// that the engine can simulate every formula ([`Engine::preflight`]: a composition that
    /// no potential covers, or a calculator without stress, is refused here with its one-line
    /// reason). Returns each formula's choice of potential.
    pub fn preflight(&self, formulas: &[String]) -> Result<Vec<Choice>> {
        self.with_engine(|engine| preflight(formulas, &self.config, engine))
    }

    /// Runs the workflow for `formulas` into `db`, compositions in parallel, skipping every
    /// stage the database already holds as done (so an interrupted run resumes where it
    /// stopped). Nothing is written when the [`Workflow::preflight`] refuses a formula.
    pub fn run(&self, formulas: &[String], db: Database) -> Result<Vec<CompositionOutcome>> {
        self.with_engine(|engine| {
            let ctx = Ctx {
                config: &self.config,
                engine,
                featurizer: self.featurizer.as_ref(),
                report: self.report.as_ref(),
            };
            run(formulas, &ctx, db)
        })
    }
}

/// What every stage of a run shares.
struct Ctx<'c> {
    config: &'c Config,
    engine: &'c dyn Engine,
    featurizer: &'c dyn Featurizer,
    report: &'c (dyn Fn(Event) + Sync),
}

fn preflight(formulas: &[String], config: &Config, engine: &dyn Engine) -> Result<Vec<Choice>> {
    config.validate()?;
    formulas
        .iter()
        .map(|f| engine.preflight(&Composition::parse(f)?))
        .collect()
}

fn run(formulas: &[String], ctx: &Ctx<'_>, db: Database) -> Result<Vec<CompositionOutcome>> {
    let config = ctx.config;
    let choices = preflight(formulas, config, ctx.engine)?;
    db.add_run(config)?;
    // Register every composition first so that `amorph status` lists them all at once.
    let mut rows = Vec::new();
    for (f, choice) in formulas.iter().zip(&choices) {
        let comp = Composition::parse(f)?;
        let atoms = cell_counts(f, config)?.iter().map(|c| c.1).sum();
        let seed = workflow_seed(config.seed, f, "", 0);
        let row = db.add_composition(f, &comp.reduced_formula(), atoms, seed, config)?;
        db.set_potential(row.id, choice)?;
        rows.push((row, choice.clone()));
    }
    let db = Mutex::new(db);
    let outcomes = rows
        .par_iter()
        .map(|(row, choice)| {
            let result = run_composition(row.id, &row.formula, choice, ctx, &db);
            CompositionOutcome {
                formula: row.formula.clone(),
                result: result.map_err(|e| e.to_string()),
            }
        })
        .collect();
    Ok(outcomes)
}

fn run_composition(
    id: i64,
    formula: &str,
    choice: &Choice,
    ctx: &Ctx<'_>,
    db: &Mutex<Database>,
) -> Result<usize> {
    let (config, report) = (ctx.config, ctx.report);
    let graph = stage_graph(config);
    let order =
        toposort(&graph, None).map_err(|_| MorphError::Config("stage graph has a cycle".into()))?;
    let lock = || {
        db.lock()
            .map_err(|_| MorphError::Config("database lock poisoned".into()))
    };
    let mut ran = 0;
    for (index, node) in order.iter().enumerate() {
        let stage = graph[*node];
        if lock()?.stage_status(id, stage)? == Some(StageStatus::Done) {
            report(Event::Skipped {
                formula: formula.into(),
                stage,
            });
            continue;
        }
        lock()?.mark_running(id, stage)?;
        report(Event::Started {
            formula: formula.into(),
            stage,
            index,
            total: order.len(),
        });
        let start = std::time::Instant::now();
        // Inputs always come from the database, so a resumed stage sees exactly what an
        // uninterrupted run would have passed it.
        let parents: Vec<Stage> = graph
            .neighbors_directed(*node, petgraph::Direction::Incoming)
            .map(|p| graph[p])
            .collect();
        let input = {
            let db = lock()?;
            match (stage, parents.first()) {
                (Stage::Arrhenius, _) => {
                    let mut rows = Vec::new();
                    let quality = db.quality(id)?;
                    for p in &parents {
                        if let Stage::Diffusion(t) = p
                            && let Some(StageResult::Diffusion(Skippable::Done(d))) =
                                db.stage_result(id, *p)?
                        {
                            let q = quality.iter().find(|q| q.temperature == *t).cloned();
                            rows.push((d, q));
                        }
                    }
                    Input::Diffusions(rows)
                }
                (Stage::Check(t), Some(p)) => Input::Check {
                    production: db.structure(id, *p)?,
                    trajectory: db.trajectory(id, *p)?,
                    equilibration: match db.stage_result(id, Stage::Equilibrate(t))? {
                        Some(StageResult::Equilibrate(e)) => Some(Box::new(e)),
                        _ => None,
                    },
                },
                (Stage::Diffusion(_), Some(p)) => Input::Trajectory(db.trajectory(id, *p)?),
                (_, Some(p)) => Input::Structure(db.structure(id, *p)?),
                (_, None) => Input::Structure(None),
            }
        };
        let result = execute(stage, formula, choice, ctx, input);
        match result {
            Ok(out) => {
                lock()?.finish_stage(id, stage, &out)?;
                ran += 1;
                report(Event::Finished {
                    formula: formula.into(),
                    stage,
                    seconds: start.elapsed().as_secs_f64(),
                });
            }
            Err(e) => {
                let msg = e.to_string();
                lock()?.mark_failed(id, stage, &msg)?;
                report(Event::Failed {
                    formula: formula.into(),
                    stage,
                    error: msg,
                });
                return Err(e);
            }
        }
    }
    Ok(ran)
}

/// What a stage reads from the database.
enum Input {
    /// The parent's final structure and velocities.
    Structure(Option<crate::db::StructureWithVelocities>),
    /// The parent's trajectory and temperature.
    Trajectory(Option<(amorph_core::Trajectory, f64)>),
    /// The diffusion results of the anneal temperatures, with their quality when checked.
    Diffusions(Vec<(DiffusionSummary, Option<Quality>)>),
    /// What a check reads: the production's last state and frames, and the volume search.
    Check {
        /// The production's final structure.
        production: Option<crate::db::StructureWithVelocities>,
        /// The production's trajectory.
        trajectory: Option<(amorph_core::Trajectory, f64)>,
        /// The equilibration stage's result (boxed: the variant would dwarf the others).
        equilibration: Option<Box<EquilibrationResult>>,
    },
}

fn execute(
    stage: Stage,
    formula: &str,
    choice: &Choice,
    ctx: &Ctx<'_>,
    input: Input,
) -> Result<StageOutput> {
    let (config, engine) = (ctx.config, ctx.engine);
    let seed = |k: u64| workflow_seed(config.seed, formula, &stage.name(), k);
    let missing = || MorphError::MissingInput(stage);
    match (stage, input) {
        (Stage::Pack, _) => pack(formula, config, seed(0)),
        (Stage::Equilibrate(t), Input::Structure(Some((s, _)))) => {
            equilibrate(&s, t, config, engine, &seed)
        }
        (Stage::Production(t), Input::Structure(Some((s, v)))) => {
            production(&s, v.as_deref(), t, config, engine, seed(0))
        }
        (Stage::Diffusion(t), Input::Trajectory(Some((traj, _)))) => {
            crate::analysis::diffusion(&traj, t, config)
        }
        (Stage::Features(t), Input::Structure(Some((s, _)))) => {
            crate::analysis::features(&s, t, ctx.featurizer)
        }
        (Stage::Arrhenius, Input::Diffusions(rows)) => crate::analysis::arrhenius(&rows),
        (
            Stage::Check(t),
            Input::Check {
                production: Some((s, _)),
                trajectory,
                equilibration: Some(eq),
            },
        ) => check(t, &s, trajectory.map(|x| x.0), &eq, choice, config),
        _ => Err(missing()),
    }
}

/// The atoms of `formula`'s cell in the order the pack stage writes them: the integer formula
/// repeated to at least `config.target_atoms` atoms ([`amorph_build::cell_counts`]). Every
/// later stage keeps this order, so an external (i-PI) calculator must hold exactly these atoms.
pub fn cell_counts(formula: &str, config: &Config) -> Result<Vec<(Element, usize)>> {
    let amounts: Vec<(Element, f64)> = Composition::parse(formula)?.iter().collect();
    Ok(amorph_build::cell_counts(&amounts, config.target_atoms)?)
}

fn pack(formula: &str, config: &Config, seed: u64) -> Result<StageOutput> {
    let counts = cell_counts(formula, config)?;
    let estimate = amorph_build::estimate_volume(&counts)?;
    let lattice = Lattice::cubic(estimate.volume.cbrt())?;
    let options = amorph_build::PackOptions {
        min_distance: config.min_distance,
        seed,
        ..Default::default()
    };
    let s = amorph_build::pack(&counts, lattice, &options)?;
    let mut out = StageOutput::new(StageResult::Pack(PackResult {
        atoms: s.len(),
        volume: s.volume(),
        density_g_cm3: s.density_g_cm3(),
        volume_method: estimate.method,
        seed,
    }));
    out.structure = Some((s, None));
    Ok(out)
}

struct Sample {
    volume: f64,
    pressure: f64,
    sem: f64,
    drift: f64,
    energy: f64,
    structure: Structure,
    velocities: Vec<Vector3<f64>>,
}

fn nvt(
    s: &Structure,
    v: Option<&[Vector3<f64>]>,
    t: f64,
    steps: u64,
    seed: u64,
    engine: &dyn Engine,
) -> Result<Sample> {
    let out = engine.run(&MdRequest {
        structure: s,
        velocities: v,
        temperature: t,
        steps,
        seed,
        frame_interval: None,
    })?;
    let (pressure, sem) = last_half_mean(&out.pressures_bar);
    let energy = last_half_mean(&out.energies_ev).0;
    if !pressure.is_finite() {
        return Err(MorphError::Md(format!(
            "no pressure samples from a {steps}-step run at {t} K"
        )));
    }
    Ok(Sample {
        volume: s.volume(),
        pressure,
        sem,
        drift: energy_drift(&out.energies_ev),
        energy,
        structure: out.structure,
        velocities: out.velocities,
    })
}

fn scaled(s: &Structure, volume: f64) -> Result<Structure> {
    let mut c = s.clone();
    c.scale_to_volume(volume)?;
    Ok(c)
}

/// Pressure units: the volume search works in bar, reports in kbar.
const BAR_PER_KBAR: f64 = 1000.0;

/// NVT volume equilibration at `t`: a P(V) scan at `scan_factors` × the start volume; more
/// points (compressing when every pressure is negative, expanding when every one is positive)
/// until P = 0 is bracketed on the dense branch; V₀ from a Birch–Murnaghan fit of that branch
/// (or interpolation within the bracket); then runs from V₀ that move the volume by Newton steps
/// on the measured P(ln V) (MPMorph's β rescale when no slope is known) until |P̄| and the energy
/// drift are within tolerance or `max_rescales` runs are spent; the result says which, and why.
fn equilibrate(
    start: &Structure,
    t: f64,
    config: &Config,
    engine: &dyn Engine,
    seed: &dyn Fn(u64) -> u64,
) -> Result<StageOutput> {
    let steps = config.equilibration_steps;
    let v_orig = start.volume();
    let mut samples: Vec<Sample> = Vec::new();
    let mut k = 0;
    for &f in &config.scan_factors {
        samples.push(nvt(
            &scaled(start, f * v_orig)?,
            None,
            t,
            steps,
            seed(k),
            engine,
        )?);
        k += 1;
    }
    let points = |samples: &[Sample]| {
        samples
            .iter()
            .map(|s| (s.volume, s.pressure))
            .collect::<Vec<_>>()
    };
    // 1. Bracket P = 0. Each new point starts from the final frame of the sampled run at the
    // end it extends and changes its volume by at most a factor 4/3 (an isotropic jump from
    // the 5000 K volume straight to the 1000 K one pushes atoms into each other).
    let mut extrapolations = 0;
    while dense_bracket(&points(&samples)).is_none() && extrapolations < config.max_extrapolations {
        let compress = samples.iter().all(|s| s.pressure < 0.0);
        let base = if compress {
            samples.iter().min_by(|a, b| a.volume.total_cmp(&b.volume))
        } else {
            samples.iter().max_by(|a, b| a.volume.total_cmp(&b.volume))
        }
        .ok_or_else(|| MorphError::Md("no scan runs".into()))?;
        // Aim at the fitted root when it lies beyond this end, else step by 20 %.
        let fit = fit_zero_pressure_volume(&points(&samples)).ok();
        let aim = fit.map(|f| f.v0_fit).filter(|v| {
            if compress {
                *v < base.volume
            } else {
                *v > base.volume
            }
        });
        let next = aim
            .unwrap_or(if compress {
                0.8 * base.volume
            } else {
                base.volume / 0.8
            })
            .clamp(0.75 * base.volume, base.volume / 0.75);
        let from = scaled(&base.structure, next)?;
        samples.push(nvt(&from, None, t, steps, seed(k), engine)?);
        k += 1;
        extrapolations += 1;
    }
    // 2. V₀ on the dense branch.
    let bracket = dense_bracket(&points(&samples));
    let (v0, v0_method) = match bracket {
        Some((plus, minus)) => {
            let branch: Vec<(f64, f64)> = points(&samples)
                .into_iter()
                .filter(|p| p.0 <= minus.0)
                .collect();
            let bm = (branch.len() >= 3)
                .then(|| fit_zero_pressure_volume(&branch).ok())
                .flatten()
                .filter(|f| {
                    !f.clamped
                        && matches!(f.fit, crate::eos::VolumeFit::BirchMurnaghan(_))
                        && f.v0 >= 0.9 * plus.0
                        && f.v0 <= 1.1 * minus.0
                });
            match bm {
                Some(f) => (f.v0, V0Method::BirchMurnaghan),
                None => (
                    interpolate_zero(plus, minus),
                    V0Method::BracketInterpolation,
                ),
            }
        }
        None => {
            let best = samples
                .iter()
                .min_by(|a, b| a.pressure.abs().total_cmp(&b.pressure.abs()))
                .ok_or_else(|| MorphError::Md("no scan runs".into()))?;
            (best.volume, V0Method::LowestPressureSample)
        }
    };
    let fit = fit_zero_pressure_volume(&points(&samples)).ok();
    // 3. Convergence runs from the sampled run closest to V₀.
    let nearest = samples
        .iter()
        .min_by(|a, b| (a.volume - v0).abs().total_cmp(&(b.volume - v0).abs()))
        .ok_or_else(|| MorphError::Md("no scan runs".into()))?;
    let v_start = v0.clamp(0.75 * nearest.volume, nearest.volume / 0.75);
    let mut structure = scaled(&nearest.structure, v_start)?;
    let mut velocities = nearest.velocities.clone();
    let mut history = Vec::new();
    // The measured P(V) near the liquid branch, for the Newton steps.
    let mut measured: Vec<(f64, f64)> = match bracket {
        Some((_, minus)) => points(&samples)
            .into_iter()
            .filter(|p| p.0 <= minus.0)
            .collect(),
        None => points(&samples),
    };
    let tol_bar = config.pressure_tolerance_kbar * BAR_PER_KBAR;
    let mut converged = false;
    let mut last = None;
    for i in 0..=config.max_rescales {
        let run = nvt(
            &structure,
            Some(&velocities),
            t,
            steps,
            seed(1000 + i as u64),
            engine,
        )?;
        measured.push((run.volume, run.pressure));
        let pressure_ok = run.pressure.abs() < tol_bar;
        let drift_ok = run.drift < config.energy_drift_tolerance;
        converged = pressure_ok && drift_ok;
        let (next_volume, step) = if pressure_ok {
            // Only the drift is off: rerun at the same volume (MPMorph's energy rerun).
            (run.volume, VolumeStep::Rerun)
        } else {
            match newton_volume(&measured, run.volume, run.pressure, 0.1) {
                Some(v) => (v, VolumeStep::Newton),
                None => (
                    rescale_volume(run.volume, run.pressure, config.rescale_beta_per_bar),
                    VolumeStep::BetaRescale,
                ),
            }
        };
        history.push(ConvergenceRun {
            volume: run.volume,
            pressure_bar: run.pressure,
            pressure_sem_bar: run.sem,
            drift: run.drift,
            next: Some(if converged { VolumeStep::Done } else { step }),
        });
        structure = run.structure.clone();
        velocities = run.velocities.clone();
        let done = converged || i == config.max_rescales;
        last = Some(run);
        if done {
            break;
        }
        structure = scaled(&structure, next_volume)?;
    }
    let last = last.ok_or_else(|| MorphError::Md("no convergence runs".into()))?;
    let reason = (!converged).then(|| {
        let mut why = Vec::new();
        if last.pressure.abs() >= tol_bar {
            why.push(format!(
                "|P̄| = {:.1} kbar after {} runs (tolerance {} kbar)",
                last.pressure.abs() / BAR_PER_KBAR,
                history.len(),
                config.pressure_tolerance_kbar
            ));
            if last.sem >= tol_bar {
                why.push(format!(
                    "the pressure's standard error ({:.1} kbar) exceeds the tolerance: runs too short",
                    last.sem / BAR_PER_KBAR
                ));
            }
        }
        if last.drift >= config.energy_drift_tolerance {
            why.push(format!(
                "energy drift {:.2e} (tolerance {:.0e})",
                last.drift, config.energy_drift_tolerance
            ));
        }
        if bracket.is_none() {
            why.push(format!(
                "P = 0 not bracketed after {extrapolations} extra scan points"
            ));
        }
        why.join(", ")
    });
    let summary = ThermoSummary {
        temperature: t,
        volume: last.volume,
        density_g_cm3: structure.density_g_cm3(),
        pressure_bar: last.pressure,
        pressure_sem_bar: last.sem,
        energy_ev: last.energy,
        drift: last.drift,
        converged,
    };
    let mut out = StageOutput::new(StageResult::Equilibrate(EquilibrationResult {
        scan: points(&samples),
        fit,
        v0: Some(v0),
        v0_method: Some(v0_method),
        extrapolations,
        convergence: history,
        converged,
        reason,
        pressure_bar: Some(last.pressure),
        pressure_sem_bar: Some(last.sem),
        drift: Some(last.drift),
        volume: summary.volume,
        density_g_cm3: summary.density_g_cm3,
    }));
    out.structure = Some((structure, Some(velocities)));
    out.thermo = Some(summary);
    Ok(out)
}

/// The check of a production at `t`: the volume search's convergence (from the equilibration
/// result) and the plausibility of the production's last frame and ten frames over the run.
fn check(
    t: f64,
    last: &Structure,
    trajectory: Option<amorph_core::Trajectory>,
    equilibration: &EquilibrationResult,
    choice: &Choice,
    config: &Config,
) -> Result<StageOutput> {
    let eq = equilibration;
    let convergence = Convergence {
        converged: eq.converged,
        pressure_kbar: eq.pressure_bar.map_or(f64::NAN, |p| p.abs() / BAR_PER_KBAR),
        pressure_sem_kbar: eq.pressure_sem_bar.map_or(f64::NAN, |p| p / BAR_PER_KBAR),
        drift: eq.drift.unwrap_or(f64::NAN),
        // A database written before the reason was recorded has none.
        reason: eq
            .reason
            .clone()
            .or_else(|| (!eq.converged).then(|| "tolerances not met".to_owned())),
    };
    let mut frames = Vec::new();
    if let Some(traj) = &trajectory {
        let n = traj.n_frames();
        for i in 1..=10 {
            let idx = (i * n) / 10;
            if idx > 0 && idx < n {
                frames.push(traj.frame(idx).wrapped());
            }
        }
    }
    frames.push(last.wrapped());
    let counts: Vec<(Element, usize)> = last
        .composition()?
        .iter()
        .map(|(e, n)| (e, n as usize))
        .collect();
    let estimate = amorph_build::estimate_volume(&counts)?;
    let melt = t == config.melt_temperature;
    let plaus = plausibility(&frames, estimate.density_g_cm3, melt, &config.quality);
    let quality = Quality {
        temperature: t,
        melt,
        potential: choice.potential.clone(),
        physical: choice.physical,
        convergence,
        plausibility: plaus,
    };
    let mut out = StageOutput::new(StageResult::Check(CheckResult {
        trusted: quality.trusted(),
        note: quality.note(),
    }));
    out.quality = Some(quality);
    Ok(out)
}

fn production(
    s: &Structure,
    v: Option<&[Vector3<f64>]>,
    t: f64,
    config: &Config,
    engine: &dyn Engine,
    seed: u64,
) -> Result<StageOutput> {
    let out = engine.run(&MdRequest {
        structure: s,
        velocities: v,
        temperature: t,
        steps: config.production_steps,
        seed,
        frame_interval: Some(config.frame_interval),
    })?;
    let (pressure, sem) = last_half_mean(&out.pressures_bar);
    let trajectory = out
        .trajectory
        .ok_or_else(|| MorphError::Md("production run returned no frames".into()))?;
    let summary = ThermoSummary {
        temperature: t,
        volume: s.volume(),
        density_g_cm3: s.density_g_cm3(),
        pressure_bar: pressure,
        pressure_sem_bar: sem,
        energy_ev: last_half_mean(&out.energies_ev).0,
        drift: energy_drift(&out.energies_ev),
        converged: true,
    };
    let mut stage = StageOutput::new(StageResult::Production(ProductionResult {
        steps: config.production_steps,
        frames: trajectory.n_frames(),
        steps_per_second: out.steps_per_second,
        pressure_bar: pressure,
    }));
    stage.structure = Some((out.structure, Some(out.velocities)));
    stage.trajectory = Some((trajectory, t));
    stage.thermo = Some(summary);
    Ok(stage)
}

#[cfg(test)]
mod stage_tests {
    use super::Stage;

    #[test]
    fn a_stage_prints_its_name_padded_as_asked_and_parses_back() {
        for stage in [
            Stage::Pack,
            Stage::Equilibrate(5000.0),
            Stage::Check(1000.0),
        ] {
            let name = stage.name();
            assert_eq!(format!("{stage}"), name);
            // `amorph status` lines the stages up in a column.
            assert_eq!(format!("{stage:<22}|"), format!("{name:<22}|"));
            assert_eq!(name.parse::<Stage>().unwrap(), stage);
        }
    }
}
