//! Summaries of analyses as `amorph diffusion`, `amorph arrhenius`, `amorph rdf` and
//! `amorph rdf-compare` print them: each serialises to the command's `--json` object (field
//! names and order are those of the JSON) and displays as its text.
//!
//! ```
//! use amorph_diffusion::{ArrheniusTable, ElementPair, fit_arrhenius};
//!
//! let pair: ElementPair = "Li-S".parse().unwrap();
//! assert_eq!((pair.0.symbol(), pair.1.symbol()), ("Li", "S"));
//! assert!("LiS".parse::<ElementPair>().is_err());
//!
//! let fit = fit_arrhenius(&[600.0, 800.0, 1000.0], &[1e-6, 5e-6, 2e-5], None).unwrap();
//! let table = ArrheniusTable::new("d.txt", vec![(None, fit)], 300.0).unwrap();
//! assert!(table.to_string().starts_with("Ea = 0."));
//! ```

use crate::analysis::{DConvention, DiffusionReport, DiffusionSettings, Smoothing};
use crate::arrhenius::ArrheniusFit;
use crate::error::{Result, param};
use crate::rdf::{PartialRdf, RdfComparison};
use amorph_core::Element;
use std::fmt;

impl Smoothing {
    /// The averaging called `name` as pymatgen's `smoothed` (`max`, `constant` or `none`), with
    /// `min_obs` for `max` and `avg_nsteps` for `constant`.
    pub fn from_name(name: &str, min_obs: usize, avg_nsteps: usize) -> Result<Smoothing> {
        match name {
            "max" => Ok(Smoothing::Max { min_obs }),
            "constant" => Ok(Smoothing::Constant { avg_nsteps }),
            "none" => Ok(Smoothing::None),
            _ => Err(param("smoothed", name, "expected max, constant or none")),
        }
    }

    /// pymatgen's name of the averaging: `max`, `constant` or `none`.
    pub fn name(&self) -> &'static str {
        match self {
            Smoothing::Max { .. } => "max",
            Smoothing::Constant { .. } => "constant",
            Smoothing::None => "none",
        }
    }
}

impl DConvention {
    /// The convention's name in summaries: `tracer_slope_over_6` or `paper_slope_over_2`.
    pub fn name(self) -> &'static str {
        match self {
            DConvention::Tracer => "tracer_slope_over_6",
            DConvention::PaperSlopeOver2 => "paper_slope_over_2",
        }
    }
}

/// A species pair of a partial RDF, written `A-B` (e.g. `Li-S`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementPair(pub Element, pub Element);

/// Why a text is not an [`ElementPair`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PairError {
    /// No `-` between the two symbols.
    #[error("expected A-B, e.g. Li-S")]
    Format,
    /// A symbol that is not an element.
    #[error(transparent)]
    Element(#[from] amorph_core::Error),
}

impl std::str::FromStr for ElementPair {
    type Err = PairError;

    fn from_str(s: &str) -> std::result::Result<Self, PairError> {
        let (a, b) = s.split_once('-').ok_or(PairError::Format)?;
        Ok(ElementPair(
            Element::from_symbol(a)?,
            Element::from_symbol(b)?,
        ))
    }
}

impl From<ElementPair> for (Element, Element) {
    fn from(p: ElementPair) -> Self {
        (p.0, p.1)
    }
}

/// The analysis of one trajectory file ([`crate::analyze`]) as `amorph diffusion` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiffusionSummary {
    /// The trajectory (as named by the user).
    pub file: String,
    /// Diffusing species.
    pub species: String,
    /// Temperature (K).
    pub temperature_k: f64,
    /// Number of diffusing atoms.
    pub n_diffusing: usize,
    /// Number of frames.
    pub n_frames: usize,
    /// Time between stored frames (fs).
    pub frame_fs: f64,
    /// pymatgen's `smoothed` ([`Smoothing::name`]).
    pub smoothed: &'static str,
    /// Slope-to-D convention ([`DConvention::name`]).
    pub convention: &'static str,
    /// pymatgen-compatible D (cm²/s).
    pub diffusivity_cm2_s: f64,
    /// pymatgen's slope standard error as D (cm²/s).
    pub diffusivity_std_cm2_s: f64,
    /// Per-axis D (x, y, z; cm²/s).
    pub diffusivity_components_cm2_s: [f64; 3],
    /// Nernst–Einstein conductivity (mS/cm).
    #[serde(rename = "conductivity_mS_cm")]
    pub conductivity_ms_cm: f64,
    /// Charge diffusivity (cm²/s).
    pub charge_diffusivity_cm2_s: f64,
    /// Conductivity from the charge diffusivity (mS/cm).
    #[serde(rename = "charge_conductivity_mS_cm")]
    pub charge_conductivity_ms_cm: f64,
    /// Haven ratio D / D_charge.
    pub haven_ratio: f64,
    /// Largest drift-corrected framework displacement (Å).
    #[serde(rename = "max_framework_displacement_a")]
    pub max_framework_displacement: Option<f64>,
    /// The covariance-aware fit, when it was done.
    pub gls: Option<GlsSummary>,
}

/// The covariance-aware fit of a [`DiffusionSummary`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GlsSummary {
    /// D (cm²/s).
    pub diffusivity_cm2_s: f64,
    /// Its standard error (cm²/s).
    pub std_cm2_s: f64,
    /// Conductivity from the GLS D (mS/cm).
    #[serde(rename = "conductivity_mS_cm")]
    pub conductivity_ms_cm: f64,
    /// Intercept of the fitted line (Å²).
    pub intercept_a2: f64,
    /// Number of fitted lags.
    pub n_lags: usize,
    /// Start of the fitted (diffusive) regime (fs).
    pub start_fs: f64,
}

impl DiffusionSummary {
    /// The summary of `report`, the analysis of the trajectory `file` with `settings`.
    pub fn new(
        file: impl Into<String>,
        report: &DiffusionReport,
        settings: &DiffusionSettings,
    ) -> Self {
        let r = report;
        DiffusionSummary {
            file: file.into(),
            species: r.species.clone(),
            temperature_k: r.temperature_k,
            n_diffusing: r.n_diffusing,
            n_frames: r.n_frames,
            frame_fs: settings.frame_fs,
            smoothed: settings.smoothing.name(),
            convention: settings.convention.name(),
            diffusivity_cm2_s: r.diffusivity_cm2_s,
            diffusivity_std_cm2_s: r.diffusivity_std_cm2_s,
            diffusivity_components_cm2_s: r.diffusivity_components_cm2_s,
            conductivity_ms_cm: r.conductivity_ms_cm,
            charge_diffusivity_cm2_s: r.charge_diffusivity_cm2_s,
            charge_conductivity_ms_cm: r.charge_conductivity_ms_cm,
            haven_ratio: r.haven_ratio,
            max_framework_displacement: r.max_framework_displacement,
            gls: r.gls.as_ref().map(|g| GlsSummary {
                diffusivity_cm2_s: g.diffusivity_cm2_s,
                std_cm2_s: g.std_cm2_s,
                conductivity_ms_cm: g.conductivity_ms_cm,
                intercept_a2: g.fit.intercept,
                n_lags: g.fit.n_points,
                start_fs: settings.gls.map_or(f64::NAN, |s| s.start_fs),
            }),
        }
    }
}

impl fmt::Display for DiffusionSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} atoms of {} over {} frames ({} fs apart) at {} K",
            self.file,
            self.n_diffusing,
            self.species,
            self.n_frames,
            self.frame_fs,
            self.temperature_k
        )?;
        writeln!(
            f,
            "D (pymatgen-compatible, smoothed={}) = {:.6e} cm²/s",
            self.smoothed, self.diffusivity_cm2_s
        )?;
        writeln!(
            f,
            "conductivity = {:.6} mS/cm, charge D = {:.6e} cm²/s, Haven ratio = {:.4}",
            self.conductivity_ms_cm, self.charge_diffusivity_cm2_s, self.haven_ratio
        )?;
        if let Some(g) = &self.gls {
            writeln!(
                f,
                "D (GLS, kinisi covariance, from {} fs) = {:.6e} ± {:.2e} cm²/s",
                g.start_fs, g.diffusivity_cm2_s, g.std_cm2_s
            )?;
        }
        Ok(())
    }
}

/// An Arrhenius fit of one group with D extrapolated to one temperature.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupFit {
    /// The group (formula), if the table has groups.
    pub group: Option<String>,
    /// Activation energy (eV).
    pub ea_ev: f64,
    /// Its standard error (eV).
    pub ea_std_ev: Option<f64>,
    /// Prefactor D₀ (units of the input D).
    #[serde(rename = "d0_cm2_s")]
    pub d0: f64,
    /// Standard error of ln D₀.
    pub ln_d0_std: Option<f64>,
    /// Number of temperatures.
    pub n_points: usize,
    /// Whether the fit was weighted by the D uncertainties.
    pub weighted: bool,
    /// Temperature of the extrapolation (K).
    pub temperature_k: f64,
    /// D extrapolated to `temperature_k`.
    #[serde(rename = "d_extrapolated_cm2_s")]
    pub d_extrapolated: f64,
    /// Its propagated standard error.
    #[serde(rename = "d_extrapolated_std_cm2_s")]
    pub d_extrapolated_std: Option<f64>,
}

impl GroupFit {
    /// The fit of `group` with D extrapolated to `temperature_k`.
    pub fn new(group: Option<String>, fit: &ArrheniusFit, temperature_k: f64) -> Result<Self> {
        let x = fit.extrapolate(temperature_k)?;
        Ok(GroupFit {
            group,
            ea_ev: fit.ea_ev,
            ea_std_ev: fit.ea_std_ev,
            d0: fit.d0,
            ln_d0_std: fit.ln_d0_std,
            n_points: fit.n_points,
            weighted: fit.weighted,
            temperature_k: x.temperature_k,
            d_extrapolated: x.d,
            d_extrapolated_std: x.d_std,
        })
    }
}

impl fmt::Display for GroupFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(g) = &self.group {
            write!(f, "{g}: ")?;
        }
        write!(f, "Ea = {:.4} ± ", self.ea_ev)?;
        match self.ea_std_ev {
            Some(s) => write!(f, "{s:.4}")?,
            None => f.write_str("n/a")?,
        }
        write!(
            f,
            " eV, D0 = {:.4e} cm²/s, D({} K) = {:.4e}",
            self.d0, self.temperature_k, self.d_extrapolated
        )?;
        if let Some(s) = self.d_extrapolated_std {
            write!(f, " ± {s:.2e}")?;
        }
        f.write_str(" cm²/s")
    }
}

/// The Arrhenius fits of a table, one per group, as `amorph arrhenius` reports them; a table
/// with one fit also has that fit's fields at the top level.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ArrheniusTable {
    /// The table (as named by the user).
    pub file: String,
    /// One fit per group.
    pub fits: Vec<GroupFit>,
    /// The only fit, when there is one.
    #[serde(flatten)]
    pub single: Option<GroupFit>,
}

impl ArrheniusTable {
    /// The fits of `file` (from [`crate::fit_groups`]), each extrapolated to `temperature_k`.
    /// A temperature that is not positive is an error.
    pub fn new(
        file: impl Into<String>,
        fits: Vec<(Option<String>, ArrheniusFit)>,
        temperature_k: f64,
    ) -> Result<Self> {
        let fits = fits
            .into_iter()
            .map(|(g, f)| GroupFit::new(g, &f, temperature_k))
            .collect::<Result<Vec<_>>>()?;
        let single = (fits.len() == 1).then(|| fits[0].clone());
        Ok(ArrheniusTable {
            file: file.into(),
            fits,
            single,
        })
    }
}

impl fmt::Display for ArrheniusTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fits.iter().try_for_each(|g| writeln!(f, "{g}"))
    }
}

/// One partial RDF with its first shell, as `amorph rdf` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RdfPairSummary {
    /// Pair label `A-B`.
    pub pair: String,
    /// g(r).
    pub g: Vec<f64>,
    /// Running coordination number.
    pub cn: Vec<f64>,
    /// Position of the first peak (Å).
    pub first_peak_a: Option<f64>,
    /// Distance the coordination number is read at (Å).
    pub cn_cutoff_a: Option<f64>,
    /// Coordination number at `cn_cutoff_a`.
    pub coordination: Option<f64>,
}

/// Partial RDFs on their common grid with first shells and coordination numbers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RdfSummary {
    /// Bin centres (Å).
    pub r: Vec<f64>,
    /// One entry per pair.
    pub pairs: Vec<RdfPairSummary>,
}

impl RdfSummary {
    /// The summary of `rdfs`, coordination numbers at `cn_cutoff` (Å) or, without one, at
    /// each pair's [`PartialRdf::first_minimum`].
    pub fn new(rdfs: &[PartialRdf], cn_cutoff: Option<f64>) -> Self {
        let pairs = rdfs
            .iter()
            .map(|r| {
                let cut = cn_cutoff.or_else(|| r.first_minimum());
                RdfPairSummary {
                    pair: r.label(),
                    g: r.g.clone(),
                    cn: r.cn.clone(),
                    first_peak_a: r.first_peak(),
                    cn_cutoff_a: cut,
                    coordination: cut.map(|c| r.coordination_at(c)),
                }
            })
            .collect();
        let r = rdfs.first().map(|x| x.r.clone()).unwrap_or_default();
        RdfSummary { r, pairs }
    }
}

impl fmt::Display for RdfSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.pairs {
            writeln!(
                f,
                "{:<8} first peak {:>6} Å, CN({}) = {}",
                p.pair,
                p.first_peak_a.map_or("-".into(), |p| format!("{p:.3}")),
                p.cn_cutoff_a.map_or("-".into(), |c| format!("{c:.2} Å")),
                p.coordination.map_or("-".into(), |c| format!("{c:.3}")),
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for RdfComparison {
    /// `R² = … over n pairs`, then one line per pair.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "R² = {:.4} over {} pairs", self.r2, self.per_pair.len())?;
        for (p, r2) in &self.per_pair {
            writeln!(f, "  {p:<8} R² = {r2:.4}")?;
        }
        Ok(())
    }
}

/// An [`RdfComparison`] of two named files, as `amorph rdf-compare` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NamedComparison {
    /// The reference file.
    pub a: String,
    /// The compared file.
    pub b: String,
    /// The comparison.
    #[serde(flatten)]
    pub comparison: RdfComparison,
}

impl fmt::Display for NamedComparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.comparison.fmt(f)
    }
}

/// Serialises (label, value) pairs as one map, label → value, in their order.
pub(crate) fn as_map<S: serde::Serializer>(
    pairs: &[(String, f64)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_parse_or_say_why() {
        let p: ElementPair = "Li-S".parse().unwrap();
        assert_eq!(<(Element, Element)>::from(p).1.symbol(), "S");
        assert_eq!(
            "LiS".parse::<ElementPair>().unwrap_err().to_string(),
            "expected A-B, e.g. Li-S"
        );
        assert!(matches!(
            "Li-Qq".parse::<ElementPair>(),
            Err(PairError::Element(_))
        ));
    }

    #[test]
    fn smoothing_names_round_trip() {
        for n in ["max", "constant", "none"] {
            assert_eq!(Smoothing::from_name(n, 30, 1000).unwrap().name(), n);
        }
        assert!(Smoothing::from_name("mean", 30, 1000).is_err());
    }

    #[test]
    fn one_fit_is_also_at_the_top_level() {
        let fit = crate::fit_arrhenius(&[600.0, 800.0], &[1e-6, 5e-6], None).unwrap();
        let t = ArrheniusTable::new("x", vec![(None, fit)], 300.0).unwrap();
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["fits"][0]["ea_ev"], v["ea_ev"]);
        assert!(t.to_string().contains("± n/a eV"));
        assert!(ArrheniusTable::new("x", vec![(None, fit)], 0.0).is_err());
    }
}
