//! Physical units as dimension vectors (exponents over named base dimensions).

use crate::error::{Result, SissoError};

/// Tolerance under which two exponents are considered equal (as in the Fortran SISSO code).
pub const UNIT_TOL: f64 = 1e-8;

/// A unit: a vector of real exponents, one per base dimension of a [`UnitSystem`].
///
/// An empty vector or a vector of zeros is dimensionless.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unit(pub Vec<f64>);

impl Unit {
    /// The dimensionless unit with `n` base dimensions.
    pub fn dimensionless(n: usize) -> Self {
        Unit(vec![0.0; n])
    }

    /// True when every exponent is (within [`UNIT_TOL`]) zero.
    pub fn is_dimensionless(&self) -> bool {
        self.0.iter().all(|e| e.abs() <= UNIT_TOL)
    }

    /// True when both units have equal exponents (within [`UNIT_TOL`]).
    pub fn same_as(&self, other: &Unit) -> bool {
        let n = self.0.len().max(other.0.len());
        (0..n).all(|k| {
            let a = self.0.get(k).copied().unwrap_or(0.0);
            let b = other.0.get(k).copied().unwrap_or(0.0);
            (a - b).abs() <= UNIT_TOL
        })
    }

    /// Product of two units (exponents add).
    pub fn mul(&self, other: &Unit) -> Unit {
        self.combine(other, 1.0)
    }

    /// Quotient of two units (exponents subtract).
    pub fn div(&self, other: &Unit) -> Unit {
        self.combine(other, -1.0)
    }

    /// The unit raised to a real power.
    pub fn pow(&self, p: f64) -> Unit {
        Unit(self.0.iter().map(|e| e * p).collect())
    }

    fn combine(&self, other: &Unit, sign: f64) -> Unit {
        let n = self.0.len().max(other.0.len());
        Unit(
            (0..n)
                .map(|k| {
                    self.0.get(k).copied().unwrap_or(0.0)
                        + sign * other.0.get(k).copied().unwrap_or(0.0)
                })
                .collect(),
        )
    }
}

/// Named base dimensions; turns unit strings into [`Unit`] vectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitSystem {
    bases: Vec<String>,
}

impl UnitSystem {
    /// An empty system (every unit is dimensionless until a base is added).
    pub fn new() -> Self {
        Self::default()
    }

    /// The base dimension names in order.
    pub fn bases(&self) -> &[String] {
        &self.bases
    }

    /// Index of a base, adding it when new.
    pub fn base(&mut self, name: &str) -> usize {
        if let Some(k) = self.bases.iter().position(|b| b == name) {
            k
        } else {
            self.bases.push(name.to_string());
            self.bases.len() - 1
        }
    }

    /// Parses `eV^-1*AA^2`, `eV/AA`, `AA**3`, `1`, `` (dimensionless); `·` and space also multiply.
    ///
    /// New base names are added to the system. The returned vector may be shorter than the
    /// final number of bases; [`Unit`] treats missing exponents as zero.
    pub fn parse(&mut self, text: &str) -> Result<Unit> {
        let bad = || SissoError::BadUnit(text.to_string());
        let mut exps: Vec<(usize, f64)> = Vec::new();
        let cleaned = text.trim().replace("**", "^").replace('·', "*");
        if cleaned.is_empty() || cleaned == "1" || cleaned == "-" {
            return Ok(Unit(vec![0.0; self.bases.len()]));
        }
        // Tokenise into factors separated by '*', ' ' or '/', remembering the division sign.
        let mut sign = 1.0;
        let mut token = String::new();
        let mut factors: Vec<(String, f64)> = Vec::new();
        for ch in cleaned.chars().chain(std::iter::once('*')) {
            match ch {
                '*' | ' ' | '/' => {
                    if !token.is_empty() {
                        factors.push((std::mem::take(&mut token), sign));
                        sign = 1.0;
                    }
                    if ch == '/' {
                        sign = -1.0;
                    }
                }
                _ => token.push(ch),
            }
        }
        for (factor, s) in factors {
            let (name, power) = match factor.split_once('^') {
                Some((n, p)) => {
                    let p = p.trim_matches(|c| c == '(' || c == ')');
                    (n.to_string(), p.parse::<f64>().map_err(|_| bad())?)
                }
                None => (factor.clone(), 1.0),
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '%')
            {
                return Err(bad());
            }
            if name == "1" {
                continue;
            }
            let k = self.base(&name);
            exps.push((k, s * power));
        }
        let mut v = vec![0.0; self.bases.len()];
        for (k, e) in exps {
            v[k] += e;
        }
        Ok(Unit(v))
    }

    /// Renders a unit as `eV^-1*AA^2` (or `1` when dimensionless).
    pub fn format(&self, unit: &Unit) -> String {
        let parts: Vec<String> = unit
            .0
            .iter()
            .enumerate()
            .filter(|(_, e)| e.abs() > UNIT_TOL)
            .map(|(k, e)| {
                let name = self.bases.get(k).map(String::as_str).unwrap_or("?");
                if (e - 1.0).abs() <= UNIT_TOL {
                    name.to_string()
                } else if (e - e.round()).abs() <= UNIT_TOL {
                    format!("{name}^{}", e.round() as i64)
                } else {
                    format!("{name}^{e}")
                }
            })
            .collect();
        if parts.is_empty() {
            "1".to_string()
        } else {
            parts.join("*")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        let mut s = UnitSystem::new();
        let u = s.parse("eV^-1*AA^2").unwrap();
        assert_eq!(s.format(&u), "eV^-1*AA^2");
        let v = s.parse("eV/AA").unwrap();
        assert_eq!(s.format(&v), "eV*AA^-1");
        let w = s.parse("AA**3 / eV").unwrap();
        assert_eq!(s.format(&w), "eV^-1*AA^3");
        assert!(s.parse("1").unwrap().is_dimensionless());
        assert!(s.parse("").unwrap().is_dimensionless());
        assert!(u.mul(&v).same_as(&s.parse("AA").unwrap()));
        assert!(u.pow(0.5).same_as(&s.parse("eV^-0.5*AA").unwrap()));
        assert!(s.parse("eV^x").is_err());
        assert!(s.parse("e-V").is_err());
    }
}
