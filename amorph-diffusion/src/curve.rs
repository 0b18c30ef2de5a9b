//! The whole MSD curve of a species beside the lags and line its diffusivity was fitted on
//! (what an MSD figure shows).

use crate::analysis::{DiffusionSettings, Smoothing, analyze};
use crate::displacement::Displacements;
use crate::error::Result;
use crate::fit::pymatgen_fit;
use crate::msd::msd_all_lags;

/// One point of an MSD curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MsdPoint {
    /// Lag time (fs).
    pub t_fs: f64,
    /// Mean-square displacement (Å²).
    pub msd: f64,
}

/// An MSD curve with the lags its diffusivity was fitted on and the fitted line.
#[derive(Clone, Debug, PartialEq)]
pub struct MsdFitCurve {
    /// Diffusing species.
    pub species: String,
    /// The whole curve: every lag, all time origins.
    pub curve: Vec<MsdPoint>,
    /// The fitted points (the lags and MSD of [`analyze`]'s pymatgen-compatible fit).
    pub fitted: Vec<MsdPoint>,
    /// Slope of the fitted line MSD = slope·t + intercept (Å²/fs).
    pub slope: f64,
    /// Intercept of the fitted line (Å²).
    pub intercept: f64,
    /// The diffusivity of the fit (cm²/s, in the settings' convention).
    pub d_cm2_s: f64,
}

/// The MSD of `s.species` with the pymatgen-compatible fit of [`analyze`] (same settings; the
/// GLS part of `s` is not used): the whole all-origins curve of the drift-corrected
/// displacements, the fitted points and the fitted line.
pub fn msd_fit_curve(disp: &Displacements, s: &DiffusionSettings) -> Result<MsdFitCurve> {
    let r = analyze(disp, s)?;
    let weighted = matches!(s.smoothing, Smoothing::Max { .. });
    let fit = pymatgen_fit(&r.dt_fs, &r.curves.msd, weighted)?;
    let atoms = disp.select(s.species)?;
    let dc = disp.drift_corrected(&s.drift, s.species)?;
    let all = msd_all_lags(&dc, &atoms);
    Ok(MsdFitCurve {
        species: r.species.clone(),
        curve: all
            .lags
            .iter()
            .zip(&all.msd)
            .map(|(&k, &msd)| MsdPoint {
                t_fs: k as f64 * s.frame_fs,
                msd,
            })
            .collect(),
        fitted: r
            .dt_fs
            .iter()
            .zip(&r.curves.msd)
            .map(|(&t_fs, &msd)| MsdPoint { t_fs, msd })
            .collect(),
        slope: fit.slope,
        intercept: fit.intercept,
        d_cm2_s: r.diffusivity_cm2_s,
    })
}
