//! A database's export ([`Database::export`]) as rows of JSON objects and as CSV, as
//! `amorph export` writes them.

use crate::error::Result;
use amorph_morph::Database;
use amorph_table::{Separator, quote_field};
use serde_json::{Map, Value};

/// One row per composition × temperature ([`Database::export`]), each a JSON object whose keys
/// are in the row's field order (the features last).
pub fn export_rows(db: &Database) -> Result<Vec<Map<String, Value>>> {
    db.export()?
        .into_iter()
        .map(|r| match serde_json::to_value(r)? {
            Value::Object(m) => Ok(m),
            _ => Err(<serde_json::Error as serde::ser::Error>::custom(
                "an export row did not serialise to an object",
            )
            .into()),
        })
        .collect()
}

/// `rows` as CSV: a header with every key in the order first met, then one line per row;
/// strings as they are, other values as JSON, missing and null values empty. Cells are quoted
/// as RFC 4180 asks ([`amorph_table::quote_field`]): quality notes hold commas.
///
/// ```
/// let rows: Vec<serde_json::Map<String, serde_json::Value>> = vec![
///     serde_json::from_str(r#"{"formula": "Li2O", "temperature": 1500.0}"#).unwrap(),
///     serde_json::from_str(r#"{"formula": "LiF", "trusted": true, "note": "a, b"}"#).unwrap(),
/// ];
/// assert_eq!(
///     amorph::report::export_csv(&rows),
///     "formula,temperature,trusted,note\nLi2O,1500.0,,\nLiF,,true,\"a, b\"\n"
/// );
/// ```
pub fn export_csv(rows: &[Map<String, Value>]) -> String {
    let mut columns: Vec<&String> = Vec::new();
    for k in rows.iter().flat_map(|r| r.keys()) {
        if !columns.contains(&k) {
            columns.push(k);
        }
    }
    let cell = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let line = |cells: &mut dyn Iterator<Item = String>| {
        let quoted: Vec<String> = cells
            .map(|c| quote_field(&c, Separator::Comma).into_owned())
            .collect();
        quoted.join(",") + "\n"
    };
    let mut csv = line(&mut columns.iter().map(|c| c.to_string()));
    for r in rows {
        csv.push_str(&line(&mut columns.iter().map(|c| cell(r.get(*c)))));
    }
    csv
}
