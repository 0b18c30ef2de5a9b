//! The database beside the paper: AAV and D(T) of every composition that both hold.
//!
//! For each (composition, temperature) present in the database's export and in the paper's
//! table ([`crate::import::read_paper_table`]):
//!
//! - `AAV / AAV_paper`, with AAV = production volume / atoms (Å³ per atom);
//! - `log10(D / D_paper)`, both as the standard tracer D (the table's slope/2 values divided
//!   by 3, [`crate::import::PAPER_TO_TRACER_CM2_S`]).
//!
//! Compositions are matched by reduced formula. The table's "Li2Si2Os" is not Li₂Si₂O₅: its
//! composition features say Li fraction 0.4 and mean mass 52.1 amu (Li₂Si₂Os; Li₂Si₂O₅ would
//! be 0.22 and 16.7 amu) and its volume, 15.5 Å³/atom at 1500 K, is 37 % above crystalline
//! Li₂Si₂O₅'s against 11 % for the table's Li₂O. It is an osmium compound, and a Li₂Si₂O₅ run
//! has no row to compare with.
//!
//! The summary gives, over the trusted rows at 1500–2500 K ([`FIDELITY_RANGE`]), the median
//! |log10(D/D_paper)| and the largest |AAV/AAV_paper − 1|, the numbers the project's
//! physics issue judges against (≤ 0.3 and ≤ 15 %).

use crate::db::ExportRow;
use crate::import::ImportedRow;
use amorph_core::Composition;
use serde::{Deserialize, Serialize};

/// The temperatures (K) of the summary, inclusive.
pub const FIDELITY_RANGE: (f64, f64) = (1500.0, 2500.0);

/// One (composition, temperature) beside the paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FidelityRow {
    /// The formula as the database holds it.
    pub formula: String,
    /// The formula as the paper's table writes it.
    pub paper_formula: String,
    /// Temperature (K).
    pub temperature: f64,
    /// Volume per atom (Å³).
    pub aav: f64,
    /// The paper's volume per atom (Å³).
    pub aav_paper: Option<f64>,
    /// AAV / AAV_paper.
    pub aav_ratio: Option<f64>,
    /// Tracer D (cm²/s).
    pub d_cm2_s: Option<f64>,
    /// The paper's tracer D (cm²/s).
    pub d_paper_cm2_s: f64,
    /// log10(D / D_paper).
    pub log10_d_ratio: Option<f64>,
    /// Whether the database row is trusted (`None`: not checked).
    pub trusted: Option<bool>,
    /// The row's quality note.
    pub note: Option<String>,
}

/// The summary over [`FIDELITY_RANGE`] and the trusted rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FidelitySummary {
    /// Compositions in both.
    pub compositions: usize,
    /// Rows in both (all temperatures).
    pub rows: usize,
    /// Rows in the summary (trusted, 1500–2500 K, with D).
    pub rows_in_summary: usize,
    /// Median |log10(D/D_paper)| of those rows.
    pub median_abs_log10_d: Option<f64>,
    /// Largest |AAV/AAV_paper − 1| of those rows.
    pub max_abs_aav_error: Option<f64>,
}

fn reduced(formula: &str) -> Option<String> {
    Composition::parse(formula)
        .ok()
        .map(|c| c.reduced_formula())
}

/// Sets the database's rows beside the paper's table.
pub fn compare(
    export: &[ExportRow],
    atoms_of: &dyn Fn(&str) -> Option<usize>,
    paper: &[ImportedRow],
) -> (Vec<FidelityRow>, FidelitySummary) {
    let mut rows = Vec::new();
    for r in export {
        let Some(key) = reduced(&r.formula) else {
            continue;
        };
        let Some(p) = paper.iter().find(|p| {
            p.temperature_k == r.temperature && reduced(&p.formula).as_deref() == Some(&key)
        }) else {
            continue;
        };
        let Some(atoms) = atoms_of(&r.formula).filter(|n| *n > 0) else {
            continue;
        };
        let aav = r.volume / atoms as f64;
        let aav_paper = p.features.get("AAV");
        let d_paper = p.tracer_d_cm2_s();
        let d = r.diffusivity_cm2_s.filter(|d| *d > 0.0);
        rows.push(FidelityRow {
            formula: r.formula.clone(),
            paper_formula: p.formula.clone(),
            temperature: r.temperature,
            aav,
            aav_paper,
            aav_ratio: aav_paper.map(|a| aav / a),
            d_cm2_s: d,
            d_paper_cm2_s: d_paper,
            log10_d_ratio: d.filter(|_| d_paper > 0.0).map(|d| (d / d_paper).log10()),
            trusted: r.trusted,
            note: r.quality_note.clone(),
        });
    }
    let mut in_range: Vec<&FidelityRow> = rows
        .iter()
        .filter(|r| {
            r.trusted != Some(false)
                && (FIDELITY_RANGE.0..=FIDELITY_RANGE.1).contains(&r.temperature)
                && r.log10_d_ratio.is_some()
        })
        .collect();
    let mut logs: Vec<f64> = in_range
        .iter()
        .filter_map(|r| r.log10_d_ratio.map(f64::abs))
        .collect();
    logs.sort_by(f64::total_cmp);
    let median = (!logs.is_empty()).then(|| {
        let n = logs.len();
        if n % 2 == 1 {
            logs[n / 2]
        } else {
            0.5 * (logs[n / 2 - 1] + logs[n / 2])
        }
    });
    in_range.retain(|r| r.aav_ratio.is_some());
    let max_aav = in_range
        .iter()
        .filter_map(|r| r.aav_ratio.map(|x| (x - 1.0).abs()))
        .reduce(f64::max);
    let mut formulas: Vec<&str> = rows.iter().map(|r| r.formula.as_str()).collect();
    formulas.sort_unstable();
    formulas.dedup();
    let summary = FidelitySummary {
        compositions: formulas.len(),
        rows: rows.len(),
        rows_in_summary: logs.len(),
        median_abs_log10_d: median,
        max_abs_aav_error: max_aav,
    };
    (rows, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::FeatureRow;
    use serde_json::json;

    fn export(formula: &str, t: f64, volume: f64, d: f64, trusted: bool) -> ExportRow {
        serde_json::from_value(json!({
            "formula": formula, "temperature": t, "density_g_cm3": 1.0, "volume": volume,
            "pressure_bar": 0.0, "diffusivity_cm2_s": d, "diffusivity_std_cm2_s": null,
            "gls_diffusivity_cm2_s": null, "gls_std_cm2_s": null, "ea_ev": null, "ea_std_ev": null,
            "potential": "pedone", "trusted": trusted, "melt": false, "converged": true,
            "search_pressure_kbar": 1.0, "search_drift": 0.0, "plausible": trusted,
            "density_ratio": 0.9, "quality_note": "trusted",
        }))
        .unwrap()
    }

    fn paper(formula: &str, t: f64, d_paper: f64, aav: f64) -> ImportedRow {
        ImportedRow {
            formula: formula.into(),
            temperature_k: t,
            d_paper,
            features: FeatureRow {
                values: [("AAV".to_string(), Some(aav))].into_iter().collect(),
                undefined: Default::default(),
            },
        }
    }

    #[test]
    fn ratios_and_summary() {
        let atoms = |f: &str| match f {
            "Li2Si2O5" => Some(108),
            "Li2O" => Some(102),
            _ => None,
        };
        let ex = vec![
            export("Li2Si2O5", 2000.0, 108.0 * 16.0, 1e-4, true),
            export("Li2O", 1500.0, 102.0 * 9.0, 0.5 * 0.2461267e-3 / 3.0, true),
            export("Li2O", 2500.0, 102.0 * 10.0, 1.0, false),
            export("LiF", 1500.0, 100.0, 1e-4, true),
        ];
        let pa = vec![
            paper("Li2Si2O5", 2000.0, 0.3, 16.0),
            // An osmium compound of a similar spelling is not matched.
            paper("Li2Si2Os", 2000.0, 0.3, 15.0),
            paper("Li2O", 1500.0, 0.2461267, 9.0),
            paper("Li2O", 2500.0, 0.8, 10.2),
        ];
        let (rows, s) = compare(&ex, &atoms, &pa);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].paper_formula, "Li2Si2O5");
        assert!((rows[0].aav_ratio.unwrap() - 1.0).abs() < 1e-12);
        // D_paper = 0.3e-3/3 = 1e-4: equal.
        assert!(rows[0].log10_d_ratio.unwrap().abs() < 1e-12);
        assert!((rows[1].log10_d_ratio.unwrap() - 0.5f64.log10()).abs() < 1e-12);
        // The untrusted 2500 K row is listed but not summarised.
        assert_eq!(s.rows_in_summary, 2);
        assert_eq!(s.compositions, 2);
        assert!((s.median_abs_log10_d.unwrap() - 0.5 * 0.5f64.log10().abs()).abs() < 1e-12);
        assert!(s.max_abs_aav_error.unwrap() < 1e-12);
    }
}
