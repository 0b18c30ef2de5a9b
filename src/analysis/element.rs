//! Per-element statistics of per-composition values (the paper's SI Figs. 6–9).

use super::correlation::TopTemperature;
use super::{CompositionFit, FormulaValue, PAPER_D_COLUMN, mean_std};
use crate::error::{Context as _, Error, Result};
use amorph_core::{Composition, Element};
use amorph_ml::Table;
use amorph_morph::db::ExportRow;
use std::collections::BTreeMap;
use std::path::Path;

/// The mean of a value over the compositions that contain an element.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ElementMean {
    /// The element.
    pub element: Element,
    /// Mean of the values.
    pub mean: f64,
    /// Their sample standard deviation (0 for one composition).
    pub std: f64,
    /// Number of compositions.
    pub n: usize,
}

impl From<ElementMean> for crate::plot::ElementValue {
    fn from(m: ElementMean) -> Self {
        crate::plot::ElementValue {
            element: m.element,
            value: m.mean,
        }
    }
}

/// Per element, in order of Z: the mean, sample standard deviation and number of the values of
/// the compositions that contain it (the paper's SI Figs. 6–9). Formulas that do not parse are
/// skipped.
pub fn element_means(values: &[FormulaValue]) -> Vec<ElementMean> {
    let mut per_el: BTreeMap<Element, Vec<f64>> = BTreeMap::new();
    for v in values {
        let Ok(c) = Composition::parse(&v.formula) else {
            continue;
        };
        for el in c.elements() {
            per_el.entry(el).or_default().push(v.value);
        }
    }
    per_el
        .into_iter()
        .map(|(element, v)| {
            let (mean, std) = mean_std(&v);
            ElementMean {
                element,
                mean,
                std,
                n: v.len(),
            }
        })
        .collect()
}

/// Which per-composition value a per-element statistic is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatmapValue {
    /// The Arrhenius Eₐ (eV).
    Ea,
    /// log₁₀ of D at the highest temperature (positive D only).
    LogD,
}

/// Per-composition values behind the per-element statistics and heatmaps: D at the highest
/// temperature and the Arrhenius Eₐ.
#[derive(Clone, Debug, PartialEq)]
pub struct CompositionValues {
    /// D at the highest temperature, per composition.
    pub d: Vec<FormulaValue>,
    /// Arrhenius Eₐ (eV), per composition.
    pub ea: Vec<FormulaValue>,
    /// Which D: the temperature it is taken at.
    pub d_label: String,
    /// Unit of D.
    pub d_unit: String,
}

impl CompositionValues {
    /// D at the highest temperature (the paper's column, 1e-3 cm²/s) and Eₐ of every
    /// composition of `fits` of the table `t`.
    pub fn of_fits(t: &Table, fits: &[CompositionFit], top: &TopTemperature) -> Result<Self> {
        let top_d = top.formula_values(t, PAPER_D_COLUMN)?;
        let dmap: BTreeMap<&str, f64> = top_d
            .iter()
            .map(|v| (v.formula.as_str(), v.value))
            .collect();
        Ok(CompositionValues {
            d: fits
                .iter()
                .filter_map(|c| {
                    Some(FormulaValue::new(
                        &c.formula,
                        *dmap.get(c.formula.as_str())?,
                    ))
                })
                .collect(),
            ea: fits
                .iter()
                .map(|c| FormulaValue::new(&c.formula, c.fit.ea_ev))
                .collect(),
            d_label: top.label(),
            d_unit: "1e-3 cm²/s".into(),
        })
    }

    /// The values of a feature table with formula, temperature and the paper's D column.
    pub fn of_table(path: &Path) -> Result<Self> {
        let name = || path.display().to_string();
        let t = Table::read(path).context_with(name)?;
        if t.column_index(PAPER_D_COLUMN).is_none() || t.column_index("formula").is_none() {
            return Err(Error::MissingColumns {
                table: name(),
                needs: format!("formula, temperature and {PAPER_D_COLUMN}"),
            });
        }
        let fits = CompositionFit::read_table(path)?;
        Self::of_fits(&t, &fits, &TopTemperature::of(&t)).context_with(name)
    }

    /// The values of a workflow database: each composition's D at its highest temperature
    /// with a D, and its stored Eₐ, over the usable rows ([`ExportRow::usable`]: not the melt,
    /// not untrusted).
    pub fn of_database(path: &Path) -> Result<Self> {
        let db = super::open_database(path)?;
        let rows = db.export().context_with(|| path.display().to_string())?;
        Ok(Self::of_rows(rows.iter().filter(|r| r.usable())))
    }

    /// The values of exported rows: per formula the D of its highest temperature with a
    /// (finite) D and its first finite Eₐ. Pass the usable rows only.
    pub fn of_rows<'a>(rows: impl IntoIterator<Item = &'a ExportRow>) -> Self {
        let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
        let mut d: Vec<(String, f64, f64)> = Vec::new();
        let mut ea: Vec<FormulaValue> = Vec::new();
        for r in rows {
            let f = r.formula.as_str();
            if let (Some(t), Some(v)) = (finite(Some(r.temperature)), finite(r.diffusivity_cm2_s)) {
                match d.iter_mut().find(|x| x.0 == f) {
                    Some(x) if t > x.1 => (x.1, x.2) = (t, v),
                    Some(_) => {}
                    None => d.push((f.to_string(), t, v)),
                }
            }
            if let Some(e) = finite(r.ea_ev)
                && !ea.iter().any(|x| x.formula == f)
            {
                ea.push(FormulaValue::new(f, e));
            }
        }
        CompositionValues {
            d: d.into_iter()
                .map(|(f, _, v)| FormulaValue::new(f, v))
                .collect(),
            ea,
            d_label: "highest temperature".into(),
            d_unit: "cm²/s".into(),
        }
    }

    /// The per-composition values of `value`: Eₐ, or log₁₀ of the positive D.
    pub fn values(&self, value: HeatmapValue) -> Vec<FormulaValue> {
        match value {
            HeatmapValue::Ea => self.ea.clone(),
            HeatmapValue::LogD => self
                .d
                .iter()
                .filter(|v| v.value > 0.0)
                .map(|v| FormulaValue::new(&v.formula, v.value.log10()))
                .collect(),
        }
    }

    /// The name of the per-element mean of `value`, e.g. `mean log10 D (cm²/s; 2500 K)`.
    pub fn label(&self, value: HeatmapValue) -> String {
        match value {
            HeatmapValue::Ea => "mean Ea (eV)".into(),
            HeatmapValue::LogD => format!("mean log10 D ({}; {})", self.d_unit, self.d_label),
        }
    }
}
