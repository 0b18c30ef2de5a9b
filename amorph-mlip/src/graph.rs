//! The input graph of a message-passing potential, for one cell or many, and the assembly of
//! forces and stress from the gradient of the energy with respect to the edge vectors.
//!
//! A batch of cells is the **disjoint union** of their graphs: atoms are numbered cell after
//! cell and edges never join two cells, so one forward call gives every cell's atomic
//! energies, and the gradient of the summed energy with respect to one cell's edge vectors is
//! the gradient of that cell's energy alone.
//!
//! Periodicity lives only in the edge vectors: the graph holds, for each atom i, every
//! neighbour j and periodic image within the model's cutoff (amorph's full neighbour list),
//! with `edge_vec = r_j + S·L − r_i`. With g = ∂E/∂edge_vec for each edge (i → j),
//! F_i += g and F_j −= g, and the stress (ASE's sign, σ = (1/V) ∂E/∂ε) is
//! σ = (1/V) Σ_edges g ⊗ edge_vec (symmetrised), which is what SevenNet's own LAMMPS pair style
//! and ASE calculator compute.

use crate::error::{Result, TorchError};
use crate::model::ModelInfo;
use amorph_core::{Calculation, NeighborList, Request, Structure};
use nalgebra::Vector3;
use std::ops::Range;

/// The graph of one or more cells, as the model takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// Each atom's type index in the model's species list (input `x`), cell after cell.
    pub types: Vec<i64>,
    /// Each edge's centre atom i (row 0 of `edge_index`), numbered across the batch.
    pub sources: Vec<i64>,
    /// Each edge's neighbour atom j (row 1 of `edge_index`), numbered across the batch.
    pub targets: Vec<i64>,
    /// Each edge's vector r_j + S·L − r_i (Å), flattened x, y, z.
    pub vectors: Vec<f32>,
    /// Each cell's atoms (indices into `types`).
    pub atoms: Vec<Range<usize>>,
    /// Each cell's edges (indices into `sources`, `targets` and the edge vectors).
    pub edges: Vec<Range<usize>>,
    /// Each cell's volume (Å³).
    pub volumes: Vec<f64>,
}

impl Graph {
    /// The graph of `cells` for the model described by `info`. Refuses a species the model does
    /// not know (naming it and the cell) and an empty cell.
    pub fn build(info: &ModelInfo, cells: &[&Structure]) -> Result<Graph> {
        let mut g = Graph {
            types: Vec::new(),
            sources: Vec::new(),
            targets: Vec::new(),
            vectors: Vec::new(),
            atoms: Vec::with_capacity(cells.len()),
            edges: Vec::with_capacity(cells.len()),
            volumes: Vec::with_capacity(cells.len()),
        };
        for (c, s) in cells.iter().enumerate() {
            if s.is_empty() {
                return Err(TorchError::Input(format!("cell {c} has no atoms")));
            }
            let offset = g.types.len();
            for &e in s.species() {
                let t = info.index_of(e).ok_or_else(|| TorchError::UnknownSpecies {
                    element: e,
                    cell: c,
                    known: info.species_list(),
                })?;
                g.types.push(t as i64);
            }
            // One thread: the graph is cheap beside the model, and a build inside a
            // `Lockstep` batch must not wait on rayon tasks (see `crate::lockstep`).
            let list = NeighborList::builder(info.cutoff)
                .parallel(false)
                .build(s)
                .map_err(|e| TorchError::Input(format!("cell {c}: {e}")))?;
            let first_edge = g.sources.len();
            // A full list: the pairs within the cutoff; the model's own cutoff envelope makes
            // an edge at exactly the cutoff contribute nothing, so the boundary is harmless.
            for i in 0..s.len() {
                for n in list.neighbors(i) {
                    g.sources.push((offset + i) as i64);
                    g.targets.push((offset + n.j) as i64);
                    g.vectors
                        .extend([n.vector.x as f32, n.vector.y as f32, n.vector.z as f32]);
                }
            }
            g.atoms.push(offset..g.types.len());
            g.edges.push(first_edge..g.sources.len());
            g.volumes.push(s.volume());
        }
        Ok(g)
    }

    /// Number of atoms in the whole batch.
    pub fn n_atoms(&self) -> usize {
        self.types.len()
    }

    /// Number of edges in the whole batch.
    pub fn n_edges(&self) -> usize {
        self.sources.len()
    }

    /// Every cell's [`Calculation`] from the model's per-atom energies (eV, one per atom of the
    /// batch) and the gradient of the total energy with respect to the edge vectors (eV/Å,
    /// flattened like [`Graph::vectors`]). Sums run in f64.
    pub fn assemble(
        &self,
        atomic_energies: &[f64],
        edge_gradient: &[f64],
        request: Request,
    ) -> Result<Vec<Calculation>> {
        if atomic_energies.len() != self.n_atoms() || edge_gradient.len() != 3 * self.n_edges() {
            return Err(TorchError::Output(format!(
                "the model returned {} atomic energies and {} gradient components for {} atoms and {} edges",
                atomic_energies.len(),
                edge_gradient.len(),
                self.n_atoms(),
                self.n_edges()
            )));
        }
        let mut out = Vec::with_capacity(self.atoms.len());
        for (c, atoms) in self.atoms.iter().enumerate() {
            let offset = atoms.start;
            let energies = &atomic_energies[atoms.clone()];
            let mut forces = vec![Vector3::<f64>::zeros(); atoms.len()];
            // Virial sum Σ g ⊗ d, row a = gradient component, column b = vector component.
            let mut w = [[0.0f64; 3]; 3];
            for e in self.edges[c].clone() {
                let g = Vector3::new(
                    edge_gradient[3 * e],
                    edge_gradient[3 * e + 1],
                    edge_gradient[3 * e + 2],
                );
                let d = [
                    self.vectors[3 * e] as f64,
                    self.vectors[3 * e + 1] as f64,
                    self.vectors[3 * e + 2] as f64,
                ];
                forces[self.sources[e] as usize - offset] += g;
                forces[self.targets[e] as usize - offset] -= g;
                for (a, row) in w.iter_mut().enumerate() {
                    for (b, x) in row.iter_mut().enumerate() {
                        *x += g[a] * d[b];
                    }
                }
            }
            let v = self.volumes[c];
            let s = |a: usize, b: usize| 0.5 * (w[a][b] + w[b][a]) / v;
            let energy: f64 = energies.iter().sum();
            let mut calc = Calculation::new(energy, forces);
            if request.stress {
                calc = calc.with_stress([s(0, 0), s(1, 1), s(2, 2), s(1, 2), s(0, 2), s(0, 1)]);
            }
            if request.energies {
                calc = calc.with_energies(energies.to_vec());
            }
            out.push(calc);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amorph_core::{Element, Lattice};

    fn info() -> ModelInfo {
        ModelInfo {
            species: ["Li", "O"].iter().map(|s| s.parse().unwrap()).collect(),
            cutoff: 3.0,
            model_type: "test".into(),
            version: "0".into(),
            dtype: "single".into(),
        }
    }

    fn cell(n: usize, seed: u64) -> Structure {
        let mut x = seed;
        let mut rnd = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let species: Vec<Element> = (0..n)
            .map(|i| if i % 3 == 0 { "O" } else { "Li" }.parse().unwrap())
            .collect();
        let positions = (0..n)
            .map(|_| Vector3::new(rnd() * 5.0, rnd() * 5.5, rnd() * 6.0))
            .collect();
        Structure::new(
            Lattice::from_rows([[5.0, 0.0, 0.0], [0.3, 5.5, 0.0], [0.2, -0.4, 6.0]]).unwrap(),
            species,
            positions,
        )
        .unwrap()
    }

    /// A pair energy E = Σ_edges ½ k |d|² through the assembly equals the same energy's
    /// forces and stress by finite differences of positions and strain.
    #[test]
    fn assembly_matches_finite_differences_of_a_pair_energy() {
        let k = 0.7;
        let energy_of = |s: &Structure| -> f64 {
            let g = Graph::build(&info(), &[s]).unwrap();
            (0..g.n_edges())
                .map(|e| {
                    let d = Vector3::new(
                        g.vectors[3 * e] as f64,
                        g.vectors[3 * e + 1] as f64,
                        g.vectors[3 * e + 2] as f64,
                    );
                    0.25 * k * d.norm_squared() // ½ per pair, each pair listed twice
                })
                .sum()
        };
        let s = cell(12, 3);
        let g = Graph::build(&info(), &[&s]).unwrap();
        let grad: Vec<f64> = g.vectors.iter().map(|&x| 0.5 * k * x as f64).collect();
        let per_atom = vec![energy_of(&s) / s.len() as f64; s.len()];
        let c = g
            .assemble(&per_atom, &grad, Request::STRESS)
            .unwrap()
            .remove(0);
        // The edge vectors are f32, hence the loose step and tolerance.
        let h = 1e-3;
        for i in [0, 5, 11] {
            for a in 0..3 {
                let mut p = s.clone();
                p.positions_mut()[i][a] += h;
                let mut m = s.clone();
                m.positions_mut()[i][a] -= h;
                let fd = -(energy_of(&p) - energy_of(&m)) / (2.0 * h);
                assert!((c.forces[i][a] - fd).abs() < 2e-3, "{i} {a}");
            }
        }
        let stress = c.stress.unwrap();
        let voigt = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)];
        for (v, &(a, b)) in voigt.iter().enumerate() {
            let strained = |eps: f64| {
                let mut f = nalgebra::Matrix3::identity();
                f[(a, b)] += eps / 2.0;
                f[(b, a)] += eps / 2.0;
                let rows = s.lattice().matrix() * f.transpose();
                let mut t = s.clone();
                t.set_lattice(Lattice::new(rows).unwrap());
                for r in t.positions_mut() {
                    *r = f * *r;
                }
                energy_of(&t)
            };
            let fd = (strained(h) - strained(-h)) / (2.0 * h) / s.volume();
            assert!((stress[v] - fd).abs() < 2e-4, "{v}: {} vs {fd}", stress[v]);
        }
    }

    #[test]
    fn batch_is_the_disjoint_union_of_its_cells() {
        let (a, b) = (cell(7, 1), cell(10, 2));
        let ga = Graph::build(&info(), &[&a]).unwrap();
        let gb = Graph::build(&info(), &[&b]).unwrap();
        let g = Graph::build(&info(), &[&a, &b]).unwrap();
        assert_eq!(g.atoms, vec![0..7, 7..17]);
        assert_eq!(g.n_edges(), ga.n_edges() + gb.n_edges());
        assert_eq!(&g.vectors[..ga.vectors.len()], &ga.vectors[..]);
        assert_eq!(&g.vectors[ga.vectors.len()..], &gb.vectors[..]);
        let shifted: Vec<i64> = gb.sources.iter().map(|x| x + 7).collect();
        assert_eq!(&g.sources[ga.n_edges()..], &shifted[..]);
        // Every edge stays within its own cell.
        for (c, edges) in g.edges.iter().enumerate() {
            for e in edges.clone() {
                assert!(g.atoms[c].contains(&(g.targets[e] as usize)));
            }
        }
    }

    #[test]
    fn refuses_species_outside_the_model() {
        let s = Structure::new(
            Lattice::cubic(5.0).unwrap(),
            vec!["Li".parse().unwrap(), "Xe".parse().unwrap()],
            vec![Vector3::zeros(), Vector3::new(2.0, 2.0, 2.0)],
        )
        .unwrap();
        let e = Graph::build(&info(), &[&cell(4, 1), &s]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cell 1 holds Xe, which the model does not know (its species: Li O)"
        );
    }
}
