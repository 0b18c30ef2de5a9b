//! Fuzz target: `amorph_table` (the one table reader under `amorph train`, `predict`, `plot`,
//! `report`, `sisso`, `import` and `arrhenius`): splitting any line in every dialect and
//! parsing any text give fields or a typed error, never a panic; a table it reads, written
//! back in either dialect, reads back equal.
#![no_main]

use amorph_table::{Separator, Table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in amorph_table::lines(text) {
        for separator in [Separator::Comma, Separator::Whitespace, Separator::Loose] {
            let _ = separator.split(line.text);
        }
    }
    let Ok(t) = Table::parse(text, "fuzz-input") else {
        return;
    };
    for j in 0..t.n_columns() {
        let _ = t.text(j);
        let _ = t.numeric(j);
    }
    for separator in [Separator::Comma, Separator::Whitespace] {
        let mut out = Vec::new();
        t.write(&mut out, separator)
            .expect("a parsed table is rectangular");
        let again = std::str::from_utf8(&out).expect("written as UTF-8");
        let u = Table::parse(again, "rewritten").expect("a written table reads back");
        assert_eq!(u.names(), t.names(), "{again}");
        assert_eq!(u.rows(), t.rows(), "{again}");
    }
});
