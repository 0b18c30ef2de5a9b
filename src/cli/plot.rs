//! `amorph plot KIND ...`: one figure of [`amorph::plot`] to an .svg or .png file.

use super::Outcome;
use super::diffusion::{MsdArgs, RdfCommon};
use amorph::analysis::HeatmapValue;
use amorph::figure::Figure;
use amorph::plot::Format;
use anyhow::bail;
use clap::ValueEnum as _;
use std::path::PathBuf;

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

fn figure(args: &Args) -> anyhow::Result<Figure> {
    let title = args.title.as_deref();
    let one = |what: &str| -> anyhow::Result<PathBuf> { Ok(inputs(args, 1, 1, what)?.remove(0)) };
    Ok(match args.kind {
        Kind::Arrhenius => Figure::arrhenius(&one("one table")?, title)?,
        Kind::Parity => Figure::parity(&one("one CSV with y_true,y_pred")?, title)?,
        Kind::Correlations => Figure::correlations(&one("one table")?, &args.target, title)?,
        Kind::Anions => Figure::anions(&one("one table")?, &args.target, title)?,
        Kind::Msd => {
            let input = one("one trajectory")?;
            // The temperature only scales conductivities, which the plot does not show.
            let (disp, settings) = args.msd.load(&input, 300.0)?;
            Figure::msd(&input, &disp, &settings, title)?
        }
        Kind::Rdf => {
            let files = inputs(args, 1, usize::MAX, "at least one structure or trajectory")?;
            Figure::rdf(&args.rdf.compute(&files)?, &files, title)?
        }
        Kind::RdfCompare => {
            let files = inputs(args, 2, 2, "two structures or trajectories")?;
            let a = args.rdf.compute(&files[..1])?;
            let b = args.rdf.compute(&files[1..])?;
            Figure::rdf_compare((&a, &files[0]), (&b, &files[1]), title)?
        }
        Kind::Importance => match &args.table {
            Some(table) => {
                inputs(args, 0, 0, "no input file with --table")?;
                let forest = (args.trees, args.seed);
                Figure::forest_importance(table, &args.target, forest, args.top, title)?
            }
            None => {
                Figure::model_importance(&one("one model JSON (or --table)")?, args.top, title)?
            }
        },
        Kind::Heatmap => {
            let value = match args.value {
                HeatValue::Ea => HeatmapValue::Ea,
                HeatValue::LogD => HeatmapValue::LogD,
            };
            match &args.db {
                Some(db) => {
                    inputs(args, 0, 0, "no input file with --db")?;
                    Figure::database_heatmap(db, value, title)?
                }
                None => Figure::table_heatmap(&one("one table (or --db)")?, value, title)?,
            }
        }
    })
}

/// `amorph plot`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    // An unknown extension fails before any (possibly long) work.
    Format::of(&args.output)?;
    let kind = args
        .kind
        .to_possible_value()
        .map(|v| v.get_name().to_string());
    let file = figure(&args)?.write(&kind.unwrap_or_default(), &args.inputs, &args.output)?;
    Outcome::of(&file)
}
