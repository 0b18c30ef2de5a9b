//! `Structure` and `Trajectory`: amorph's types, built from numpy arrays (the Python layer
//! converts ASE `Atoms` and pymatgen `Structure`/`Trajectory` to these arrays) or read from any
//! file format amorph reads.

use crate::error::{Ctx, bad};
use amorph_core::{Element, Lattice, Structure, Trajectory, io};
use nalgebra::{Matrix3, Vector3};
use numpy::ndarray::{Array1, Array2, Array3};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArray3, PyReadonlyArray2, PyReadonlyArray3};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Elements of atomic numbers.
fn elements(numbers: &[i64]) -> PyResult<Vec<Element>> {
    numbers
        .iter()
        .enumerate()
        .map(|(i, &z)| {
            u8::try_from(z)
                .ok()
                .and_then(|z| Element::from_z(z).ok())
                .ok_or_else(|| bad(format!("atom {i}: atomic number {z} is not an element")))
        })
        .collect()
}

/// A lattice from a 3×3 array whose rows are the cell vectors (Å).
fn lattice(rows: numpy::ndarray::ArrayView2<'_, f64>, what: &str) -> PyResult<Lattice> {
    if rows.shape() != [3, 3] {
        return Err(bad(format!(
            "{what}: shape {:?}, expected (3, 3)",
            rows.shape()
        )));
    }
    let m = [0, 1, 2].map(|i| [0, 1, 2].map(|j| rows[[i, j]]));
    Lattice::from_rows(m).ctx(what)
}

/// Positions from an (n, 3) array.
fn vectors(a: numpy::ndarray::ArrayView2<'_, f64>, what: &str) -> PyResult<Vec<Vector3<f64>>> {
    if a.ncols() != 3 {
        return Err(bad(format!(
            "{what}: shape {:?}, expected (n, 3)",
            a.shape()
        )));
    }
    Ok(a.rows()
        .into_iter()
        .map(|r| Vector3::new(r[0], r[1], r[2]))
        .collect())
}

fn cell_array(m: &Matrix3<f64>) -> Array2<f64> {
    // Lattice rows are the cell vectors a, b, c (ASE's and pymatgen's convention).
    Array2::from_shape_fn((3, 3), |(i, j)| m[(j, i)])
}

fn positions_array(p: &[Vector3<f64>]) -> Array2<f64> {
    Array2::from_shape_fn((p.len(), 3), |(i, k)| p[i][k])
}

/// A periodic structure: atomic numbers, Cartesian positions (Å) and cell rows (Å).
///
/// Build it with `Structure(numbers, positions, cell, pbc=(True, True, True))`, from ASE or
/// pymatgen with `amorph.from_ase` / `amorph.from_pymatgen`, or read it with
/// `amorph.read_structure(path)`.
#[pyclass(module = "amorph._amorph", name = "Structure", frozen)]
#[derive(Clone)]
pub struct PyStructure {
    pub inner: Structure,
}

#[pymethods]
impl PyStructure {
    #[new]
    #[pyo3(signature = (numbers, positions, cell, pbc = (true, true, true)))]
    fn new(
        numbers: Vec<i64>,
        positions: PyReadonlyArray2<'_, f64>,
        cell: PyReadonlyArray2<'_, f64>,
        pbc: (bool, bool, bool),
    ) -> PyResult<Self> {
        let lat = lattice(cell.as_array(), "cell")?;
        let pos = vectors(positions.as_array(), "positions")?;
        let inner = Structure::with_pbc(lat, elements(&numbers)?, pos, [pbc.0, pbc.1, pbc.2])
            .ctx("structure")?;
        Ok(PyStructure { inner })
    }

    /// Atomic numbers.
    #[getter]
    fn numbers<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        let z: Array1<i64> = self.inner.species().iter().map(|e| e.z() as i64).collect();
        z.into_pyarray(py)
    }

    /// Element symbols.
    #[getter]
    fn symbols(&self) -> Vec<&'static str> {
        self.inner.species().iter().map(|e| e.symbol()).collect()
    }

    /// Cartesian positions (Å), shape (n, 3).
    #[getter]
    fn positions<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        positions_array(self.inner.positions()).into_pyarray(py)
    }

    /// Cell vectors as rows (Å), shape (3, 3).
    #[getter]
    fn cell<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        cell_array(self.inner.lattice().matrix()).into_pyarray(py)
    }

    /// Periodicity along a, b, c.
    #[getter]
    fn pbc(&self) -> (bool, bool, bool) {
        let p = self.inner.pbc();
        (p[0], p[1], p[2])
    }

    /// The formula (element counts).
    #[getter]
    fn formula(&self) -> String {
        self.inner.formula()
    }

    /// Cell volume (Å³).
    #[getter]
    fn volume(&self) -> f64 {
        self.inner.volume()
    }

    /// Density (g/cm³).
    #[getter]
    fn density(&self) -> f64 {
        self.inner.density_g_cm3()
    }

    /// Writes the structure (format from the extension: extxyz, POSCAR/.vasp, LAMMPS .data).
    fn write(&self, path: PathBuf) -> PyResult<()> {
        io::write_structure(&path, &self.inner).ctx(&path.display().to_string())
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Structure({}, {} atoms, {:.3} Å³)",
            self.inner.formula(),
            self.inner.len(),
            self.inner.volume()
        )
    }
}

/// Reads one structure (extxyz, POSCAR/CONTCAR, XDATCAR, LAMMPS data; `.gz` too); `frame`
/// picks a frame of a multi-frame file (negative counts from the end).
#[pyfunction]
#[pyo3(signature = (path, frame = -1))]
pub fn read_structure(py: Python<'_>, path: PathBuf, frame: i64) -> PyResult<PyStructure> {
    let name = path.display().to_string();
    let mut frames = py.detach(|| io::read_frames(&path)).ctx(&name)?;
    let Some(k) = io::frame_index(frame, frames.len()) else {
        return Err(bad(format!(
            "{name}: --frame {frame} but the file has {} frame(s)",
            frames.len()
        )));
    };
    Ok(PyStructure {
        inner: frames.swap_remove(k).structure,
    })
}

/// A periodic trajectory: the same atoms over frames, each with its positions (and cell).
///
/// Build it with `Trajectory(numbers, positions, cells, frame_fs=1.0)` (positions of shape
/// (frames, atoms, 3), cells (frames, 3, 3) or (3, 3)), with `amorph.trajectory([...])` from
/// ASE `Atoms`, pymatgen `Structure`s or a pymatgen `Trajectory`, or read it with
/// `amorph.read_trajectory(path)`.
#[pyclass(module = "amorph._amorph", name = "Trajectory", frozen)]
pub struct PyTrajectory {
    pub inner: Trajectory,
    /// What the trajectory was read from (the `file` of a diffusion result).
    pub source: String,
}

#[pymethods]
impl PyTrajectory {
    #[new]
    #[pyo3(signature = (numbers, positions, cells, frame_fs = 1.0, source = None))]
    fn new(
        numbers: Vec<i64>,
        positions: PyReadonlyArray3<'_, f64>,
        cells: PyReadonlyArray3<'_, f64>,
        frame_fs: f64,
        source: Option<String>,
    ) -> PyResult<Self> {
        let (pos, cells) = (positions.as_array(), cells.as_array());
        let (nf, n) = (pos.shape()[0], pos.shape()[1]);
        if pos.shape()[2] != 3 || n != numbers.len() {
            return Err(bad(format!(
                "positions: shape {:?}, expected (frames, {}, 3)",
                pos.shape(),
                numbers.len()
            )));
        }
        if !(cells.shape()[0] == nf || cells.shape()[0] == 1) {
            return Err(bad(format!(
                "cells: shape {:?}, expected ({nf}, 3, 3) or (1, 3, 3)",
                cells.shape()
            )));
        }
        if nf == 0 {
            return Err(bad("positions: no frames"));
        }
        let species = elements(&numbers)?;
        let first = lattice(cells.index_axis(numpy::ndarray::Axis(0), 0), "cells[0]")?;
        let mut t = Trajectory::new(species, first, frame_fs).ctx("trajectory")?;
        let mut prev_cell = cells.index_axis(numpy::ndarray::Axis(0), 0);
        for f in 0..nf {
            let p = vectors(pos.index_axis(numpy::ndarray::Axis(0), f), "positions")?;
            // A cell that differs from the previous frame's is stored with the frame; a fixed
            // cell is stored once (what amorph's readers do).
            let lat = if cells.shape()[0] == nf && f > 0 {
                let c = cells.index_axis(numpy::ndarray::Axis(0), f);
                let changed = c != prev_cell;
                prev_cell = c;
                if changed {
                    Some(lattice(c, &format!("cells[{f}]"))?)
                } else {
                    None
                }
            } else {
                None
            };
            t.push_frame(p, lat).ctx(&format!("frame {f}"))?;
        }
        Ok(PyTrajectory {
            inner: t,
            source: source.unwrap_or_else(|| "<python>".into()),
        })
    }

    /// A trajectory of structures holding the same atoms in the same order.
    #[staticmethod]
    #[pyo3(signature = (structures, frame_fs = 1.0, source = None))]
    fn from_structures(
        structures: Vec<PyRef<'_, PyStructure>>,
        frame_fs: f64,
        source: Option<String>,
    ) -> PyResult<Self> {
        let frames: Vec<Structure> = structures.iter().map(|s| s.inner.clone()).collect();
        Ok(PyTrajectory {
            inner: Trajectory::from_structures(&frames, frame_fs).ctx("trajectory")?,
            source: source.unwrap_or_else(|| "<python>".into()),
        })
    }

    /// Number of frames.
    #[getter]
    fn n_frames(&self) -> usize {
        self.inner.n_frames()
    }

    /// Number of atoms.
    #[getter]
    fn n_atoms(&self) -> usize {
        self.inner.n_atoms()
    }

    /// Time between stored frames (fs).
    #[getter]
    fn frame_fs(&self) -> f64 {
        self.inner.time_step_fs()
    }

    /// Where the trajectory came from (a file name, or `<python>`).
    #[getter]
    fn source(&self) -> &str {
        &self.source
    }

    /// Atomic numbers.
    #[getter]
    fn numbers<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        let z: Array1<i64> = self.inner.species().iter().map(|e| e.z() as i64).collect();
        z.into_pyarray(py)
    }

    /// Element symbols.
    #[getter]
    fn symbols(&self) -> Vec<&'static str> {
        self.inner.species().iter().map(|e| e.symbol()).collect()
    }

    /// Positions of every frame (Å), shape (frames, atoms, 3).
    #[getter]
    fn positions<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray3<f64>> {
        let t = &self.inner;
        Array3::from_shape_fn((t.n_frames(), t.n_atoms(), 3), |(f, i, k)| {
            t.positions(f)[i][k]
        })
        .into_pyarray(py)
    }

    /// Cell rows of every frame (Å), shape (frames, 3, 3).
    #[getter]
    fn cells<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray3<f64>> {
        let t = &self.inner;
        Array3::from_shape_fn((t.n_frames(), 3, 3), |(f, i, j)| {
            t.lattice(f).matrix()[(j, i)]
        })
        .into_pyarray(py)
    }

    /// Frame `index` (negative counts from the end) as a `Structure`.
    fn frame(&self, index: i64) -> PyResult<PyStructure> {
        let k = io::frame_index(index, self.inner.n_frames()).ok_or_else(|| {
            bad(format!(
                "frame {index} but the trajectory has {} frame(s)",
                self.inner.n_frames()
            ))
        })?;
        Ok(PyStructure {
            inner: self.inner.frame(k),
        })
    }

    /// Writes the trajectory (XDATCAR or multi-frame extxyz, from the extension).
    fn write(&self, path: PathBuf) -> PyResult<()> {
        io::write_trajectory(&path, &self.inner).ctx(&path.display().to_string())
    }

    fn __len__(&self) -> usize {
        self.inner.n_frames()
    }

    fn __repr__(&self) -> String {
        format!(
            "Trajectory({} atoms, {} frames, {} fs apart, from {})",
            self.inner.n_atoms(),
            self.inner.n_frames(),
            self.inner.time_step_fs(),
            self.source
        )
    }
}

/// Reads a trajectory (XDATCAR, multi-frame extxyz, …; `.gz` too) with `frame_fs` fs between
/// stored frames.
#[pyfunction]
#[pyo3(signature = (path, frame_fs = 1.0))]
pub fn read_trajectory(py: Python<'_>, path: PathBuf, frame_fs: f64) -> PyResult<PyTrajectory> {
    let name = path.display().to_string();
    let dt = if frame_fs > 0.0 { frame_fs } else { 1.0 };
    let t = py.detach(|| io::read_trajectory(&path, dt)).ctx(&name)?;
    Ok(PyTrajectory {
        inner: t,
        source: name,
    })
}
