//! Cumulative displacements: unwrapping, per-species selection and drift correction.

use crate::error::{DiffusionError, Result};
use amorph_core::{Element, Trajectory};
use nalgebra::Vector3;
use rayon::prelude::*;

/// Which atoms define the reference frame whose drift is removed.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Drift {
    /// pymatgen's and kinisi's convention: subtract, at every frame, the unweighted mean
    /// displacement of the framework (all atoms not of the diffusing species). A cell with no
    /// framework atoms is an error ([`DiffusionError::NoFramework`]) rather than pymatgen's NaN.
    #[default]
    Framework,
    /// No drift correction (e.g. a liquid of one species, or an MD run with zero total momentum).
    None,
    /// Subtract the mean displacement of these atoms.
    Indices(Vec<usize>),
}

/// Cumulative Cartesian displacements (Å) of every atom from frame 0, atom-major.
///
/// Frame 0 is zero for displacements built from a trajectory. The cell volume (mean over
/// frames) is kept for conductivities.
#[derive(Debug, Clone, PartialEq)]
pub struct Displacements {
    species: Vec<Element>,
    volume_a3: f64,
    n_frames: usize,
    /// `data[atom * n_frames + frame]`.
    data: Vec<[f64; 3]>,
}

impl Displacements {
    /// Unwraps a trajectory the way pymatgen's `DiffusionAnalyzer.from_structures` does: the
    /// fractional step of every atom between consecutive frames is wrapped to the nearest image
    /// (valid while no atom moves more than half a cell between stored frames), mapped to
    /// Cartesian with the newer frame's lattice, and summed. For a fixed cell this equals
    /// [`Trajectory::unwrapped_positions`] minus frame 0.
    pub fn from_trajectory(traj: &Trajectory) -> Result<Self> {
        let n = traj.n_atoms();
        let nf = traj.n_frames();
        if nf == 0 || n == 0 {
            return Err(DiffusionError::NotEnoughFrames {
                what: "a displacement analysis".into(),
                needed: 1,
                frames: nf,
            });
        }
        let pbc = traj.pbc();
        let mut data = vec![[0.0; 3]; n * nf];
        let volume_a3 = (0..if traj.is_fixed_cell() { 1 } else { nf })
            .map(|f| traj.lattice(f).volume())
            .sum::<f64>()
            / if traj.is_fixed_cell() { 1.0 } else { nf as f64 };
        let mut prev: Vec<Vector3<f64>> = traj
            .positions(0)
            .iter()
            .map(|p| traj.lattice(0).to_fractional(p))
            .collect();
        for f in 1..nf {
            let lat = traj.lattice(f);
            for (i, p) in traj.positions(f).iter().enumerate() {
                let raw = lat.to_fractional(p);
                let mut d = raw - prev[i];
                for k in 0..3 {
                    if pbc[k] {
                        d[k] -= d[k].round();
                    }
                }
                prev[i] = raw;
                let c = lat.to_cartesian(&d);
                let last = data[i * nf + f - 1];
                data[i * nf + f] = [last[0] + c.x, last[1] + c.y, last[2] + c.z];
            }
        }
        Ok(Displacements {
            species: traj.species().to_vec(),
            volume_a3,
            n_frames: nf,
            data,
        })
    }

    /// Displacements given directly (e.g. pymatgen's `displacements` array, `[site][frame]`),
    /// atom-major: `data[atom * n_frames + frame]`, Å, cumulative from frame 0.
    pub fn from_cumulative(
        species: Vec<Element>,
        volume_a3: f64,
        n_frames: usize,
        data: Vec<[f64; 3]>,
    ) -> Result<Self> {
        if data.len() != species.len() * n_frames {
            return Err(DiffusionError::Shape(format!(
                "{} displacement vectors for {} atoms × {} frames",
                data.len(),
                species.len(),
                n_frames
            )));
        }
        if !(volume_a3.is_finite() && volume_a3 > 0.0) {
            return Err(crate::error::param(
                "volume_a3",
                volume_a3,
                "must be positive",
            ));
        }
        if let Some(k) = data.iter().position(|v| !v.iter().all(|x| x.is_finite())) {
            return Err(DiffusionError::Shape(format!(
                "non-finite displacement of atom {} at frame {}",
                k / n_frames.max(1),
                k % n_frames.max(1)
            )));
        }
        Ok(Displacements {
            species,
            volume_a3,
            n_frames,
            data,
        })
    }

    /// Number of atoms.
    pub fn n_atoms(&self) -> usize {
        self.species.len()
    }

    /// Number of frames.
    pub fn n_frames(&self) -> usize {
        self.n_frames
    }

    /// Species of every atom.
    pub fn species(&self) -> &[Element] {
        &self.species
    }

    /// Cell volume (Å³; the mean over frames for a variable cell).
    pub fn volume_a3(&self) -> f64 {
        self.volume_a3
    }

    /// The path of atom `i` (one displacement per frame).
    pub fn atom(&self, i: usize) -> &[[f64; 3]] {
        &self.data[i * self.n_frames..(i + 1) * self.n_frames]
    }

    /// Indices of the atoms of `species`; [`DiffusionError::SpeciesAbsent`] if there are none.
    pub fn select(&self, species: Element) -> Result<Vec<usize>> {
        let idx: Vec<usize> = (0..self.n_atoms())
            .filter(|&i| self.species[i] == species)
            .collect();
        if idx.is_empty() {
            let mut present: Vec<&str> = self.species.iter().map(|e| e.symbol()).collect();
            present.sort_unstable();
            present.dedup();
            return Err(DiffusionError::SpeciesAbsent {
                species: species.symbol().to_string(),
                present: present.join(", "),
            });
        }
        Ok(idx)
    }

    /// The per-frame mean displacement of the drift reference atoms (`None` for
    /// [`Drift::None`]). `diffusing` defines the framework for [`Drift::Framework`].
    pub fn drift(&self, drift: &Drift, diffusing: Element) -> Result<Option<Vec<[f64; 3]>>> {
        let reference: Vec<usize> = match drift {
            Drift::None => return Ok(None),
            Drift::Framework => (0..self.n_atoms())
                .filter(|&i| self.species[i] != diffusing)
                .collect(),
            Drift::Indices(v) => {
                if let Some(&bad) = v.iter().find(|&&i| i >= self.n_atoms()) {
                    return Err(crate::error::param(
                        "drift index",
                        bad,
                        &format!("the trajectory has {} atoms", self.n_atoms()),
                    ));
                }
                v.clone()
            }
        };
        if reference.is_empty() {
            return Err(DiffusionError::NoFramework {
                species: diffusing.symbol().to_string(),
            });
        }
        let mut mean = crate::msd::summed_path(self, &reference);
        let inv = 1.0 / reference.len() as f64;
        for m in &mut mean {
            for x in m.iter_mut() {
                *x *= inv;
            }
        }
        Ok(Some(mean))
    }

    /// A copy with the drift of the reference atoms removed from every atom.
    /// `diffusing` is the species under study (it defines the framework for [`Drift::Framework`]).
    pub fn drift_corrected(&self, drift: &Drift, diffusing: Element) -> Result<Self> {
        let mean = self.drift(drift, diffusing)?;
        let all: Vec<usize> = (0..self.n_atoms()).collect();
        Ok(self.subset(&all, mean.as_deref()))
    }

    /// The paths of `atoms` only (in that order), with the per-frame `drift` (from
    /// [`Displacements::drift`]) subtracted when given. Cheaper than
    /// [`Displacements::drift_corrected`] when only some atoms are analysed.
    ///
    /// # Panics
    /// If an index is out of range or `drift` does not have one entry per frame.
    pub fn subset(&self, atoms: &[usize], drift: Option<&[[f64; 3]]>) -> Self {
        let nf = self.n_frames;
        if let Some(mean) = drift {
            assert_eq!(mean.len(), nf, "one drift vector per frame");
        }
        let mut data = vec![[0.0; 3]; atoms.len() * nf];
        data.par_chunks_mut(nf.max(1))
            .zip(atoms)
            .for_each(|(out, &i)| {
                let p = self.atom(i);
                match drift {
                    Some(mean) => {
                        for ((o, d), m) in out.iter_mut().zip(p).zip(mean) {
                            *o = [d[0] - m[0], d[1] - m[1], d[2] - m[2]];
                        }
                    }
                    None => out.copy_from_slice(p),
                }
            });
        Displacements {
            species: atoms.iter().map(|&i| self.species[i]).collect(),
            volume_a3: self.volume_a3,
            n_frames: nf,
            data,
        }
    }

    /// [`Displacements::max_displacement`] after subtracting the per-frame `drift`, without
    /// building the corrected copy.
    pub fn max_displacement_corrected(
        &self,
        atoms: &[usize],
        drift: Option<&[[f64; 3]]>,
    ) -> Option<f64> {
        let Some(mean) = drift else {
            return self.max_displacement(atoms);
        };
        if self.n_frames == 0 {
            return None;
        }
        // The square root is monotonic and correctly rounded: taking it once at the end gives
        // the same value as the maximum of the roots.
        atoms
            .par_iter()
            .map(|&i| {
                self.atom(i)
                    .iter()
                    .zip(mean)
                    .map(|(d, m)| {
                        let (x, y, z) = (d[0] - m[0], d[1] - m[1], d[2] - m[2]);
                        x * x + y * y + z * z
                    })
                    .fold(0.0f64, f64::max)
            })
            .reduce_with(f64::max)
            .map(f64::sqrt)
    }

    /// The largest distance (Å) any of `atoms` gets from its start (pymatgen's
    /// `max_framework_displacement` when given the framework atoms). `None` for no atoms.
    pub fn max_displacement(&self, atoms: &[usize]) -> Option<f64> {
        atoms
            .iter()
            .flat_map(|&i| self.atom(i).iter())
            .map(|d| (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt())
            .fold(None, |acc: Option<f64>, x| {
                Some(acc.map_or(x, |a| a.max(x)))
            })
    }
}
