//! Errors of the machine-learned potentials.

use amorph_core::Element;

/// What can go wrong loading or running a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TorchError {
    /// The model file cannot be read or is not a deployed SevenNet model.
    #[error("model {model}: {reason}")]
    Model {
        /// The model (its path, or the built-in model's name).
        model: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A cell holds a species the model was not trained on.
    #[error("cell {cell} holds {element}, which the model does not know (its species: {known})")]
    UnknownSpecies {
        /// The species.
        element: Element,
        /// Index of the cell in the batch (0 for a single cell).
        cell: usize,
        /// The species the model knows, space-separated.
        known: String,
    },
    /// A cell cannot be turned into the model's input graph.
    #[error("input: {0}")]
    Input(String),
    /// The model's output is not what a SevenNet model returns.
    #[error("output: {0}")]
    Output(String),
    /// The device cannot be used (`cuda` without a GPU, or a build without CUDA).
    #[error("device {device}: {reason}")]
    Device {
        /// The device asked for.
        device: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// libtorch failed (loading, forward or backward).
    #[error("libtorch: {0}")]
    Torch(String),
}

impl TorchError {
    /// The same error with the model named (for errors raised before the name was known).
    pub(crate) fn in_model(self, model: &str) -> Self {
        match self {
            TorchError::Model { reason, .. } => TorchError::Model {
                model: model.to_string(),
                reason,
            },
            e => e,
        }
    }
}

impl From<TorchError> for amorph_core::Error {
    fn from(e: TorchError) -> Self {
        amorph_core::Error::calculator("sevennet", e.to_string())
    }
}

/// Result with [`TorchError`].
pub type Result<T> = std::result::Result<T, TorchError>;
