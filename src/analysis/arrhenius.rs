//! Per-composition Arrhenius series and fits of a table of D(T).

use crate::error::{Context as _, Result, read_text};
use crate::plot::{ArrheniusLine, ArrheniusSeries, DPoint};
use amorph_diffusion::{ArrheniusFit, ArrheniusRow, fit_arrhenius};
use std::path::Path;

/// One composition's D(T) points and their Arrhenius fit.
#[derive(Clone, Debug, PartialEq)]
pub struct CompositionFit {
    /// The formula (the rows' group).
    pub formula: String,
    /// Its D(T) points.
    pub points: Vec<DPoint>,
    /// Their fit (weighted when every point has a σ).
    pub fit: ArrheniusFit,
}

impl CompositionFit {
    /// The fits of every composition of an Arrhenius table (`amorph arrhenius`'s input, e.g.
    /// the paper's `feature_target.dat`, whose D is then in cm²/s); compositions whose fit
    /// fails are left out. Errors name the file.
    pub fn read_table(path: &Path) -> Result<Vec<CompositionFit>> {
        let rows = amorph_diffusion::parse_table(&read_text(path)?)
            .context_with(|| path.display().to_string())?;
        Ok(composition_fits(&rows))
    }

    /// The fitted line.
    pub fn line(&self) -> ArrheniusLine {
        ArrheniusLine {
            d0: self.fit.d0,
            ea_ev: self.fit.ea_ev,
        }
    }
}

/// The rows grouped by their group, in order of first appearance; rows without a group go to
/// the group `default_label`.
fn grouped(rows: &[ArrheniusRow], default_label: &str) -> Vec<(String, Vec<DPoint>)> {
    let mut groups: Vec<(String, Vec<DPoint>)> = Vec::new();
    for r in rows {
        let g = r.group.as_deref().unwrap_or(default_label);
        let p = DPoint {
            t: r.temperature_k,
            d: r.d,
            sigma: r.d_std,
        };
        match groups.iter_mut().find(|x| x.0 == g) {
            Some(x) => x.1.push(p),
            None => groups.push((g.to_string(), vec![p])),
        }
    }
    groups
}

/// The Arrhenius fit of points, weighted when every point has a σ.
fn fit_points(points: &[DPoint]) -> amorph_diffusion::Result<ArrheniusFit> {
    let t: Vec<f64> = points.iter().map(|p| p.t).collect();
    let d: Vec<f64> = points.iter().map(|p| p.d).collect();
    let s: Option<Vec<f64>> = points.iter().map(|p| p.sigma).collect();
    fit_arrhenius(&t, &d, s.as_deref())
}

/// One [`ArrheniusSeries`] per group of `rows` (rows without a group form the series
/// `default_label`), each with its fitted line where the fit succeeds.
///
/// ```
/// use amorph::analysis::arrhenius_series;
///
/// let text = "formula,temperature,d\nA,1000,1e-6\nA,1500,1e-5\nA,2000,4e-5\nB,1000,2e-6\n";
/// let rows = amorph::diffusion::parse_table(text)?;
/// let series = arrhenius_series(&rows, "D");
/// assert_eq!(series.len(), 2);
/// assert!(series[0].fit.is_some() && series[1].fit.is_none()); // one point: no fit
/// let svg = amorph::plot::arrhenius_svg(&series, "D(T)")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn arrhenius_series(rows: &[ArrheniusRow], default_label: &str) -> Vec<ArrheniusSeries> {
    grouped(rows, default_label)
        .into_iter()
        .map(|(label, points)| {
            let fit = fit_points(&points).ok().map(|f| ArrheniusLine {
                d0: f.d0,
                ea_ev: f.ea_ev,
            });
            ArrheniusSeries { label, points, fit }
        })
        .collect()
}

/// The fit of each group of `rows` (in order of first appearance); groups whose fit fails are
/// left out.
pub fn composition_fits(rows: &[ArrheniusRow]) -> Vec<CompositionFit> {
    grouped(rows, "")
        .into_iter()
        .filter_map(|(formula, points)| {
            let fit = fit_points(&points).ok()?;
            Some(CompositionFit {
                formula,
                points,
                fit,
            })
        })
        .collect()
}
