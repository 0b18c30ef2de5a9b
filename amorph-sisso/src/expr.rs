//! Feature expressions: trees of operators over primary features.

use crate::error::{Result, SissoError};
use crate::op::Op;
use std::sync::Arc;

/// A feature expression. Children are shared (`Arc`) between the features built from them.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A primary feature (a column of the input table).
    Primary {
        /// Column name.
        name: Arc<str>,
    },
    /// A unary operator applied to a feature.
    Unary {
        /// The operator.
        op: Op,
        /// Its argument.
        arg: Arc<Expr>,
    },
    /// A binary operator applied to two features.
    Binary {
        /// The operator.
        op: Op,
        /// Left operand.
        left: Arc<Expr>,
        /// Right operand.
        right: Arc<Expr>,
    },
}

impl Expr {
    /// A primary feature.
    pub fn primary(name: &str) -> Arc<Expr> {
        Arc::new(Expr::Primary { name: name.into() })
    }

    /// Number of operators in the expression (SISSO's complexity).
    pub fn complexity(&self) -> u32 {
        match self {
            Expr::Primary { .. } => 0,
            Expr::Unary { arg, .. } => 1 + arg.complexity(),
            Expr::Binary { left, right, .. } => 1 + left.complexity() + right.complexity(),
        }
    }

    /// Depth of the tree (the rung at which the feature can first appear).
    pub fn depth(&self) -> u32 {
        match self {
            Expr::Primary { .. } => 0,
            Expr::Unary { arg, .. } => 1 + arg.depth(),
            Expr::Binary { left, right, .. } => 1 + left.depth().max(right.depth()),
        }
    }

    /// The outermost operator, `None` for a primary feature.
    pub fn last_op(&self) -> Option<Op> {
        match self {
            Expr::Primary { .. } => None,
            Expr::Unary { op, .. } | Expr::Binary { op, .. } => Some(*op),
        }
    }

    /// Names of the primary features used, in order of first appearance.
    pub fn primaries(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_primaries(&mut out);
        out
    }

    fn collect_primaries(&self, out: &mut Vec<String>) {
        match self {
            Expr::Primary { name } => {
                if !out.iter().any(|n| n == name.as_ref()) {
                    out.push(name.to_string());
                }
            }
            Expr::Unary { arg, .. } => arg.collect_primaries(out),
            Expr::Binary { left, right, .. } => {
                left.collect_primaries(out);
                right.collect_primaries(out);
            }
        }
    }

    /// Plain-text form in the Fortran SISSO style, e.g. `((x1)^2/x2)`, `exp(-x1)`, `|a-b|`.
    pub fn text(&self) -> String {
        match self {
            Expr::Primary { name } => name.to_string(),
            Expr::Binary { op, left, right } => {
                let (l, r) = (left.text(), right.text());
                match op {
                    Op::AbsDiff => format!("|{l}-{r}|"),
                    _ => format!("({l}{}{r})", op.symbol()),
                }
            }
            Expr::Unary { op, arg } => {
                let a = arg.text();
                let wrapped = match arg.as_ref() {
                    Expr::Primary { .. } => a.clone(),
                    Expr::Binary { op: inner, .. } if *inner != Op::AbsDiff => a.clone(),
                    _ => format!("({a})"),
                };
                match op {
                    Op::Inv | Op::Sq | Op::Cb | Op::Six => format!("{wrapped}{}", op.symbol()),
                    Op::NegExp => format!("exp(-{wrapped})"),
                    _ => format!("{}({a})", op.symbol()),
                }
            }
        }
    }

    /// LaTeX form, e.g. `\frac{\mathrm{x_1}^{2}}{\mathrm{x_2}}`.
    pub fn latex(&self) -> String {
        match self {
            Expr::Primary { name } => format!("\\mathrm{{{}}}", latex_escape(name)),
            Expr::Binary { op, left, right } => {
                let (l, r) = (left.latex(), right.latex());
                match op {
                    Op::Add => format!("\\left({l} + {r}\\right)"),
                    Op::Sub => format!("\\left({l} - {r}\\right)"),
                    Op::Mul => format!("{l} \\cdot {r}"),
                    Op::Div => format!("\\frac{{{l}}}{{{r}}}"),
                    Op::AbsDiff => format!("\\left|{l} - {r}\\right|"),
                    _ => format!("{l} {} {r}", op.symbol()),
                }
            }
            Expr::Unary { op, arg } => {
                let a = arg.latex();
                let base = match arg.as_ref() {
                    Expr::Primary { .. } => a.clone(),
                    Expr::Binary {
                        op: Op::Add | Op::Sub | Op::AbsDiff,
                        ..
                    } => a.clone(),
                    _ => format!("\\left({a}\\right)"),
                };
                match op {
                    Op::Inv => format!("\\frac{{1}}{{{a}}}"),
                    Op::Sq => format!("{{{base}}}^{{2}}"),
                    Op::Cb => format!("{{{base}}}^{{3}}"),
                    Op::Six => format!("{{{base}}}^{{6}}"),
                    Op::Sqrt => format!("\\sqrt{{{a}}}"),
                    Op::Cbrt => format!("\\sqrt[3]{{{a}}}"),
                    Op::Exp => format!("e^{{{a}}}"),
                    Op::NegExp => format!("e^{{-{base}}}"),
                    Op::Log => format!("\\ln{{\\left({a}\\right)}}"),
                    Op::Abs => format!("\\left|{a}\\right|"),
                    Op::Sin => format!("\\sin{{\\left({a}\\right)}}"),
                    Op::Cos => format!("\\cos{{\\left({a}\\right)}}"),
                    _ => format!("{}({a})", op.symbol()),
                }
            }
        }
    }

    /// Evaluates the expression; `column` returns the values of a primary feature by name.
    ///
    /// All columns must have `n` values. Non-finite results are returned as they are.
    pub fn eval<'a, F>(&self, n: usize, column: &F) -> Result<Vec<f64>>
    where
        F: Fn(&str) -> Option<&'a [f64]>,
    {
        match self {
            Expr::Primary { name } => {
                let col =
                    column(name).ok_or_else(|| SissoError::MissingColumn(name.to_string()))?;
                if col.len() != n {
                    return Err(SissoError::Data(format!(
                        "column `{name}` has {} values, expected {n}",
                        col.len()
                    )));
                }
                Ok(col.to_vec())
            }
            Expr::Unary { op, arg } => {
                let mut v = arg.eval(n, column)?;
                v.iter_mut().for_each(|x| *x = op.unary(*x));
                Ok(v)
            }
            Expr::Binary { op, left, right } => {
                let mut a = left.eval(n, column)?;
                let b = right.eval(n, column)?;
                a.iter_mut()
                    .zip(&b)
                    .for_each(|(x, y)| *x = op.binary(*x, *y));
                Ok(a)
            }
        }
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// Escapes `_`, `%`, `&`, `#` and `$` for LaTeX `\mathrm{}`.
pub fn latex_escape(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        match c {
            '_' | '%' | '&' | '#' | '$' => {
                s.push('\\');
                s.push(c);
            }
            _ => s.push(c),
        }
    }
    s
}

/// "Simpler" order of the reference: lower complexity, then shorter text, then lexicographic.
pub fn simpler(a: &Expr, b: &Expr) -> std::cmp::Ordering {
    let (ta, tb) = (a.text(), b.text());
    a.complexity()
        .cmp(&b.complexity())
        .then(ta.len().cmp(&tb.len()))
        .then(ta.cmp(&tb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_latex_eval() {
        let x1 = Expr::primary("x1");
        let x2 = Expr::primary("x_2");
        let sq = Arc::new(Expr::Unary {
            op: Op::Sq,
            arg: x1.clone(),
        });
        let f = Expr::Binary {
            op: Op::Div,
            left: sq,
            right: x2.clone(),
        };
        assert_eq!(f.text(), "(x1^2/x_2)");
        assert_eq!(f.latex(), "\\frac{{\\mathrm{x1}}^{2}}{\\mathrm{x\\_2}}");
        assert_eq!(f.complexity(), 2);
        assert_eq!(f.depth(), 2);
        assert_eq!(f.primaries(), vec!["x1", "x_2"]);
        let a = [1.0, 2.0, 3.0];
        let b = [2.0, 4.0, 1.0];
        let v = f
            .eval(3, &|n: &str| match n {
                "x1" => Some(&a[..]),
                "x_2" => Some(&b[..]),
                _ => None,
            })
            .unwrap();
        assert_eq!(v, vec![0.5, 1.0, 9.0]);
        let g = Expr::Unary {
            op: Op::NegExp,
            arg: x1,
        };
        assert_eq!(g.text(), "exp(-x1)");
        assert!(g.eval(3, &|_: &str| None).is_err());
    }
}
