//! The [`Calculator`] trait: the one plug-in point for energies and forces.
//!
//! Everything that moves atoms in amorph (MD, geometry optimisation, the MPMorph workflow)
//! asks a `Calculator`. Built-in potentials live in `amorph-md`; users write their own
//! (a DFT driver, a machine-learned potential) against this crate alone.

use crate::error::{Error, Result};
use crate::structure::Structure;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

/// What the caller needs from a calculation beyond energy and forces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    /// The stress tensor is needed (pressure, cell relaxation).
    pub stress: bool,
    /// Per-atom energies are needed.
    pub energies: bool,
}

impl Request {
    /// Energy and forces only.
    pub const FORCES: Request = Request {
        stress: false,
        energies: false,
    };
    /// Energy, forces and stress.
    pub const STRESS: Request = Request {
        stress: true,
        energies: false,
    };

    /// This request with per-atom energies asked for (or not).
    pub const fn with_energies(mut self, energies: bool) -> Request {
        self.energies = energies;
        self
    }
}

/// What a calculator can compute beyond energy and forces, declared up front so that a
/// workflow can refuse a calculator before MD starts instead of failing at the first pressure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// The stress tensor (needed for pressure, volume searches, barostats, cell relaxation).
    pub stress: bool,
}

impl Capabilities {
    /// Energy, forces and stress.
    pub const WITH_STRESS: Capabilities = Capabilities { stress: true };
    /// Energy and forces only.
    pub const FORCES_ONLY: Capabilities = Capabilities { stress: false };
}

/// The result of one calculation, in amorph's units. Build it with [`Calculation::new`] and
/// the `with_` methods (fields may be added).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Calculation {
    /// Potential energy (eV).
    pub energy: f64,
    /// Force on every atom (eV/Å), in the order of the structure's atoms.
    pub forces: Vec<Vector3<f64>>,
    /// Stress (eV/Å³) in Voigt order xx, yy, zz, yz, xz, xy with **ASE's sign**:
    /// σ = (1/V) ∂E/∂ε, so a compressed system has negative stress and the (potential part of
    /// the) pressure is P = −(σxx + σyy + σzz)/3.
    pub stress: Option<[f64; 6]>,
    /// Per-atom energies (eV) summing to `energy`, when requested and supported.
    pub energies: Option<Vec<f64>>,
}

impl Calculation {
    /// Energy (eV) and forces (eV/Å, in the structure's atom order), nothing else.
    pub fn new(energy: f64, forces: Vec<Vector3<f64>>) -> Self {
        Calculation {
            energy,
            forces,
            stress: None,
            energies: None,
        }
    }

    /// With the stress (eV/Å³, Voigt xx yy zz yz xz xy, ASE's sign), or without it for
    /// `None`.
    pub fn with_stress(mut self, stress: impl Into<Option<[f64; 6]>>) -> Self {
        self.stress = stress.into();
        self
    }

    /// With per-atom energies (eV) summing to the energy.
    pub fn with_energies(mut self, energies: Vec<f64>) -> Self {
        self.energies = Some(energies);
        self
    }

    /// Checks that the result fits the structure and holds only finite numbers; every consumer
    /// in amorph calls this, so a plug-in's NaN becomes an error instead of a corrupted run.
    pub fn validate(&self, calculator: &str, structure: &Structure) -> Result<()> {
        let fail = |msg: String| Err(Error::calculator(calculator, msg));
        if self.forces.len() != structure.len() {
            return fail(format!(
                "returned {} forces for {} atoms",
                self.forces.len(),
                structure.len()
            ));
        }
        if !self.energy.is_finite() {
            return fail(format!("returned a non-finite energy ({})", self.energy));
        }
        if let Some(i) = self
            .forces
            .iter()
            .position(|f| f.iter().any(|x| !x.is_finite()))
        {
            return fail(format!(
                "returned a non-finite force on atom {i} ({})",
                structure.species()[i]
            ));
        }
        if let Some(s) = &self.stress {
            if s.iter().any(|x| !x.is_finite()) {
                return fail("returned a non-finite stress".into());
            }
        }
        if let Some(e) = &self.energies {
            if e.len() != structure.len() || e.iter().any(|x| !x.is_finite()) {
                return fail("returned per-atom energies of the wrong length or non-finite".into());
            }
        }
        Ok(())
    }

    /// The potential (virial) part of the pressure (eV/Å³), −tr(σ)/3, when stress is known.
    pub fn virial_pressure(&self) -> Option<f64> {
        self.stress.map(|s| -(s[0] + s[1] + s[2]) / 3.0)
    }
}

/// Energies, forces and stress of a structure. The plug-in point of amorph.
///
/// # Contract
///
/// A calculator **must**
/// - return forces for every atom, in the structure's order, in eV/Å, and the energy in eV;
/// - return stress (eV/Å³, Voigt xx yy zz yz xz xy, ASE's sign) when `request.stress` is set,
///   or an error saying it cannot;
/// - treat positions as possibly unwrapped (outside the cell) and respect the lattice;
/// - report failure as `Err` (see [`Error::calculator`]), never panic and never return NaN.
///
/// A calculator **may** keep state between calls (neighbour lists, sockets, caches): it
/// receives `&mut self`. It must not assume that successive structures are related.
///
/// The trait is object-safe and `Send`, so `Box<dyn Calculator>` can move between threads.
///
/// ```
/// use amorph_core::{Calculation, Calculator, Request, Result, Structure};
/// use nalgebra::Vector3;
///
/// /// Every atom tied to the origin by a spring: E = k/2 Σ|r|².
/// struct Springs { k: f64 }
///
/// impl Calculator for Springs {
///     fn name(&self) -> &str { "springs" }
///     fn calculate(&mut self, s: &Structure, _req: Request) -> Result<Calculation> {
///         let energy = 0.5 * self.k * s.positions().iter().map(|r| r.norm_squared()).sum::<f64>();
///         let forces = s.positions().iter().map(|r| -self.k * r).collect();
///         Ok(Calculation::new(energy, forces))
///     }
/// }
/// ```
pub trait Calculator: Send {
    /// A short name used in errors and logs.
    fn name(&self) -> &str;

    /// What this calculator can compute beyond energy and forces. The default claims stress;
    /// a calculator without it says [`Capabilities::FORCES_ONLY`], and the workflow refuses it
    /// before any MD (its volume search needs the pressure).
    fn capabilities(&self) -> Capabilities {
        Capabilities::WITH_STRESS
    }

    /// Computes energy and forces (and what `request` asks for) of `structure`.
    fn calculate(&mut self, structure: &Structure, request: Request) -> Result<Calculation>;

    /// Energy, forces and stress, validated ([`Calculation::validate`]).
    fn calculate_checked(
        &mut self,
        structure: &Structure,
        request: Request,
    ) -> Result<Calculation> {
        let c = self.calculate(structure, request)?;
        c.validate(self.name(), structure)?;
        if request.stress && c.stress.is_none() {
            return Err(Error::calculator(
                self.name(),
                "stress was requested but not returned",
            ));
        }
        Ok(c)
    }

    /// Drops cached state that depends on earlier structures (a neighbour list built at an
    /// earlier configuration, a wavefunction guess), so that the next result depends on the
    /// structure alone. MD calls this when it writes a checkpoint: a run resumed from that
    /// checkpoint with a fresh calculator then repeats the original run bit for bit (a Verlet
    /// list built at a different step sums the same pairs in a different order). The default
    /// does nothing, which is right for calculators without such state.
    fn reset(&mut self) {}
}

impl<C: Calculator + ?Sized> Calculator for Box<C> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn calculate(&mut self, structure: &Structure, request: Request) -> Result<Calculation> {
        (**self).calculate(structure, request)
    }
    fn reset(&mut self) {
        (**self).reset()
    }
}

/// One calculator shared by several users: clones hand out the same underlying calculator,
/// and each [`Calculator::calculate`] holds it for the length of one call.
///
/// This is how one external connection serves a whole workflow. An i-PI client holds one
/// composition's atoms and talks to one server socket, while the MPMorph workflow asks its
/// potential chooser for a fresh calculator at every stage (and may run stages of the same
/// composition side by side); handing each stage a clone of one `SharedCalculator` keeps a
/// single connection and serialises the calls. Every call is self-contained (positions in,
/// forces out), so calls interleaved from several runs give the same results as calls made in
/// turn; the price is that those runs wait for each other.
///
/// ```
/// use amorph_core::{Calculation, Calculator, Request, SharedCalculator, Structure};
/// # struct Zero;
/// # impl Calculator for Zero {
/// #     fn name(&self) -> &str { "zero" }
/// #     fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
/// #         Ok(Calculation::new(0.0, vec![Default::default(); s.len()]))
/// #     }
/// # }
/// let shared = SharedCalculator::new(Box::new(Zero));
/// let mut stage_a: Box<dyn Calculator> = Box::new(shared.clone());
/// let mut stage_b: Box<dyn Calculator> = Box::new(shared.clone());
/// assert_eq!(stage_a.name(), stage_b.name()); // both talk to the same `Zero`
/// ```
#[derive(Clone)]
pub struct SharedCalculator {
    inner: std::sync::Arc<std::sync::Mutex<Box<dyn Calculator>>>,
    name: String,
}

impl SharedCalculator {
    /// Shares `calculator`.
    pub fn new(calculator: Box<dyn Calculator>) -> Self {
        let name = calculator.name().to_string();
        SharedCalculator {
            inner: std::sync::Arc::new(std::sync::Mutex::new(calculator)),
            name,
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Box<dyn Calculator>>> {
        // A poisoned lock means another user panicked inside the calculator; its state is
        // unknown, so refuse rather than compute with it.
        self.inner.lock().map_err(|_| {
            Error::calculator(
                self.name.clone(),
                "a previous call panicked while holding the shared calculator",
            )
        })
    }
}

impl std::fmt::Debug for SharedCalculator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedCalculator")
            .field("name", &self.name)
            .field("users", &std::sync::Arc::strong_count(&self.inner))
            .finish()
    }
}

impl Calculator for SharedCalculator {
    fn name(&self) -> &str {
        &self.name
    }
    fn capabilities(&self) -> Capabilities {
        self.lock()
            .map(|c| c.capabilities())
            .unwrap_or(Capabilities::WITH_STRESS)
    }
    fn calculate(&mut self, structure: &Structure, request: Request) -> Result<Calculation> {
        self.lock()?.calculate(structure, request)
    }
    fn reset(&mut self) {
        if let Ok(mut c) = self.lock() {
            c.reset();
        }
    }
}

/// Energy, forces and stress of one structure, as `amorph energy` reports them: serialises
/// to its `--json` object (potential, energy, forces, stress, pressure) and displays as its
/// text.
///
/// ```
/// use amorph_core::{Calculation, Calculator, EnergySummary, Lattice, Request, Structure};
/// use nalgebra::Vector3;
/// struct Zero;
/// impl Calculator for Zero {
///     fn name(&self) -> &str { "zero" }
///     fn calculate(&mut self, s: &Structure, _: Request) -> amorph_core::Result<Calculation> {
///         Ok(Calculation::new(0.0, vec![Vector3::zeros(); s.len()]).with_stress([0.0; 6]))
///     }
/// }
/// let s = Structure::new(Lattice::cubic(5.0).unwrap(), vec!["Ar".parse().unwrap()],
///     vec![Vector3::zeros()]).unwrap();
/// let e = EnergySummary::compute("ar.xyz", &s, &mut Zero).unwrap();
/// assert_eq!((e.energy, e.pressure_bar), (0.0, 0.0));
/// assert!(e.to_string().starts_with("ar.xyz: 1 atoms, potential zero"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnergySummary {
    /// The structure's file (as named by the user).
    #[serde(skip)]
    pub file: String,
    /// Number of atoms.
    #[serde(skip)]
    pub atoms: usize,
    /// The calculator's name.
    pub potential: String,
    /// Potential energy (eV).
    pub energy: f64,
    /// Forces (eV/Å).
    pub forces: Vec<[f64; 3]>,
    /// Stress (eV/Å³, Voigt, ASE sign; zeros when the calculator gives none).
    pub stress: [f64; 6],
    /// Pressure from the stress (bar; the virial part, no kinetic term).
    pub pressure_bar: f64,
}

impl EnergySummary {
    /// Computes energy, forces and stress of `structure` (read from `file`) with `calculator`.
    pub fn compute(
        file: impl Into<String>,
        structure: &Structure,
        calculator: &mut dyn Calculator,
    ) -> Result<Self> {
        let c = calculator.calculate_checked(structure, Request::STRESS)?;
        let stress = c.stress.unwrap_or([0.0; 6]);
        Ok(EnergySummary {
            file: file.into(),
            atoms: structure.len(),
            potential: calculator.name().to_string(),
            energy: c.energy,
            forces: c.forces.iter().map(|f| [f.x, f.y, f.z]).collect(),
            stress,
            pressure_bar: -(stress[0] + stress[1] + stress[2]) / 3.0
                * crate::units::EV_PER_A3_IN_BAR,
        })
    }
}

impl std::fmt::Display for EnergySummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fmax = (self.forces.iter())
            .map(|v| Vector3::from(*v).norm())
            .fold(0.0, f64::max);
        write!(
            f,
            "{}: {} atoms, potential {}\nenergy       {:.10} eV ({:.6} eV/atom)\nmax |force|  {:.6} eV/Å\nstress       {:?} eV/Å³ (xx yy zz yz xz xy)\npressure     {:.3} bar (virial part)",
            self.file,
            self.atoms,
            self.potential,
            self.energy,
            self.energy / self.atoms.max(1) as f64,
            fmax,
            self.stress,
            self.pressure_bar
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Element, Lattice};

    struct Nan;
    impl Calculator for Nan {
        fn name(&self) -> &str {
            "nan"
        }
        fn calculate(&mut self, s: &Structure, _: Request) -> Result<Calculation> {
            Ok(Calculation {
                energy: 0.0,
                forces: vec![Vector3::new(f64::NAN, 0.0, 0.0); s.len()],
                stress: None,
                energies: None,
            })
        }
    }

    #[test]
    fn nan_is_caught_and_boxed_calculators_work() {
        let s = Structure::new(
            Lattice::cubic(5.0).unwrap(),
            vec![Element::from_symbol("Li").unwrap()],
            vec![Vector3::zeros()],
        )
        .unwrap();
        let mut c: Box<dyn Calculator> = Box::new(Nan);
        let err = c.calculate_checked(&s, Request::FORCES).unwrap_err();
        assert!(
            err.to_string().contains("non-finite force on atom 0 (Li)"),
            "{err}"
        );
    }

    /// Counts its calls, so that a test can see two clones reach the same calculator.
    struct Counter(u32);
    impl Calculator for Counter {
        fn name(&self) -> &str {
            "counter"
        }
        fn calculate(&mut self, s: &Structure, _: Request) -> Result<Calculation> {
            self.0 += 1;
            Ok(Calculation {
                energy: f64::from(self.0),
                forces: vec![Vector3::zeros(); s.len()],
                stress: None,
                energies: None,
            })
        }
    }

    #[test]
    fn shared_calculator_clones_reach_one_calculator_from_several_threads() {
        let s = Structure::new(
            Lattice::cubic(5.0).unwrap(),
            vec![Element::from_symbol("Li").unwrap()],
            vec![Vector3::zeros()],
        )
        .unwrap();
        let shared = SharedCalculator::new(Box::new(Counter(0)));
        std::thread::scope(|scope| {
            for _ in 0..4 {
                let mut c = shared.clone();
                let s = &s;
                scope.spawn(move || {
                    for _ in 0..25 {
                        c.calculate(s, Request::FORCES).unwrap();
                    }
                });
            }
        });
        // 100 calls went to the one counter; the next one is the 101st.
        let mut c = shared.clone();
        assert_eq!(c.calculate(&s, Request::FORCES).unwrap().energy, 101.0);
        assert_eq!(c.name(), "counter");
    }
}
