//! # amorph-core
//!
//! The types every other amorph crate speaks: chemical [`Element`]s and their data,
//! [`Composition`]s parsed like pymatgen parses them, triclinic [`Lattice`]s, [`Structure`]s
//! and [`Trajectory`]s, periodic [`NeighborList`]s that handle cutoffs larger than the cell,
//! the file formats of the field ([`io`]: extxyz, POSCAR, XDATCAR, LAMMPS data), the
//! [`Calculator`] trait that all energies and forces come through, [`units`], and the seeded
//! random streams of every simulation ([`rng`]).
//!
//! A plug-in author (a DFT driver, an ML potential) depends on this crate alone.
//!
//! ```
//! use amorph_core::{Element, Lattice, NeighborList, Structure};
//! use nalgebra::Vector3;
//!
//! let li = Element::from_symbol("Li").unwrap();
//! let cell = Lattice::cubic(3.0).unwrap();
//! let s = Structure::new(cell, vec![li], vec![Vector3::zeros()]).unwrap();
//! // A 3.5 Å cutoff in a 3 Å cell: the atom sees its own six nearest images.
//! let nl = NeighborList::build(&s, 3.5).unwrap();
//! assert_eq!(nl.neighbors(0).len(), 6);
//! ```

pub mod calculator;
pub mod composition;
pub mod element;
pub mod error;
pub mod io;
pub mod lattice;
pub mod neighbor;
pub mod rng;
pub mod structure;
pub mod trajectory;
pub mod units;

pub use calculator::{
    Calculation, Calculator, Capabilities, EnergySummary, Request, SharedCalculator,
};
pub use composition::Composition;
pub use element::{Element, ElementData};
pub use error::{Error, Result};
pub use io::{Format, Frame};
pub use lattice::Lattice;
pub use neighbor::NeighborList;
pub use structure::Structure;
pub use trajectory::Trajectory;
