//! File formats: extended XYZ, VASP POSCAR/CONTCAR and XDATCAR, LAMMPS data.
//!
//! | format | read | write | frames |
//! | --- | --- | --- | --- |
//! | [`extxyz`] (`.xyz`, `.extxyz`) | ASE 3.29 and libAtoms variants | byte-for-byte as ASE 3.29 | many |
//! | [`poscar`] (`POSCAR`, `CONTCAR`, `.vasp`, `.poscar`) | VASP 5 (VASP 4 when the comment names the species) | as ASE `write_vasp(direct=True)` | one |
//! | [`xdatcar`] (`XDATCAR`) | fixed and variable cell | header once (fixed cell) or per frame | many |
//! | [`lammps_data`] (`.data`, `.lmp`) | what [`lammps_data::write`] writes (and most `atomic`/`charge` files) | `atomic` / `charge`, triclinic | one |
//!
//! Any input may be gzip-compressed (detected from its first bytes, so `POSCAR.gz` and
//! `XDATCAR.gz` work); an output name ending in `.gz` is written compressed. The format comes
//! from the file name with any `.gz` removed ([`Format::from_path`]).
//!
//! Every error names the file and, for parse errors, the 1-based line:
//! [`Error::Parse`], [`Error::Io`] or
//! [`Error::Format`].
//!
//! ```
//! use amorph_core::io::{self, Frame};
//! use amorph_core::{Element, Lattice, Structure};
//! use nalgebra::Vector3;
//!
//! let li = Element::from_symbol("Li").unwrap();
//! let s = Structure::new(Lattice::cubic(3.0).unwrap(), vec![li], vec![Vector3::zeros()]).unwrap();
//! let mut frame = Frame::new(s);
//! frame.energy = Some(-1.5);
//! let mut text = Vec::new();
//! io::extxyz::write(&mut text, &[frame]).unwrap();
//! let back = io::extxyz::read(&text[..], "<memory>").unwrap();
//! assert_eq!(back[0].energy, Some(-1.5));
//! assert_eq!(back[0].structure.species()[0], li);
//! ```

pub mod extxyz;
pub mod lammps_data;
pub mod poscar;
mod text;
pub mod xdatcar;

pub use text::py_float;

use crate::error::{Error, Result};
use crate::structure::Structure;
use crate::trajectory::Trajectory;
use nalgebra::Vector3;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The most atoms a file may declare (extxyz count line, POSCAR/XDATCAR counts, LAMMPS
/// `N atoms`); a larger claim is a parse error before anything is allocated.
pub(crate) const MAX_ATOMS_IN_FILE: usize = 100_000_000;

/// The most entries reserved up front for per-atom arrays: they grow with the lines actually
/// read, so a header that claims 10⁸ atoms in a short file costs nothing.
pub(crate) const PREALLOCATE: usize = 1 << 16;

/// One configuration with what a file may carry beside the structure.
///
/// Units: energy eV, forces eV/Å, stress eV/Å³ (Voigt xx yy zz yz xz xy, ASE sign),
/// velocities Å/fs. `info` holds the remaining per-frame key/value pairs as text (for extxyz
/// the values as written, unquoted; POSCAR/XDATCAR put their comment line under `comment`).
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The atoms and the cell.
    pub structure: Structure,
    /// Total energy (eV).
    pub energy: Option<f64>,
    /// Forces (eV/Å), one per atom.
    pub forces: Option<Vec<Vector3<f64>>>,
    /// Stress (eV/Å³), Voigt order xx yy zz yz xz xy, ASE sign (positive = tensile).
    pub stress: Option<[f64; 6]>,
    /// Velocities (Å/fs), one per atom.
    pub velocities: Option<Vec<Vector3<f64>>>,
    /// Other per-frame key/value pairs (text).
    pub info: BTreeMap<String, String>,
}

impl Frame {
    /// A frame holding only a structure.
    pub fn new(structure: Structure) -> Self {
        Frame {
            structure,
            energy: None,
            forces: None,
            stress: None,
            velocities: None,
            info: BTreeMap::new(),
        }
    }

    /// Checks that per-atom arrays have one entry per atom and that numbers are finite.
    pub(crate) fn validate(&self) -> std::result::Result<(), String> {
        let n = self.structure.len();
        for (name, arr) in [("forces", &self.forces), ("velocities", &self.velocities)] {
            if let Some(a) = arr {
                if a.len() != n {
                    return Err(format!("{} {name} for {n} atoms", a.len()));
                }
                if a.iter().any(|v| v.iter().any(|x| !x.is_finite())) {
                    return Err(format!("non-finite {name}"));
                }
            }
        }
        if self.energy.is_some_and(|e| !e.is_finite()) {
            return Err("non-finite energy".into());
        }
        if self
            .stress
            .is_some_and(|s| s.iter().any(|x| !x.is_finite()))
        {
            return Err("non-finite stress".into());
        }
        Ok(())
    }
}

impl From<Structure> for Frame {
    fn from(s: Structure) -> Self {
        Frame::new(s)
    }
}

/// The file formats amorph reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Extended XYZ (`.xyz`, `.extxyz`).
    Extxyz,
    /// VASP POSCAR/CONTCAR (`POSCAR*`, `CONTCAR*`, `*.vasp`, `*.poscar`).
    Poscar,
    /// VASP XDATCAR trajectory (`XDATCAR*`, `*.xdatcar`).
    Xdatcar,
    /// LAMMPS data file (`*.data`, `*.lmp`, `data.*`).
    LammpsData,
}

impl Format {
    /// The format of a file from its name (a trailing `.gz` is ignored; case-insensitive).
    ///
    /// ```
    /// use amorph_core::io::Format;
    /// use std::path::Path;
    /// assert_eq!(Format::from_path(Path::new("run/XDATCAR.gz")).unwrap(), Format::Xdatcar);
    /// assert_eq!(Format::from_path(Path::new("Li2O.vasp")).unwrap(), Format::Poscar);
    /// assert_eq!(Format::from_path(Path::new("a.extxyz")).unwrap(), Format::Extxyz);
    /// assert!(Format::from_path(Path::new("notes.txt")).is_err());
    /// ```
    pub fn from_path(path: &Path) -> Result<Format> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let format = match ext {
            "xyz" | "extxyz" => Some(Format::Extxyz),
            "vasp" | "poscar" | "contcar" => Some(Format::Poscar),
            "xdatcar" => Some(Format::Xdatcar),
            "data" | "lmp" | "lammps" => Some(Format::LammpsData),
            _ => None,
        };
        let format = format.or_else(|| {
            if name.contains("xdatcar") {
                Some(Format::Xdatcar)
            } else if name.contains("poscar") || name.contains("contcar") {
                Some(Format::Poscar)
            } else if name.starts_with("data.") {
                Some(Format::LammpsData)
            } else {
                None
            }
        });
        format.ok_or_else(|| Error::Format {
            path: path.to_path_buf(),
            reason: "unknown file format: expected .xyz/.extxyz, POSCAR/CONTCAR/.vasp/.poscar, \
                     XDATCAR, or .data/.lmp (optionally .gz)"
                .into(),
        })
    }

    /// A short lower-case name (`extxyz`, `poscar`, `xdatcar`, `lammps-data`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Extxyz => "extxyz",
            Format::Poscar => "poscar",
            Format::Xdatcar => "xdatcar",
            Format::LammpsData => "lammps-data",
        }
    }

    /// True for formats that hold any number of frames.
    pub fn is_multi_frame(self) -> bool {
        matches!(self, Format::Extxyz | Format::Xdatcar)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Opens a file for reading, decompressing gzip transparently (detected from the magic bytes).
pub fn open_reader(path: &Path) -> Result<Box<dyn BufRead>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let head = reader.fill_buf().map_err(io)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let dec = flate2::bufread::MultiGzDecoder::new(reader);
        Ok(Box::new(BufReader::with_capacity(1 << 16, dec)))
    } else {
        Ok(Box::new(reader))
    }
}

/// The name to use in errors for `path`.
fn source_name(path: &Path) -> String {
    path.display().to_string()
}

/// Reads every frame of a file (format from its name). POSCAR and LAMMPS data give one frame.
///
/// A file that does not exist is an [`Error::Io`] reading "PATH: no such file or directory",
/// whatever its name (the file is opened before its name is looked at).
pub fn read_frames(path: &Path) -> Result<Vec<Frame>> {
    let reader = open_reader(path)?;
    let format = Format::from_path(path)?;
    let name = source_name(path);
    match format {
        Format::Extxyz => extxyz::read(reader, &name),
        Format::Poscar => Ok(vec![poscar::read(reader, &name)?]),
        Format::Xdatcar => xdatcar::read(reader, &name),
        Format::LammpsData => Ok(vec![lammps_data::read(reader, &name)?.frame]),
    }
}

/// Reads the **first** frame of a file as a structure (for a trajectory file such as an
/// XDATCAR or a multi-frame extxyz, that is its starting configuration; use
/// [`read_frames`] for the others).
pub fn read_structure(path: &Path) -> Result<Structure> {
    let reader = open_reader(path)?;
    let format = Format::from_path(path)?;
    let name = source_name(path);
    let frame = match format {
        Format::Extxyz => extxyz::read_first(reader, &name)?,
        Format::Poscar => poscar::read(reader, &name)?,
        Format::Xdatcar => xdatcar::read(reader, &name)?.swap_remove(0),
        Format::LammpsData => lammps_data::read(reader, &name)?.frame,
    };
    Ok(frame.structure)
}

/// Reads a trajectory (XDATCAR, multi-frame extxyz; a single-frame file gives one frame).
/// `time_step_fs` is the time between stored frames. Variable cells are kept per frame.
pub fn read_trajectory(path: &Path, time_step_fs: f64) -> Result<Trajectory> {
    let frames = read_frames(path)?;
    let structures: Vec<Structure> = frames.into_iter().map(|f| f.structure).collect();
    if structures.is_empty() {
        return Err(Error::parse(
            source_name(path),
            0,
            "the file holds no frames",
        ));
    }
    Trajectory::from_structures(&structures, time_step_fs).map_err(|e| Error::Format {
        path: path.to_path_buf(),
        reason: format!("not a trajectory: {e}"),
    })
}

/// Placeholder path used by the stream writers; replaced by the real path by the file writers.
pub(crate) const STREAM: &str = "<output>";

/// Maps an I/O error of a stream writer.
pub(crate) fn write_err(source: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from(STREAM),
        source,
    }
}

/// A format error of a stream writer (path filled in by the file writers).
pub(crate) fn format_err(reason: impl Into<String>) -> Error {
    Error::Format {
        path: PathBuf::from(STREAM),
        reason: reason.into(),
    }
}

fn with_path(e: Error, path: &Path) -> Error {
    match e {
        Error::Io { path: p, source } if p.as_os_str() == STREAM => Error::Io {
            path: path.to_path_buf(),
            source,
        },
        Error::Format { path: p, reason } if p.as_os_str() == STREAM => Error::Format {
            path: path.to_path_buf(),
            reason,
        },
        other => other,
    }
}

/// Creates `path` for writing (gzip-compressed when its name ends in `.gz`), runs `body`,
/// and flushes; errors carry `path`.
fn write_file(path: &Path, body: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(path).map_err(io)?;
    let gz = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let result = if gz {
        let mut w = BufWriter::with_capacity(
            1 << 16,
            flate2::write::GzEncoder::new(file, flate2::Compression::default()),
        );
        body(&mut w).and_then(|_| {
            let enc = w.into_inner().map_err(|e| write_err(e.into_error()))?;
            enc.finish().map_err(write_err)?;
            Ok(())
        })
    } else {
        let mut w = BufWriter::with_capacity(1 << 16, file);
        body(&mut w).and_then(|_| w.flush().map_err(write_err))
    };
    result.map_err(|e| with_path(e, path))
}

/// Writes frames in the format of `path`'s name. POSCAR and LAMMPS data hold one frame
/// (more is an [`Error::Format`]); XDATCAR keeps positions only and needs the same atoms in
/// every frame; LAMMPS data uses [`lammps_data::Options::default`] (atomic style).
pub fn write_frames(path: &Path, frames: &[Frame]) -> Result<()> {
    let format = Format::from_path(path)?;
    if frames.is_empty() {
        return Err(Error::Format {
            path: path.to_path_buf(),
            reason: "no frames to write".into(),
        });
    }
    if !format.is_multi_frame() && frames.len() != 1 {
        return Err(Error::Format {
            path: path.to_path_buf(),
            reason: format!(
                "{format} holds one structure, but {} frames were given",
                frames.len()
            ),
        });
    }
    write_file(path, |w| match format {
        Format::Extxyz => extxyz::write(w, frames),
        Format::Poscar => poscar::write(w, &frames[0]),
        Format::Xdatcar => xdatcar::write(w, frames),
        Format::LammpsData => {
            lammps_data::write(w, &frames[0], &lammps_data::Options::default()).map(|_| ())
        }
    })
}

/// Writes a LAMMPS data file with explicit options (whatever the file's name); returns the
/// type → element mapping (`types[t - 1]` is the element of type `t`).
pub fn write_lammps_data(
    path: &Path,
    frame: &Frame,
    options: &lammps_data::Options,
) -> Result<Vec<crate::element::Element>> {
    let mut types = Vec::new();
    write_file(path, |w| {
        types = lammps_data::write(w, frame, options)?;
        Ok(())
    })?;
    Ok(types)
}

/// The position of frame `index` among `n` frames (a negative index counts from the end: −1
/// is the last), or `None` when there is no such frame.
///
/// ```
/// use amorph_core::io::frame_index;
/// assert_eq!((frame_index(0, 3), frame_index(-1, 3)), (Some(0), Some(2)));
/// assert_eq!((frame_index(3, 3), frame_index(-4, 3)), (None, None));
/// ```
pub fn frame_index(index: i64, n: usize) -> Option<usize> {
    let k = if index < 0 { n as i64 + index } else { index };
    (0..n as i64).contains(&k).then_some(k as usize)
}

/// Writes `frames` to `path` in the format of its name; a LAMMPS data file holds the first
/// frame in atom style `style` and its type → element mapping is returned (`None` for the
/// other formats).
pub fn write_converted(
    path: &Path,
    frames: &[Frame],
    style: lammps_data::AtomStyle,
) -> Result<Option<Vec<crate::element::Element>>> {
    match (Format::from_path(path)?, frames.first()) {
        (Format::LammpsData, Some(frame)) => {
            let options = lammps_data::Options {
                style,
                ..Default::default()
            };
            write_lammps_data(path, frame, &options).map(Some)
        }
        _ => write_frames(path, frames).map(|()| None),
    }
}

/// A file converted from one format to another, as `amorph convert` reports it: serialises to
/// its `--json` object and displays as its text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Conversion {
    /// The input file (as named by the user).
    pub input: String,
    /// The output file.
    pub output: String,
    /// The formats of both.
    pub formats: ConversionFormats,
    /// Frames written.
    pub frames: usize,
    /// Atoms per frame.
    pub atoms: usize,
    /// LAMMPS data output: the element of each atom type (type 1 first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lammps_types: Option<Vec<&'static str>>,
}

/// The input and output formats of a [`Conversion`] ([`Format::name`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConversionFormats {
    /// Input format.
    pub input: &'static str,
    /// Output format.
    pub output: &'static str,
}

impl std::fmt::Display for Conversion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}, {} frame{}) -> {} ({}), {} atoms",
            self.input,
            self.formats.input,
            self.frames,
            if self.frames == 1 { "" } else { "s" },
            self.output,
            self.formats.output,
            self.atoms
        )?;
        if let Some(t) = &self.lammps_types {
            write!(f, "; LAMMPS types: {}", t.join(" "))?;
        }
        Ok(())
    }
}

/// Writes one structure in the format of `path`'s name.
pub fn write_structure(path: &Path, structure: &Structure) -> Result<()> {
    write_frames(path, &[Frame::new(structure.clone())])
}

/// Writes a trajectory (extxyz or XDATCAR; POSCAR/LAMMPS data only for one frame).
pub fn write_trajectory(path: &Path, trajectory: &Trajectory) -> Result<()> {
    let frames: Vec<Frame> = (0..trajectory.n_frames())
        .map(|f| Frame::new(trajectory.frame(f)))
        .collect();
    write_frames(path, &frames)
}
