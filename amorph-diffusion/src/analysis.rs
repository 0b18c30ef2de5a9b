//! The full analysis of one trajectory: pymatgen-compatible D, conductivity, charge D,
//! Haven ratio, plus the covariance-aware (GLS) D ± σ.

use crate::displacement::{Displacements, Drift};
use crate::error::{DiffusionError, Result, param};
use crate::fit::{GlsFit, MsdStatistics, Sampling, gls_fit, msd_statistics, pymatgen_fit};
use crate::msd::{MsdCurves, msd_all_lags, msd_fixed_origins};
use amorph_core::Element;

/// How the MSD is averaged before the pymatgen-compatible fit (pymatgen's `smoothed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Smoothing {
    /// `"max"`: all time origins; lags from `min_lag_fs` (1 ps) to
    /// `min(n_species · N // min_obs, N)` in about 200 steps; fit weighted by 1/t.
    Max {
        /// Minimum number of independent observations at the longest lag (pymatgen: 30).
        min_obs: usize,
    },
    /// `"constant"`: the first `avg_nsteps` frames as origins, lags `0 … N − avg_nsteps − 1`.
    Constant {
        /// Number of time origins (pymatgen default 1000).
        avg_nsteps: usize,
    },
    /// `False`: one origin (frame 0), every lag.
    None,
}

impl Default for Smoothing {
    fn default() -> Self {
        Smoothing::Max { min_obs: 30 }
    }
}

/// Which factor turns an MSD slope into D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum DConvention {
    /// Standard tracer diffusivity, slope / 6 of the 3-D MSD.
    #[default]
    Tracer,
    /// The paper's published table: slope / 2 of the 3-D MSD (three times the tracer D).
    /// Conductivities are always computed from the tracer D.
    PaperSlopeOver2,
}

impl DConvention {
    /// Divisor of the 3-D MSD slope.
    pub fn divisor(self) -> f64 {
        match self {
            DConvention::Tracer => 6.0,
            DConvention::PaperSlopeOver2 => 2.0,
        }
    }
}

/// Settings of the covariance-aware fit.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GlsSettings {
    /// Start of the diffusive regime (fs); earlier lags are not fitted (default 1000 fs).
    pub start_fs: f64,
    /// Largest condition number of the covariance (kinisi's `cond_max`, default 1e16).
    pub cond_max: f64,
    /// At most this many lags (evenly spaced over `1 … N−1`); all lags when there are fewer
    /// (default 400).
    pub max_lags: usize,
    /// Which observations form each lag's sample.
    pub sampling: Sampling,
}

impl Default for GlsSettings {
    fn default() -> Self {
        GlsSettings {
            start_fs: 1000.0,
            cond_max: 1e16,
            max_lags: 400,
            sampling: Sampling::AllOrigins,
        }
    }
}

/// Everything an analysis needs besides the displacements.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffusionSettings {
    /// The diffusing species.
    pub species: Element,
    /// Temperature (K), for conductivities.
    pub temperature_k: f64,
    /// Time between stored frames (fs): MD time step × step skip.
    pub frame_fs: f64,
    /// pymatgen-compatible MSD averaging.
    pub smoothing: Smoothing,
    /// Shortest lag of `Smoothing::Max` (fs; pymatgen skips lags below 1 ps).
    pub min_lag_fs: f64,
    /// Drift correction.
    pub drift: Drift,
    /// Ion charge (e); `None` = pymatgen's default (occupancy of the outermost subshell,
    /// see [`default_charge`]).
    pub charge: Option<f64>,
    /// Slope-to-D convention of the reported diffusivities.
    pub convention: DConvention,
    /// The covariance-aware fit; `None` skips it.
    pub gls: Option<GlsSettings>,
}

impl DiffusionSettings {
    /// Defaults as pymatgen's `DiffusionAnalyzer`: smoothed `"max"`, min_obs 30, lags ≥ 1 ps,
    /// framework drift correction, tracer D, and a GLS fit from 1 ps.
    /// `frame_fs` is time_step × step_skip.
    pub fn new(species: Element, temperature_k: f64, frame_fs: f64) -> Self {
        DiffusionSettings {
            species,
            temperature_k,
            frame_fs,
            smoothing: Smoothing::default(),
            min_lag_fs: 1000.0,
            drift: Drift::Framework,
            charge: None,
            convention: DConvention::Tracer,
            gls: Some(GlsSettings::default()),
        }
    }

    fn validate(&self) -> Result<()> {
        if !(self.temperature_k.is_finite() && self.temperature_k > 0.0) {
            return Err(DiffusionError::Temperature(self.temperature_k));
        }
        if !(self.frame_fs.is_finite() && self.frame_fs > 0.0) {
            return Err(param("frame time", self.frame_fs, "must be positive (fs)"));
        }
        if let Some(q) = self.charge
            && !(q.is_finite() && q != 0.0)
        {
            return Err(param("charge", q, "must be a non-zero number"));
        }
        match self.smoothing {
            Smoothing::Max { min_obs: 0 } => Err(param("min_obs", 0, "must be at least 1")),
            Smoothing::Constant { avg_nsteps: 0 } => {
                Err(param("avg_nsteps", 0, "must be at least 1"))
            }
            _ => Ok(()),
        }
    }
}

/// pymatgen's default ion charge: the electron count of the outermost subshell of the neutral
/// atom (Li, Na → 1; Mg → 2; Al → 1; O → 4; transition metals → 2 from the filled ns²).
/// Pass an explicit charge when that is not what you mean.
pub fn default_charge(el: Element) -> f64 {
    let g = el.group();
    match g {
        1 | 2 => g as f64,
        13..=18 if el.z() > 2 => (g - 12) as f64,
        18 => 2.0, // He 1s²
        _ => 2.0,
    }
}

/// Nernst–Einstein factor: conductivity (mS/cm) = factor × D (cm²/s), for `n` ions of charge
/// `z` in `volume_a3` at `temperature_k` (pymatgen's `get_conversion_factor`, CODATA 2018).
pub fn conversion_factor(n: usize, z: f64, volume_a3: f64, temperature_k: f64) -> f64 {
    const NA: f64 = 6.022_140_76e23;
    const E: f64 = 1.602_176_634e-19;
    const K: f64 = 1.380_649e-23;
    let vol = volume_a3 * 1e-24;
    1000.0 * n as f64 / (vol * NA) * z * z * (NA * E) * (NA * E) / (NA * K * temperature_k)
}

/// Results of [`analyze`]. Diffusivities in cm²/s, conductivities in mS/cm, times in fs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiffusionReport {
    /// Diffusing species.
    pub species: String,
    /// Temperature (K).
    pub temperature_k: f64,
    /// Number of diffusing atoms.
    pub n_diffusing: usize,
    /// Number of frames.
    pub n_frames: usize,
    /// Slope-to-D convention of every D below.
    pub convention: DConvention,
    /// pymatgen-compatible D.
    pub diffusivity_cm2_s: f64,
    /// pymatgen's slope standard error as D (meaningless for `Smoothing::Max`; issue #449).
    pub diffusivity_std_cm2_s: f64,
    /// Per-axis D (x, y, z).
    pub diffusivity_components_cm2_s: [f64; 3],
    /// Nernst–Einstein conductivity from the tracer D (mS/cm).
    #[serde(rename = "conductivity_mS_cm")]
    pub conductivity_ms_cm: f64,
    /// Its standard error from `diffusivity_std_cm2_s`.
    #[serde(rename = "conductivity_std_mS_cm")]
    pub conductivity_std_ms_cm: f64,
    /// Charge diffusivity from the mean-square charge displacement.
    pub charge_diffusivity_cm2_s: f64,
    /// Conductivity from the charge diffusivity (mS/cm).
    #[serde(rename = "charge_conductivity_mS_cm")]
    pub charge_conductivity_ms_cm: f64,
    /// Haven ratio D / D_charge.
    pub haven_ratio: f64,
    /// Conductivity per unit tracer D (mS/cm per cm²/s).
    pub conversion_factor: f64,
    /// Largest drift-corrected displacement of a framework atom (Å); `None` without framework.
    pub max_framework_displacement: Option<f64>,
    /// Times of the fitted MSD points (fs).
    pub dt_fs: Vec<f64>,
    /// The MSD curves that were fitted.
    pub curves: MsdCurves,
    /// The covariance-aware fit.
    pub gls: Option<GlsReport>,
}

/// The covariance-aware (GLS, kinisi-style) diffusivity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GlsReport {
    /// D (cm²/s, in the report's convention).
    pub diffusivity_cm2_s: f64,
    /// Its standard error (cm²/s).
    pub std_cm2_s: f64,
    /// Conductivity from the GLS D (mS/cm).
    #[serde(rename = "conductivity_mS_cm")]
    pub conductivity_ms_cm: f64,
    /// The line fit (Å²/fs, Å²).
    pub fit: GlsFit,
    /// The MSD statistics it was fitted to.
    pub statistics: MsdStatistics,
}

/// Lags for the GLS fit: every lag up to `max` (frames), or `max_lags` evenly spaced ones.
pub fn gls_lags(max: usize, max_lags: usize) -> Vec<usize> {
    if max <= max_lags || max_lags < 2 {
        return (1..=max).collect();
    }
    let mut v: Vec<usize> = (0..max_lags)
        .map(|i| 1 + ((max - 1) as f64 * i as f64 / (max_lags - 1) as f64).round() as usize)
        .collect();
    v.dedup();
    v
}

/// Analyses `disp` (cumulative displacements from frame 0) for one species.
pub fn analyze(disp: &Displacements, s: &DiffusionSettings) -> Result<DiffusionReport> {
    s.validate()?;
    let selected = disp.select(s.species)?;
    let framework: Vec<usize> = (0..disp.n_atoms())
        .filter(|&i| disp.species()[i] != s.species)
        .collect();
    // Drift-corrected paths of the diffusing atoms only (the framework is not analysed).
    let drift = disp.drift(&s.drift, s.species)?;
    let dc = disp.subset(&selected, drift.as_deref());
    let atoms: Vec<usize> = (0..selected.len()).collect();
    let nsteps = dc.n_frames();
    if nsteps < 2 {
        return Err(DiffusionError::NotEnoughFrames {
            what: "an MSD".into(),
            needed: 2,
            frames: nsteps,
        });
    }
    let (curves, weighted) = match s.smoothing {
        Smoothing::Max { min_obs } => {
            let min_dt = (s.min_lag_fs / s.frame_fs).floor() as usize;
            let max_dt = (atoms.len() * nsteps / min_obs).min(nsteps);
            if min_dt >= max_dt {
                return Err(DiffusionError::NotEnoughFrames {
                    what: format!(
                        "smoothed=max (lags from {min_dt} frames = {} fs, with {} atoms and min_obs {min_obs})",
                        s.min_lag_fs,
                        atoms.len()
                    ),
                    needed: (min_dt + 1).max((min_dt + 1) * min_obs / atoms.len().max(1)),
                    frames: nsteps,
                });
            }
            let stride = ((max_dt - min_dt) / 200).max(1);
            let lags: Vec<usize> = (min_dt..max_dt).step_by(stride).collect();
            let all = msd_all_lags(&dc, &atoms);
            let pick = |v: &[f64]| lags.iter().map(|&k| v[k]).collect::<Vec<f64>>();
            let c = MsdCurves {
                msd: pick(&all.msd),
                mscd: pick(&all.mscd),
                components: lags.iter().map(|&k| all.components[k]).collect(),
                lags,
            };
            (c, true)
        }
        Smoothing::Constant { avg_nsteps } => {
            if nsteps <= avg_nsteps {
                return Err(DiffusionError::NotEnoughFrames {
                    what: format!("smoothed=constant with avg_nsteps {avg_nsteps}"),
                    needed: avg_nsteps + 1,
                    frames: nsteps,
                });
            }
            let lags: Vec<usize> = (0..nsteps - avg_nsteps).collect();
            (msd_fixed_origins(&dc, &atoms, &lags, avg_nsteps), false)
        }
        Smoothing::None => {
            let lags: Vec<usize> = (0..nsteps).collect();
            (msd_fixed_origins(&dc, &atoms, &lags, 1), false)
        }
    };
    if curves.lags.len() < 3 {
        // Name the window, so that a too-long min_lag_fs is recognisable as the cause.
        let (first, last) = (
            curves.lags.first().copied().unwrap_or(0),
            curves.lags.last().copied().unwrap_or(0),
        );
        return Err(DiffusionError::NotEnoughFrames {
            what: format!(
                "a fit of MSD(t) needs 3 lags; lags {first}–{last} frames ({} fs each, min_lag_fs {}) give {}, so it",
                s.frame_fs,
                s.min_lag_fs,
                curves.lags.len()
            ),
            needed: nsteps + 3 - curves.lags.len(),
            frames: nsteps,
        });
    }
    let dt: Vec<f64> = curves.lags.iter().map(|&k| k as f64 * s.frame_fs).collect();
    // Å²/fs → cm²/s is 0.1.
    let to_d = 0.1 / s.convention.divisor();
    let to_tracer = 0.1 / 6.0;
    let fit = pymatgen_fit(&dt, &curves.msd, weighted)?;
    let chg = pymatgen_fit(&dt, &curves.mscd, weighted)?;
    let slope = fit.slope.max(1e-15);
    let chg_slope = chg.slope.max(1e-15);
    let mut comps = [0.0; 3];
    for (k, c) in comps.iter_mut().enumerate() {
        let y: Vec<f64> = curves.components.iter().map(|v| v[k]).collect();
        *c = 3.0 * pymatgen_fit(&dt, &y, weighted)?.slope.max(1e-15) * to_d;
    }
    let z = s.charge.unwrap_or_else(|| default_charge(s.species));
    let factor = conversion_factor(atoms.len(), z, dc.volume_a3(), s.temperature_k);
    let gls = match &s.gls {
        Some(g) => Some(gls_report(&dc, &atoms, s, g, factor)?),
        None => None,
    };
    Ok(DiffusionReport {
        species: s.species.symbol().to_string(),
        temperature_k: s.temperature_k,
        n_diffusing: atoms.len(),
        n_frames: nsteps,
        convention: s.convention,
        diffusivity_cm2_s: slope * to_d,
        diffusivity_std_cm2_s: fit.slope_std * to_d,
        diffusivity_components_cm2_s: comps,
        conductivity_ms_cm: slope * to_tracer * factor,
        conductivity_std_ms_cm: fit.slope_std * to_tracer * factor,
        charge_diffusivity_cm2_s: chg_slope * to_d,
        charge_conductivity_ms_cm: chg_slope * to_tracer * factor,
        haven_ratio: slope / chg_slope,
        conversion_factor: factor,
        max_framework_displacement: if matches!(s.drift, Drift::None) && framework.is_empty() {
            None
        } else {
            disp.max_displacement_corrected(&framework, drift.as_deref())
        },
        dt_fs: dt,
        curves,
        gls,
    })
}

fn gls_report(
    dc: &Displacements,
    atoms: &[usize],
    s: &DiffusionSettings,
    g: &GlsSettings,
    factor: f64,
) -> Result<GlsReport> {
    let nf = dc.n_frames();
    let max = match g.sampling {
        Sampling::AllOrigins => nf - 1,
        Sampling::Kinisi => nf,
    };
    let lags = gls_lags(max, g.max_lags);
    let stats = msd_statistics(dc, atoms, &lags, g.sampling)?;
    let fit = gls_fit(&stats, s.frame_fs, g.start_fs, g.cond_max)?;
    let to_d = 0.1 / s.convention.divisor();
    Ok(GlsReport {
        diffusivity_cm2_s: fit.slope * to_d,
        std_cm2_s: fit.slope_std * to_d,
        conductivity_ms_cm: fit.slope * 0.1 / 6.0 * factor,
        fit,
        statistics: stats,
    })
}
