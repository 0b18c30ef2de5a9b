//! Arrhenius fits `D(T) = D₀ exp(−Eₐ / k_B T)` as a straight line of ln D against 1/T.

use crate::error::{DiffusionError, Result};
use amorph_core::units::KB_EV;
use amorph_table::Separator;

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

/// Parses a whitespace-, comma- or semicolon-separated table of temperatures and
/// diffusivities. With a header, columns are found by name (case-insensitive): temperature
/// `temperature | temp | t | t_k | temperature_k`; diffusivity `d | diffusivity | d_cm2_s |
/// diffusivity_cm2_s | diff_coeff_mul_thousand` (the paper's `feature_target.dat`, in 1e-3 cm²/s,
/// converted here); optional uncertainty `d_std | std | sigma | d_err | error |
/// diffusivity_std_cm2_s`; optional group `formula | composition | group | name | system`.
/// Without a header the columns are `T D [σ]`. The first non-blank line is the header even
/// when it starts with `#` (numpy's `savetxt` writes `# T D`); lines starting with `#` after it
/// are comments. Rows may be longer than the header; a row without a column that is used is an
/// error naming its line.
///
/// Lines and fields are read by `amorph-table` (the workspace's one table reader) in its
/// [`Loose`](amorph_table::Separator::Loose) dialect: any run of whitespace, commas and
/// semicolons separates, empty fields are dropped, double quotes group (`"Li F"`).
pub fn parse_table(text: &str) -> Result<Vec<ArrheniusRow>> {
    let split = |line: &str| Separator::Loose.split(line);
    let mut lines = amorph_table::lines(text);
    let Some(first) = lines.next() else {
        return Err(DiffusionError::Fit("empty Arrhenius table".into()));
    };
    let head = split(first.text.trim_start_matches('#'));
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
    let all = if numeric { vec![first] } else { vec![] };
    for line in all.into_iter().chain(lines) {
        if line.is_comment() {
            continue;
        }
        let no = line.number;
        let t = split(line.text);
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
    fn table_dialect() {
        // A header commented out (numpy's savetxt), separators mixed, comments after it.
        let rows =
            parse_table("# T; D; sigma\n1000 1e-6 1e-7\n1500;1e-5, 1e-6\n# c\n2000,,4e-5 3e-6 x\n")
                .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[1].temperature_k, rows[1].d, rows[1].d_std),
            (1500.0, 1e-5, Some(1e-6))
        );
        assert_eq!(rows[2].d_std, Some(3e-6));
        // The paper's column names, its 1e-3 scale, quoted groups.
        let rows = parse_table(
            "\"Unnamed: 0\",Formula,diff_coeff_mul_thousand,Temperature\n0,\"Li F\",2,1000\n",
        )
        .unwrap();
        assert_eq!(rows[0].group.as_deref(), Some("Li F"));
        assert_eq!(rows[0].d, 2e-3);
        // Headerless: the first line is data, and errors name real line numbers.
        let rows = parse_table("\n1000 1e-6\n1500 2e-6\n").unwrap();
        assert_eq!((rows.len(), rows[0].d_std), (2, None));
        let msg = |t: &str| parse_table(t).unwrap_err().to_string();
        assert_eq!(msg("\n\n1000\n"), "fit failed: line 3: missing column 2");
        assert_eq!(
            msg("T D\n\n1000 x\n"),
            "fit failed: line 3: column 2 is not a number"
        );
        assert_eq!(
            msg("T D\n# only comments\n"),
            "fit failed: Arrhenius table has no data rows"
        );
        assert_eq!(
            msg("x y\n1 2\n"),
            "fit failed: no temperature column in header: x y"
        );
        assert_eq!(msg(" \n"), "fit failed: empty Arrhenius table");
    }

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
