//! Writing tables that the reader reads back as they were.

use crate::split::Separator;
use std::borrow::Cow;
use std::io::{self, Write};

/// A field as written in `separator`'s dialect: quoted (with `"` doubled) when it would not
/// read back as itself, otherwise unchanged.
///
/// Both dialects quote a field holding `"`. [`Separator::Comma`] also quotes one holding a comma or a line break, or
/// with whitespace at either end; [`Separator::Whitespace`] (and [`Separator::Loose`], written
/// as whitespace) one that is empty or holds any whitespace. Line breaks are quoted but cannot
/// be read back: tables are read line by line. ([`write_table`] also quotes a line's first
/// field when it starts with `#`, which would make the line a comment.)
///
/// ```
/// use amorph_table::{Separator, quote_field};
/// assert_eq!(quote_field("Li2O", Separator::Comma), "Li2O");
/// assert_eq!(quote_field("a, b", Separator::Comma), "\"a, b\"");
/// assert_eq!(quote_field("Unnamed: 0", Separator::Whitespace), "\"Unnamed: 0\"");
/// assert_eq!(quote_field("say \"hi\"", Separator::Comma), "\"say \"\"hi\"\"\"");
/// ```
pub fn quote_field(field: &str, separator: Separator) -> Cow<'_, str> {
    let quote = field.contains('"')
        || match separator {
            Separator::Comma => field.contains([',', '\n', '\r']) || field.trim() != field,
            Separator::Whitespace | Separator::Loose => {
                field.is_empty() || field.contains(char::is_whitespace)
            }
        };
    if quote {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// Writes a header line of `names`, then one line per row, in `separator`'s dialect, so that
/// [`Table::parse`](crate::Table::parse) reads back the same names and cells (fields without
/// line breaks). Rows must be as long as `names`, and there must be a column: otherwise an
/// [`io::ErrorKind::InvalidInput`] error and nothing written.
///
/// The reader takes its dialect from the header, so the dialect written is the one it will
/// read: a single column, or [`Separator::Whitespace`] asked for (or [`Separator::Loose`]), is
/// whitespace-separated, unless a name holds a comma; then the table is comma-separated.
///
/// ```
/// use amorph_table::{Separator, Table, write_table};
///
/// let rows = [vec!["0", "Li F", "1e-6"], vec!["1", "", "2e-6"]];
/// let mut out = Vec::new();
/// write_table(&mut out, &["id", "formula", "d"], &rows, Separator::Whitespace)?;
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(text, "id formula d\n0 \"Li F\" 1e-6\n1 \"\" 2e-6\n");
/// let t = Table::parse(&text, "<written>")?;
/// assert_eq!(t.rows()[0], ["0", "Li F", "1e-6"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_table<W, N, S, R>(
    mut w: W,
    names: &[N],
    rows: &[R],
    separator: Separator,
) -> io::Result<()>
where
    W: Write,
    N: AsRef<str>,
    S: AsRef<str>,
    R: AsRef<[S]>,
{
    let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
    if names.is_empty() {
        return Err(invalid("a table needs at least one column".into()));
    }
    if let Some(k) = rows.iter().position(|r| r.as_ref().len() != names.len()) {
        return Err(invalid(format!(
            "row {k} has {} fields, the header {}",
            rows[k].as_ref().len(),
            names.len()
        )));
    }
    let comma = names.iter().any(|n| n.as_ref().contains(','))
        || (separator == Separator::Comma && names.len() > 1);
    let (dialect, sep) = if comma {
        (Separator::Comma, ",")
    } else {
        (Separator::Whitespace, " ")
    };
    writeln!(w, "{}", line(names, dialect, sep))?;
    for r in rows {
        writeln!(w, "{}", line(r.as_ref(), dialect, sep))?;
    }
    Ok(())
}

/// One line of quoted fields.
fn line<S: AsRef<str>>(fields: &[S], dialect: Separator, sep: &str) -> String {
    if fields.len() == 1 && fields[0].as_ref().is_empty() {
        return "\"\"".to_string(); // not a blank line
    }
    let quoted: Vec<Cow<'_, str>> = fields
        .iter()
        .enumerate()
        .map(|(k, f)| match quote_field(f.as_ref(), dialect) {
            // A first field `#…` would make the line a comment.
            Cow::Borrowed(b) if k == 0 && b.starts_with('#') => Cow::Owned(format!("\"{b}\"")),
            q => q,
        })
        .collect();
    quoted.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Table;

    fn written(names: &[&str], rows: &[Vec<&str>], separator: Separator) -> String {
        let mut out = Vec::new();
        write_table(&mut out, names, rows, separator).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn dialect_follows_what_the_reader_will_see() {
        assert_eq!(
            written(&["a", "b"], &[vec!["1", "2"]], Separator::Comma),
            "a,b\n1,2\n"
        );
        // One column: the header has no comma, so the reader splits on whitespace.
        assert_eq!(
            written(&["a"], &[vec!["x y"]], Separator::Comma),
            "a\n\"x y\"\n"
        );
        // A comma in a name makes the header comma-separated whatever was asked.
        assert_eq!(
            written(&["a,b", "c"], &[vec!["", "x y"]], Separator::Whitespace),
            "\"a,b\",c\n,x y\n"
        );
        assert_eq!(
            written(&["a,b"], &[vec![""]], Separator::Comma),
            "\"a,b\"\n\"\"\n"
        );
        assert_eq!(
            written(
                &["a", "b"],
                &[vec!["#1", " #x"], vec!["1", "#"]],
                Separator::Comma
            ),
            "a,b\n\"#1\",\" #x\"\n1,#\n"
        );
        for text in [
            written(&["a,b", "c"], &[vec!["", "x y"]], Separator::Whitespace),
            written(&["a,b"], &[vec![""]], Separator::Comma),
        ] {
            let t = Table::parse(&text, "w").unwrap();
            assert_eq!(t.rows().len(), 1, "{text}");
        }
    }

    #[test]
    fn bad_shapes_are_refused() {
        let mut out = Vec::new();
        let none: [&str; 0] = [];
        let e = write_table(&mut out, &none, &[none], Separator::Comma).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let e = write_table(&mut out, &["a", "b"], &[vec!["1"]], Separator::Comma).unwrap_err();
        assert_eq!(e.to_string(), "row 0 has 1 fields, the header 2");
        assert!(out.is_empty());
    }
}
