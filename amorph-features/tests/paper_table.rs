//! The 21 compositional columns against the paper's own table, for all 207 formulas.
//!
//! Data: `shared/data/paper_ml/feature_target.dat` (the paper's supplementary repository,
//! `Tinaatucsd/DFT_amorphous_structure`, commit 56eab4e), read in place. Element data:
//! `amorph-core`'s table (pymatgen 2026.10 for m, X, R; the paper's B, G, E_coh solved from
//! the `avg_*_with_Li` / `avg_*_wiout_Li` columns of this same table over its 207 formulas).

use amorph_core::Composition;
use amorph_features::composition_features;
use amorph_features::names::COMPOSITION_COLUMNS;
use std::collections::BTreeMap;

const TABLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/paper_ml/feature_target.dat"
);

/// formula → (column → value), first row of each formula (compositional columns are the same
/// at every temperature; checked below).
fn paper_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(TABLE).expect("shared paper table is present");
    let mut lines = text.lines();
    // The header starts with the quoted "Unnamed: 0" (two tokens).
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .replace("\"Unnamed: 0\"", "index")
        .split_whitespace()
        .map(String::from)
        .collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect();
    (header, rows)
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs() + 1e-12
}

#[test]
fn all_207_formulas_reproduce_every_compositional_column() {
    let (header, rows) = paper_rows();
    assert_eq!(rows.len(), 792);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let f_col = col("formula");
    let mut by_formula: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in &rows {
        assert_eq!(r.len(), header.len(), "{r:?}");
        let vals: Vec<f64> = COMPOSITION_COLUMNS
            .iter()
            .map(|c| r[col(c)].parse().unwrap())
            .collect();
        match by_formula.get(&r[f_col]) {
            // Compositional columns are temperature-independent in the paper's table.
            Some(prev) => {
                for (a, b) in prev.iter().zip(&vals) {
                    assert!(close(*a, *b, 1e-12), "{}", r[f_col]);
                }
            }
            None => {
                by_formula.insert(r[f_col].clone(), vals);
            }
        }
    }
    assert_eq!(by_formula.len(), 207);

    // Per column: fraction matched to 1e-6 relative, worst relative residual.
    let mut matched = [0usize; 21];
    let mut worst: Vec<(f64, String)> = vec![(0.0, String::new()); 21];
    for (formula, paper) in &by_formula {
        let a = Composition::parse(formula).unwrap();
        // Row labels use pymatgen's reduced formula: the paper's own spelling comes back.
        assert_eq!(&a.reduced_formula(), formula);
        let ours = composition_features(&a);
        for k in 0..21 {
            let v = ours[k].unwrap_or_else(|e| panic!("{formula} {}: {e}", COMPOSITION_COLUMNS[k]));
            let rel = (v - paper[k]).abs() / paper[k].abs().max(1e-300);
            if close(v, paper[k], 1e-6) {
                matched[k] += 1;
            }
            if rel > worst[k].0 {
                worst[k] = (rel, formula.clone());
            }
        }
    }
    println!(
        "{:<30} {:>9} {:>12}  worst formula",
        "column", "matched", "worst rel"
    );
    for k in 0..21 {
        println!(
            "{:<30} {:>5}/207 {:>12.3e}  {}",
            COMPOSITION_COLUMNS[k], matched[k], worst[k].0, worst[k].1
        );
    }
    for k in 0..21 {
        assert_eq!(
            matched[k], 207,
            "{}: worst {:e} at {}",
            COMPOSITION_COLUMNS[k], worst[k].0, worst[k].1
        );
    }
}

#[test]
fn paper_table_identities_hold_for_the_structural_columns_we_define_the_same_way() {
    // RNC = LNC/SNC and RBI = LBI/SBI in the paper's table: our definitions are ratios too.
    let (header, rows) = paper_rows();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in &rows {
        let v = |c: &str| r[col(c)].parse::<f64>().unwrap();
        assert!(close(v("RNC"), v("LNC") / v("SNC"), 1e-8), "{}", r[1]);
        assert!(close(v("RBI"), v("LBI") / v("SBI"), 1e-8), "{}", r[1]);
        // ENS (structure) equals X̄ without Li (composition).
        assert!(close(v("ENS"), v("avg_X_wiout_Li"), 1e-8), "{}", r[1]);
    }
}

#[test]
fn paper_anion_rule_reproduces_vpa_over_aav() {
    // VPA / AAV = N / n_A = 1 / x_A with A the alphabetically last symbol (Paper convention).
    let (header, rows) = paper_rows();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut ok = 0;
    for r in &rows {
        let a = Composition::parse(&r[1]).unwrap();
        let an = amorph_features::anion(&a, amorph_features::Convention::Paper).unwrap();
        let ratio = r[col("VPA")].parse::<f64>().unwrap() / r[col("AAV")].parse::<f64>().unwrap();
        if close(ratio, 1.0 / a.fraction(an), 1e-6) {
            ok += 1;
        }
    }
    assert_eq!(ok, rows.len());
}
