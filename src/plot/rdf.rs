//! Partial RDFs, alone or two sets overlaid.

use super::{Area, Chart, chart, colour, draw, legend, pe};
use crate::error::{Error, Result};
use amorph_diffusion::{PartialRdf, RdfComparison};
use plotters::prelude::*;
use std::ops::Range;

/// Range of r and of g(r) over a set of RDFs (0 to the highest value, padded).
fn rdf_ranges<'r>(
    sets: impl IntoIterator<Item = &'r PartialRdf> + Clone,
) -> Result<(Range<f64>, Range<f64>)> {
    let rmax = sets
        .clone()
        .into_iter()
        .flat_map(|p| p.r.iter().copied())
        .fold(0.0f64, f64::max);
    let gmax = sets
        .into_iter()
        .flat_map(|p| p.g.iter().copied())
        .filter(|g| g.is_finite())
        .fold(0.0f64, f64::max);
    if rmax <= 0.0 {
        return Err(Error::NothingToPlot {
            figure: "RDF plot",
            reason: "no pairs",
        });
    }
    Ok((0.0..rmax, 0.0..(gmax * 1.08).max(1.2)))
}

/// The axes of an RDF figure: g(r) against r, no minor grid.
fn rdf_chart<'a, 'b>(
    root: &'a Area<'b>,
    caption: &str,
    caption_size: u32,
    x: Range<f64>,
    y: Range<f64>,
) -> Result<Chart<'a, 'b, Range<f64>, Range<f64>>> {
    let mut c = chart(root, caption, caption_size, 45, x, y)?;
    c.configure_mesh()
        .x_desc("r (Å)")
        .y_desc("g(r)")
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(pe)?;
    Ok(c)
}

/// g(r) of `p` as a solid line of colour `c` with its legend entry `label`.
fn solid_line(
    chart: &mut Chart<'_, '_, Range<f64>, Range<f64>>,
    p: &PartialRdf,
    c: RGBColor,
    label: String,
) -> Result<()> {
    chart
        .draw_series(LineSeries::new(
            p.r.iter().copied().zip(p.g.iter().copied()),
            c.stroke_width(2),
        ))
        .map_err(pe)?
        .label(label)
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], c.stroke_width(2)));
    Ok(())
}

/// Partial RDFs g_ab(r), one line per pair, and the line g = 1.
pub fn rdf_svg(rdfs: &[PartialRdf], title: &str) -> Result<String> {
    let (xr, yr) = rdf_ranges(rdfs)?;
    draw(|root| {
        let mut chart = rdf_chart(root, title, 18, xr.clone(), yr)?;
        chart
            .draw_series(DashedLineSeries::new(
                [(xr.start, 1.0), (xr.end, 1.0)],
                4,
                4,
                BLACK.mix(0.4).stroke_width(1),
            ))
            .map_err(pe)?;
        for (i, p) in rdfs.iter().enumerate() {
            solid_line(&mut chart, p, colour(i), p.label())?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// Two RDF sets overlaid, `a` solid and `b` dashed, one colour per pair of `cmp`
/// ([`amorph_diffusion::compare_rdfs`]), R² per pair in the legend and the pooled R² in the
/// caption.
pub fn rdf_compare_svg(
    a: &[PartialRdf],
    b: &[PartialRdf],
    cmp: &RdfComparison,
    title: &str,
) -> Result<String> {
    let pairs: Vec<(&PartialRdf, &PartialRdf, f64)> = cmp
        .per_pair
        .iter()
        .filter_map(|(label, r2)| {
            let x = a.iter().find(|p| p.label() == *label)?;
            let y = b.iter().find(|p| p.label() == *label)?;
            Some((x, y, *r2))
        })
        .collect();
    if pairs.is_empty() {
        return Err(Error::NothingToPlot {
            figure: "RDF comparison plot",
            reason: "no common pair",
        });
    }
    let (xr, yr) = rdf_ranges(pairs.iter().flat_map(|p| [p.0, p.1]))?;
    let caption = format!("{title} (R² = {:.3})", cmp.r2);
    draw(|root| {
        let mut chart = rdf_chart(root, &caption, 16, xr, yr)?;
        for (i, (x, y, r2)) in pairs.iter().enumerate() {
            let c = colour(i);
            solid_line(&mut chart, x, c, format!("{} R² = {r2:.3}", x.label()))?;
            chart
                .draw_series(DashedLineSeries::new(
                    y.r.iter().copied().zip(y.g.iter().copied()),
                    6,
                    4,
                    c.stroke_width(2),
                ))
                .map_err(pe)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}
