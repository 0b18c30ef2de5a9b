//! Operators of the feature construction, their unit rules and the reference's skip rules.

use crate::error::{Result, SissoError};

/// A unary or binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// `a + b` (same units only).
    Add,
    /// `a - b` (same units only).
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b`.
    Div,
    /// `|a - b|` (same units only).
    AbsDiff,
    /// `a^-1`.
    Inv,
    /// `a^2`.
    Sq,
    /// `a^3`.
    Cb,
    /// `a^6`.
    Six,
    /// `sqrt(a)` (a > 0).
    Sqrt,
    /// Real cube root.
    Cbrt,
    /// `exp(a)`.
    Exp,
    /// `exp(-a)`.
    NegExp,
    /// Natural logarithm (a > 0).
    Log,
    /// `|a|`.
    Abs,
    /// `sin(a)`.
    Sin,
    /// `cos(a)`.
    Cos,
}

/// Every operator, in a fixed order.
pub const ALL_OPS: [Op; 17] = [
    Op::Add,
    Op::Sub,
    Op::Mul,
    Op::Div,
    Op::AbsDiff,
    Op::Inv,
    Op::Sq,
    Op::Cb,
    Op::Six,
    Op::Sqrt,
    Op::Cbrt,
    Op::Exp,
    Op::NegExp,
    Op::Log,
    Op::Abs,
    Op::Sin,
    Op::Cos,
];

/// The operator set of the paper's `SISSO.in` (`(+)(-)(*)(/)(exp)(exp-)(^-1)(^2)(^3)(log)(^6)`).
pub const PAPER_OPS: &str = "(+)(-)(*)(/)(exp)(exp-)(^-1)(^2)(^3)(log)(^6)";

impl Op {
    /// True for the binary operators `+ - * / |-|`.
    pub fn is_binary(self) -> bool {
        matches!(self, Op::Add | Op::Sub | Op::Mul | Op::Div | Op::AbsDiff)
    }

    /// True for functions whose argument should be dimensionless in strict mode.
    pub fn is_transcendental(self) -> bool {
        matches!(self, Op::Exp | Op::NegExp | Op::Log | Op::Sin | Op::Cos)
    }

    /// The Fortran-SISSO spelling (`+`, `exp-`, `^-1`, `|-|`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::AbsDiff => "|-|",
            Op::Inv => "^-1",
            Op::Sq => "^2",
            Op::Cb => "^3",
            Op::Six => "^6",
            Op::Sqrt => "sqrt",
            Op::Cbrt => "cbrt",
            Op::Exp => "exp",
            Op::NegExp => "exp-",
            Op::Log => "log",
            Op::Abs => "abs",
            Op::Sin => "sin",
            Op::Cos => "cos",
        }
    }

    /// Parses one operator: Fortran SISSO spelling or SISSO++ name (`add`, `neg_exp`, `six_pow`, ...).
    pub fn parse(text: &str) -> Result<Op> {
        let t = text.trim();
        let op = match t {
            "+" | "add" => Op::Add,
            "-" | "sub" => Op::Sub,
            "*" | "mult" | "mul" => Op::Mul,
            "/" | "div" => Op::Div,
            "|-|" | "abs_diff" => Op::AbsDiff,
            "^-1" | "inv" => Op::Inv,
            "^2" | "sq" => Op::Sq,
            "^3" | "cb" => Op::Cb,
            "^6" | "six_pow" => Op::Six,
            "sqrt" => Op::Sqrt,
            "cbrt" => Op::Cbrt,
            "exp" => Op::Exp,
            "exp-" | "neg_exp" => Op::NegExp,
            "log" | "ln" => Op::Log,
            "abs" => Op::Abs,
            "sin" => Op::Sin,
            "cos" => Op::Cos,
            _ => return Err(SissoError::UnknownOperator(t.to_string())),
        };
        Ok(op)
    }

    /// Parses an operator list: `(+)(-)(exp-)`, `+,-,exp-` or whitespace-separated; empty = none.
    ///
    /// Duplicates are removed; the result is sorted in [`ALL_OPS`] order.
    pub fn parse_list(text: &str) -> Result<Vec<Op>> {
        let t = text.trim();
        let mut ops = Vec::new();
        if t.is_empty() {
            return Ok(ops);
        }
        let tokens: Vec<String> = if t.starts_with('(') {
            let mut out = Vec::new();
            let mut rest = t;
            while let Some(start) = rest.find('(') {
                let after = &rest[start + 1..];
                // An operator never contains ')', except none do; find the matching ')'.
                let end = after
                    .find(')')
                    .ok_or_else(|| SissoError::UnknownOperator(rest.to_string()))?;
                out.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
            if !rest.trim().is_empty() {
                return Err(SissoError::UnknownOperator(rest.trim().to_string()));
            }
            out
        } else {
            t.split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        for tok in tokens {
            ops.push(Op::parse(&tok)?);
        }
        ops.sort();
        ops.dedup();
        Ok(ops)
    }

    /// Applies a unary operator.
    #[inline(always)]
    pub fn unary(self, a: f64) -> f64 {
        match self {
            Op::Inv => 1.0 / a,
            Op::Sq => a * a,
            Op::Cb => a * a * a,
            Op::Six => {
                let a3 = a * a * a;
                a3 * a3
            }
            Op::Sqrt => a.sqrt(),
            Op::Cbrt => a.cbrt(),
            Op::Exp => a.exp(),
            Op::NegExp => (-a).exp(),
            Op::Log => a.ln(),
            Op::Abs => a.abs(),
            Op::Sin => a.sin(),
            Op::Cos => a.cos(),
            _ => f64::NAN,
        }
    }

    /// Applies a binary operator.
    #[inline(always)]
    pub fn binary(self, a: f64, b: f64) -> f64 {
        match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
            Op::AbsDiff => (a - b).abs(),
            _ => f64::NAN,
        }
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_lists() {
        let ops = Op::parse_list(PAPER_OPS).unwrap();
        assert_eq!(ops.len(), 11);
        assert!(ops.contains(&Op::NegExp) && ops.contains(&Op::Six) && !ops.contains(&Op::Sqrt));
        assert_eq!(Op::parse_list("").unwrap(), vec![]);
        assert_eq!(
            Op::parse_list("+, *  exp-").unwrap(),
            vec![Op::Add, Op::Mul, Op::NegExp]
        );
        assert_eq!(
            Op::parse_list("(|-|)(add)").unwrap(),
            vec![Op::Add, Op::AbsDiff]
        );
        assert!(Op::parse_list("(+)(pow)").is_err());
        assert!(Op::parse_list("(+)junk").is_err());
        for op in ALL_OPS {
            assert_eq!(Op::parse(op.symbol()).unwrap(), op);
        }
    }

    #[test]
    fn values() {
        assert_eq!(Op::Cbrt.unary(-8.0), -2.0);
        assert_eq!(Op::Six.unary(2.0), 64.0);
        assert_eq!(Op::AbsDiff.binary(1.0, 3.0), 2.0);
        assert!((Op::NegExp.unary(1.0) - (-1.0f64).exp()).abs() < 1e-15);
    }
}
