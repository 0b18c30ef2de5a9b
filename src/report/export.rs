//! A database's export ([`Database::export`](amorph_morph::Database::export)) as CSV, as `amorph export --csv` writes it.

use crate::error::Result;
use amorph_morph::db::ExportRow;
use amorph_table::{Separator, quote_field};
use serde_json::{Map, Value};

/// The rows of [`Database::export`](amorph_morph::Database::export) as CSV, as `amorph export --csv` writes them: one column per
/// field in the rows' field order (the features last, a feature missing from a row left empty),
/// then one line per row. Strings as they are, other values as JSON, null values empty; cells are
/// quoted as RFC 4180 asks ([`amorph_table::quote_field`]): quality notes hold commas.
pub fn export_csv(rows: &[ExportRow]) -> Result<String> {
    let maps = rows
        .iter()
        .map(|r| match serde_json::to_value(r)? {
            Value::Object(m) => Ok(m),
            _ => Err(<serde_json::Error as serde::ser::Error>::custom(
                "an export row did not serialise to an object",
            )
            .into()),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(maps_to_csv(&maps))
}

/// `rows` as CSV: a header with every key in the order first met, then one line per row.
fn maps_to_csv(rows: &[Map<String, Value>]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_the_order_first_met_and_commas_quoted() {
        let rows: Vec<Map<String, Value>> = vec![
            serde_json::from_str(r#"{"formula": "Li2O", "temperature": 1500.0}"#).unwrap(),
            serde_json::from_str(r#"{"formula": "LiF", "trusted": true, "note": "a, b"}"#).unwrap(),
        ];
        assert_eq!(
            maps_to_csv(&rows),
            "formula,temperature,trusted,note\nLi2O,1500.0,,\nLiF,,true,\"a, b\"\n"
        );
    }
}
