//! Fitted linear models over descriptors: prediction and equations.

use crate::error::Result;
use crate::expr::Expr;
use crate::table::Table;
use crate::unit::Unit;
use std::sync::Arc;

/// A fitted SISSO model: `target = intercept + Σ coefficients[k]·features[k]`.
#[derive(Debug, Clone)]
pub struct Model {
    /// Name of the target.
    pub target: String,
    /// The descriptor (one expression per dimension).
    pub features: Vec<Arc<Expr>>,
    /// Units of the descriptor components.
    pub units: Vec<Unit>,
    /// Coefficients, one per feature.
    pub coefficients: Vec<f64>,
    /// Intercept (0 when fitted without one).
    pub intercept: f64,
    /// Training root-mean-square error (population: √(SSE/n)).
    pub rmse: f64,
    /// Training maximum absolute error.
    pub max_ae: f64,
}

/// Root-mean-square error between predictions and values (population form).
pub fn rmse(pred: &[f64], y: &[f64]) -> f64 {
    let n = y.len().max(1) as f64;
    (pred
        .iter()
        .zip(y)
        .map(|(p, v)| (p - v) * (p - v))
        .sum::<f64>()
        / n)
        .sqrt()
}

/// Formats a number with `sig` significant digits, without exponent for moderate magnitudes.
pub fn format_sig(x: f64, sig: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    if (-4..6).contains(&mag) {
        let decimals = (sig as i32 - 1 - mag).max(0) as usize;
        let s = format!("{x:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{x:.prec$e}", prec = sig.saturating_sub(1))
    }
}

impl Model {
    /// Number of descriptor components.
    pub fn dim(&self) -> usize {
        self.features.len()
    }

    /// Predicts with primary-feature columns supplied by `column(name)`, each of length `n`.
    pub fn predict_with<'a, F>(&self, n: usize, column: &F) -> Result<Vec<f64>>
    where
        F: Fn(&str) -> Option<&'a [f64]>,
    {
        let mut out = vec![self.intercept; n];
        for (f, c) in self.features.iter().zip(&self.coefficients) {
            let v = f.eval(n, column)?;
            out.iter_mut().zip(&v).for_each(|(o, x)| *o += c * x);
        }
        Ok(out)
    }

    /// Predicts on a table that has the primary features as named columns.
    pub fn predict(&self, table: &Table) -> Result<Vec<f64>> {
        self.predict_with(table.n_rows(), &|name: &str| table.column(name))
    }

    /// The equation as text, e.g. `lnD = -0.33899*inverse_kbT - 0.082215*LNC - 4.66217`.
    pub fn equation(&self) -> String {
        let mut s = format!("{} =", self.target);
        for (k, (f, c)) in self.features.iter().zip(&self.coefficients).enumerate() {
            let cs = format_sig(c.abs(), 6);
            let sign = if *c < 0.0 {
                "-"
            } else if k == 0 {
                ""
            } else {
                "+"
            };
            if k == 0 {
                s.push_str(&format!(" {sign}{cs}*{}", f.text()));
            } else {
                s.push_str(&format!(" {sign} {cs}*{}", f.text()));
            }
        }
        let sign = if self.intercept < 0.0 { "-" } else { "+" };
        s.push_str(&format!(" {sign} {}", format_sig(self.intercept.abs(), 6)));
        s
    }

    /// The equation in LaTeX.
    pub fn latex(&self) -> String {
        let mut s = format!("\\mathrm{{{}}} =", crate::expr::latex_escape(&self.target));
        for (k, (f, c)) in self.features.iter().zip(&self.coefficients).enumerate() {
            let cs = format_sig(c.abs(), 6);
            let sign = if *c < 0.0 {
                " -"
            } else if k == 0 {
                ""
            } else {
                " +"
            };
            s.push_str(&format!("{sign} {cs} \\cdot {}", f.latex()));
        }
        let sign = if self.intercept < 0.0 { "-" } else { "+" };
        s.push_str(&format!(" {sign} {}", format_sig(self.intercept.abs(), 6)));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting() {
        assert_eq!(format_sig(-0.33899, 6), "-0.33899");
        assert_eq!(format_sig(4.662171234, 6), "4.66217");
        assert_eq!(format_sig(0.082215, 5), "0.082215");
        assert_eq!(format_sig(1.5e-7, 3), "1.50e-7");
        let m = Model {
            target: "y".into(),
            features: vec![Expr::primary("a"), Expr::primary("b")],
            units: vec![Unit::default(), Unit::default()],
            coefficients: vec![-2.0, 0.5],
            intercept: -1.0,
            rmse: 0.0,
            max_ae: 0.0,
        };
        assert_eq!(m.equation(), "y = -2*a + 0.5*b - 1");
        let t = Table::parse("id a b\n0 1 2\n1 3 4\n", "t").unwrap();
        assert_eq!(m.predict(&t).unwrap(), vec![-2.0, -5.0]);
        assert!(
            m.latex()
                .starts_with("\\mathrm{y} = - 2 \\cdot \\mathrm{a} + 0.5")
        );
    }
}
