//! Trajectories: a sequence of frames of the same atoms, with the time between frames.

use crate::element::Element;
use crate::error::{Error, Result};
use crate::lattice::Lattice;
use crate::structure::Structure;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

/// Frames of one set of atoms (same species, same order), fixed or variable cell.
///
/// Positions are stored as given (wrapped, as VASP writes them, or unwrapped, as MD keeps
/// them); [`Trajectory::unwrapped_positions`] makes continuous paths out of wrapped frames.
///
/// ```
/// use amorph_core::{Element, Lattice, Trajectory};
/// use nalgebra::Vector3;
/// let li = Element::from_symbol("Li").unwrap();
/// let mut t = Trajectory::new(vec![li], Lattice::cubic(10.0).unwrap(), 2.0).unwrap();
/// t.push_frame(vec![Vector3::new(9.9, 0.0, 0.0)], None).unwrap();
/// t.push_frame(vec![Vector3::new(0.1, 0.0, 0.0)], None).unwrap(); // crossed the boundary
/// let u = t.unwrapped_positions();
/// assert!((u[1].x - 10.1).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    species: Vec<Element>,
    pbc: [bool; 3],
    /// One lattice (fixed cell) or one per frame (variable cell).
    lattices: Vec<Lattice>,
    /// Frame-major: frame f, atom i at `f * n_atoms + i`.
    positions: Vec<Vector3<f64>>,
    time_step_fs: f64,
}

impl Trajectory {
    /// An empty fixed-cell trajectory; `time_step_fs` is the time between stored frames (fs).
    pub fn new(species: Vec<Element>, lattice: Lattice, time_step_fs: f64) -> Result<Self> {
        if !(time_step_fs.is_finite() && time_step_fs > 0.0) {
            return Err(Error::Structure(format!(
                "trajectory time step {time_step_fs} fs must be positive"
            )));
        }
        Ok(Trajectory {
            species,
            pbc: [true; 3],
            lattices: vec![lattice],
            positions: Vec::new(),
            time_step_fs,
        })
    }

    /// A trajectory from structures (all with the same species in the same order).
    pub fn from_structures(frames: &[Structure], time_step_fs: f64) -> Result<Self> {
        let first = frames
            .first()
            .ok_or_else(|| Error::Structure("a trajectory needs at least one frame".into()))?;
        let mut t = Trajectory::new(
            first.species().to_vec(),
            first.lattice().clone(),
            time_step_fs,
        )?;
        t.pbc = first.pbc();
        for (f, s) in frames.iter().enumerate() {
            if s.species() != first.species() {
                return Err(Error::Structure(format!(
                    "frame {f} has different atoms ({}) from frame 0 ({})",
                    s.formula(),
                    first.formula()
                )));
            }
            let lattice = (s.lattice() != first.lattice()).then(|| s.lattice().clone());
            t.push_frame(s.positions().to_vec(), lattice)?;
        }
        Ok(t)
    }

    /// Appends a frame. `lattice` is `None` for a frame in the current (last) cell; a new
    /// lattice turns the trajectory into a variable-cell one.
    pub fn push_frame(
        &mut self,
        positions: Vec<Vector3<f64>>,
        lattice: Option<Lattice>,
    ) -> Result<()> {
        if positions.len() != self.species.len() {
            return Err(Error::Structure(format!(
                "frame {} has {} positions for {} atoms",
                self.n_frames(),
                positions.len(),
                self.species.len()
            )));
        }
        let n_before = self.n_frames();
        match lattice {
            Some(l) if self.lattices.len() == 1 && n_before > 0 && l != self.lattices[0] => {
                // Switch to one lattice per frame.
                let first = self.lattices[0].clone();
                self.lattices = vec![first; n_before];
                self.lattices.push(l);
            }
            Some(l) if self.lattices.len() > 1 => self.lattices.push(l),
            Some(l) if n_before == 0 => self.lattices[0] = l,
            Some(_) => {} // same as the fixed cell
            None if self.lattices.len() > 1 => {
                let last = self.lattices[self.lattices.len() - 1].clone();
                self.lattices.push(last);
            }
            None => {}
        }
        self.positions.extend(positions);
        Ok(())
    }

    /// Number of atoms.
    pub fn n_atoms(&self) -> usize {
        self.species.len()
    }

    /// Number of frames.
    pub fn n_frames(&self) -> usize {
        if self.species.is_empty() {
            0
        } else {
            self.positions.len() / self.species.len()
        }
    }

    /// Species of every atom.
    pub fn species(&self) -> &[Element] {
        &self.species
    }

    /// Periodicity.
    pub fn pbc(&self) -> [bool; 3] {
        self.pbc
    }

    /// Time between stored frames (fs).
    pub fn time_step_fs(&self) -> f64 {
        self.time_step_fs
    }

    /// Sets the time between stored frames (fs).
    pub fn set_time_step_fs(&mut self, dt: f64) -> Result<()> {
        if !(dt.is_finite() && dt > 0.0) {
            return Err(Error::Structure(format!(
                "trajectory time step {dt} fs must be positive"
            )));
        }
        self.time_step_fs = dt;
        Ok(())
    }

    /// True when every frame has the same cell.
    pub fn is_fixed_cell(&self) -> bool {
        self.lattices.len() == 1
    }

    /// The lattice of frame `f`.
    pub fn lattice(&self, f: usize) -> &Lattice {
        if self.lattices.len() == 1 {
            &self.lattices[0]
        } else {
            &self.lattices[f]
        }
    }

    /// Positions of frame `f` (Å).
    pub fn positions(&self, f: usize) -> &[Vector3<f64>] {
        let n = self.n_atoms();
        &self.positions[f * n..(f + 1) * n]
    }

    /// All positions, frame-major (`frame * n_atoms + atom`).
    pub fn all_positions(&self) -> &[Vector3<f64>] {
        &self.positions
    }

    /// Frame `f` as a structure.
    pub fn frame(&self, f: usize) -> Structure {
        Structure::with_pbc(
            self.lattice(f).clone(),
            self.species.clone(),
            self.positions(f).to_vec(),
            self.pbc,
        )
        .expect("frames are validated on insertion")
    }

    /// Continuous (unwrapped) Cartesian positions, frame-major. Each step is taken as the
    /// minimum-image fractional displacement from the previous frame (valid while no atom
    /// moves more than half a cell between frames), then mapped with that frame's lattice.
    pub fn unwrapped_positions(&self) -> Vec<Vector3<f64>> {
        let n = self.n_atoms();
        let nf = self.n_frames();
        let mut out = Vec::with_capacity(n * nf);
        if nf == 0 {
            return out;
        }
        let mut frac: Vec<Vector3<f64>> = self
            .positions(0)
            .iter()
            .map(|p| self.lattice(0).to_fractional(p))
            .collect();
        out.extend(self.positions(0).iter().copied());
        let mut prev_raw = frac.clone();
        for f in 1..nf {
            let lat = self.lattice(f);
            for (i, p) in self.positions(f).iter().enumerate() {
                let raw = lat.to_fractional(p);
                let mut d = raw - prev_raw[i];
                for k in 0..3 {
                    if self.pbc[k] {
                        d[k] -= d[k].round();
                    }
                }
                frac[i] += d;
                prev_raw[i] = raw;
                out.push(lat.to_cartesian(&frac[i]));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_cell_switch() {
        let li = Element::from_symbol("Li").unwrap();
        let mut t = Trajectory::new(vec![li], Lattice::cubic(5.0).unwrap(), 1.0).unwrap();
        t.push_frame(vec![Vector3::zeros()], None).unwrap();
        assert!(t.is_fixed_cell());
        t.push_frame(vec![Vector3::zeros()], Some(Lattice::cubic(6.0).unwrap()))
            .unwrap();
        assert!(!t.is_fixed_cell());
        t.push_frame(vec![Vector3::zeros()], None).unwrap();
        assert_eq!(t.lattice(0).volume().round(), 125.0);
        assert_eq!(t.lattice(2).volume().round(), 216.0);
        assert!(t.push_frame(vec![], None).is_err());
        assert!(Trajectory::new(vec![li], Lattice::cubic(5.0).unwrap(), 0.0).is_err());
    }
}
