//! Horizontal bar charts: signed values (correlations) and importances.

use super::{H, W, chart, colour, draw_sized, pe};
use crate::error::{Error, Result};
use plotters::prelude::*;

/// One labelled bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The label left of the bar, e.g. a feature name.
    pub label: String,
    /// Its value (negative bars point left).
    pub value: f64,
}

/// Horizontal signed bars (e.g. Pearson r of each feature), in the given order, top to bottom;
/// the figure grows with the number of bars.
pub fn bars_svg(items: &[Bar], title: &str, xlabel: &str) -> Result<String> {
    if items.is_empty() {
        return Err(Error::NothingToPlot {
            figure: "bar plot",
            reason: "no values",
        });
    }
    let n = items.len();
    let lo = items.iter().map(|i| i.value).fold(0.0f64, f64::min);
    let hi = items.iter().map(|i| i.value).fold(0.0f64, f64::max);
    let pad = 0.05 * (hi - lo).max(1e-9);
    let height = (60 + 16 * n as u32).max(H);
    draw_sized(W, height, |root| {
        let mut chart = chart(
            root,
            title,
            18,
            190,
            lo - pad..hi + pad,
            (0..n).into_segmented(),
        )?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < n => items[n - 1 - *i].label.clone(),
                _ => String::new(),
            })
            .x_desc(xlabel)
            .draw()
            .map_err(pe)?;
        chart
            .draw_series(items.iter().enumerate().map(|(k, bar)| {
                let i = n - 1 - k;
                let v = bar.value;
                let c = if v >= 0.0 { colour(0) } else { colour(3) };
                let mut r = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(i)),
                        (v, SegmentValue::Exact(i + 1)),
                    ],
                    c.filled(),
                );
                r.set_margin(2, 2, 0, 0);
                r
            }))
            .map_err(pe)?;
        Ok(())
    })
}

/// Feature importances as horizontal bars, largest on top: the `top` largest finite ones of
/// `items`.
pub fn importance_svg(items: &[Bar], top: usize, title: &str) -> Result<String> {
    let mut v: Vec<Bar> = items
        .iter()
        .filter(|i| i.value.is_finite())
        .cloned()
        .collect();
    v.sort_by(|a, b| b.value.total_cmp(&a.value));
    v.truncate(top.max(1));
    if v.is_empty() {
        return Err(Error::NothingToPlot {
            figure: "importance plot",
            reason: "the model has no feature importances",
        });
    }
    bars_svg(&v, title, "importance")
}
