//! `amorph.AmorphError` and the one-line messages of the command line.

use pyo3::PyErr;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use std::error::Error;
use std::fmt::Display;

create_exception!(
    amorph,
    AmorphError,
    PyValueError,
    "An input amorph cannot use (a file, a parameter, a structure): the message names it in one line, as the `amorph` command line does. A subclass of ValueError."
);

/// The error and its causes on one line after `context` (a file name, a parameter), by the
/// command line's rule (`amorph_core::error::one_line`).
pub fn message(context: Option<&str>, err: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = context.map(str::to_string).into_iter().collect();
    let mut cause: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(c) = cause {
        parts.push(c.to_string());
        cause = c.source();
    }
    amorph_core::error::one_line(parts)
}

/// The library error `err` about `context` as an `AmorphError`. Contexts are the command
/// line's (a file name, or the option as the command spells it, e.g. `--species Xx`), so that
/// the message is the line `amorph` prints after `error: `.
pub fn amorph_err(context: &str, err: impl Error + 'static) -> PyErr {
    AmorphError::new_err(message(Some(context), &err))
}

/// An `AmorphError` with this message (a bad argument found by the bindings themselves).
pub fn bad(message: impl Display) -> PyErr {
    AmorphError::new_err(message.to_string())
}

/// Results of library calls: `.ctx("input")?` raises `AmorphError("input: error")`.
pub trait Ctx<T> {
    /// The error as an `AmorphError` about `context`.
    fn ctx(self, context: &str) -> Result<T, PyErr>;
}

impl<T, E: Error + 'static> Ctx<T> for Result<T, E> {
    fn ctx(self, context: &str) -> Result<T, PyErr> {
        self.map_err(|e| amorph_err(context, e))
    }
}

/// A JSON string of a library result (its `--json` object).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, PyErr> {
    serde_json::to_string(value).map_err(|e| bad(format!("serialising the result: {e}")))
}
