//! Workflow configuration: TOML with presets, unknown keys rejected.

use crate::quality::QualitySettings;
use crate::{MorphError, Result};
use amorph_md::dynamics::ThermostatKind;
use amorph_md::potential::PotentialSpec;
use amorph_md::spec::{CalculatorSpec, CoulombKind};
use serde::{Deserialize, Serialize};

/// The settings of an MPMorph run. Every field has a default (the `paper` preset); a TOML file
/// may set any subset, and a key that is not a field is an error.
///
/// ```
/// use amorph_morph::Config;
/// let c = Config::from_toml_str("preset = \"demo\"\nproduction_steps = 500").unwrap();
/// assert_eq!(c.production_steps, 500);
/// assert!(Config::from_toml_str("productoin_steps = 500").is_err());
/// ```
// Grows with the workflow: start from a preset (`Config::paper()`, `demo()`, `smoke()`) or a
// TOML file and set fields, so that new settings do not break callers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// Minimum number of atoms per cell (mpmorph `target_atoms`, 100).
    pub target_atoms: usize,
    /// Minimum interatomic distance of the random packing (Å, PACKMOL tolerance 2.0).
    pub min_distance: f64,
    /// Master seed; each composition and stage derives its own stream from it.
    pub seed: u64,
    /// Where forces come from: a built-in potential by name or an i-PI client
    /// (`"ipi:unix:NAME"`). Default `"auto-zbl"`: the physical potential that covers the
    /// composition (Pedone for oxides, Tosi–Fumi for alkali halides) with its ZBL wall (the
    /// plain potentials let ions collapse in 5000 K melts); a composition none covers is
    /// refused before any MD. `"uff"` is a smoke-test potential, not physics.
    pub potential: CalculatorSpec,
    /// Electrostatics of the charged potentials: `"dsf"` (fast) or `"ewald"` (exact).
    pub coulomb: CoulombKind,
    /// Thermostat of every NVT run: `"nhc"`, `"csvr"`, `"langevin"`, `"berendsen"`.
    pub thermostat: ThermostatKind,
    /// MD time step (fs): 1 (MPMorph used 2 fs with VASP; see [`Config::paper`]).
    pub time_step_fs: f64,
    /// Melt temperature (K) of the liquid database (5000 K).
    pub melt_temperature: f64,
    /// Temperatures (K) of the multi-temperature database, each annealed from the melt.
    pub temperatures: Vec<f64>,
    /// Volume factors of the initial P(V) scan (0.8, 1.0, 1.2).
    pub scan_factors: Vec<f64>,
    /// Steps of every scan and convergence MD run (4000 = 4 ps; MPMorph 2000 × 2 fs).
    pub equilibration_steps: u64,
    /// Maximal extra scan points added beyond the bracket before giving up on the fit.
    pub max_extrapolations: usize,
    /// Maximal volume updates of the convergence loop (MPMorph's 15 rescales; amorph moves
    /// the volume by Newton steps on the measured P(ln V), β rescales where no slope is known).
    pub max_rescales: usize,
    /// Convergence: |time-averaged pressure| below this (kbar; MPMorph 5).
    pub pressure_tolerance_kbar: f64,
    /// Convergence: relative energy drift between the halves of a run below this (MPMorph 0.001).
    pub energy_drift_tolerance: f64,
    /// Volume rescale coefficient β of V·exp(β·P̄) (1/bar; MPMorph 5e-7), used when the
    /// measured P(V) gives no slope.
    pub rescale_beta_per_bar: f64,
    /// Include the kinetic (ideal-gas) term N k T / V in the pressure that the volume search
    /// drives to zero. Default **false**, as the paper's MPMorph did: it averaged VASP's
    /// "external pressure", which is the static (virial) part only. At 5000 K and
    /// ~12 Å³/atom the kinetic term is ~57 kbar, so with it the melt expands into a
    /// low-density supercritical fluid and the anneals start from far too large volumes; set
    /// true for thermodynamic P = 0 volumes (what ASE and LAMMPS report as pressure).
    pub kinetic_pressure: bool,
    /// Production steps at every temperature (20 000 = 20 ps; MPMorph 10 000 × 2 fs).
    pub production_steps: u64,
    /// Keep every n-th production frame for the diffusion analysis.
    pub frame_interval: u64,
    /// The diffusing species whose D(T) and Ea the workflow reports.
    pub diffusing_species: String,
    /// The thresholds that decide whether a row is plausible ([`crate::quality`]); a TOML
    /// `[quality]` table may set any of them.
    #[serde(default)]
    pub quality: QualitySettings,
}

impl Default for Config {
    fn default() -> Self {
        Self::paper()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetOnly {
    #[serde(default)]
    preset: Option<String>,
}

impl Config {
    /// The paper's settings in physical time: 5000 K melt, 2500/2000/1500/1000 K anneals,
    /// 4 ps equilibration runs, 20 ps production, MPMorph's convergence criteria. MPMorph ran
    /// VASP with 2 fs steps; amorph's classical potentials need 1 fs at 5000 K (measured: at
    /// 2 fs, 5 of 16 lithium oxide melts lost atoms within 21 steps), so the step is 1 fs and
    /// the step counts are doubled (4000 and 20 000), with a frame kept every 2 fs as in the
    /// paper.
    pub fn paper() -> Self {
        Config {
            target_atoms: 100,
            min_distance: 2.0,
            seed: 1,
            potential: CalculatorSpec::Potential(PotentialSpec::AUTO_ZBL),
            coulomb: CoulombKind::Dsf,
            thermostat: ThermostatKind::Nhc,
            time_step_fs: 1.0,
            melt_temperature: 5000.0,
            temperatures: vec![2500.0, 2000.0, 1500.0, 1000.0],
            scan_factors: vec![0.8, 1.0, 1.2],
            equilibration_steps: 4000,
            max_extrapolations: 5,
            max_rescales: 15,
            pressure_tolerance_kbar: 5.0,
            energy_drift_tolerance: 1e-3,
            rescale_beta_per_bar: 5e-7,
            kinetic_pressure: false,
            production_steps: 20_000,
            frame_interval: 2,
            diffusing_species: "Li".into(),
            quality: QualitySettings::default(),
        }
    }

    /// Small enough to run several compositions in minutes on 2 cores: the same stages,
    /// 1 fs steps (classical Pedone melts at 5000 K are not stable at 2 fs: measured ion
    /// collapse within 50 steps), 400-step equilibration runs, at most 8 volume updates, a
    /// looser 10 kbar tolerance (the pressure of a 400-step run of 100 atoms has a standard
    /// error of 2–6 kbar) and 3000-step (3 ps) production runs.
    pub fn demo() -> Self {
        Config {
            time_step_fs: 1.0,
            equilibration_steps: 400,
            max_rescales: 8,
            max_extrapolations: 4,
            pressure_tolerance_kbar: 10.0,
            energy_drift_tolerance: 5e-3,
            production_steps: 3000,
            frame_interval: 5,
            ..Self::paper()
        }
    }

    /// Seconds, not science: every stage of the workflow on a ~20-atom cell with a few hundred
    /// steps, one anneal temperature (1500 K after a 3000 K melt) and convergence tolerances
    /// so loose that the volume search stops at once. For checking an installation or a
    /// plug-in calculator end to end (the i-PI tests and `examples/ipi_recipe.rs` use it).
    pub fn smoke() -> Self {
        Config {
            target_atoms: 20,
            melt_temperature: 3000.0,
            temperatures: vec![1500.0],
            scan_factors: vec![0.9, 1.1],
            equilibration_steps: 50,
            max_extrapolations: 1,
            max_rescales: 1,
            pressure_tolerance_kbar: 1e6,
            energy_drift_tolerance: 1.0,
            production_steps: 200,
            frame_interval: 2,
            ..Self::demo()
        }
    }

    /// A named preset (`paper`, `demo`, `smoke`).
    pub fn preset(name: &str) -> Result<Self> {
        match name {
            "paper" => Ok(Self::paper()),
            "demo" => Ok(Self::demo()),
            "smoke" => Ok(Self::smoke()),
            other => Err(MorphError::Config(format!(
                "unknown preset '{other}' (known: paper, demo, smoke)"
            ))),
        }
    }

    /// Parses TOML: an optional `preset = "..."` line chooses the base, other keys override it.
    pub fn from_toml_str(text: &str) -> Result<Self> {
        let mut table: toml::Table = toml::from_str(text)?;
        let preset = table.remove("preset");
        let base = match preset {
            Some(v) => {
                let p: PresetOnly =
                    toml::Value::Table(toml::Table::from_iter([("preset".to_string(), v)]))
                        .try_into()?;
                Self::preset(p.preset.as_deref().unwrap_or("paper"))?
            }
            None => Self::paper(),
        };
        let mut merged = toml::Table::try_from(&base)?;
        for (k, v) in table {
            if !merged.contains_key(&k) {
                return Err(MorphError::Config(format!("unknown key '{k}'")));
            }
            merged.insert(k, v);
        }
        let c: Config = toml::Value::Table(merged).try_into()?;
        c.validate()?;
        Ok(c)
    }

    /// Reads a TOML file (see [`Config::from_toml_str`]).
    pub fn from_file(path: &std::path::Path) -> Result<Self> {
        let file = |source: Box<dyn std::error::Error + Send + Sync>| MorphError::ConfigFile {
            path: path.to_path_buf(),
            source,
        };
        let text = std::fs::read_to_string(path).map_err(|e| file(e.into()))?;
        Self::from_toml_str(&text).map_err(|e| file(e.into()))
    }

    /// Checks ranges: positive steps and temperatures, sane factors.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str, why: &str| Err(MorphError::Config(format!("{what}: {why}")));
        // NaN fails every check: `positive` is false for it.
        let positive = |x: f64| x.is_finite() && x > 0.0;
        if !positive(self.time_step_fs) {
            return bad("time_step_fs", "must be > 0");
        }
        if !positive(self.melt_temperature) || self.temperatures.iter().any(|t| !positive(*t)) {
            return bad("temperatures", "must be > 0 K");
        }
        if self.scan_factors.len() < 2 || self.scan_factors.iter().any(|f| !positive(*f)) {
            return bad("scan_factors", "need at least two positive factors");
        }
        if self.equilibration_steps < 2 || self.production_steps < 2 {
            return bad(
                "steps",
                "equilibration_steps and production_steps must be ≥ 2",
            );
        }
        if matches!(self.thermostat, ThermostatKind::Nve) {
            return bad(
                "thermostat",
                "the workflow's runs are NVT: choose nhc, csvr, langevin, berendsen or rescale",
            );
        }
        if self.frame_interval == 0 {
            return bad("frame_interval", "must be ≥ 1");
        }
        if amorph_core::Element::from_symbol(&self.diffusing_species).is_err() {
            return bad("diffusing_species", "not an element symbol");
        }
        if !positive(self.min_distance) || self.target_atoms == 0 {
            return bad("packing", "min_distance and target_atoms must be positive");
        }
        if self.target_atoms > amorph_build::MAX_ATOMS {
            return bad(
                "target_atoms",
                &format!("at most {} atoms", amorph_build::MAX_ATOMS),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_unknown_keys() {
        assert_eq!(Config::from_toml_str("").unwrap(), Config::paper());
        assert_eq!(
            Config::from_toml_str("preset = \"demo\"").unwrap(),
            Config::demo()
        );
        let c = Config::from_toml_str("preset = \"demo\"\ntemperatures = [1200.0]").unwrap();
        assert_eq!(c.temperatures, vec![1200.0]);
        assert_eq!(c.production_steps, Config::demo().production_steps);
        let e = Config::from_toml_str("tempratures = [1200.0]").unwrap_err();
        assert!(e.to_string().contains("tempratures"), "{e}");
        assert!(Config::from_toml_str("preset = \"fast\"").is_err());
        assert!(Config::from_toml_str("time_step_fs = -1.0").is_err());
        assert!(Config::from_toml_str("time_step_fs = \"two\"").is_err());
        let c =
            Config::from_toml_str("potential = \"ipi:unix:li2o\"\nthermostat = \"csvr\"").unwrap();
        assert!(c.potential.is_ipi());
        assert_eq!(c.thermostat, ThermostatKind::Csvr);
        let e = Config::from_toml_str("potential = \"lj\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("lj") && e.contains("auto-zbl"), "{e}");
        let e = Config::from_toml_str("coulomb = \"pppm\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("pppm") && e.contains("dsf, ewald"), "{e}");
    }
}
