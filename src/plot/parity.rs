//! Parity plot: predictions against truths.

use super::{chart, colour, draw, legend, pe, range};
use crate::error::{Error, Result};
use plotters::prelude::*;

/// Parity plot of predictions against truth with the y = x line and R², RMSE in the caption;
/// with `sets` (e.g. `train`/`test` per point) one colour per set and its R² in the legend.
///
/// ```
/// let svg = amorph::plot::parity_svg(&[1.0, 2.0, 3.0], &[1.1, 1.9, 3.2], None, "Parity")?;
/// assert!(svg.contains("R² ="));
/// # Ok::<(), amorph::Error>(())
/// ```
pub fn parity_svg(
    y_true: &[f64],
    y_pred: &[f64],
    sets: Option<&[String]>,
    title: &str,
) -> Result<String> {
    if y_true.len() != y_pred.len() || y_true.is_empty() {
        return Err(Error::ParityLengths {
            truths: y_true.len(),
            predictions: y_pred.len(),
        });
    }
    let r2 = amorph_ml::metrics::r2(y_true, y_pred)?;
    let rmse = amorph_ml::metrics::rmse(y_true, y_pred)?;
    let r = range(y_true.iter().chain(y_pred).copied());
    let caption = format!(
        "{title}  (R² = {r2:.3}, RMSE = {rmse:.3}, n = {})",
        y_true.len()
    );
    let mut names: Vec<&str> = Vec::new();
    for s in sets.into_iter().flatten() {
        if !names.contains(&s.as_str()) {
            names.push(s);
        }
    }
    draw(|root| {
        let mut chart = chart(root, &caption, 16, 55, r.clone(), r.clone())?;
        chart
            .configure_mesh()
            .x_desc("true")
            .y_desc("predicted")
            .draw()
            .map_err(pe)?;
        chart
            .draw_series(LineSeries::new(
                [(r.start, r.start), (r.end, r.end)],
                BLACK.stroke_width(1),
            ))
            .map_err(pe)?;
        let Some(sets) = sets.filter(|s| s.len() == y_true.len()) else {
            chart
                .draw_series(
                    y_true
                        .iter()
                        .zip(y_pred)
                        .map(|(&t, &p)| Circle::new((t, p), 3, colour(0).mix(0.6).filled())),
                )
                .map_err(pe)?;
            return Ok(());
        };
        for (i, name) in names.iter().enumerate() {
            let idx: Vec<usize> = (0..sets.len()).filter(|&k| sets[k] == *name).collect();
            let (t, p): (Vec<f64>, Vec<f64>) = idx.iter().map(|&k| (y_true[k], y_pred[k])).unzip();
            let r2 = amorph_ml::metrics::r2(&t, &p).unwrap_or(f64::NAN);
            let c = colour(i);
            chart
                .draw_series(
                    t.iter()
                        .zip(&p)
                        .map(|(&t, &p)| Circle::new((t, p), 3, c.mix(0.6).filled())),
                )
                .map_err(pe)?
                .label(format!("{name} (R² = {r2:.3}, n = {})", t.len()))
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}
