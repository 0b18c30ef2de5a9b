//! Properties of the reader and the writer together: a table written by `write_table` reads
//! back equal in either dialect (quoted fields included), a field quoted alone splits back to
//! itself, and any text the reader accepts survives a write and a second read unchanged.

use amorph_table::{Separator, Table, quote_field, write_table};
use proptest::prelude::*;

/// Fields made of the characters that matter to the reader: separators of every dialect,
/// quotes, `#`, whitespace (tab, a non-breaking space, a Unicode line separator), letters,
/// digits and signs; empty fields too. No line breaks (tables are read line by line).
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,;\"#\t.eE+\\-\u{a0}\u{2028}]{0,8}",
        "[a-z]{1,6}",
        any::<f64>().prop_map(|x| x.to_string()),
    ]
}

fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (1usize..5, 1usize..6).prop_flat_map(|(cols, rows)| {
        (
            proptest::collection::vec(field(), cols),
            proptest::collection::vec(proptest::collection::vec(field(), cols), rows),
        )
    })
}

fn write(names: &[String], rows: &[Vec<String>], separator: Separator) -> String {
    let mut out = Vec::new();
    write_table(&mut out, names, rows, separator).unwrap();
    String::from_utf8(out).unwrap()
}

proptest! {
    #[test]
    fn written_tables_read_back_equal((names, rows) in table()) {
        for separator in [Separator::Comma, Separator::Whitespace] {
            let text = write(&names, &rows, separator);
            let t = Table::parse(&text, "<written>")
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(t.names(), &names[..], "{}", text);
            prop_assert_eq!(t.rows(), &rows[..], "{}", text);
            for j in 0..names.len() {
                let parsed: Option<Vec<f64>> = rows.iter().map(|r| r[j].parse().ok()).collect();
                match (t.numeric(j), parsed) {
                    (Some(a), Some(b)) => prop_assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits())),
                    (None, None) => {}
                    (a, b) => prop_assert!(false, "column {}: {:?} vs {:?}", j, a, b),
                }
            }
        }
    }

    #[test]
    fn a_quoted_field_splits_back_to_itself(f in field()) {
        prop_assert_eq!(Separator::Comma.split(&quote_field(&f, Separator::Comma)), vec![f.clone()]);
        let ws = quote_field(&f, Separator::Whitespace);
        prop_assert_eq!(Separator::Whitespace.split(&ws), vec![f.clone()]);
        // Two fields on a line, each quoted: both come back.
        let line = format!("{},{}", quote_field(&f, Separator::Comma), quote_field("x", Separator::Comma));
        prop_assert_eq!(Separator::Comma.split(&line), vec![f.clone(), "x".to_string()]);
    }

    #[test]
    fn what_the_reader_accepts_survives_a_write(text in "[a-z0-9 ,;\"#\t\n\r\u{a0}\u{85}]{0,80}") {
        if let Ok(t) = Table::parse(&text, "<any>") {
            for separator in [Separator::Comma, Separator::Whitespace] {
                let mut out = Vec::new();
                t.write(&mut out, separator).unwrap();
                let again = String::from_utf8(out).unwrap();
                let u = Table::parse(&again, "<rewritten>")
                    .map_err(|e| TestCaseError::fail(format!("{e}\n{again}")))?;
                prop_assert_eq!(u.names(), t.names());
                prop_assert_eq!(u.rows(), t.rows());
            }
        }
    }
}
