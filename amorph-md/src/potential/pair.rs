//! Pair terms and composable pair potentials (a sum of terms per species pair).
//!
//! A [`PairPotential`] maps every unordered species pair to a [`PairEntry`]: a list of
//! [`PairTerm`]s summed together, with a cutoff and (optionally) the LAMMPS-style energy shift
//! `E(r) − E(rc)` so the energy is continuous at the cutoff (forces are not changed). Pedone is
//! `Morse + C/r¹²` here, plus Coulomb handled by the force field; a species pair with an empty
//! term list interacts by Coulomb only.

use crate::error::{MdError, Result};
use amorph_core::Element;
use std::collections::BTreeMap;

/// One analytic pair term `E(r)`; all energies in eV, lengths in Å.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PairTerm {
    /// Lennard-Jones `4ε[(σ/r)¹² − (σ/r)⁶]` (LAMMPS `lj/cut`).
    LennardJones {
        /// Well depth ε (eV).
        epsilon: f64,
        /// Zero crossing σ (Å).
        sigma: f64,
    },
    /// Morse `D[e^{−2a(r−r0)} − 2e^{−a(r−r0)}]` (LAMMPS `morse`, Pedone's form).
    Morse {
        /// Well depth D (eV).
        d0: f64,
        /// Width parameter a (1/Å).
        alpha: f64,
        /// Equilibrium distance r0 (Å).
        r0: f64,
    },
    /// Buckingham `A e^{−r/ρ} − C/r⁶` (LAMMPS `buck`).
    Buckingham {
        /// Repulsion prefactor A (eV).
        a: f64,
        /// Repulsion length ρ (Å).
        rho: f64,
        /// Dispersion coefficient C (eV·Å⁶).
        c: f64,
    },
    /// Born–Mayer–Huggins `A e^{(σ−r)/ρ} − C/r⁶ + D/r⁸` (LAMMPS `born`).
    BornMayerHuggins {
        /// Prefactor A (eV).
        a: f64,
        /// Length ρ (Å).
        rho: f64,
        /// Offset σ (Å).
        sigma: f64,
        /// r⁻⁶ coefficient C (eV·Å⁶).
        c: f64,
        /// r⁻⁸ coefficient D (eV·Å⁸).
        d: f64,
    },
    /// Inverse power `C/rⁿ` (Pedone's `C/r¹²` with n = 12).
    InversePower {
        /// Coefficient C (eV·Åⁿ).
        c: f64,
        /// Exponent n (≥ 1).
        n: i32,
    },
    /// Ziegler–Biersack–Littmark universal screened nuclear repulsion
    /// `K Z₁Z₂/r · φ(r/a)`, `a = 0.46850/(Z₁^0.23 + Z₂^0.23)`, multiplied by the quintic
    /// smooth step `S` that is 1 below `inner`, 0 above `outer`, with continuous first and
    /// second derivatives (this switch differs from LAMMPS `zbl`, which adds a polynomial).
    Zbl {
        /// Nuclear charge of the first atom.
        z1: f64,
        /// Nuclear charge of the second atom.
        z2: f64,
        /// Switching starts (Å).
        inner: f64,
        /// Switching ends; zero beyond (Å).
        outer: f64,
    },
}

/// `a^n` by binary powering: the multiplications of `f64::powi` with a run-time exponent
/// (compiler-builtins `__powidf2`, same order, same result) without the function call.
#[inline(always)]
fn powi(mut a: f64, n: i32) -> f64 {
    let mut b = n.unsigned_abs();
    let mut r = 1.0;
    loop {
        if b & 1 != 0 {
            r *= a;
        }
        b >>= 1;
        if b == 0 {
            break;
        }
        a *= a;
    }
    if n < 0 { 1.0 / r } else { r }
}

/// The ZBL term of [`PairTerm::eval`] (kept out of line: rare, and long).
#[inline(never)]
fn zbl(z1: f64, z2: f64, inner: f64, outer: f64, r: f64, rinv: f64) -> (f64, f64) {
    if r >= outer {
        return (0.0, 0.0);
    }
    let a = 0.468_50 / (z1.powf(0.23) + z2.powf(0.23));
    let k = amorph_core::units::COULOMB_EV_ANGSTROM * z1 * z2;
    let x = r / a;
    const C: [f64; 4] = [0.181_75, 0.509_86, 0.280_22, 0.028_17];
    const D: [f64; 4] = [3.199_80, 0.942_29, 0.402_90, 0.201_62];
    let (mut phi, mut dphi) = (0.0, 0.0);
    for (c, d) in C.iter().zip(D) {
        let t = c * (-d * x).exp();
        phi += t;
        dphi -= d * t / a;
    }
    let e = k * rinv * phi;
    let de = k * (dphi * rinv - phi * rinv * rinv);
    if r <= inner {
        return (e, de);
    }
    let w = outer - inner;
    let s = (r - inner) / w;
    let sw = 1.0 - s * s * s * (10.0 - 15.0 * s + 6.0 * s * s);
    let dsw = -30.0 * s * s * (1.0 - s) * (1.0 - s) / w;
    (e * sw, de * sw + e * dsw)
}

impl PairTerm {
    /// Energy and its radial derivative `(E, dE/dr)` at distance `r` (with `rinv = 1/r`).
    #[inline]
    pub fn eval(&self, r: f64, rinv: f64) -> (f64, f64) {
        match *self {
            PairTerm::LennardJones { epsilon, sigma } => {
                let s2 = sigma * rinv * sigma * rinv;
                let s6 = s2 * s2 * s2;
                let s12 = s6 * s6;
                (
                    4.0 * epsilon * (s12 - s6),
                    -24.0 * epsilon * (2.0 * s12 - s6) * rinv,
                )
            }
            PairTerm::Morse { d0, alpha, r0 } => {
                let x = (-alpha * (r - r0)).exp();
                (d0 * x * (x - 2.0), -2.0 * alpha * d0 * x * (x - 1.0))
            }
            PairTerm::Buckingham { a, rho, c } => {
                let ex = a * (-r / rho).exp();
                let r2i = rinv * rinv;
                let r6i = r2i * r2i * r2i;
                (ex - c * r6i, -ex / rho + 6.0 * c * r6i * rinv)
            }
            PairTerm::BornMayerHuggins {
                a,
                rho,
                sigma,
                c,
                d,
            } => {
                let ex = a * ((sigma - r) / rho).exp();
                let r2i = rinv * rinv;
                let r6i = r2i * r2i * r2i;
                let r8i = r6i * r2i;
                (
                    ex - c * r6i + d * r8i,
                    -ex / rho + (6.0 * c * r6i - 8.0 * d * r8i) * rinv,
                )
            }
            PairTerm::InversePower { c, n } => {
                let e = c * powi(rinv, n);
                (e, -f64::from(n) * e * rinv)
            }
            PairTerm::Zbl {
                z1,
                z2,
                inner,
                outer,
            } => zbl(z1, z2, inner, outer, r, rinv),
        }
    }

    /// Checks that every parameter is finite and in range; `what` names the pair in errors.
    pub fn validate(&self, what: &str) -> Result<()> {
        let finite = |name: &str, v: f64| -> Result<()> {
            if v.is_finite() {
                Ok(())
            } else {
                Err(MdError::invalid(
                    format!("{what} {name}"),
                    v,
                    "must be finite",
                ))
            }
        };
        let positive = |name: &str, v: f64| -> Result<()> {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(MdError::invalid(format!("{what} {name}"), v, "must be > 0"))
            }
        };
        match *self {
            PairTerm::LennardJones { epsilon, sigma } => {
                finite("epsilon", epsilon)?;
                positive("sigma", sigma)
            }
            PairTerm::Morse { d0, alpha, r0 } => {
                finite("D0", d0)?;
                positive("alpha", alpha)?;
                finite("r0", r0)
            }
            PairTerm::Buckingham { a, rho, c } => {
                finite("A", a)?;
                positive("rho", rho)?;
                finite("C", c)
            }
            PairTerm::BornMayerHuggins {
                a,
                rho,
                sigma,
                c,
                d,
            } => {
                finite("A", a)?;
                positive("rho", rho)?;
                finite("sigma", sigma)?;
                finite("C", c)?;
                finite("D", d)
            }
            PairTerm::InversePower { c, n } => {
                finite("C", c)?;
                if n < 1 {
                    return Err(MdError::invalid(
                        format!("{what} n"),
                        f64::from(n),
                        "must be ≥ 1",
                    ));
                }
                Ok(())
            }
            PairTerm::Zbl {
                z1,
                z2,
                inner,
                outer,
            } => {
                positive("Z1", z1)?;
                positive("Z2", z2)?;
                positive("inner", inner)?;
                if !(outer.is_finite() && outer > inner) {
                    return Err(MdError::invalid(
                        format!("{what} outer"),
                        outer,
                        "must be finite and > inner",
                    ));
                }
                Ok(())
            }
        }
    }
}

/// The terms of one species pair, their cutoff, and the energy shift applied at the cutoff.
#[derive(Debug, Clone, PartialEq)]
pub struct PairEntry {
    /// Terms summed together (empty: no short-range interaction).
    pub terms: Vec<PairTerm>,
    /// Cutoff (Å); beyond it the pair does not interact (through these terms).
    pub cutoff: f64,
}

impl PairEntry {
    /// Sum of the terms' `(E, dE/dr)` at `r`.
    pub fn eval(&self, r: f64) -> (f64, f64) {
        let rinv = 1.0 / r;
        self.terms.iter().fold((0.0, 0.0), |(e, d), t| {
            let (te, td) = t.eval(r, rinv);
            (e + te, d + td)
        })
    }
}

/// Short-range pair potential: a [`PairEntry`] for every unordered species pair.
///
/// ```
/// use amorph_md::potential::{PairPotential, PairTerm};
/// use amorph_core::Element;
/// let ar: Element = "Ar".parse().unwrap();
/// let lj = PairPotential::new("lj")
///     .with_pair(ar, ar, 8.5, vec![PairTerm::LennardJones { epsilon: 0.0104, sigma: 3.4 }])
///     .unwrap()
///     .with_shift(true);
/// assert_eq!(lj.entry(ar, ar).unwrap().cutoff, 8.5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PairPotential {
    name: String,
    entries: BTreeMap<(Element, Element), PairEntry>,
    shift: bool,
}

fn key(a: Element, b: Element) -> (Element, Element) {
    if a <= b { (a, b) } else { (b, a) }
}

impl PairPotential {
    /// An empty potential (no pairs), energies not shifted.
    pub fn new(name: impl Into<String>) -> Self {
        PairPotential {
            name: name.into(),
            entries: BTreeMap::new(),
            shift: false,
        }
    }

    /// Sets the parameters of the pair `a`–`b` (either order), replacing earlier ones.
    /// Errors on a non-positive or non-finite cutoff and on invalid term parameters.
    pub fn with_pair(
        mut self,
        a: Element,
        b: Element,
        cutoff: f64,
        terms: Vec<PairTerm>,
    ) -> Result<Self> {
        self.set_pair(a, b, cutoff, terms)?;
        Ok(self)
    }

    /// In-place form of [`PairPotential::with_pair`].
    pub fn set_pair(
        &mut self,
        a: Element,
        b: Element,
        cutoff: f64,
        terms: Vec<PairTerm>,
    ) -> Result<()> {
        let what = format!("{}: {a}–{b}", self.name);
        if !(cutoff.is_finite() && cutoff > 0.0) {
            return Err(MdError::invalid(
                format!("{what} cutoff"),
                cutoff,
                "must be finite and > 0",
            ));
        }
        for t in &terms {
            t.validate(&what)?;
        }
        self.entries.insert(key(a, b), PairEntry { terms, cutoff });
        Ok(())
    }

    /// Shift every pair's energy to zero at its cutoff (LAMMPS `pair_modify shift yes`).
    pub fn with_shift(mut self, shift: bool) -> Self {
        self.shift = shift;
        self
    }

    /// Whether energies are shifted to zero at the cutoff.
    pub fn shifted(&self) -> bool {
        self.shift
    }

    /// The potential's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The entry of a species pair (either order), if any.
    pub fn entry(&self, a: Element, b: Element) -> Option<&PairEntry> {
        self.entries.get(&key(a, b))
    }

    /// Every entry, keyed by the ordered species pair.
    pub fn entries(&self) -> impl Iterator<Item = (&(Element, Element), &PairEntry)> {
        self.entries.iter()
    }

    /// The largest cutoff of any entry with terms (0 if none).
    pub fn max_cutoff(&self) -> f64 {
        self.entries
            .values()
            .filter(|e| !e.terms.is_empty())
            .map(|e| e.cutoff)
            .fold(0.0, f64::max)
    }

    /// Energy and `dE/dr` of the pair `a`–`b` at distance `r` (shifted if enabled; zero
    /// beyond the cutoff), or an error if the pair has no parameters.
    pub fn pair_energy(&self, a: Element, b: Element, r: f64) -> Result<(f64, f64)> {
        let e = self.entry(a, b).ok_or_else(|| MdError::MissingPair {
            potential: self.name.clone(),
            a,
            b,
        })?;
        if r >= e.cutoff {
            return Ok((0.0, 0.0));
        }
        let (v, d) = e.eval(r);
        let shift = if self.shift { e.eval(e.cutoff).0 } else { 0.0 };
        Ok((v - shift, d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_powi_equals_std_powi_bitwise() {
        let mut a: f64 = 0.137;
        for step in 0..200 {
            a = a * 1.37 + 0.011 * f64::from(step);
            a = a.fract() * 3.0 + 0.05;
            for n in [-13, -6, -1, 1, 2, 3, 6, 7, 8, 12, 13, 16, 31] {
                let n = std::hint::black_box(n);
                assert_eq!(powi(a, n).to_bits(), a.powi(n).to_bits(), "{a}^{n}");
            }
        }
    }

    fn numeric(t: &PairTerm, r: f64) -> f64 {
        let h = 1e-6;
        (t.eval(r + h, 1.0 / (r + h)).0 - t.eval(r - h, 1.0 / (r - h)).0) / (2.0 * h)
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let terms = [
            PairTerm::LennardJones {
                epsilon: 0.3,
                sigma: 2.1,
            },
            PairTerm::Morse {
                d0: 0.34,
                alpha: 2.0,
                r0: 2.1,
            },
            PairTerm::Buckingham {
                a: 1388.77,
                rho: 0.362319,
                c: 175.0,
            },
            PairTerm::BornMayerHuggins {
                a: 0.2,
                rho: 0.3,
                sigma: 2.5,
                c: 10.0,
                d: 5.0,
            },
            PairTerm::InversePower { c: 22.0, n: 12 },
            PairTerm::Zbl {
                z1: 14.0,
                z2: 8.0,
                inner: 1.0,
                outer: 2.0,
            },
        ];
        for t in &terms {
            for r in [0.9, 1.3, 1.7, 2.4, 3.3] {
                let d = t.eval(r, 1.0 / r).1;
                let n = numeric(t, r);
                assert!(
                    (d - n).abs() <= 1e-6 * (1.0 + d.abs()),
                    "{t:?} at {r}: {d} vs {n}"
                );
            }
        }
    }

    #[test]
    fn zbl_switches_off_smoothly() {
        let t = PairTerm::Zbl {
            z1: 3.0,
            z2: 8.0,
            inner: 1.0,
            outer: 2.0,
        };
        assert_eq!(t.eval(2.0, 0.5), (0.0, 0.0));
        let (e, d) = t.eval(2.0 - 1e-4, 1.0 / (2.0 - 1e-4));
        assert!(e.abs() < 1e-9 && d.abs() < 1e-5, "{e} {d}");
        assert!(t.eval(0.5, 2.0).0 > 10.0);
    }

    #[test]
    fn bad_parameters_are_typed_errors() {
        let o: Element = "O".parse().unwrap();
        let err = PairPotential::new("x")
            .with_pair(o, o, 0.0, vec![])
            .unwrap_err();
        assert!(matches!(err, MdError::InvalidParameter { .. }), "{err}");
        assert!(err.to_string().contains("cutoff"));
        let err = PairPotential::new("x")
            .with_pair(o, o, -3.0, vec![])
            .unwrap_err();
        assert!(err.to_string().contains("-3"), "{err}");
        let err = PairPotential::new("x")
            .with_pair(
                o,
                o,
                5.0,
                vec![PairTerm::Buckingham {
                    a: 1.0,
                    rho: 0.0,
                    c: 0.0,
                }],
            )
            .unwrap_err();
        assert!(err.to_string().contains("rho"), "{err}");
        let si: Element = "Si".parse().unwrap();
        let p = PairPotential::new("x")
            .with_pair(o, o, 5.0, vec![])
            .unwrap();
        assert!(matches!(
            p.pair_energy(si, o, 2.0),
            Err(MdError::MissingPair { .. })
        ));
    }

    #[test]
    fn shift_zeroes_energy_at_cutoff() {
        let o: Element = "O".parse().unwrap();
        let p = PairPotential::new("x")
            .with_pair(
                o,
                o,
                5.5,
                vec![PairTerm::Morse {
                    d0: 0.042395,
                    alpha: 1.379316,
                    r0: 3.618701,
                }],
            )
            .unwrap()
            .with_shift(true);
        assert!(p.pair_energy(o, o, 5.5 - 1e-9).unwrap().0.abs() < 1e-9);
        assert_eq!(p.pair_energy(o, o, 6.0).unwrap(), (0.0, 0.0));
    }
}
