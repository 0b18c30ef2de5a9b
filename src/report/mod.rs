//! One self-contained HTML report (inline SVG figures, no network) with the run summary,
//! tables and figures, of a workflow database ([`database_report`]) or of the paper's feature
//! table ([`table_report`]).
//!
//! ```
//! use amorph::morph::Database;
//!
//! // A database as `amorph run` or `amorph demo` leaves it (here a new, empty one).
//! let dir = std::env::temp_dir().join(format!("amorph-report-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("amorph.db");
//! Database::open(&path)?;
//!
//! let report = amorph::report::database_report(&path)?;
//! assert!(report.html.starts_with("<!DOCTYPE html>"));
//! assert_eq!((report.summary.compositions, report.summary.figures), (0, 0));
//! // Or straight to a file:
//! let summary = amorph::report::write_database_report(&path, &dir.join("report.html"))?;
//! assert_eq!(summary, report.summary);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), amorph::Error>(())
//! ```

use crate::analysis::{CompositionValues, HeatmapValue, element_means};
use crate::error::{Result, write_file};
use crate::plot::{ElementValue, heatmap_svg};
use html::Html;
use std::path::Path;

mod database;
mod export;
mod html;
mod paper_table;

pub use database::database_report;
pub use export::export_csv;
pub use paper_table::table_report;

/// An HTML report and its summary numbers.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Report {
    /// The whole page.
    pub html: String,
    /// What it holds.
    pub summary: ReportSummary,
}

/// Summary numbers of a report (serialised as the `summary` of `amorph report --json`).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ReportSummary {
    /// Compositions (of the database, or with an Arrhenius fit in the table).
    pub compositions: usize,
    /// Rows of the table or exported rows of the database.
    pub rows: usize,
    /// Figures drawn.
    pub figures: usize,
    /// Rows left out of the fits and figures (the melt, untrusted rows).
    pub left_out: usize,
    /// Table only: how many features have the sign of the paper's Table 1, "agree/compared".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_agreement: Option<String>,
    /// Table only: (feature, Pearson r with D at the highest temperature), most positive first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub correlations: Vec<(String, f64)>,
    /// Table only: (anion family, median Eₐ in eV), in the paper's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ea_median_by_anion: Vec<(String, f64)>,
    /// Table only: test R² of the random forest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rf_test_r2: Option<f64>,
    /// Table only: the 15 largest (feature, importance) of the random forest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rf_importances: Vec<(String, f64)>,
}

/// What a report is of: a feature table or a workflow database (serialised as
/// `{"table": path}` or `{"db": path}`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportSource {
    /// A feature table ([`table_report`]).
    Table(std::path::PathBuf),
    /// A workflow database ([`database_report`]).
    Db(std::path::PathBuf),
}

/// A report written to a file ([`write_report`]), as `amorph report` reports it: serialises to
/// its `--json` object and displays as its text.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ReportFile {
    /// What it is of.
    pub source: ReportSource,
    /// The HTML file written.
    pub output: std::path::PathBuf,
    /// Its size in bytes.
    pub bytes: usize,
    /// What it holds.
    pub summary: ReportSummary,
}

impl std::fmt::Display for ReportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.summary;
        write!(
            f,
            "{} compositions, {} rows, {} figures -> {}",
            s.compositions,
            s.rows,
            s.figures,
            self.output.display()
        )
    }
}

/// Writes the report of `source` to `output`.
pub fn write_report(source: ReportSource, output: &Path) -> Result<ReportFile> {
    let report = match &source {
        ReportSource::Table(t) => table_report(t)?,
        ReportSource::Db(db) => database_report(db)?,
    };
    write_file(output, &report.html)?;
    Ok(ReportFile {
        source,
        output: output.to_path_buf(),
        bytes: report.html.len(),
        summary: report.summary,
    })
}

/// Writes the report of the database `db` to `output` and returns its summary.
pub fn write_database_report(db: &Path, output: &Path) -> Result<ReportSummary> {
    let report = database_report(db)?;
    write_file(output, &report.html)?;
    Ok(report.summary)
}

/// Periodic-table heatmaps of mean log10 D and mean Eₐ per element (where there are values).
fn element_heatmaps(html: &mut Html, cv: &CompositionValues) {
    let cells = |value: HeatmapValue| -> Vec<ElementValue> {
        element_means(&cv.values(value))
            .into_iter()
            .map(ElementValue::from)
            .collect()
    };
    if !cv.values(HeatmapValue::LogD).is_empty() {
        html.figure(
            heatmap_svg(
                &cells(HeatmapValue::LogD),
                "Mean log10 D per element",
                &cv.label(HeatmapValue::LogD),
            ),
            &format!(
                "Periodic-table heatmap: mean of log10 D ({}) over the compositions containing each element; grey: no composition.",
                cv.d_label
            ),
        );
    }
    if !cv.ea.is_empty() {
        html.figure(
            heatmap_svg(
                &cells(HeatmapValue::Ea),
                "Mean Ea per element",
                &cv.label(HeatmapValue::Ea),
            ),
            "Periodic-table heatmap: mean Arrhenius Ea (eV) over the compositions containing each element; grey: no composition.",
        );
    }
}
