//! One figure of files, as `amorph plot` draws it: read the input, run the analysis
//! ([`crate::analysis`]), draw ([`crate::plot`]), and sum it up in one line with the numbers
//! behind it. Errors name the input.
//!
//! ```
//! use amorph::figure::Figure;
//!
//! let dir = std::env::temp_dir().join(format!("amorph-figure-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let csv = dir.join("pred.csv");
//! std::fs::write(&csv, "y_true,y_pred\n1,1.1\n2,1.9\n3,3.2\n").unwrap();
//! let fig = Figure::parity(&csv, None)?;
//! assert!(fig.svg.starts_with("<svg"));
//! assert_eq!(fig.summary, "3 points");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), amorph::Error>(())
//! ```

use crate::analysis::{
    CompositionValues, HeatmapValue, arrhenius_series, correlations, element_means, random_forest,
    target_by_anion,
};
use crate::error::{Context as _, Error, Result, read_text};
use crate::plot::{self as fig, Bar, ElementValue, Group};
use amorph_diffusion::{DiffusionSettings, Displacements, PartialRdf, compare_rdfs};
use amorph_ml::{Regressor, Table, TrainedModel};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// A drawn figure.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Figure {
    /// The whole `<svg>` document.
    pub svg: String,
    /// One line on what it shows, e.g. `3 points`.
    pub summary: String,
    /// The numbers behind it as JSON fields (e.g. the fitted D of an MSD plot); may be empty.
    pub extra: Map<String, Value>,
}

/// A figure written to a file ([`Figure::write`]), as `amorph plot` reports it: serialises to
/// its `--json` object (the figure's extra numbers last) and displays as its text.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct FigureFile {
    /// The kind of figure, e.g. `parity`.
    pub kind: String,
    /// The first input file.
    pub input: Option<PathBuf>,
    /// Every input file.
    pub inputs: Vec<PathBuf>,
    /// The file written.
    pub output: PathBuf,
    /// Its format (`svg` or `png`).
    pub format: &'static str,
    /// Its size in bytes.
    pub bytes: usize,
    /// Its width (SVG user units or PNG pixels).
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// [`Figure::summary`].
    pub summary: String,
    /// [`Figure::extra`].
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Display for FigureFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} -> {} ({}×{} {})",
            self.summary,
            self.output.display(),
            self.width,
            self.height,
            self.format
        )
    }
}

/// The last component of a path (the whole path when it has none), for titles.
fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |f| f.to_string_lossy().to_string(),
    )
}

/// `title`, else `default`.
fn title(title: Option<&str>, default: impl FnOnce() -> String) -> String {
    title.map_or_else(default, str::to_string)
}

/// `value` (a JSON object literal) as its fields.
fn fields(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Reads a numeric table; errors name it.
fn read_table(path: &Path) -> Result<Table> {
    Table::read(path).context_with(|| path.display().to_string())
}

impl Figure {
    fn new(svg: String, summary: String) -> Self {
        Figure {
            svg,
            summary,
            extra: Map::new(),
        }
    }

    /// Writes the figure to `output` (SVG or PNG by its extension, [`fig::write_figure`]);
    /// `kind` and `inputs` say what it is of.
    pub fn write(self, kind: &str, inputs: &[PathBuf], output: &Path) -> Result<FigureFile> {
        let w = fig::write_figure(output, &self.svg)?;
        Ok(FigureFile {
            kind: kind.to_string(),
            input: inputs.first().cloned(),
            inputs: inputs.to_vec(),
            output: output.to_path_buf(),
            format: w.format.name(),
            bytes: w.bytes,
            width: w.width,
            height: w.height,
            summary: self.summary,
            extra: self.extra,
        })
    }

    /// log D against 1000/T of a table of temperature, D [, σ] [, formula]
    /// ([`amorph_diffusion::parse_table`]), one series per formula.
    pub fn arrhenius(table: &Path, title_: Option<&str>) -> Result<Figure> {
        let name = || table.display().to_string();
        let rows = amorph_diffusion::parse_table(&read_text(table)?).context_with(name)?;
        let series = arrhenius_series(&rows, "D");
        let svg = fig::arrhenius_svg(&series, &title(title_, || "Arrhenius plot".into()))
            .context_with(name)?;
        Ok(Figure::new(svg, format!("{} series", series.len())))
    }

    /// Predicted against true from a CSV with columns `y_true`, `y_pred` and optionally `set`
    /// (e.g. train/test).
    pub fn parity(csv: &Path, title_: Option<&str>) -> Result<Figure> {
        let name = csv.display().to_string();
        let t = Table::parse(&read_text(csv)?, &name).context_with(|| name.clone())?;
        let col = |c: &str| {
            t.column(c)
                .map(|a| a.to_vec())
                .context_with(|| format!("{name}: column {c}"))
        };
        let (yt, yp) = (col("y_true")?, col("y_pred")?);
        let sets = t
            .column_index("set")
            .map(|_| t.text_column("set"))
            .transpose()
            .context_with(|| format!("{name}: column set"))?;
        let svg = fig::parity_svg(
            &yt,
            &yp,
            sets.as_deref(),
            &title(title_, || "Parity".into()),
        )
        .context_with(|| name)?;
        Ok(Figure::new(svg, format!("{} points", yt.len())))
    }

    /// Pearson r of every numeric column of `table` with `target`, sorted.
    pub fn correlations(table: &Path, target: &str, title_: Option<&str>) -> Result<Figure> {
        let t = read_table(table)?;
        let c = correlations(&t, target).context_with(|| table.display().to_string())?;
        let bars: Vec<Bar> = c
            .into_iter()
            .map(|c| Bar {
                label: c.feature,
                value: c.r,
            })
            .collect();
        let caption = title(title_, || format!("Pearson r with {target}"));
        let svg = fig::bars_svg(&bars, &caption, "Pearson r")?;
        Ok(Figure::new(svg, format!("{} features", bars.len())))
    }

    /// Distributions of `target` by anion family.
    pub fn anions(table: &Path, target: &str, title_: Option<&str>) -> Result<Figure> {
        let t = read_table(table)?;
        let groups: Vec<Group> = target_by_anion(&t, target)
            .context_with(|| table.display().to_string())?
            .into_iter()
            .map(Group::from)
            .collect();
        let svg = fig::groups_svg(
            &groups,
            &title(title_, || format!("{target} by anion")),
            &format!("log10 {target}"),
            true,
        )?;
        Ok(Figure::new(svg, format!("{} groups", groups.len())))
    }

    /// MSD against lag time of the trajectory `file` (its displacements `disp`, analysed with
    /// `settings`) with the fitted window and line.
    pub fn msd(
        file: &Path,
        disp: &Displacements,
        settings: &DiffusionSettings,
        title_: Option<&str>,
    ) -> Result<Figure> {
        let name = || file.display().to_string();
        let m = amorph_diffusion::msd_fit_curve(disp, settings).context_with(name)?;
        let caption = title(title_, || {
            format!("MSD of {} in {}", m.species, file_name(file))
        });
        let svg = fig::msd_svg(&m, &caption).context_with(name)?;
        let (w0, w1) = (m.fitted.first(), m.fitted.last());
        let (w0, w1) = (w0.map(|p| p.t_fs), w1.map(|p| p.t_fs));
        Ok(Figure {
            svg,
            summary: format!(
                "{} lags, fitted {}–{} fs, D = {:.4e} cm²/s",
                m.curve.len(),
                w0.unwrap_or(f64::NAN),
                w1.unwrap_or(f64::NAN),
                m.d_cm2_s
            ),
            extra: fields(json!({
                "species": m.species,
                "diffusivity_cm2_s": m.d_cm2_s,
                "fit_window_fs": [w0, w1],
                "slope_a2_per_fs": m.slope,
                "intercept_a2": m.intercept,
            })),
        })
    }

    /// The partial RDFs `rdfs` of `files`, one line per pair.
    pub fn rdf(rdfs: &[PartialRdf], files: &[PathBuf], title_: Option<&str>) -> Result<Figure> {
        let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
        let caption = title(title_, || format!("Partial RDFs of {}", names.join(", ")));
        Ok(Figure {
            svg: fig::rdf_svg(rdfs, &caption)?,
            summary: format!("{} pairs", rdfs.len()),
            extra: fields(json!({"pairs": rdfs.iter().map(|r| r.label()).collect::<Vec<_>>()})),
        })
    }

    /// The partial RDFs `a` of file `fa` (solid) and `b` of file `fb` (dashed) with R² per
    /// pair.
    pub fn rdf_compare(
        (a, fa): (&[PartialRdf], &Path),
        (b, fb): (&[PartialRdf], &Path),
        title_: Option<&str>,
    ) -> Result<Figure> {
        let cmp =
            compare_rdfs(a, b).context_with(|| format!("{} vs {}", fa.display(), fb.display()))?;
        let caption = title(title_, || {
            format!("{} (solid) vs {} (dashed)", file_name(fa), file_name(fb))
        });
        Ok(Figure {
            svg: fig::rdf_compare_svg(a, b, &cmp, &caption)?,
            summary: format!("{} pairs, R² = {:.4}", cmp.per_pair.len(), cmp.r2),
            extra: fields(serde_json::to_value(&cmp)?),
        })
    }

    /// The `top` built-in feature importances of a model saved by `amorph train`.
    pub fn model_importance(model: &Path, top: usize, title_: Option<&str>) -> Result<Figure> {
        let name = model.display().to_string();
        let m = TrainedModel::load(model).context_with(|| name.clone())?;
        let imp = Regressor::importances(&m.model).ok_or_else(|| Error::NoImportances {
            model: name.clone(),
        })?;
        let items: Vec<Bar> = (m.features.iter().zip(imp))
            .map(|(f, v)| Bar {
                label: f.clone(),
                value: v,
            })
            .collect();
        let what = format!("{} ({})", file_name(model), m.target);
        Self::importance(items, &what, None, top, title_)
    }

    /// The `top` feature importances of the paper's random forest ([`random_forest`]) of
    /// `trees` trees on `table` with `target`.
    pub fn forest_importance(
        table: &Path,
        target: &str,
        (trees, seed): (usize, u64),
        top: usize,
        title_: Option<&str>,
    ) -> Result<Figure> {
        let t = read_table(table)?;
        let rf =
            random_forest(&t, target, trees, seed).context_with(|| table.display().to_string())?;
        let what = format!("random forest on {}", file_name(table));
        Self::importance(rf.importance_bars(), &what, Some(rf.test_r2), top, title_)
    }

    fn importance(
        items: Vec<Bar>,
        what: &str,
        r2: Option<f64>,
        top: usize,
        title_: Option<&str>,
    ) -> Result<Figure> {
        let caption = title(title_, || format!("Feature importances: {what}"));
        let svg = fig::importance_svg(&items, top, &caption)?;
        let mut best: Vec<(String, f64)> =
            items.iter().map(|b| (b.label.clone(), b.value)).collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1));
        best.truncate(top.max(1));
        Ok(Figure {
            svg,
            summary: format!("{} of {} features", best.len(), items.len()),
            extra: fields(json!({"importances": best, "test_r2": r2})),
        })
    }

    /// Periodic-table heatmap of `value` per element of a table ([`CompositionValues::of_table`]).
    pub fn table_heatmap(
        table: &Path,
        value: HeatmapValue,
        title_: Option<&str>,
    ) -> Result<Figure> {
        Self::heatmap(
            &CompositionValues::of_table(table)?,
            &file_name(table),
            value,
            title_,
        )
    }

    /// Periodic-table heatmap of `value` per element of a workflow database.
    pub fn database_heatmap(
        db: &Path,
        value: HeatmapValue,
        title_: Option<&str>,
    ) -> Result<Figure> {
        let cv = CompositionValues::of_database(db)?;
        Self::heatmap(&cv, &db.display().to_string(), value, title_)
    }

    fn heatmap(
        cv: &CompositionValues,
        source: &str,
        value: HeatmapValue,
        title_: Option<&str>,
    ) -> Result<Figure> {
        let label = cv.label(value);
        let means = element_means(&cv.values(value));
        let cells: Vec<ElementValue> = means.iter().map(|&m| m.into()).collect();
        let caption = title(title_, || format!("{label} per element: {source}"));
        let svg = fig::heatmap_svg(&cells, &caption, &label).context_with(|| source.to_string())?;
        let per: Map<String, Value> = means
            .iter()
            .map(|m| {
                let v = json!({"mean": m.mean, "std": m.std, "n": m.n});
                (m.element.symbol().to_string(), v)
            })
            .collect();
        Ok(Figure {
            svg,
            summary: format!("{} elements", means.len()),
            extra: fields(json!({"value": label, "elements": per})),
        })
    }
}
