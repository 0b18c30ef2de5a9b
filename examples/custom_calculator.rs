//! A user-written calculator driving an amorph MD run — the template for plug-in authors.
//!
//! Run it with `cargo run --example custom_calculator` (≈ 1 s): 48 Cu atoms with a Morse
//! pair potential defined *here*, outside amorph's crates, thermalised at 600 K with the CSVR
//! thermostat for 400 steps of 2 fs.
//!
//! # What a calculator must do
//!
//! Implement [`Calculator`] (`amorph::core::Calculator`; amorph-core is the only crate a
//! plug-in needs):
//!
//! - `calculate(&mut self, structure, request)` returns a [`Calculation`] with the energy
//!   (eV) and one force per atom (eV/Å) **in the structure's atom order**;
//! - when `request.stress` is set, also the stress (eV/Å³, Voigt xx yy zz yz xz xy, ASE's
//!   sign: σ = (1/V)∂E/∂ε = −W/V with the virial W = Σ r⊗F) — or return an error saying it
//!   cannot; MD asks for stress only on steps whose observers report pressure
//!   (switch that off with `MdConfig::pressure = false`);
//! - accept positions outside the cell (MD may leave them unwrapped) and honour periodic images,
//!   including neighbours beyond half the cell: `NeighborList` does that for you;
//! - report failure as `Err(amorph::core::Error::calculator(name, reason))`.
//!
//! # What a calculator must not do
//!
//! - panic, print, or return NaN/∞ (amorph validates every result and turns NaN into an
//!   error, but a panic takes the whole run down);
//! - assume successive structures are related (a checkpoint restart, FIRE or a
//!   different MD replica may call it with anything) — caches are fine if they are checked,
//!   and `reset()` must drop them;
//! - change the structure, or keep a reference to it.
//!
//! An external code (DFT, an ML potential in Python) plugs in the same way through
//! `amorph::md::ipi::IpiCalculator`, an i-PI socket server that is itself a `Calculator`.

use amorph::core::{Calculation, Calculator, Element, Lattice, NeighborList, Request, Structure};
use amorph::md::dynamics::{CallbackObserver, Csvr, Md, MdConfig, maxwell_boltzmann};
use nalgebra::Vector3;

/// Morse pair potential `D[e^{−2a(r−r0)} − 2e^{−a(r−r0)}]`, shifted to zero at `cutoff`
/// (Girifalco–Weizer parameters for Cu by default).
struct Morse {
    d: f64,
    a: f64,
    r0: f64,
    cutoff: f64,
}

impl Morse {
    /// Pair energy and dE/dr at r (unshifted).
    fn pair(&self, r: f64) -> (f64, f64) {
        let x = (-self.a * (r - self.r0)).exp();
        (
            self.d * (x * x - 2.0 * x),
            -2.0 * self.a * self.d * (x * x - x),
        )
    }
}

impl Calculator for Morse {
    fn name(&self) -> &str {
        "morse-example"
    }

    fn calculate(&mut self, s: &Structure, request: Request) -> amorph::core::Result<Calculation> {
        // Any cutoff, any cell, unwrapped positions: the neighbour list handles images.
        // A half list visits each pair once. (A production potential would keep a
        // `neighbor::VerletList` between calls and `update()` it.)
        let nl = NeighborList::builder(self.cutoff).half(true).build(s)?;
        let e_cut = self.pair(self.cutoff).0;
        let mut energy = 0.0;
        let mut forces = vec![Vector3::zeros(); s.len()];
        let mut virial = [[0.0; 3]; 3]; // W = Σ_pairs r_ij ⊗ F_j
        for i in 0..s.len() {
            for nb in nl.neighbors(i) {
                let (e, de) = self.pair(nb.distance);
                energy += e - e_cut;
                // Force on j along r_ij = r_j − r_i: F_j = −dE/dr · r̂_ij, F_i = −F_j.
                let f = nb.vector * (-de / nb.distance);
                forces[nb.j] += f;
                forces[i] -= f;
                for (a, row) in virial.iter_mut().enumerate() {
                    for (b, w) in row.iter_mut().enumerate() {
                        *w += nb.vector[a] * f[b];
                    }
                }
            }
        }
        let stress = request.stress.then(|| {
            let v = s.volume();
            let w = |a: usize, b: usize| -virial[a][b] / v;
            [w(0, 0), w(1, 1), w(2, 2), w(1, 2), w(0, 2), w(0, 1)]
        });
        if !energy.is_finite() {
            return Err(amorph::core::Error::calculator(
                self.name(),
                "non-finite energy (atoms on top of each other?)",
            ));
        }
        Ok(Calculation {
            energy,
            forces,
            stress,
            energies: None,
        })
    }
}

/// 2×2×3 conventional fcc cells of Cu (48 atoms).
fn copper() -> Structure {
    let a = 3.615;
    let lattice = Lattice::orthorhombic(2.0 * a, 2.0 * a, 3.0 * a).expect("positive lengths");
    let basis = [
        [0.0, 0.0, 0.0],
        [0.5, 0.5, 0.0],
        [0.5, 0.0, 0.5],
        [0.0, 0.5, 0.5],
    ];
    let mut positions = Vec::new();
    for i in 0..2 {
        for j in 0..2 {
            for k in 0..3 {
                for b in basis {
                    positions.push(Vector3::new(
                        (i as f64 + b[0]) * a,
                        (j as f64 + b[1]) * a,
                        (k as f64 + b[2]) * a,
                    ));
                }
            }
        }
    }
    let cu = Element::from_symbol("Cu").expect("known element");
    Structure::new(lattice, vec![cu; positions.len()], positions).expect("valid structure")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let structure = copper();
    let morse = Morse {
        d: 0.3429,
        a: 1.3588,
        r0: 2.866,
        cutoff: 6.0, // larger than half the 7.2 Å cell: fine with NeighborList
    };
    // The calculator is moved into the run as a Box<dyn Calculator>.
    let velocities = maxwell_boltzmann(&structure, 600.0, 42, true)?;
    let mut md = Md::new(structure, Box::new(morse), MdConfig::new(2.0))?
        .with_velocities(velocities)?
        .with_thermostat(Box::new(Csvr::new(600.0, 100.0, 7)?))?
        .with_observer(Box::new(CallbackObserver::new(50, true, |f| {
            let t = &f.thermo;
            println!(
                "step {:4}  T {:7.1} K  E_pot {:10.4} eV  P {:9.1} bar",
                t.step,
                t.temperature,
                t.potential_energy,
                t.pressure_bar.unwrap_or(f64::NAN)
            );
            Ok(())
        })));
    md.run(400)?;
    md.finish()?;
    println!(
        "{} steps of {} fs with calculator 'morse-example': T = {:.1} K",
        md.step(),
        md.timestep_fs(),
        md.temperature()
    );
    Ok(())
}
