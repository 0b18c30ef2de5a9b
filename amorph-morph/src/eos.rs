//! The third-order Birch–Murnaghan pressure–volume equation of state and the volume search
//! rules around it (MPMorph's `PVRescaleTask` with its fallbacks).

use serde::{Deserialize, Serialize};

/// Parameters of the third-order Birch–Murnaghan P(V) equation of state.
///
/// P(V) = (3B₀/2)(η⁷ − η⁵)[1 + ¾(B₀′ − 4)(η² − 1)], η = (V₀/V)^⅓. Units follow the data
/// (Å³ and bar in amorph-morph, so B₀ is in bar).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BirchMurnaghan {
    /// Zero-pressure volume.
    pub v0: f64,
    /// Bulk modulus at V₀ (pressure units).
    pub b0: f64,
    /// Pressure derivative of the bulk modulus (dimensionless).
    pub b0_prime: f64,
}

impl BirchMurnaghan {
    /// Pressure at volume `v`.
    pub fn pressure(&self, v: f64) -> f64 {
        let eta2 = (self.v0 / v).powf(2.0 / 3.0);
        let eta5 = eta2 * eta2 * (self.v0 / v).cbrt();
        let eta7 = eta5 * eta2;
        1.5 * self.b0 * (eta7 - eta5) * (1.0 + 0.75 * (self.b0_prime - 4.0) * (eta2 - 1.0))
    }

    /// Gradient of the pressure with respect to (V₀, B₀, B₀′) at volume `v`.
    fn gradient(&self, v: f64) -> [f64; 3] {
        let x = (self.v0 / v).cbrt();
        let (x2, x5, x7) = (x * x, x.powi(5), x.powi(7));
        let k = 0.75 * (self.b0_prime - 4.0);
        let bracket = 1.0 + k * (x2 - 1.0);
        // dx/dV0 = x / (3 V0)
        let dx = x / (3.0 * self.v0);
        let d_eta_terms = (7.0 * x.powi(6) - 5.0 * x.powi(4)) * bracket + (x7 - x5) * 2.0 * k * x;
        [
            1.5 * self.b0 * d_eta_terms * dx,
            1.5 * (x7 - x5) * bracket,
            1.5 * self.b0 * (x7 - x5) * 0.75 * (x2 - 1.0),
        ]
    }
}

/// How the zero-pressure volume was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum VolumeFit {
    /// The Birch–Murnaghan fit converged.
    BirchMurnaghan(BirchMurnaghan),
    /// BM failed; a straight line P = mV + c gave V₀ = −c/m.
    Linear {
        /// Slope (bar/Å³), negative.
        slope: f64,
        /// Intercept (bar).
        intercept: f64,
    },
}

/// The result of [`fit_zero_pressure_volume`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZeroPressureVolume {
    /// The fit that produced `v0` (before clamping).
    pub fit: VolumeFit,
    /// The zero-pressure volume from the fit (Å³).
    pub v0_fit: f64,
    /// The volume to use: `v0_fit`, or the sampled volume with the lowest pressure when the fit
    /// fell outside 0.5–2 × the median sampled volume (MPMorph's sanity clamp).
    pub v0: f64,
    /// True when the clamp replaced the fitted value.
    pub clamped: bool,
}

/// Errors of the volume fit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EosError {
    /// Fewer than two points, or non-finite numbers.
    #[error("volume fit needs at least two finite (V, P) points, got {0}")]
    TooFewPoints(usize),
}

/// Fits P(V) to the sampled `(volume Å³, pressure bar)` points and returns the zero-pressure
/// volume, with MPMorph's fallbacks: Birch–Murnaghan (Levenberg–Marquardt from a quadratic
/// initial guess) → straight line → clamp to the lowest-pressure sample when outside 0.5–2× the
/// median volume. When pressure rises with volume (noise), the sample closest to zero pressure
/// is returned, marked `clamped`.
pub fn fit_zero_pressure_volume(points: &[(f64, f64)]) -> Result<ZeroPressureVolume, EosError> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(v, p)| v.is_finite() && *v > 0.0 && p.is_finite())
        .collect();
    if pts.len() < 2 || pts.len() != points.len() {
        return Err(EosError::TooFewPoints(pts.len()));
    }
    let (slope, intercept) = linear_fit(&pts);
    let fit = fit_birch_murnaghan(&pts)
        .filter(|bm| bm.v0.is_finite() && bm.v0 > 0.0 && bm.b0 > 0.0)
        .map(VolumeFit::BirchMurnaghan);
    let (fit, v0_fit) = match fit {
        Some(VolumeFit::BirchMurnaghan(bm)) => (VolumeFit::BirchMurnaghan(bm), bm.v0),
        _ => {
            if slope >= 0.0 {
                // Noisy short runs can make P rise with V. The original raises here; a
                // workflow is better served by the sample closest to zero pressure, which the
                // convergence loop then refines.
                let best = pts
                    .iter()
                    .min_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
                    .map(|p| p.0)
                    .unwrap_or(pts[0].0);
                return Ok(ZeroPressureVolume {
                    fit: VolumeFit::Linear { slope, intercept },
                    v0_fit: best,
                    v0: best,
                    clamped: true,
                });
            }
            (VolumeFit::Linear { slope, intercept }, -intercept / slope)
        }
    };
    let mut vols: Vec<f64> = pts.iter().map(|p| p.0).collect();
    vols.sort_by(f64::total_cmp);
    let median = if vols.len() % 2 == 1 {
        vols[vols.len() / 2]
    } else {
        0.5 * (vols[vols.len() / 2 - 1] + vols[vols.len() / 2])
    };
    let ratio = v0_fit / median;
    let (v0, clamped) = if (0.5..=2.0).contains(&ratio) {
        (v0_fit, false)
    } else {
        // As coded in mpmorph: the sampled volume with the lowest (most negative) pressure.
        let lowest = pts
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|p| p.0)
            .unwrap_or(median);
        (lowest, true)
    };
    Ok(ZeroPressureVolume {
        fit,
        v0_fit,
        v0,
        clamped,
    })
}

fn linear_fit(pts: &[(f64, f64)]) -> (f64, f64) {
    let n = pts.len() as f64;
    let mv = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let mp = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mv) * (p.1 - mp)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mv).powi(2)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (slope, mp - slope * mv)
}

/// Levenberg–Marquardt least squares of the BM3 P(V) to the points; `None` if it does not
/// converge. With three points and three parameters the fit interpolates.
pub fn fit_birch_murnaghan(pts: &[(f64, f64)]) -> Option<BirchMurnaghan> {
    // Initial guess as mpmorph: V0 from the linear root (mean volume if none), B0 = −V dP/dV
    // there, B0' = 4.
    let (slope, intercept) = linear_fit(pts);
    let mean_v = pts.iter().map(|p| p.0).sum::<f64>() / pts.len() as f64;
    let v0 = if slope < 0.0 {
        -intercept / slope
    } else {
        mean_v
    };
    let v0 = if v0.is_finite() && v0 > 0.0 {
        v0
    } else {
        mean_v
    };
    let b0 = (-v0 * slope).max(1e-6 * pts.iter().map(|p| p.1.abs()).fold(1.0, f64::max));
    let mut bm = BirchMurnaghan {
        v0,
        b0,
        b0_prime: 4.0,
    };
    let scale = pts.iter().map(|p| p.1.abs()).fold(0.0, f64::max).max(1.0);
    let cost = |m: &BirchMurnaghan| {
        pts.iter()
            .map(|(v, p)| (m.pressure(*v) - p).powi(2))
            .sum::<f64>()
    };
    let mut c = cost(&bm);
    let mut lambda = 1e-3;
    for _ in 0..500 {
        let mut jtj = nalgebra::Matrix3::<f64>::zeros();
        let mut jtr = nalgebra::Vector3::<f64>::zeros();
        for (v, p) in pts {
            let g = nalgebra::Vector3::from(bm.gradient(*v));
            let r = bm.pressure(*v) - p;
            jtj += g * g.transpose();
            jtr += g * r;
        }
        let mut improved = false;
        for _ in 0..30 {
            let mut a = jtj;
            for k in 0..3 {
                a[(k, k)] += lambda * jtj[(k, k)].max(1e-300);
            }
            let Some(step) = a.lu().solve(&(-jtr)) else {
                lambda *= 10.0;
                continue;
            };
            let trial = BirchMurnaghan {
                v0: bm.v0 + step[0],
                b0: bm.b0 + step[1],
                b0_prime: bm.b0_prime + step[2],
            };
            let ct = cost(&trial);
            if trial.v0 > 0.0 && ct.is_finite() && ct < c {
                let rel = (c - ct) / c.max(1e-300);
                bm = trial;
                c = ct;
                lambda = (lambda * 0.3).max(1e-12);
                improved = true;
                if rel < 1e-14 || c.sqrt() < 1e-12 * scale {
                    return Some(bm);
                }
                break;
            }
            lambda *= 10.0;
        }
        if !improved {
            // No downhill step: converged if the residual is already small relative to the data.
            return (c.sqrt() <= 1e-6 * scale * (pts.len() as f64).sqrt() || pts.len() > 3)
                .then_some(bm);
        }
    }
    Some(bm)
}

/// MPMorph's pressure rescale of the convergence loop: V·exp(β·P̄) with P̄ in bar
/// (β = 5e-7 / bar: +10 kbar grows the volume by 0.5 %).
pub fn rescale_volume(volume: f64, mean_pressure_bar: f64, beta_per_bar: f64) -> f64 {
    volume * (beta_per_bar * mean_pressure_bar).exp()
}

/// Where to sample next when the fitted V₀ lies outside the sampled range: a point beyond V₀
/// by `offset` × the original volume (mpmorph's jobflow rule, OFFSET = 0.1), so the bracket
/// grows past V₀ instead of atomate2's 50 % strain jump.
pub fn extrapolation_volume(
    v0: f64,
    v_min: f64,
    v_max: f64,
    v_original: f64,
    offset: f64,
) -> Option<f64> {
    if v0 > v_max {
        Some(v0 + offset * v_original)
    } else if v0 < v_min {
        Some((v0 - offset * v_original).max(0.25 * v_min))
    } else {
        None
    }
}

/// The dense-branch bracket of P = 0 in `points` (volume, pressure): the sampled volumes
/// `(v⁺, v⁻)`, adjacent in volume, with P(v⁺) ≥ 0 > P(v⁻), at the smallest such volume. A cold
/// liquid stretched past its spinodal cavitates and its pressure stays negative and flat at
/// larger volumes, so only the crossing at the smallest volume is the liquid's P = 0.
/// `None` when every pressure has the same sign.
pub fn dense_bracket(points: &[(f64, f64)]) -> Option<((f64, f64), (f64, f64))> {
    let mut pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(v, p)| v.is_finite() && p.is_finite())
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    pts.windows(2)
        .find(|w| w[0].1 >= 0.0 && w[1].1 < 0.0)
        .map(|w| (w[0], w[1]))
}

/// P = 0 by linear interpolation of P in ln V between the two points of a bracket.
pub fn interpolate_zero(plus: (f64, f64), minus: (f64, f64)) -> f64 {
    let (l1, l2) = (plus.0.ln(), minus.0.ln());
    (l1 + plus.1 * (l2 - l1) / (plus.1 - minus.1)).exp()
}

/// A Newton step towards P = 0 from the run at `(volume, pressure)`: the local slope
/// dP/d ln V is fitted (least squares) to the `points` within ±15 % of `volume` (the run
/// included); with a negative slope the step is ΔlnV = P / (−dP/d ln V), limited to
/// ±`max_log_step`. `None` when fewer than two distinct volumes are near or the slope is not
/// negative (then MPMorph's β rescale is the fallback).
pub fn newton_volume(
    points: &[(f64, f64)],
    volume: f64,
    pressure: f64,
    max_log_step: f64,
) -> Option<f64> {
    let near: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(v, p)| {
            p.is_finite() && v.is_finite() && *v > 0.0 && (v / volume).ln().abs() <= 0.15
        })
        .map(|(v, p)| ((v / volume).ln(), p))
        .collect();
    let n = near.len() as f64;
    if near.len() < 2 {
        return None;
    }
    let mx = near.iter().map(|x| x.0).sum::<f64>() / n;
    let my = near.iter().map(|x| x.1).sum::<f64>() / n;
    let sxx: f64 = near.iter().map(|x| (x.0 - mx).powi(2)).sum();
    if sxx < 1e-10 {
        return None;
    }
    let slope = near.iter().map(|x| (x.0 - mx) * (x.1 - my)).sum::<f64>() / sxx;
    if slope.is_nan() || slope >= 0.0 {
        return None;
    }
    let step = (pressure / -slope).clamp(-max_log_step, max_log_step);
    Some(volume * step.exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let bm = BirchMurnaghan {
            v0: 1000.0,
            b0: 5e5,
            b0_prime: 4.7,
        };
        for v in [800.0, 1000.0, 1250.0] {
            let g = bm.gradient(v);
            let h = [1e-4, 1e-1, 1e-6];
            for k in 0..3 {
                let mut p = bm;
                let mut m = bm;
                match k {
                    0 => {
                        p.v0 += h[0];
                        m.v0 -= h[0];
                    }
                    1 => {
                        p.b0 += h[1];
                        m.b0 -= h[1];
                    }
                    _ => {
                        p.b0_prime += h[2];
                        m.b0_prime -= h[2];
                    }
                }
                let fd = (p.pressure(v) - m.pressure(v)) / (2.0 * h[k]);
                assert!(
                    (fd - g[k]).abs() <= 1e-5 * fd.abs().max(1.0),
                    "{k}: {fd} vs {}",
                    g[k]
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Noise-free P(V) points from a known BM3 curve give back V0, B0, B0'.
        #[test]
        fn recovers_parameters(v0 in 500.0f64..3000.0, b0 in 1e4f64..1e6, bp in 3.0f64..7.0, n in 3usize..8) {
            let truth = BirchMurnaghan { v0, b0, b0_prime: bp };
            let pts: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let v = v0 * (0.8 + 0.4 * i as f64 / (n - 1) as f64);
                    (v, truth.pressure(v))
                })
                .collect();
            let fit = fit_birch_murnaghan(&pts).expect("converges");
            prop_assert!((fit.v0 / v0 - 1.0).abs() < 1e-6, "{:?}", fit);
            prop_assert!((fit.b0 / b0 - 1.0).abs() < 1e-4, "{:?}", fit);
            prop_assert!((fit.b0_prime - bp).abs() < 1e-3, "{:?}", fit);
            let z = fit_zero_pressure_volume(&pts).unwrap();
            prop_assert!(!z.clamped);
            prop_assert!((z.v0 / v0 - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn bracket_and_newton() {
        // A cavitated branch: negative and flat beyond 1100, the liquid's P = 0 near 1000.
        let pts = [
            (900.0, 30_000.0),
            (1100.0, -5_000.0),
            (1300.0, -20_000.0),
            (1500.0, -19_000.0),
        ];
        let (plus, minus) = dense_bracket(&pts).unwrap();
        assert_eq!((plus.0, minus.0), (900.0, 1100.0));
        let v = interpolate_zero(plus, minus);
        assert!(v > 900.0 && v < 1100.0 && (v - 1069.0).abs() < 5.0, "{v}");
        assert!(dense_bracket(&[(1.0, -1.0), (2.0, -2.0)]).is_none());
        // Newton on P = −B ln(V/V0) with B = 100 kbar reaches V0 in one step.
        let b = 1e5;
        let p = |v: f64| -b * (v / 1000.0f64).ln();
        let pts = [(1050.0, p(1050.0)), (1080.0, p(1080.0))];
        let next = newton_volume(&pts, 1080.0, p(1080.0), 0.1).unwrap();
        assert!((next - 1000.0).abs() < 1e-6, "{next}");
        // The step is limited, and a rising P(V) gives no step.
        let far = newton_volume(
            &[(1500.0, p(1500.0)), (1450.0, p(1450.0))],
            1500.0,
            p(1500.0),
            0.1,
        );
        assert!((far.unwrap() - 1500.0 * (-0.1f64).exp()).abs() < 1e-9);
        assert!(newton_volume(&[(1000.0, 1.0), (1050.0, 2.0)], 1050.0, 2.0, 0.1).is_none());
        assert!(newton_volume(&[(1000.0, 1.0)], 1000.0, 1.0, 0.1).is_none());
    }

    #[test]
    fn fallbacks() {
        // Pressure rising with volume: the sample closest to zero pressure.
        let z = fit_zero_pressure_volume(&[(100.0, -10.0), (120.0, 1.0), (140.0, 10.0)]).unwrap();
        assert!(z.clamped);
        assert_eq!(z.v0, 120.0);
        assert!(fit_zero_pressure_volume(&[(100.0, 1.0)]).is_err());
        assert!(fit_zero_pressure_volume(&[(100.0, f64::NAN), (120.0, 1.0)]).is_err());
        // A far-away root gets clamped to the lowest-pressure sample.
        let z =
            fit_zero_pressure_volume(&[(100.0, 50_000.0), (110.0, 49_000.0), (120.0, 48_500.0)])
                .unwrap();
        assert!(z.clamped, "{z:?}");
        assert_eq!(z.v0, 120.0);
        // Two points: the line.
        let z = fit_zero_pressure_volume(&[(100.0, 1000.0), (120.0, -1000.0)]).unwrap();
        assert!((z.v0 - 110.0).abs() < 1e-6 || matches!(z.fit, VolumeFit::BirchMurnaghan(_)));
        // Rescale: +10 kbar → +0.5 %.
        assert!((rescale_volume(1000.0, 10_000.0, 5e-7) / 1000.0 - 1.005_012_5).abs() < 1e-6);
        assert_eq!(
            extrapolation_volume(130.0, 80.0, 120.0, 100.0, 0.1),
            Some(140.0)
        );
        assert_eq!(extrapolation_volume(100.0, 80.0, 120.0, 100.0, 0.1), None);
        assert_eq!(
            extrapolation_volume(70.0, 80.0, 120.0, 100.0, 0.1),
            Some(60.0)
        );
    }
}
