//! The analysis stages: diffusion per temperature, the Arrhenius fit, features.

use crate::Result;
use crate::config::Config;
use crate::db::StageOutput;
use crate::quality::Quality;
use crate::results::{
    ArrheniusFit, DiffusionSummary, Excluded, FeatureRow, FeaturesResult, GlsSummary, Skippable,
    StageResult,
};
use amorph_core::{Element, Structure, Trajectory};
use amorph_diffusion::{DiffusionSettings, Displacements, Drift, analyze, fit_arrhenius};
use amorph_features::{FeatureTable, Featurizer};

/// Temperature at which the Arrhenius fit is extrapolated (K).
pub const ROOM_TEMPERATURE: f64 = 300.0;

/// A finite number, or `None`.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Diffusion of the configured species in a production trajectory: pymatgen-compatible D
/// (smoothed max, framework drift removed) and the GLS D with σ. A composition without the
/// species gets a result that says so and no diffusion row.
pub(crate) fn diffusion(traj: &Trajectory, t: f64, config: &Config) -> Result<StageOutput> {
    let species = Element::from_symbol(&config.diffusing_species)?;
    if !traj.species().contains(&species) {
        return Ok(StageOutput::new(StageResult::Diffusion(
            Skippable::Skipped {
                skipped: format!("no {species} in the cell"),
                excluded: Vec::new(),
            },
        )));
    }
    let disp = Displacements::from_trajectory(traj)?;
    let mut settings = DiffusionSettings::new(species, t, traj.time_step_fs());
    // Short production runs: fit from a tenth of the run rather than pymatgen's fixed 1 ps.
    let run_fs = traj.time_step_fs() * traj.n_frames() as f64;
    settings.min_lag_fs = settings.min_lag_fs.min(0.1 * run_fs);
    if let Some(g) = settings.gls.as_mut() {
        g.start_fs = g.start_fs.min(0.1 * run_fs);
    }
    if traj.species().iter().all(|e| *e == species) {
        settings.drift = Drift::None;
    }
    let r = analyze(&disp, &settings)?;
    let summary = DiffusionSummary {
        species: species.symbol().to_string(),
        temperature: t,
        diffusivity_cm2_s: finite(r.diffusivity_cm2_s),
        diffusivity_std_cm2_s: finite(r.diffusivity_std_cm2_s),
        conductivity_ms_cm: finite(r.conductivity_ms_cm),
        charge_diffusivity_cm2_s: finite(r.charge_diffusivity_cm2_s),
        haven_ratio: finite(r.haven_ratio),
        gls: r.gls.as_ref().map(|g| GlsSummary {
            diffusivity_cm2_s: g.diffusivity_cm2_s,
            std_cm2_s: g.std_cm2_s,
        }),
        frames: Some(r.n_frames),
        diffusing_atoms: Some(r.n_diffusing),
        paper_d_mul_thousand: None,
        source: None,
    };
    let mut out = StageOutput::new(StageResult::Diffusion(Skippable::Done(summary.clone())));
    out.diffusion = Some(summary);
    Ok(out)
}

/// Arrhenius fit of ln D against 1/T over the anneal temperatures whose rows are trusted
/// (rows without a quality check, e.g. imported ones, count as trusted), weighted by the GLS σ
/// when every temperature has one, extrapolated to 300 K. The result lists the temperatures
/// left out and why.
pub(crate) fn arrhenius(rows: &[(DiffusionSummary, Option<Quality>)]) -> Result<StageOutput> {
    let mut temps = Vec::new();
    let mut d = Vec::new();
    let mut sd = Vec::new();
    let mut excluded = Vec::new();
    for (r, q) in rows {
        if let Some(q) = q.as_ref().filter(|q| !q.trusted()) {
            excluded.push(Excluded {
                temperature: r.temperature,
                reason: q.note(),
            });
            continue;
        }
        let (dv, sv) = match r.gls {
            Some(g) if g.diffusivity_cm2_s > 0.0 && g.std_cm2_s > 0.0 => {
                (g.diffusivity_cm2_s, Some(g.std_cm2_s))
            }
            _ => match r.diffusivity_cm2_s {
                Some(dv) if dv > 0.0 => (dv, None),
                _ => continue,
            },
        };
        temps.push(r.temperature);
        d.push(dv);
        sd.push(sv);
    }
    if temps.len() < 2 {
        return Ok(StageOutput::new(StageResult::Arrhenius(
            Skippable::Skipped {
                skipped: format!(
                    "{} trusted temperatures with a positive D; need 2",
                    temps.len()
                ),
                excluded,
            },
        )));
    }
    let weights: Option<Vec<f64>> = sd.iter().copied().collect();
    let fit = fit_arrhenius(&temps, &d, weights.as_deref())?;
    let room = fit.extrapolate(ROOM_TEMPERATURE)?;
    let result = ArrheniusFit {
        temperatures: temps,
        diffusivities_cm2_s: d,
        ea_ev: fit.ea_ev,
        ea_std_ev: fit.ea_std_ev,
        d0_cm2_s: fit.d0,
        d300_cm2_s: room.d,
        d300_std_cm2_s: room.d_std,
        weighted: fit.weighted,
        excluded,
        source: None,
    };
    let mut out = StageOutput::new(StageResult::Arrhenius(Skippable::Done(result.clone())));
    out.arrhenius = Some(result);
    Ok(out)
}

/// The features (by default the paper's Table 1 columns) of a structure at temperature `t`.
pub(crate) fn features(s: &Structure, t: f64, featurizer: &dyn Featurizer) -> Result<StageOutput> {
    let table = FeatureTable::from_structures(featurizer, &[s.wrapped()], Some(t))?;
    let row: FeatureRow = serde_json::from_value(table.to_json()["rows"][0].clone())?;
    let mut out = StageOutput::new(StageResult::Features(FeaturesResult {
        columns: table.names().len(),
    }));
    out.features = Some((t, row));
    Ok(out)
}
