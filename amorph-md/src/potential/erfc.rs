//! A fast, accurate complementary error function for real-space electrostatics.
//!
//! Ewald and DSF need `erfc(x)` and `exp(−x²)` for every pair inside the cutoff. We compute
//! `e = exp(−x²)` once (the force needs it anyway) and `erfc(x) = e · erfcx(x)`, with the
//! scaled function `erfcx` approximated by a degree-13 polynomial in `t = 1/(1 + x/4)`
//! (Chebyshev fit on `0 ≤ x ≤ 6.5` against 30-digit `mpmath` values, converted to the power
//! basis of a variable mapped to [−1, 1], evaluated by Estrin's scheme so the multiplications
//! run in parallel). Measured maximum relative error of `erfcx` over the fitted range:
//! 6.3e-13 (the unit test, against an independent series/continued fraction, sees ≤ 7e-12,
//! the accuracy of that reference). Beyond 6.5, `erfc(x) < 4e-20` and the asymptotic series is used (relative
//! error < 1e-9 of that tiny value).
//!
//! LAMMPS uses the Abramowitz–Stegun 7.1.26 polynomial (absolute error ≤ 1.5e-7) in
//! `coul/long` and `coul/dsf`; [`erfc_as`] reproduces it for side-by-side checks.

use super::vmath::{ERFC_X_MAX as X_MAX, Plain, erfcx_as, erfcx_poly};

/// 1/√π.
const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;

/// Returns `(erfc(x), exp(−x²))` for `x ≥ 0` (relative error of `erfc` ≲ 3e-14 for x ≤ 6.5).
#[inline]
pub fn erfc_exp(x: f64) -> (f64, f64) {
    let e = (-x * x).exp();
    if x <= X_MAX {
        // The coefficients and the Estrin scheme live in `vmath`, shared with the
        // vectorised kernel; `Plain` is `a * b + c`, not `mul_add`: without the `fma` target
        // feature `mul_add` is a libm call (17 % of an MD run).
        (e * erfcx_poly::<Plain>(x), e)
    } else {
        // Asymptotic series Σ (−1)ⁿ (2n−1)!! / (2x²)ⁿ, 10 terms (error < 1e-9 at x = 6.5).
        let y = 0.5 / (x * x);
        let (mut s, mut term) = (1.0, 1.0);
        for n in 1..=10 {
            term *= -f64::from(2 * n - 1) * y;
            s += term;
        }
        (e * FRAC_1_SQRT_PI / x * s, e)
    }
}

/// `erfc(x)` for any real `x` (uses `erfc(−x) = 2 − erfc(x)`).
pub fn erfc(x: f64) -> f64 {
    if x >= 0.0 {
        erfc_exp(x).0
    } else {
        2.0 - erfc_exp(-x).0
    }
}

/// The Abramowitz–Stegun 7.1.26 approximation LAMMPS uses in `coul/long` and `coul/dsf`
/// (absolute error ≤ 1.5e-7); returns `(erfc(x), exp(−x²))` for `x ≥ 0`.
#[inline]
pub fn erfc_as(x: f64) -> (f64, f64) {
    let e = (-x * x).exp();
    (erfcx_as::<Plain>(x) * e, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erfc by its continued fraction (large x) or series (small x), slow but accurate to
    /// ~1e-15 relative: an independent check of the fitted polynomial.
    fn erfc_reference(x: f64) -> f64 {
        if x < 2.0 {
            // erf series: 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
            let mut sum = 0.0;
            let mut term = x;
            let mut n = 0.0;
            while term.abs() > 1e-18 {
                sum += term / (2.0 * n + 1.0);
                n += 1.0;
                term *= -x * x / n;
            }
            1.0 - 2.0 * FRAC_1_SQRT_PI * sum
        } else {
            // Lentz continued fraction for erfcx.
            let mut f = x;
            for k in (1..200).rev() {
                f = x + (k as f64 / 2.0) / f;
            }
            (-x * x).exp() * FRAC_1_SQRT_PI / f
        }
    }

    #[test]
    fn fitted_erfc_is_accurate() {
        let mut worst: f64 = 0.0;
        for k in 0..=8000 {
            let x = k as f64 * 0.001;
            let (e, g) = erfc_exp(x);
            assert!((g - (-x * x).exp()).abs() <= 1e-16);
            let r = erfc_reference(x);
            worst = worst.max(((e - r) / r).abs());
        }
        assert!(worst < 2e-11, "worst relative error {worst}");
        assert!((erfc(-1.0) - (2.0 - erfc_reference(1.0))).abs() < 1e-14);
    }

    #[test]
    fn abramowitz_stegun_error_is_as_published() {
        let worst = (0..=6000)
            .map(|k| {
                let x = k as f64 * 0.001;
                (erfc_as(x).0 - erfc_reference(x)).abs()
            })
            .fold(0.0, f64::max);
        assert!(worst < 1.6e-7 && worst > 1e-8, "{worst}");
    }
}
