//! Arrhenius fits `D(T) = D₀ exp(−Eₐ / k_B T)` as a straight line of ln D against 1/T.

use crate::error::{DiffusionError, Result};
use amorph_core::units::KB_EV;

/// An Arrhenius fit with the covariance of its two parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ArrheniusFit {
    /// Activation energy (eV).
    pub ea_ev: f64,
    /// Its standard error (eV); `None` when it cannot be estimated (two points, unweighted).
    pub ea_std_ev: Option<f64>,
    /// Prefactor D₀ (units of the input D).
    pub d0: f64,
    /// Standard error of ln D₀.
    pub ln_d0_std: Option<f64>,
    /// Number of temperatures.
    pub n_points: usize,
    /// Whether the fit was weighted by the given D uncertainties.
    pub weighted: bool,
    /// Covariance of (ln D₀, slope of ln D in 1/T (K)); zero when unknown.
    cov: [[f64; 2]; 2],
    slope: f64,
    intercept: f64,
}

/// A diffusivity extrapolated with the fit, with its propagated standard error.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Extrapolation {
    /// Temperature (K).
    pub temperature_k: f64,
    /// D (units of the input D).
    pub d: f64,
    /// Standard error of D by linear propagation through ln D (`None` when the fit has none).
    pub d_std: Option<f64>,
}

/// Fits ln D = ln D₀ − Eₐ/(k_B T).
///
/// Without `d_std` the fit is ordinary least squares and σ(Eₐ) comes from the residuals
/// (pymatgen's `fit_arrhenius(mode="linear")`: `√(RSS/(n−2) / Σ(1/T − mean)²)`, `None` for two
/// points). With `d_std` (one σ per D) the points are weighted by `(D/σ)²` — the variance of
/// ln D is `(σ/D)²` — and the parameter covariance is `(XᵀWX)⁻¹` (the σ taken as known).
pub fn fit_arrhenius(temps_k: &[f64], d: &[f64], d_std: Option<&[f64]>) -> Result<ArrheniusFit> {
    let n = temps_k.len();
    if n != d.len() {
        return Err(DiffusionError::Shape(format!(
            "{n} temperatures for {} diffusivities",
            d.len()
        )));
    }
    if n < 2 {
        return Err(DiffusionError::Fit(format!(
            "an Arrhenius fit needs 2 temperatures, got {n}"
        )));
    }
    if let Some(&t) = temps_k.iter().find(|t| !(t.is_finite() && **t > 0.0)) {
        return Err(DiffusionError::Temperature(t));
    }
    if let Some(&x) = d.iter().find(|x| !(x.is_finite() && **x > 0.0)) {
        return Err(DiffusionError::Fit(format!(
            "diffusivity {x} is not positive: ln D undefined"
        )));
    }
    let w: Vec<f64> = match d_std {
        Some(s) => {
            if s.len() != n {
                return Err(DiffusionError::Shape(format!(
                    "{} uncertainties for {n} diffusivities",
                    s.len()
                )));
            }
            if let Some(&bad) = s.iter().find(|x| !(x.is_finite() && **x > 0.0)) {
                return Err(DiffusionError::Fit(format!(
                    "uncertainty {bad} must be positive"
                )));
            }
            d.iter().zip(s).map(|(d, s)| (d / s).powi(2)).collect()
        }
        None => vec![1.0; n],
    };
    let x: Vec<f64> = temps_k.iter().map(|t| 1.0 / t).collect();
    let y: Vec<f64> = d.iter().map(|v| v.ln()).collect();
    let sw: f64 = w.iter().sum();
    let xm = (0..n).map(|i| w[i] * x[i]).sum::<f64>() / sw;
    let ym = (0..n).map(|i| w[i] * y[i]).sum::<f64>() / sw;
    let sxx: f64 = (0..n).map(|i| w[i] * (x[i] - xm).powi(2)).sum();
    let sxy: f64 = (0..n).map(|i| w[i] * (x[i] - xm) * (y[i] - ym)).sum();
    if sxx.is_nan() || sxx <= 0.0 {
        return Err(DiffusionError::Fit("all temperatures are equal".into()));
    }
    let slope = sxy / sxx;
    let intercept = ym - slope * xm;
    // Covariance of (intercept, slope) for weights w: var(slope) = s²/Sxx,
    // var(intercept) = s²(1/Σw + x̄²/Sxx), cov = −s² x̄ / Sxx.
    let s2 = if d_std.is_some() {
        Some(1.0)
    } else if n > 2 {
        let rss: f64 = (0..n)
            .map(|i| (y[i] - intercept - slope * x[i]).powi(2))
            .sum();
        Some(rss / (n as f64 - 2.0))
    } else {
        None
    };
    let cov = match s2 {
        Some(s2) => [
            [s2 * (1.0 / sw + xm * xm / sxx), -s2 * xm / sxx],
            [-s2 * xm / sxx, s2 / sxx],
        ],
        None => [[0.0; 2]; 2],
    };
    Ok(ArrheniusFit {
        ea_ev: -slope * KB_EV,
        ea_std_ev: s2.map(|_| cov[1][1].sqrt() * KB_EV),
        d0: intercept.exp(),
        ln_d0_std: s2.map(|_| cov[0][0].sqrt()),
        n_points: n,
        weighted: d_std.is_some(),
        cov,
        slope,
        intercept,
    })
}

impl ArrheniusFit {
    /// D at `temperature_k` (300 K is the usual room-temperature extrapolation), with the error
    /// of ln D propagated from the parameter covariance: `σ_lnD² = σ_a² + σ_b²/T² + 2σ_ab/T`.
    pub fn extrapolate(&self, temperature_k: f64) -> Result<Extrapolation> {
        if !(temperature_k.is_finite() && temperature_k > 0.0) {
            return Err(DiffusionError::Temperature(temperature_k));
        }
        let u = 1.0 / temperature_k;
        let d = (self.intercept + self.slope * u).exp();
        let d_std = self.ea_std_ev.map(|_| {
            let v = self.cov[0][0] + u * u * self.cov[1][1] + 2.0 * u * self.cov[0][1];
            d * v.max(0.0).sqrt()
        });
        Ok(Extrapolation {
            temperature_k,
            d,
            d_std,
        })
    }
}

/// One row of an Arrhenius table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ArrheniusRow {
    /// Group (composition) this row belongs to, when the table has such a column.
    pub group: Option<String>,
    /// Temperature (K).
    pub temperature_k: f64,
    /// Diffusivity (cm²/s).
    pub d: f64,
    /// Its standard error (cm²/s), when the table has one.
    pub d_std: Option<f64>,
}

fn tokens(line: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            c if !quoted && (c.is_whitespace() || c == ',' || c == ';') => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Parses a whitespace-, comma- or semicolon-separated table of temperatures and
/// diffusivities. With a header, columns are found by name (case-insensitive): temperature
/// `temperature | temp | t | t_k | temperature_k`; diffusivity `d | diffusivity | d_cm2_s |
/// diffusivity_cm2_s | diff_coeff_mul_thousand` (the paper's `feature_target.dat`, in 1e-3 cm²/s,
/// converted here); optional uncertainty `d_std | std | sigma | d_err | error |
/// diffusivity_std_cm2_s`; optional group `formula | composition | group | name | system`.
/// Without a header the columns are `T D [σ]`. Lines starting with `#` after the header are
/// comments.
pub fn parse_table(text: &str) -> Result<Vec<ArrheniusRow>> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let Some((_, first)) = lines.next() else {
        return Err(DiffusionError::Fit("empty Arrhenius table".into()));
    };
    let head = tokens(first.trim_start_matches('#'));
    let numeric = head.iter().all(|t| t.parse::<f64>().is_ok());
    let find = |names: &[&str]| {
        head.iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (ti, di, si, gi, scale) = if numeric {
        (0, 1, (head.len() > 2).then_some(2), None, 1.0)
    } else {
        let ti = find(&["temperature", "temp", "t", "t_k", "temperature_k"]).ok_or_else(|| {
            DiffusionError::Fit(format!(
                "no temperature column in header: {}",
                head.join(" ")
            ))
        })?;
        let (di, scale) = match find(&["diff_coeff_mul_thousand"]) {
            Some(i) => (i, 1e-3),
            None => (
                find(&["d", "diffusivity", "d_cm2_s", "diffusivity_cm2_s"]).ok_or_else(|| {
                    DiffusionError::Fit(format!(
                        "no diffusivity column in header: {}",
                        head.join(" ")
                    ))
                })?,
                1.0,
            ),
        };
        let si = find(&[
            "d_std",
            "std",
            "sigma",
            "d_err",
            "error",
            "diffusivity_std_cm2_s",
        ]);
        let gi = find(&["formula", "composition", "group", "name", "system"]);
        (ti, di, si, gi, scale)
    };
    let mut rows = vec![];
    let all = if numeric {
        vec![(1usize, first)]
    } else {
        vec![]
    };
    for (no, line) in all.into_iter().chain(lines) {
        if line.starts_with('#') {
            continue;
        }
        let t = tokens(line);
        let get = |i: usize| -> Result<f64> {
            t.get(i)
                .ok_or_else(|| DiffusionError::Fit(format!("line {no}: missing column {}", i + 1)))?
                .parse::<f64>()
                .map_err(|_| {
                    DiffusionError::Fit(format!("line {no}: column {} is not a number", i + 1))
                })
        };
        rows.push(ArrheniusRow {
            group: gi.and_then(|g| t.get(g).cloned()),
            temperature_k: get(ti)?,
            d: get(di)? * scale,
            d_std: match si {
                Some(s) => Some(get(s)? * scale),
                None => None,
            },
        });
    }
    if rows.is_empty() {
        return Err(DiffusionError::Fit(
            "Arrhenius table has no data rows".into(),
        ));
    }
    Ok(rows)
}

/// Fits each group of rows separately (in order of first appearance); rows without a group
/// form one group. Uses the uncertainties when every row of the group has one.
pub fn fit_groups(rows: &[ArrheniusRow]) -> Result<Vec<(Option<String>, ArrheniusFit)>> {
    let mut order: Vec<Option<String>> = vec![];
    for r in rows {
        if !order.contains(&r.group) {
            order.push(r.group.clone());
        }
    }
    order
        .into_iter()
        .map(|g| {
            let sel: Vec<&ArrheniusRow> = rows.iter().filter(|r| r.group == g).collect();
            let t: Vec<f64> = sel.iter().map(|r| r.temperature_k).collect();
            let d: Vec<f64> = sel.iter().map(|r| r.d).collect();
            let s: Option<Vec<f64>> = sel.iter().map(|r| r.d_std).collect();
            let fit = fit_arrhenius(&t, &d, s.as_deref()).map_err(|e| match (&g, e) {
                (Some(name), DiffusionError::Fit(m)) => DiffusionError::Fit(format!("{name}: {m}")),
                (_, e) => e,
            })?;
            Ok((g, fit))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pymatgen_fit_arrhenius_fixture() {
        // pymatgen-analysis-diffusion tests/test_analyzer.py: Ea 0.5, c 12 → (0.5, 12, 0.000895566).
        let (ea, c) = (0.5, 12.0);
        let t = [300.0, 1000.0, 500.0];
        let noise = [1.00601834013, 1.00803236262, 0.98609720824];
        let d: Vec<f64> = t
            .iter()
            .zip(noise)
            .map(|(t, n)| c * (-ea / (KB_EV * t)).exp() * n)
            .collect();
        let f = fit_arrhenius(&t, &d, None).unwrap();
        assert!((f.ea_ev - 0.5).abs() < 1e-7, "{}", f.ea_ev);
        assert!((f.d0 - 12.0).abs() < 1e-7 * 12.0 * 10.0, "{}", f.d0);
        assert!(
            (f.ea_std_ev.unwrap() - 0.000895566).abs() < 1e-9,
            "{:?}",
            f.ea_std_ev
        );
        let two = fit_arrhenius(&[1.0, 2.0], &[10.0, 10.0], None).unwrap();
        assert!(two.ea_ev.abs() < 1e-15 && (two.d0 - 10.0).abs() < 1e-12);
        assert!(two.ea_std_ev.is_none());
    }
}
