//! Anion families (the paper's Fig. 2).

use super::FormulaValue;
use super::correlation::TopTemperature;
use crate::error::{Context as _, Result};
use amorph_core::{Composition, Element};
use amorph_ml::Table;

/// Anion families in the order of the paper's Fig. 2.
pub const ANION_ORDER: &[&str] = &[
    "F", "Cl", "Br", "I", "O", "S", "Se", "Te", "N", "P", "As", "oxyanion",
];

/// The anion family of a formula: `oxyanion` when O is bound with a network former (B, C, N, Si,
/// P, S, Ge, As, Se, Te, Cl, Br, I), else the most electronegative of F, Cl, Br, I, O, S, Se, Te,
/// N, P, As present; `None` when there is none (or the formula does not parse).
pub fn anion_family(formula: &str) -> Option<&'static str> {
    let c = Composition::parse(formula).ok()?;
    let has = |s: &str| {
        Element::from_symbol(s)
            .map(|e| c.contains(e))
            .unwrap_or(false)
    };
    const FORMERS: [&str; 13] = [
        "B", "C", "N", "Si", "P", "S", "Ge", "As", "Se", "Te", "Cl", "Br", "I",
    ];
    if has("O") && FORMERS.iter().any(|f| has(f)) {
        return Some("oxyanion");
    }
    ANION_ORDER[..11]
        .iter()
        .filter(|s| has(s))
        .max_by(|a, b| {
            let en = |s: &str| {
                Element::from_symbol(s)
                    .ok()
                    .and_then(|e| e.electronegativity())
                    .unwrap_or(0.0)
            };
            en(a).total_cmp(&en(b))
        })
        .copied()
}

/// The values of the compositions of one anion family.
#[derive(Clone, Debug, PartialEq)]
pub struct AnionGroup {
    /// The family, one of [`ANION_ORDER`].
    pub family: &'static str,
    /// The values of its compositions.
    pub values: Vec<f64>,
}

impl From<AnionGroup> for crate::plot::Group {
    fn from(g: AnionGroup) -> Self {
        crate::plot::Group {
            name: g.family.to_string(),
            values: g.values,
        }
    }
}

/// Values grouped by the [`anion_family`] of their formula, in the order of [`ANION_ORDER`];
/// families without a value and formulas without a family are left out.
pub fn group_by_anion(values: &[FormulaValue]) -> Vec<AnionGroup> {
    ANION_ORDER
        .iter()
        .map(|fam| AnionGroup {
            family: fam,
            values: values
                .iter()
                .filter(|v| anion_family(&v.formula) == Some(fam))
                .map(|v| v.value)
                .collect(),
        })
        .filter(|g| !g.values.is_empty())
        .collect()
}

/// The column `target` of a table with a `formula` column, at its highest temperature,
/// grouped by anion family (the paper's Fig. 2 with D at 2500 K).
pub fn target_by_anion(t: &Table, target: &str) -> Result<Vec<AnionGroup>> {
    let y = t
        .column(target)
        .context_with(|| format!("target column {target}"))?;
    let formulas = t
        .text_column("formula")
        .context_with(|| "formula column".into())?;
    let values: Vec<FormulaValue> = TopTemperature::of(t)
        .rows
        .iter()
        .map(|&i| FormulaValue::new(formulas[i].clone(), y[i]))
        .collect();
    Ok(group_by_anion(&values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anion_families() {
        assert_eq!(anion_family("LiF"), Some("F"));
        assert_eq!(anion_family("Li2O"), Some("O"));
        assert_eq!(anion_family("Li3N"), Some("N"));
        assert_eq!(anion_family("Li2Si2O5"), Some("oxyanion"));
        assert_eq!(anion_family("Li3PO4"), Some("oxyanion"));
        assert_eq!(anion_family("LiClO4"), Some("oxyanion"));
        assert_eq!(anion_family("Li3PS4"), Some("S"));
        assert_eq!(anion_family("LiCu"), None);
    }

    #[test]
    fn groups_follow_the_paper_order() {
        let v = [("LiCl", 1.0), ("LiF", 2.0), ("LiCu", 3.0), ("Li2O", 4.0)]
            .map(|(f, x)| FormulaValue::new(f, x));
        let g = group_by_anion(&v);
        let fams: Vec<&str> = g.iter().map(|g| g.family).collect();
        assert_eq!(fams, ["F", "Cl", "O"]);
    }
}
