//! Built-in potentials (being written).
