//! Fuzz target: `amorph_sisso::Config::from_toml` (the `--config` TOML of `amorph sisso`),
//! then the settings and the dataset it describes (operators, `funit` groups, `units`
//! expressions) over a small fixed table: Ok or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const TABLE: &str =
    "id y a b c d\n0 1.0 2.0 3.0 4.0 5.0\n1 2.0 3.0 1.0 0.5 7.0\n2 3.5 1.0 2.5 1.5 2.0\n";

fuzz_target!(|data: &[u8]| {
    static T: OnceLock<amorph_sisso::Table> = OnceLock::new();
    let table = T.get_or_init(|| amorph_sisso::Table::parse(TABLE, "fixed").unwrap());
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = amorph_sisso::Config::from_toml(text) else {
        return;
    };
    let _ = config.effective_rung();
    let _ = config.effective_complexity();
    for dim in 1..=config.max_dim.min(8) {
        let _ = config.subspace_for(dim);
    }
    let target = config.target.clone().unwrap_or_else(|| "y".into());
    if let Ok(sisso) = amorph_sisso::Sisso::new(config.clone()) {
        let _ = sisso.space_options();
    }
    let _ = amorph_sisso::Dataset::from_table(table, &target, &config);
});
