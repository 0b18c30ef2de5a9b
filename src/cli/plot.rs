//! `amorph plot KIND ...`: one figure of [`amorph::plot`] to an .svg or .png file.

use super::Outcome;
use super::diffusion::{MsdArgs, RdfCommon};
use amorph::analysis::{
    CompositionValues, HeatmapValue, arrhenius_series, correlations, element_means, random_forest,
    target_by_anion,
};
use amorph::plot::{self as fig, Bar, ElementValue, Format, Group};
use anyhow::{Context, bail};
use clap::ValueEnum as _;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

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

/// The inputs of `args`, checked against the count its kind needs.
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

/// A figure with its summary line and extra JSON fields.
struct Figure {
    svg: String,
    summary: String,
    extra: Value,
}

impl Figure {
    fn new(svg: String, summary: String) -> Self {
        Figure {
            svg,
            summary,
            extra: json!({}),
        }
    }
}

fn figure(args: &Args) -> anyhow::Result<Figure> {
    let title = |default: &str| args.title.clone().unwrap_or_else(|| default.to_string());
    let one = |what: &str| -> anyhow::Result<(PathBuf, String)> {
        let p = inputs(args, 1, 1, what)?.remove(0);
        let n = p.display().to_string();
        Ok((p, n))
    };
    let table = |what: &str| -> anyhow::Result<(amorph::ml::Table, String)> {
        let (input, name) = one(what)?;
        let t = amorph::ml::Table::read(&input).with_context(|| name.clone())?;
        Ok((t, name))
    };
    Ok(match args.kind {
        Kind::Arrhenius => {
            let (input, name) = one("one table")?;
            let text = std::fs::read_to_string(&input).with_context(|| name.clone())?;
            let rows = amorph::diffusion::parse_table(&text).with_context(|| name.clone())?;
            let series = arrhenius_series(&rows, "D");
            let svg =
                fig::arrhenius_svg(&series, &title("Arrhenius plot")).with_context(|| name)?;
            Figure::new(svg, format!("{} series", series.len()))
        }
        Kind::Parity => {
            let (input, name) = one("one CSV with y_true,y_pred")?;
            let text = std::fs::read_to_string(&input).with_context(|| name.clone())?;
            let t = amorph::ml::Table::parse(&text, &name).with_context(|| name.clone())?;
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
            let svg = fig::parity_svg(&yt, &yp, sets.as_deref(), &title("Parity"))
                .with_context(|| name)?;
            Figure::new(svg, format!("{} points", yt.len()))
        }
        Kind::Correlations => {
            let (t, name) = table("one table")?;
            let c = correlations(&t, &args.target).with_context(|| name)?;
            let bars: Vec<Bar> = c
                .into_iter()
                .map(|c| Bar {
                    label: c.feature,
                    value: c.r,
                })
                .collect();
            let caption = title(&format!("Pearson r with {}", args.target));
            let svg = fig::bars_svg(&bars, &caption, "Pearson r")?;
            Figure::new(svg, format!("{} features", bars.len()))
        }
        Kind::Anions => {
            let (t, name) = table("one table")?;
            let groups: Vec<Group> = target_by_anion(&t, &args.target)
                .with_context(|| name)?
                .into_iter()
                .map(Group::from)
                .collect();
            let svg = fig::groups_svg(
                &groups,
                &title(&format!("{} by anion", args.target)),
                &format!("log10 {}", args.target),
                true,
            )?;
            Figure::new(svg, format!("{} groups", groups.len()))
        }
        Kind::Msd => {
            let (input, name) = one("one trajectory")?;
            // The temperature only scales conductivities, which the plot does not show.
            let (disp, settings) = args.msd.load(&input, 300.0)?;
            let m =
                amorph::diffusion::msd_fit_curve(&disp, &settings).with_context(|| name.clone())?;
            let caption = title(&format!("MSD of {} in {}", m.species, file_name(&input)));
            let svg = fig::msd_svg(&m, &caption).with_context(|| name)?;
            let (w0, w1) = (m.fitted.first(), m.fitted.last());
            let (w0, w1) = (w0.map(|p| p.t_fs), w1.map(|p| p.t_fs));
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
            let caption = title(&format!("Partial RDFs of {}", names.join(", ")));
            Figure {
                svg: fig::rdf_svg(&rdfs, &caption)?,
                summary: format!("{} pairs", rdfs.len()),
                extra: json!({"pairs": rdfs.iter().map(|r| r.label()).collect::<Vec<_>>()}),
            }
        }
        Kind::RdfCompare => {
            let files = inputs(args, 2, 2, "two structures or trajectories")?;
            let a = args.rdf.compute(&files[..1])?;
            let b = args.rdf.compute(&files[1..])?;
            let (na, nb) = (file_name(&files[0]), file_name(&files[1]));
            let cmp = amorph::diffusion::compare_rdfs(&a, &b)
                .with_context(|| format!("{} vs {}", files[0].display(), files[1].display()))?;
            let caption = title(&format!("{na} (solid) vs {nb} (dashed)"));
            Figure {
                svg: fig::rdf_compare_svg(&a, &b, &cmp, &caption)?,
                summary: format!("{} pairs, R² = {:.4}", cmp.per_pair.len(), cmp.r2),
                extra: serde_json::to_value(&cmp)?,
            }
        }
        Kind::Importance => {
            let (items, what, r2) = match &args.table {
                Some(table) => {
                    inputs(args, 0, 0, "no input file with --table")?;
                    let name = table.display().to_string();
                    let t = amorph::ml::Table::read(table).with_context(|| name.clone())?;
                    let rf = random_forest(&t, &args.target, args.trees, args.seed)
                        .with_context(|| name)?;
                    let what = format!("random forest on {}", file_name(table));
                    (rf.importance_bars(), what, Some(rf.test_r2))
                }
                None => {
                    let (input, name) = one("one model JSON (or --table)")?;
                    let m = amorph::ml::TrainedModel::load(&input).with_context(|| name.clone())?;
                    let imp = amorph::ml::Regressor::importances(&m.model).with_context(|| {
                        format!("{name}: the model has no built-in importances (linear model?)")
                    })?;
                    let items: Vec<Bar> = m
                        .features
                        .iter()
                        .zip(imp)
                        .map(|(f, v)| Bar {
                            label: f.clone(),
                            value: v,
                        })
                        .collect();
                    (items, format!("{} ({})", file_name(&input), m.target), None)
                }
            };
            let caption = title(&format!("Feature importances: {what}"));
            let svg = fig::importance_svg(&items, args.top, &caption)?;
            let mut top: Vec<(String, f64)> =
                items.iter().map(|b| (b.label.clone(), b.value)).collect();
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
                        CompositionValues::of_database(db)?,
                        db.display().to_string(),
                    )
                }
                None => {
                    let (input, _) = one("one table (or --db)")?;
                    (CompositionValues::of_table(&input)?, file_name(&input))
                }
            };
            let value = match args.value {
                HeatValue::Ea => HeatmapValue::Ea,
                HeatValue::LogD => HeatmapValue::LogD,
            };
            let label = cv.label(value);
            let means = element_means(&cv.values(value));
            let cells: Vec<ElementValue> = means.iter().map(|&m| m.into()).collect();
            let caption = title(&format!("{label} per element: {source}"));
            let svg = fig::heatmap_svg(&cells, &caption, &label).with_context(|| source)?;
            let per: serde_json::Map<String, Value> = means
                .iter()
                .map(|m| {
                    let v = json!({"mean": m.mean, "std": m.std, "n": m.n});
                    (m.element.symbol().to_string(), v)
                })
                .collect();
            Figure {
                svg,
                summary: format!("{} elements", means.len()),
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
    let w = fig::write_figure(&args.output, &fig.svg)?;
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
