//! `amorph diffusion`, `amorph arrhenius`, `amorph rdf`, `amorph rdf-compare`: Li diffusion
//! analysis of trajectories (amorph-diffusion).

use super::Outcome;
use amorph_core::{Element, Structure, io};
use amorph_diffusion::{
    DConvention, DiffusionSettings, Displacements, Drift, GlsSettings, PartialRdf, RdfComparison,
    Sampling, Smoothing, analyze, compare_rdfs, fit_groups, parse_table, rdf_set,
};
use anyhow::{Context, bail};
use serde_json::json;
use std::fmt::Write as _;
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
        let name = traj.display().to_string();
        let species = Element::from_symbol(&self.species)
            .with_context(|| format!("--species {}", self.species))?;
        if self.step_skip == 0 {
            bail!("--step-skip 0: must be at least 1");
        }
        let frame_fs = self.frame_fs();
        let t = io::read_trajectory(traj, if frame_fs > 0.0 { frame_fs } else { 1.0 })
            .with_context(|| name.clone())?;
        let disp = Displacements::from_trajectory(&t).with_context(|| name.clone())?;
        let mut s = DiffusionSettings::new(species, temperature, frame_fs);
        s.smoothing = match self.smoothed.as_str() {
            "constant" => Smoothing::Constant {
                avg_nsteps: self.avg_nsteps,
            },
            "none" => Smoothing::None,
            _ => Smoothing::Max {
                min_obs: self.min_obs,
            },
        };
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
    let frame_fs = args.msd.frame_fs();
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
    let gls = r.gls.as_ref().map(|g| {
        json!({
            "diffusivity_cm2_s": g.diffusivity_cm2_s,
            "std_cm2_s": g.std_cm2_s,
            "conductivity_mS_cm": g.conductivity_ms_cm,
            "intercept_a2": g.fit.intercept,
            "n_lags": g.fit.n_points,
            "start_fs": args.gls_start_fs,
        })
    });
    let json = json!({
        "file": name,
        "species": r.species,
        "temperature_k": r.temperature_k,
        "n_diffusing": r.n_diffusing,
        "n_frames": r.n_frames,
        "frame_fs": frame_fs,
        "smoothed": args.msd.smoothed,
        "convention": if args.msd.paper_convention { "paper_slope_over_2" } else { "tracer_slope_over_6" },
        "diffusivity_cm2_s": r.diffusivity_cm2_s,
        "diffusivity_std_cm2_s": r.diffusivity_std_cm2_s,
        "diffusivity_components_cm2_s": r.diffusivity_components_cm2_s,
        "conductivity_mS_cm": r.conductivity_ms_cm,
        "charge_diffusivity_cm2_s": r.charge_diffusivity_cm2_s,
        "charge_conductivity_mS_cm": r.charge_conductivity_ms_cm,
        "haven_ratio": r.haven_ratio,
        "max_framework_displacement_a": r.max_framework_displacement,
        "gls": gls,
    });
    let mut text = format!(
        "{name}: {} atoms of {} over {} frames ({frame_fs} fs apart) at {} K\n\
         D (pymatgen-compatible, smoothed={}) = {:.6e} cm²/s\n\
         conductivity = {:.6} mS/cm, charge D = {:.6e} cm²/s, Haven ratio = {:.4}\n",
        r.n_diffusing,
        r.species,
        r.n_frames,
        r.temperature_k,
        args.msd.smoothed,
        r.diffusivity_cm2_s,
        r.conductivity_ms_cm,
        r.charge_diffusivity_cm2_s,
        r.haven_ratio
    );
    if let Some(g) = &r.gls {
        let _ = writeln!(
            text,
            "D (GLS, kinisi covariance, from {} fs) = {:.6e} ± {:.2e} cm²/s",
            args.gls_start_fs, g.diffusivity_cm2_s, g.std_cm2_s
        );
    }
    Ok(Outcome { json, text })
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
    let mut out = vec![];
    let mut text = String::new();
    for (g, f) in &fits {
        let x = f
            .extrapolate(args.at)
            .with_context(|| format!("--at {}", args.at))?;
        out.push(json!({
            "group": g,
            "ea_ev": f.ea_ev,
            "ea_std_ev": f.ea_std_ev,
            "d0_cm2_s": f.d0,
            "ln_d0_std": f.ln_d0_std,
            "n_points": f.n_points,
            "weighted": f.weighted,
            "temperature_k": x.temperature_k,
            "d_extrapolated_cm2_s": x.d,
            "d_extrapolated_std_cm2_s": x.d_std,
        }));
        let _ = writeln!(
            text,
            "{}Ea = {:.4} ± {} eV, D0 = {:.4e} cm²/s, D({} K) = {:.4e}{} cm²/s",
            g.as_ref().map(|g| format!("{g}: ")).unwrap_or_default(),
            f.ea_ev,
            f.ea_std_ev.map_or("n/a".to_string(), |s| format!("{s:.4}")),
            f.d0,
            x.temperature_k,
            x.d,
            x.d_std.map_or(String::new(), |s| format!(" ± {s:.2e}")),
        );
    }
    let mut json = json!({ "file": name, "fits": out });
    if out.len() == 1 {
        for (k, v) in out[0].as_object().unwrap() {
            json[k] = v.clone();
        }
    }
    Ok(Outcome { json, text })
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

fn load_frames(paths: &[PathBuf], every: usize) -> anyhow::Result<Vec<Structure>> {
    if every == 0 {
        bail!("--every 0: must be at least 1");
    }
    let mut out = vec![];
    for p in paths {
        let frames = io::read_frames(p).with_context(|| p.display().to_string())?;
        out.extend(frames.into_iter().step_by(every).map(|f| f.structure));
    }
    Ok(out)
}

fn parse_pairs(pairs: &[String]) -> anyhow::Result<Vec<(Element, Element)>> {
    pairs
        .iter()
        .map(|p| {
            let (a, b) = p
                .split_once('-')
                .with_context(|| format!("--pairs {p}: expected A-B, e.g. Li-S"))?;
            Ok((
                Element::from_symbol(a).with_context(|| format!("--pairs {p}"))?,
                Element::from_symbol(b).with_context(|| format!("--pairs {p}"))?,
            ))
        })
        .collect()
}

fn rdf_json(rdfs: &[PartialRdf], cn_cutoff: Option<f64>) -> (serde_json::Value, String) {
    let mut pairs = vec![];
    let mut text = String::new();
    for r in rdfs {
        let peak = r.first_peak();
        let cut = cn_cutoff.or_else(|| r.first_minimum());
        let cn = cut.map(|c| r.coordination_at(c));
        pairs.push(json!({
            "pair": r.label(), "g": r.g, "cn": r.cn,
            "first_peak_a": peak, "cn_cutoff_a": cut, "coordination": cn,
        }));
        let _ = writeln!(
            text,
            "{:<8} first peak {:>6} Å, CN({}) = {}",
            r.label(),
            peak.map_or("-".into(), |p| format!("{p:.3}")),
            cut.map_or("-".into(), |c| format!("{c:.2} Å")),
            cn.map_or("-".into(), |c| format!("{c:.3}")),
        );
    }
    let r = rdfs.first().map(|x| x.r.clone()).unwrap_or_default();
    (json!({ "r": r, "pairs": pairs }), text)
}

/// Runs `amorph rdf`.
pub fn run_rdf(args: RdfArgs) -> anyhow::Result<Outcome> {
    let rdfs = args.rdf.compute(&args.inputs)?;
    let (json, text) = rdf_json(&rdfs, args.cn_cutoff);
    Ok(Outcome { json, text })
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
        let frames = load_frames(inputs, self.every)?;
        let pairs = parse_pairs(&self.pairs)?;
        let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
        rdf_set(&frames, &pairs, self.rmax, self.nbins).with_context(|| names.join(", "))
    }
}

/// Runs `amorph rdf-compare`.
pub fn run_rdf_compare(args: RdfCompareArgs) -> anyhow::Result<Outcome> {
    let a = args.rdf.compute(std::slice::from_ref(&args.a))?;
    let b = args.rdf.compute(std::slice::from_ref(&args.b))?;
    let cmp = compare_rdfs(&a, &b)
        .with_context(|| format!("{} vs {}", args.a.display(), args.b.display()))?;
    let mut text = format!("R² = {:.4} over {} pairs\n", cmp.r2, cmp.per_pair.len());
    for (p, r2) in &cmp.per_pair {
        let _ = writeln!(text, "  {p:<8} R² = {r2:.4}");
    }
    let json = json!({
        "a": display(&args.a), "b": display(&args.b), "r2": cmp.r2, "per_pair": per_pair(&cmp),
    });
    Ok(Outcome { json, text })
}

/// The R² of each pair as a JSON object, pair label → R².
pub(crate) fn per_pair(cmp: &RdfComparison) -> serde_json::Map<String, serde_json::Value> {
    cmp.per_pair
        .iter()
        .map(|(p, r)| (p.clone(), json!(r)))
        .collect()
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
