//! Structural features of hand-checkable crystals, worked out by hand (geometry in comments),
//! in both conventions; typed undefined values; bad input.

mod common;
use amorph_features::{
    Convention, FeatureError, MissingData, Property, Settings, StructureContext, Undefined,
    structure_features,
};
use approx::assert_relative_eq;
use common::*;
use std::f64::consts::PI;

const AMU_G: f64 = 1.660_539_066_60; // amu/Å³ → g/cm³
fn sphere(r: f64) -> f64 {
    4.0 / 3.0 * PI * r * r * r
}

fn check(
    row: &amorph_features::FeatureRow,
    t: &amorph_features::FeatureTable,
    name: &str,
    want: f64,
) {
    let got = row.get(t, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_relative_eq!(got, want, max_relative = 1e-10, epsilon = 1e-12);
}

fn undefined(
    row: &amorph_features::FeatureRow,
    t: &amorph_features::FeatureTable,
    name: &str,
) -> Undefined {
    match row.get(t, name) {
        Err(FeatureError::Undefined { reason, .. }) => reason,
        other => panic!("{name}: expected undefined, got {other:?}"),
    }
}

#[test]
fn rock_salt_lif_both_conventions() {
    // a = 4.03 Å. Around Li: 6 F at a/2, 12 Li at a/√2 = 2.850, 8 F at a√3/2 = 3.490; the next
    // shell (6 Li at a) lies beyond 4 Å. Same around F with species swapped.
    let a = 4.03;
    let s = rock_salt("Li", "F", a);
    let v = a * a * a;
    let dx = 3.98 - 0.98; // |ΔX| Li–F
    for conv in [Convention::Paper, Convention::Sendek] {
        let (t, r) = features(&s, Settings::default().with_convention(conv));
        check(&r, &t, "AAV", v / 8.0);
        check(&r, &t, "LNC", 26.0);
        check(&r, &t, "SDLC", 0.0);
        check(&r, &t, "LLB", 12.0);
        check(&r, &t, "SNC", 26.0);
        check(&r, &t, "RNC", 1.0);
        // 4 Li × 14 Li–F bonds of |ΔX| = 3; N_b = 4 × 26 = 104 bonds.
        let sum = 4.0 * 14.0 * dx;
        let lbi = match conv {
            Convention::Paper => sum / 103.0,
            Convention::Sendek => sum / 104.0,
        };
        check(&r, &t, "LBI", lbi);
        let ss = 56.0 * (dx - lbi).powi(2) + 48.0 * lbi * lbi;
        check(&r, &t, "SDLI", (ss / 103.0).sqrt());
        check(&r, &t, "SBI", 14.0 * dx / 26.0);
        check(&r, &t, "RBI", lbi / (14.0 * dx / 26.0));
        check(&r, &t, "ENS", 3.98);
        check(&r, &t, "LLSD", a / 2f64.sqrt());
        check(&r, &t, "VPA", v / 4.0);
        // Anion: Paper = alphabetically last symbol = Li; Sendek = F.
        let lasd = match conv {
            Convention::Paper => a / 2f64.sqrt(),
            Convention::Sendek => a / 2.0,
        };
        check(&r, &t, "LASD", lasd);
        // Li–Li and F–F sublattices are both fcc: r0 = a/√2, 12 within r0 + 1 Å (next at a).
        check(&r, &t, "AASD", a / 2f64.sqrt());
        check(&r, &t, "AFC", 12.0);
        // Mean |ΔX| per site = 14·3/26 = 1.62 < 2: covalent radii Li 1.28, F 0.57.
        check(&r, &t, "PF", 4.0 * (sphere(1.28) + sphere(0.57)) / v);
        check(&r, &t, "SPF", 4.0 * sphere(0.57) / v);
        // Path Li(0,0,0) → Li(½,½,0)a: F at (½,0,0)a and (0,½,0)a project onto its middle at
        // distance a/(2√2); the Li at (½,0,½)a is further (a√(3/8)).
        let c = a / (2.0 * 2f64.sqrt());
        check(&r, &t, "SLPW", c - 0.57);
        check(&r, &t, "SLPW_pp", c);
        check(&r, &t, "SLPE", 3.98);
        check(&r, &t, "density", 4.0 * (6.941 + 18.998_403_2) * AMU_G / v);
        check(&r, &t, "Li_percentage", 0.5);
    }
    // A lower ionic threshold (1.5 < 1.62) switches both sites to Shannon crystal radii.
    let (t, r) = features(&s, Settings::default().with_ionic_threshold(Some(1.5)));
    check(&r, &t, "PF", 4.0 * (sphere(0.90) + sphere(1.19)) / v);
    check(&r, &t, "SLPW", a / (2.0 * 2f64.sqrt()) - 1.19);
    // No switching at all.
    let (t, r) = features(&s, Settings::default().with_ionic_threshold(None));
    check(&r, &t, "PF", 4.0 * (sphere(1.28) + sphere(0.57)) / v);
}

#[test]
fn antifluorite_li2o_crystal() {
    // a = 4.50 Å (no shell within 0.1 Å of the 4 Å cutoff). Around Li: 6 Li at a/2, 12 Li at
    // a/√2, 8 Li at a√3/2 = 3.897 (26 Li); 4 O at a√3/4 and 12 O at a√11/4 = 3.731 (16 O).
    // Around O: 8 + 24 Li (a√3/4, a√11/4) and 12 O at a/√2.
    let a = 4.5;
    let s = antifluorite_li2o(a);
    let v = a * a * a;
    let dx = 3.44 - 0.98;
    for conv in [Convention::Paper, Convention::Sendek] {
        let (t, r) = features(&s, Settings::default().with_convention(conv));
        check(&r, &t, "AAV", v / 12.0);
        check(&r, &t, "LNC", 42.0);
        check(&r, &t, "LLB", 26.0);
        check(&r, &t, "SNC", 44.0);
        check(&r, &t, "RNC", 42.0 / 44.0);
        let nb = 8.0 * 42.0;
        let sum = 8.0 * 16.0 * dx;
        let lbi = if conv == Convention::Paper {
            sum / (nb - 1.0)
        } else {
            sum / nb
        };
        check(&r, &t, "LBI", lbi);
        let ss = 128.0 * (dx - lbi).powi(2) + 208.0 * lbi * lbi;
        check(&r, &t, "SDLI", (ss / (nb - 1.0)).sqrt());
        check(&r, &t, "SBI", 32.0 * dx / 44.0);
        check(&r, &t, "ENS", 3.44);
        // Anion O in both conventions ("O" > "Li"; O is the most electronegative).
        check(&r, &t, "VPA", v / 4.0);
        check(&r, &t, "LASD", a * 3f64.sqrt() / 4.0);
        check(&r, &t, "AASD", a / 2f64.sqrt());
        check(&r, &t, "AFC", 12.0);
        check(&r, &t, "LLSD", a / 2.0);
        // Site mean |ΔX|: Li 16·2.46/42 = 0.94, O 32·2.46/44 = 1.79: covalent radii.
        check(&r, &t, "PF", (8.0 * sphere(1.28) + 4.0 * sphere(0.66)) / v);
        check(&r, &t, "SPF", 4.0 * sphere(0.66) / v);
        // Path Li(¼,¼,¼) → Li(¾,¼,¼): four O at x = ½ sit a√2/4 from the path axis.
        let c = a * 2f64.sqrt() / 4.0;
        check(&r, &t, "SLPW", c - 0.66);
        check(&r, &t, "SLPW_pp", c);
        check(&r, &t, "SLPE", 3.44);
    }
    // An independent prototype implementation of these definitions gives the same numbers.
    let (t, r) = features(&s, Settings::paper());
    for (name, want) in [
        ("LBI", 0.939940),
        ("SDLI", 1.196412),
        ("SBI", 1.789091),
        ("RBI", 0.525373),
        ("PF", 0.824069),
        ("SPF", 0.052862),
        ("SLPW", 0.930990),
        ("SLPW_pp", 1.590990),
        ("LASD", 1.948557),
        ("AASD", 3.181981),
    ] {
        assert!((r.get(&t, name).unwrap() - want).abs() < 2e-6, "{name}");
    }
}

#[test]
fn bcc_lithium_only() {
    // a = 3.51 Å, 2 atoms. Around each Li: 8 Li at a√3/2 = 3.040, 6 at a = 3.51; next a√2.
    let a = 3.51;
    let s = bcc_li(a);
    let v = a * a * a;
    let r0 = a * 3f64.sqrt() / 2.0;
    let (t, r) = features(&s, Settings::paper());
    check(&r, &t, "LNC", 14.0);
    check(&r, &t, "LLB", 14.0);
    check(&r, &t, "SDLC", 0.0);
    check(&r, &t, "LBI", 0.0); // every bond is Li–Li, |ΔX| = 0
    check(&r, &t, "SDLI", 0.0);
    check(&r, &t, "LLSD", r0);
    // Paper anion = Li (the only symbol): Li–"anion" is Li–Li.
    check(&r, &t, "LASD", r0);
    check(&r, &t, "AASD", r0);
    check(&r, &t, "AFC", 14.0); // 8 at r0 and 6 at a ≤ r0 + 1
    check(&r, &t, "VPA", v / 2.0);
    check(&r, &t, "PF", 2.0 * sphere(1.28) / v);
    check(&r, &t, "SPF", 0.0);
    // Path (0,0,0) → (½,½,½)a: the corners (1,0,0)a… and the centres (½,½,−½)a… project inside
    // at distance a√(2/3) — beyond the 4 Å list's guarantee, so this exercises the wide search.
    let c = a * (2.0f64 / 3.0).sqrt();
    check(&r, &t, "SLPW", c - 1.28);
    check(&r, &t, "SLPW_pp", c);
    check(&r, &t, "SLPE", 0.98);
    check(&r, &t, "Li_percentage", 1.0);
    for name in [
        "SNC",
        "RNC",
        "SBI",
        "RBI",
        "ENS",
        "avg_X_wiout_Li",
        "ratio_r_without_Li_with",
    ] {
        assert_eq!(undefined(&r, &t, name), Undefined::NoNonLithium, "{name}");
    }
    // Sendek: no non-Li element, so no anion.
    let (t, r) = features(&s, Settings::sendek());
    for name in ["VPA", "LASD", "AASD", "AFC"] {
        assert_eq!(undefined(&r, &t, name), Undefined::NoAnion, "{name}");
    }
    check(&r, &t, "LLSD", r0);
}

#[test]
fn rock_salt_nacl_has_no_lithium() {
    // a = 5.64 Å. Around Na: 6 Cl at a/2, 12 Na at a/√2 = 3.988 (< 4), 8 Cl at 4.88.
    let a = 5.64;
    let s = rock_salt("Na", "Cl", a);
    let v = a * a * a;
    let (t, r) = features(&s, Settings::paper());
    for name in [
        "LNC", "SDLC", "LLB", "RNC", "LBI", "SDLI", "RBI", "LASD", "LLSD", "SLPW", "SLPW_pp",
        "SLPE",
    ] {
        assert_eq!(undefined(&r, &t, name), Undefined::NoLithium, "{name}");
    }
    check(&r, &t, "SNC", 18.0);
    check(&r, &t, "SBI", 6.0 * (3.16 - 0.93) / 18.0);
    check(&r, &t, "ENS", (0.93 + 3.16) / 2.0);
    // Paper anion: "Na" sorts after "Cl"; both sublattices fcc.
    check(&r, &t, "AASD", a / 2f64.sqrt());
    check(&r, &t, "AFC", 12.0);
    check(&r, &t, "VPA", v / 4.0);
    check(&r, &t, "PF", 4.0 * (sphere(1.66) + sphere(1.02)) / v);
    check(&r, &t, "SPF", 4.0 * (sphere(1.66) + sphere(1.02)) / v);
    check(&r, &t, "Li_percentage", 0.0);
    check(&r, &t, "avg_diff_of_X_Li_rest", 0.0);
    // The JSON output names the reason.
    let j = t.to_json();
    assert_eq!(j["rows"][0]["LNC"], serde_json::Value::Null);
    assert_eq!(j["rows"][0]["undefined"]["LNC"], "no_lithium");
    assert_eq!(j["rows"][0]["formula"], "NaCl");
}

#[test]
fn one_li_bond_is_too_few_for_the_paper_lbi() {
    // A Li–F pair in a big cell: one Li bond. Paper LBI divides by N_b − 1 = 0.
    let s = cubic(9.0, &[("Li", [0.0, 0.0, 0.0]), ("F", [0.2, 0.0, 0.0])]);
    let (t, r) = features(&s, Settings::paper());
    assert_eq!(undefined(&r, &t, "LBI"), Undefined::TooFewBonds);
    assert_eq!(undefined(&r, &t, "RBI"), Undefined::TooFewBonds);
    let (t, r) = features(&s, Settings::sendek());
    check(&r, &t, "LBI", 3.0);
    assert_eq!(undefined(&r, &t, "SDLI"), Undefined::TooFewBonds);
    // The only Li's nearest Li is its own image 9 Å away along x; F sits on that path's axis
    // (an image of F at t = 0.8 of the tie-broken path to (−9, 0, 0)), so it blocks with centre
    // distance 0 and width −r(F). F's only neighbour is Li, mean |ΔX| = 3 > 2: F is ionic and
    // takes its Shannon crystal radius 1.19 Å (so does Li: 0.90 Å).
    check(&r, &t, "LLSD", 9.0);
    check(&r, &t, "SLPW_pp", 0.0);
    check(&r, &t, "SLPW", -1.19);
    check(&r, &t, "PF", (sphere(0.90) + sphere(1.19)) / 729.0);
    check(&r, &t, "SLPE", 3.98);
}

#[test]
fn bad_input_gives_typed_errors() {
    use amorph_core::{Lattice, Structure};
    // Unknown element.
    assert!(matches!(
        amorph_core::Composition::parse("LiXx2").map_err(FeatureError::from),
        Err(FeatureError::Core(amorph_core::Error::Formula { reason, .. })) if reason.contains("unknown element")
    ));
    assert!(amorph_core::Composition::parse("Li2(O").is_err());
    // Empty structure.
    let empty = Structure::new(Lattice::cubic(5.0).unwrap(), vec![], vec![]).unwrap();
    assert!(matches!(
        StructureContext::new(&empty),
        Err(FeatureError::EmptyStructure)
    ));
    let err = amorph_features::FeatureTable::from_structures(
        &amorph_features::PaperFeaturizer::default(),
        &[bcc_li(3.5), empty],
        None,
    )
    .unwrap_err();
    assert!(matches!(err, FeatureError::Row { index: 1, .. }), "{err}");
    // Missing element data: He has no electronegativity and no paper moduli.
    let s = cubic(6.0, &[("Li", [0.0, 0.0, 0.0]), ("He", [0.5, 0.5, 0.5])]);
    let f = amorph_features::PaperFeaturizer::default();
    let err = amorph_features::FeatureTable::from_structures(&f, std::slice::from_ref(&s), None)
        .unwrap_err();
    let FeatureError::Row { source, .. } = err else {
        panic!()
    };
    assert!(
        matches!(
            *source,
            FeatureError::MissingElementData {
                property: Property::Electronegativity,
                ..
            }
        ),
        "{source}"
    );
    // … or only the affected columns undefined.
    let (t, r) = features(&s, Settings::paper().with_missing(MissingData::Undefined));
    assert!(matches!(
        undefined(&r, &t, "LBI"),
        Undefined::MissingData { .. }
    ));
    assert!(matches!(
        undefined(&r, &t, "avg_B_with_Li"),
        Undefined::MissingData { .. }
    ));
    check(&r, &t, "LNC", 0.0 + r.get(&t, "LNC").unwrap()); // defined
    check(&r, &t, "Li_percentage", 0.5);
    // A structure featurizer refuses a bare composition.
    let a = amorph_core::Composition::parse("Li2O").unwrap();
    use amorph_features::Featurizer;
    assert!(matches!(
        f.featurize(&amorph_features::Input::Composition(&a)),
        Err(FeatureError::NeedsStructure(_))
    ));
    // Settings are validated.
    let ctx = StructureContext::new(&s).unwrap();
    let bad = Settings {
        cutoff: -1.0,
        ..Settings::default()
    };
    assert!(matches!(
        structure_features(&ctx, &bad),
        Err(FeatureError::Settings(_))
    ));
}
