//! VASP XDATCAR trajectories.
//!
//! **Reading** accepts both layouts VASP writes: fixed cell (ISIF < 3: the 7-line POSCAR-like
//! header once, then `Direct configuration=     N` blocks) and variable cell (the header
//! repeated before every configuration). Every header must list the same species and counts.
//! A bare `Direct` / `Cartesian` line also starts a configuration. Each frame gets
//! `info["comment"]` (line 1 of its header) and `info["configuration"]` (the number VASP
//! wrote, when present). Positions are Cartesian (Å), not unwrapped.
//!
//! **Writing** uses ASE's number formats (lattice `{:11.6}`, fractional coordinates
//! `{:11.8}`, scale written as `1`) and VASP's layout: the header once when every frame has
//! the same lattice, before every frame otherwise. Configurations are numbered 1, 2, …;
//! fractional coordinates are written as they are (not wrapped). Velocities, forces and
//! energies are not part of the format and are dropped.

use super::poscar::{comment_line, is_cartesian, read_header, species_counts_lines, species_runs};
use super::text::LineReader;
use super::{Frame, format_err, write_err};
use crate::error::{Error, Result};
use crate::structure::Structure;
use nalgebra::Vector3;
use std::io::{BufRead, Write};

/// True for a line that starts a configuration block.
fn is_config_line(line: &str) -> bool {
    let t = line.trim();
    t.contains("configuration")
        || t.eq_ignore_ascii_case("direct")
        || t.eq_ignore_ascii_case("cartesian")
}

/// Reads every configuration of an XDATCAR stream.
pub fn read(reader: impl BufRead, source_name: &str) -> Result<Vec<Frame>> {
    let mut lr = LineReader::new(reader, source_name);
    let mut h = read_header(&mut lr, None, false)?;
    let species = h.species.clone();
    let n = species.len();
    let mut frames: Vec<Frame> = Vec::new();
    loop {
        if !lr.advance_non_blank()? {
            break;
        }
        if !is_config_line(lr.line()) {
            // A repeated header (variable cell).
            let h2 = read_header(&mut lr, None, true)?;
            if h2.species != species {
                return Err(lr.err(format!(
                    "header before frame {} lists different atoms from the first header",
                    frames.len() + 1
                )));
            }
            h = h2;
            if !lr.advance_non_blank()? || !is_config_line(lr.line()) {
                return Err(lr.err("expected a 'Direct configuration=' line after the header"));
            }
        }
        let cartesian = is_cartesian(lr.line());
        let config = lr
            .line()
            .split_once('=')
            .and_then(|(_, n)| n.trim().parse::<u64>().ok());
        let mut pos = Vec::with_capacity(n.min(super::PREALLOCATE));
        for i in 0..n {
            if !lr.advance()? {
                return Err(lr.eof_err(format!(
                    "unexpected end of file in frame {}: {i} of {n} coordinate lines",
                    frames.len() + 1
                )));
            }
            let v = Vector3::from(lr.vec3("coordinate")?);
            pos.push(if cartesian {
                Vector3::new(v.x * h.scale[0], v.y * h.scale[1], v.z * h.scale[2])
            } else {
                h.lattice.to_cartesian(&v)
            });
        }
        let structure = Structure::new(h.lattice.clone(), species.clone(), pos)
            .map_err(|e| lr.err(e.to_string()))?;
        let mut frame = Frame::new(structure);
        if !h.comment.trim().is_empty() {
            frame.info.insert("comment".into(), h.comment.clone());
        }
        if let Some(c) = config {
            frame.info.insert("configuration".into(), c.to_string());
        }
        frames.push(frame);
    }
    if frames.is_empty() {
        return Err(Error::parse(
            source_name,
            lr.line_no(),
            "no configurations after the header",
        ));
    }
    Ok(frames)
}

/// Writes frames as an XDATCAR (see the module docs). All frames must hold the same atoms.
pub fn write(mut w: impl Write, frames: &[Frame]) -> Result<()> {
    let first = frames
        .first()
        .ok_or_else(|| format_err("no frames to write"))?;
    let species = first.structure.species();
    if species.is_empty() {
        return Err(format_err("an XDATCAR needs at least one atom"));
    }
    let runs = species_runs(species);
    let comment = match first.info.get("comment") {
        Some(_) => comment_line(first, &runs)?,
        None => runs
            .iter()
            .map(|(e, _)| e.symbol())
            .collect::<Vec<_>>()
            .join(" "),
    };
    let counts = species_counts_lines(&runs);
    let fixed = frames
        .iter()
        .all(|f| f.structure.lattice() == first.structure.lattice());
    for (k, f) in frames.iter().enumerate() {
        let s = &f.structure;
        if s.species() != species {
            return Err(format_err(format!(
                "frame {k} has different atoms ({}) from frame 0 ({})",
                s.formula(),
                first.structure.formula()
            )));
        }
        if k == 0 || !fixed {
            let mut head = format!("{comment}\n           1\n");
            for row in s.lattice().rows() {
                head.push_str(&format!(
                    "  {:11.6} {:11.6} {:11.6}\n",
                    row[0], row[1], row[2]
                ));
            }
            head.push_str(&counts);
            w.write_all(head.as_bytes()).map_err(write_err)?;
        }
        writeln!(w, "Direct configuration={:6}", k + 1).map_err(write_err)?;
        let lat = s.lattice();
        for p in s.positions() {
            let x = lat.to_fractional(p);
            if x.iter().any(|v| !v.is_finite()) {
                return Err(format_err(format!("non-finite position in frame {k}")));
            }
            writeln!(w, "  {:11.8} {:11.8} {:11.8}", x.x, x.y, x.z).map_err(write_err)?;
        }
    }
    Ok(())
}
