//! Partial radial distribution functions, coordination numbers and the R² between two RDF sets
//! (the paper's Fig. 6 comparison of AIMD and ML-potential structures).

use crate::error::{DiffusionError, Result, param};
use amorph_core::{Element, NeighborList, Structure};
use std::f64::consts::PI;

/// One partial RDF `g_ab(r)` on a uniform grid of bin centres.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PartialRdf {
    /// Central species.
    pub a: String,
    /// Neighbour species.
    pub b: String,
    /// Bin centres (Å).
    pub r: Vec<f64>,
    /// g_ab(r), normalised by the mean density of b (N_b / V): → 1 at large r in a liquid.
    pub g: Vec<f64>,
    /// Running coordination number: mean number of b atoms within the bin's outer edge of an a atom.
    pub cn: Vec<f64>,
}

impl PartialRdf {
    /// Pair label "A-B".
    pub fn label(&self) -> String {
        format!("{}-{}", self.a, self.b)
    }

    /// Coordination number at distance `r` (Å): the running value at the last bin edge ≤ r.
    pub fn coordination_at(&self, r: f64) -> f64 {
        let dr = if self.r.len() > 1 {
            self.r[1] - self.r[0]
        } else {
            0.0
        };
        let k = ((r / dr).floor() as usize).min(self.cn.len());
        if k == 0 { 0.0 } else { self.cn[k - 1] }
    }

    /// Index of the highest bin of g(r), if it is positive.
    fn peak_index(&self) -> Option<usize> {
        let g = &self.g;
        (0..g.len())
            .max_by(|&i, &j| g[i].total_cmp(&g[j]))
            .filter(|&i| g[i] > 0.0)
    }

    /// Position (Å) of the first coordination shell: the highest bin of g(r); `None` when g is
    /// nowhere positive.
    ///
    /// ```
    /// use amorph_diffusion::PartialRdf;
    ///
    /// let rdf = PartialRdf {
    ///     a: "Li".into(),
    ///     b: "S".into(),
    ///     r: vec![1.0, 2.0, 3.0, 4.0, 5.0],
    ///     g: vec![0.0, 2.5, 0.6, 1.1, 1.0],
    ///     cn: vec![0.0, 3.0, 3.5, 5.0, 7.0],
    /// };
    /// assert_eq!(rdf.first_peak(), Some(2.0));
    /// assert_eq!(rdf.first_minimum(), Some(3.0));
    /// ```
    pub fn first_peak(&self) -> Option<f64> {
        self.peak_index().map(|i| self.r[i])
    }

    /// The first local minimum of g(r) after [`first_peak`](Self::first_peak) below 80 % of
    /// the peak (Å): the usual cutoff of the first coordination shell; `None` when there is no
    /// peak or no such minimum.
    pub fn first_minimum(&self) -> Option<f64> {
        let g = &self.g;
        let ip = self.peak_index()?;
        (ip + 1..g.len().saturating_sub(1))
            .find(|&i| g[i] <= g[i - 1] && g[i] <= g[i + 1] && g[i] < g[ip] * 0.8)
            .map(|i| self.r[i])
    }
}

/// Partial RDF of pair (a, b) averaged over `frames`, `nbins` bins on `(0, rmax]`.
/// Cutoffs larger than half the cell are fine (periodic images are counted).
pub fn partial_rdf(
    frames: &[Structure],
    a: Element,
    b: Element,
    rmax: f64,
    nbins: usize,
) -> Result<PartialRdf> {
    Ok(rdf_set(frames, &[(a, b)], rmax, nbins)?.remove(0))
}

/// All partial RDFs of `pairs` over `frames` (one neighbour list per frame). An empty `pairs`
/// means every unordered species pair (a ≤ b by atomic number).
pub fn rdf_set(
    frames: &[Structure],
    pairs: &[(Element, Element)],
    rmax: f64,
    nbins: usize,
) -> Result<Vec<PartialRdf>> {
    if !(rmax.is_finite() && rmax > 0.0) {
        return Err(param("rmax", rmax, "must be positive (Å)"));
    }
    if nbins == 0 {
        return Err(param("nbins", 0, "must be at least 1"));
    }
    let first = frames
        .first()
        .ok_or_else(|| DiffusionError::NotEnoughFrames {
            what: "an RDF".into(),
            needed: 1,
            frames: 0,
        })?;
    let mut kinds: Vec<Element> = first.species().to_vec();
    kinds.sort_by_key(|e| e.z());
    kinds.dedup();
    let pairs: Vec<(Element, Element)> = if pairs.is_empty() {
        let mut v = vec![];
        for (i, &x) in kinds.iter().enumerate() {
            for &y in &kinds[i..] {
                v.push((x, y));
            }
        }
        v
    } else {
        for &(x, y) in pairs {
            for e in [x, y] {
                if !kinds.contains(&e) {
                    return Err(DiffusionError::SpeciesAbsent {
                        species: e.symbol().into(),
                        present: kinds
                            .iter()
                            .map(|k| k.symbol())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        pairs.to_vec()
    };
    let dr = rmax / nbins as f64;
    let mut hist = vec![vec![0.0f64; nbins]; pairs.len()];
    let mut norm = vec![0.0f64; pairs.len()]; // Σ_frames N_a · N_b / V
    let mut n_a_tot = vec![0.0f64; pairs.len()];
    for (f, s) in frames.iter().enumerate() {
        if s.species() != first.species() {
            return Err(DiffusionError::Shape(format!(
                "frame {f} has different atoms from frame 0"
            )));
        }
        let nl = NeighborList::build(s, rmax)?;
        let v = s.volume();
        let sp = s.species();
        for (p, &(x, y)) in pairs.iter().enumerate() {
            let na = sp.iter().filter(|&&e| e == x).count() as f64;
            let nb = sp.iter().filter(|&&e| e == y).count() as f64;
            norm[p] += na * nb / v;
            n_a_tot[p] += na;
            for i in (0..sp.len()).filter(|&i| sp[i] == x) {
                for nb in nl.neighbors(i) {
                    if sp[nb.j] == y && nb.distance > 0.0 && nb.distance < rmax {
                        let k = ((nb.distance / dr) as usize).min(nbins - 1);
                        hist[p][k] += 1.0;
                    }
                }
            }
        }
    }
    let r: Vec<f64> = (0..nbins).map(|k| (k as f64 + 0.5) * dr).collect();
    Ok(pairs
        .iter()
        .enumerate()
        .map(|(p, &(x, y))| {
            let g = (0..nbins)
                .map(|k| {
                    let (r0, r1) = (k as f64 * dr, (k + 1) as f64 * dr);
                    let shell = 4.0 / 3.0 * PI * (r1.powi(3) - r0.powi(3));
                    if norm[p] > 0.0 {
                        hist[p][k] / (norm[p] * shell)
                    } else {
                        0.0
                    }
                })
                .collect();
            let mut acc = 0.0;
            let cn = hist[p]
                .iter()
                .map(|h| {
                    acc += h;
                    if n_a_tot[p] > 0.0 {
                        acc / n_a_tot[p]
                    } else {
                        0.0
                    }
                })
                .collect();
            PartialRdf {
                a: x.symbol().into(),
                b: y.symbol().into(),
                r: r.clone(),
                g,
                cn,
            }
        })
        .collect())
}

/// Agreement of two RDF sets: R² of `other` against `reference` per pair and pooled.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RdfComparison {
    /// R² over all matched pairs' points together.
    pub r2: f64,
    /// (pair label, R²) for each pair present in both sets (serialised as one map, label → R²).
    #[serde(serialize_with = "crate::summary::as_map")]
    pub per_pair: Vec<(String, f64)>,
}

/// R² = 1 − Σ(g_ref − g)² / Σ(g_ref − ḡ_ref)² between RDFs of the same pairs on the same grid.
/// Pairs present in only one set are ignored; no common pair is an error.
pub fn compare_rdfs(reference: &[PartialRdf], other: &[PartialRdf]) -> Result<RdfComparison> {
    let mut per_pair = vec![];
    let (mut all_ref, mut all_oth) = (vec![], vec![]);
    for a in reference {
        let Some(b) = other.iter().find(|b| b.a == a.a && b.b == a.b) else {
            continue;
        };
        if a.r.len() != b.r.len() || a.r.iter().zip(&b.r).any(|(x, y)| (x - y).abs() > 1e-9) {
            return Err(DiffusionError::Shape(format!(
                "RDF {} uses different r grids",
                a.label()
            )));
        }
        per_pair.push((a.label(), r_squared(&a.g, &b.g)));
        all_ref.extend_from_slice(&a.g);
        all_oth.extend_from_slice(&b.g);
    }
    if per_pair.is_empty() {
        return Err(DiffusionError::Shape(
            "the two RDF sets share no species pair".into(),
        ));
    }
    Ok(RdfComparison {
        r2: r_squared(&all_ref, &all_oth),
        per_pair,
    })
}

fn r_squared(y: &[f64], f: &[f64]) -> f64 {
    let m = y.iter().sum::<f64>() / y.len() as f64;
    let tot: f64 = y.iter().map(|v| (v - m).powi(2)).sum();
    let res: f64 = y.iter().zip(f).map(|(a, b)| (a - b).powi(2)).sum();
    if tot > 0.0 {
        1.0 - res / tot
    } else if res == 0.0 {
        1.0
    } else {
        f64::NEG_INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amorph_core::Lattice;
    use nalgebra::Vector3;

    #[test]
    fn simple_cubic_coordination_six() {
        // One atom in a 3 Å cubic cell: 6 neighbours at 3 Å (cutoff > cell, images counted).
        let s = Structure::new(
            Lattice::cubic(3.0).unwrap(),
            vec![Element::from_symbol("S").unwrap()],
            vec![Vector3::zeros()],
        )
        .unwrap();
        let rdf = partial_rdf(
            &[s],
            Element::from_symbol("S").unwrap(),
            Element::from_symbol("S").unwrap(),
            5.0,
            500,
        )
        .unwrap();
        assert!((rdf.coordination_at(3.2) - 6.0).abs() < 1e-12);
        assert!((rdf.coordination_at(2.9) - 0.0).abs() < 1e-12);
        assert!((rdf.coordination_at(4.3) - 18.0).abs() < 1e-12); // + 12 at 3√2
        let cmp = compare_rdfs(std::slice::from_ref(&rdf), std::slice::from_ref(&rdf)).unwrap();
        assert!((cmp.r2 - 1.0).abs() < 1e-15);
    }
}
