//! Trajectory output: extxyz or XDATCAR, one frame appended at a time.

use super::observer::{Frame, Observer};
use crate::error::{MdError, Result};
use amorph_core::io::{self, Format};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes a frame every `interval` steps to an extxyz or XDATCAR file (format from the file
/// name, as [`Format::from_path`]), appending each frame as it comes so that a run killed
/// midway leaves a readable file.
///
/// * **extxyz** frames carry the energy, stress (when computed), forces, velocities and
///   `step`/`time_fs`/`temperature` in the comment line; positions are **unwrapped**, so a
///   diffusion analysis needs no unwrapping.
/// * **XDATCAR** is VASP's layout: the header once, then `Direct configuration=N` blocks of
///   fractional coordinates **wrapped** into [0, 1) as VASP writes them; when the cell
///   changes (an NPT run) the header, with the new lattice, is repeated before the frame, as
///   VASP does for variable-cell runs.
pub struct TrajectoryWriter {
    path: PathBuf,
    format: Format,
    interval: u64,
    out: BufWriter<File>,
    frames: usize,
    /// The lattice lines of the last XDATCAR header written (as formatted), to repeat the
    /// header only when the cell changed.
    lattice_text: Option<String>,
}

/// The lattice lines of an XDATCAR header, formatted as amorph-core writes them.
fn lattice_text(lattice: &amorph_core::Lattice) -> String {
    lattice
        .rows()
        .iter()
        .map(|r| format!("  {:11.6} {:11.6} {:11.6}\n", r[0], r[1], r[2]))
        .collect()
}

impl TrajectoryWriter {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MdError + '_ {
        move |source| MdError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    fn format_of(path: &Path) -> Result<Format> {
        let format = Format::from_path(path)?;
        if !matches!(format, Format::Extxyz | Format::Xdatcar) {
            return Err(MdError::Core(amorph_core::Error::Format {
                path: path.to_path_buf(),
                reason: format!("{format} cannot hold a trajectory; use .xyz/.extxyz or XDATCAR"),
            }));
        }
        if path.to_string_lossy().ends_with(".gz") {
            return Err(MdError::Core(amorph_core::Error::Format {
                path: path.to_path_buf(),
                reason: "trajectories are written uncompressed (frame by frame)".into(),
            }));
        }
        Ok(format)
    }

    /// Creates (truncates) `path`.
    pub fn create(path: impl AsRef<Path>, interval: u64) -> Result<Self> {
        let path = path.as_ref();
        let format = Self::format_of(path)?;
        let file = File::create(path).map_err(Self::io(path))?;
        Ok(TrajectoryWriter {
            path: path.to_path_buf(),
            format,
            interval: interval.max(1),
            out: BufWriter::new(file),
            frames: 0,
            lattice_text: None,
        })
    }

    /// Appends to `path` (a resumed run); XDATCAR numbering continues after the
    /// configurations already in the file.
    pub fn append(path: impl AsRef<Path>, interval: u64) -> Result<Self> {
        let path = path.as_ref();
        let format = Self::format_of(path)?;
        let (frames, lattice_text) = match (format, std::fs::read_to_string(path)) {
            (Format::Xdatcar, Ok(text)) => {
                let frames = text.lines().filter(|l| l.contains("configuration")).count();
                // The cell of the last frame (an unreadable file gets a fresh header).
                let last = io::xdatcar::read(text.as_bytes(), &path.display().to_string())
                    .ok()
                    .and_then(|f| f.last().map(|f| lattice_text(f.structure.lattice())));
                (frames, last)
            }
            _ => (0, None),
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(Self::io(path))?;
        Ok(TrajectoryWriter {
            path: path.to_path_buf(),
            format,
            interval: interval.max(1),
            out: BufWriter::new(file),
            frames,
            lattice_text,
        })
    }

    /// Frames written by this writer (plus, for XDATCAR appends, those already in the file).
    pub fn frames(&self) -> usize {
        self.frames
    }
}

impl Observer for TrajectoryWriter {
    fn interval(&self) -> u64 {
        self.interval
    }

    fn observe(&mut self, f: &Frame<'_>) -> Result<()> {
        let io_err = Self::io(&self.path);
        match self.format {
            Format::Xdatcar if self.frames > 0 => {
                let lat = f.structure.lattice();
                let text = lattice_text(lat);
                let mut block = String::new();
                if self.lattice_text.as_ref() != Some(&text) {
                    // The cell changed: repeat the header (written by amorph-core for one
                    // frame, cut before its configuration line).
                    let mut one = Vec::new();
                    io::xdatcar::write(&mut one, &[io::Frame::new(f.structure.wrapped())])?;
                    let one = String::from_utf8_lossy(&one);
                    let cut = one.find("Direct configuration=").unwrap_or(one.len());
                    block.push_str(&one[..cut]);
                    self.lattice_text = Some(text);
                }
                block.push_str(&format!("Direct configuration={:6}\n", self.frames + 1));
                for p in f.structure.positions() {
                    let x = lat.to_fractional(p).map(amorph_core::lattice::wrap_unit);
                    block.push_str(&format!("  {:11.8} {:11.8} {:11.8}\n", x.x, x.y, x.z));
                }
                self.out.write_all(block.as_bytes()).map_err(io_err)?;
            }
            Format::Xdatcar => {
                let frame = io::Frame::new(f.structure.wrapped());
                io::xdatcar::write(&mut self.out, &[frame])?;
                self.lattice_text = Some(lattice_text(f.structure.lattice()));
            }
            _ => {
                let mut frame = io::Frame::new(f.structure.clone());
                frame.energy = Some(f.thermo.potential_energy);
                frame.forces = Some(f.forces.to_vec());
                frame.velocities = Some(f.velocities.to_vec());
                frame.info.insert("step".into(), f.thermo.step.to_string());
                frame
                    .info
                    .insert("time_fs".into(), f.thermo.time_fs.to_string());
                frame
                    .info
                    .insert("temperature".into(), f.thermo.temperature.to_string());
                io::extxyz::write(&mut self.out, &[frame])?;
            }
        }
        self.frames += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush().map_err(Self::io(&self.path))
    }
}
