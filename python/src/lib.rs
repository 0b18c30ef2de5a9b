//! `amorph._amorph`: the Rust half of the `amorph` Python package (PyO3).
//!
//! The bindings are thin. Each function converts Python objects (numpy arrays, lists, strings)
//! to the library's types and calls the same library function the `amorph` command line calls;
//! results come back as the JSON of the library's result types (the command's `--json` object)
//! plus numpy arrays, which the pure-Python layer (`python/amorph/`) wraps in small classes and
//! pandas DataFrames. Long calls release the GIL. Errors raise `amorph.AmorphError` with the
//! one-line message the command line prints after `error: `.
//!
//! From Python (after `pip install ./python`):
//!
//! ```python
//! import amorph
//! traj = amorph.read_trajectory("XDATCAR")
//! r = amorph.diffusion(traj, temperature=500, time_step=2, step_skip=50)
//! print(r.diffusivity_cm2_s, r.gls["diffusivity_cm2_s"])
//! ```

mod calc;
mod diffusion;
mod error;
mod features;
mod ml;
mod structure;
mod workflow;

use pyo3::prelude::*;

/// The extension module `amorph._amorph`.
#[pymodule]
fn _amorph(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("AmorphError", py.get_type::<error::AmorphError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The cargo features this build has: ["torch"] when `sevennet` can run.
    let features: &[&str] = if cfg!(feature = "torch") {
        &["torch"]
    } else {
        &[]
    };
    m.add("features", features.to_vec())?;
    m.add_class::<structure::PyStructure>()?;
    m.add_class::<structure::PyTrajectory>()?;
    m.add_function(wrap_pyfunction!(structure::read_structure, m)?)?;
    m.add_function(wrap_pyfunction!(structure::read_trajectory, m)?)?;
    m.add_function(wrap_pyfunction!(diffusion::diffusion, m)?)?;
    m.add_function(wrap_pyfunction!(diffusion::diffusion_displacements, m)?)?;
    m.add_function(wrap_pyfunction!(diffusion::arrhenius, m)?)?;
    m.add_function(wrap_pyfunction!(diffusion::rdf, m)?)?;
    m.add_class::<calc::PyCalculator>()?;
    m.add_function(wrap_pyfunction!(features::featurize_formulas, m)?)?;
    m.add_function(wrap_pyfunction!(features::featurize_structures, m)?)?;
    m.add_class::<ml::PyModel>()?;
    m.add_function(wrap_pyfunction!(ml::fit_random_forest, m)?)?;
    m.add_function(wrap_pyfunction!(ml::fit_gradient_boosting, m)?)?;
    m.add_function(wrap_pyfunction!(ml::sisso, m)?)?;
    m.add_function(wrap_pyfunction!(workflow::run, m)?)?;
    m.add_function(wrap_pyfunction!(workflow::export, m)?)?;
    Ok(())
}
