//! Atomic structures: species, Cartesian positions, a lattice and periodicity.

use crate::composition::Composition;
use crate::element::Element;
use crate::error::{Error, Result};
use crate::lattice::Lattice;
use crate::units;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A periodic (or partly periodic) atomic structure.
///
/// Positions are Cartesian, in Å, and are **not** required to lie inside the cell (MD keeps
/// unwrapped coordinates; call [`Structure::wrap`] when a wrapped copy is wanted).
///
/// ```
/// use amorph_core::{Element, Lattice, Structure};
/// use nalgebra::Vector3;
/// let li = Element::from_symbol("Li").unwrap();
/// let f = Element::from_symbol("F").unwrap();
/// let s = Structure::new(
///     Lattice::cubic(4.0).unwrap(),
///     vec![li, f],
///     vec![Vector3::zeros(), Vector3::new(2.0, 2.0, 2.0)],
/// ).unwrap();
/// assert_eq!(s.len(), 2);
/// assert!((s.density_g_cm3() - 0.673).abs() < 1e-3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StructureRepr")]
pub struct Structure {
    lattice: Lattice,
    species: Vec<Element>,
    positions: Vec<Vector3<f64>>,
    pbc: [bool; 3],
}

/// What a serialised [`Structure`] holds; deserialising goes through
/// [`Structure::with_pbc`], so JSON (a checkpoint, the database) cannot make a structure
/// whose species and positions disagree or whose positions are not finite.
#[derive(Deserialize)]
struct StructureRepr {
    lattice: Lattice,
    species: Vec<Element>,
    positions: Vec<Vector3<f64>>,
    pbc: [bool; 3],
}

impl TryFrom<StructureRepr> for Structure {
    type Error = Error;
    fn try_from(r: StructureRepr) -> Result<Self> {
        Structure::with_pbc(r.lattice, r.species, r.positions, r.pbc)
    }
}

impl Structure {
    /// A fully periodic structure. Fails when the lengths differ or a position is not finite.
    pub fn new(
        lattice: Lattice,
        species: Vec<Element>,
        positions: Vec<Vector3<f64>>,
    ) -> Result<Self> {
        Self::with_pbc(lattice, species, positions, [true; 3])
    }

    /// A structure with the given periodicity along a, b, c.
    pub fn with_pbc(
        lattice: Lattice,
        species: Vec<Element>,
        positions: Vec<Vector3<f64>>,
        pbc: [bool; 3],
    ) -> Result<Self> {
        if species.len() != positions.len() {
            return Err(Error::Structure(format!(
                "{} species but {} positions",
                species.len(),
                positions.len()
            )));
        }
        if let Some(i) = positions
            .iter()
            .position(|p| p.iter().any(|x| !x.is_finite()))
        {
            return Err(Error::Structure(format!(
                "position of atom {i} ({}) is not finite: {:?}",
                species[i],
                positions[i].as_slice()
            )));
        }
        Ok(Structure {
            lattice,
            species,
            positions,
            pbc,
        })
    }

    /// A fully periodic structure from fractional coordinates.
    pub fn from_fractional(
        lattice: Lattice,
        species: Vec<Element>,
        fractional: &[Vector3<f64>],
    ) -> Result<Self> {
        let positions = fractional.iter().map(|f| lattice.to_cartesian(f)).collect();
        Self::new(lattice, species, positions)
    }

    /// Number of atoms.
    pub fn len(&self) -> usize {
        self.species.len()
    }

    /// True when the structure has no atoms.
    pub fn is_empty(&self) -> bool {
        self.species.is_empty()
    }

    /// The lattice.
    pub fn lattice(&self) -> &Lattice {
        &self.lattice
    }

    /// Species of every atom.
    pub fn species(&self) -> &[Element] {
        &self.species
    }

    /// Cartesian positions (Å).
    pub fn positions(&self) -> &[Vector3<f64>] {
        &self.positions
    }

    /// Mutable access to the positions (the number of atoms cannot change through it).
    pub fn positions_mut(&mut self) -> &mut [Vector3<f64>] {
        &mut self.positions
    }

    /// Periodicity along a, b, c.
    pub fn pbc(&self) -> [bool; 3] {
        self.pbc
    }

    /// Replaces the lattice keeping Cartesian positions (see [`Structure::scale_to_volume`] for
    /// scaling positions with the cell).
    pub fn set_lattice(&mut self, lattice: Lattice) {
        self.lattice = lattice;
    }

    /// Scales the cell isotropically to `volume` (Å³), moving atoms with it (fractional
    /// coordinates kept).
    pub fn scale_to_volume(&mut self, volume: f64) -> Result<()> {
        let new = self.lattice.with_volume(volume)?;
        let factor = (volume / self.lattice.volume()).cbrt();
        for p in &mut self.positions {
            *p *= factor;
        }
        self.lattice = new;
        Ok(())
    }

    /// Cell volume (Å³).
    pub fn volume(&self) -> f64 {
        self.lattice.volume()
    }

    /// Atomic masses (amu).
    pub fn masses(&self) -> Vec<f64> {
        self.species.iter().map(|e| e.mass()).collect()
    }

    /// Total mass (amu).
    pub fn total_mass(&self) -> f64 {
        self.species.iter().map(|e| e.mass()).sum()
    }

    /// Mass density (g/cm³).
    pub fn density_g_cm3(&self) -> f64 {
        units::density_g_cm3(self.total_mass(), self.volume())
    }

    /// Fractional coordinates of every atom.
    pub fn fractional_positions(&self) -> Vec<Vector3<f64>> {
        self.positions
            .iter()
            .map(|p| self.lattice.to_fractional(p))
            .collect()
    }

    /// A copy with every position wrapped into the cell along the periodic directions.
    pub fn wrapped(&self) -> Structure {
        let mut s = self.clone();
        s.wrap();
        s
    }

    /// Wraps every position into the cell along the periodic directions.
    pub fn wrap(&mut self) {
        for p in &mut self.positions {
            *p = self.lattice.wrap(p, self.pbc);
        }
    }

    /// Number of atoms of each element, ordered by atomic number.
    pub fn element_counts(&self) -> BTreeMap<Element, usize> {
        let mut counts = BTreeMap::new();
        for e in &self.species {
            *counts.entry(*e).or_insert(0) += 1;
        }
        counts
    }

    /// Indices of the atoms of element `e`.
    pub fn indices_of(&self, e: Element) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.species[i] == e).collect()
    }

    /// The supercell made of `factors[0] × factors[1] × factors[2]` copies of this cell.
    /// Atoms are ordered copy by copy (all atoms of image (0,0,0) first, a fastest-varying
    /// image index last), like ASE's `atoms.repeat`.
    pub fn supercell(&self, factors: [u32; 3]) -> Result<Structure> {
        if factors.contains(&0) {
            return Err(Error::Structure(format!(
                "supercell factors {factors:?} must be ≥ 1"
            )));
        }
        let lattice = self.lattice.scaled_by(factors)?;
        let n = self.len() * factors.iter().map(|&f| f as usize).product::<usize>();
        let mut species = Vec::with_capacity(n);
        let mut positions = Vec::with_capacity(n);
        for i in 0..factors[0] {
            for j in 0..factors[1] {
                for k in 0..factors[2] {
                    let shift = self.lattice.to_cartesian(&Vector3::new(
                        f64::from(i),
                        f64::from(j),
                        f64::from(k),
                    ));
                    species.extend_from_slice(&self.species);
                    positions.extend(self.positions.iter().map(|p| p + shift));
                }
            }
        }
        Structure::with_pbc(lattice, species, positions, self.pbc)
    }

    /// Minimum-image distance between atoms `i` and `j` (Å). For cells much smaller than the
    /// distance of interest use a [`crate::NeighborList`] instead.
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        self.lattice
            .minimum_image(&(self.positions[j] - self.positions[i]), self.pbc)
            .norm()
    }

    /// Formula with elements in the order of first appearance and integer counts, e.g.
    /// `"Li2O"` for the atoms Li, Li, O (no reduction).
    pub fn formula(&self) -> String {
        let mut order: Vec<Element> = Vec::new();
        let mut counts: BTreeMap<Element, usize> = BTreeMap::new();
        for e in &self.species {
            if !counts.contains_key(e) {
                order.push(*e);
            }
            *counts.entry(*e).or_insert(0) += 1;
        }
        order
            .iter()
            .map(|e| match counts[e] {
                1 => e.symbol().to_string(),
                c => format!("{}{c}", e.symbol()),
            })
            .collect()
    }

    /// The composition: each element with its number of atoms, in the order of first
    /// appearance (as in [`Structure::formula`]).
    ///
    /// Errors ([`Error::Structure`]) for a structure without atoms, which has no composition.
    ///
    /// ```
    /// use amorph_core::{Element, Lattice, Structure};
    /// use nalgebra::Vector3;
    /// let (li, o) = (Element::from_symbol("Li")?, Element::from_symbol("O")?);
    /// let x = |f: f64| Vector3::new(f, 0.0, 0.0);
    /// let s = Structure::new(Lattice::cubic(6.0)?, vec![o, li, li], vec![x(0.0), x(2.0), x(4.0)])?;
    /// let c = s.composition()?;
    /// assert_eq!(c.iter().collect::<Vec<_>>(), [(o, 1.0), (li, 2.0)]);
    /// assert_eq!(c.reduced_formula(), "Li2O");
    /// # Ok::<(), amorph_core::Error>(())
    /// ```
    pub fn composition(&self) -> Result<Composition> {
        if self.species.is_empty() {
            return Err(Error::Structure(
                "a structure without atoms has no composition".into(),
            ));
        }
        Composition::from_amounts(self.species.iter().map(|&e| (e, 1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn el(s: &str) -> Element {
        Element::from_symbol(s).unwrap()
    }

    #[test]
    fn rejects_mismatch_and_nan() {
        let l = Lattice::cubic(3.0).unwrap();
        assert!(Structure::new(l.clone(), vec![el("Li")], vec![]).is_err());
        let e = Structure::new(l, vec![el("Li")], vec![Vector3::new(f64::NAN, 0.0, 0.0)]);
        assert!(e.unwrap_err().to_string().contains("atom 0 (Li)"));
    }

    #[test]
    fn supercell_density_and_counts() {
        let l = Lattice::from_parameters(4.0, 4.5, 5.0, 80.0, 85.0, 95.0).unwrap();
        let s = Structure::from_fractional(
            l,
            vec![el("Li"), el("O")],
            &[Vector3::new(0.1, 0.2, 0.3), Vector3::new(0.6, 0.5, 0.4)],
        )
        .unwrap();
        let sc = s.supercell([2, 3, 1]).unwrap();
        assert_eq!(sc.len(), 12);
        assert_relative_eq!(sc.density_g_cm3(), s.density_g_cm3(), max_relative = 1e-12);
        assert_eq!(sc.element_counts()[&el("Li")], 6);
        assert_eq!(s.formula(), "LiO");
        assert!(s.supercell([0, 1, 1]).is_err());
    }

    #[test]
    fn scale_keeps_fractional() {
        let mut s = Structure::from_fractional(
            Lattice::cubic(4.0).unwrap(),
            vec![el("Li")],
            &[Vector3::new(0.25, 0.5, 0.75)],
        )
        .unwrap();
        s.scale_to_volume(128.0).unwrap();
        assert_relative_eq!(
            s.fractional_positions()[0],
            Vector3::new(0.25, 0.5, 0.75),
            epsilon = 1e-12
        );
        assert_relative_eq!(s.volume(), 128.0, epsilon = 1e-9);
    }
}
