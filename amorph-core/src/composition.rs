//! Chemical compositions, parsed and printed the way pymatgen's `Composition` does.
//!
//! [`Composition::parse`] follows pymatgen's formula grammar: element symbols with optional
//! amounts (`Li2O`, `Li0.5La0.5TiO3`, `Li1e-3`), parenthesised groups with a multiplier
//! (`Ca3(PO4)2`, nested as deep as needed), `[]` and `{}` as parentheses (`K4[Fe(CN)6]`),
//! whitespace anywhere (`Li2 O1`), and `@` ignored (`Y3N@C80`). A `.` is a decimal point, so
//! `CuSO4.5H2O` means O₄.₅ (as in pymatgen); the hydrate dot `·` is rejected (as in pymatgen).
//!
//! The printed forms are pymatgen's, character for character (checked against pymatgen
//! 2026.10 on more than 250 formulas): [`Composition::formula`] (`"Li2 O1"`, elements ordered
//! by Pauling electronegativity, ties and missing values by symbol), [`Composition::reduced_formula`]
//! (`"Ca3(PO4)2"`, with pymatgen's polyanion grouping and its special cases `O2`, `Li2O2`,
//! `H2`, …), [`Composition::anonymized_formula`] (`"ABC3"`) and
//! [`Composition::integer_formula_and_factor`].
//!
//! Differences from pymatgen, all on input pymatgen accepts but cannot use: symbols that are not
//! elements Z = 1–94 (pymatgen turns `Xx` or `LI` into dummy species, and reads `D`/`T` as
//! hydrogen isotopes with their own masses) are errors, and so are
//! infinite or NaN amounts and formulas whose every amount is below 1e-8 (pymatgen returns an
//! empty composition).
//!
//! ```
//! use amorph_core::{Composition, Element};
//!
//! let c: Composition = "Li4Ti5O12".parse().unwrap();
//! assert_eq!(c.reduced_formula(), "Li4Ti5O12");
//! assert_eq!(c.num_atoms(), 21.0);
//! let o = Element::from_symbol("O").unwrap();
//! assert!((c.fraction(o) - 12.0 / 21.0).abs() < 1e-15);
//! assert_eq!(Composition::parse("Ca3(PO4)2").unwrap().formula(), "Ca3 P2 O8");
//! assert_eq!(Composition::parse("LiO").unwrap().reduced_formula(), "Li2O2");
//! assert!(Composition::parse("Xx2O").is_err());
//! ```

use crate::element::Element;
use crate::error::{Error, Result};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Amounts smaller than this are dropped and amounts within it compare equal (pymatgen's
/// `Composition.amount_tolerance`).
pub const AMOUNT_TOLERANCE: f64 = 1e-8;

/// pymatgen's `Composition.special_formulas`: reduced formulas that are not reduced all the way.
const SPECIAL_FORMULAS: [(&str, &str); 11] = [
    ("LiO", "Li2O2"),
    ("NaO", "Na2O2"),
    ("KO", "K2O2"),
    ("HO", "H2O2"),
    ("CsO", "Cs2O2"),
    ("RbO", "Rb2O2"),
    ("O", "O2"),
    ("N", "N2"),
    ("F", "F2"),
    ("Cl", "Cl2"),
    ("H", "H2"),
];

/// A chemical composition: elements with positive (possibly fractional) amounts.
///
/// Elements keep the order in which the formula (after expanding parentheses) names them, as
/// pymatgen's dict does; every printed form sorts them itself. Never empty. Equality is
/// pymatgen's: the same elements, amounts within [`AMOUNT_TOLERANCE`].
#[derive(Debug, Clone)]
pub struct Composition {
    entries: Vec<(Element, f64)>,
    num_atoms: f64,
}

impl Composition {
    /// Parses a chemical formula (see the [module docs](self) for the grammar).
    ///
    /// Errors ([`Error::Formula`], naming the formula): empty or number-only text, an unknown
    /// element symbol, unbalanced or empty parentheses, characters that belong to no symbol or
    /// amount, an amount that is not a number, negative or non-finite amounts, or nothing left
    /// after dropping amounts below 1e-8.
    pub fn parse(formula: &str) -> Result<Self> {
        let bad = |reason: String| Error::Formula {
            formula: formula.to_string(),
            reason,
        };
        if formula
            .chars()
            .all(|c| c.is_whitespace() || c.is_ascii_digit() || matches!(c, '.' | '*' | '/'))
        {
            return Err(bad(if formula.trim().is_empty() {
                "empty formula".to_string()
            } else {
                "no element symbol".to_string()
            }));
        }
        let text: String = formula
            .chars()
            .filter(|&c| c != '@')
            .map(|c| match c {
                '[' | '{' => '(',
                ']' | '}' => ')',
                c => c,
            })
            .collect();
        check_parentheses(&text).map_err(bad)?;
        let parsed = expand(text).map_err(bad)?;
        let mut entries = Vec::with_capacity(parsed.len());
        for (symbol, amount) in parsed {
            let element = Element::from_symbol(&symbol).map_err(|_| {
                bad(match symbol.as_str() {
                    "D" | "T" => format!("isotope '{symbol}' is not supported; write H"),
                    _ => format!("unknown element '{symbol}'"),
                })
            })?;
            entries.push((element, amount));
        }
        Self::from_amounts(entries).map_err(|e| match e {
            Error::Formula { reason, .. } => bad(reason),
            other => other,
        })
    }

    /// A composition from (element, amount) pairs; repeated elements are summed, amounts
    /// below 1e-8 in magnitude dropped.
    ///
    /// Errors ([`Error::Formula`]) for negative, infinite or NaN amounts and when nothing is
    /// left.
    ///
    /// ```
    /// use amorph_core::{Composition, Element};
    /// let li = Element::from_symbol("Li").unwrap();
    /// let o = Element::from_symbol("O").unwrap();
    /// let c = Composition::from_amounts([(li, 1.0), (o, 1.0), (li, 1.0)]).unwrap();
    /// assert_eq!(c.reduced_formula(), "Li2O");
    /// assert!(Composition::from_amounts([(li, -1.0)]).is_err());
    /// ```
    pub fn from_amounts(amounts: impl IntoIterator<Item = (Element, f64)>) -> Result<Self> {
        let mut summed: Vec<(Element, f64)> = Vec::new();
        for (el, amount) in amounts {
            match summed.iter_mut().find(|(e, _)| *e == el) {
                Some((_, a)) => *a += amount,
                None => summed.push((el, amount)),
            }
        }
        let describe = |s: &[(Element, f64)]| {
            s.iter()
                .map(|(e, a)| format!("{e}{a}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for &(el, amount) in &summed {
            let reason = if amount.is_nan() {
                Some(format!("amount of {el} is not a number"))
            } else if amount.is_infinite() {
                Some(format!("amount of {el} is not finite"))
            } else if amount < -AMOUNT_TOLERANCE {
                Some(format!("negative amount {amount} of {el}"))
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(Error::Formula {
                    formula: describe(&summed),
                    reason,
                });
            }
        }
        let all = describe(&summed);
        summed.retain(|(_, a)| a.abs() >= AMOUNT_TOLERANCE);
        if summed.is_empty() {
            return Err(Error::Formula {
                formula: all,
                reason: format!("no element with an amount of at least {AMOUNT_TOLERANCE}"),
            });
        }
        let num_atoms = summed.iter().map(|(_, a)| a.abs()).sum();
        Ok(Composition {
            entries: summed,
            num_atoms,
        })
    }

    /// The elements, in the order the formula first names them.
    pub fn elements(&self) -> Vec<Element> {
        self.entries.iter().map(|(e, _)| *e).collect()
    }

    /// (element, amount) pairs, in the order of [`Composition::elements`].
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Element, f64)> + '_ {
        self.entries.iter().copied()
    }

    /// Number of distinct elements (at least 1).
    pub fn n_elements(&self) -> usize {
        self.entries.len()
    }

    /// True for a single element.
    pub fn is_element(&self) -> bool {
        self.entries.len() == 1
    }

    /// True if `el` is present.
    pub fn contains(&self, el: Element) -> bool {
        self.entries.iter().any(|(e, _)| *e == el)
    }

    /// Amount of `el` (0 when absent).
    pub fn amount(&self, el: Element) -> f64 {
        self.entries
            .iter()
            .find(|(e, _)| *e == el)
            .map_or(0.0, |(_, a)| *a)
    }

    /// Total number of atoms (sum of the amounts), pymatgen's `num_atoms`.
    pub fn num_atoms(&self) -> f64 {
        self.num_atoms
    }

    /// Atomic fraction of `el` (0 when absent), pymatgen's `get_atomic_fraction`.
    pub fn fraction(&self, el: Element) -> f64 {
        self.amount(el).abs() / self.num_atoms
    }

    /// Atomic fractions of all elements, in the order of [`Composition::elements`]; they sum
    /// to 1.
    pub fn fractions(&self) -> Vec<(Element, f64)> {
        self.entries
            .iter()
            .map(|&(e, a)| (e, a.abs() / self.num_atoms))
            .collect()
    }

    /// Formula weight (g/mol, i.e. amu per formula unit), pymatgen's `weight`.
    pub fn weight(&self) -> f64 {
        self.entries.iter().map(|(e, a)| a * e.mass()).sum()
    }

    /// Weight fraction of `el` (0 when absent).
    pub fn weight_fraction(&self, el: Element) -> f64 {
        el.mass() * self.amount(el).abs() / self.weight()
    }

    /// The same composition with every amount multiplied by `factor` (> 0).
    ///
    /// Errors as [`Composition::from_amounts`] does (a negative, zero or non-finite factor).
    pub fn scaled(&self, factor: f64) -> Result<Self> {
        Self::from_amounts(self.entries.iter().map(|&(e, a)| (e, a * factor)))
    }

    /// pymatgen's `formula`: `"Li4 Fe4 P4 O16"`, elements by electronegativity, every
    /// amount written (integers within 1e-8 as integers, others rounded to 8 decimals).
    pub fn formula(&self) -> String {
        sorted_by_electronegativity(&self.entries)
            .iter()
            .map(|&(e, a)| format!("{e}{}", formula_double_format(a, false)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// pymatgen's `reduced_formula`: `"LiFePO4"` for Li4Fe4P4O16, `"Ca3(PO4)2"`, `"O2"`.
    /// Non-integer compositions print as [`Composition::formula`] without spaces.
    pub fn reduced_formula(&self) -> String {
        self.reduced_formula_and_factor().0
    }

    /// pymatgen's `get_reduced_formula_and_factor`: the reduced formula and the number of
    /// reduced units in this composition (`("LiFePO4", 4.0)` for Li4Fe4P4O16, `("O2", 0.5)`
    /// for O).
    pub fn reduced_formula_and_factor(&self) -> (String, f64) {
        let all_int = self
            .entries
            .iter()
            .all(|(_, a)| (a - a.round_ties_even()).abs() < AMOUNT_TOLERANCE);
        if !all_int {
            return (self.formula().replace(' ', ""), 1.0);
        }
        let rounded: Vec<(Element, f64)> = self
            .entries
            .iter()
            .map(|&(e, a)| (e, a.round_ties_even()))
            .collect();
        special(reduce_formula(&rounded))
    }

    /// pymatgen's `get_reduced_composition_and_factor`: this composition divided by the
    /// factor of [`Composition::reduced_formula_and_factor`], and that factor.
    pub fn reduced_composition_and_factor(&self) -> (Composition, f64) {
        let factor = self.reduced_formula_and_factor().1;
        let entries = self.entries.iter().map(|&(e, a)| (e, a / factor)).collect();
        let reduced = Composition::from_amounts_unchecked(entries);
        (reduced, factor)
    }

    /// pymatgen's `get_integer_formula_and_factor` (max denominator 10 000): an integer
    /// formula and the factor it is multiplied by, `("Li2O", 0.25)` for `Li0.5O0.25`.
    pub fn integer_formula_and_factor(&self) -> (String, f64) {
        let tol = 1.0 / 10000.0;
        let gcd = self
            .entries
            .iter()
            .map(|(_, a)| *a)
            .reduce(|a, b| pair_gcd_tol(a, b, tol))
            .unwrap_or(1.0);
        let ints: Vec<(Element, f64)> = self
            .entries
            .iter()
            .map(|&(e, a)| (e, (a / gcd).round_ties_even()))
            .collect();
        let (formula, factor) = special(reduce_formula(&ints));
        (formula, factor * gcd)
    }

    /// pymatgen's `anonymized_formula`: amounts in increasing order labelled A, B, C, …
    /// (`"ABC3"` for any perovskite, `"AB2"` for Li2O).
    pub fn anonymized_formula(&self) -> String {
        let mut amounts: Vec<f64> = self.entries.iter().map(|(_, a)| *a).collect();
        if amounts.iter().all(|a| a.fract() == 0.0) {
            let g = amounts.iter().copied().fold(0.0, gcd_int);
            for a in &mut amounts {
                *a /= g;
            }
        }
        amounts.sort_by(f64::total_cmp);
        let mut out = String::new();
        for (letter, amt) in ('A'..='Z').zip(amounts) {
            out.push(letter);
            if amt == 1.0 {
            } else if (amt % 1.0).abs() < 1e-8 {
                out.push_str(&format!("{}", amt.trunc()));
            } else {
                out.push_str(&py_repr(amt));
            }
        }
        out
    }

    /// Elements sorted as pymatgen's formulas sort them (electronegativity, then symbol).
    pub fn elements_by_electronegativity(&self) -> Vec<Element> {
        sorted_by_electronegativity(&self.entries)
            .into_iter()
            .map(|(e, _)| e)
            .collect()
    }

    fn from_amounts_unchecked(entries: Vec<(Element, f64)>) -> Self {
        let num_atoms = entries.iter().map(|(_, a): &(Element, f64)| a.abs()).sum();
        Composition { entries, num_atoms }
    }
}

impl PartialEq for Composition {
    /// pymatgen's equality: the same elements, amounts within [`AMOUNT_TOLERANCE`].
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .all(|&(e, a)| other.contains(e) && (a - other.amount(e)).abs() <= AMOUNT_TOLERANCE)
    }
}

impl FromStr for Composition {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Composition::parse(s)
    }
}

impl fmt::Display for Composition {
    /// [`Composition::formula`]: `Li2 O1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formula())
    }
}

impl Serialize for Composition {
    /// A map from element symbol to amount, `{"Li": 2.0, "O": 1.0}` (pymatgen's `as_dict`).
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (e, a) in &self.entries {
            map.serialize_entry(e.symbol(), a)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Composition {
    /// From a symbol → amount map (as serialized) or from a formula string.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Composition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a chemical formula or a map from element symbol to amount")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Composition, E> {
                Composition::parse(v).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Composition, A::Error> {
                let mut entries = Vec::new();
                while let Some((symbol, amount)) = map.next_entry::<String, f64>()? {
                    let el = Element::from_symbol(&symbol).map_err(de::Error::custom)?;
                    entries.push((el, amount));
                }
                Composition::from_amounts(entries).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing: a literal transcription of pymatgen's `_parse_formula_cached`.

/// Rejects unbalanced parentheses with a message that says where.
fn check_parentheses(text: &str) -> std::result::Result<(), String> {
    let mut open = Vec::new();
    for (k, c) in text.chars().enumerate() {
        match c {
            '(' => open.push(k),
            ')' if open.pop().is_none() => {
                return Err(format!(
                    "unbalanced parentheses: closing bracket at character {} has no opening one",
                    k + 1
                ));
            }
            _ => {}
        }
    }
    match open.last() {
        Some(k) => Err(format!(
            "unbalanced parentheses: opening bracket at character {} is never closed",
            k + 1
        )),
        None => Ok(()),
    }
}

/// Expands the innermost parenthesised groups one at a time (pymatgen writes each expanded
/// amount back as Python's `str(float)` and re-reads it; so do we), then reads the rest.
fn expand(mut text: String) -> std::result::Result<Vec<(String, f64)>, String> {
    while let Some((start, end, inner, factor_text)) = find_group(&text) {
        let factor = if factor_text.is_empty() {
            1.0
        } else {
            parse_amount(&factor_text)
                .ok_or_else(|| format!("multiplier '{factor_text}' is not a number"))?
        };
        let group = symbol_amounts(&inner, factor)?;
        let expanded: String = group
            .iter()
            .map(|(s, a)| format!("{s}{}", py_repr(*a)))
            .collect();
        text.replace_range(start..end, &expanded);
    }
    symbol_amounts(&text, 1.0)
}

/// pymatgen's `\(([^\(\)]+)\)\s*([\.e\d]*)`: the first innermost non-empty group, as
/// (byte start, byte end, inside, multiplier text).
fn find_group(text: &str) -> Option<(usize, usize, String, String)> {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(start, c)) in bytes.iter().enumerate() {
        if c != '(' {
            continue;
        }
        let mut m = k + 1;
        while m < bytes.len() && bytes[m].1 != '(' && bytes[m].1 != ')' {
            m += 1;
        }
        if m == k + 1 || m == bytes.len() || bytes[m].1 != ')' {
            continue;
        }
        let inner: String = bytes[k + 1..m].iter().map(|(_, c)| *c).collect();
        let mut p = m + 1;
        while p < bytes.len() && bytes[p].1.is_whitespace() {
            p += 1;
        }
        let factor_start = p;
        while p < bytes.len()
            && (bytes[p].1 == '.' || bytes[p].1 == 'e' || bytes[p].1.is_ascii_digit())
        {
            p += 1;
        }
        let factor: String = bytes[factor_start..p].iter().map(|(_, c)| *c).collect();
        let end = bytes.get(p).map_or(text.len(), |(b, _)| *b);
        return Some((start, end, inner, factor));
    }
    None
}

/// pymatgen's `get_sym_dict`: every `([A-Z][a-z]*)\s*([-*\.e\d]*)` token, amounts summed
/// per symbol in order of first appearance; anything else but whitespace is an error.
fn symbol_amounts(form: &str, factor: f64) -> std::result::Result<Vec<(String, f64)>, String> {
    let chars: Vec<char> = form.chars().collect();
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut leftover = String::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if !c.is_ascii_uppercase() {
            leftover.push(c);
            k += 1;
            continue;
        }
        let mut symbol = String::from(c);
        k += 1;
        while k < chars.len() && chars[k].is_ascii_lowercase() {
            symbol.push(chars[k]);
            k += 1;
        }
        while k < chars.len() && chars[k].is_whitespace() {
            k += 1;
        }
        let mut amount_text = String::new();
        while k < chars.len() && matches!(chars[k], '-' | '*' | '.' | 'e' | '0'..='9') {
            amount_text.push(chars[k]);
            k += 1;
        }
        let amount = if amount_text.is_empty() {
            1.0
        } else {
            parse_amount(&amount_text)
                .ok_or_else(|| format!("amount '{amount_text}' of {symbol} is not a number"))?
        };
        match out.iter_mut().find(|(s, _)| *s == symbol) {
            Some((_, a)) => *a += amount * factor,
            None => out.push((symbol, amount * factor)),
        }
    }
    let rest = leftover.trim();
    if !rest.is_empty() {
        let what = if rest.contains("()") {
            "empty parentheses".to_string()
        } else {
            format!("'{rest}' is not an element symbol or an amount")
        };
        return Err(what);
    }
    Ok(out)
}

/// Python's `float()` on the characters pymatgen's amount pattern admits.
fn parse_amount(text: &str) -> Option<f64> {
    if text.contains('*') {
        return None;
    }
    text.parse::<f64>().ok()
}

// ---------------------------------------------------------------------------------------------
// Printing: pymatgen's `reduce_formula`, `formula_double_format` and Python's float repr.

fn sort_key_cmp(a: Element, b: Element) -> Ordering {
    let x = |e: Element| e.electronegativity().unwrap_or(f64::INFINITY);
    x(a).total_cmp(&x(b))
        .then_with(|| a.symbol().cmp(b.symbol()))
}

fn sorted_by_electronegativity(entries: &[(Element, f64)]) -> Vec<(Element, f64)> {
    let mut v = entries.to_vec();
    v.sort_by(|a, b| sort_key_cmp(a.0, b.0));
    v
}

/// Greatest common divisor of two non-negative integer-valued floats (exact: `%` is exact).
fn gcd_int(a: f64, b: f64) -> f64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0.0 {
        (a, b) = (b, a % b);
    }
    a
}

/// monty's `gcd_float` pair step.
fn pair_gcd_tol(mut a: f64, mut b: f64, tol: f64) -> f64 {
    while b > tol {
        (a, b) = (b, a.rem_euclid(b));
    }
    a
}

/// pymatgen's `reduce_formula` (iupac_ordering = False).
fn reduce_formula(amounts: &[(Element, f64)]) -> (String, f64) {
    let syms: Vec<(Element, f64)> = sorted_by_electronegativity(amounts)
        .into_iter()
        .filter(|(_, a)| a.abs() > AMOUNT_TOLERANCE)
        .collect();
    let factor = if amounts.iter().all(|(_, a)| a.fract() == 0.0) {
        amounts.iter().map(|(_, a)| *a).fold(0.0, gcd_int)
    } else {
        1.0
    };
    let mut poly_anion = None;
    let n = syms.len();
    if n >= 3 {
        let x = |e: Element| e.electronegativity().unwrap_or(f64::NAN);
        if x(syms[n - 1].0) - x(syms[n - 2].0) < 1.65 {
            let pair = [
                (syms[n - 2].0, syms[n - 2].1 / factor),
                (syms[n - 1].0, syms[n - 1].1 / factor),
            ];
            let (form, poly_factor) = reduce_formula(&pair);
            if poly_factor != 1.0 {
                poly_anion = Some(format!("({form}){poly_factor}"));
            }
        }
    }
    let keep = if poly_anion.is_some() { n - 2 } else { n };
    let mut out = String::new();
    for &(e, a) in &syms[..keep] {
        out.push_str(e.symbol());
        out.push_str(&formula_double_format(a / factor, true));
    }
    if let Some(p) = poly_anion {
        out.push_str(&p);
    }
    (out, factor)
}

/// Applies pymatgen's `special_formulas` to a reduced (formula, factor).
fn special((formula, factor): (String, f64)) -> (String, f64) {
    match SPECIAL_FORMULAS.iter().find(|(k, _)| *k == formula) {
        Some((_, v)) => (v.to_string(), factor / 2.0),
        None => (formula, factor),
    }
}

/// Python's `math.isclose(a, b, rel_tol=rel, abs_tol=abs)`.
fn isclose(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    a == b || (a - b).abs() <= (rel * a.abs().max(b.abs())).max(abs)
}

/// pymatgen's `formula_double_format` followed by `str()`.
fn formula_double_format(x: f64, ignore_ones: bool) -> String {
    if ignore_ones && isclose(x, 1.0, 1e-9, 1e-8) {
        return String::new();
    }
    let r = x.round_ties_even();
    if isclose(x, r, 0.0, 1e-8) {
        return format!("{}", r + 0.0);
    }
    py_repr(round_decimals(x, 8))
}

/// Python's `round(x, digits)` for floats (correctly rounded through the decimal string).
fn round_decimals(x: f64, digits: usize) -> f64 {
    format!("{x:.digits$}").parse().unwrap_or(x)
}

/// Python's `repr(float)`: the shortest round-trip digits, fixed notation for exponents
/// −4 … 15 (always with a decimal point), otherwise `1e-05` / `1.5e+16`.
fn py_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::from(if neg { "-" } else { "" });
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.push_str(&"0".repeat(int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_float_repr() {
        let cases = [
            (0.5, "0.5"),
            (2.0, "2.0"),
            (1e-5, "1e-05"),
            (1e-4, "0.0001"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (123.456, "123.456"),
            (-0.25, "-0.25"),
            (3.33333333333, "3.33333333333"),
            (1.2345e-7, "1.2345e-07"),
            (1e100, "1e+100"),
        ];
        for (x, s) in cases {
            assert_eq!(py_repr(x), s, "{x}");
        }
    }

    #[test]
    fn double_format() {
        assert_eq!(formula_double_format(1.0, true), "");
        assert_eq!(formula_double_format(1.0, false), "1");
        assert_eq!(formula_double_format(2.000000001, false), "2");
        assert_eq!(formula_double_format(1.0 / 3.0, false), "0.33333333");
        assert_eq!(formula_double_format(1e20, false), "100000000000000000000");
    }

    #[test]
    fn gcds() {
        assert_eq!(gcd_int(12.0, 18.0), 6.0);
        assert_eq!(gcd_int(0.0, 7.0), 7.0);
        assert!((pair_gcd_tol(0.5, 0.25, 1e-4) - 0.25).abs() < 1e-15);
    }
}
