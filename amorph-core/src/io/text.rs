//! Line-oriented text reading shared by the parsers: one reused buffer, line numbers for
//! errors, and number parsing from `&str` slices (no allocation per token).

use crate::element::Element;
use crate::error::{Error, Result};
use std::io::BufRead;
use std::path::PathBuf;

/// Reads a text stream line by line into one reused buffer, counting lines (1-based).
pub(crate) struct LineReader<'n, R> {
    inner: R,
    buf: String,
    line_no: usize,
    name: &'n str,
    eof: bool,
}

impl<'n, R: BufRead> LineReader<'n, R> {
    pub(crate) fn new(inner: R, name: &'n str) -> Self {
        LineReader {
            inner,
            buf: String::with_capacity(256),
            line_no: 0,
            name,
            eof: false,
        }
    }

    /// Reads the next line; `Ok(false)` at the end of the stream. The line (without its
    /// `\n` / `\r\n`) is then available from [`LineReader::line`].
    pub(crate) fn advance(&mut self) -> Result<bool> {
        self.buf.clear();
        if self.eof {
            return Ok(false);
        }
        match self.inner.read_line(&mut self.buf) {
            Ok(0) => {
                self.eof = true;
                Ok(false)
            }
            Ok(_) => {
                self.line_no += 1;
                if self.buf.ends_with('\n') {
                    self.buf.pop();
                    if self.buf.ends_with('\r') {
                        self.buf.pop();
                    }
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(Error::parse(
                self.name,
                self.line_no + 1,
                "not valid UTF-8 text",
            )),
            Err(e) => Err(Error::Io {
                path: PathBuf::from(self.name),
                source: e,
            }),
        }
    }

    /// Reads the next line, failing with "unexpected end of file, expected {what}" at EOF.
    pub(crate) fn expect(&mut self, what: &str) -> Result<()> {
        if self.advance()? {
            Ok(())
        } else {
            Err(Error::parse(
                self.name,
                self.line_no + 1,
                format!("unexpected end of file: expected {what}"),
            ))
        }
    }

    /// Reads lines until a non-blank one; `Ok(false)` when only blank lines are left.
    pub(crate) fn advance_non_blank(&mut self) -> Result<bool> {
        loop {
            if !self.advance()? {
                return Ok(false);
            }
            if !self.line().trim().is_empty() {
                return Ok(true);
            }
        }
    }

    /// The current line.
    pub(crate) fn line(&self) -> &str {
        &self.buf
    }

    /// The 1-based number of the current line.
    pub(crate) fn line_no(&self) -> usize {
        self.line_no
    }

    /// The source name given at construction.
    pub(crate) fn name(&self) -> &str {
        self.name
    }

    /// A parse error at the current line.
    pub(crate) fn err(&self, reason: impl Into<String>) -> Error {
        Error::parse(self.name, self.line_no, reason)
    }

    /// A parse error at the line after the current one (for a missing line at end of file).
    pub(crate) fn eof_err(&self, reason: impl Into<String>) -> Error {
        Error::parse(self.name, self.line_no + 1, reason)
    }

    /// Parses a finite float at the current line.
    pub(crate) fn f64(&self, tok: &str, what: &str) -> Result<f64> {
        parse_f64(tok).ok_or_else(|| self.err(format!("expected a number ({what}), found '{tok}'")))
    }

    /// Parses the first three whitespace-separated tokens of the current line as floats.
    pub(crate) fn vec3(&self, what: &str) -> Result<[f64; 3]> {
        let mut it = self.line().split_ascii_whitespace();
        let mut out = [0.0; 3];
        for (k, o) in out.iter_mut().enumerate() {
            let tok = it
                .next()
                .ok_or_else(|| self.err(format!("expected 3 numbers ({what}), found {k}")))?;
            *o = self.f64(tok, what)?;
        }
        Ok(out)
    }
}

/// Parses a finite `f64` (Fortran `D` exponents accepted); `None` for anything else.
pub(crate) fn parse_f64(tok: &str) -> Option<f64> {
    let v = match tok.parse::<f64>() {
        Ok(v) => v,
        Err(_) => {
            // Fortran double-precision exponent: 1.0D-03.
            if tok.bytes().any(|b| b == b'D' || b == b'd') && tok.len() < 64 {
                let t: String = tok
                    .chars()
                    .map(|c| if c == 'D' || c == 'd' { 'e' } else { c })
                    .collect();
                t.parse::<f64>().ok()?
            } else {
                return None;
            }
        }
    };
    v.is_finite().then_some(v)
}

/// Looks up element symbols with a one-entry cache (files list the same species in runs).
#[derive(Default)]
pub(crate) struct SymbolCache {
    last: Option<(String, Element)>,
}

impl SymbolCache {
    /// The element of `tok`, capitalised ASE-style first (`LI` → `Li`, `o` → `O`).
    pub(crate) fn get(&mut self, tok: &str) -> std::result::Result<Element, String> {
        if let Some((s, e)) = &self.last
            && s == tok
        {
            return Ok(*e);
        }
        let e = element_from_label(tok)?;
        self.last = Some((tok.to_string(), e));
        Ok(e)
    }
}

/// Element from a symbol, capitalising it first (`li`, `LI` → Li). Errors name the token.
pub(crate) fn element_from_label(tok: &str) -> std::result::Result<Element, String> {
    if let Ok(e) = Element::from_symbol(tok) {
        return Ok(e);
    }
    let mut cap = String::with_capacity(tok.len());
    for (i, c) in tok.chars().enumerate() {
        if i == 0 {
            cap.extend(c.to_uppercase());
        } else {
            cap.extend(c.to_lowercase());
        }
    }
    Element::from_symbol(&cap).map_err(|_| format!("unknown element '{tok}'"))
}

/// Float formatted the way Python's `repr(float)` / `str(float)` does (shortest round-trip
/// digits; exponent form below 1e-4 and from 1e16 on, with at least two exponent digits;
/// always a `.0` on integral values): `4.0`, `0.0001`, `1e-05`, `1.5e+16`, `-0.0`.
pub fn py_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-1.2345e-5", "4e0".
    let s = format!("{x:e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let mut out = String::with_capacity(24);
    if neg {
        out.push('-');
    }
    if (-4..=15).contains(&exp) {
        let decpt = exp + 1; // digits before the decimal point
        if decpt <= 0 {
            out.push_str("0.");
            for _ in 0..(-decpt) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let d = decpt as usize;
            if d >= digits.len() {
                out.push_str(&digits);
                for _ in digits.len()..d {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..d]);
                out.push('.');
                out.push_str(&digits[d..]);
            }
        }
    } else {
        out.push_str(mant);
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_repr_cases() {
        for (x, want) in [
            (4.0, "4.0"),
            (0.5, "0.5"),
            (-0.0, "-0.0"),
            (1e-5, "1e-05"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (9999999999999998.0, "9999999999999998.0"),
            (123.456, "123.456"),
            (1.2345678901234567e-300, "1.2345678901234568e-300"),
            (1e100, "1e+100"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-12.5, "-12.5"),
        ] {
            assert_eq!(py_float(x), want, "{x:e}");
        }
    }

    #[test]
    fn floats_and_symbols() {
        assert_eq!(parse_f64("1.5D-2"), Some(0.015));
        assert_eq!(parse_f64("nan"), None);
        assert_eq!(parse_f64("abc"), None);
        assert_eq!(element_from_label("LI").unwrap().symbol(), "Li");
        assert!(element_from_label("Xx").is_err());
        let mut c = SymbolCache::default();
        assert_eq!(c.get("O").unwrap().z(), 8);
        assert_eq!(c.get("O").unwrap().z(), 8);
    }
}
