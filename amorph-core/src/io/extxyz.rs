//! Extended XYZ, read and written as ASE 3.29 does (`ase/io/extxyz.py`), plus the libAtoms
//! variants.
//!
//! **Writing** reproduces ASE byte for byte for the data a [`Frame`] holds:
//!
//! ```text
//! 3
//! Lattice="4.0 0.0 0.0 0.5 4.0 0.0 0.0 0.1 5.0" Properties=species:S:1:pos:R:3:forces:R:3 step=10 energy=-12.5 stress="0.01 0.06 0.05 0.06 0.02 0.04 0.05 0.04 0.03" pbc="T T T"
//! Li       0.00000000       0.00000000       0.00000000       0.10000000       0.10000000       0.10000000
//! ```
//!
//! * `Lattice` = a, b, c concatenated; numbers in Python `str(float)` form ([`py_float`]).
//! * Per-atom columns: `species` (`%-2s`), `pos` (`%16.8f`), then, when the frame has
//!   velocities, `masses:R:1` and `momenta:R:3` (ASE units, amu·Å per ASE time unit, from our
//!   element masses, so ASE's `get_velocities()` returns our velocities exactly: it divides
//!   by the `masses` column), then `forces:R:3`.
//! * Key/value pairs: the frame's `info` (sorted by key; values quoted and escaped like ASE's
//!   `escape`), then `energy`, then `stress` (Voigt expanded to 9 numbers, Fortran order),
//!   then `pbc` (always).
//!
//! **Reading** follows ASE and the libAtoms extxyz specification:
//!
//! * keys bare or quoted; values bare, `"quoted"` / `'quoted'` (with `\"` escapes), `{old
//!   style}`, or new-style `[1, 2, 3]` / `[[..],[..],[..]]` arrays (stored in `info` as
//!   space-separated text, the old-style form); a key without `=` means `T`; blanks around
//!   `=` are allowed;
//! * `Lattice`, `Properties`, `pbc`, `energy`, `stress` are recognised case-insensitively;
//!   `pbc` accepts `T/F/True/False/true/false/TRUE/FALSE/1/0` and defaults to `T T T` with a
//!   `Lattice`, `F F F` without; `stress` may have 9 (3×3) or 6 (Voigt) numbers;
//! * without `Properties`, the columns are `species:S:1:pos:R:3`; a comment line that is not
//!   key/value text (unbalanced quotes) is kept whole under `info["comment"]`;
//! * per-atom columns understood: `species` (symbols, capitalised: `LI` → Li), `Z` (wins over
//!   `species`, as in ASE), `pos`, `forces` (also NEP's `force`), `momenta` (ASE units,
//!   divided by the `masses` column if present, else by our element masses), `velo`
//!   (libAtoms/QUIP velocities, taken as Å/fs), `masses`; other columns are checked for count
//!   and skipped;
//! * a frame **without `Lattice`** (a molecule) gets an orthorhombic box spanning the atoms
//!   plus 10 Å, with `pbc` false (a periodic direction without a lattice is an error); the
//!   writer always writes `Lattice`;
//! * blank lines between frames and at the end are skipped.

use super::text::{LineReader, SymbolCache, parse_f64, py_float};
use super::{Frame, MAX_ATOMS_IN_FILE, PREALLOCATE, format_err, write_err};
use crate::element::Element;
use crate::error::{Error, Result};
use crate::lattice::Lattice;
use crate::structure::Structure;
use crate::units::ASE_TIME_UNIT_IN_FS;
use nalgebra::Vector3;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// Reads every frame of an extxyz stream. `source_name` is used in error messages.
pub fn read(reader: impl BufRead, source_name: &str) -> Result<Vec<Frame>> {
    let mut lr = LineReader::new(reader, source_name);
    let mut frames = Vec::new();
    let mut cache = SymbolCache::default();
    while let Some(f) = read_frame(&mut lr, &mut cache)? {
        frames.push(f);
    }
    if frames.is_empty() {
        return Err(Error::parse(source_name, 0, "no frames found (empty file)"));
    }
    Ok(frames)
}

/// Reads only the first frame of an extxyz stream.
pub fn read_first(reader: impl BufRead, source_name: &str) -> Result<Frame> {
    let mut lr = LineReader::new(reader, source_name);
    read_frame(&mut lr, &mut SymbolCache::default())?
        .ok_or_else(|| Error::parse(source_name, 0, "no frames found (empty file)"))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Species,
    Z,
    Pos,
    Forces,
    Momenta,
    Velo,
    Masses,
    Skip,
}

struct Column {
    kind: Kind,
    ncols: usize,
}

fn parse_properties<R: BufRead>(lr: &LineReader<'_, R>, spec: &str) -> Result<Vec<Column>> {
    let fields: Vec<&str> = spec.split(':').collect();
    if fields.len() % 3 != 0 || fields.is_empty() {
        return Err(lr.err(format!(
            "Properties '{spec}' is not a list of name:type:columns triples"
        )));
    }
    let mut cols = Vec::with_capacity(fields.len() / 3);
    for t in fields.chunks(3) {
        let (name, ty, n) = (t[0], t[1], t[2]);
        if !matches!(ty, "R" | "I" | "S" | "L") {
            return Err(lr.err(format!(
                "Properties: unknown type '{ty}' for '{name}' (expected R, I, S or L)"
            )));
        }
        let ncols: usize = n
            .parse()
            .ok()
            .filter(|&c| (1..=1000).contains(&c))
            .ok_or_else(|| lr.err(format!("Properties: bad column count '{n}' for '{name}'")))?;
        let (kind, want) = match name {
            "species" => (Kind::Species, "S:1"),
            "Z" => (Kind::Z, "I:1"),
            "pos" | "positions" => (Kind::Pos, "R:3"),
            "forces" | "force" => (Kind::Forces, "R:3"),
            "momenta" => (Kind::Momenta, "R:3"),
            "velo" => (Kind::Velo, "R:3"),
            "masses" => (Kind::Masses, "R:1"),
            _ => (Kind::Skip, ""),
        };
        if kind != Kind::Skip && format!("{ty}:{ncols}") != want {
            return Err(lr.err(format!(
                "Properties: '{name}' must be {want}, found {ty}:{ncols}"
            )));
        }
        cols.push(Column { kind, ncols });
    }
    if !cols.iter().any(|c| c.kind == Kind::Pos) {
        return Err(lr.err("Properties has no 'pos' column"));
    }
    if !cols
        .iter()
        .any(|c| matches!(c.kind, Kind::Species | Kind::Z))
    {
        return Err(lr.err("Properties has neither 'species' nor 'Z'"));
    }
    Ok(cols)
}

/// Splits a key/value comment line into pairs (values unquoted; bracketed arrays flattened
/// to space-separated text). `Err` when quotes or brackets are unbalanced.
pub(crate) fn parse_key_values(line: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    // Reads one token starting at i; `is_key` stops bare tokens at '='.
    let read_token = |i: &mut usize, is_key: bool| -> std::result::Result<String, String> {
        let mut s = String::new();
        match chars.get(*i) {
            Some(&q @ ('"' | '\'')) => {
                *i += 1;
                loop {
                    match chars.get(*i) {
                        None => return Err(format!("unterminated {q}-quoted text")),
                        Some('\\') => {
                            if let Some(&c) = chars.get(*i + 1) {
                                s.push(c);
                            }
                            *i += 2;
                        }
                        Some(&c) if c == q => {
                            *i += 1;
                            break;
                        }
                        Some(&c) => {
                            s.push(c);
                            *i += 1;
                        }
                    }
                }
            }
            Some('{') => {
                *i += 1;
                loop {
                    match chars.get(*i) {
                        None => return Err("unterminated '{'".into()),
                        Some('}') => {
                            *i += 1;
                            break;
                        }
                        Some(&c) => {
                            s.push(c);
                            *i += 1;
                        }
                    }
                }
            }
            Some('[') => {
                let mut depth = 0usize;
                let mut in_quote: Option<char> = None;
                loop {
                    let Some(&c) = chars.get(*i) else {
                        return Err("unterminated '['".into());
                    };
                    *i += 1;
                    match (in_quote, c) {
                        (Some(q), c) if c == q => in_quote = None,
                        (Some(_), c) => s.push(c),
                        (None, '"' | '\'') => in_quote = Some(c),
                        (None, '[') => {
                            depth += 1;
                            s.push(' ');
                        }
                        (None, ']') => {
                            depth -= 1;
                            s.push(' ');
                            if depth == 0 {
                                break;
                            }
                        }
                        (None, ',') => s.push(' '),
                        (None, c) => s.push(c),
                    }
                }
                s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            _ => {
                while let Some(&c) = chars.get(*i) {
                    if c.is_whitespace() || (is_key && c == '=') {
                        break;
                    }
                    s.push(c);
                    *i += 1;
                }
            }
        }
        Ok(s)
    };
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let key = read_token(&mut i, true)?;
        skip_ws(&mut i);
        if chars.get(i) == Some(&'=') {
            i += 1;
            skip_ws(&mut i);
            let value = if i >= chars.len() {
                String::new()
            } else {
                read_token(&mut i, false)?
            };
            out.push((key, value));
        } else {
            if key.is_empty() {
                return Err("empty key".into());
            }
            out.push((key, "T".into()));
        }
    }
    Ok(out)
}

fn parse_bool(tok: &str) -> Option<bool> {
    match tok {
        "T" | "True" | "true" | "TRUE" | "1" => Some(true),
        "F" | "False" | "false" | "FALSE" | "0" => Some(false),
        _ => None,
    }
}

fn numbers(value: &str) -> Option<Vec<f64>> {
    value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(parse_f64)
        .collect()
}

struct Header {
    lattice: Option<Lattice>,
    pbc: Option<[bool; 3]>,
    columns: Vec<Column>,
    energy: Option<f64>,
    stress: Option<[f64; 6]>,
    info: BTreeMap<String, String>,
}

fn parse_header<R: BufRead>(lr: &LineReader<'_, R>, line: &str) -> Result<Header> {
    let mut h = Header {
        lattice: None,
        pbc: None,
        columns: Vec::new(),
        energy: None,
        stress: None,
        info: BTreeMap::new(),
    };
    let pairs = match parse_key_values(line.trim()) {
        Ok(p) => p,
        Err(_) => {
            h.info.insert("comment".into(), line.trim().to_string());
            Vec::new()
        }
    };
    let mut props: Option<String> = None;
    for (key, value) in pairs {
        match key.to_ascii_lowercase().as_str() {
            "lattice" => {
                let v = numbers(&value)
                    .filter(|v| v.len() == 9)
                    .ok_or_else(|| lr.err(format!("Lattice must be 9 numbers, found '{value}'")))?;
                let l = Lattice::from_rows([
                    [v[0], v[1], v[2]],
                    [v[3], v[4], v[5]],
                    [v[6], v[7], v[8]],
                ])
                .map_err(|e| lr.err(format!("Lattice: {e}")))?;
                h.lattice = Some(l);
            }
            "properties" => props = Some(value),
            "pbc" => {
                let toks: Option<Vec<bool>> = value.split_whitespace().map(parse_bool).collect();
                h.pbc = match toks.as_deref() {
                    Some([a, b, c]) => Some([*a, *b, *c]),
                    Some([a]) => Some([*a; 3]),
                    _ => {
                        return Err(lr.err(format!(
                            "pbc must be three of T/F (or one), found '{value}'"
                        )));
                    }
                };
            }
            "energy" => {
                h.energy =
                    Some(parse_f64(value.trim()).ok_or_else(|| {
                        lr.err(format!("energy must be a number, found '{value}'"))
                    })?);
            }
            "stress" => {
                let v = numbers(&value)
                    .ok_or_else(|| lr.err(format!("stress must be numbers, found '{value}'")))?;
                h.stress = Some(match v.len() {
                    // 3×3 in Fortran order (symmetric in practice): xx at 0, yy 4, zz 8,
                    // yz = (1,2) at 7, xz = (0,2) at 6, xy = (0,1) at 3.
                    9 => [v[0], v[4], v[8], v[7], v[6], v[3]],
                    6 => [v[0], v[1], v[2], v[3], v[4], v[5]],
                    n => {
                        return Err(lr.err(format!(
                            "stress must have 9 (3×3) or 6 (Voigt) numbers, found {n}"
                        )));
                    }
                });
            }
            _ => {
                h.info.insert(key, value);
            }
        }
    }
    h.columns = parse_properties(lr, props.as_deref().unwrap_or("species:S:1:pos:R:3"))?;
    Ok(h)
}

fn read_frame<R: BufRead>(
    lr: &mut LineReader<'_, R>,
    cache: &mut SymbolCache,
) -> Result<Option<Frame>> {
    if !lr.advance_non_blank()? {
        return Ok(None);
    }
    let count_tok = lr.line().split_ascii_whitespace().next().unwrap_or("");
    let n: usize = count_tok
        .parse()
        .ok()
        .filter(|&n| n <= MAX_ATOMS_IN_FILE)
        .ok_or_else(|| {
            lr.err(format!(
                "expected the number of atoms, found '{}'",
                lr.line().trim()
            ))
        })?;
    lr.expect("the extxyz comment line")?;
    let h = parse_header(lr, lr.line())?;
    let has_z = h.columns.iter().any(|c| c.kind == Kind::Z);
    let has = |k: Kind| h.columns.iter().any(|c| c.kind == k);
    let cap = n.min(PREALLOCATE);
    let mut species: Vec<Element> = Vec::with_capacity(cap);
    let mut pos: Vec<Vector3<f64>> = Vec::with_capacity(cap);
    let mut forces: Option<Vec<Vector3<f64>>> = has(Kind::Forces).then(|| Vec::with_capacity(cap));
    let mut momenta: Option<Vec<Vector3<f64>>> =
        has(Kind::Momenta).then(|| Vec::with_capacity(cap));
    let mut velo: Option<Vec<Vector3<f64>>> = has(Kind::Velo).then(|| Vec::with_capacity(cap));
    let mut masses: Option<Vec<f64>> = has(Kind::Masses).then(|| Vec::with_capacity(cap));
    let total: usize = h.columns.iter().map(|c| c.ncols).sum();

    for i in 0..n {
        if !lr.advance()? {
            return Err(lr.eof_err(format!(
                "unexpected end of file: frame declares {n} atoms, found {i}"
            )));
        }
        let line = lr.line();
        let mut toks = line.split_ascii_whitespace();
        let short = || {
            lr.err(format!(
                "atom {} has fewer values than the {total} columns of Properties",
                i + 1
            ))
        };
        for col in &h.columns {
            match col.kind {
                Kind::Species => {
                    let t = toks.next().ok_or_else(short)?;
                    if !has_z {
                        species.push(cache.get(t).map_err(|e| lr.err(e))?);
                    }
                }
                Kind::Z => {
                    let t = toks.next().ok_or_else(short)?;
                    let z: u8 = t
                        .parse()
                        .map_err(|_| lr.err(format!("Z must be an atomic number, found '{t}'")))?;
                    species.push(Element::from_z(z).map_err(|e| lr.err(e.to_string()))?);
                }
                Kind::Pos => pos.push(take3(lr, &mut toks, "position", short)?),
                Kind::Forces => {
                    let f = take3(lr, &mut toks, "force", short)?;
                    if let Some(fs) = forces.as_mut() {
                        fs.push(f);
                    }
                }
                Kind::Momenta => {
                    let p = take3(lr, &mut toks, "momentum", short)?;
                    if let Some(ps) = momenta.as_mut() {
                        ps.push(p);
                    }
                }
                Kind::Velo => {
                    let v = take3(lr, &mut toks, "velocity", short)?;
                    if let Some(vs) = velo.as_mut() {
                        vs.push(v);
                    }
                }
                Kind::Masses => {
                    let t = toks.next().ok_or_else(short)?;
                    let m = lr.f64(t, "mass")?;
                    if m <= 0.0 {
                        return Err(lr.err(format!("mass must be positive, found {m}")));
                    }
                    if let Some(ms) = masses.as_mut() {
                        ms.push(m);
                    }
                }
                Kind::Skip => {
                    for _ in 0..col.ncols {
                        toks.next().ok_or_else(short)?;
                    }
                }
            }
        }
        if toks.next().is_some() {
            return Err(lr.err(format!(
                "atom {} has more values than the {total} columns of Properties",
                i + 1
            )));
        }
    }

    let pbc = h.pbc.unwrap_or(if h.lattice.is_some() {
        [true; 3]
    } else {
        [false; 3]
    });
    let lattice = match h.lattice {
        Some(l) => l,
        None => {
            if pbc.iter().any(|&p| p) {
                return Err(Error::parse(
                    lr.name(),
                    lr.line_no().saturating_sub(n),
                    "pbc is periodic but no Lattice is given",
                ));
            }
            bounding_box(&pos).map_err(|e| Error::parse(lr.name(), lr.line_no(), e.to_string()))?
        }
    };
    let velocities = match (velo, momenta) {
        (Some(v), _) => Some(v),
        (None, Some(p)) => Some(
            p.iter()
                .enumerate()
                .map(|(i, p)| {
                    let m = masses.as_ref().map_or_else(|| species[i].mass(), |m| m[i]);
                    p / (m * ASE_TIME_UNIT_IN_FS)
                })
                .collect(),
        ),
        (None, None) => None,
    };
    let structure = Structure::with_pbc(lattice, species, pos, pbc)
        .map_err(|e| Error::parse(lr.name(), lr.line_no(), e.to_string()))?;
    Ok(Some(Frame {
        structure,
        energy: h.energy,
        forces,
        stress: h.stress,
        velocities,
        info: h.info,
    }))
}

fn take3<'a, R: BufRead>(
    lr: &LineReader<'_, R>,
    toks: &mut std::str::SplitAsciiWhitespace<'a>,
    what: &str,
    short: impl Fn() -> Error,
) -> Result<Vector3<f64>> {
    let mut v = Vector3::zeros();
    for k in 0..3 {
        let t = toks.next().ok_or_else(&short)?;
        v[k] = lr.f64(t, what)?;
    }
    Ok(v)
}

/// An orthorhombic box spanning the atoms plus 10 Å (for molecules without a Lattice).
fn bounding_box(pos: &[Vector3<f64>]) -> Result<Lattice> {
    let mut len = [10.0; 3];
    if let Some(first) = pos.first() {
        for (k, l) in len.iter_mut().enumerate() {
            let (lo, hi) = pos
                .iter()
                .fold((first[k], first[k]), |(a, b), p| (a.min(p[k]), b.max(p[k])));
            *l = hi - lo + 10.0;
        }
    }
    Lattice::orthorhombic(len[0], len[1], len[2])
}

/// ASE's `escape`: quote (and escape `"`) when the text has blanks, quotes or brackets.
/// Backslashes inside quotes are doubled too (ASE leaves them, which its own reader then
/// drops); text without backslashes is written exactly as ASE does.
fn escape(s: &str) -> String {
    if s.contains(['"', '\'', '{', '}', '[', ']'])
        || s.contains(char::is_whitespace)
        || s.is_empty()
    {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

const RESERVED: [&str; 5] = ["lattice", "properties", "pbc", "energy", "stress"];

/// Writes frames as ASE 3.29 would (see the module docs for the exact layout).
///
/// `info` keys that the reader treats specially (`Lattice`, `Properties`, `pbc`, `energy`,
/// `stress`, any case) are not written from `info`. A key or value containing a line break
/// is an [`Error::Format`].
pub fn write(mut w: impl Write, frames: &[Frame]) -> Result<()> {
    let mut line = String::with_capacity(1024);
    for frame in frames {
        frame.validate().map_err(format_err)?;
        let s = &frame.structure;
        let n = s.len();
        line.clear();
        line.push_str("Lattice=\"");
        let rows = s.lattice().rows();
        for (k, x) in rows.iter().flatten().enumerate() {
            if k > 0 {
                line.push(' ');
            }
            line.push_str(&py_float(*x));
        }
        line.push_str("\" Properties=species:S:1:pos:R:3");
        if frame.velocities.is_some() {
            line.push_str(":masses:R:1:momenta:R:3");
        }
        if frame.forces.is_some() {
            line.push_str(":forces:R:3");
        }
        for (k, v) in &frame.info {
            if RESERVED.contains(&k.to_ascii_lowercase().as_str()) {
                continue;
            }
            if k.contains(['\n', '\r', '=']) || v.contains(['\n', '\r']) || k.is_empty() {
                return Err(format_err(format!(
                    "info entry '{}' cannot be written on one extxyz comment line",
                    k.escape_debug()
                )));
            }
            line.push(' ');
            line.push_str(&escape(k));
            line.push('=');
            line.push_str(&escape(v));
        }
        if let Some(e) = frame.energy {
            line.push_str(" energy=");
            line.push_str(&py_float(e));
        }
        if let Some(st) = frame.stress {
            // Voigt (xx yy zz yz xz xy) → 3×3 in Fortran order.
            let full = [
                st[0], st[5], st[4], st[5], st[1], st[3], st[4], st[3], st[2],
            ];
            line.push_str(" stress=\"");
            for (k, x) in full.iter().enumerate() {
                if k > 0 {
                    line.push(' ');
                }
                line.push_str(&py_float(*x));
            }
            line.push('"');
        }
        let tf = |b: bool| if b { 'T' } else { 'F' };
        let p = s.pbc();
        line.push_str(&format!(" pbc=\"{} {} {}\"", tf(p[0]), tf(p[1]), tf(p[2])));
        writeln!(w, "{n}\n{line}").map_err(write_err)?;
        for i in 0..n {
            let r = s.positions()[i];
            let sp = s.species()[i];
            write!(
                w,
                "{:<2} {:16.8} {:16.8} {:16.8}",
                sp.symbol(),
                r.x,
                r.y,
                r.z
            )
            .map_err(write_err)?;
            if let Some(v) = &frame.velocities {
                let m = sp.mass();
                let p = v[i] * (m * ASE_TIME_UNIT_IN_FS);
                write!(w, " {:16.8} {:16.8} {:16.8} {:16.8}", m, p.x, p.y, p.z)
                    .map_err(write_err)?;
            }
            if let Some(f) = &frame.forces {
                let f = f[i];
                write!(w, " {:16.8} {:16.8} {:16.8}", f.x, f.y, f.z).map_err(write_err)?;
            }
            w.write_all(b"\n").map_err(write_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values() {
        let kv = parse_key_values(
            r#"Lattice="1 0 0 0 1 0 0 0 1" a=1 b = 2.5 flag c='x y' d={1 2} e=[1, 2, 3] f=[[1,2],[3,4]] g="q\"uote""#,
        )
        .unwrap();
        let m: BTreeMap<_, _> = kv.into_iter().collect();
        assert_eq!(m["Lattice"], "1 0 0 0 1 0 0 0 1");
        assert_eq!(m["a"], "1");
        assert_eq!(m["b"], "2.5");
        assert_eq!(m["flag"], "T");
        assert_eq!(m["c"], "x y");
        assert_eq!(m["d"], "1 2");
        assert_eq!(m["e"], "1 2 3");
        assert_eq!(m["f"], "1 2 3 4");
        assert_eq!(m["g"], "q\"uote");
        assert!(parse_key_values("a=\"open").is_err());
    }

    #[test]
    fn escape_like_ase() {
        assert_eq!(escape("abc"), "abc");
        assert_eq!(escape("melt quench"), "\"melt quench\"");
        assert_eq!(escape("a\"b"), "\"a\\\"b\"");
    }
}
