//! VASP POSCAR / CONTCAR.
//!
//! **Reading**: line 1 comment (kept as `info["comment"]`); scale: one number (a negative one
//! is the target cell volume in Å³) or three per-axis factors (VASP 6); three lattice rows;
//! the species line (VASP 5+; POTCAR labels such as `Na_pv/6a2f546d` give `Na`); counts (a
//! `!` comment ends them); optional `Selective dynamics` (flags read past); `Direct` or
//! `Cartesian` (first letter C/c/K/k); N coordinate lines; then, optionally, lattice
//! velocities (skipped) and a velocity block (blank line, `Cartesian` or `Direct` line, then
//! N lines; Cartesian velocities are Å/fs, direct ones lattice units per fs). Whatever follows
//! (CONTCAR predictor–corrector data) is ignored.
//!
//! A **VASP 4** file (no species line) is accepted when its comment line is exactly the list of
//! species (`Li O`), as ASE writes it; otherwise it is an [`Error::Parse`] that points to
//! [`read_with_species`].
//!
//! **Writing** follows ASE's `write_vasp(..., direct=True)`: the comment (`info["comment"]`,
//! or the species labels as ASE writes them), scale ` 1.0000000000000000`, lattice rows as
//! `{:21.16}` fields, species and counts per run of equal species (atoms are not reordered;
//! `Li O Li` stays three blocks), `Direct` fractional coordinates `{:19.16}` (not wrapped),
//! and, with velocities, a `Cartesian` block in Å/fs.

use super::text::{LineReader, element_from_label};
use super::{Frame, MAX_ATOMS_IN_FILE, PREALLOCATE, format_err, write_err};
use crate::element::Element;
use crate::error::{Error, Result};
use crate::lattice::Lattice;
use crate::structure::Structure;
use nalgebra::{Matrix3, Vector3};
use std::io::{BufRead, Write};

/// Reads one POSCAR/CONTCAR structure.
pub fn read(reader: impl BufRead, source_name: &str) -> Result<Frame> {
    let mut lr = LineReader::new(reader, source_name);
    read_body(&mut lr, None)
}

/// Reads a POSCAR whose species are given by the caller, one per count group (needed for VASP 4
/// files without a species line; for VASP 5 files the given species must match the file's).
pub fn read_with_species(
    reader: impl BufRead,
    source_name: &str,
    species: &[Element],
) -> Result<Frame> {
    let mut lr = LineReader::new(reader, source_name);
    read_body(&mut lr, Some(species))
}

/// The POSCAR lines 1–7 (comment, scale, lattice, species, counts).
pub(crate) struct Header {
    pub comment: String,
    pub lattice: Lattice,
    /// Factors applied to Cartesian coordinates along x, y, z (the file's scale, or the
    /// factor a negative scale — a volume — stands for).
    pub scale: [f64; 3],
    pub species: Vec<Element>,
}

/// Parses the header; the comment line is the current line of `lr` when `comment_read`.
pub(crate) fn read_header<R: BufRead>(
    lr: &mut LineReader<'_, R>,
    given: Option<&[Element]>,
    comment_read: bool,
) -> Result<Header> {
    if !comment_read {
        lr.expect("the comment line")?;
    }
    let comment = lr.line().to_string();
    lr.expect("the scaling factor")?;
    let toks: Vec<&str> = lr.line().split_ascii_whitespace().take(3).collect();
    let mut factors = Vec::with_capacity(3);
    for t in &toks {
        match super::text::parse_f64(t) {
            Some(v) => factors.push(v),
            None => break,
        }
    }
    if factors.is_empty() {
        return Err(lr.err(format!(
            "expected the scaling factor, found '{}'",
            lr.line().trim()
        )));
    }
    if factors.len() == 2 {
        factors.truncate(1);
    }
    let mut rows = [[0.0; 3]; 3];
    for row in &mut rows {
        lr.expect("a lattice vector")?;
        *row = lr.vec3("lattice vector")?;
    }
    let scale_line = lr.line_no() - 3;
    let scale: [f64; 3] = if factors.len() == 1 {
        let s = factors[0];
        let f = if s < 0.0 {
            let m = Matrix3::from_row_slice(&rows.concat());
            let det = m.determinant().abs();
            if det == 0.0 {
                return Err(Error::parse(
                    lr.name(),
                    scale_line,
                    "negative scale (target volume) with a zero-volume lattice",
                ));
            }
            (-s / det).cbrt()
        } else if s == 0.0 {
            return Err(Error::parse(
                lr.name(),
                scale_line,
                "scaling factor is zero",
            ));
        } else {
            s
        };
        [f; 3]
    } else {
        if factors.iter().any(|&f| f <= 0.0) {
            return Err(Error::parse(
                lr.name(),
                scale_line,
                "three scaling factors must all be positive",
            ));
        }
        [factors[0], factors[1], factors[2]]
    };
    for row in &mut rows {
        for k in 0..3 {
            row[k] *= scale[k];
        }
    }
    let lattice = Lattice::from_rows(rows).map_err(|e| lr.err(e.to_string()))?;

    lr.expect("the species or counts line")?;
    let first = lr.line().split_ascii_whitespace().next().unwrap_or("");
    let vasp5 = !first.is_empty() && first.parse::<u64>().is_err();
    let mut labels: Option<Vec<Element>> = None;
    if vasp5 {
        let mut v = Vec::new();
        for tok in lr.line().split_ascii_whitespace() {
            let label = tok.split('/').next().unwrap_or(tok);
            let label = label.split('_').next().unwrap_or(label);
            v.push(element_from_label(label).map_err(|e| lr.err(e))?);
        }
        labels = Some(v);
        lr.expect("the counts line")?;
    }
    let mut counts = Vec::new();
    for tok in lr.line().split_ascii_whitespace() {
        if tok.contains('!') || tok.starts_with('#') {
            break;
        }
        let c: usize = tok
            .parse()
            .ok()
            .filter(|&c| c <= MAX_ATOMS_IN_FILE)
            .ok_or_else(|| lr.err(format!("expected an atom count, found '{tok}'")))?;
        counts.push(c);
    }
    if counts.is_empty() {
        return Err(lr.err("no atom counts"));
    }
    let kinds: Vec<Element> = match (labels, given) {
        (Some(l), Some(g)) => {
            if l != g {
                return Err(lr.err(format!(
                    "file species {:?} differ from the given {:?}",
                    l.iter().map(|e| e.symbol()).collect::<Vec<_>>(),
                    g.iter().map(|e| e.symbol()).collect::<Vec<_>>()
                )));
            }
            l
        }
        (Some(l), None) => l,
        (None, Some(g)) => g.to_vec(),
        (None, None) => {
            // VASP 4: accept the comment line when it is exactly the species list.
            let words: Vec<&str> = comment.split_ascii_whitespace().collect();
            let from_comment: Option<Vec<Element>> = (words.len() == counts.len())
                .then(|| words.iter().map(|w| Element::from_symbol(w).ok()).collect())
                .flatten();
            from_comment.ok_or_else(|| {
                lr.err(
                    "VASP 4 file without a species line (and the comment line does not \
                     list the species); give them with poscar::read_with_species",
                )
            })?
        }
    };
    if kinds.len() != counts.len() {
        return Err(lr.err(format!(
            "{} species but {} counts",
            kinds.len(),
            counts.len()
        )));
    }
    // Each count is at most 10⁸; so is their sum (a header that claims more atoms than any
    // file holds is refused before anything is allocated for them).
    let total = counts
        .iter()
        .try_fold(0usize, |sum, &c| sum.checked_add(c))
        .filter(|&t| t <= MAX_ATOMS_IN_FILE)
        .ok_or_else(|| {
            lr.err(format!(
                "the atom counts add up to more than {MAX_ATOMS_IN_FILE} atoms"
            ))
        })?;
    let mut species = Vec::with_capacity(total.min(PREALLOCATE));
    for (e, c) in kinds.iter().zip(&counts) {
        species.extend(std::iter::repeat_n(*e, *c));
    }
    Ok(Header {
        comment,
        lattice,
        scale,
        species,
    })
}

/// True for a coordinate-mode line meaning Cartesian (first letter C/c/K/k).
pub(crate) fn is_cartesian(line: &str) -> bool {
    matches!(
        line.trim_start().chars().next(),
        Some('C' | 'c' | 'K' | 'k')
    )
}

fn read_body<R: BufRead>(lr: &mut LineReader<'_, R>, given: Option<&[Element]>) -> Result<Frame> {
    let h = read_header(lr, given, false)?;
    lr.expect("'Selective dynamics', 'Direct' or 'Cartesian'")?;
    if matches!(lr.line().trim_start().chars().next(), Some('S' | 's')) {
        lr.expect("'Direct' or 'Cartesian'")?;
    }
    let mode = lr.line().trim();
    if mode.is_empty() {
        return Err(lr.err("expected 'Direct' or 'Cartesian', found a blank line"));
    }
    let cartesian = is_cartesian(mode);
    let n = h.species.len();
    // Grown line by line: the header's count is a claim, not yet the file's content.
    let mut pos = Vec::with_capacity(n.min(PREALLOCATE));
    for i in 0..n {
        if !lr.advance()? {
            return Err(lr.eof_err(format!(
                "unexpected end of file: {n} atoms declared, {i} coordinate lines found"
            )));
        }
        let v = Vector3::from(lr.vec3("coordinate")?);
        pos.push(if cartesian {
            Vector3::new(v.x * h.scale[0], v.y * h.scale[1], v.z * h.scale[2])
        } else {
            h.lattice.to_cartesian(&v)
        });
    }
    let velocities = read_velocities(lr, &h.lattice, n)?;
    let structure = Structure::new(h.lattice, h.species, pos).map_err(|e| lr.err(e.to_string()))?;
    let mut frame = Frame::new(structure);
    frame.velocities = velocities;
    if !h.comment.trim().is_empty() {
        frame.info.insert("comment".into(), h.comment);
    }
    Ok(frame)
}

fn read_velocities<R: BufRead>(
    lr: &mut LineReader<'_, R>,
    lattice: &Lattice,
    n: usize,
) -> Result<Option<Vec<Vector3<f64>>>> {
    if !lr.advance()? {
        return Ok(None);
    }
    if matches!(lr.line().trim_start().chars().next(), Some('L' | 'l')) {
        // Lattice velocities: init state, 3 velocities, 3 vectors, then a separator line.
        for _ in 0..7 {
            if !lr.advance()? {
                return Ok(None);
            }
        }
        if !lr.advance()? {
            return Ok(None);
        }
    }
    let mut cartesian = true;
    let first = lr.line().trim_start().chars().next();
    match first {
        None => {
            if !lr.advance()? {
                return Ok(None);
            }
        }
        Some(c) if c.is_ascii_alphabetic() => {
            cartesian = is_cartesian(lr.line());
            if !lr.advance()? {
                return Ok(None);
            }
        }
        Some(_) => {}
    }
    if lr.line().split_ascii_whitespace().count() < 3 {
        return Ok(None); // predictor-corrector block or nothing
    }
    let mut v = Vec::with_capacity(n.min(PREALLOCATE));
    for i in 0..n {
        if i > 0 && !lr.advance()? {
            return Err(lr.eof_err(format!(
                "unexpected end of file in the velocity block: {i} of {n} lines"
            )));
        }
        let x = Vector3::from(lr.vec3("velocity")?);
        v.push(if cartesian {
            x
        } else {
            lattice.to_cartesian(&x)
        });
    }
    Ok(Some(v))
}

/// Runs of equal species: `[(Li, 2), (O, 1), (Li, 1)]`.
pub(crate) fn species_runs(species: &[Element]) -> Vec<(Element, usize)> {
    let mut runs: Vec<(Element, usize)> = Vec::new();
    for &e in species {
        match runs.last_mut() {
            Some((last, c)) if *last == e => *c += 1,
            _ => runs.push((e, 1)),
        }
    }
    runs
}

/// ASE's default POSCAR label: species of each run, each padded to two characters.
pub(crate) fn label(runs: &[(Element, usize)]) -> String {
    runs.iter()
        .map(|(e, _)| format!("{:<2}", e.symbol()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The species and counts lines, as ASE writes them (` Li  O  ` / `   2   1`).
pub(crate) fn species_counts_lines(runs: &[(Element, usize)]) -> String {
    let sym: Vec<String> = runs
        .iter()
        .map(|(e, _)| format!("{:<3}", e.symbol()))
        .collect();
    let cnt: Vec<String> = runs.iter().map(|(_, c)| format!("{c:3}")).collect();
    format!(" {}\n {}\n", sym.join(" "), cnt.join(" "))
}

/// Checks that a comment can be written on one line.
pub(crate) fn comment_line(frame: &Frame, runs: &[(Element, usize)]) -> Result<String> {
    match frame.info.get("comment") {
        Some(c) if c.contains(['\n', '\r']) => Err(format_err(
            "info[\"comment\"] has a line break and cannot be a POSCAR comment line",
        )),
        Some(c) => Ok(c.clone()),
        None => Ok(label(runs)),
    }
}

/// Writes one structure as ASE's `write_vasp(direct=True)` does (see the module docs).
pub fn write(mut w: impl Write, frame: &Frame) -> Result<()> {
    frame.validate().map_err(format_err)?;
    let s = &frame.structure;
    if s.is_empty() {
        return Err(format_err("a POSCAR needs at least one atom"));
    }
    let runs = species_runs(s.species());
    let mut out = String::with_capacity(128 + 64 * s.len());
    out.push_str(&comment_line(frame, &runs)?);
    out.push('\n');
    out.push_str(&format!("{:19.16}\n", 1.0));
    for row in s.lattice().rows() {
        out.push_str(&format!(
            "  {:21.16} {:21.16} {:21.16}\n",
            row[0], row[1], row[2]
        ));
    }
    out.push_str(&species_counts_lines(&runs));
    out.push_str("Direct\n");
    w.write_all(out.as_bytes()).map_err(write_err)?;
    for p in s.positions() {
        let f = s.lattice().to_fractional(p);
        writeln!(w, " {:19.16} {:19.16} {:19.16}", f.x, f.y, f.z).map_err(write_err)?;
    }
    if let Some(v) = &frame.velocities {
        w.write_all(b"Cartesian\n").map_err(write_err)?;
        for x in v {
            writeln!(w, " {:19.16} {:19.16} {:19.16}", x.x, x.y, x.z).map_err(write_err)?;
        }
    }
    Ok(())
}
