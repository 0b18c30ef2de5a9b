//! Arrhenius plot: log₁₀ D against 1000/T.

use super::{chart, colour, draw, legend, pe, range};
use crate::error::{Error, Result};
use plotters::prelude::*;

/// One diffusivity at one temperature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DPoint {
    /// Temperature (K).
    pub t: f64,
    /// Diffusivity (any unit; the report's are cm²/s).
    pub d: f64,
    /// Its standard deviation σ(D), in the unit of `d`, where known.
    pub sigma: Option<f64>,
}

/// An Arrhenius line D(T) = D₀ exp(−Eₐ / k_B T).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArrheniusLine {
    /// The prefactor D₀ (the unit of the points' D).
    pub d0: f64,
    /// The activation energy Eₐ (eV).
    pub ea_ev: f64,
}

/// One composition's D(T): its label, its points and the fit whose line is drawn over the
/// temperatures of the points.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrheniusSeries {
    /// Legend label, e.g. the formula.
    pub label: String,
    /// D(T) points; those with T ≤ 0 or D ≤ 0 are not drawn.
    pub points: Vec<DPoint>,
    /// The fitted line, if any (drawn when D₀ > 0 and Eₐ is finite).
    pub fit: Option<ArrheniusLine>,
}

/// Arrhenius plot: log₁₀ D against 1000/T, one colour per series, ±σ error bars and the
/// Arrhenius line of each series' fit. An error when no series has a positive point.
pub fn arrhenius_svg(series: &[ArrheniusSeries], title: &str) -> Result<String> {
    let pts = |s: &ArrheniusSeries| -> Vec<(f64, f64, f64, f64)> {
        s.points
            .iter()
            .filter(|p| p.t > 0.0 && p.d > 0.0)
            .map(|&DPoint { t, d, sigma }| {
                let sd = sigma.unwrap_or(0.0).max(0.0);
                let lo = if d - sd > 0.0 {
                    (d - sd).log10()
                } else {
                    d.log10() - 0.5
                };
                (1000.0 / t, d.log10(), lo, (d + sd).log10())
            })
            .collect()
    };
    let all: Vec<_> = series.iter().flat_map(pts).collect();
    if all.is_empty() {
        return Err(Error::NothingToPlot {
            figure: "arrhenius plot",
            reason: "no positive D(T) points",
        });
    }
    let xr = range(all.iter().map(|p| p.0));
    let yr = range(all.iter().flat_map(|p| [p.2, p.3]));
    draw(|root| {
        let mut chart = chart(root, title, 18, 55, xr, yr)?;
        chart
            .configure_mesh()
            .x_desc("1000 / T (1/K)")
            .y_desc("log10 D (cm²/s)")
            .draw()
            .map_err(pe)?;
        for (i, s) in series.iter().enumerate() {
            let p = pts(s);
            if p.is_empty() {
                continue;
            }
            let c = colour(i);
            chart
                .draw_series(
                    p.iter()
                        .map(|&(x, y, lo, hi)| ErrorBar::new_vertical(x, lo, y, hi, c.filled(), 6)),
                )
                .map_err(pe)?
                .label(s.label.clone())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
            chart
                .draw_series(
                    p.iter()
                        .map(|&(x, y, _, _)| Circle::new((x, y), 4, c.filled())),
                )
                .map_err(pe)?;
            if let Some(ArrheniusLine { d0, ea_ev: ea }) =
                s.fit.filter(|f| f.d0 > 0.0 && f.ea_ev.is_finite())
            {
                // log10 D = log10 D0 - Ea / (kB T ln 10), with x = 1000 / T.
                let (x0, x1) = p
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, z), q| {
                        (a.min(q.0), z.max(q.0))
                    });
                let line = |x: f64| {
                    d0.log10()
                        - ea * x / 1000.0 / amorph_core::units::KB_EV / std::f64::consts::LN_10
                };
                chart
                    .draw_series(LineSeries::new(
                        [(x0, line(x0)), (x1, line(x1))],
                        c.stroke_width(1),
                    ))
                    .map_err(pe)?;
            }
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}
