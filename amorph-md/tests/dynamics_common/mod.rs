//! Shared helpers of the dynamics tests: a small Lennard-Jones calculator on a Verlet list
//! (so that `Calculator::reset` matters for bit-identical resume), argon crystals, and
//! calculators that misbehave.
#![allow(dead_code)]

use amorph_core::neighbor::VerletList;
use amorph_core::{Calculation, Calculator, Element, Lattice, Request, Structure};
use nalgebra::Vector3;

/// Lennard-Jones with the energy shifted to zero at the cutoff.
pub struct Lj {
    pub epsilon: f64,
    pub sigma: f64,
    pub cutoff: f64,
    pub skin: f64,
    list: Option<VerletList>,
}

impl Lj {
    /// Argon: ε = 0.0104 eV, σ = 3.40 Å, rc = 8.5 Å (2.5σ), skin 1 Å.
    pub fn argon() -> Self {
        Lj {
            epsilon: 0.0104,
            sigma: 3.40,
            cutoff: 8.5,
            skin: 1.0,
            list: None,
        }
    }
}

impl Calculator for Lj {
    fn name(&self) -> &str {
        "test-lj"
    }
    fn calculate(&mut self, s: &Structure, req: Request) -> amorph_core::Result<Calculation> {
        match &mut self.list {
            Some(l) => {
                l.update(s)?;
            }
            None => self.list = Some(VerletList::new(s, self.cutoff, self.skin)?),
        }
        let list = self.list.as_ref().unwrap();
        let nl = list.list();
        let pos = s.positions();
        let rc2 = self.cutoff * self.cutoff;
        let s6c = (self.sigma * self.sigma / rc2).powi(3);
        let shift = 4.0 * self.epsilon * (s6c * s6c - s6c);
        let mut energy = 0.0;
        let mut forces = vec![Vector3::zeros(); s.len()];
        let mut w = [0.0; 6];
        let js = nl.indices();
        for i in 0..s.len() {
            for k in nl.range(i) {
                let j = js[k] as usize;
                let d = pos[j] + list.offset(i, k).expect("k is an entry of atom i") - pos[i];
                let r2 = d.norm_squared();
                if r2 >= rc2 {
                    continue;
                }
                let s6 = (self.sigma * self.sigma / r2).powi(3);
                energy += 4.0 * self.epsilon * (s6 * s6 - s6) - shift;
                // dE/dr / r
                let g = -24.0 * self.epsilon * (2.0 * s6 * s6 - s6) / r2;
                let f = d * g; // force on j = −dE/dr r̂ … sign: F_j = −g d
                forces[i] += f;
                forces[j] -= f;
                w[0] += g * d.x * d.x;
                w[1] += g * d.y * d.y;
                w[2] += g * d.z * d.z;
                w[3] += g * d.y * d.z;
                w[4] += g * d.x * d.z;
                w[5] += g * d.x * d.y;
            }
        }
        let v = s.volume();
        Ok(Calculation::new(energy, forces).with_stress(req.stress.then(|| w.map(|x| x / v))))
    }
    fn reset(&mut self) {
        self.list = None;
    }
}

/// An fcc argon crystal of `n³` conventional cells with lattice constant `a` (Å).
pub fn argon_fcc(n: usize, a: f64) -> Structure {
    let ar = Element::from_symbol("Ar").unwrap();
    let basis = [
        [0.0, 0.0, 0.0],
        [0.5, 0.5, 0.0],
        [0.5, 0.0, 0.5],
        [0.0, 0.5, 0.5],
    ];
    let mut frac = Vec::new();
    for i in 0..n {
        for j in 0..n {
            for k in 0..n {
                for b in basis {
                    frac.push(Vector3::new(
                        (i as f64 + b[0]) / n as f64,
                        (j as f64 + b[1]) / n as f64,
                        (k as f64 + b[2]) / n as f64,
                    ));
                }
            }
        }
    }
    let lattice = Lattice::cubic(a * n as f64).unwrap();
    Structure::from_fractional(lattice, vec![ar; frac.len()], &frac).unwrap()
}

/// No forces at all (an ideal gas).
pub struct Free;

impl Calculator for Free {
    fn name(&self) -> &str {
        "free"
    }
    fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
        Ok(Calculation::new(0.0, vec![Vector3::zeros(); s.len()]).with_stress([0.0; 6]))
    }
}

/// Returns a NaN force from call number `after` on.
pub struct NanAfter {
    pub after: usize,
    pub calls: usize,
}

impl Calculator for NanAfter {
    fn name(&self) -> &str {
        "nan-after"
    }
    fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
        self.calls += 1;
        let mut forces = vec![Vector3::zeros(); s.len()];
        if self.calls > self.after {
            forces[1].y = f64::NAN;
        }
        Ok(Calculation::new(0.0, forces).with_stress([0.0; 6]))
    }
}
