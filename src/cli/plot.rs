//! `amorph plot KIND ...` and the SVG figures of `amorph report` (plotters, SVG backend).
//!
//! Every figure function returns a complete `<svg>` document as a string, so the report can
//! inline it and `amorph plot` can write it to a file.

use super::Outcome;
use anyhow::{Context, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde_json::json;
use std::path::{Path, PathBuf};

const W: u32 = 640;
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

fn draw<F>(f: F) -> anyhow::Result<String>
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>) -> anyhow::Result<()>,
{
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| anyhow::anyhow!("plot: {e}"))?;
        f(&root)?;
        root.present().map_err(|e| anyhow::anyhow!("plot: {e}"))?;
    }
    Ok(svg)
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
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(xr, yr)
            .map_err(pe)?;
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
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(pe)?;
        Ok(())
    })
}

/// Parity plot of predictions against truth with the y = x line and R², RMSE in the caption.
pub(crate) fn parity_svg(y_true: &[f64], y_pred: &[f64], title: &str) -> anyhow::Result<String> {
    if y_true.len() != y_pred.len() || y_true.is_empty() {
        bail!(
            "parity plot: {} true and {} predicted values",
            y_true.len(),
            y_pred.len()
        );
    }
    let n = y_true.len() as f64;
    let mean = y_true.iter().sum::<f64>() / n;
    let ss_res: f64 = y_true
        .iter()
        .zip(y_pred)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    let ss_tot: f64 = y_true.iter().map(|t| (t - mean).powi(2)).sum();
    let r2 = 1.0 - ss_res / ss_tot;
    let rmse = (ss_res / n).sqrt();
    let r = range(y_true.iter().chain(y_pred).copied());
    let caption = format!(
        "{title}  (R² = {r2:.3}, RMSE = {rmse:.3}, n = {})",
        y_true.len()
    );
    draw(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption(caption, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(r.clone(), r.clone())
            .map_err(pe)?;
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
        chart
            .draw_series(
                y_true
                    .iter()
                    .zip(y_pred)
                    .map(|(&t, &p)| Circle::new((t, p), 3, colour(0).mix(0.6).filled())),
            )
            .map_err(pe)?;
        Ok(())
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
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, height)).into_drawing_area();
        root.fill(&WHITE).map_err(pe)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(190)
            .build_cartesian_2d(lo - pad..hi + pad, (0..n).into_segmented())
            .map_err(pe)?;
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
        root.present().map_err(pe)?;
    }
    Ok(svg)
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
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(0.0..n as f64, yr.clone())
            .map_err(pe)?;
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
                .draw_series([Rectangle::new(
                    [(x - 0.3, q1), (x + 0.3, q3)],
                    c.mix(0.25).filled(),
                )])
                .map_err(pe)?;
            chart
                .draw_series([Rectangle::new(
                    [(x - 0.3, q1), (x + 0.3, q3)],
                    c.stroke_width(1),
                )])
                .map_err(pe)?;
            chart
                .draw_series(LineSeries::new(
                    [(x - 0.3, med), (x + 0.3, med)],
                    BLACK.stroke_width(2),
                ))
                .map_err(pe)?;
            chart
                .draw_series(LineSeries::new([(x, v[0]), (x, q1)], c.stroke_width(1)))
                .map_err(pe)?;
            chart
                .draw_series(LineSeries::new(
                    [(x, q3), (x, v[v.len() - 1])],
                    c.stroke_width(1),
                ))
                .map_err(pe)?;
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
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(xr, yr)
            .map_err(pe)?;
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
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(pe)?;
        Ok(())
    })
}

/// Kinds of `amorph plot`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    /// log D against 1000/T from a table of temperature, D [, σ] [, formula] (amorph arrhenius's input).
    Arrhenius,
    /// Predicted against true from a CSV with columns y_true,y_pred (as `amorph predict` writes).
    Parity,
    /// Pearson r of every numeric column with the target column, sorted.
    Correlations,
    /// Distributions of the target by anion family (paper's table or an export).
    Anions,
}

/// Arguments of `amorph plot`.
#[derive(clap::Args)]
pub struct Args {
    /// What to plot.
    #[arg(value_enum)]
    pub kind: Kind,
    /// The input table.
    pub input: PathBuf,
    /// Output SVG file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Target column for `correlations` and `anions` (default: the paper's D column).
    #[arg(long, default_value = "diff_coeff_mul_thousand")]
    pub target: String,
    /// Plot title.
    #[arg(long)]
    pub title: Option<String>,
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))
}

/// `amorph plot`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let input = &args.input;
    let name = input.display().to_string();
    let (svg, what) = match args.kind {
        Kind::Arrhenius => {
            let rows = amorph_diffusion::arrhenius::parse_table(&read(input)?)
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
            let n = series.len();
            (
                arrhenius_svg(&series, args.title.as_deref().unwrap_or("Arrhenius plot"))
                    .with_context(|| name.clone())?,
                format!("{n} series"),
            )
        }
        Kind::Parity => {
            let t = amorph_ml::Table::parse(&read(input)?, &name).with_context(|| name.clone())?;
            let col = |c: &str| {
                t.column(c)
                    .map(|a| a.to_vec())
                    .with_context(|| format!("{name}: column {c}"))
            };
            let (yt, yp) = (col("y_true")?, col("y_pred")?);
            (
                parity_svg(&yt, &yp, args.title.as_deref().unwrap_or("Parity"))
                    .with_context(|| name.clone())?,
                format!("{} points", yt.len()),
            )
        }
        Kind::Correlations => {
            let t = amorph_ml::Table::read(input).with_context(|| name.clone())?;
            let c = super::report::correlations(&t, &args.target).with_context(|| name.clone())?;
            let title = args
                .title
                .clone()
                .unwrap_or_else(|| format!("Pearson r with {}", args.target));
            (
                bars_svg(&c, &title, "Pearson r")?,
                format!("{} features", c.len()),
            )
        }
        Kind::Anions => {
            let t = amorph_ml::Table::read(input).with_context(|| name.clone())?;
            let groups =
                super::report::target_by_anion(&t, &args.target).with_context(|| name.clone())?;
            let title = args
                .title
                .clone()
                .unwrap_or_else(|| format!("{} by anion", args.target));
            (
                groups_svg(&groups, &title, &format!("log10 {}", args.target), true)?,
                format!("{} groups", groups.len()),
            )
        }
    };
    std::fs::write(&args.output, &svg).with_context(|| format!("{}", args.output.display()))?;
    Ok(Outcome {
        json: json!({"input": args.input, "output": args.output, "bytes": svg.len(), "summary": what}),
        text: format!("{what} -> {}", args.output.display()),
    })
}
