//! Initial velocities, kinetic energy, momentum and degrees of freedom.

use crate::error::{MdError, Result};
use amorph_core::Structure;
use amorph_core::rng::rng_from_seed;
use amorph_core::units::{AMU_A2_PER_FS2_IN_EV, KB_EV};
use nalgebra::Vector3;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

/// How many degrees of freedom the temperature is spread over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dof {
    /// `3N − 3`: the total momentum is zero and stays zero (the default; LAMMPS's
    /// `compute temp` convention).
    MomentumRemoved,
    /// `3N`: every Cartesian component is free (ASE's convention).
    All,
}

impl Dof {
    /// The number of degrees of freedom of `n` atoms.
    pub fn count(self, n: usize) -> usize {
        match self {
            Dof::MomentumRemoved => (3 * n).saturating_sub(3),
            Dof::All => 3 * n,
        }
    }
}

/// Kinetic energy (eV) of `velocities` (Å/fs) with `masses` (amu).
pub fn kinetic_energy(velocities: &[Vector3<f64>], masses: &[f64]) -> f64 {
    0.5 * AMU_A2_PER_FS2_IN_EV
        * velocities
            .iter()
            .zip(masses)
            .map(|(v, m)| m * v.norm_squared())
            .sum::<f64>()
}

/// Total momentum (amu·Å/fs).
pub fn momentum(velocities: &[Vector3<f64>], masses: &[f64]) -> Vector3<f64> {
    velocities
        .iter()
        .zip(masses)
        .fold(Vector3::zeros(), |acc, (v, m)| acc + v * *m)
}

/// Subtracts the centre-of-mass velocity so that the total momentum is zero.
pub fn remove_momentum(velocities: &mut [Vector3<f64>], masses: &[f64]) {
    let total_mass: f64 = masses.iter().sum();
    if total_mass <= 0.0 {
        return;
    }
    let vcm = momentum(velocities, masses) / total_mass;
    for v in velocities.iter_mut() {
        *v -= vcm;
    }
}

/// Maxwell–Boltzmann velocities (Å/fs) at `temperature` (K), drawn with `seed`.
///
/// With `zero_momentum` the centre-of-mass velocity is removed and the velocities are then
/// rescaled so that the instantaneous temperature over `3N − 3` degrees of freedom is exactly
/// `temperature`; without it, over `3N`. The same seed gives the same velocities on every
/// platform (the [`amorph_core::rng::SeededRng`] stream of `seed`).
///
/// Errors: a negative or non-finite temperature, or a system with no degrees of freedom (a
/// single atom with its momentum removed) at `temperature > 0`.
pub fn maxwell_boltzmann(
    structure: &Structure,
    temperature: f64,
    seed: u64,
    zero_momentum: bool,
) -> Result<Vec<Vector3<f64>>> {
    if !(temperature.is_finite() && temperature >= 0.0) {
        return Err(MdError::invalid(
            "temperature",
            temperature,
            "must be finite and ≥ 0 K",
        ));
    }
    let masses = structure.masses();
    let n = masses.len();
    let dof = if zero_momentum {
        Dof::MomentumRemoved
    } else {
        Dof::All
    }
    .count(n);
    if temperature == 0.0 {
        return Ok(vec![Vector3::zeros(); n]);
    }
    if dof == 0 {
        return Err(MdError::invalid(
            "temperature",
            temperature,
            format!("a system of {n} atom(s) with its momentum removed has no degrees of freedom"),
        ));
    }
    let mut rng = rng_from_seed(seed);
    let mut v: Vec<Vector3<f64>> = masses
        .iter()
        .map(|m| {
            let sigma = (KB_EV * temperature / (m * AMU_A2_PER_FS2_IN_EV)).sqrt();
            let mut x = || -> f64 { StandardNormal.sample(&mut rng) };
            Vector3::new(x(), x(), x()) * sigma
        })
        .collect();
    if zero_momentum {
        remove_momentum(&mut v, &masses);
    }
    let k = kinetic_energy(&v, &masses);
    let target = 0.5 * dof as f64 * KB_EV * temperature;
    if k > 0.0 {
        let s = (target / k).sqrt();
        for x in &mut v {
            *x *= s;
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use amorph_core::{Element, Lattice};

    fn cell(n: usize) -> Structure {
        let li = Element::from_symbol("Li").unwrap();
        let o = Element::from_symbol("O").unwrap();
        let species = (0..n).map(|i| if i % 3 == 0 { o } else { li }).collect();
        let pos = (0..n)
            .map(|i| Vector3::new(i as f64 * 0.7, (i * 7 % 5) as f64, (i * 3 % 4) as f64))
            .collect();
        Structure::new(Lattice::cubic(10.0).unwrap(), species, pos).unwrap()
    }

    #[test]
    fn exact_temperature_zero_momentum_and_reproducible() {
        let s = cell(30);
        let v = maxwell_boltzmann(&s, 1234.0, 9, true).unwrap();
        let m = s.masses();
        assert!(momentum(&v, &m).norm() < 1e-12);
        let t =
            super::super::temperature_of(kinetic_energy(&v, &m), Dof::MomentumRemoved.count(30));
        assert!((t - 1234.0).abs() < 1e-9, "{t}");
        assert_eq!(v, maxwell_boltzmann(&s, 1234.0, 9, true).unwrap());
        assert_ne!(v, maxwell_boltzmann(&s, 1234.0, 10, true).unwrap());
    }

    #[test]
    fn bad_inputs() {
        let s = cell(1);
        assert!(maxwell_boltzmann(&s, 300.0, 1, true).is_err());
        assert!(maxwell_boltzmann(&s, 300.0, 1, false).is_ok());
        assert!(maxwell_boltzmann(&s, -1.0, 1, false).is_err());
        assert!(maxwell_boltzmann(&s, f64::NAN, 1, false).is_err());
    }
}
