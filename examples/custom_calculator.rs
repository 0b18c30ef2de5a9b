//! A user-written calculator driving an amorph MD run — the template for plug-in authors.
//!
//! Run it with `cargo run --example custom_calculator` (a few seconds): 48 Cu atoms with a
//! Morse pair potential defined *here*, outside amorph's crates, thermalised at 600 K with the
//! CSVR thermostat for 400 steps of 2 fs; then the whole MPMorph workflow (`smoke` preset) on
//! Cu with the same calculator in process and a featurizer defined here too
//! ([`amorph::morph::Workflow`]: `.calculator(...)`, `.featurizer(...)`).
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

use amorph::core::{
    Calculation, Calculator, Composition, Element, Lattice, NeighborList, Request, Structure,
};
use amorph::features::{FeatureValue, Featurizer, Input};
use amorph::md::dynamics::{CallbackObserver, Csvr, Md, MdConfig, maxwell_boltzmann};
use amorph::morph::{Config, Database, Workflow};
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
        Ok(Calculation::new(energy, forces).with_stress(stress))
    }
}

impl Morse {
    /// Girifalco–Weizer parameters for Cu.
    fn copper() -> Self {
        Morse {
            d: 0.3429,
            a: 1.3588,
            r0: 2.866,
            cutoff: 6.0, // larger than half the 7.2 Å cell: fine with NeighborList
        }
    }
}

/// A featurizer of one's own: the mean distance from each atom to its nearest neighbour.
struct NearestNeighbour;

impl Featurizer for NearestNeighbour {
    fn name(&self) -> &'static str {
        "nearest-neighbour"
    }
    fn names(&self) -> Vec<&'static str> {
        vec!["mean_nn_distance"]
    }
    fn needs_structure(&self) -> bool {
        true
    }
    fn featurize(&self, input: &Input<'_>) -> amorph::features::Result<Vec<FeatureValue>> {
        let Input::Structure(ctx) = input else {
            return Ok(vec![Err(amorph::features::Undefined::NoBonds)]);
        };
        let s = ctx.structure();
        let list = NeighborList::build(s, 4.0)?;
        let nearest: Vec<f64> = (0..s.len())
            .filter_map(|i| list.neighbors(i).map(|n| n.distance).reduce(f64::min))
            .collect();
        let mean = nearest.iter().sum::<f64>() / nearest.len().max(1) as f64;
        Ok(vec![Ok(mean)])
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
    let morse = Morse::copper();
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

    // The whole workflow with the same calculator in process: no socket, no recompiling amorph.
    let mut config = Config::smoke();
    config.diffusing_species = "Cu".into();
    let dir = std::env::temp_dir().join(format!("amorph-custom-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db_path = dir.join("cu.db");
    let workflow = Workflow::new(config)
        .calculator(|_: &Composition| Ok(Box::new(Morse::copper()) as Box<dyn Calculator>))
        .featurizer(NearestNeighbour);
    let outcomes = workflow.run(&["Cu".to_string()], Database::open(&db_path)?)?;
    if let Err(e) = &outcomes[0].result {
        return Err(format!("Cu workflow: {e}").into());
    }
    let db = Database::open(&db_path)?;
    for row in db.export()? {
        let nn = row.features.get("mean_nn_distance");
        println!(
            "Cu at {} K: density {:.2} g/cm³, D {:.2e} cm²/s, mean nearest neighbour {:.3} Å, {}",
            row.temperature,
            row.density_g_cm3,
            row.diffusivity_cm2_s.unwrap_or(f64::NAN),
            nn.unwrap_or(f64::NAN),
            row.quality_note.as_deref().unwrap_or("not checked")
        );
        if nn.is_none_or(|d| !(1.8..3.0).contains(&d)) {
            return Err(format!("the featurizer's column is missing or off: {nn:?}").into());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
