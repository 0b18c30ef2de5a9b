//! Pearson correlations of the feature columns with a target (the paper's Table 1).

use super::FormulaValue;
use crate::error::{Context as _, Error, Result};
use amorph_ml::Table;

/// The Pearson r of one feature column with the target.
#[derive(Clone, Debug, PartialEq)]
pub struct Correlation {
    /// The feature column.
    pub feature: String,
    /// Pearson r.
    pub r: f64,
}

/// Pearson r of every numeric column (but the id, the target and `temperature`) with `target`,
/// sorted from most positive to most negative.
pub fn correlations(t: &Table, target: &str) -> Result<Vec<Correlation>> {
    let y = t
        .column(target)
        .context_with(|| format!("target column {target}"))?
        .to_vec();
    let mut out = Vec::new();
    for name in t.numeric_columns() {
        if name == target || name == "temperature" {
            continue;
        }
        let x = t.column(&name)?.to_vec();
        let r = amorph_ml::pearson(&x, &y)?;
        out.push(Correlation { feature: name, r });
    }
    if out.is_empty() {
        return Err(Error::NoFeatures {
            target: target.to_string(),
        });
    }
    out.sort_by(|a, b| b.r.total_cmp(&a.r));
    Ok(out)
}

/// The rows of a table at its highest temperature.
#[derive(Clone, Debug, PartialEq)]
pub struct TopTemperature {
    /// Row indices: those at the highest `temperature`, or every row when the table has no
    /// `temperature` column.
    pub rows: Vec<usize>,
    /// The highest temperature (K), if the table has a `temperature` column.
    pub temperature: Option<f64>,
}

impl TopTemperature {
    /// The rows of `t` at its highest temperature.
    pub fn of(t: &Table) -> Self {
        match t.column("temperature") {
            Ok(temps) => {
                let tmax = temps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                TopTemperature {
                    rows: (0..t.n_rows()).filter(|&i| temps[i] == tmax).collect(),
                    temperature: Some(tmax),
                }
            }
            Err(_) => TopTemperature {
                rows: (0..t.n_rows()).collect(),
                temperature: None,
            },
        }
    }

    /// `"2500 K"`, or `"all"` without a temperature column.
    pub fn label(&self) -> String {
        self.temperature
            .map_or_else(|| "all".into(), |t| format!("{t} K"))
    }

    /// (formula, `column`) of these rows.
    pub fn formula_values(&self, t: &Table, column: &str) -> Result<Vec<FormulaValue>> {
        let y = t.column(column)?;
        let f = t.text_column("formula")?;
        Ok(self
            .rows
            .iter()
            .map(|&i| FormulaValue::new(f[i].clone(), y[i]))
            .collect())
    }

    /// Pearson r of `column` with `target` over these rows (NaN when either is missing or r is
    /// undefined).
    pub fn pearson(&self, t: &Table, column: &str, target: &str) -> f64 {
        let pick = |name: &str| {
            t.column(name)
                .ok()
                .map(|c| self.rows.iter().map(|&i| c[i]).collect::<Vec<f64>>())
        };
        match (pick(column), pick(target)) {
            (Some(x), Some(y)) => amorph_ml::pearson(&x, &y).unwrap_or(f64::NAN),
            _ => f64::NAN,
        }
    }
}
