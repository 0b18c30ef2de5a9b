//! # amorph-sisso
//!
//! SISSO symbolic regression (sure independence screening and sparsifying operator, Ouyang et
//! al., Phys. Rev. Mater. 2, 083802 (2018)) on any numeric table.
//!
//! * Primary features carry physical units (dimension vectors, [`mod@unit`]); operators
//!   `+ - * / |-| ^-1 ^2 ^3 ^6 sqrt cbrt exp exp- log` (and `abs sin cos`) build tiers of new
//!   features with the unit rules and skip rules of the Fortran SISSO 3.5 code ([`space`]);
//!   non-finite, constant, zero or overflowing features are removed; (near-)identical features
//!   are deduplicated, keeping the simpler.
//! * The **last tier is streamed**: its features are scored as they are generated and only the
//!   best of the SIS pool are kept, so ~10⁷–10⁸ candidates need no more memory than the tier
//!   below them.
//! * SIS against the residual of the best model of the previous dimension, then an exhaustive
//!   ℓ0 search over the union of the screened subspaces ([`l0`]: incremental Cholesky on the
//!   standardised Gram matrix, rayon), top-k models per dimension.
//! * Model selection over dimensions by a held-out set or cross-validation; equations as text
//!   and LaTeX; prediction on new tables; a TOML [`Config`] that rejects unknown keys; a
//!   [`Report`] of a fit as `amorph sisso` prints it.
//!
//! ```
//! use amorph_sisso::{Config, Dataset, Sisso};
//!
//! // y = 3·x1²/x2 − 2 from noise-free data is found as a 1-D descriptor at rung 2.
//! let x1: Vec<f64> = (0..30).map(|i| 1.0 + 0.1 * i as f64).collect();
//! let x2: Vec<f64> = (0..30).map(|i| 2.0 + ((i * 7) % 11) as f64 * 0.3).collect();
//! let y: Vec<f64> = x1.iter().zip(&x2).map(|(a, b)| 3.0 * a * a / b - 2.0).collect();
//! let data = Dataset::new(vec!["x1".into(), "x2".into()], vec![x1, x2], "y", y).unwrap();
//! let config = Config::from_toml("rung = 2\nops = '(*)(/)(^2)'\nmax_dim = 1").unwrap();
//! let fit = Sisso::new(config).unwrap().fit(&data).unwrap();
//! let best = fit.best(1).unwrap();
//! assert_eq!(best.features[0].text(), "(x1^2/x2)");
//! assert!((best.coefficients[0] - 3.0).abs() < 1e-9 && (best.intercept + 2.0).abs() < 1e-9);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod config;
pub mod error;
pub mod expr;
pub mod l0;
pub mod model;
pub mod op;
pub mod report;
pub mod space;
pub mod table;
pub mod unit;

pub use config::Config;
pub use error::{Result, SissoError};
pub use expr::Expr;
pub use model::{Model, rmse};
pub use op::Op;
pub use report::{DimReport, Report};
pub use space::{FeatureSpace, Selected, SpaceOptions};
pub use table::Table;
pub use unit::{Unit, UnitSystem};

/// Training data: named primary features with units, and a target.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Feature names.
    pub names: Vec<String>,
    /// Feature units (dimension vectors over `unit_system`).
    pub units: Vec<Unit>,
    /// Feature columns.
    pub columns: Vec<Vec<f64>>,
    /// Target name.
    pub target_name: String,
    /// Target values.
    pub target: Vec<f64>,
    /// Base dimensions of the units.
    pub unit_system: UnitSystem,
}

impl Dataset {
    /// Dimensionless features.
    pub fn new(
        names: Vec<String>,
        columns: Vec<Vec<f64>>,
        target_name: &str,
        target: Vec<f64>,
    ) -> Result<Dataset> {
        let units = vec![Unit::default(); names.len()];
        Dataset::with_units(
            names,
            columns,
            units,
            UnitSystem::new(),
            target_name,
            target,
        )
    }

    /// Features with units.
    pub fn with_units(
        names: Vec<String>,
        columns: Vec<Vec<f64>>,
        units: Vec<Unit>,
        unit_system: UnitSystem,
        target_name: &str,
        target: Vec<f64>,
    ) -> Result<Dataset> {
        if names.len() != columns.len() || names.len() != units.len() {
            return Err(SissoError::Data(
                "names, columns and units differ in length".into(),
            ));
        }
        if names.is_empty() {
            return Err(SissoError::Data("no feature columns".into()));
        }
        for (name, c) in names.iter().zip(&columns) {
            if c.len() != target.len() {
                return Err(SissoError::Data(format!(
                    "feature `{name}` has {} values, the target {}",
                    c.len(),
                    target.len()
                )));
            }
        }
        if let Some(k) = target.iter().position(|v| !v.is_finite()) {
            return Err(SissoError::Data(format!(
                "target `{target_name}` row {k} is not finite"
            )));
        }
        Ok(Dataset {
            names,
            units,
            columns,
            target_name: target_name.to_string(),
            target,
            unit_system,
        })
    }

    /// Builds the dataset from a table: target column, features (config `features`, or every
    /// numeric column but the target and `exclude`), units from `funit` groups and `units`.
    pub fn from_table(table: &Table, target: &str, config: &Config) -> Result<Dataset> {
        let y = table
            .column(target)
            .ok_or_else(|| SissoError::MissingColumn(target.to_string()))?
            .to_vec();
        let names: Vec<String> = match &config.features {
            Some(list) => {
                for n in list {
                    table
                        .column(n)
                        .ok_or_else(|| SissoError::MissingColumn(n.clone()))?;
                }
                list.clone()
            }
            None => table
                .names
                .iter()
                .filter(|n| n.as_str() != target && !config.exclude.contains(n))
                .cloned()
                .collect(),
        };
        for n in &config.exclude {
            if table.column(n).is_none() && !table.skipped.contains(n) {
                return Err(SissoError::MissingColumn(n.clone()));
            }
        }
        let mut system = UnitSystem::new();
        let mut units = vec![Unit::default(); names.len()];
        if let Some(f) = &config.funit {
            for (g, (a, b)) in config::parse_funit(f)?.into_iter().enumerate() {
                if b > names.len() {
                    return Err(SissoError::Config(format!(
                        "funit group ({a}:{b}) exceeds the {} feature columns",
                        names.len()
                    )));
                }
                let base = system.base(&format!("u{}", g + 1));
                for u in &mut units[a - 1..b] {
                    let mut v = vec![0.0; base + 1];
                    v[base] = 1.0;
                    *u = Unit(v);
                }
            }
        }
        for (col, text) in &config.units {
            let k = names.iter().position(|n| n == col).ok_or_else(|| {
                SissoError::Config(format!("units: `{col}` is not a feature column"))
            })?;
            units[k] = system.parse(text)?;
        }
        let columns = names
            .iter()
            .map(|n| table.column(n).unwrap_or_default().to_vec())
            .collect();
        Dataset::with_units(names, columns, units, system, target, y)
    }

    /// Number of samples.
    pub fn n_samples(&self) -> usize {
        self.target.len()
    }

    /// The dataset restricted to some rows.
    pub fn subset(&self, rows: &[usize]) -> Dataset {
        Dataset {
            names: self.names.clone(),
            units: self.units.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| rows.iter().map(|&r| c[r]).collect())
                .collect(),
            target_name: self.target_name.clone(),
            target: rows.iter().map(|&r| self.target[r]).collect(),
            unit_system: self.unit_system.clone(),
        }
    }

    /// Column lookup by name (for [`Model::predict_with`]).
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|k| self.columns[k].as_slice())
    }
}

/// Models and diagnostics of one dimension.
#[derive(Debug, Clone)]
pub struct DimResult {
    /// Descriptor dimension.
    pub dim: usize,
    /// Best models, best (lowest training RMSE) first.
    pub models: Vec<Model>,
    /// Size of the union of SIS subspaces the ℓ0 search ran over.
    pub union_size: usize,
    /// Features newly screened into the subspace at this dimension.
    pub screened: usize,
    /// Candidates scored by SIS at this dimension.
    pub candidates: u64,
}

/// The result of a SISSO fit.
#[derive(Debug, Clone)]
pub struct Fit {
    /// One entry per dimension 1..=max_dim (fewer if the feature space ran out).
    pub dims: Vec<DimResult>,
    /// Stored features per tier (tier 0 = primaries); the last tier is streamed, not stored.
    pub stored_per_tier: Vec<usize>,
    /// Primary features dropped as constant.
    pub dropped_primaries: Vec<String>,
    /// The union of the SIS subspaces (all dimensions).
    pub subspace: Vec<Selected>,
}

impl Fit {
    /// The root-mean-square error of each dimension's best model on held-out rows (the
    /// `target` column of `test`), in dimension order: the test figures of [`Report::new`].
    pub fn test_rmses(&self, test: &Table, target: &str) -> Result<Vec<f64>> {
        let y = test
            .column(target)
            .ok_or_else(|| SissoError::MissingColumn(target.to_string()))?;
        (self.dims.iter())
            .map(|d| Ok(rmse(&d.models[0].predict(test)?, y)))
            .collect()
    }

    /// The best model of a dimension.
    pub fn best(&self, dim: usize) -> Option<&Model> {
        self.dims
            .iter()
            .find(|d| d.dim == dim)
            .and_then(|d| d.models.first())
    }

    /// The best model of every dimension, in order.
    pub fn best_models(&self) -> Vec<&Model> {
        self.dims.iter().filter_map(|d| d.models.first()).collect()
    }
}

/// The SISSO driver.
#[derive(Debug, Clone)]
pub struct Sisso {
    config: Config,
    ops: Vec<Op>,
}

impl Sisso {
    /// Validates the configuration.
    pub fn new(config: Config) -> Result<Sisso> {
        config.validate()?;
        let ops = config.operators()?;
        Ok(Sisso { config, ops })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T> {
        match self.config.threads {
            Some(t) => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(t)
                    .build()
                    .map_err(|e| SissoError::Config(format!("threads: {e}")))?;
                Ok(pool.install(f))
            }
            None => Ok(f()),
        }
    }

    /// The feature space options in effect.
    pub fn space_options(&self) -> SpaceOptions {
        let rung = self.config.effective_rung();
        SpaceOptions {
            ops: if rung == 0 {
                Vec::new()
            } else {
                self.ops.clone()
            },
            rung,
            max_complexity: self.config.effective_complexity(),
            fmax_min: self.config.fmax_min,
            fmax_max: self.config.fmax_max,
            strict_functions: self.config.strict_functions,
        }
    }

    /// Builds the feature space (stored tiers) for a dataset.
    pub fn feature_space(&self, data: &Dataset) -> Result<FeatureSpace> {
        let prim = data
            .names
            .iter()
            .zip(&data.columns)
            .zip(&data.units)
            .map(|((n, c), u)| (n.clone(), c.clone(), u.clone()))
            .collect();
        self.install(|| FeatureSpace::build(prim, self.space_options()))?
    }

    /// Runs SISSO: for each dimension, SIS on the residual of the best model so far, then ℓ0
    /// over the union of the subspaces.
    pub fn fit(&self, data: &Dataset) -> Result<Fit> {
        self.install(|| self.fit_inner(data))?
    }

    fn fit_inner(&self, data: &Dataset) -> Result<Fit> {
        let space = self.feature_space(data)?;
        let y = &data.target;
        let intercept = self.config.fit_intercept;
        let mut residual = y.clone();
        let mut union: Vec<Selected> = Vec::new();
        let mut exhausted = false;
        let mut dims = Vec::new();
        for dim in 1..=self.config.max_dim {
            let k = self.config.subspace_for(dim);
            let (mut screened, mut candidates) = (0, 0);
            if !exhausted {
                let (sel, count) = space.screen(&residual, k, &union);
                screened = sel.len();
                candidates = count;
                exhausted = sel.len() < k;
                union.extend(sel);
            }
            if union.len() < dim {
                break;
            }
            let cols: Vec<&[f64]> = union.iter().map(|s| s.values.as_slice()).collect();
            let ranked = l0::search(&cols, y, dim, self.config.n_models, intercept);
            let mut models = Vec::with_capacity(ranked.len());
            for r in ranked {
                let sub: Vec<&[f64]> = r.indices.iter().map(|&i| cols[i]).collect();
                let Some((beta, c0, resid)) = l0::least_squares(&sub, y, intercept) else {
                    continue;
                };
                let n = y.len() as f64;
                models.push(Model {
                    target: data.target_name.clone(),
                    features: r.indices.iter().map(|&i| union[i].expr.clone()).collect(),
                    units: r.indices.iter().map(|&i| union[i].unit.clone()).collect(),
                    coefficients: beta,
                    intercept: c0,
                    rmse: (resid.iter().map(|x| x * x).sum::<f64>() / n).sqrt(),
                    max_ae: resid.iter().fold(0.0f64, |m, x| m.max(x.abs())),
                });
            }
            models.sort_by(|a, b| a.rmse.total_cmp(&b.rmse));
            let Some(best) = models.first() else { break };
            let pred = best.predict_with(y.len(), &|n: &str| data.column(n))?;
            residual = y.iter().zip(&pred).map(|(a, b)| a - b).collect();
            dims.push(DimResult {
                dim,
                models,
                union_size: union.len(),
                screened,
                candidates,
            });
        }
        Ok(Fit {
            dims,
            stored_per_tier: space.stored_per_tier(),
            dropped_primaries: space.dropped_primaries().to_vec(),
            subspace: union,
        })
    }

    /// K-fold cross-validation (shuffled with `seed`): mean over folds of the held-out RMSE of
    /// the best model of each dimension. Entry `d-1` is dimension `d`.
    pub fn cross_validate(&self, data: &Dataset, folds: usize, seed: u64) -> Result<Vec<f64>> {
        let n = data.n_samples();
        if folds < 2 || folds > n {
            return Err(SissoError::Config(format!("cv folds must be in 2..={n}")));
        }
        let mut order: Vec<usize> = (0..n).collect();
        let mut s = seed ^ 0x9E37_79B9_7F4A_7C15;
        for i in (1..n).rev() {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let j = ((s >> 33) as usize) % (i + 1);
            order.swap(i, j);
        }
        let mut sums = vec![0.0; self.config.max_dim];
        let mut counts = vec![0usize; self.config.max_dim];
        for f in 0..folds {
            let test: Vec<usize> = order
                .iter()
                .enumerate()
                .filter(|(k, _)| k % folds == f)
                .map(|(_, &r)| r)
                .collect();
            let train: Vec<usize> = order
                .iter()
                .enumerate()
                .filter(|(k, _)| k % folds != f)
                .map(|(_, &r)| r)
                .collect();
            let (tr, te) = (data.subset(&train), data.subset(&test));
            let fit = self.fit(&tr)?;
            for m in fit.best_models() {
                let pred = m.predict_with(te.n_samples(), &|n: &str| te.column(n))?;
                sums[m.dim() - 1] += rmse(&pred, &te.target);
                counts[m.dim() - 1] += 1;
            }
        }
        Ok(sums
            .iter()
            .zip(&counts)
            .filter(|(_, c)| **c > 0)
            .map(|(s, c)| s / *c as f64)
            .collect())
    }
}

/// Index (0-based) of the smallest finite value: the dimension chosen by a held-out or CV score.
pub fn select_dimension(scores: &[f64]) -> Option<usize> {
    scores
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_finite())
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(k, _)| k)
}
