//! The analysis stages: diffusion per temperature, the Arrhenius fit, features.

use crate::config::Config;
use crate::db::StageOutput;
use crate::quality::Quality;
use crate::{MorphError, Result};
use amorph_core::{Element, Structure, Trajectory};
use amorph_diffusion::{DiffusionSettings, Displacements, Drift, analyze, fit_arrhenius};
use amorph_features::{FeatureTable, Featurizer};
use serde_json::{Value, json};

/// Temperature at which the Arrhenius fit is extrapolated (K).
pub const ROOM_TEMPERATURE: f64 = 300.0;

/// Diffusion of the configured species in a production trajectory: pymatgen-compatible D
/// (smoothed max, framework drift removed) and the GLS D with σ. A composition without the
/// species gets a result that says so and no diffusion row.
pub(crate) fn diffusion(traj: &Trajectory, t: f64, config: &Config) -> Result<StageOutput> {
    let species = Element::from_symbol(&config.diffusing_species)?;
    if !traj.species().contains(&species) {
        return Ok(StageOutput {
            result: json!({"skipped": format!("no {species} in the cell")}),
            ..StageOutput::default()
        });
    }
    let disp =
        Displacements::from_trajectory(traj).map_err(|e| MorphError::Analysis(e.to_string()))?;
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
    let r = analyze(&disp, &settings).map_err(|e| MorphError::Analysis(e.to_string()))?;
    let report = json!({
        "species": species.symbol(),
        "temperature": t,
        "diffusivity_cm2_s": r.diffusivity_cm2_s,
        "diffusivity_std_cm2_s": r.diffusivity_std_cm2_s,
        "conductivity_mS_cm": r.conductivity_ms_cm,
        "charge_diffusivity_cm2_s": r.charge_diffusivity_cm2_s,
        "haven_ratio": r.haven_ratio,
        "gls": r.gls.as_ref().map(|g| json!({
            "diffusivity_cm2_s": g.diffusivity_cm2_s,
            "std_cm2_s": g.std_cm2_s,
        })),
        "frames": r.n_frames,
        "diffusing_atoms": r.n_diffusing,
    });
    Ok(StageOutput {
        result: report.clone(),
        diffusion: Some((t, report)),
        ..StageOutput::default()
    })
}

/// Arrhenius fit of ln D against 1/T over the anneal temperatures whose rows are trusted
/// (rows without a quality check, e.g. imported ones, count as trusted), weighted by the GLS σ
/// when every temperature has one, extrapolated to 300 K. The result lists the temperatures
/// left out and why.
pub(crate) fn arrhenius(rows: &[(f64, Value, Option<Quality>)]) -> Result<StageOutput> {
    let mut temps = Vec::new();
    let mut d = Vec::new();
    let mut sd = Vec::new();
    let mut excluded = Vec::new();
    for (t, r, q) in rows {
        if let Some(q) = q.as_ref().filter(|q| !q.trusted()) {
            excluded.push(json!({"temperature": t, "reason": q.note()}));
            continue;
        }
        let gls_d = r.pointer("/gls/diffusivity_cm2_s").and_then(Value::as_f64);
        let gls_s = r.pointer("/gls/std_cm2_s").and_then(Value::as_f64);
        let (dv, sv) = match (gls_d, gls_s) {
            (Some(dv), Some(sv)) if dv > 0.0 && sv > 0.0 => (dv, Some(sv)),
            _ => match r.get("diffusivity_cm2_s").and_then(Value::as_f64) {
                Some(dv) if dv > 0.0 => (dv, None),
                _ => continue,
            },
        };
        temps.push(*t);
        d.push(dv);
        sd.push(sv);
    }
    if temps.len() < 2 {
        return Ok(StageOutput {
            result: json!({
                "skipped": format!("{} trusted temperatures with a positive D; need 2", temps.len()),
                "excluded": excluded,
            }),
            ..StageOutput::default()
        });
    }
    let weights: Option<Vec<f64>> = sd.iter().copied().collect();
    let fit = fit_arrhenius(&temps, &d, weights.as_deref())
        .map_err(|e| MorphError::Analysis(e.to_string()))?;
    let room = fit
        .extrapolate(ROOM_TEMPERATURE)
        .map_err(|e| MorphError::Analysis(e.to_string()))?;
    let result = json!({
        "temperatures": temps,
        "diffusivities_cm2_s": d,
        "ea_ev": fit.ea_ev,
        "ea_std_ev": fit.ea_std_ev,
        "d0_cm2_s": fit.d0,
        "d300_cm2_s": room.d,
        "d300_std_cm2_s": room.d_std,
        "weighted": fit.weighted,
        "excluded": excluded,
    });
    Ok(StageOutput {
        result: result.clone(),
        arrhenius: Some(result),
        ..StageOutput::default()
    })
}

/// The features (by default the paper's Table 1 columns) of a structure at temperature `t`.
pub(crate) fn features(s: &Structure, t: f64, featurizer: &dyn Featurizer) -> Result<StageOutput> {
    let table = FeatureTable::from_structures(featurizer, &[s.wrapped()], Some(t))
        .map_err(|e| MorphError::Analysis(e.to_string()))?;
    let row = table.to_json()["rows"][0].clone();
    Ok(StageOutput {
        result: json!({"columns": table.names().len()}),
        features: Some((t, row)),
        ..StageOutput::default()
    })
}
