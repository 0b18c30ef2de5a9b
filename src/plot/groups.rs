//! Distributions of values per group: box plots with the points.

use super::{chart, colour, draw, pe, range};
use crate::error::{Error, Result};
use plotters::prelude::*;

/// A named group of values (e.g. the D of every composition of one anion family).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The name below the box, followed by the number of values.
    pub name: String,
    /// The values.
    pub values: Vec<f64>,
}

/// Distributions of values per group: box (quartiles), median line, whiskers to min/max and
/// the individual points; `log` plots log₁₀ of positive values. Groups without a (positive,
/// finite) value are left out.
pub fn groups_svg(groups: &[Group], title: &str, ylabel: &str, log: bool) -> Result<String> {
    let tf = |v: f64| if log { v.log10() } else { v };
    let groups: Vec<(String, Vec<f64>)> = groups
        .iter()
        .map(|g| {
            let mut v: Vec<f64> = g
                .values
                .iter()
                .filter(|x| !log || **x > 0.0)
                .map(|x| tf(*x))
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            (g.name.clone(), v)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if groups.is_empty() {
        return Err(Error::NothingToPlot {
            figure: "distribution plot",
            reason: "no values",
        });
    }
    let n = groups.len();
    let yr = range(groups.iter().flat_map(|g| g.1.iter().copied()));
    let q = |v: &[f64], p: f64| {
        let x = p * (v.len() - 1) as f64;
        let (i, f) = (x.floor() as usize, x - x.floor());
        v[i] + f * (v[(i + 1).min(v.len() - 1)] - v[i])
    };
    draw(|root| {
        let mut chart = chart(root, title, 18, 55, 0.0..n as f64, yr.clone())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(ylabel)
            .draw()
            .map_err(pe)?;
        for (i, (name, v)) in groups.iter().enumerate() {
            let x = i as f64 + 0.5;
            let c = colour(i);
            let (q1, med, q3) = (q(v, 0.25), q(v, 0.5), q(v, 0.75));
            chart
                .draw_series([
                    Rectangle::new([(x - 0.3, q1), (x + 0.3, q3)], c.mix(0.25).filled()),
                    Rectangle::new([(x - 0.3, q1), (x + 0.3, q3)], c.stroke_width(1)),
                ])
                .map_err(pe)?;
            chart
                .draw_series(LineSeries::new(
                    [(x - 0.3, med), (x + 0.3, med)],
                    BLACK.stroke_width(2),
                ))
                .map_err(pe)?;
            for seg in [[(x, v[0]), (x, q1)], [(x, q3), (x, v[v.len() - 1])]] {
                chart
                    .draw_series(LineSeries::new(seg, c.stroke_width(1)))
                    .map_err(pe)?;
            }
            // Deterministic jitter so the points of a group do not overlap.
            chart
                .draw_series(v.iter().enumerate().map(|(k, &y)| {
                    let j = ((k * 7919) % 101) as f64 / 100.0 - 0.5;
                    Circle::new((x + 0.4 * j, y), 2, c.mix(0.7).filled())
                }))
                .map_err(pe)?;
            chart
                .draw_series([Text::new(
                    format!("{name} ({})", v.len()),
                    (x - 0.35, yr.start),
                    ("sans-serif", 12).into_font(),
                )])
                .map_err(pe)?;
        }
        Ok(())
    })
}
