//! Tables of features over many inputs, built in parallel, written as CSV or JSON.

use crate::error::{FeatureError, Result};
use crate::featurizer::{Featurizer, Input};
use crate::structure::StructureContext;
use crate::value::FeatureValue;
use amorph_core::{Composition, Structure};
use rayon::prelude::*;
use std::io::Write;

/// One row: a label (formula or file name), the temperature when known, and the values.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureRow {
    /// pymatgen's reduced formula (the paper's `formula` column form) or the label given.
    pub label: String,
    /// Temperature (K) when known.
    pub temperature: Option<f64>,
    /// Where the structure came from (a file name), when known.
    pub source: Option<String>,
    /// One value per column of the table.
    pub values: Vec<FeatureValue>,
}

impl FeatureRow {
    /// The value of column `name`, or a typed error: [`FeatureError::UnknownFeature`], or
    /// [`FeatureError::Undefined`] naming the reason (no Li, …).
    pub fn get(&self, table: &FeatureTable, name: &str) -> Result<f64> {
        let k = table.index_of(name)?;
        self.values[k].map_err(|reason| FeatureError::Undefined {
            feature: name.to_string(),
            label: self.label.clone(),
            reason,
        })
    }
}

/// A table of features: column names and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureTable {
    names: Vec<&'static str>,
    rows: Vec<FeatureRow>,
}

/// One structure to featurize with what is known about it.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// The structure.
    pub structure: &'a Structure,
    /// Row label; `None`: the structure's reduced formula.
    pub label: Option<&'a str>,
    /// Where it came from (a file name).
    pub source: Option<&'a str>,
    /// Temperature (K).
    pub temperature: Option<f64>,
}

impl<'a> Sample<'a> {
    /// A structure with nothing else known.
    pub fn new(structure: &'a Structure) -> Self {
        Sample {
            structure,
            label: None,
            source: None,
            temperature: None,
        }
    }
}

impl FeatureTable {
    /// Featurizes structures in parallel (rayon), one row each, all at `temperature`.
    /// The first failing row gives [`FeatureError::Row`].
    pub fn from_structures<F: Featurizer + ?Sized>(
        featurizer: &F,
        structures: &[Structure],
        temperature: Option<f64>,
    ) -> Result<Self> {
        let samples: Vec<Sample<'_>> = structures
            .iter()
            .map(|s| Sample {
                temperature,
                ..Sample::new(s)
            })
            .collect();
        Self::from_samples(featurizer, &samples)
    }

    /// Featurizes samples in parallel (rayon), one row each, in input order. Each structure
    /// is prepared once ([`StructureContext`]: one neighbour list shared by all features).
    /// The first failing row gives [`FeatureError::Row`].
    pub fn from_samples<F: Featurizer + ?Sized>(
        featurizer: &F,
        samples: &[Sample<'_>],
    ) -> Result<Self> {
        let rows: Vec<Result<FeatureRow>> = samples
            .par_iter()
            .enumerate()
            .map(|(index, sample)| {
                let s = sample.structure;
                let wrap = |e: FeatureError, label: String| FeatureError::Row {
                    index,
                    label,
                    source: Box::new(e),
                };
                let fallback = sample
                    .source
                    .or(sample.label)
                    .map(String::from)
                    .unwrap_or_else(|| s.formula());
                let ctx = StructureContext::new(s).map_err(|e| wrap(e, fallback.clone()))?;
                let label = sample
                    .label
                    .map(String::from)
                    .unwrap_or_else(|| ctx.composition().reduced_formula());
                let values = featurizer
                    .featurize(&Input::Structure(&ctx))
                    .map_err(|e| wrap(e, fallback.clone()))?;
                Ok(FeatureRow {
                    label,
                    temperature: sample.temperature,
                    source: sample.source.map(String::from),
                    values,
                })
            })
            .collect();
        Ok(FeatureTable {
            names: featurizer.names(),
            rows: rows.into_iter().collect::<Result<_>>()?,
        })
    }

    /// Featurizes formulas (composition-only featurizers), one row each, labelled by the
    /// formula as given.
    pub fn from_formulas<F: Featurizer + ?Sized>(
        featurizer: &F,
        formulas: &[&str],
    ) -> Result<Self> {
        let rows: Vec<Result<FeatureRow>> = formulas
            .par_iter()
            .enumerate()
            .map(|(index, f)| {
                let wrap = |e: FeatureError| FeatureError::Row {
                    index,
                    label: f.to_string(),
                    source: Box::new(e),
                };
                let c = Composition::parse(f).map_err(|e| wrap(e.into()))?;
                let values = featurizer
                    .featurize(&Input::Composition(&c))
                    .map_err(wrap)?;
                Ok(FeatureRow {
                    label: f.to_string(),
                    temperature: None,
                    source: None,
                    values,
                })
            })
            .collect();
        Ok(FeatureTable {
            names: featurizer.names(),
            rows: rows.into_iter().collect::<Result<_>>()?,
        })
    }

    /// Column names (the paper's).
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    /// The rows, in input order.
    pub fn rows(&self) -> &[FeatureRow] {
        &self.rows
    }

    /// Position of a column.
    pub fn index_of(&self, name: &str) -> Result<usize> {
        self.names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| FeatureError::UnknownFeature(name.to_string()))
    }

    /// One column over all rows.
    pub fn column(&self, name: &str) -> Result<Vec<FeatureValue>> {
        let k = self.index_of(name)?;
        Ok(self.rows.iter().map(|r| r.values[k]).collect())
    }

    fn has_temperature(&self) -> bool {
        self.rows.iter().any(|r| r.temperature.is_some())
    }

    fn has_source(&self) -> bool {
        self.rows.iter().any(|r| r.source.is_some())
    }

    /// Writes CSV: `formula[,source][,temperature],<columns>`; an undefined value is an empty
    /// field. Numbers are written in Rust's shortest round-trip form; a label is quoted when
    /// it would not read back as itself (`amorph_table::write_table`, the writer that matches
    /// the workspace's table reader).
    pub fn write_csv<W: Write>(&self, w: W) -> Result<()> {
        let with_t = self.has_temperature();
        let with_src = self.has_source();
        let mut header = vec!["formula"];
        if with_src {
            header.push("source");
        }
        if with_t {
            header.push("temperature");
        }
        header.extend(self.names.iter().copied());
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                let mut fields = vec![r.label.clone()];
                if with_src {
                    fields.push(r.source.clone().unwrap_or_default());
                }
                if with_t {
                    fields.push(r.temperature.map(|t| t.to_string()).unwrap_or_default());
                }
                fields.extend(
                    r.values
                        .iter()
                        .map(|v| v.map(|x| x.to_string()).unwrap_or_default()),
                );
                fields
            })
            .collect();
        amorph_table::write_table(w, &header, &rows, amorph_table::Separator::Comma)?;
        Ok(())
    }

    /// The table as `{"columns": [...], "rows": [{"formula": ..., "source": ..., "temperature": ...,
    /// "<column>": value or null, "undefined": {"<column>": "<reason tag>"}}]}`;
    /// `temperature` only when known, `undefined` only when some value is.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value, json};
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("formula".into(), json!(r.label));
                if let Some(src) = &r.source {
                    m.insert("source".into(), json!(src));
                }
                if let Some(t) = r.temperature {
                    m.insert("temperature".into(), json!(t));
                }
                let mut undefined = Map::new();
                for (name, v) in self.names.iter().zip(&r.values) {
                    match v {
                        Ok(x) => m.insert((*name).into(), json!(x)),
                        Err(u) => {
                            undefined.insert((*name).into(), json!(u.tag()));
                            m.insert((*name).into(), Value::Null)
                        }
                    };
                }
                if !undefined.is_empty() {
                    m.insert("undefined".into(), Value::Object(undefined));
                }
                Value::Object(m)
            })
            .collect();
        json!({ "columns": self.names, "rows": rows })
    }
}
