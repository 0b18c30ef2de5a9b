//! `amorph plot KIND ...` and the figures of `amorph report`.
//!
//! Every figure function draws with plotters' SVG backend and returns a complete `<svg>` document
//! as a string, so the report can inline it and `amorph plot` can write it to a file. A `.png`
//! output is that SVG rasterised by resvg at [`PNG_SCALE`]× with an embedded Noto Sans face
//! (crate `ttf-noto-sans`), so PNGs need no system font.

use super::Outcome;
use super::diffusion::{MsdArgs, RdfCommon};
use amorph_core::Element;
use amorph_diffusion::{PartialRdf, RdfComparison, Smoothing, msd_all_lags, pymatgen_fit};
use anyhow::{Context, bail};
use plotters::coord::Shift;
use plotters::coord::ranged1d::AsRangedCoord;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

const W: u32 = 640;
const H: u32 = 420;

/// A PNG has this many pixels per SVG user unit (a 640×420 figure becomes 1280×840 pixels).
pub(crate) const PNG_SCALE: f32 = 2.0;

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
fn draw_sized<F>(w: u32, h: u32, f: F) -> anyhow::Result<String>
where
    F: FnOnce(&Area) -> anyhow::Result<()>,
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

fn draw<F>(f: F) -> anyhow::Result<String>
where
    F: FnOnce(&Area) -> anyhow::Result<()>,
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
) -> anyhow::Result<Chart<'a, 'b, X, Y>> {
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
) -> anyhow::Result<()>
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

fn pe<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("plot: {e:?}")
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

// ------------------------------------------------------------------ output formats

/// Figure file formats, chosen by the output path's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `.svg`: the plotters document as is.
    Svg,
    /// `.png`: the SVG rasterised by resvg.
    Png,
}

impl Format {
    /// The format of `path` by its extension (case-insensitive); an error names the path.
    pub(crate) fn of(path: &Path) -> anyhow::Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => bail!(
                "{}: unknown figure format (the extension must be .svg or .png)",
                path.display()
            ),
        }
    }
    fn name(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// The embedded font database: Noto Sans Regular answers every family, so rendering does not
/// depend on the fonts installed on the machine.
fn font_db() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(ttf_noto_sans::REGULAR.to_vec());
        for set in [
            resvg::usvg::fontdb::Database::set_sans_serif_family,
            resvg::usvg::fontdb::Database::set_serif_family,
            resvg::usvg::fontdb::Database::set_monospace_family,
        ] {
            set(&mut db, "Noto Sans".to_string());
        }
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG document to PNG bytes at [`PNG_SCALE`]; returns (bytes, width, height).
pub(crate) fn svg_to_png(svg: &str) -> anyhow::Result<(Vec<u8>, u32, u32)> {
    use resvg::{tiny_skia, usvg};
    let opt = usvg::Options {
        fontdb: font_db(),
        font_family: "Noto Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| anyhow::anyhow!("svg: {e}"))?;
    let size = tree.size();
    let w = (size.width() * PNG_SCALE).ceil() as u32;
    let h = (size.height() * PNG_SCALE).ceil() as u32;
    let mut pix = tiny_skia::Pixmap::new(w, h)
        .with_context(|| format!("png: cannot allocate {w}×{h} pixels"))?;
    pix.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pix.as_mut(),
    );
    let png = pix.encode_png().map_err(|e| anyhow::anyhow!("png: {e}"))?;
    Ok((png, w, h))
}

/// Size (width, height) in user units of an SVG written by plotters.
fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let head = &svg[svg.find("<svg")?..];
    let attr = |name: &str| -> Option<u32> {
        let i = head.find(&format!(" {name}=\""))? + name.len() + 3;
        head[i..].split('"').next()?.parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

/// What [`write_figure`] wrote.
pub(crate) struct Written {
    format: Format,
    bytes: usize,
    width: u32,
    height: u32,
}

/// Writes `svg` to `path` as SVG or PNG by the extension (checked before any work by
/// [`Format::of`]); errors name the path.
pub(crate) fn write_figure(path: &Path, svg: &str) -> anyhow::Result<Written> {
    let format = Format::of(path)?;
    let name = || path.display().to_string();
    let (bytes, width, height) = match format {
        Format::Svg => {
            std::fs::write(path, svg).with_context(name)?;
            let (w, h) = svg_size(svg).unwrap_or((0, 0));
            (svg.len(), w, h)
        }
        Format::Png => {
            let (png, w, h) = svg_to_png(svg).with_context(name)?;
            std::fs::write(path, &png).with_context(name)?;
            (png.len(), w, h)
        }
    };
    Ok(Written {
        format,
        bytes,
        width,
        height,
    })
}

// ------------------------------------------------------------------ figures

/// One composition's D(T) for an Arrhenius plot: label, points (temperature K, D cm²/s, σ(D)) and
/// the fitted (D₀, Eₐ in eV) whose line is drawn over the temperatures of the points.
pub(crate) type ArrheniusSeries = (String, Vec<(f64, f64, Option<f64>)>, Option<(f64, f64)>);

/// Arrhenius plot: log₁₀ D against 1000/T, one colour per series, ±σ error bars and the
/// Arrhenius line of each series' fit.
pub(crate) fn arrhenius_svg(series: &[ArrheniusSeries], title: &str) -> anyhow::Result<String> {
    let pts = |s: &ArrheniusSeries| -> Vec<(f64, f64, f64, f64)> {
        s.1.iter()
            .filter(|(t, d, _)| *t > 0.0 && *d > 0.0)
            .map(|(t, d, sd)| {
                let sd = sd.unwrap_or(0.0).max(0.0);
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
        bail!("arrhenius plot: no positive D(T) points");
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
                .label(s.0.clone())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
            chart
                .draw_series(
                    p.iter()
                        .map(|&(x, y, _, _)| Circle::new((x, y), 4, c.filled())),
                )
                .map_err(pe)?;
            if let Some((d0, ea)) = s.2.filter(|(d0, ea)| *d0 > 0.0 && ea.is_finite()) {
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

/// Parity plot of predictions against truth with the y = x line and R², RMSE in the caption;
/// with `sets` (e.g. train/test per point) one colour per set and its R² in the legend.
pub(crate) fn parity_svg(
    y_true: &[f64],
    y_pred: &[f64],
    sets: Option<&[String]>,
    title: &str,
) -> anyhow::Result<String> {
    if y_true.len() != y_pred.len() || y_true.is_empty() {
        bail!(
            "parity plot: {} true and {} predicted values",
            y_true.len(),
            y_pred.len()
        );
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

/// Horizontal signed bars (e.g. Pearson r of each feature), in the given order, top to bottom.
pub(crate) fn bars_svg(
    items: &[(String, f64)],
    title: &str,
    xlabel: &str,
) -> anyhow::Result<String> {
    if items.is_empty() {
        bail!("bar plot: no values");
    }
    let n = items.len();
    let lo = items.iter().map(|i| i.1).fold(0.0f64, f64::min);
    let hi = items.iter().map(|i| i.1).fold(0.0f64, f64::max);
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
                SegmentValue::CenterOf(i) if *i < n => items[n - 1 - *i].0.clone(),
                _ => String::new(),
            })
            .x_desc(xlabel)
            .draw()
            .map_err(pe)?;
        chart
            .draw_series(items.iter().enumerate().map(|(k, (_, v))| {
                let i = n - 1 - k;
                let c = if *v >= 0.0 { colour(0) } else { colour(3) };
                let mut r = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(i)),
                        (*v, SegmentValue::Exact(i + 1)),
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

/// Feature importances as horizontal bars, largest on top: the `top` largest of `items`.
pub(crate) fn importance_svg(
    items: &[(String, f64)],
    top: usize,
    title: &str,
) -> anyhow::Result<String> {
    let mut v: Vec<(String, f64)> = items.iter().filter(|i| i.1.is_finite()).cloned().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.truncate(top.max(1));
    if v.is_empty() {
        bail!("importance plot: the model has no feature importances");
    }
    bars_svg(&v, title, "importance")
}

/// Distributions of values per group: box (quartiles), median line, whiskers to min/max and
/// the individual points; `log` plots log₁₀ of positive values.
pub(crate) fn groups_svg(
    groups: &[(String, Vec<f64>)],
    title: &str,
    ylabel: &str,
    log: bool,
) -> anyhow::Result<String> {
    let tf = |v: f64| if log { v.log10() } else { v };
    let groups: Vec<(String, Vec<f64>)> = groups
        .iter()
        .map(|(g, v)| {
            let mut v: Vec<f64> = v
                .iter()
                .filter(|x| !log || **x > 0.0)
                .map(|x| tf(*x))
                .filter(|x| x.is_finite())
                .collect();
            v.sort_by(f64::total_cmp);
            (g.clone(), v)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if groups.is_empty() {
        bail!("distribution plot: no values");
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

/// Scatter plot of labelled points, one colour per distinct `class`.
pub(crate) fn scatter_svg(
    points: &[(f64, f64, String)],
    title: &str,
    xlabel: &str,
    ylabel: &str,
) -> anyhow::Result<String> {
    if points.is_empty() {
        bail!("scatter plot: no points");
    }
    let mut classes: Vec<&str> = Vec::new();
    for p in points {
        if !classes.contains(&p.2.as_str()) {
            classes.push(&p.2);
        }
    }
    let xr = range(points.iter().map(|p| p.0));
    let yr = range(points.iter().map(|p| p.1));
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
                        .filter(|p| p.2 == *cls)
                        .map(|p| Circle::new((p.0, p.1), 4, c.filled())),
                )
                .map_err(pe)?
                .label(cls.to_string())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// An MSD curve with the lags its diffusivity was fitted on and the fitted line.
pub(crate) struct MsdPlot {
    /// Diffusing species.
    pub species: String,
    /// Lag times (fs) and MSD (Å²) of the whole curve (all time origins).
    pub curve: Vec<(f64, f64)>,
    /// The fitted points: lag time (fs), MSD (Å²).
    pub fitted: Vec<(f64, f64)>,
    /// Fitted line MSD = slope·t + intercept (Å²/fs, Å²).
    pub slope: f64,
    /// Intercept of the fitted line (Å²).
    pub intercept: f64,
    /// The diffusivity of the fit (cm²/s).
    pub d_cm2_s: f64,
}

/// MSD against lag time on log–log axes, the fitted window shaded, the fitted points and line.
pub(crate) fn msd_svg(m: &MsdPlot, title: &str) -> anyhow::Result<String> {
    let ps = |t: f64| t / 1000.0;
    let curve: Vec<(f64, f64)> = m
        .curve
        .iter()
        .filter(|p| p.0 > 0.0 && p.1 > 0.0)
        .map(|p| (ps(p.0), p.1))
        .collect();
    let fitted: Vec<(f64, f64)> = m
        .fitted
        .iter()
        .filter(|p| p.0 > 0.0 && p.1 > 0.0)
        .map(|p| (ps(p.0), p.1))
        .collect();
    let (Some(xr), Some(yr)) = (
        log_range(curve.iter().chain(&fitted).map(|p| p.0)),
        log_range(curve.iter().chain(&fitted).map(|p| p.1)),
    ) else {
        bail!("MSD plot: no positive MSD values");
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

/// Range of g(r) over a set of RDFs (0 to the highest value, padded).
fn rdf_ranges<'r>(
    sets: impl IntoIterator<Item = &'r PartialRdf> + Clone,
) -> anyhow::Result<(std::ops::Range<f64>, std::ops::Range<f64>)> {
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
        bail!("RDF plot: no pairs");
    }
    Ok((0.0..rmax, 0.0..(gmax * 1.08).max(1.2)))
}

/// The axes of an RDF figure: g(r) against r, no minor grid.
fn rdf_chart<'a, 'b>(
    root: &'a Area<'b>,
    caption: &str,
    caption_size: u32,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> anyhow::Result<Chart<'a, 'b, std::ops::Range<f64>, std::ops::Range<f64>>> {
    let mut c = chart(root, caption, caption_size, 45, x, y)?;
    c.configure_mesh()
        .x_desc("r (Å)")
        .y_desc("g(r)")
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(pe)?;
    Ok(c)
}

/// Partial RDFs g_ab(r), one line per pair.
pub(crate) fn rdf_svg(rdfs: &[PartialRdf], title: &str) -> anyhow::Result<String> {
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
            let c = colour(i);
            chart
                .draw_series(LineSeries::new(
                    p.r.iter().copied().zip(p.g.iter().copied()),
                    c.stroke_width(2),
                ))
                .map_err(pe)?
                .label(p.label())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], c.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// Two RDF sets overlaid, `a` solid and `b` dashed, one colour per pair, R² per pair in the
/// legend and the pooled R² in the caption.
pub(crate) fn rdf_compare_svg(
    a: &[PartialRdf],
    b: &[PartialRdf],
    cmp: &RdfComparison,
    title: &str,
) -> anyhow::Result<String> {
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
        bail!("RDF comparison plot: no common pair");
    }
    let (xr, yr) = rdf_ranges(pairs.iter().flat_map(|p| [p.0, p.1]))?;
    let caption = format!("{title} (R² = {:.3})", cmp.r2);
    draw(|root| {
        let mut chart = rdf_chart(root, &caption, 16, xr, yr)?;
        for (i, (x, y, r2)) in pairs.iter().enumerate() {
            let c = colour(i);
            chart
                .draw_series(LineSeries::new(
                    x.r.iter().copied().zip(x.g.iter().copied()),
                    c.stroke_width(2),
                ))
                .map_err(pe)?
                .label(format!("{} R² = {r2:.3}", x.label()))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], c.stroke_width(2)));
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

/// Viridis-like colour at `t` in [0, 1] (linear interpolation between five anchors).
fn viridis(t: f64) -> RGBColor {
    const A: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let x = t.clamp(0.0, 1.0) * (A.len() - 1) as f64;
    let i = (x.floor() as usize).min(A.len() - 2);
    let f = x - i as f64;
    let mix = |a: f64, b: f64| (a + f * (b - a)).round() as u8;
    RGBColor(
        mix(A[i].0, A[i + 1].0),
        mix(A[i].1, A[i + 1].1),
        mix(A[i].2, A[i + 1].2),
    )
}

/// Grid cell (column 0–17, row 0–8) of an element: groups and periods, with the lanthanides
/// and actinides in two separate rows below (rows 7 and 8, from column 2).
fn table_cell(el: Element) -> (i32, i32) {
    let z = el.z() as i32;
    match z {
        57..=71 => (2 + z - 57, 7),
        89..=103 => (2 + z - 89, 8),
        _ => (el.group() as i32 - 1, el.row() as i32 - 1),
    }
}

/// Periodic-table heatmap of a per-element value (`None` cells grey), symbol and value in each
/// cell, a colour bar with the value range below.
pub(crate) fn heatmap_svg(
    values: &[(Element, f64)],
    title: &str,
    label: &str,
) -> anyhow::Result<String> {
    let finite: Vec<f64> = values
        .iter()
        .map(|v| v.1)
        .filter(|v| v.is_finite())
        .collect();
    if finite.is_empty() {
        bail!("heatmap: no element has a value");
    }
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (cw, ch, x0, y0) = (46i32, 42i32, 20i32, 44i32);
    // Title, 7 periods, the f-block rows after a gap, then the colour bar and its labels.
    let (bx, by, bw, bh) = (x0 + 3 * cw, y0 + 9 * ch + ch / 3 + 24, 10 * cw, 16);
    let (w, h) = (x0 as u32 * 2 + 18 * cw as u32, (by + bh + 32) as u32);
    let font = |size: u32, c: RGBColor| {
        ("sans-serif", size)
            .into_font()
            .color(&c)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    draw_sized(w, h, |root| {
        root.draw(&Text::new(
            title.to_string(),
            (w as i32 / 2, 20),
            font(18, BLACK),
        ))
        .map_err(pe)?;
        for z in 1..=Element::MAX_Z {
            let el = Element::from_z(z)?;
            let (col, row) = table_cell(el);
            let gap = if row >= 7 { ch / 3 } else { 0 };
            let (x, y) = (x0 + col * cw, y0 + row * ch + gap);
            let v = values
                .iter()
                .find(|p| p.0 == el)
                .map(|p| p.1)
                .filter(|v| v.is_finite());
            let fill = match v {
                Some(v) => viridis((v - lo) / span),
                None => RGBColor(215, 215, 215),
            };
            root.draw(&Rectangle::new(
                [(x + 1, y + 1), (x + cw - 1, y + ch - 1)],
                fill.filled(),
            ))
            .map_err(pe)?;
            // Dark cells get white text.
            let dark = v.is_some_and(|v| (v - lo) / span < 0.55);
            let tc = if dark { WHITE } else { BLACK };
            let sym_y = if v.is_some() {
                y + ch / 2 - 7
            } else {
                y + ch / 2
            };
            root.draw(&Text::new(
                el.symbol().to_string(),
                (x + cw / 2, sym_y),
                font(15, tc),
            ))
            .map_err(pe)?;
            if let Some(v) = v {
                root.draw(&Text::new(
                    format!("{v:.2}"),
                    (x + cw / 2, y + ch / 2 + 10),
                    font(11, tc),
                ))
                .map_err(pe)?;
            }
        }
        // Colour bar.
        let steps = 200;
        for k in 0..steps {
            let xa = bx + bw * k / steps;
            let xb = bx + bw * (k + 1) / steps;
            root.draw(&Rectangle::new(
                [(xa, by), (xb + 1, by + bh)],
                viridis(k as f64 / (steps - 1) as f64).filled(),
            ))
            .map_err(pe)?;
        }
        root.draw(&Rectangle::new(
            [(bx, by), (bx + bw, by + bh)],
            BLACK.stroke_width(1),
        ))
        .map_err(pe)?;
        for k in 0..=4 {
            let v = lo + (hi - lo) * k as f64 / 4.0;
            root.draw(&Text::new(
                format!("{v:.3}"),
                (bx + bw * k / 4, by + bh + 12),
                font(12, BLACK),
            ))
            .map_err(pe)?;
        }
        root.draw(&Text::new(
            label.to_string(),
            (bx + bw / 2, by - 12),
            font(14, BLACK),
        ))
        .map_err(pe)?;
        let (gx, gy) = (bx + bw + 30, by);
        root.draw(&Rectangle::new(
            [(gx, gy), (gx + 16, gy + bh)],
            RGBColor(215, 215, 215).filled(),
        ))
        .map_err(pe)?;
        root.draw(&Text::new(
            "no data".to_string(),
            (gx + 50, gy + bh / 2),
            font(12, BLACK),
        ))
        .map_err(pe)?;
        Ok(())
    })
}

// ------------------------------------------------------------------ data for the figures

/// The MSD of `args.species` in `traj` with the pymatgen-compatible fit of `amorph diffusion`
/// (same settings, no GLS): the whole all-origins curve, the fitted points and line.
pub(crate) fn msd_data(traj: &Path, args: &MsdArgs) -> anyhow::Result<MsdPlot> {
    let name = traj.display().to_string();
    // The temperature only scales conductivities, which the plot does not show.
    let (disp, s) = args.load(traj, 300.0)?;
    let r = amorph_diffusion::analyze(&disp, &s).with_context(|| name.clone())?;
    let weighted = matches!(s.smoothing, Smoothing::Max { .. });
    let fit = pymatgen_fit(&r.dt_fs, &r.curves.msd, weighted).with_context(|| name.clone())?;
    let atoms = disp.select(s.species).with_context(|| name.clone())?;
    let dc = disp
        .drift_corrected(&s.drift, s.species)
        .with_context(|| name.clone())?;
    let all = msd_all_lags(&dc, &atoms);
    Ok(MsdPlot {
        species: r.species.clone(),
        curve: all
            .lags
            .iter()
            .zip(&all.msd)
            .map(|(&k, &m)| (k as f64 * s.frame_fs, m))
            .collect(),
        fitted: r
            .dt_fs
            .iter()
            .copied()
            .zip(r.curves.msd.iter().copied())
            .collect(),
        slope: fit.slope,
        intercept: fit.intercept,
        d_cm2_s: r.diffusivity_cm2_s,
    })
}

/// A random forest trained on a table: importances, test R² and every row's prediction.
pub(crate) struct ForestResult {
    /// Built-in importances, largest first.
    pub importances: Vec<(String, f64)>,
    /// R² on the test rows.
    pub test_r2: f64,
    /// Target of every row.
    pub y_true: Vec<f64>,
    /// Prediction for every row.
    pub y_pred: Vec<f64>,
    /// `train` or `test` for every row.
    pub sets: Vec<String>,
}

/// A random forest (`trees` trees) trained on `table` for `target` with a seeded 85/15 split.
pub(crate) fn random_forest(
    table: &amorph_ml::Table,
    target: &str,
    trees: usize,
    seed: u64,
) -> anyhow::Result<ForestResult> {
    use amorph_ml::{ForestParams, Model, RandomForestRegressor, SplitSpec, TrainOptions};
    const TEST_FRACTION: f64 = 0.15;
    let opts = TrainOptions {
        target: target.to_string(),
        model: Model::RandomForest(RandomForestRegressor::new(ForestParams {
            n_estimators: trees,
            seed,
            ..ForestParams::default()
        })),
        split: SplitSpec::Random {
            test_fraction: TEST_FRACTION,
            seed,
        },
        cv_folds: None,
        cv_seed: seed,
        permutation_repeats: None,
    };
    let (model, report) = amorph_ml::train_table(table, &opts)?;
    let pred = amorph_ml::predict_table(&model, table)?;
    // The same split as train_table's.
    let split = amorph_ml::train_test_split(table.n_rows(), TEST_FRACTION, seed)?;
    let mut sets = vec!["train".to_string(); table.n_rows()];
    for &i in &split.test {
        sets[i] = "test".into();
    }
    Ok(ForestResult {
        importances: report
            .importances
            .iter()
            .map(|f| (f.feature.clone(), f.importance))
            .collect(),
        test_r2: report.test.r2,
        y_true: table.column(target)?.to_vec(),
        y_pred: pred.predictions,
        sets,
    })
}

// ------------------------------------------------------------------ the command

/// Kinds of `amorph plot`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// log D against 1000/T from a table of temperature, D [, σ] [, formula] (amorph arrhenius's input).
    Arrhenius,
    /// Predicted against true from a CSV with columns y_true,y_pred [,set] (set: e.g. train/test).
    Parity,
    /// Pearson r of every numeric column with the target column, sorted.
    Correlations,
    /// Distributions of the target by anion family (paper's table or an export).
    Anions,
    /// MSD against lag time (log–log) of a trajectory with the fitted window and line.
    Msd,
    /// Partial RDFs g_ab(r) of structures or trajectories, one line per pair.
    Rdf,
    /// Partial RDFs of two files overlaid (first solid, second dashed) with R² per pair.
    RdfCompare,
    /// Feature importances: of a model saved by `amorph train`, or of a random forest on `--table`.
    Importance,
    /// Periodic-table heatmap of mean Ea or mean log10 D per element (a table or `--db`).
    Heatmap,
}

/// Per-element value of a heatmap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HeatValue {
    /// Mean Arrhenius Ea (eV) of the compositions containing the element.
    Ea,
    /// Mean log10 D at the highest temperature of the compositions containing the element.
    LogD,
}

/// Arguments of `amorph plot`.
#[derive(clap::Args)]
pub struct Args {
    /// What to plot.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Input files: a table (arrhenius, parity, correlations, anions, heatmap), a trajectory
    /// (msd), structures or trajectories (rdf), two of them (rdf-compare), or a model JSON
    /// (importance).
    pub inputs: Vec<PathBuf>,
    /// Output file: .svg or .png.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Target column for correlations, anions and importance (default: the paper's D column).
    #[arg(long, default_value = "diff_coeff_mul_thousand")]
    pub target: String,
    /// Plot title.
    #[arg(long)]
    pub title: Option<String>,
    /// heatmap: a workflow database instead of a table.
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// importance: train a random forest on this table (instead of reading a model).
    #[arg(long)]
    pub table: Option<PathBuf>,
    /// importance: how many features to show.
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// importance --table: number of trees.
    #[arg(long, default_value_t = 100)]
    pub trees: usize,
    /// importance --table: seed of the split and the forest.
    #[arg(long, default_value_t = 62)]
    pub seed: u64,
    /// heatmap: the per-element value.
    #[arg(long, value_enum, default_value_t = HeatValue::Ea)]
    pub value: HeatValue,
    /// msd: frames and MSD settings (as `amorph diffusion`).
    #[command(flatten, next_help_heading = "msd")]
    pub msd: MsdArgs,
    /// rdf, rdf-compare: grid and pairs.
    #[command(flatten, next_help_heading = "rdf, rdf-compare")]
    pub rdf: RdfCommon,
}

/// The last component of a path (the whole path when it has none), for titles.
fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |f| f.to_string_lossy().to_string(),
    )
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))
}

/// The inputs of `args`, checked against the count `kind` needs.
fn inputs(args: &Args, min: usize, max: usize, what: &str) -> anyhow::Result<Vec<PathBuf>> {
    let n = args.inputs.len();
    if n < min || n > max {
        let kind = args
            .kind
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        bail!("plot {kind}: expected {what}, got {n} input file(s)");
    }
    Ok(args.inputs.clone())
}

use clap::ValueEnum as _;

/// A figure with its summary line and extra JSON fields.
struct Figure {
    svg: String,
    summary: String,
    extra: Value,
}

fn figure(args: &Args) -> anyhow::Result<Figure> {
    let title = |default: &str| args.title.clone().unwrap_or_else(|| default.to_string());
    let one = |what: &str| -> anyhow::Result<(PathBuf, String)> {
        let p = inputs(args, 1, 1, what)?.remove(0);
        let n = p.display().to_string();
        Ok((p, n))
    };
    Ok(match args.kind {
        Kind::Arrhenius => {
            let (input, name) = one("one table")?;
            let rows = amorph_diffusion::arrhenius::parse_table(&read(&input)?)
                .with_context(|| name.clone())?;
            let mut series: Vec<ArrheniusSeries> = Vec::new();
            for r in rows {
                let g = r.group.clone().unwrap_or_else(|| "D".into());
                match series.iter_mut().find(|s| s.0 == g) {
                    Some(s) => s.1.push((r.temperature_k, r.d, r.d_std)),
                    None => series.push((g, vec![(r.temperature_k, r.d, r.d_std)], None)),
                }
            }
            for s in &mut series {
                let t: Vec<f64> = s.1.iter().map(|p| p.0).collect();
                let d: Vec<f64> = s.1.iter().map(|p| p.1).collect();
                let sd: Option<Vec<f64>> = s.1.iter().map(|p| p.2).collect();
                s.2 = amorph_diffusion::fit_arrhenius(&t, &d, sd.as_deref())
                    .ok()
                    .map(|f| (f.d0, f.ea_ev));
            }
            Figure {
                svg: arrhenius_svg(&series, &title("Arrhenius plot"))
                    .with_context(|| name.clone())?,
                summary: format!("{} series", series.len()),
                extra: json!({}),
            }
        }
        Kind::Parity => {
            let (input, name) = one("one CSV with y_true,y_pred")?;
            let t = amorph_ml::Table::parse(&read(&input)?, &name).with_context(|| name.clone())?;
            let col = |c: &str| {
                t.column(c)
                    .map(|a| a.to_vec())
                    .with_context(|| format!("{name}: column {c}"))
            };
            let (yt, yp) = (col("y_true")?, col("y_pred")?);
            let sets = t
                .column_index("set")
                .map(|_| t.text_column("set"))
                .transpose()
                .with_context(|| format!("{name}: column set"))?;
            Figure {
                svg: parity_svg(&yt, &yp, sets.as_deref(), &title("Parity"))
                    .with_context(|| name.clone())?,
                summary: format!("{} points", yt.len()),
                extra: json!({}),
            }
        }
        Kind::Correlations => {
            let (input, name) = one("one table")?;
            let t = amorph_ml::Table::read(&input).with_context(|| name.clone())?;
            let c = super::report::correlations(&t, &args.target).with_context(|| name.clone())?;
            Figure {
                svg: bars_svg(
                    &c,
                    &title(&format!("Pearson r with {}", args.target)),
                    "Pearson r",
                )?,
                summary: format!("{} features", c.len()),
                extra: json!({}),
            }
        }
        Kind::Anions => {
            let (input, name) = one("one table")?;
            let t = amorph_ml::Table::read(&input).with_context(|| name.clone())?;
            let groups =
                super::report::target_by_anion(&t, &args.target).with_context(|| name.clone())?;
            Figure {
                svg: groups_svg(
                    &groups,
                    &title(&format!("{} by anion", args.target)),
                    &format!("log10 {}", args.target),
                    true,
                )?,
                summary: format!("{} groups", groups.len()),
                extra: json!({}),
            }
        }
        Kind::Msd => {
            let (input, name) = one("one trajectory")?;
            let m = msd_data(&input, &args.msd)?;
            let svg = msd_svg(
                &m,
                &title(&format!("MSD of {} in {}", m.species, file_name(&input))),
            )
            .with_context(|| name.clone())?;
            let (w0, w1) = (m.fitted.first().map(|p| p.0), m.fitted.last().map(|p| p.0));
            Figure {
                svg,
                summary: format!(
                    "{} lags, fitted {}–{} fs, D = {:.4e} cm²/s",
                    m.curve.len(),
                    w0.unwrap_or(f64::NAN),
                    w1.unwrap_or(f64::NAN),
                    m.d_cm2_s
                ),
                extra: json!({
                    "species": m.species,
                    "diffusivity_cm2_s": m.d_cm2_s,
                    "fit_window_fs": [w0, w1],
                    "slope_a2_per_fs": m.slope,
                    "intercept_a2": m.intercept,
                }),
            }
        }
        Kind::Rdf => {
            let files = inputs(args, 1, usize::MAX, "at least one structure or trajectory")?;
            let rdfs = args.rdf.compute(&files)?;
            let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
            Figure {
                svg: rdf_svg(
                    &rdfs,
                    &title(&format!("Partial RDFs of {}", names.join(", "))),
                )?,
                summary: format!("{} pairs", rdfs.len()),
                extra: json!({"pairs": rdfs.iter().map(|r| r.label()).collect::<Vec<_>>()}),
            }
        }
        Kind::RdfCompare => {
            let files = inputs(args, 2, 2, "two structures or trajectories")?;
            let a = args.rdf.compute(&files[..1])?;
            let b = args.rdf.compute(&files[1..])?;
            let (na, nb) = (file_name(&files[0]), file_name(&files[1]));
            let cmp = amorph_diffusion::compare_rdfs(&a, &b)
                .with_context(|| format!("{} vs {}", files[0].display(), files[1].display()))?;
            let svg = rdf_compare_svg(
                &a,
                &b,
                &cmp,
                &title(&format!("{na} (solid) vs {nb} (dashed)")),
            )?;
            let per: serde_json::Map<String, Value> = cmp
                .per_pair
                .iter()
                .map(|(p, r)| (p.clone(), json!(r)))
                .collect();
            Figure {
                svg,
                summary: format!("{} pairs, R² = {:.4}", cmp.per_pair.len(), cmp.r2),
                extra: json!({"r2": cmp.r2, "per_pair": per}),
            }
        }
        Kind::Importance => {
            let (items, what, r2) = match &args.table {
                Some(table) => {
                    inputs(args, 0, 0, "no input file with --table")?;
                    let name = table.display().to_string();
                    let t = amorph_ml::Table::read(table).with_context(|| name.clone())?;
                    let rf = random_forest(&t, &args.target, args.trees, args.seed)
                        .with_context(|| name.clone())?;
                    (
                        rf.importances,
                        format!("random forest on {}", file_name(table)),
                        Some(rf.test_r2),
                    )
                }
                None => {
                    let (input, name) = one("one model JSON (or --table)")?;
                    let m = amorph_ml::TrainedModel::load(&input).with_context(|| name.clone())?;
                    let imp = amorph_ml::Regressor::importances(&m.model).with_context(|| {
                        format!("{name}: the model has no built-in importances (linear model?)")
                    })?;
                    let items: Vec<(String, f64)> = m.features.iter().cloned().zip(imp).collect();
                    (items, format!("{} ({})", file_name(&input), m.target), None)
                }
            };
            let svg = importance_svg(
                &items,
                args.top,
                &title(&format!("Feature importances: {what}")),
            )?;
            let mut top = items.clone();
            top.sort_by(|a, b| b.1.total_cmp(&a.1));
            top.truncate(args.top.max(1));
            Figure {
                svg,
                summary: format!("{} of {} features", top.len(), items.len()),
                extra: json!({"importances": top, "test_r2": r2}),
            }
        }
        Kind::Heatmap => {
            let (cv, source) = match &args.db {
                Some(db) => {
                    inputs(args, 0, 0, "no input file with --db")?;
                    (
                        super::report::db_composition_values(db)?,
                        db.display().to_string(),
                    )
                }
                None => {
                    let (input, _) = one("one table (or --db)")?;
                    (
                        super::report::table_composition_values(&input)?,
                        file_name(&input),
                    )
                }
            };
            let (pairs, label) = match args.value {
                HeatValue::Ea => (cv.ea.clone(), "mean Ea (eV)".to_string()),
                HeatValue::LogD => (
                    cv.d.iter()
                        .filter(|p| p.1 > 0.0)
                        .map(|(f, d)| (f.clone(), d.log10()))
                        .collect(),
                    format!("mean log10 D ({}; {})", cv.d_unit, cv.d_label),
                ),
            };
            let values = super::report::element_means(&pairs);
            let cells: Vec<(Element, f64)> = values.iter().map(|v| (v.0, v.1)).collect();
            let svg = heatmap_svg(
                &cells,
                &title(&format!("{label} per element: {source}")),
                &label,
            )
            .with_context(|| source.clone())?;
            let per: serde_json::Map<String, Value> = values
                .iter()
                .map(|(e, m, s, n)| (e.symbol().to_string(), json!({"mean": m, "std": s, "n": n})))
                .collect();
            Figure {
                svg,
                summary: format!("{} elements", values.len()),
                extra: json!({"value": label, "elements": per}),
            }
        }
    })
}

/// `amorph plot`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    // An unknown extension fails before any (possibly long) work.
    Format::of(&args.output)?;
    let fig = figure(&args)?;
    let w = write_figure(&args.output, &fig.svg)?;
    let mut json = json!({
        "kind": args.kind.to_possible_value().map(|v| v.get_name().to_string()),
        "input": args.inputs.first(),
        "inputs": args.inputs,
        "output": args.output,
        "format": w.format.name(),
        "bytes": w.bytes,
        "width": w.width,
        "height": w.height,
        "summary": fig.summary,
    });
    if let (Some(o), Value::Object(extra)) = (json.as_object_mut(), fig.extra) {
        o.extend(extra);
    }
    Ok(Outcome {
        json,
        text: format!(
            "{} -> {} ({}×{} {})",
            fig.summary,
            args.output.display(),
            w.width,
            w.height,
            w.format.name()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a.svg")).unwrap(), Format::Svg);
        assert_eq!(Format::of(Path::new("a.PNG")).unwrap(), Format::Png);
        let e = Format::of(Path::new("fig.jpg")).unwrap_err().to_string();
        assert!(e.contains("fig.jpg"), "{e}");
        assert!(Format::of(Path::new("noext")).is_err());
    }

    #[test]
    fn png_has_the_scaled_size_and_text_pixels() {
        let svg = scatter_svg(
            &[(0.0, 1.0, "a".into()), (1.0, 2.0, "b".into())],
            "Title",
            "x",
            "y",
        )
        .unwrap();
        assert_eq!(svg_size(&svg), Some((W, H)));
        let (png, w, h) = svg_to_png(&svg).unwrap();
        assert_eq!((w, h), (2 * W, 2 * H));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn periodic_table_cells_do_not_overlap() {
        let mut seen = std::collections::HashSet::new();
        for z in 1..=Element::MAX_Z {
            let cell = table_cell(Element::from_z(z).unwrap());
            assert!((0..18).contains(&cell.0) && (0..9).contains(&cell.1), "{z}");
            assert!(seen.insert(cell), "Z = {z} shares cell {cell:?}");
        }
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(7.0), viridis(1.0));
    }
}
