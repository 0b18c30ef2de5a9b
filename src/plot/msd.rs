//! MSD against lag time with the fitted window and line.

use super::{chart, colour, draw, legend, log_range, pe, tick};
use crate::error::{Error, Result};
use amorph_diffusion::MsdFitCurve;
use plotters::prelude::*;

/// MSD against lag time on log–log axes, the fitted window shaded, the fitted points and line
/// ([`amorph_diffusion::msd_fit_curve`] computes `m`).
pub fn msd_svg(m: &MsdFitCurve, title: &str) -> Result<String> {
    let ps = |t: f64| t / 1000.0;
    let positive = |pts: &[amorph_diffusion::MsdPoint]| -> Vec<(f64, f64)> {
        pts.iter()
            .filter(|p| p.t_fs > 0.0 && p.msd > 0.0)
            .map(|p| (ps(p.t_fs), p.msd))
            .collect()
    };
    let curve = positive(&m.curve);
    let fitted = positive(&m.fitted);
    let (Some(xr), Some(yr)) = (
        log_range(curve.iter().chain(&fitted).map(|p| p.0)),
        log_range(curve.iter().chain(&fitted).map(|p| p.1)),
    ) else {
        return Err(Error::NothingToPlot {
            figure: "MSD plot",
            reason: "no positive MSD values",
        });
    };
    let (w0, w1) = fitted
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.0), b.max(p.0))
        });
    // The fitted line over the window, at points where it is positive (log axes).
    let line: Vec<(f64, f64)> = (0..=60)
        .map(|k| w0 * (w1 / w0).powf(k as f64 / 60.0))
        .map(|t| (t, m.slope * t * 1000.0 + m.intercept))
        .filter(|p| p.1 > 0.0)
        .collect();
    draw(|root| {
        let mut chart = chart(
            root,
            title,
            18,
            60,
            xr.clone().log_scale(),
            yr.clone().log_scale(),
        )?;
        chart
            .configure_mesh()
            .x_desc("lag time t (ps)")
            .y_desc(format!("MSD of {} (Å²)", m.species))
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(pe)?;
        if w0.is_finite() && w1 > w0 {
            let shade = colour(1).mix(0.15);
            chart
                .draw_series([Rectangle::new(
                    [(w0, yr.start), (w1, yr.end)],
                    shade.filled(),
                )])
                .map_err(pe)?
                .label(format!("fitted window {w0:.3}–{w1:.3} ps"))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 16, y + 5)], shade.filled())
                });
        }
        let c0 = colour(0);
        chart
            .draw_series(LineSeries::new(curve.iter().copied(), c0.stroke_width(2)))
            .map_err(pe)?
            .label(format!("MSD ({}, all time origins)", m.species))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], c0.stroke_width(2)));
        let c1 = colour(1);
        chart
            .draw_series(fitted.iter().map(|&p| Circle::new(p, 2, c1.filled())))
            .map_err(pe)?
            .label("fitted points")
            .legend(move |(x, y)| Circle::new((x + 8, y), 3, c1.filled()));
        if line.len() >= 2 {
            chart
                .draw_series(LineSeries::new(line.iter().copied(), BLACK.stroke_width(2)))
                .map_err(pe)?
                .label(format!("fit: D = {:.3e} cm²/s", m.d_cm2_s))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}
