//! Scatter plot of classed points.

use super::{chart, colour, draw, legend, pe, range};
use crate::error::{Error, Result};
use plotters::prelude::*;

/// A point of a scatter plot and the class that colours it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterPoint {
    /// Abscissa.
    pub x: f64,
    /// Ordinate.
    pub y: f64,
    /// Class (one colour and one legend entry per distinct class).
    pub class: String,
}

/// Scatter plot of labelled points, one colour per distinct `class`, in order of appearance.
pub fn scatter_svg(
    points: &[ScatterPoint],
    title: &str,
    xlabel: &str,
    ylabel: &str,
) -> Result<String> {
    if points.is_empty() {
        return Err(Error::NothingToPlot {
            figure: "scatter plot",
            reason: "no points",
        });
    }
    let mut classes: Vec<&str> = Vec::new();
    for p in points {
        if !classes.contains(&p.class.as_str()) {
            classes.push(&p.class);
        }
    }
    let xr = range(points.iter().map(|p| p.x));
    let yr = range(points.iter().map(|p| p.y));
    draw(|root| {
        let mut chart = chart(root, title, 18, 55, xr, yr)?;
        chart
            .configure_mesh()
            .x_desc(xlabel)
            .y_desc(ylabel)
            .draw()
            .map_err(pe)?;
        for (i, cls) in classes.iter().enumerate() {
            let c = colour(i);
            chart
                .draw_series(
                    points
                        .iter()
                        .filter(|p| p.class == *cls)
                        .map(|p| Circle::new((p.x, p.y), 4, c.filled())),
                )
                .map_err(pe)?
                .label(cls.to_string())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}
