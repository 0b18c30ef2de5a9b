//! The report of a workflow database.

use super::html::{Html, fmt};
use super::{Report, ReportSummary};
use crate::analysis::{CompositionValues, open_database};
use crate::error::{Context as _, Result};
use crate::plot::{ArrheniusLine, ArrheniusSeries, Bar, DPoint, arrhenius_svg, bars_svg};
use amorph_morph::db::{ExportRow, StageStatus};
use std::path::Path;

/// A finite value, or `None`.
fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

/// The report of the workflow database at `path` (never created): per composition its stages
/// and errors, Eₐ, every exported row with its trust flags, the rows left out of the fits and
/// why, the Arrhenius plot of the usable rows ([`ExportRow::usable`]), Eₐ per composition and
/// the per-element heatmaps.
pub fn database_report(path: &Path) -> Result<Report> {
    let name = path.display().to_string();
    let db = open_database(path)?;
    let comps = db.compositions().context_with(|| name.clone())?;
    let stages = db.stages().context_with(|| name.clone())?;
    let rows = db.export().context_with(|| name.clone())?;
    let mut html = Html::new();
    let mut sum = ReportSummary {
        compositions: comps.len(),
        rows: rows.len(),
        ..Default::default()
    };
    html.h2("Run summary");
    html.p(&format!(
        "Database: {name}. {} compositions, {} exported rows (composition × temperature).",
        comps.len(),
        rows.len()
    ));
    let status_rows: Vec<Vec<String>> = comps
        .iter()
        .map(|c| {
            let mine: Vec<_> = stages.iter().filter(|s| s.formula == c.formula).collect();
            let done = mine
                .iter()
                .filter(|s| s.status == StageStatus::Done)
                .count();
            let failed: Vec<String> = mine
                .iter()
                .filter_map(|s| s.error.as_ref().map(|e| format!("{}: {e}", s.stage)))
                .collect();
            vec![
                c.formula.clone(),
                c.atoms.to_string(),
                done.to_string(),
                mine.len().to_string(),
                failed.join("; "),
            ]
        })
        .collect();
    html.table(
        &["formula", "atoms", "stages done", "stages", "errors"],
        &status_rows,
    );

    let note = |r: &ExportRow| r.quality_note.clone().unwrap_or_default();
    // What the fits and figures leave out, and why.
    let left_out: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| !r.usable())
        .map(|r| {
            let why = if r.melt == Some(true) {
                let q = note(r);
                if q == "trusted" || q.is_empty() {
                    "the melt (the activation energies come from the anneal temperatures)".into()
                } else {
                    format!("the melt; also {q}")
                }
            } else {
                note(r)
            };
            vec![
                r.formula.clone(),
                finite(Some(r.temperature)).map(fmt).unwrap_or_default(),
                why,
            ]
        })
        .collect();
    sum.left_out = left_out.len();
    let usable: Vec<&ExportRow> = rows.iter().filter(|r| r.usable()).collect();
    let mut series: Vec<ArrheniusSeries> = Vec::new();
    let mut ea_rows = Vec::new();
    for c in &comps {
        let mine: Vec<&ExportRow> = usable
            .iter()
            .copied()
            .filter(|r| r.formula == c.formula)
            .collect();
        let points: Vec<DPoint> = mine
            .iter()
            .filter_map(|r| {
                Some(DPoint {
                    t: finite(Some(r.temperature))?,
                    d: finite(r.diffusivity_cm2_s)?,
                    // The GLS σ (MSD covariance); pymatgen's fit σ is not an uncertainty.
                    sigma: finite(r.gls_std_cm2_s),
                })
            })
            .collect();
        let ea = mine.first().and_then(|r| finite(r.ea_ev));
        let fit = db.arrhenius(c.id).ok().flatten();
        let d0 = fit.as_ref().map(|f| f.d0_cm2_s);
        let ea_std = mine.first().and_then(|r| finite(r.ea_std_ev));
        ea_rows.push(vec![
            c.formula.clone(),
            match (&c.potential, c.physical) {
                (Some(p), Some(false)) => format!("{p} (smoke test, not physics)"),
                (Some(p), _) => p.clone(),
                (None, _) => "imported".into(),
            },
            ea.map(fmt).unwrap_or_else(|| "–".into()),
            ea_std.map(fmt).unwrap_or_else(|| "–".into()),
            points.len().to_string(),
        ]);
        if !points.is_empty() {
            series.push(ArrheniusSeries {
                label: c.formula.clone(),
                points,
                fit: d0.zip(ea).map(|(d0, ea_ev)| ArrheniusLine { d0, ea_ev }),
            });
        }
    }
    html.h2("Activation energies");
    html.p("From the Arrhenius fit of each composition's trusted anneal temperatures (the melt and rows that fail a check are left out; see below).");
    html.table(
        &[
            "formula",
            "potential",
            "Ea (eV)",
            "σ(Ea) (eV)",
            "temperatures in the fit",
        ],
        &ea_rows,
    );
    html.h2("D(T), density and pressure per composition and temperature");
    html.p("Every row with its checks: trusted = the volume search converged, the state is plausible (density near an independent estimate, no cavity, no like-ion contact) and the potential is physical.");
    let cell = |x: Option<f64>| finite(x).map(fmt).unwrap_or_else(|| "–".into());
    let trow: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.formula.clone(),
                cell(Some(r.temperature)),
                cell(r.diffusivity_cm2_s),
                cell(r.gls_std_cm2_s),
                cell(Some(r.density_g_cm3)),
                cell(Some(r.pressure_bar)),
                match r.trusted {
                    Some(true) => "yes".into(),
                    Some(false) => format!("no: {}", note(r)),
                    None => "not checked".into(),
                },
            ]
        })
        .collect();
    html.table(
        &[
            "formula",
            "T (K)",
            "D (cm²/s)",
            "σ(D), GLS (cm²/s)",
            "density (g/cm³)",
            "pressure (bar)",
            "trusted",
        ],
        &trow,
    );
    if !left_out.is_empty() {
        html.h2("Left out of the fits and figures");
        html.table(&["formula", "T (K)", "why"], &left_out);
    }
    if series.is_empty() {
        html.p("No diffusivities in the database yet (run or resume the workflow to its diffusion stages).");
    } else {
        html.figure(
            arrhenius_svg(&series, "Arrhenius plot of the database"),
            "Li D(T) with ±σ error bars at the trusted anneal temperatures and the stored Arrhenius fit of each composition (the melt and untrusted rows are left out; see the table above).",
        );
        let ea: Vec<Bar> = comps
            .iter()
            .filter_map(|c| {
                let r = usable.iter().find(|r| r.formula == c.formula)?;
                Some(Bar {
                    label: c.formula.clone(),
                    value: finite(r.ea_ev)?,
                })
            })
            .collect();
        if !ea.is_empty() {
            html.figure(
                bars_svg(&ea, "Activation energy per composition", "Ea (eV)"),
                "Arrhenius Ea of each composition.",
            );
        }
        html.h2("Per element");
        super::element_heatmaps(&mut html, &CompositionValues::of_rows(usable));
    }
    sum.figures = html.figures;
    Ok(Report {
        html: html.finish(&format!("amorph report: {name}")),
        summary: sum,
    })
}
