//! `Calculator`: amorph's built-in potentials (what `amorph energy --potential NAME` uses) for
//! Python; the Python layer wraps it in an ASE `Calculator`.

use crate::error::{Ctx, bad, to_json};
use crate::structure::PyStructure;
use amorph_core::{Calculator, EnergySummary, Request, Structure};
use amorph_md::potential::{
    Coulomb, DEFAULT_DSF_ALPHA, DEFAULT_DSF_CUTOFF, DEFAULT_EWALD_ACCURACY, PedoneOptions, pedone,
};
use amorph_md::spec::{CalculatorSpec, CoulombKind};
use numpy::ndarray::{Array1, Array2};
use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;
use std::sync::Mutex;

/// Energy (eV), forces (eV/Å) and stress (eV/Å³, Voigt).
type Calculated<'py> = (f64, Bound<'py, PyArray2<f64>>, Bound<'py, PyArray1<f64>>);

/// A potential, chosen as `amorph energy` chooses it: `auto` (the physical potential that
/// covers the composition), `auto-zbl`, `pedone`, `pedone-zbl`, `tosi-fumi`, `tosi-fumi-zbl`,
/// `uff` (a smoke-test potential, not physics), or `sevennet` / `sevennet:PATH` (SevenNet-0
/// through libtorch, in a package built with the `torch` feature) on `device`. `coulomb` is
/// `ewald` or `dsf`; `cutoff` is Pedone's short-range cutoff (Å) of `potential="pedone"`, as
/// `amorph energy --cutoff`.
#[pyclass(module = "amorph._amorph", name = "Calculator", frozen)]
pub struct PyCalculator {
    potential: String,
    /// `potential` parsed and placed on its device.
    spec: CalculatorSpec,
    coulomb: Coulomb,
    cutoff: f64,
    /// The calculator of the last composition (built on first use, rebuilt when the
    /// composition changes).
    current: Mutex<Option<(String, Box<dyn Calculator>)>>,
}

impl PyCalculator {
    /// A fresh calculator for `s`, exactly as `amorph energy` builds it (src/cli/energy.rs).
    fn build(&self, s: &Structure) -> PyResult<Box<dyn Calculator>> {
        let name = &self.potential;
        if name.eq_ignore_ascii_case("pedone") {
            return Ok(Box::new(
                pedone(&PedoneOptions {
                    cutoff: self.cutoff,
                    coulomb: self.coulomb,
                    ..Default::default()
                })
                .ctx("--cutoff")?,
            ));
        }
        let composition = s.composition().ctx("structure")?;
        self.spec
            .calculator_for(&composition, self.coulomb)
            .ctx(&format!("--potential {name}"))
    }
}

#[pymethods]
impl PyCalculator {
    #[new]
    #[pyo3(signature = (potential = "auto", coulomb = "ewald", cutoff = 5.5,
        ewald_accuracy = DEFAULT_EWALD_ACCURACY, dsf_alpha = DEFAULT_DSF_ALPHA,
        dsf_cutoff = DEFAULT_DSF_CUTOFF, device = "cpu"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        potential: &str,
        coulomb: &str,
        cutoff: f64,
        ewald_accuracy: f64,
        dsf_alpha: f64,
        dsf_cutoff: f64,
        device: &str,
    ) -> PyResult<Self> {
        // Check the name and device now, so that a typo fails here rather than at the first
        // step.
        let spec: CalculatorSpec = potential.parse().ctx(&format!("--potential {potential}"))?;
        if spec.is_ipi() {
            return Err(bad(format!(
                "--potential {potential}: an i-PI client serves amorph's own MD runs; from ASE, \
                 use ase.calculators.socketio directly"
            )));
        }
        let spec = spec.on_device(device).ctx(&format!("--device {device}"))?;
        let kind: CoulombKind = coulomb.parse().ctx(&format!("--coulomb {coulomb}"))?;
        let coulomb = kind
            .with(dsf_alpha, dsf_cutoff, ewald_accuracy)
            .ctx("--coulomb options")?;
        if !(cutoff.is_finite() && cutoff > 0.0) {
            return Err(bad(format!(
                "cutoff {cutoff}: must be a positive distance (Å)"
            )));
        }
        Ok(PyCalculator {
            potential: potential.to_string(),
            spec,
            coulomb,
            cutoff,
            current: Mutex::new(None),
        })
    }

    /// The potential's name as given.
    #[getter]
    fn potential(&self) -> &str {
        &self.potential
    }

    /// Energy (eV), forces (eV/Å, shape (n, 3)) and stress (eV/Å³, Voigt xx yy zz yz xz xy,
    /// ASE's sign) of `structure`.
    fn calculate<'py>(
        &self,
        py: Python<'py>,
        structure: PyRef<'py, PyStructure>,
    ) -> PyResult<Calculated<'py>> {
        let s = &structure.inner;
        let key = s.formula();
        let result = py.detach(|| -> PyResult<_> {
            let mut guard = self
                .current
                .lock()
                .map_err(|_| bad("calculator: an earlier call panicked"))?;
            if guard.as_ref().is_none_or(|(k, _)| *k != key) {
                *guard = Some((key.clone(), self.build(s)?));
            }
            let (_, calc) = guard.as_mut().expect("just built");
            let name = calc.name().to_string();
            calc.calculate_checked(s, Request::STRESS).ctx(&name)
        })?;
        let f = &result.forces;
        let forces = Array2::from_shape_fn((f.len(), 3), |(i, k)| f[i][k]);
        let stress = Array1::from(result.stress.unwrap_or([0.0; 6]).to_vec());
        Ok((
            result.energy,
            forces.into_pyarray(py),
            stress.into_pyarray(py),
        ))
    }

    /// `amorph energy --json` of `structure` (a fresh calculator, as the command builds):
    /// potential, energy, forces, stress, pressure_bar. `name` is the structure's file name in
    /// error messages.
    #[pyo3(signature = (structure, name = "<python>"))]
    fn energy(
        &self,
        py: Python<'_>,
        structure: PyRef<'_, PyStructure>,
        name: &str,
    ) -> PyResult<String> {
        let s = &structure.inner;
        let summary = py.detach(|| -> PyResult<_> {
            let mut calc = self.build(s)?;
            EnergySummary::compute(name, s, calc.as_mut()).ctx(name)
        })?;
        to_json(&summary)
    }

    fn __repr__(&self) -> String {
        format!("Calculator(potential={:?})", self.potential)
    }
}
