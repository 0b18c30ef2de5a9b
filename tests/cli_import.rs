//! `amorph import` of the paper's table, then `export`, `status` and `report` on the database.
//!
//! Reads `../shared/data/paper_ml/feature_target.dat` in place (not copied). The expected
//! values come from the table text itself, split here independently of amorph's readers, and
//! the Arrhenius Ea from an ordinary least-squares slope computed in this file.

mod common;

use common::*;

use amorph::core::{Composition, Element, units::KB_EV};
use serde_json::Value;
use std::collections::BTreeMap;

/// The table's rows as (formula, column → value), split on whitespace. The header's first
/// field is the quoted `"Unnamed: 0"` (two tokens), the data's first field the row id.
fn paper_rows() -> Vec<(String, BTreeMap<String, f64>)> {
    let text = std::fs::read_to_string(PAPER).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().skip(2).collect();
    assert_eq!(header[0], "formula");
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().skip(1).collect();
            assert_eq!(f.len(), header.len());
            let values = header[1..]
                .iter()
                .zip(&f[1..])
                .map(|(h, v)| (h.to_string(), v.parse::<f64>().unwrap()))
                .collect();
            (f[0].to_string(), values)
        })
        .collect()
}

/// Ordinary least-squares Ea (eV) and its residual standard error of ln D against 1/T.
fn ols_ea(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let x: Vec<f64> = points.iter().map(|p| 1.0 / p.0).collect();
    let y: Vec<f64> = points.iter().map(|p| p.1.ln()).collect();
    let xm = x.iter().sum::<f64>() / n;
    let ym = y.iter().sum::<f64>() / n;
    let sxx: f64 = x.iter().map(|x| (x - xm).powi(2)).sum();
    let slope = x
        .iter()
        .zip(&y)
        .map(|(x, y)| (x - xm) * (y - ym))
        .sum::<f64>()
        / sxx;
    let rss: f64 = x
        .iter()
        .zip(&y)
        .map(|(x, y)| (y - ym - slope * (x - xm)).powi(2))
        .sum();
    (-slope * KB_EV, (rss / (n - 2.0) / sxx).sqrt() * KB_EV)
}

fn num(row: &Value, key: &str) -> f64 {
    row[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {row}"))
}

#[test]
fn import_then_export_status_and_report() {
    let d = tmp("roundtrip");
    let v = json_ok(&["import", PAPER, "--db", "p.db"], &d);
    assert_eq!(v["import"]["rows"], 792);
    assert_eq!(v["import"]["compositions"], 207);
    assert_eq!(v["import"]["arrhenius_fits"], 207);
    assert_eq!(v["import"]["replaced"], false);
    let source = v["import"]["source"].as_str().unwrap().to_string();
    assert!(source.ends_with("feature_target.dat"), "{source}");

    // Importing again replaces the same rows.
    let again = json_ok(&["import", PAPER, "--db", "p.db"], &d);
    assert_eq!(again["import"]["replaced"], true);
    assert_eq!(again["import"]["run_id"], v["import"]["run_id"]);

    let export = json_ok(&["export", "--db", "p.db"], &d);
    let rows = export["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 792, "one row per composition x temperature");

    let paper = paper_rows();
    assert_eq!(paper.len(), 792);
    // Every row of the table is in the export with the same values under the same names.
    let find = |formula: &str, t: f64| {
        rows.iter()
            .find(|r| r["formula"] == formula && r["temperature"].as_f64() == Some(t))
            .unwrap_or_else(|| panic!("{formula} at {t} K not exported"))
    };
    for (formula, values) in &paper {
        let r = find(formula, values["temperature"]);
        for (k, x) in values {
            if k != "temperature" {
                assert_eq!(num(r, k), *x, "{formula} {k}");
            }
        }
        // The tracer D (slope/6, cm²/s) is a third of the paper's slope/2 D in 1e-3 cm²/s.
        let dt = num(r, "diffusivity_cm2_s");
        let want = values["diff_coeff_mul_thousand"] * 1e-3 / 3.0;
        assert!(
            (dt - want).abs() <= 1e-15 * want.abs(),
            "{formula}: {dt} vs {want}"
        );
        assert!(
            r["diffusivity_std_cm2_s"].is_null(),
            "the table has no σ(D)"
        );
    }

    // Li3N: the paper's values, Ea from the independent OLS fit (the import has no σ(D), so
    // the workflow's fit is unweighted), and the density from m̄ / AAV.
    let li3n: Vec<(f64, f64)> = paper
        .iter()
        .filter(|(f, _)| f == "Li3N")
        .map(|(_, v)| (v["temperature"], v["diff_coeff_mul_thousand"]))
        .collect();
    assert_eq!(li3n.len(), 4);
    let (ea, ea_std) = ols_ea(&li3n);
    assert!((ea - 0.318458).abs() < 5e-7, "OLS Ea of Li3N {ea}");
    let r = find("Li3N", 1000.0);
    assert_eq!(num(r, "diff_coeff_mul_thousand"), 0.1422194);
    assert_eq!(num(r, "AAV"), 11.623469084);
    assert!((num(r, "ea_ev") - ea).abs() < 1e-10, "{}", r["ea_ev"]);
    assert!(
        (num(r, "ea_std_ev") - ea_std).abs() < 1e-10,
        "{}",
        r["ea_std_ev"]
    );
    let mean_mass = Composition::parse("Li3N").unwrap().weight() / 4.0;
    let density = mean_mass / 11.623469084 * 1.660_539_066_60;
    assert!((num(r, "density_g_cm3") - density).abs() < 1e-9);
    assert!((density - 1.244).abs() < 1e-3);
    assert!(r["pressure_bar"].is_null(), "no pressure in the table");
    // Every composition's Ea is its own OLS fit (a composition with two temperatures has no σ).
    let mut groups: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for (f, v) in &paper {
        groups
            .entry(f)
            .or_default()
            .push((v["temperature"], v["diff_coeff_mul_thousand"]));
    }
    for (f, pts) in &groups {
        let r = find(f, pts[0].0);
        let (ea, ea_std) = ols_ea(pts);
        assert!((num(r, "ea_ev") - ea).abs() < 1e-9, "{f}");
        if pts.len() > 2 {
            assert!((num(r, "ea_std_ev") - ea_std).abs() < 1e-9, "{f}");
        } else {
            assert!(r["ea_std_ev"].is_null(), "{f}");
        }
    }

    // CSV: a header with the paper's names and 792 rows.
    let out = amorph(&["export", "--db", "p.db", "--csv"], &d);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    for col in [
        "formula",
        "temperature",
        "diff_coeff_mul_thousand",
        "AAV",
        "avg_diff_of_X_Li_rest",
    ] {
        assert!(head.contains(&col), "CSV header lacks {col}");
    }
    assert_eq!(lines.clone().count(), 792);
    let ci = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("Li3N,") && l.split(',').nth(ci("temperature")) == Some("2500.0"))
        .expect("Li3N at 2500 K in the CSV")
        .split(',')
        .collect();
    assert_eq!(
        row[ci("diff_coeff_mul_thousand")].parse::<f64>().unwrap(),
        1.3387713
    );

    // Provenance: status shows the `import` stage, never an MD stage.
    let status = json_ok(&["status", "--db", "p.db"], &d);
    let comps = status["compositions"].as_array().unwrap();
    assert_eq!(comps.len(), 207);
    for c in comps {
        let stages = c["stages"].as_array().unwrap();
        assert_eq!(stages.len(), 1, "{c}");
        assert_eq!(stages[0]["stage"], "import");
    }

    let rep = json_ok(&["report", "--db", "p.db", "-o", "r.html"], &d);
    assert_eq!(rep["summary"]["compositions"], 207);
    assert_eq!(rep["summary"]["rows"], 792);
    let html = std::fs::read_to_string(d.join("r.html")).unwrap();
    assert!(html.contains("Li3N") && html.contains("<svg"));
    // The workflow refuses to mix simulated stages into an imported composition (Li2O: one
    // the built-in potentials cover, so the refusal is the import's, not the coverage's).
    fails_naming(
        &["run", "Li2O", "--preset", "smoke", "--db", "p.db"],
        &d,
        "Li2O was imported from",
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_tables_print_one_line_naming_the_file() {
    let d = tmp("bad");
    fails_naming(
        &["import", "nothere.dat", "--db", "x.db"],
        &d,
        "nothere.dat",
    );
    std::fs::write(
        d.join("nod.dat"),
        "id formula temperature AAV\n0 LiF 1000 10\n",
    )
    .unwrap();
    fails_naming(&["import", "nod.dat", "--db", "x.db"], &d, "nod.dat");
    std::fs::write(
        d.join("badrow.dat"),
        "id formula diff_coeff_mul_thousand temperature AAV\n0 LiF 0.1 1000 10\n1 Qq2 0.1 1000 10\n",
    )
    .unwrap();
    fails_naming(&["import", "badrow.dat", "--db", "x.db"], &d, "badrow.dat");
    assert!(
        !d.join("x.db").exists(),
        "a bad table must not create the database"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// The anion family of a formula by the report's rule (`src/cli/report.rs`): `oxyanion` when O
/// is bound with a network former, else the most electronegative anion-forming element.
fn anion_family(formula: &str) -> Option<&'static str> {
    const ANIONS: [&str; 11] = ["F", "Cl", "Br", "I", "O", "S", "Se", "Te", "N", "P", "As"];
    const FORMERS: [&str; 13] = [
        "B", "C", "N", "Si", "P", "S", "Ge", "As", "Se", "Te", "Cl", "Br", "I",
    ];
    let c = Composition::parse(formula).ok()?;
    let has = |s: &str| c.contains(Element::from_symbol(s).unwrap());
    if has("O") && FORMERS.iter().any(|f| has(f)) {
        return Some("oxyanion");
    }
    let en = |s: &str| {
        Element::from_symbol(s)
            .unwrap()
            .electronegativity()
            .unwrap()
    };
    ANIONS
        .iter()
        .copied()
        .filter(|s| has(s))
        .max_by(|a, b| en(a).total_cmp(&en(b)))
}

/// The paper (Fig. 2) orders Ea by anion F > Cl > Br > I and O > S. On its published table,
/// with the per-composition OLS Ea: F 0.448 (5 compositions) > Cl 0.311 (1) > Br 0.2538 (1),
/// I 0.2539 (2); O 0.539 (32) > S 0.322 (10) (means). F > Cl > {Br, I} and O > S hold; Br and I
/// differ by 1.5e-4 eV, far inside the spread of the two iodides (0.236 and 0.272 eV): with one
/// bromide and two iodides the table cannot order them.
#[test]
fn anion_ordering_of_ea_on_the_paper_table() {
    let mut groups: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for (f, v) in paper_rows() {
        groups
            .entry(f)
            .or_default()
            .push((v["temperature"], v["diff_coeff_mul_thousand"]));
    }
    let mut by: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (f, pts) in &groups {
        if let Some(fam) = anion_family(f) {
            by.entry(fam).or_default().push(ols_ea(pts).0);
        }
    }
    let count = |f: &str| by[f].len();
    let mean = |f: &str| by[f].iter().sum::<f64>() / by[f].len() as f64;
    let median = |f: &str| {
        let mut v = by[f].clone();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            0.5 * (v[n / 2 - 1] + v[n / 2])
        }
    };
    assert_eq!(
        ["F", "Cl", "Br", "I", "O", "S"].map(count),
        [5, 1, 1, 2, 32, 10]
    );
    for (f, m) in [
        ("F", 0.4483),
        ("Cl", 0.3111),
        ("Br", 0.2538),
        ("I", 0.2539),
        ("O", 0.5390),
        ("S", 0.3219),
    ] {
        assert!((mean(f) - m).abs() < 1e-4, "mean Ea of {f}: {}", mean(f));
    }
    // The orderings the paper states that the table supports, for means and medians alike.
    for stat in [&mean as &dyn Fn(&str) -> f64, &median] {
        assert!(stat("F") > stat("Cl"));
        assert!(stat("Cl") > stat("Br") && stat("Cl") > stat("I"));
        assert!(stat("O") > stat("S"));
    }
    // Br against I: a 1.5e-4 eV gap against a spread of 0.036 eV between the two iodides.
    let gap = (mean("I") - mean("Br")).abs();
    let spread = by["I"].iter().cloned().fold(f64::MIN, f64::max)
        - by["I"].iter().cloned().fold(f64::MAX, f64::min);
    assert!(gap < 1e-3 && spread > 0.03, "gap {gap}, spread {spread}");
}
