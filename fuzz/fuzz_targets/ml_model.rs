//! Fuzz target: the JSON model file of `amorph predict` (`TrainedModel`, what
//! `TrainedModel::load` parses), then what `amorph predict` does with it: predict a small
//! table with the model's feature columns and report importances. Ok or a typed error,
//! never a panic, a hang or an out-of-memory.
#![no_main]

use amorph_ml::{Regressor, Table, TrainedModel, predict_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(model) = TrainedModel::from_json(data, "fuzz-input") else {
        return;
    };
    let _ = model.model.importances();
    // A table holding the model's columns (deduplicated, cut to a sane width), three rows.
    let mut names: Vec<String> = vec!["id".into()];
    for f in model.features.iter().chain(std::iter::once(&model.target)) {
        let ok = !f.is_empty()
            && f.chars()
                .all(|c| c.is_ascii_graphic() && c != ',' && c != '"' && c != '#');
        if ok && !names.contains(f) && names.len() < 64 {
            names.push(f.clone());
        }
    }
    let mut text = names.join(" ");
    text.push('\n');
    for (r, v) in [0.5, -1.0, 3.0e3].iter().enumerate() {
        text.push_str(&r.to_string());
        for k in 1..names.len() {
            text.push_str(&format!(" {}", v * k as f64));
        }
        text.push('\n');
    }
    if let Ok(table) = Table::parse(&text, "fuzz-table") {
        let _ = predict_table(&model, &table);
    }
});
