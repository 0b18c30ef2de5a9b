//! `Composition` against pymatgen (fixture `tests/fixtures/compositions.json`, written by
//! `scripts/fixtures/pymatgen_compositions.py` with pymatgen 2026.10.16): every formula of the
//! paper's feature table plus hand-picked and random formulas over Z = 1–94.

use amorph_core::{Composition, Element, Error};
use serde_json::Value;
use std::collections::BTreeMap;

fn fixture() -> Value {
    let text = include_str!("fixtures/compositions.json");
    serde_json::from_str(text).expect("fixture is JSON")
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn agrees_with_pymatgen() {
    let fx = fixture();
    let comps = fx["compositions"].as_object().unwrap();
    assert!(comps.len() >= 50, "fixture too small: {}", comps.len());
    let mut failures = Vec::new();
    for (formula, want) in comps {
        let c = match Composition::parse(formula) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{formula}: rejected: {e}"));
                continue;
            }
        };
        let s = |k: &str| want[k].as_str().unwrap().to_string();
        let f = |k: &str| want[k].as_f64().unwrap();
        let (red, factor) = c.reduced_formula_and_factor();
        let (int_formula, int_factor) = c.integer_formula_and_factor();
        let checks = [
            ("reduced_formula", red == s("reduced_formula"), red.clone()),
            ("formula", c.formula() == s("formula"), c.formula()),
            (
                "anonymized_formula",
                c.anonymized_formula() == s("anonymized_formula"),
                c.anonymized_formula(),
            ),
            (
                "integer_formula",
                int_formula == s("integer_formula"),
                int_formula.clone(),
            ),
            (
                "reduced_factor",
                close(factor, f("reduced_factor"), 1e-12),
                factor.to_string(),
            ),
            (
                "integer_factor",
                close(int_factor, f("integer_factor"), 1e-12),
                int_factor.to_string(),
            ),
            (
                "num_atoms",
                close(c.num_atoms(), f("num_atoms"), 1e-12),
                c.num_atoms().to_string(),
            ),
            (
                "weight",
                close(c.weight(), f("weight"), 1e-12),
                c.weight().to_string(),
            ),
        ];
        for (what, ok, got) in checks {
            if !ok {
                failures.push(format!(
                    "{formula}: {what} = {got}, pymatgen {}",
                    want[what]
                ));
            }
        }
        let want_fr: BTreeMap<String, f64> = want["fractions"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_f64().unwrap()))
            .collect();
        let got_fr: BTreeMap<String, f64> = c
            .fractions()
            .into_iter()
            .map(|(e, x)| (e.symbol().to_string(), x))
            .collect();
        if want_fr.keys().ne(got_fr.keys())
            || want_fr.iter().any(|(k, x)| (got_fr[k] - x).abs() > 1e-12)
        {
            failures.push(format!(
                "{formula}: fractions {got_fr:?}, pymatgen {want_fr:?}"
            ));
        }
        for (sym, x) in &want_fr {
            let el = Element::from_symbol(sym).unwrap();
            assert!((c.fraction(el) - x).abs() <= 1e-12, "{formula} {sym}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} formulas disagree with pymatgen:\n{}",
        failures.len(),
        comps.len(),
        failures.join("\n")
    );
}

#[test]
fn every_paper_formula_is_in_the_fixture() {
    let fx = fixture();
    let comps = fx["compositions"].as_object().unwrap();
    let paper = fx["paper_formulas"].as_array().unwrap();
    // The fixture's list is the distinct `formula` column of the shared data file.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/paper_ml/feature_target.dat"
    );
    if let Ok(text) = std::fs::read_to_string(path) {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        // The first column name is quoted and contains a space ("Unnamed: 0").
        let col = header.iter().position(|h| *h == "formula").unwrap() - 1;
        let mut distinct: Vec<&str> = lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split_whitespace().nth(col).unwrap())
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        let listed: Vec<&str> = paper.iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(distinct, listed);
    }
    assert_eq!(paper.len(), 207);
    for f in paper {
        assert!(comps.contains_key(f.as_str().unwrap()), "{f}");
    }
}

#[test]
fn rejects_what_pymatgen_rejects() {
    let fx = fixture();
    for f in fx["rejected"].as_array().unwrap() {
        let f = f.as_str().unwrap();
        match Composition::parse(f) {
            Err(Error::Formula { formula, reason }) => {
                assert_eq!(formula, f);
                assert!(!reason.is_empty());
            }
            other => panic!("{f:?}: expected a formula error, got {other:?}"),
        }
    }
}
