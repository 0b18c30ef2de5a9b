//! Lines and fields: which lines hold content, and how a line splits into fields.

/// How the fields of a line are separated.
///
/// Every dialect reads double quotes the same way: a `"` opens a quoted part of a field, in
/// which separators, `#` and whitespace are plain text and `""` stands for one `"`; the next
/// lone `"` closes it. A quoted part may sit anywhere in a field (`a"b c"d` is the one field
/// `ab cd`); a quote left open runs to the end of the line. Fields cannot hold line breaks
/// (tables are read line by line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Separator {
    /// Commas. Unquoted whitespace at the start and end of a field is dropped; empty fields
    /// count (`a,,b` has three fields, `a,` two).
    Comma,
    /// Runs of whitespace. `""` is an empty field.
    Whitespace,
    /// Runs of whitespace, commas and semicolons, mixed freely (`1000; 1e-6,2e-7` has three
    /// fields); empty fields are dropped, quoted or not. For hand-written tables of numbers,
    /// where a field is never empty: the Arrhenius tables of `amorph-diffusion`. The header
    /// dialects ([`Separator::of_header`]) never split on a semicolon.
    Loose,
}

impl Separator {
    /// The dialect of a table with this header line: [`Separator::Comma`] when the line holds
    /// a comma (anywhere, even between quotes), else [`Separator::Whitespace`].
    ///
    /// ```
    /// use amorph_table::Separator;
    /// assert_eq!(Separator::of_header("id,y,x"), Separator::Comma);
    /// assert_eq!(Separator::of_header("\"Unnamed: 0\" formula y"), Separator::Whitespace);
    /// ```
    pub fn of_header(header: &str) -> Separator {
        if header.contains(',') {
            Separator::Comma
        } else {
            Separator::Whitespace
        }
    }

    fn separates(self, c: char) -> bool {
        match self {
            Separator::Comma => c == ',',
            Separator::Whitespace => c.is_whitespace(),
            Separator::Loose => c.is_whitespace() || c == ',' || c == ';',
        }
    }

    /// Splits one line into its fields.
    ///
    /// ```
    /// use amorph_table::Separator;
    /// assert_eq!(Separator::Comma.split(" a , \"b, c\" ,"), ["a", "b, c", ""]);
    /// assert_eq!(Separator::Whitespace.split("\"Unnamed: 0\"  x \"\""), ["Unnamed: 0", "x", ""]);
    /// assert_eq!(Separator::Loose.split("1000; 1e-6,,2e-7"), ["1000", "1e-6", "2e-7"]);
    /// assert_eq!(Separator::Whitespace.split("\"say \"\"hi\"\"\""), ["say \"hi\""]);
    /// ```
    pub fn split(self, line: &str) -> Vec<String> {
        let mut fields = Vec::new();
        let mut field = Field::default();
        let mut in_quotes = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if in_quotes {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.text.push('"');
                    } else {
                        in_quotes = false;
                    }
                } else {
                    field.text.push(c);
                }
                field.kept = field.text.len();
            } else if c == '"' {
                in_quotes = true;
                field.quoted = true;
            } else if self.separates(c) {
                self.end_field(&mut fields, &mut field);
            } else if !(c.is_whitespace() && field.text.is_empty()) {
                // (Only the comma dialect gets here with whitespace: leading whitespace is
                // dropped, trailing whitespace when the field ends.)
                field.text.push(c);
            }
        }
        self.end_field(&mut fields, &mut field);
        fields
    }

    fn end_field(self, fields: &mut Vec<String>, field: &mut Field) {
        let Field { text, quoted, kept } = std::mem::take(field);
        match self {
            Separator::Comma => {
                let mut text = text;
                let end = text.trim_end().len().max(kept);
                text.truncate(end);
                fields.push(text);
            }
            Separator::Whitespace if quoted || !text.is_empty() => fields.push(text),
            Separator::Loose if !text.is_empty() => fields.push(text),
            Separator::Whitespace | Separator::Loose => {}
        }
    }
}

/// A field being read.
#[derive(Default)]
struct Field {
    text: String,
    /// Whether a quoted part was opened (so that `""` is a field).
    quoted: bool,
    /// Length of `text` up to the end of its last quoted part (never trimmed away).
    kept: usize,
}

/// A non-blank line of a text: its 1-based number and its text, trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the whole text (blank and comment lines counted).
    pub number: usize,
    /// The line without leading and trailing whitespace (never empty).
    pub text: &'a str,
}

impl Line<'_> {
    /// Whether this is a comment line: its first non-blank character is `#`.
    pub fn is_comment(&self) -> bool {
        self.text.starts_with('#')
    }
}

/// The non-blank lines of a text, numbered from 1, comment lines included
/// ([`Line::is_comment`]). Line breaks are `\n` or `\r\n`.
///
/// ```
/// let lines: Vec<_> = amorph_table::lines("# T D\n\n  1000 1e-6 \n").collect();
/// assert_eq!((lines[1].number, lines[1].text), (3, "1000 1e-6"));
/// assert!(lines[0].is_comment());
/// ```
pub fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let text = l.trim();
        (!text.is_empty()).then_some(Line {
            number: i + 1,
            text,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialects() {
        let ws = Separator::Whitespace;
        assert_eq!(ws.split("  a\tb  c "), ["a", "b", "c"]);
        assert_eq!(ws.split("a\"b c\"d e"), ["ab cd", "e"]);
        assert_eq!(ws.split("\" a \" b"), [" a ", "b"]);
        assert_eq!(ws.split("\"\" \"\""), ["", ""]);
        assert_eq!(ws.split("a,b;c"), ["a,b;c"]);
        assert_eq!(ws.split("a \"open b"), ["a", "open b"]);
        let c = Separator::Comma;
        assert_eq!(c.split("id, x ,y"), ["id", "x", "y"]);
        assert_eq!(c.split(",,"), ["", "", ""]);
        assert_eq!(c.split("\" a \" , b c ;d"), [" a ", "b c ;d"]);
        assert_eq!(c.split("\"\" x"), ["x"]);
        assert_eq!(c.split("\"a\"\"b\",\"\"\"\""), ["a\"b", "\""]);
        let l = Separator::Loose;
        assert_eq!(l.split(" 1000 ;\t1e-6,2 "), ["1000", "1e-6", "2"]);
        assert_eq!(l.split("\"\" \"Li F\";1"), ["Li F", "1"]);
        assert!(l.split(";,").is_empty());
    }

    #[test]
    fn lines_are_numbered_and_trimmed() {
        let v: Vec<_> = lines("a\r\n\n \t\n  # c\nb  ").collect();
        assert_eq!(v.len(), 3);
        assert_eq!((v[0].number, v[0].text, v[0].is_comment()), (1, "a", false));
        assert_eq!(
            (v[1].number, v[1].text, v[1].is_comment()),
            (4, "# c", true)
        );
        assert_eq!((v[2].number, v[2].text), (5, "b"));
    }
}
