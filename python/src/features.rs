//! The paper's descriptors (`amorph featurize`), through the same amorph-features calls.

use crate::error::{Ctx, bad, to_json};
use crate::structure::PyStructure;
use amorph_features::{CompositionFeaturizer, FeatureTable, PaperFeaturizer, Sample, Settings};
use pyo3::prelude::*;

/// The settings of `amorph featurize --convention --cutoff --missing`.
fn settings(convention: &str, cutoff: f64, missing: &str) -> PyResult<Settings> {
    let s = Settings {
        convention: convention
            .parse()
            .map_err(|e: amorph_features::FeatureError| bad(e))?,
        cutoff,
        missing: missing
            .parse()
            .map_err(|e: amorph_features::FeatureError| bad(e))?,
        ..Settings::default()
    };
    s.validate().ctx(&format!("--cutoff {cutoff}"))?;
    Ok(s)
}

/// `amorph featurize --formula F... --json`: the 21 composition-only columns, one row per
/// formula (JSON `{"columns": [...], "rows": [...]}`).
#[pyfunction]
#[pyo3(signature = (formulas, convention = "paper", cutoff = 4.0, missing = "error"))]
pub fn featurize_formulas(
    py: Python<'_>,
    formulas: Vec<String>,
    convention: &str,
    cutoff: f64,
    missing: &str,
) -> PyResult<String> {
    let settings = settings(convention, cutoff, missing)?;
    let table = py
        .detach(|| {
            let f: Vec<&str> = formulas.iter().map(String::as_str).collect();
            FeatureTable::from_formulas(&CompositionFeaturizer { settings }, &f)
        })
        .ctx("featurize")?;
    to_json(&table.to_json())
}

/// `amorph featurize IN... --json`: all 43 columns, one row per structure; `temperature` (K)
/// is written as the `temperature` column, `sources` (one per structure) as `source`.
#[pyfunction]
#[pyo3(signature = (structures, temperature = None, sources = None, convention = "paper",
    cutoff = 4.0, missing = "error"))]
pub fn featurize_structures(
    py: Python<'_>,
    structures: Vec<PyRef<'_, PyStructure>>,
    temperature: Option<f64>,
    sources: Option<Vec<String>>,
    convention: &str,
    cutoff: f64,
    missing: &str,
) -> PyResult<String> {
    let settings = settings(convention, cutoff, missing)?;
    if let Some(t) = temperature
        && !(t.is_finite() && t >= 0.0)
    {
        return Err(bad(format!(
            "--temperature {t}: must be a non-negative number of kelvin"
        )));
    }
    if let Some(s) = &sources
        && s.len() != structures.len()
    {
        return Err(bad(format!(
            "sources: {} names for {} structures",
            s.len(),
            structures.len()
        )));
    }
    let frames: Vec<_> = structures.iter().map(|s| s.inner.clone()).collect();
    let table = py
        .detach(|| {
            let samples: Vec<Sample<'_>> = (frames.iter().enumerate())
                .map(|(i, s)| Sample {
                    source: sources.as_ref().map(|v| v[i].as_str()),
                    temperature,
                    ..Sample::new(s)
                })
                .collect();
            FeatureTable::from_samples(&PaperFeaturizer::new(settings), &samples)
        })
        .ctx("featurize")?;
    to_json(&table.to_json())
}
