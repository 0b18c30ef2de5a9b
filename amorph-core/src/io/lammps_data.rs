//! LAMMPS data files (`read_data`), `atomic` and `charge` atom styles, `units metal`.
//!
//! **Writing** ([`write()`]):
//!
//! * **Species → type mapping**: types are numbered 1, 2, … in the order of
//!   [`Options::species_order`] when given (it must contain every species of the structure;
//!   extra species get types too), otherwise in order of **first appearance** in the
//!   structure. The mapping is returned (`types[t - 1]` is the element of type `t`) and also
//!   written as `# Symbol` comments in the `Masses` section.
//! * **Cell**: LAMMPS needs **a** along x, **b** in the xy plane and **c** with positive z
//!   (lower-triangular rows `(lx,0,0) (xy,ly,0) (xz,yz,lz)`). The lattice is rotated into
//!   that form (lengths and angles kept) and positions are mapped through their fractional
//!   coordinates; the box starts at the origin. The `xy xz yz` line is written when a tilt is
//!   non-zero. A left-handed cell (negative determinant) cannot be rotated into it and is an
//!   [`Error::Format`]. Positions are not wrapped (LAMMPS wraps them on reading).
//! * Numbers are written in shortest round-trip form, so [`read`] gives back exactly the
//!   rotated structure.
//! * `Atoms # atomic` lines are `id type x y z`; `Atoms # charge` lines are
//!   `id type q x y z` with [`Options::charges`] (one per atom, e or 0 when absent).
//!   Velocities, when the frame has them, go to a `Velocities` section in Å/ps (metal units).
//!
//! **Reading** ([`read`]) understands what [`write()`] writes and most hand-made `atomic` /
//! `charge` files: header counts, box bounds and tilts, `Masses`, `Atoms` (style from the
//! `# atomic` / `# charge` hint, otherwise from the number of columns: 5 or 8 = atomic,
//! 6 or 9 = charge; image flags unwrap the positions), `Velocities` (Å/ps → Å/fs); other
//! sections are skipped. Elements come from the `Masses` comments, else from the masses
//! (nearest element within 0.1 amu), or from [`read_with_types`].

use super::text::{LineReader, element_from_label, py_float};
use super::{Frame, MAX_ATOMS_IN_FILE, format_err, write_err};
use crate::element::Element;
use crate::error::{Error, Result};
use crate::lattice::Lattice;
use crate::structure::Structure;
use nalgebra::Vector3;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// LAMMPS `atom_style` written or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AtomStyle {
    /// `id type x y z`.
    #[default]
    Atomic,
    /// `id type q x y z`.
    Charge,
}

impl AtomStyle {
    /// The LAMMPS name (`atomic`, `charge`).
    pub fn name(self) -> &'static str {
        match self {
            AtomStyle::Atomic => "atomic",
            AtomStyle::Charge => "charge",
        }
    }
}

/// Options of [`write()`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Atom style (default `atomic`).
    pub style: AtomStyle,
    /// Per-atom charges (e) for the `charge` style; zeros when `None`.
    pub charges: Option<Vec<f64>>,
    /// Order of the atom types (type 1 = first element); default: first appearance.
    pub species_order: Option<Vec<Element>>,
}

/// What [`read`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct LammpsData {
    /// The structure (and velocities, if the file has them).
    pub frame: Frame,
    /// Element of each type: `types[t - 1]` for type `t`.
    pub types: Vec<Element>,
    /// The atom style found.
    pub style: AtomStyle,
    /// Per-atom charges (charge style only), in the order of atom ids.
    pub charges: Option<Vec<f64>>,
}

/// The LAMMPS box of a lattice: `[lx, ly, lz, xy, xz, yz]`.
pub fn lammps_box(lattice: &Lattice) -> Result<[f64; 6]> {
    if lattice.matrix().determinant() <= 0.0 {
        return Err(format_err(
            "left-handed cell (negative determinant) cannot be rotated into LAMMPS's \
             lower-triangular form",
        ));
    }
    let m = lattice.matrix();
    if m[(0, 1)] == 0.0 && m[(0, 2)] == 0.0 && m[(1, 2)] == 0.0 {
        // Already in LAMMPS form: keep the numbers exactly (writing is idempotent).
        if m[(0, 0)] > 0.0 && m[(1, 1)] > 0.0 && m[(2, 2)] > 0.0 {
            return Ok([
                m[(0, 0)],
                m[(1, 1)],
                m[(2, 2)],
                m[(1, 0)],
                m[(2, 0)],
                m[(2, 1)],
            ]);
        }
    }
    let (a, b, c) = (lattice.vector(0), lattice.vector(1), lattice.vector(2));
    let lx = a.norm();
    let ahat = a / lx;
    let xy = b.dot(&ahat);
    let ly = (b.norm_squared() - xy * xy).max(0.0).sqrt();
    let xz = c.dot(&ahat);
    let yz = (b.dot(&c) - xy * xz) / ly;
    let lz = (c.norm_squared() - xz * xz - yz * yz).max(0.0).sqrt();
    Ok([lx, ly, lz, xy, xz, yz])
}

/// Writes a LAMMPS data file; returns the type → element mapping (`types[t - 1]`).
pub fn write(mut w: impl Write, frame: &Frame, options: &Options) -> Result<Vec<Element>> {
    frame.validate().map_err(format_err)?;
    let s = &frame.structure;
    let n = s.len();
    let mut types: Vec<Element> = match &options.species_order {
        Some(order) => {
            let mut t: Vec<Element> = Vec::new();
            for e in order {
                if !t.contains(e) {
                    t.push(*e);
                }
            }
            t
        }
        None => Vec::new(),
    };
    if options.species_order.is_some() {
        if let Some(missing) = s.species().iter().find(|e| !types.contains(e)) {
            return Err(format_err(format!(
                "species_order does not contain {}",
                missing.symbol()
            )));
        }
    } else {
        for e in s.species() {
            if !types.contains(e) {
                types.push(*e);
            }
        }
    }
    if let Some(q) = &options.charges {
        if q.len() != n {
            return Err(format_err(format!("{} charges for {n} atoms", q.len())));
        }
        if q.iter().any(|x| !x.is_finite()) {
            return Err(format_err("non-finite charge"));
        }
    }
    let [lx, ly, lz, xy, xz, yz] = lammps_box(s.lattice())?;
    let lower = Lattice::from_rows([[lx, 0.0, 0.0], [xy, ly, 0.0], [xz, yz, lz]])
        .map_err(|e| format_err(e.to_string()))?;
    let f = py_float;
    let mut out = String::with_capacity(256 + 80 * n);
    out.push_str(&format!(
        "# {} written by amorph (atom_style {}; units metal)\n\n",
        s.formula(),
        options.style.name()
    ));
    out.push_str(&format!("{n} atoms\n{} atom types\n\n", types.len()));
    out.push_str(&format!("0.0 {} xlo xhi\n", f(lx)));
    out.push_str(&format!("0.0 {} ylo yhi\n", f(ly)));
    out.push_str(&format!("0.0 {} zlo zhi\n", f(lz)));
    if xy != 0.0 || xz != 0.0 || yz != 0.0 {
        out.push_str(&format!("{} {} {} xy xz yz\n", f(xy), f(xz), f(yz)));
    }
    out.push_str("\nMasses\n\n");
    for (t, e) in types.iter().enumerate() {
        out.push_str(&format!("{} {} # {}\n", t + 1, f(e.mass()), e.symbol()));
    }
    out.push_str(&format!("\nAtoms # {}\n\n", options.style.name()));
    w.write_all(out.as_bytes()).map_err(write_err)?;
    for (i, (e, p)) in s.species().iter().zip(s.positions()).enumerate() {
        let t = types.iter().position(|x| x == e).unwrap_or(0) + 1;
        let r = lower.to_cartesian(&s.lattice().to_fractional(p));
        match options.style {
            AtomStyle::Atomic => writeln!(w, "{} {t} {} {} {}", i + 1, f(r.x), f(r.y), f(r.z)),
            AtomStyle::Charge => {
                let q = options.charges.as_ref().map_or(0.0, |q| q[i]);
                writeln!(w, "{} {t} {} {} {} {}", i + 1, f(q), f(r.x), f(r.y), f(r.z))
            }
        }
        .map_err(write_err)?;
    }
    if let Some(v) = &frame.velocities {
        w.write_all(b"\nVelocities\n\n").map_err(write_err)?;
        for (i, v) in v.iter().enumerate() {
            // Rotate like the positions: through the lattice's fractional frame.
            let r = lower.to_cartesian(&s.lattice().to_fractional(v)) * 1000.0;
            writeln!(w, "{} {} {} {}", i + 1, f(r.x), f(r.y), f(r.z)).map_err(write_err)?;
        }
    }
    Ok(types)
}

/// Reads a LAMMPS data file, taking elements from the `Masses` section (see module docs).
pub fn read(reader: impl BufRead, source_name: &str) -> Result<LammpsData> {
    read_impl(reader, source_name, None)
}

/// Reads a LAMMPS data file whose type `t` is the element `types[t - 1]`.
pub fn read_with_types(
    reader: impl BufRead,
    source_name: &str,
    types: &[Element],
) -> Result<LammpsData> {
    read_impl(reader, source_name, Some(types))
}

struct AtomLine {
    id: u64,
    ty: usize,
    q: Option<f64>,
    pos: Vector3<f64>,
    line: usize,
}

fn split_comment(line: &str) -> (&str, &str) {
    match line.split_once('#') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (line.trim(), ""),
    }
}

fn is_section(content: &str) -> bool {
    content
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
}

fn read_impl(
    reader: impl BufRead,
    source_name: &str,
    given: Option<&[Element]>,
) -> Result<LammpsData> {
    let mut lr = LineReader::new(reader, source_name);
    lr.expect("the title line")?;
    let mut n_atoms: Option<usize> = None;
    let mut n_types: Option<usize> = None;
    let mut bounds: [Option<(f64, f64)>; 3] = [None; 3];
    let mut tilt = [0.0; 3];
    // Header.
    let mut section: Option<(String, String)> = None;
    while lr.advance()? {
        let (content, comment) = split_comment(lr.line());
        if content.is_empty() {
            continue;
        }
        if is_section(content) {
            section = Some((content.to_string(), comment.to_string()));
            break;
        }
        let toks: Vec<&str> = content.split_ascii_whitespace().collect();
        let num = |i: usize| -> Result<f64> { lr.f64(toks[i], "header value") };
        match toks.as_slice() {
            [c, "atoms"] => {
                n_atoms = Some(
                    c.parse()
                        .ok()
                        .filter(|&c: &usize| c <= MAX_ATOMS_IN_FILE)
                        .ok_or_else(|| {
                            lr.err(format!("expected the number of atoms, found '{c}'"))
                        })?,
                )
            }
            [c, "atom", "types"] => {
                n_types = Some(c.parse().ok().filter(|&c: &usize| c <= 10_000).ok_or_else(
                    || lr.err(format!("expected the number of atom types, found '{c}'")),
                )?)
            }
            [_, _, lo, hi] if lo.len() == 3 && lo.ends_with("lo") && hi.ends_with("hi") => {
                let k = match lo.as_bytes()[0] {
                    b'x' => 0,
                    b'y' => 1,
                    b'z' => 2,
                    _ => return Err(lr.err(format!("unknown box bound '{lo}'"))),
                };
                let (a, b) = (num(0)?, num(1)?);
                if b <= a {
                    return Err(lr.err(format!("empty box: {lo} {a} ≥ {hi} {b}")));
                }
                bounds[k] = Some((a, b));
            }
            [_, _, _, "xy", "xz", "yz"] => tilt = [num(0)?, num(1)?, num(2)?],
            _ => {} // other header keywords (bonds, ellipsoids, ...) are not used
        }
    }
    let n = n_atoms.ok_or_else(|| lr.err("header has no 'N atoms' line"))?;
    let nt = n_types.ok_or_else(|| lr.err("header has no 'N atom types' line"))?;
    let mut lo_hi = [(0.0, 0.0); 3];
    for (k, b) in bounds.iter().enumerate() {
        lo_hi[k] = b.ok_or_else(|| {
            lr.err(format!(
                "header has no '{0}lo {0}hi' line",
                ["x", "y", "z"][k]
            ))
        })?;
    }

    let mut masses: BTreeMap<usize, (f64, Option<Element>)> = BTreeMap::new();
    let mut atoms: Vec<AtomLine> = Vec::new();
    let mut style: Option<AtomStyle> = None;
    let mut velocities: BTreeMap<u64, Vector3<f64>> = BTreeMap::new();
    while let Some((name, hint)) = section.take() {
        let expected = match name.as_str() {
            "Masses" => Some(nt),
            "Atoms" | "Velocities" => Some(n),
            _ => None,
        };
        let mut read = 0usize;
        while lr.advance()? {
            let (content, comment) = split_comment(lr.line());
            if content.is_empty() {
                continue;
            }
            if is_section(content) {
                section = Some((content.to_string(), comment.to_string()));
                break;
            }
            if expected.is_some_and(|e| read >= e) {
                return Err(lr.err(format!("{name} section has more than {read} lines")));
            }
            read += 1;
            let toks: Vec<&str> = content.split_ascii_whitespace().collect();
            match name.as_str() {
                "Masses" => {
                    if toks.len() < 2 {
                        return Err(lr.err("Masses line needs 'type mass'"));
                    }
                    let t = type_id(&lr, toks[0], nt)?;
                    let m = lr.f64(toks[1], "mass")?;
                    if m <= 0.0 {
                        return Err(lr.err(format!("mass must be positive, found {m}")));
                    }
                    let sym = comment
                        .split_ascii_whitespace()
                        .next()
                        .and_then(|w| element_from_label(w).ok());
                    masses.insert(t, (m, sym));
                }
                "Atoms" => {
                    let st = match style {
                        Some(s) => s,
                        None => {
                            let s = match hint.split_ascii_whitespace().next() {
                                Some("atomic") => AtomStyle::Atomic,
                                Some("charge") => AtomStyle::Charge,
                                Some(other) => {
                                    return Err(lr.err(format!(
                                        "atom style '{other}' is not supported (atomic, charge)"
                                    )));
                                }
                                None => match toks.len() {
                                    5 | 8 => AtomStyle::Atomic,
                                    6 | 9 => AtomStyle::Charge,
                                    c => {
                                        return Err(lr.err(format!(
                                            "cannot tell the atom style from {c} columns \
                                             (atomic: 5 or 8, charge: 6 or 9)"
                                        )));
                                    }
                                },
                            };
                            style = Some(s);
                            s
                        }
                    };
                    let base = match st {
                        AtomStyle::Atomic => 5,
                        AtomStyle::Charge => 6,
                    };
                    if toks.len() != base && toks.len() != base + 3 {
                        return Err(lr.err(format!(
                            "{} style atom line needs {base} or {} values, found {}",
                            st.name(),
                            base + 3,
                            toks.len()
                        )));
                    }
                    let id: u64 = toks[0]
                        .parse()
                        .map_err(|_| lr.err(format!("bad atom id '{}'", toks[0])))?;
                    let ty = type_id(&lr, toks[1], nt)?;
                    let q = match st {
                        AtomStyle::Charge => Some(lr.f64(toks[2], "charge")?),
                        AtomStyle::Atomic => None,
                    };
                    let o = base - 3;
                    let mut pos = Vector3::new(
                        lr.f64(toks[o], "x")?,
                        lr.f64(toks[o + 1], "y")?,
                        lr.f64(toks[o + 2], "z")?,
                    );
                    pos -= Vector3::new(lo_hi[0].0, lo_hi[1].0, lo_hi[2].0);
                    if toks.len() == base + 3 {
                        let mut img = [0.0; 3];
                        for k in 0..3 {
                            img[k] = toks[base + k].parse::<i64>().map_err(|_| {
                                lr.err(format!("bad image flag '{}'", toks[base + k]))
                            })? as f64;
                        }
                        let [lx, ly, lz] = [0, 1, 2].map(|k| lo_hi[k].1 - lo_hi[k].0);
                        pos += Vector3::new(
                            img[0] * lx + img[1] * tilt[0] + img[2] * tilt[1],
                            img[1] * ly + img[2] * tilt[2],
                            img[2] * lz,
                        );
                    }
                    atoms.push(AtomLine {
                        id,
                        ty,
                        q,
                        pos,
                        line: lr.line_no(),
                    });
                }
                "Velocities" => {
                    if toks.len() < 4 {
                        return Err(lr.err("Velocities line needs 'id vx vy vz'"));
                    }
                    let id: u64 = toks[0]
                        .parse()
                        .map_err(|_| lr.err(format!("bad atom id '{}'", toks[0])))?;
                    let v = Vector3::new(
                        lr.f64(toks[1], "vx")?,
                        lr.f64(toks[2], "vy")?,
                        lr.f64(toks[3], "vz")?,
                    ) / 1000.0;
                    velocities.insert(id, v);
                }
                _ => {} // other sections are skipped
            }
        }
        if let Some(e) = expected
            && read != e
        {
            return Err(lr.err(format!(
                "{name} section has {read} lines, the header declares {e}"
            )));
        }
    }
    if atoms.len() != n {
        return Err(lr.err(format!(
            "{} atoms in the Atoms section, the header declares {n}",
            atoms.len()
        )));
    }
    // Elements of the types.
    let types: Vec<Element> = match given {
        Some(g) => {
            if g.len() < nt {
                return Err(lr.err(format!("{} elements given for {nt} atom types", g.len())));
            }
            g[..nt].to_vec()
        }
        None => {
            let mut t = Vec::with_capacity(nt);
            for ty in 1..=nt {
                let (m, sym) = masses.get(&ty).copied().ok_or_else(|| {
                    lr.err(format!(
                        "no mass for atom type {ty}: cannot tell its element (use read_with_types)"
                    ))
                })?;
                let e = match sym {
                    Some(e) => e,
                    None => Element::all()
                        .min_by(|a, b| (a.mass() - m).abs().total_cmp(&(b.mass() - m).abs()))
                        .filter(|e| (e.mass() - m).abs() < 0.1)
                        .ok_or_else(|| {
                            lr.err(format!(
                                "atom type {ty} has mass {m}, which matches no element \
                                 (use read_with_types)"
                            ))
                        })?,
                };
                t.push(e);
            }
            t
        }
    };
    atoms.sort_by_key(|a| a.id);
    if let Some(w) = atoms.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(Error::parse(
            source_name,
            w[1].line,
            format!("atom id {} appears twice", w[1].id),
        ));
    }
    let lattice = Lattice::from_rows([
        [lo_hi[0].1 - lo_hi[0].0, 0.0, 0.0],
        [tilt[0], lo_hi[1].1 - lo_hi[1].0, 0.0],
        [tilt[1], tilt[2], lo_hi[2].1 - lo_hi[2].0],
    ])
    .map_err(|e| lr.err(e.to_string()))?;
    let species: Vec<Element> = atoms.iter().map(|a| types[a.ty - 1]).collect();
    let positions: Vec<Vector3<f64>> = atoms.iter().map(|a| a.pos).collect();
    let charges: Option<Vec<f64>> = atoms.iter().map(|a| a.q).collect();
    let velocities = if velocities.is_empty() {
        None
    } else {
        let v: Option<Vec<Vector3<f64>>> = atoms
            .iter()
            .map(|a| velocities.get(&a.id).copied())
            .collect();
        Some(v.ok_or_else(|| lr.err("Velocities section does not cover every atom id"))?)
    };
    let structure =
        Structure::new(lattice, species, positions).map_err(|e| lr.err(e.to_string()))?;
    let mut frame = Frame::new(structure);
    frame.velocities = velocities;
    Ok(LammpsData {
        frame,
        types,
        style: style.unwrap_or_default(),
        charges,
    })
}

fn type_id<R: BufRead>(lr: &LineReader<'_, R>, tok: &str, nt: usize) -> Result<usize> {
    tok.parse::<usize>()
        .ok()
        .filter(|t| (1..=nt).contains(t))
        .ok_or_else(|| lr.err(format!("atom type '{tok}' is not in 1..={nt}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_triangular_box_keeps_shape() {
        let l = Lattice::from_rows([[3.0, 1.0, 0.5], [0.2, 4.0, 0.3], [0.1, -0.4, 5.0]]).unwrap();
        let [lx, ly, lz, xy, xz, yz] = lammps_box(&l).unwrap();
        let low = Lattice::from_rows([[lx, 0.0, 0.0], [xy, ly, 0.0], [xz, yz, lz]]).unwrap();
        for (a, b) in l.lengths().iter().zip(low.lengths()) {
            assert!((a - b).abs() < 1e-12);
        }
        for (a, b) in l.angles().iter().zip(low.angles()) {
            assert!((a - b).abs() < 1e-10);
        }
        let left = Lattice::from_rows([[0.0, 3.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 3.0]]).unwrap();
        assert!(lammps_box(&left).is_err());
    }
}
