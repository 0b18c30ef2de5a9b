//! Chemical compositions and formula parsing (lands with the foundation issue; not yet usable).
