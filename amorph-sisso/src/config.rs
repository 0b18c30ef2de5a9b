//! Configuration (TOML). Unknown keys are an error: the silent-ignore behaviour of the Fortran
//! code is what turned the paper's run into a linear fit.

use crate::error::{Result, SissoError};
use crate::op::Op;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Operator list: a string (`"(+)(-)(exp-)"`, `"+,-,exp-"`) or an array of names.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OpList {
    /// One string.
    Text(String),
    /// An array of operator names.
    List(Vec<String>),
}

/// SIS subspace size: one value for every dimension, or one per dimension.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Subspace {
    /// Same size for every dimension.
    One(usize),
    /// Size per dimension (the last value repeats).
    PerDim(Vec<usize>),
}

/// The operators used when none are configured: every operator of the reference except
/// `abs`, `sin`, `cos` and `scd`.
pub const DEFAULT_OPS: &str = "(+)(-)(*)(/)(|-|)(^-1)(^2)(^3)(^6)(sqrt)(cbrt)(exp)(exp-)(log)";

/// SISSO settings. Field names follow SISSO 3.5 where one exists; the pre-3.2 names
/// (`opset`, `dimclass`, `subs_sis`, `maxfval_lb`, `maxfval_ub`, `maxcomplexity`, `desc_dim`,
/// `nm_output`) are accepted as aliases.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Target column.
    pub target: Option<String>,
    /// Largest descriptor dimension (models are fitted for 1..=max_dim).
    #[serde(alias = "desc_dim")]
    pub max_dim: usize,
    /// Tree depth of the feature construction; derived from `max_complexity` when absent
    /// (0→0, 1→1, 2–3→2, 4–7→3), otherwise 1.
    pub rung: Option<u32>,
    /// Largest number of operators in a feature (default 2^rung − 1).
    #[serde(alias = "fcomplexity", alias = "maxcomplexity")]
    pub max_complexity: Option<u32>,
    /// Operators (default [`DEFAULT_OPS`]).
    #[serde(alias = "opset")]
    pub ops: Option<OpList>,
    /// SIS subspace size per dimension (default 20, the SISSO 3.3 default).
    #[serde(alias = "nf_sis", alias = "subs_sis")]
    pub subspace: Subspace,
    /// A feature is not selectable when max|f| is below this.
    #[serde(alias = "maxfval_lb")]
    pub fmax_min: f64,
    /// A feature is not selectable when max|f| is above this.
    #[serde(alias = "maxfval_ub")]
    pub fmax_max: f64,
    /// Models kept per dimension.
    #[serde(alias = "nmodel", alias = "nm_output")]
    pub n_models: usize,
    /// Fit an intercept.
    pub fit_intercept: bool,
    /// Unit groups over the feature columns, 1-based in table order: `"(1:18)(19:23)(43)"`.
    /// Each group is its own base dimension; other columns are dimensionless.
    #[serde(alias = "dimclass")]
    pub funit: Option<String>,
    /// Units per column, e.g. `inverse_kbT = "eV^-1"` (override `funit`).
    pub units: BTreeMap<String, String>,
    /// Use only these feature columns (default: every numeric column but the target).
    pub features: Option<Vec<String>>,
    /// Columns not to use as features.
    pub exclude: Vec<String>,
    /// Require dimensionless arguments for exp, exp-, log, sin, cos.
    pub strict_functions: bool,
    /// Folds for cross-validated selection of the dimension (0 = none).
    pub cv_folds: usize,
    /// Seed of the cross-validation shuffle.
    pub seed: u64,
    /// Worker threads (default: rayon's default, all cores or `RAYON_NUM_THREADS`).
    pub threads: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            target: None,
            max_dim: 3,
            rung: None,
            max_complexity: None,
            ops: None,
            subspace: Subspace::One(20),
            fmax_min: 1e-3,
            fmax_max: 1e5,
            n_models: 10,
            fit_intercept: true,
            funit: None,
            units: BTreeMap::new(),
            features: None,
            exclude: Vec::new(),
            strict_functions: false,
            cv_folds: 0,
            seed: 0,
            threads: None,
        }
    }
}

impl Config {
    /// Parses TOML; unknown keys and wrong types are errors naming the key.
    pub fn from_toml(text: &str) -> Result<Config> {
        let cfg: Config = toml::from_str(text)
            .map_err(|e| SissoError::Config(e.to_string().trim().replace('\n', " ")))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Reads and parses a TOML file.
    pub fn read(path: &std::path::Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| SissoError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Config::from_toml(&text)
    }

    /// Checks value ranges.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(SissoError::Config(m.to_string()));
        if self.max_dim == 0 {
            return bad("max_dim must be at least 1");
        }
        if self.n_models == 0 {
            return bad("n_models must be at least 1");
        }
        match &self.subspace {
            Subspace::One(0) => return bad("subspace must be at least 1"),
            Subspace::PerDim(v) if v.is_empty() || v.contains(&0) => {
                return bad("subspace list must be non-empty and every size at least 1");
            }
            _ => {}
        }
        if !(self.fmax_min >= 0.0 && self.fmax_min < self.fmax_max) {
            return bad("need 0 <= fmax_min < fmax_max");
        }
        if self.rung.unwrap_or(0) > 4 {
            return bad("rung must be at most 4");
        }
        if self.cv_folds == 1 {
            return bad("cv_folds must be 0 (off) or at least 2");
        }
        if self.threads == Some(0) {
            return bad("threads must be at least 1");
        }
        self.operators()?;
        Ok(())
    }

    /// The operator list.
    pub fn operators(&self) -> Result<Vec<Op>> {
        match &self.ops {
            None => Op::parse_list(DEFAULT_OPS),
            Some(OpList::Text(t)) => Op::parse_list(t),
            Some(OpList::List(v)) => Op::parse_list(&v.join(",")),
        }
    }

    /// The rung in effect.
    pub fn effective_rung(&self) -> u32 {
        match (self.rung, self.max_complexity) {
            (Some(r), _) => r,
            (None, Some(c)) => match c {
                0 => 0,
                1 => 1,
                2..=3 => 2,
                4..=7 => 3,
                _ => 4,
            },
            (None, None) => 1,
        }
    }

    /// The complexity limit in effect: min(max_complexity, 2^rung − 1).
    pub fn effective_complexity(&self) -> u32 {
        let cap = (1u32 << self.effective_rung()) - 1;
        self.max_complexity.map_or(cap, |c| c.min(cap))
    }

    /// Subspace size for dimension `dim` (1-based).
    pub fn subspace_for(&self, dim: usize) -> usize {
        match &self.subspace {
            Subspace::One(k) => *k,
            Subspace::PerDim(v) => v[(dim - 1).min(v.len() - 1)],
        }
    }
}

/// Parses `(1:18)(19:23)(43)` or `(43:43)` into 1-based inclusive ranges.
pub fn parse_funit(text: &str) -> Result<Vec<(usize, usize)>> {
    let bad = || {
        SissoError::Config(format!(
            "funit `{text}`: expected groups like (1:18)(19:23)"
        ))
    };
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let open = rest.strip_prefix('(').ok_or_else(bad)?;
        let close = open.find(')').ok_or_else(bad)?;
        let inner = &open[..close];
        let (a, b) = inner.split_once(':').unwrap_or((inner, inner));
        let a: usize = a.trim().parse().map_err(|_| bad())?;
        let b: usize = b.trim().parse().map_err(|_| bad())?;
        if a == 0 || b < a {
            return Err(bad());
        }
        out.push((a, b));
        rest = open[close + 1..].trim_start();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_rejected() {
        let e = Config::from_toml("max_dim = 2\nopsett = \"(+)\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("opsett"), "{e}");
        assert!(Config::from_toml("max_dim = \"x\"").is_err());
        assert!(Config::from_toml("subspace = 0").is_err());
        assert!(Config::from_toml("ops = \"(+)(pow)\"").is_err());
    }

    #[test]
    fn aliases_and_derivations() {
        let c = Config::from_toml(
            "desc_dim = 5\nopset = '(+)(-)(*)(/)(exp)(exp-)(^-1)(^2)(^3)(log)(^6)'\nmaxcomplexity = 5\n\
             rung = 2\ndimclass = '(1:18)(19:23)(43:43)'\nsubs_sis = [30, 10]\nmaxfval_lb = 1e-4\n",
        )
        .unwrap();
        assert_eq!(c.max_dim, 5);
        assert_eq!(c.operators().unwrap().len(), 11);
        assert_eq!(c.effective_rung(), 2);
        assert_eq!(c.effective_complexity(), 3);
        assert_eq!(c.subspace_for(1), 30);
        assert_eq!(c.subspace_for(4), 10);
        assert_eq!(
            parse_funit(c.funit.as_deref().unwrap()).unwrap(),
            vec![(1, 18), (19, 23), (43, 43)]
        );
        let d = Config::from_toml("fcomplexity = 7").unwrap();
        assert_eq!((d.effective_rung(), d.effective_complexity()), (3, 7));
        assert!(parse_funit("(3:1)").is_err());
        assert!(parse_funit("1:3").is_err());
    }
}
