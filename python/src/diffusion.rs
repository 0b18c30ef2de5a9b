//! Diffusion analysis (`amorph diffusion`), Arrhenius fits (`amorph arrhenius`) and RDFs
//! (`amorph rdf`), through the same amorph-diffusion calls as the command line.

use crate::error::{Ctx, bad, to_json};
use crate::structure::{PyStructure, PyTrajectory};
use amorph_core::Element;
use amorph_diffusion::{
    DConvention, DiffusionReport, DiffusionSettings, DiffusionSummary, Displacements, Drift,
    ElementPair, GlsSettings, GroupFit, RdfSummary, Sampling, Smoothing, analyze, fit_arrhenius,
    rdf_set,
};
use numpy::ndarray::{Array1, Array2};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray3};
use pyo3::prelude::*;

/// The settings of `amorph diffusion` from its options (src/cli/diffusion.rs `MsdArgs::load`
/// and `run` build the same).
#[allow(clippy::too_many_arguments)]
fn settings(
    species: &str,
    temperature: f64,
    time_step: f64,
    step_skip: usize,
    smoothed: &str,
    min_obs: usize,
    avg_nsteps: usize,
    min_lag_fs: f64,
    drift: bool,
    paper_convention: bool,
    charge: Option<f64>,
    gls: bool,
    gls_start_fs: f64,
    gls_max_lags: usize,
    kinisi_compat: bool,
) -> PyResult<DiffusionSettings> {
    let species_el = Element::from_symbol(species).ctx(&format!("--species {species}"))?;
    if step_skip == 0 {
        return Err(bad("--step-skip 0: must be at least 1"));
    }
    let mut s = DiffusionSettings::new(species_el, temperature, time_step * step_skip as f64);
    s.smoothing = Smoothing::from_name(smoothed, min_obs, avg_nsteps).ctx("smoothed")?;
    s.min_lag_fs = min_lag_fs;
    if !drift {
        s.drift = Drift::None;
    }
    if paper_convention {
        s.convention = DConvention::PaperSlopeOver2;
    }
    s.charge = charge;
    s.gls = gls.then_some(GlsSettings {
        start_fs: gls_start_fs,
        max_lags: gls_max_lags,
        sampling: if kinisi_compat {
            Sampling::Kinisi
        } else {
            Sampling::AllOrigins
        },
        ..GlsSettings::default()
    });
    Ok(s)
}

/// What `diffusion` returns: the `--json` object of `amorph diffusion` and the fitted MSD
/// arrays (lag times in fs, MSD in Å², per-axis MSD, mean-square charge displacement).
type DiffusionOut<'py> = (
    String,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray1<f64>>,
);

fn diffusion_out<'py>(
    py: Python<'py>,
    name: &str,
    r: &DiffusionReport,
    s: &DiffusionSettings,
) -> PyResult<DiffusionOut<'py>> {
    let summary = to_json(&DiffusionSummary::new(name, r, s))?;
    let c = &r.curves;
    let comps = Array2::from_shape_fn((c.components.len(), 3), |(i, k)| c.components[i][k]);
    Ok((
        summary,
        Array1::from(r.dt_fs.clone()).into_pyarray(py),
        Array1::from(c.msd.clone()).into_pyarray(py),
        comps.into_pyarray(py),
        Array1::from(c.mscd.clone()).into_pyarray(py),
    ))
}

/// `amorph diffusion` on a trajectory: the pymatgen-compatible D, σ, per-axis D, conductivity,
/// charge D, Haven ratio and the covariance-aware (GLS) D ± σ, with the MSD arrays. Same
/// options and defaults as the command line; frames are `time_step × step_skip` fs apart.
#[pyfunction]
#[pyo3(signature = (trajectory, temperature, species = "Li", time_step = 2.0, step_skip = 1,
    smoothed = "max", min_obs = 30, avg_nsteps = 1000, min_lag_fs = 1000.0, drift = true,
    paper_convention = false, charge = None, gls = true, gls_start_fs = 1000.0,
    gls_max_lags = 400, kinisi_compat = false))]
#[allow(clippy::too_many_arguments)]
pub fn diffusion<'py>(
    py: Python<'py>,
    trajectory: PyRef<'py, PyTrajectory>,
    temperature: f64,
    species: &str,
    time_step: f64,
    step_skip: usize,
    smoothed: &str,
    min_obs: usize,
    avg_nsteps: usize,
    min_lag_fs: f64,
    drift: bool,
    paper_convention: bool,
    charge: Option<f64>,
    gls: bool,
    gls_start_fs: f64,
    gls_max_lags: usize,
    kinisi_compat: bool,
) -> PyResult<DiffusionOut<'py>> {
    let s = settings(
        species,
        temperature,
        time_step,
        step_skip,
        smoothed,
        min_obs,
        avg_nsteps,
        min_lag_fs,
        drift,
        paper_convention,
        charge,
        gls,
        gls_start_fs,
        gls_max_lags,
        kinisi_compat,
    )?;
    let (t, name) = (&trajectory.inner, trajectory.source.as_str());
    let r = py
        .detach(|| {
            let disp = Displacements::from_trajectory(t)?;
            analyze(&disp, &s)
        })
        .ctx(name)?;
    diffusion_out(py, name, &r, &s)
}

/// The same analysis on cumulative displacements from frame 0 (Å, shape (atoms, frames, 3), as
/// pymatgen's `DiffusionAnalyzer.disp`) of atoms with these atomic numbers in a cell of
/// `volume` Å³.
#[pyfunction]
#[pyo3(signature = (numbers, displacements, volume, temperature, species = "Li",
    time_step = 2.0, step_skip = 1, smoothed = "max", min_obs = 30, avg_nsteps = 1000,
    min_lag_fs = 1000.0, drift = true, paper_convention = false, charge = None, gls = true,
    gls_start_fs = 1000.0, gls_max_lags = 400, kinisi_compat = false, name = "<python>"))]
#[allow(clippy::too_many_arguments)]
pub fn diffusion_displacements<'py>(
    py: Python<'py>,
    numbers: Vec<i64>,
    displacements: PyReadonlyArray3<'py, f64>,
    volume: f64,
    temperature: f64,
    species: &str,
    time_step: f64,
    step_skip: usize,
    smoothed: &str,
    min_obs: usize,
    avg_nsteps: usize,
    min_lag_fs: f64,
    drift: bool,
    paper_convention: bool,
    charge: Option<f64>,
    gls: bool,
    gls_start_fs: f64,
    gls_max_lags: usize,
    kinisi_compat: bool,
    name: &str,
) -> PyResult<DiffusionOut<'py>> {
    let s = settings(
        species,
        temperature,
        time_step,
        step_skip,
        smoothed,
        min_obs,
        avg_nsteps,
        min_lag_fs,
        drift,
        paper_convention,
        charge,
        gls,
        gls_start_fs,
        gls_max_lags,
        kinisi_compat,
    )?;
    let d = displacements.as_array();
    let shape = d.shape();
    if shape[0] != numbers.len() || shape[2] != 3 {
        return Err(bad(format!(
            "displacements: shape {shape:?}, expected ({}, frames, 3)",
            numbers.len()
        )));
    }
    let nf = shape[1];
    let data: Vec<[f64; 3]> = (0..shape[0] * nf)
        .map(|k| {
            let (i, f) = (k / nf, k % nf);
            [d[[i, f, 0]], d[[i, f, 1]], d[[i, f, 2]]]
        })
        .collect();
    let species_all = numbers
        .iter()
        .map(|&z| {
            u8::try_from(z)
                .ok()
                .and_then(|z| Element::from_z(z).ok())
                .ok_or_else(|| bad(format!("atomic number {z} is not an element")))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let r = py
        .detach(|| {
            let disp = Displacements::from_cumulative(species_all, volume, nf, data)?;
            analyze(&disp, &s)
        })
        .ctx(name)?;
    diffusion_out(py, name, &r, &s)
}

/// `amorph arrhenius` for one group: Ea, D₀ and D extrapolated to `at` K from diffusivities
/// `d` (cm²/s) at `temperatures` (K), weighted by `d_std` when given. Returns the JSON of one
/// fit.
#[pyfunction]
#[pyo3(signature = (temperatures, d, d_std = None, at = 300.0))]
pub fn arrhenius(
    temperatures: Vec<f64>,
    d: Vec<f64>,
    d_std: Option<Vec<f64>>,
    at: f64,
) -> PyResult<String> {
    let fit = fit_arrhenius(&temperatures, &d, d_std.as_deref()).ctx("arrhenius")?;
    to_json(&GroupFit::new(None, &fit, at).ctx(&format!("--at {at}"))?)
}

/// `amorph rdf`: partial RDFs averaged over the structures (same atoms), with coordination
/// numbers. `pairs` such as `["Li-S", "P-S"]` (default: all species pairs). Returns the JSON of
/// `amorph rdf --json`.
#[pyfunction]
#[pyo3(signature = (structures, rmax = 6.0, nbins = 120, pairs = Vec::new(), cn_cutoff = None))]
pub fn rdf(
    py: Python<'_>,
    structures: Vec<PyRef<'_, PyStructure>>,
    rmax: f64,
    nbins: usize,
    pairs: Vec<String>,
    cn_cutoff: Option<f64>,
) -> PyResult<String> {
    let frames: Vec<_> = structures.iter().map(|s| s.inner.clone()).collect();
    let pairs = (pairs.iter())
        .map(|p| {
            Ok(p.parse::<ElementPair>()
                .ctx(&format!("--pairs {p}"))?
                .into())
        })
        .collect::<PyResult<Vec<_>>>()?;
    let rdfs = py
        .detach(|| rdf_set(&frames, &pairs, rmax, nbins))
        .ctx("rdf")?;
    to_json(&RdfSummary::new(&rdfs, cn_cutoff))
}
