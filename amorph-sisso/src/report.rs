//! A fit as `amorph sisso` reports it: every dimension's best model, its errors on the training
//! and test rows, and the dimension chosen by the test rows or cross-validation.

use crate::{Fit, select_dimension};
use std::fmt;

/// The best model of one dimension.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DimReport {
    /// Descriptor dimension.
    pub dim: usize,
    /// Training RMSE.
    pub train_rmse: f64,
    /// Training maximum absolute error.
    pub train_max_ae: f64,
    /// The equation as text.
    pub equation: String,
    /// The equation in LaTeX.
    pub latex: String,
    /// The descriptor's features as text.
    pub features: Vec<String>,
    /// Their coefficients.
    pub coefficients: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
    /// Size of the union of SIS subspaces searched.
    pub union_size: usize,
    /// Candidates scored by SIS at this dimension.
    pub candidates_scored: u64,
    /// RMSE on the test rows, when there are some.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_rmse: Option<f64>,
}

/// A SISSO fit with its selection of a dimension: serialises to `amorph sisso --json` and
/// displays as its text.
///
/// ```
/// use amorph_sisso::{Config, Dataset, Report, Sisso};
///
/// let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
/// let y: Vec<f64> = x.iter().map(|v| 2.0 * v + 1.0).collect();
/// let data = Dataset::new(vec!["x".into()], vec![x], "y", y).unwrap();
/// let config = Config::from_toml("rung = 0\nmax_dim = 1").unwrap();
/// let fit = Sisso::new(config).unwrap().fit(&data).unwrap();
/// let report = Report::new("t.dat", &data, &fit, 0.1, None);
/// assert!(report.to_string().contains("1D  train RMSE 0.000000  y = 2*x + 1"));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    /// The training table (as named by the user).
    pub table: String,
    /// The target column.
    pub target: String,
    /// Training rows.
    pub n_train: usize,
    /// Stored features per tier.
    pub stored_per_tier: Vec<usize>,
    /// Primary features dropped as constant.
    pub dropped_primaries: Vec<String>,
    /// Wall time of the fit (s).
    pub fit_seconds: f64,
    /// One entry per dimension.
    pub dims: Vec<DimReport>,
    /// Test rows, when there are some.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_test: Option<usize>,
    /// The chosen dimension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_dim: Option<usize>,
    /// What chose it: `test` or `cv`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<&'static str>,
    /// Cross-validated RMSE per dimension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cv_rmse: Option<Vec<f64>>,
    /// Folds of the cross-validation.
    #[serde(skip)]
    pub cv_folds: usize,
}

impl Report {
    /// The report of `fit` on `data` (from the table `table`) that took `fit_seconds`; `test`
    /// is the number of test rows and the test RMSE of each dimension's best model, which then
    /// chooses the dimension.
    pub fn new(
        table: &str,
        data: &crate::Dataset,
        fit: &Fit,
        fit_seconds: f64,
        test: Option<(usize, Vec<f64>)>,
    ) -> Report {
        let test_rmse = |k: usize| test.as_ref().map(|(_, r)| r[k]);
        let dims = (fit.dims.iter().enumerate())
            .map(|(k, d)| {
                let m = &d.models[0];
                DimReport {
                    dim: d.dim,
                    train_rmse: m.rmse,
                    train_max_ae: m.max_ae,
                    equation: m.equation(),
                    latex: m.latex(),
                    features: m.features.iter().map(|f| f.text()).collect(),
                    coefficients: m.coefficients.clone(),
                    intercept: m.intercept,
                    union_size: d.union_size,
                    candidates_scored: d.candidates,
                    test_rmse: test_rmse(k),
                }
            })
            .collect();
        let selected = test.as_ref().and_then(|(_, r)| select_dimension(r));
        Report {
            table: table.to_string(),
            target: data.target_name.clone(),
            n_train: data.n_samples(),
            stored_per_tier: fit.stored_per_tier.clone(),
            dropped_primaries: fit.dropped_primaries.clone(),
            fit_seconds,
            dims,
            n_test: test.as_ref().map(|(n, _)| *n),
            selected_dim: selected.map(|k| k + 1),
            selection: selected.map(|_| "test"),
            cv_rmse: None,
            cv_folds: 0,
        }
    }

    /// Adds the cross-validated RMSE of each dimension (`folds` folds), which then chooses the
    /// dimension.
    pub fn with_cv(mut self, folds: usize, cv_rmse: Vec<f64>) -> Report {
        if let Some(k) = select_dimension(&cv_rmse) {
            self.selected_dim = Some(k + 1);
            self.selection = Some("cv");
        }
        self.cv_folds = folds;
        self.cv_rmse = Some(cv_rmse);
        self
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SISSO on {} ({} training rows", self.table, self.n_train)?;
        if let Some(n) = self.n_test {
            write!(f, ", {n} test rows")?;
        }
        writeln!(
            f,
            "), target {}; stored features per tier {:?}, fit {:.2} s",
            self.target, self.stored_per_tier, self.fit_seconds
        )?;
        for d in &self.dims {
            write!(f, "{}D  train RMSE {:.6}", d.dim, d.train_rmse)?;
            if let Some(r) = d.test_rmse {
                write!(f, "  test RMSE {r:.6}")?;
            }
            writeln!(f, "  {}", d.equation)?;
        }
        match (self.selection, self.selected_dim) {
            (Some("test"), Some(k)) => writeln!(f, "selected by test RMSE: {k}D"),
            (Some(_), Some(k)) => writeln!(
                f,
                "selected by {}-fold CV RMSE {:?}: {k}D",
                self.cv_folds,
                self.cv_rmse.as_deref().unwrap_or_default()
            ),
            _ => Ok(()),
        }
    }
}
