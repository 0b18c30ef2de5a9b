//! `Composition`: typed errors on bad formulas, serde, and round-trip properties.

use amorph_core::{Composition, Element, Error};
use proptest::prelude::*;

/// Parses `f`, expects a formula error naming `f`, returns the reason.
fn reason(f: &str) -> String {
    match Composition::parse(f) {
        Err(e @ Error::Formula { .. }) => {
            let Error::Formula { formula, reason } = &e else {
                unreachable!()
            };
            assert_eq!(formula, f);
            // The message names the formula and the problem.
            assert!(e.to_string().contains(&format!("'{f}'")), "{e}");
            assert!(e.to_string().contains(reason.as_str()));
            reason.clone()
        }
        other => panic!("{f:?}: expected Error::Formula, got {other:?}"),
    }
}

#[test]
fn errors_name_the_problem() {
    assert!(reason("Xx2O").contains("unknown element 'Xx'"));
    assert!(reason("LI2O").contains("unknown element 'L'"));
    assert!(reason("Am2O3").contains("unknown element 'Am'"));
    assert!(reason("D2O").contains("isotope 'D'"));
    assert!(reason("Li2O)").contains("unbalanced"));
    assert!(reason("(Li2O").contains("unbalanced"));
    // Brackets of any kind pair up as pymatgen pairs them: `[2O}` is the group `(2O)`.
    assert!(reason("Li[2O}").contains("'2'"));
    assert!(reason("Li{O").contains("never closed"));
    assert!(reason("").contains("empty"));
    assert!(reason("  \t").contains("empty"));
    assert!(reason("12").contains("no element"));
    assert!(reason("Li()O").contains("empty parentheses"));
    assert!(reason("Li-2O").contains("negative amount -2 of Li"));
    assert!(reason("(Li2O)-1").contains("of O is not a number"));
    assert!(reason("Li1e999O").contains("not finite"));
    // 0 × ∞ inside a group: pymatgen writes `nan` back into the text; an error either way.
    assert!(!reason("(Li0)1e999O").is_empty());
    assert!(reason("LiO#").contains("'#'"));
    assert!(reason("CuSO4·5H2O").contains("'·5'"));
    assert!(reason("Li2eO").contains("amount '2e' of Li"));
    assert!(reason("Li1e-9").contains("no element"));
    assert!(reason("(Li)2e3.4.5O").contains("multiplier"));
}

#[test]
fn from_amounts_checks_values() {
    let li = Element::from_symbol("Li").unwrap();
    let o = Element::from_symbol("O").unwrap();
    for bad in [f64::NAN, f64::INFINITY, -0.5] {
        let e = Composition::from_amounts([(li, bad), (o, 1.0)]).unwrap_err();
        assert!(matches!(e, Error::Formula { .. }), "{e}");
    }
    assert!(Composition::from_amounts([]).is_err());
    let c = Composition::from_amounts([(li, 2.0), (o, 1.0), (o, 1e-12)]).unwrap();
    assert_eq!(c.reduced_formula(), "Li2O");
    assert!(Composition::parse("Li2O").unwrap().scaled(0.0).is_err());
}

#[test]
fn accessors() {
    let c = Composition::parse("Li7La3Zr2O12").unwrap();
    let sym = |s: &str| Element::from_symbol(s).unwrap();
    assert_eq!(c.n_elements(), 4);
    assert_eq!(
        c.elements(),
        vec![sym("Li"), sym("La"), sym("Zr"), sym("O")]
    );
    assert_eq!(
        c.elements_by_electronegativity(),
        vec![sym("Li"), sym("La"), sym("Zr"), sym("O")]
    );
    assert_eq!(c.amount(sym("Zr")), 2.0);
    assert_eq!(c.amount(sym("Na")), 0.0);
    assert!(c.contains(sym("La")) && !c.contains(sym("Na")));
    assert!(!c.is_element());
    let w = 7.0 * sym("Li").mass()
        + 3.0 * sym("La").mass()
        + 2.0 * sym("Zr").mass()
        + 12.0 * sym("O").mass();
    assert!((c.weight() - w).abs() < 1e-9);
    let wf: f64 = c.elements().into_iter().map(|e| c.weight_fraction(e)).sum();
    assert!((wf - 1.0).abs() < 1e-12);
    let (red, f) = Composition::parse("Li14La6Zr4O24")
        .unwrap()
        .reduced_composition_and_factor();
    assert_eq!(f, 2.0);
    assert_eq!(red, c);
    assert_eq!(c.to_string(), "Li7 La3 Zr2 O12");
    assert_eq!(c, "Li7 La3 Zr2 O12".parse::<Composition>().unwrap());
    assert_ne!(c, Composition::parse("Li7La3Zr2O11.9").unwrap());
}

#[test]
fn serde_round_trip() {
    let c = Composition::parse("Ca3(PO4)2").unwrap();
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(json, r#"{"Ca":3.0,"P":2.0,"O":8.0}"#);
    let back: Composition = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let from_text: Composition = serde_json::from_str(r#""Ca3(PO4)2""#).unwrap();
    assert_eq!(from_text, c);
    assert!(serde_json::from_str::<Composition>(r#"{"Xx":1.0}"#).is_err());
    assert!(serde_json::from_str::<Composition>(r#"{"Li":-1.0}"#).is_err());
    assert!(serde_json::from_str::<Composition>(r#""Li2O)""#).is_err());
}

/// One random formula: its text (with groups and brackets) and the amounts it means.
fn formula_strategy() -> impl Strategy<Value = (String, Vec<(Element, f64)>)> {
    let term = (
        1u8..=94,
        prop_oneof![
            Just(None),
            (1u32..40).prop_map(Some),
            (1u32..4000).prop_map(|k| Some(k + 100_000))
        ],
    );
    (
        proptest::collection::vec(term, 1..7),
        0usize..3,
        1u32..5,
        0usize..3,
    )
        .prop_map(|(terms, group_len, mult, bracket)| {
            let amount = |a: Option<u32>| match a {
                None => (String::new(), 1.0),
                // Encoded decimals: 100_000 + k means k / 1000.
                Some(k) if k > 100_000 => {
                    let v = f64::from(k - 100_000) / 1000.0;
                    (format!("{v}"), v)
                }
                Some(k) => (k.to_string(), f64::from(k)),
            };
            let n = terms.len();
            let g = if n >= 2 { group_len.min(n - 1) } else { 0 };
            let mut text = String::new();
            let mut want: Vec<(Element, f64)> = Vec::new();
            let (open, close) = [('(', ')'), ('[', ']'), ('{', '}')][bracket];
            for (idx, (z, a)) in terms.into_iter().enumerate() {
                let el = Element::from_z(z).unwrap();
                let (s, v) = amount(a);
                let in_group = g > 0 && idx >= n - g;
                if in_group && idx == n - g {
                    text.push(open);
                }
                text.push_str(el.symbol());
                text.push_str(&s);
                let v = if in_group { v * f64::from(mult) } else { v };
                want.push((el, v));
            }
            if g > 0 {
                text.push(close);
                text.push_str(&mult.to_string());
            }
            (text, want)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_and_print_round_trip((text, want) in formula_strategy()) {
        let c = Composition::parse(&text).unwrap();
        let expected = Composition::from_amounts(want).unwrap();
        prop_assert_eq!(&c, &expected, "{}", text);
        // parse(formula()) is the same composition.
        let again = Composition::parse(&c.formula()).unwrap();
        prop_assert_eq!(&again, &c, "{} -> {}", text, c.formula());
        // Fractions sum to one and match amount / num_atoms.
        let sum: f64 = c.fractions().iter().map(|(_, x)| x).sum();
        prop_assert!((sum - 1.0).abs() < 1e-12);
        let total: f64 = c.iter().map(|(_, a)| a).sum();
        prop_assert!((total - c.num_atoms()).abs() <= 1e-12 * total);
        // The reduced formula, times its factor, is the composition.
        let (red, factor) = c.reduced_formula_and_factor();
        let back = Composition::parse(&red).unwrap().scaled(factor).unwrap();
        prop_assert_eq!(&back, &c, "{} -> {} x {}", text, red, factor);
        let (rc, f2) = c.reduced_composition_and_factor();
        prop_assert_eq!(f2, factor);
        prop_assert_eq!(&rc.scaled(factor).unwrap(), &c);
        // The integer formula times its factor, too, to the accuracy of pymatgen's tolerant
        // GCD (remainders below 1e-4 ignored, so amounts move by up to about 1e-4; pymatgen
        // gives Li23446Be39857H2112F29893He340040 × 1.0036e-4 for F3H0.212He2.126Li2.353(BeHe8)4,
        // H0.21196 instead of H0.212, and so do we).
        let (int_formula, int_factor) = c.integer_formula_and_factor();
        let back = Composition::parse(&int_formula).unwrap().scaled(int_factor).unwrap();
        for (el, a) in c.iter() {
            prop_assert!((back.amount(el) - a).abs() <= 1e-3 * a.max(1.0), "{} {}", text, int_formula);
        }
        // One letter per element in the anonymized formula.
        let letters = c.anonymized_formula().chars().filter(char::is_ascii_uppercase).count();
        prop_assert_eq!(letters, c.n_elements());
        // Display and serde round-trip.
        let json = serde_json::to_string(&c).unwrap();
        let de: Composition = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&de, &c);
        prop_assert_eq!(c.to_string(), c.formula());
    }

    /// Arbitrary text never panics the parser.
    #[test]
    fn never_panics(text in "[A-Za-z0-9().\\[\\]{}@ *e-]{0,24}") {
        let _ = Composition::parse(&text);
    }
}
