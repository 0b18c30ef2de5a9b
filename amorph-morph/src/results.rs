//! Typed results of the workflow's stages, stored as JSON in the database.
//!
//! Each stage writes one result ([`StageResult`]); the diffusion, Arrhenius and feature stages
//! also fill their own tables ([`DiffusionSummary`], [`ArrheniusFit`], [`FeatureRow`]). The
//! JSON forms are those of earlier versions of amorph, so databases written by them still
//! read (fields added since are optional).

use crate::eos::ZeroPressureVolume;
use crate::workflow::Stage;
use amorph_build::VolumeMethod;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// What the pack stage made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackResult {
    /// Atoms in the cell.
    pub atoms: usize,
    /// Cell volume (Å³).
    pub volume: f64,
    /// Density (g/cm³).
    pub density_g_cm3: f64,
    /// How the starting volume was estimated.
    pub volume_method: VolumeMethod,
    /// The packing's seed.
    pub seed: u64,
}

/// How the volume search chose V₀ from its scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum V0Method {
    /// A Birch–Murnaghan fit of the dense branch.
    BirchMurnaghan,
    /// Interpolation in ln V between the two points that bracket P = 0.
    BracketInterpolation,
    /// No bracket: the sampled volume with the smallest |P̄|.
    LowestPressureSample,
}

/// What the volume search did after a convergence run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VolumeStep {
    /// Converged.
    Done,
    /// Only the energy drift was off: the same volume again.
    Rerun,
    /// A Newton step on the measured P(ln V).
    Newton,
    /// MPMorph's rescale V·exp(β·P̄).
    BetaRescale,
}

/// One convergence run of the volume search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvergenceRun {
    /// Volume (Å³).
    pub volume: f64,
    /// Mean pressure of the last half (bar).
    pub pressure_bar: f64,
    /// Its standard error (bar).
    pub pressure_sem_bar: f64,
    /// Relative energy drift between the halves.
    pub drift: f64,
    /// What came next (absent in databases written before it was recorded).
    #[serde(default)]
    pub next: Option<VolumeStep>,
}

/// What a volume equilibration found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EquilibrationResult {
    /// The scan's (volume Å³, pressure bar) points.
    pub scan: Vec<(f64, f64)>,
    /// The P(V) fit over the whole scan, when one converged.
    pub fit: Option<ZeroPressureVolume>,
    /// The V₀ the convergence runs started from (Å³).
    #[serde(default)]
    pub v0: Option<f64>,
    /// How V₀ was chosen.
    #[serde(default)]
    pub v0_method: Option<V0Method>,
    /// Scan points added beyond the configured factors.
    pub extrapolations: usize,
    /// The convergence runs.
    pub convergence: Vec<ConvergenceRun>,
    /// Whether the tolerances were met.
    pub converged: bool,
    /// Why not, when not.
    #[serde(default)]
    pub reason: Option<String>,
    /// Mean pressure of the last run (bar).
    #[serde(default)]
    pub pressure_bar: Option<f64>,
    /// Its standard error (bar).
    #[serde(default)]
    pub pressure_sem_bar: Option<f64>,
    /// Energy drift of the last run.
    #[serde(default)]
    pub drift: Option<f64>,
    /// Final volume (Å³).
    pub volume: f64,
    /// Final density (g/cm³).
    pub density_g_cm3: f64,
}

/// What a production run did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductionResult {
    /// MD steps.
    pub steps: u64,
    /// Frames kept.
    pub frames: usize,
    /// Throughput.
    pub steps_per_second: f64,
    /// Mean pressure of the last half (bar).
    pub pressure_bar: f64,
}

/// The covariance-aware GLS diffusivity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GlsSummary {
    /// D (cm²/s).
    pub diffusivity_cm2_s: f64,
    /// σ(D) (cm²/s).
    pub std_cm2_s: f64,
}

/// The diffusion of one species at one temperature (a workflow's analysis, or an imported
/// table's value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffusionSummary {
    /// The diffusing species.
    pub species: String,
    /// Temperature (K).
    pub temperature: f64,
    /// Tracer D (cm²/s), pymatgen-compatible.
    pub diffusivity_cm2_s: Option<f64>,
    /// pymatgen's σ of that D (the fit's standard error, not an uncertainty).
    #[serde(default)]
    pub diffusivity_std_cm2_s: Option<f64>,
    /// Nernst–Einstein conductivity (mS/cm).
    #[serde(rename = "conductivity_mS_cm", default)]
    pub conductivity_ms_cm: Option<f64>,
    /// Charge diffusivity (cm²/s).
    #[serde(default)]
    pub charge_diffusivity_cm2_s: Option<f64>,
    /// Haven ratio.
    #[serde(default)]
    pub haven_ratio: Option<f64>,
    /// The GLS D ± σ.
    #[serde(default)]
    pub gls: Option<GlsSummary>,
    /// Frames analysed.
    #[serde(default)]
    pub frames: Option<usize>,
    /// Diffusing atoms.
    #[serde(default)]
    pub diffusing_atoms: Option<usize>,
    /// An imported row's value in the paper's convention (10⁻³ cm²/s, slope/2).
    #[serde(
        rename = "diff_coeff_mul_thousand",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub paper_d_mul_thousand: Option<f64>,
    /// An imported row's source table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A temperature left out of an Arrhenius fit, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    /// Temperature (K).
    pub temperature: f64,
    /// Why.
    pub reason: String,
}

/// An Arrhenius fit of D(T) over the trusted anneal temperatures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArrheniusFit {
    /// The temperatures fitted (K).
    pub temperatures: Vec<f64>,
    /// Their D (cm²/s).
    pub diffusivities_cm2_s: Vec<f64>,
    /// Activation energy (eV).
    pub ea_ev: f64,
    /// σ(Ea) (eV), when the fit is weighted or has enough points.
    pub ea_std_ev: Option<f64>,
    /// Prefactor D₀ (cm²/s).
    pub d0_cm2_s: f64,
    /// D extrapolated to 300 K (cm²/s).
    pub d300_cm2_s: f64,
    /// Its σ (cm²/s).
    pub d300_std_cm2_s: Option<f64>,
    /// Whether the fit was weighted by the GLS σ.
    pub weighted: bool,
    /// Temperatures left out, with the reason.
    #[serde(default)]
    pub excluded: Vec<Excluded>,
    /// An imported composition's source table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A stage's result, or why it was skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Skippable<T> {
    /// Skipped, with the reason (and, for the Arrhenius fit, the temperatures it left out).
    Skipped {
        /// Why.
        skipped: String,
        /// Temperatures left out.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        excluded: Vec<Excluded>,
    },
    /// The result.
    Done(T),
}

impl<T> Skippable<T> {
    /// The result, if not skipped.
    pub fn done(&self) -> Option<&T> {
        match self {
            Skippable::Done(t) => Some(t),
            Skippable::Skipped { .. } => None,
        }
    }
}

/// What a features stage wrote (the values are in the `features` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeaturesResult {
    /// Number of feature columns.
    pub columns: usize,
}

/// What a check stage decided (the checks are in the `quality` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Converged, plausible and physical.
    pub trusted: bool,
    /// `trusted`, or why not.
    pub note: String,
}

/// Where an imported composition came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportResult {
    /// Always `import`.
    pub kind: String,
    /// The table.
    pub source: String,
    /// How the table's D became the tracer D.
    pub diffusivity: String,
    /// The `runs` row of the import.
    pub run_id: i64,
    /// The temperatures imported (K).
    pub temperatures: Vec<f64>,
}

/// The result of any stage.
#[derive(Debug, Clone, PartialEq)]
pub enum StageResult {
    /// [`Stage::Pack`].
    Pack(PackResult),
    /// [`Stage::Equilibrate`].
    Equilibrate(EquilibrationResult),
    /// [`Stage::Production`].
    Production(ProductionResult),
    /// [`Stage::Diffusion`].
    Diffusion(Skippable<DiffusionSummary>),
    /// [`Stage::Arrhenius`].
    Arrhenius(Skippable<ArrheniusFit>),
    /// [`Stage::Features`].
    Features(FeaturesResult),
    /// [`Stage::Check`].
    Check(CheckResult),
    /// [`Stage::Import`].
    Import(ImportResult),
}

impl StageResult {
    /// The JSON form stored in the database.
    pub fn to_json(&self) -> serde_json::Result<String> {
        match self {
            StageResult::Pack(r) => serde_json::to_string(r),
            StageResult::Equilibrate(r) => serde_json::to_string(r),
            StageResult::Production(r) => serde_json::to_string(r),
            StageResult::Diffusion(r) => serde_json::to_string(r),
            StageResult::Arrhenius(r) => serde_json::to_string(r),
            StageResult::Features(r) => serde_json::to_string(r),
            StageResult::Check(r) => serde_json::to_string(r),
            StageResult::Import(r) => serde_json::to_string(r),
        }
    }

    /// Reads the stored JSON of `stage`'s result.
    pub fn from_json(stage: Stage, text: &str) -> serde_json::Result<Self> {
        Ok(match stage {
            Stage::Pack => StageResult::Pack(serde_json::from_str(text)?),
            Stage::Equilibrate(_) => StageResult::Equilibrate(serde_json::from_str(text)?),
            Stage::Production(_) => StageResult::Production(serde_json::from_str(text)?),
            Stage::Diffusion(_) => StageResult::Diffusion(serde_json::from_str(text)?),
            Stage::Arrhenius => StageResult::Arrhenius(serde_json::from_str(text)?),
            Stage::Features(_) => StageResult::Features(serde_json::from_str(text)?),
            Stage::Check(_) => StageResult::Check(serde_json::from_str(text)?),
            Stage::Import => StageResult::Import(serde_json::from_str(text)?),
        })
    }
}

/// One row of the paper's features: the value of each column (`None` where undefined) and,
/// for the undefined ones, why (the featurizer's tag, e.g. `no_lithium`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeatureRow {
    /// Column → value, in the featurizer's order.
    pub values: IndexMap<String, Option<f64>>,
    /// Column → why it is undefined.
    pub undefined: IndexMap<String, String>,
}

/// The keys of the stored feature JSON that are not feature columns.
const FEATURE_ROW_META: [&str; 4] = ["formula", "source", "temperature", "undefined"];

impl Serialize for FeatureRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.values.len() + 1))?;
        for (k, v) in &self.values {
            m.serialize_entry(k, v)?;
        }
        if !self.undefined.is_empty() {
            m.serialize_entry("undefined", &self.undefined)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for FeatureRow {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = IndexMap::<String, serde_json::Value>::deserialize(d)?;
        let mut row = FeatureRow::default();
        for (k, v) in map {
            if k == "undefined" {
                if let serde_json::Value::Object(tags) = v {
                    for (name, tag) in tags {
                        row.undefined
                            .insert(name, tag.as_str().unwrap_or_default().to_string());
                    }
                }
            } else if !FEATURE_ROW_META.contains(&k.as_str()) {
                match v {
                    serde_json::Value::Null => {
                        row.values.insert(k, None);
                    }
                    serde_json::Value::Number(n) => {
                        row.values.insert(k, n.as_f64());
                    }
                    // A non-numeric column is not a feature (labels of other tables).
                    _ => {}
                }
            }
        }
        Ok(row)
    }
}

impl FeatureRow {
    /// The value of a column, when defined.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.values.get(name).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_json_of_earlier_versions_reads() {
        // A diffusion result of schema version 1 and a skipped one.
        let d = r#"{"species":"Li","temperature":1000.0,"diffusivity_cm2_s":1e-5,"diffusivity_std_cm2_s":2e-8,
            "conductivity_mS_cm":12.0,"charge_diffusivity_cm2_s":3e-5,"haven_ratio":0.4,
            "gls":{"diffusivity_cm2_s":1.1e-5,"std_cm2_s":1e-6},"frames":600,"diffusing_atoms":68}"#;
        let r = StageResult::from_json(Stage::Diffusion(1000.0), d).unwrap();
        let StageResult::Diffusion(Skippable::Done(s)) = &r else {
            panic!("{r:?}")
        };
        assert_eq!(s.gls.unwrap().std_cm2_s, 1e-6);
        assert_eq!(s.conductivity_ms_cm, Some(12.0));
        let skipped =
            StageResult::from_json(Stage::Diffusion(5.0), r#"{"skipped":"no Li in the cell"}"#)
                .unwrap();
        assert!(matches!(
            skipped,
            StageResult::Diffusion(Skippable::Skipped { .. })
        ));
        // An equilibration of version 1: no reason, no v0 method.
        let e = r#"{"scan":[[100.0,1.0],[120.0,-1.0]],"fit":null,"extrapolations":0,
            "convergence":[{"volume":110.0,"pressure_bar":1.0,"pressure_sem_bar":2.0,"drift":0.001}],
            "converged":true,"volume":110.0,"density_g_cm3":2.0}"#;
        let StageResult::Equilibrate(e) =
            StageResult::from_json(Stage::Equilibrate(1000.0), e).unwrap()
        else {
            panic!()
        };
        assert!(e.converged && e.reason.is_none() && e.convergence[0].next.is_none());
        // Round trip of the current form.
        let again =
            StageResult::from_json(Stage::Diffusion(1000.0), &r.to_json().unwrap()).unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn feature_rows_keep_values_and_reasons() {
        let text = r#"{"formula":"Li2O","temperature":1000.0,"AAV":9.0,"LBI":null,"undefined":{"LBI":"no_bonds"}}"#;
        let row: FeatureRow = serde_json::from_str(text).unwrap();
        assert_eq!(row.get("AAV"), Some(9.0));
        assert_eq!(row.values.get("LBI"), Some(&None));
        assert_eq!(row.undefined["LBI"], "no_bonds");
        assert!(!row.values.contains_key("formula") && !row.values.contains_key("temperature"));
        let back: FeatureRow = serde_json::from_str(&serde_json::to_string(&row).unwrap()).unwrap();
        assert_eq!(back, row);
    }
}
