//! `amorph diffusion`, `amorph arrhenius`, `amorph rdf`, `amorph rdf-compare`: Li diffusion
//! analysis of trajectories (amorph-diffusion).

use super::{InFile, Outcome};
use amorph_core::{Element, io};
use amorph_diffusion::{
    ArrheniusTable, DConvention, DiffusionSettings, DiffusionSummary, Displacements, Drift,
    ElementPair, GlsSettings, NamedComparison, PartialRdf, RdfSummary, Sampling, Smoothing,
    analyze, compare_rdfs, fit_groups, parse_table, rdf_set,
};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// Arguments of `amorph diffusion`.
#[derive(clap::Args)]
pub struct Args {
    /// Trajectory (XDATCAR, multi-frame extxyz; .gz allowed).
    pub traj: PathBuf,
    /// Temperature of the run (K).
    #[arg(long)]
    pub temperature: f64,
    /// Frames and MSD settings.
    #[command(flatten)]
    pub msd: MsdArgs,
    /// Ion charge (e) for conductivities (default: pymatgen's outermost-subshell rule, Li → 1).
    #[arg(long, allow_hyphen_values = true)]
    pub charge: Option<f64>,
    /// Covariance-aware fit: start of the diffusive regime (fs).
    #[arg(long, default_value_t = 1000.0)]
    pub gls_start_fs: f64,
    /// Covariance-aware fit: at most this many lags.
    #[arg(long, default_value_t = 400)]
    pub gls_max_lags: usize,
    /// Covariance-aware fit: sample lags exactly as kinisi 2.1 does.
    #[arg(long)]
    pub kinisi_compat: bool,
    /// Skip the covariance-aware fit.
    #[arg(long)]
    pub no_gls: bool,
}

/// Frame timing and the pymatgen-compatible MSD settings, shared by `amorph diffusion` and
/// `amorph plot msd`.
#[derive(clap::Args)]
pub struct MsdArgs {
    /// Diffusing species.
    #[arg(long, default_value = "Li")]
    pub species: String,
    /// MD time step (fs); the time between stored frames is time-step × step-skip.
    #[arg(long, default_value_t = 2.0)]
    pub time_step: f64,
    /// MD steps between stored frames (VASP NBLOCK, LAMMPS dump interval).
    #[arg(long, default_value_t = 1)]
    pub step_skip: usize,
    /// pymatgen-compatible MSD averaging: max (all origins, 1/t-weighted fit), constant, none.
    #[arg(long, default_value = "max", value_parser = ["max", "constant", "none"])]
    pub smoothed: String,
    /// smoothed=max: minimum independent observations at the longest lag.
    #[arg(long, default_value_t = 30)]
    pub min_obs: usize,
    /// smoothed=constant: number of time origins.
    #[arg(long, default_value_t = 1000)]
    pub avg_nsteps: usize,
    /// smoothed=max: shortest lag fitted (fs).
    #[arg(long, default_value_t = 1000.0)]
    pub min_lag_fs: f64,
    /// Skip the framework drift correction (needed when every atom is of the diffusing species).
    #[arg(long)]
    pub no_drift: bool,
    /// Report D as the paper does (slope/2 of the 3-D MSD, 3× the tracer D).
    #[arg(long)]
    pub paper_convention: bool,
}

impl MsdArgs {
    /// Time between stored frames (fs).
    pub fn frame_fs(&self) -> f64 {
        self.time_step * self.step_skip as f64
    }

    /// Reads the trajectory `traj` and builds the analysis settings at `temperature` (no GLS,
    /// default charge). Errors name the trajectory or the bad option.
    pub(crate) fn load(
        &self,
        traj: &Path,
        temperature: f64,
    ) -> anyhow::Result<(Displacements, DiffusionSettings)> {
        let name = || traj.display().to_string();
        let species = Element::from_symbol(&self.species)
            .with_context(|| format!("--species {}", self.species))?;
        if self.step_skip == 0 {
            bail!("--step-skip 0: must be at least 1");
        }
        let frame_fs = self.frame_fs();
        let t = io::read_trajectory(traj, if frame_fs > 0.0 { frame_fs } else { 1.0 })
            .with_context(name)?;
        let disp = Displacements::from_trajectory(&t).with_context(name)?;
        let mut s = DiffusionSettings::new(species, temperature, frame_fs);
        s.smoothing = Smoothing::from_name(&self.smoothed, self.min_obs, self.avg_nsteps)?;
        s.min_lag_fs = self.min_lag_fs;
        if self.no_drift {
            s.drift = Drift::None;
        }
        if self.paper_convention {
            s.convention = DConvention::PaperSlopeOver2;
        }
        s.gls = None;
        Ok((disp, s))
    }
}

/// Runs `amorph diffusion`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let name = args.traj.display().to_string();
    let (disp, mut s) = args.msd.load(&args.traj, args.temperature)?;
    s.charge = args.charge;
    s.gls = (!args.no_gls).then_some(GlsSettings {
        start_fs: args.gls_start_fs,
        max_lags: args.gls_max_lags,
        sampling: if args.kinisi_compat {
            Sampling::Kinisi
        } else {
            Sampling::AllOrigins
        },
        ..GlsSettings::default()
    });
    let r = analyze(&disp, &s).with_context(|| name.clone())?;
    Outcome::of(&DiffusionSummary::new(name, &r, &s))
}

/// Arguments of `amorph arrhenius`.
#[derive(clap::Args)]
pub struct ArrheniusArgs {
    /// Table with temperature and D columns (optional σ and formula columns), or the paper's
    /// feature_target.dat (fitted per formula).
    pub table: PathBuf,
    /// Temperature to extrapolate D to (K).
    #[arg(long, default_value_t = 300.0)]
    pub at: f64,
    /// Only this group (formula).
    #[arg(long)]
    pub group: Option<String>,
}

/// Runs `amorph arrhenius`.
pub fn run_arrhenius(args: ArrheniusArgs) -> anyhow::Result<Outcome> {
    let name = args.table.display().to_string();
    let text_in = std::fs::read_to_string(&args.table).with_context(|| name.clone())?;
    let mut rows = parse_table(&text_in).with_context(|| name.clone())?;
    if let Some(g) = &args.group {
        rows.retain(|r| r.group.as_deref() == Some(g.as_str()));
        if rows.is_empty() {
            bail!("{name}: no rows of group {g}");
        }
    }
    let fits = fit_groups(&rows).with_context(|| name.clone())?;
    let table =
        ArrheniusTable::new(name, fits, args.at).with_context(|| format!("--at {}", args.at))?;
    Outcome::of(&table)
}

/// Arguments of `amorph rdf`.
#[derive(clap::Args)]
pub struct RdfArgs {
    /// Structures or trajectories (all frames of all files are averaged; same atoms required).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// RDF grid and frame selection.
    #[command(flatten)]
    pub rdf: RdfCommon,
    /// Report coordination numbers at this distance (Å; default: first minimum after the first peak).
    #[arg(long)]
    pub cn_cutoff: Option<f64>,
}

/// Runs `amorph rdf`.
pub fn run_rdf(args: RdfArgs) -> anyhow::Result<Outcome> {
    let rdfs = args.rdf.compute(&args.inputs)?;
    Outcome::of(&RdfSummary::new(&rdfs, args.cn_cutoff))
}

/// Arguments of `amorph rdf-compare`.
#[derive(clap::Args)]
pub struct RdfCompareArgs {
    /// Reference structure or trajectory (e.g. AIMD).
    pub a: PathBuf,
    /// Structure or trajectory to compare (e.g. an ML-potential run).
    pub b: PathBuf,
    /// RDF settings (shared by both).
    #[command(flatten)]
    pub rdf: RdfCommon,
}

/// RDF grid and frame selection of `amorph rdf`, `amorph rdf-compare` and the RDF plots.
#[derive(clap::Args)]
pub struct RdfCommon {
    /// Largest distance (Å); may exceed half the cell.
    #[arg(long, default_value_t = 6.0)]
    pub rmax: f64,
    /// Number of bins.
    #[arg(long, default_value_t = 120)]
    pub nbins: usize,
    /// Use every n-th frame.
    #[arg(long, default_value_t = 1)]
    pub every: usize,
    /// Pairs such as Li-S,P-S (default: all species pairs).
    #[arg(long, value_delimiter = ',')]
    pub pairs: Vec<String>,
}

impl RdfCommon {
    /// Partial RDFs averaged over all (every n-th) frames of `inputs`.
    pub(crate) fn compute(&self, inputs: &[PathBuf]) -> anyhow::Result<Vec<PartialRdf>> {
        if self.every == 0 {
            bail!("--every 0: must be at least 1");
        }
        let mut frames = vec![];
        for p in inputs {
            let f = io::read_frames(p).in_file(p)?;
            frames.extend(f.into_iter().step_by(self.every).map(|f| f.structure));
        }
        let pairs = (self.pairs.iter())
            .map(|p| {
                Ok(p.parse::<ElementPair>()
                    .with_context(|| format!("--pairs {p}"))?
                    .into())
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
        rdf_set(&frames, &pairs, self.rmax, self.nbins).with_context(|| names.join(", "))
    }
}

/// Runs `amorph rdf-compare`.
pub fn run_rdf_compare(args: RdfCompareArgs) -> anyhow::Result<Outcome> {
    let (a, b) = (args.a.display().to_string(), args.b.display().to_string());
    let comparison = compare_rdfs(
        &args.rdf.compute(std::slice::from_ref(&args.a))?,
        &args.rdf.compute(std::slice::from_ref(&args.b))?,
    )
    .with_context(|| format!("{a} vs {b}"))?;
    Outcome::of(&NamedComparison { a, b, comparison })
}
