//! FIRE geometry optimisation of positions and, optionally, the cell.

use crate::error::{MdError, Result};
use amorph_core::{Calculator, Lattice, Request, Structure};
use nalgebra::{Matrix3, Vector3};

/// FIRE, the fast inertial relaxation engine (Bitzek et al., Phys. Rev. Lett. 97, 170201
/// (2006)), with ASE's parameters and unit masses: mixing `v ← (1 − α)v + α|v| F̂` while the
/// power `F·v` is positive (the step grows by `f_inc` after `n_min` such steps, α shrinks by
/// `f_alpha`), velocities zeroed and the step halved when it turns negative; every move is
/// capped at `max_step` Å (norm over all coordinates).
///
/// With [`Fire::relax_cell`] the cell is relaxed too, towards `pressure` (eV/Å³), in ASE's
/// `UnitCellFilter` coordinates: positions in the reference frame of a deformation gradient D
/// (cell = D·cell₀) plus `N·D`, whose generalised force is `(−Vσ − PV·1)·D⁻ᵀ / N`.
///
/// Converged when every atomic force (and every row of the generalised cell force) is below
/// `fmax` eV/Å.
#[derive(Debug, Clone, PartialEq)]
pub struct Fire {
    /// Convergence threshold on the largest force (eV/Å).
    pub fmax: f64,
    /// Maximum number of steps.
    pub max_steps: usize,
    /// Initial time step (ASE default 0.1).
    pub dt: f64,
    /// Largest time step (ASE default 1.0).
    pub dt_max: f64,
    /// Largest move per step (Å, norm over all coordinates; ASE default 0.2).
    pub max_step: f64,
    /// Steps with positive power before the step may grow (5).
    pub n_min: usize,
    /// Step growth factor (1.1).
    pub f_inc: f64,
    /// Step shrink factor (0.5).
    pub f_dec: f64,
    /// Initial mixing (0.1).
    pub alpha_start: f64,
    /// Mixing decay (0.99).
    pub f_alpha: f64,
    /// Relax the cell as well.
    pub relax_cell: bool,
    /// Target pressure (eV/Å³) for cell relaxation.
    pub pressure: f64,
}

impl Default for Fire {
    fn default() -> Self {
        Fire {
            fmax: 0.05,
            max_steps: 1000,
            dt: 0.1,
            dt_max: 1.0,
            max_step: 0.2,
            n_min: 5,
            f_inc: 1.1,
            f_dec: 0.5,
            alpha_start: 0.1,
            f_alpha: 0.99,
            relax_cell: false,
            pressure: 0.0,
        }
    }
}

/// The outcome of a FIRE run.
#[derive(Debug, Clone, PartialEq)]
pub struct FireReport {
    /// Steps taken (force evaluations − 1).
    pub steps: usize,
    /// Whether `fmax` was reached.
    pub converged: bool,
    /// Final energy (eV).
    pub energy: f64,
    /// Final largest force (eV/Å), cell rows included.
    pub fmax: f64,
}

fn voigt_to_matrix(s: &[f64; 6]) -> Matrix3<f64> {
    Matrix3::new(s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2])
}

impl Fire {
    /// FIRE with ASE's defaults and the given `fmax` (eV/Å).
    pub fn new(fmax: f64) -> Self {
        Fire {
            fmax,
            ..Fire::default()
        }
    }

    /// Relax the cell as well, towards `pressure` (eV/Å³).
    pub fn relax_cell(mut self, pressure: f64) -> Self {
        self.relax_cell = true;
        self.pressure = pressure;
        self
    }

    fn validate(&self) -> Result<()> {
        let positive = [
            ("fmax", self.fmax),
            ("dt", self.dt),
            ("dt_max", self.dt_max),
            ("max_step", self.max_step),
            ("f_inc", self.f_inc),
            ("f_dec", self.f_dec),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Err(MdError::invalid(
                    format!("fire {name}"),
                    v,
                    "must be finite and > 0",
                ));
            }
        }
        if !self.pressure.is_finite() {
            return Err(MdError::invalid(
                "fire pressure",
                self.pressure,
                "must be finite",
            ));
        }
        Ok(())
    }

    /// Relaxes `structure` in place with `calculator`.
    pub fn minimize(
        &self,
        structure: &mut Structure,
        calculator: &mut dyn Calculator,
    ) -> Result<FireReport> {
        self.validate()?;
        let n = structure.len();
        let cell_factor = n.max(1) as f64;
        let m = if self.relax_cell { n + 3 } else { n };
        let l0 = *structure.lattice().matrix();
        let mut deform = Matrix3::<f64>::identity();
        // Generalised coordinates: reference-frame positions, then rows of N·D.
        let mut x: Vec<Vector3<f64>> = structure.positions().to_vec();
        if self.relax_cell {
            x.extend((0..3).map(|i| deform.row(i).transpose() * cell_factor));
        }
        let mut v = vec![Vector3::zeros(); m];
        let (mut dt, mut alpha, mut n_pos) = (self.dt, self.alpha_start, 0usize);
        let request = if self.relax_cell {
            Request::STRESS
        } else {
            Request::FORCES
        };
        let mut step = 0usize;
        loop {
            let c = calculator
                .calculate_checked(structure, request)
                .map_err(|source| MdError::CalculatorFailed {
                    step: step as u64,
                    source,
                })?;
            let mut f: Vec<Vector3<f64>> = if self.relax_cell {
                c.forces.iter().map(|fi| deform.transpose() * fi).collect()
            } else {
                c.forces.clone()
            };
            if self.relax_cell {
                let vol = structure.volume();
                let stress = voigt_to_matrix(&c.stress.unwrap_or([0.0; 6]));
                let virial = -stress * vol - Matrix3::identity() * (self.pressure * vol);
                let dinv_t = deform
                    .try_inverse()
                    .ok_or_else(|| MdError::Unstable {
                        step: step as u64,
                        reason: "the cell collapsed (singular deformation)".into(),
                    })?
                    .transpose();
                let g = virial * dinv_t / cell_factor;
                f.extend((0..3).map(|i| g.row(i).transpose()));
            }
            let fmax = f.iter().map(|x| x.norm()).fold(0.0, f64::max);
            if fmax < self.fmax || step >= self.max_steps {
                return Ok(FireReport {
                    steps: step,
                    converged: fmax < self.fmax,
                    energy: c.energy,
                    fmax,
                });
            }
            // FIRE velocity update (ASE's order).
            let power: f64 = f.iter().zip(&v).map(|(a, b)| a.dot(b)).sum();
            if step > 0 {
                if power > 0.0 {
                    let fnorm = f.iter().map(|a| a.norm_squared()).sum::<f64>().sqrt();
                    let vnorm = v.iter().map(|a| a.norm_squared()).sum::<f64>().sqrt();
                    if fnorm > 0.0 {
                        for (vi, fi) in v.iter_mut().zip(&f) {
                            *vi = *vi * (1.0 - alpha) + fi * (alpha * vnorm / fnorm);
                        }
                    }
                    if n_pos > self.n_min {
                        dt = (dt * self.f_inc).min(self.dt_max);
                        alpha *= self.f_alpha;
                    }
                    n_pos += 1;
                } else {
                    v.iter_mut().for_each(|vi| *vi = Vector3::zeros());
                    alpha = self.alpha_start;
                    dt *= self.f_dec;
                    n_pos = 0;
                }
            }
            let mut dr: Vec<Vector3<f64>> = Vec::with_capacity(m);
            for (vi, fi) in v.iter_mut().zip(&f) {
                *vi += fi * dt;
                dr.push(*vi * dt);
            }
            let norm = dr.iter().map(|a| a.norm_squared()).sum::<f64>().sqrt();
            let cap = if norm > self.max_step {
                self.max_step / norm
            } else {
                1.0
            };
            if self.relax_cell {
                // x holds reference-frame positions; convert, move, convert back.
                let dinv = deform.try_inverse().unwrap_or(Matrix3::identity());
                for (i, xi) in x.iter_mut().take(n).enumerate() {
                    *xi = dinv * structure.positions()[i] + dr[i] * cap;
                }
                for k in 0..3 {
                    x[n + k] += dr[n + k] * cap;
                }
                deform = Matrix3::from_rows(&[
                    x[n].transpose() / cell_factor,
                    x[n + 1].transpose() / cell_factor,
                    x[n + 2].transpose() / cell_factor,
                ]);
                let lattice = Lattice::new(l0 * deform.transpose())?;
                structure.set_lattice(lattice);
                for (p, xi) in structure.positions_mut().iter_mut().zip(&x) {
                    *p = deform * xi;
                }
            } else {
                for (p, d) in structure.positions_mut().iter_mut().zip(&dr) {
                    *p += d * cap;
                }
            }
            if structure
                .positions()
                .iter()
                .any(|p| p.iter().any(|c| !c.is_finite()))
            {
                return Err(MdError::Unstable {
                    step: step as u64,
                    reason: "non-finite positions".into(),
                });
            }
            step += 1;
        }
    }
}
