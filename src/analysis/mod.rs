//! The paper's analyses of a feature table or a workflow database: anion families (its
//! Fig. 2), Pearson correlations beside its Table 1, per-element means (its SI Figs. 6–9),
//! per-composition Arrhenius fits and the random forest of its Fig. 4. Results are small typed
//! values; [`crate::plot`] draws them and [`crate::report`] puts them in an HTML report.
//!
//! ```
//! use amorph::analysis::{anion_family, element_means, FormulaValue};
//!
//! assert_eq!(anion_family("Li3PO4"), Some("oxyanion"));
//! assert_eq!(anion_family("Li2S"), Some("S"));
//! let ea = [("Li2O", 0.8), ("Li2S", 0.6)].map(|(f, v)| FormulaValue::new(f, v));
//! let li = &element_means(&ea)[0];
//! assert_eq!((li.element.symbol(), li.n), ("Li", 2));
//! assert!((li.mean - 0.7).abs() < 1e-12);
//! ```

mod anion;
mod arrhenius;
mod correlation;
mod element;
mod forest;

pub use anion::{ANION_ORDER, AnionGroup, anion_family, group_by_anion, target_by_anion};
pub use arrhenius::{CompositionFit, arrhenius_series, composition_fits};
pub use correlation::{Correlation, TopTemperature, correlations};
pub use element::{CompositionValues, ElementMean, HeatmapValue, element_means};
pub use forest::{ForestResult, random_forest};

/// The paper's diffusivity column (`feature_target.dat`): D × 1000 in cm²/s, slope/2 of the MSD.
pub const PAPER_D_COLUMN: &str = "diff_coeff_mul_thousand";

/// A value of one composition (a D, an Eₐ).
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaValue {
    /// The formula, e.g. `Li2O`.
    pub formula: String,
    /// The value.
    pub value: f64,
}

impl FormulaValue {
    /// A formula and its value.
    pub fn new(formula: impl Into<String>, value: f64) -> Self {
        FormulaValue {
            formula: formula.into(),
            value,
        }
    }
}

/// Opens an existing workflow database (never creates one); errors name the path.
pub(crate) fn open_database(path: &std::path::Path) -> crate::Result<amorph_morph::Database> {
    use crate::error::Context as _;
    if !path.exists() {
        return Err(crate::Error::NoDatabase {
            path: path.to_path_buf(),
        });
    }
    amorph_morph::Database::open(path).context_with(|| path.display().to_string())
}

/// Median of `v` (NaN when empty).
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}

/// Mean and sample standard deviation of `v` (σ = 0 for one value; NaN mean when empty).
pub fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (m, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        let (m, s) = mean_std(&[1.0, 3.0]);
        assert!((m - 2.0).abs() < 1e-12 && (s - 2f64.sqrt()).abs() < 1e-12);
    }
}
