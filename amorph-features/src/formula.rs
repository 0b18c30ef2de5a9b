//! A minimal formula parser (pymatgen syntax: `Li2O`, `Li(Si2W)3`, `Li0.5Fe0.5PO4`).
//!
//! Stand-in until `amorph_core::composition::Composition` lands; same grammar.

use crate::error::{FeatureError, Result};
use amorph_core::Element;

fn bad(formula: &str, reason: impl Into<String>) -> FeatureError {
    FeatureError::Core(amorph_core::Error::Formula {
        formula: formula.to_string(),
        reason: reason.into(),
    })
}

/// Parses `formula` into (element, amount) pairs in order of appearance (duplicates kept).
pub(crate) fn parse(formula: &str) -> Result<Vec<(Element, f64)>> {
    let chars: Vec<char> = formula.trim().chars().collect();
    if chars.is_empty() {
        return Err(bad(formula, "empty formula"));
    }
    let mut pos = 0;
    let out = group(formula, &chars, &mut pos, 0)?;
    if pos != chars.len() {
        return Err(bad(
            formula,
            format!("unexpected '{}' at position {pos}", chars[pos]),
        ));
    }
    Ok(out)
}

fn number(chars: &[char], pos: &mut usize) -> Option<f64> {
    let start = *pos;
    while *pos < chars.len() && (chars[*pos].is_ascii_digit() || chars[*pos] == '.') {
        *pos += 1;
    }
    if *pos == start {
        return None;
    }
    chars[start..*pos].iter().collect::<String>().parse().ok()
}

fn group(
    formula: &str,
    chars: &[char],
    pos: &mut usize,
    depth: usize,
) -> Result<Vec<(Element, f64)>> {
    let mut out = Vec::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        if c == '(' {
            *pos += 1;
            let inner = group(formula, chars, pos, depth + 1)?;
            if *pos >= chars.len() || chars[*pos] != ')' {
                return Err(bad(formula, "unbalanced '('"));
            }
            *pos += 1;
            let start = *pos;
            let k = number(chars, pos).unwrap_or(1.0);
            if *pos > start && !(k.is_finite() && k > 0.0) {
                return Err(bad(formula, "bad multiplier"));
            }
            out.extend(inner.into_iter().map(|(e, a)| (e, a * k)));
        } else if c == ')' {
            if depth == 0 {
                return Err(bad(formula, "unbalanced ')'"));
            }
            return Ok(out);
        } else if c.is_ascii_uppercase() {
            let mut sym = c.to_string();
            *pos += 1;
            while *pos < chars.len() && chars[*pos].is_ascii_lowercase() {
                sym.push(chars[*pos]);
                *pos += 1;
            }
            let e = Element::from_symbol(&sym)?;
            let start = *pos;
            let a = number(chars, pos).unwrap_or(1.0);
            if *pos > start && !(a.is_finite() && a > 0.0) {
                return Err(bad(formula, format!("bad amount after {sym}")));
            }
            out.push((e, a));
        } else if c.is_whitespace() {
            *pos += 1;
        } else {
            return Err(bad(formula, format!("unexpected '{c}' at position {pos}")));
        }
    }
    if depth > 0 {
        return Err(bad(formula, "unbalanced '('"));
    }
    Ok(out)
}
