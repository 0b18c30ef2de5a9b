//! Figures: every function draws with plotters' SVG backend and returns a complete `<svg>`
//! document as a string, so that a report can inline it and a program can write it to a file
//! ([`write_figure`]). A `.png` output is that SVG rasterised by resvg at [`PNG_SCALE`]× with an
//! embedded Noto Sans face (crate `ttf-noto-sans`), so PNGs need no system font.
//!
//! Each figure takes typed series: [`ArrheniusSeries`] of [`DPoint`]s, [`Bar`]s, [`Group`]s,
//! [`ScatterPoint`]s, [`ElementValue`]s, an [`MsdFitCurve`] or [`PartialRdf`]s. One figure
//! kind is one file of this module plus one `pub use` line here.
//!
//! ```
//! use amorph::plot::{ArrheniusLine, ArrheniusSeries, DPoint, arrhenius_svg};
//!
//! let points = [(1000.0, 1e-6), (1500.0, 1e-5), (2000.0, 4e-5)]
//!     .map(|(t, d)| DPoint { t, d, sigma: Some(0.1 * d) })
//!     .to_vec();
//! let series = ArrheniusSeries {
//!     label: "Li2O".into(),
//!     points,
//!     fit: Some(ArrheniusLine { d0: 1e-2, ea_ev: 0.8 }),
//! };
//! let svg = arrhenius_svg(&[series], "Arrhenius plot")?;
//! assert!(svg.starts_with("<svg") && svg.contains("Li2O"));
//! # Ok::<(), amorph::Error>(())
//! ```
//!
//! [`MsdFitCurve`]: amorph_diffusion::MsdFitCurve
//! [`PartialRdf`]: amorph_diffusion::PartialRdf

use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::coord::ranged1d::AsRangedCoord;
use plotters::prelude::*;

mod arrhenius;
mod bars;
mod groups;
mod heatmap;
mod msd;
mod output;
mod parity;
mod rdf;
mod scatter;

pub use arrhenius::{ArrheniusLine, ArrheniusSeries, DPoint, arrhenius_svg};
pub use bars::{Bar, bars_svg, importance_svg};
pub use groups::{Group, groups_svg};
pub use heatmap::{ElementValue, heatmap_svg};
pub use msd::msd_svg;
pub use output::{Format, PNG_SCALE, Written, svg_to_png, write_figure};
pub use parity::parity_svg;
pub use rdf::{rdf_compare_svg, rdf_svg};
pub use scatter::{ScatterPoint, scatter_svg};

/// Width of a figure (SVG user units).
const W: u32 = 640;
/// Height of a figure (SVG user units); bar charts grow with their bars.
const H: u32 = 420;

/// Colour of series `i` (a fixed qualitative palette).
fn colour(i: usize) -> RGBColor {
    const P: [RGBColor; 10] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
        RGBColor(188, 189, 34),
        RGBColor(23, 190, 207),
    ];
    P[i % P.len()]
}

type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;
type Chart<'a, 'b, X, Y> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>,
>;

/// Draws a `w`×`h` white figure with `f` and returns the SVG document.
fn draw_sized<F>(w: u32, h: u32, f: F) -> Result<String>
where
    F: FnOnce(&Area) -> Result<()>,
{
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(pe)?;
        f(&root)?;
        root.present().map_err(pe)?;
    }
    Ok(svg)
}

/// Draws a figure of the standard size with `f`.
fn draw<F>(f: F) -> Result<String>
where
    F: FnOnce(&Area) -> Result<()>,
{
    draw_sized(W, H, f)
}

/// The common chart frame: caption, margin, label areas (`y_area` pixels for the y labels).
fn chart<'a, 'b, X: AsRangedCoord, Y: AsRangedCoord>(
    root: &'a Area<'b>,
    caption: &str,
    caption_size: u32,
    y_area: u32,
    x: X,
    y: Y,
) -> Result<Chart<'a, 'b, X, Y>> {
    ChartBuilder::on(root)
        .caption(caption, ("sans-serif", caption_size))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x, y)
        .map_err(pe)
}

/// The series legend (white box, black border) at `pos`.
fn legend<'a, 'b, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    pos: SeriesLabelPosition,
) -> Result<()>
where
    'b: 'a,
{
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(pos)
        .draw()
        .map_err(pe)
}

/// A drawing error of plotters as an [`Error::Draw`].
fn pe<E: std::error::Error + Send + Sync + 'static>(e: E) -> Error {
    Error::Draw(Box::new(e))
}

/// Range of finite values padded by 5 % (a unit range around a single value).
fn range(values: impl IntoIterator<Item = f64>) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    if hi - lo < 1e-12 {
        return lo - 0.5..hi + 0.5;
    }
    let pad = 0.05 * (hi - lo);
    lo - pad..hi + pad
}

/// A tick label with at most 3 decimals and no trailing zeros (0.1, 1, 2.5, 10).
fn tick(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Range of the positive finite values widened by a factor 1.25 each way (for log axes).
fn log_range(values: impl IntoIterator<Item = f64>) -> Option<std::ops::Range<f64>> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite() && *v > 0.0) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    lo.is_finite().then(|| lo / 1.25..hi * 1.25)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_ticks() {
        assert_eq!(range([1.0, 1.0]), 0.5..1.5);
        assert_eq!(range([f64::NAN]), 0.0..1.0);
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(-0.0001), "0");
        assert_eq!(log_range([-1.0, 0.0]), None);
    }
}
