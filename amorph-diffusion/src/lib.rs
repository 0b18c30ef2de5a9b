//! # amorph-diffusion
//!
//! Diffusion analysis of MD trajectories: unwrapping and drift correction
//! ([`Displacements`]), mean-square displacements over all time origins by FFT ([`msd`]),
//! diffusivities that reproduce pymatgen's `DiffusionAnalyzer` (`smoothed = max | constant |
//! none`) **and** a generalised-least-squares fit with kinisi's MSD covariance whose σ means
//! something ([`analyze`], [`fit`]), Nernst–Einstein conductivity, charge diffusivity and Haven
//! ratio, Arrhenius fits with propagated errors ([`arrhenius`]), and partial RDFs with
//! coordination numbers ([`rdf`]). [`summary`] holds the results as the `amorph` commands
//! report them (serialisable, displayable).
//!
//! Units: Å, fs, K inside; D in cm²/s (standard tracer D, slope/6 of the 3-D MSD; the paper's
//! slope/2 only via [`DConvention::PaperSlopeOver2`]), conductivity in mS/cm.
//!
//! ```
//! use amorph_core::{Element, Lattice, Trajectory};
//! use amorph_diffusion::{analyze, DiffusionSettings, Displacements, Drift};
//! use nalgebra::Vector3;
//!
//! // 8 Li atoms moving ballistically along x at 0.01 Å/fs in a 10 Å box, 1 fs per frame.
//! let li = Element::from_symbol("Li").unwrap();
//! let mut t = Trajectory::new(vec![li; 8], Lattice::cubic(10.0).unwrap(), 1.0).unwrap();
//! for f in 0..400 {
//!     let x = (f as f64 * 0.01).rem_euclid(10.0);
//!     t.push_frame((0..8).map(|i| Vector3::new(x, i as f64, 0.0)).collect(), None).unwrap();
//! }
//! let disp = Displacements::from_trajectory(&t).unwrap();
//! let mut s = DiffusionSettings::new(li, 300.0, 1.0);
//! s.drift = Drift::None; // all atoms diffuse: no framework to correct against
//! s.min_lag_fs = 10.0;
//! s.gls = None;
//! let r = analyze(&disp, &s).unwrap();
//! assert!(r.diffusivity_cm2_s > 0.0);
//! // A zero temperature is a typed error, not a panic.
//! s.temperature_k = 0.0;
//! assert!(analyze(&disp, &s).is_err());
//! ```

pub mod analysis;
pub mod arrhenius;
pub mod curve;
pub mod displacement;
pub mod error;
pub mod fit;
pub mod msd;
pub mod rdf;
pub mod summary;

pub use analysis::{
    DConvention, DiffusionReport, DiffusionSettings, GlsReport, GlsSettings, Smoothing, analyze,
    conversion_factor, default_charge,
};
pub use arrhenius::{
    ArrheniusFit, ArrheniusRow, Extrapolation, fit_arrhenius, fit_groups, parse_table,
};
pub use curve::{MsdFitCurve, MsdPoint, msd_fit_curve};
pub use displacement::{Displacements, Drift};
pub use error::{DiffusionError, Result};
pub use fit::{GlsFit, LineFit, MsdStatistics, Sampling, gls_fit, msd_statistics, pymatgen_fit};
pub use msd::{MsdCurves, msd_all_lags, msd_fft, msd_windowed};
pub use rdf::{PartialRdf, RdfComparison, compare_rdfs, partial_rdf, rdf_set};
pub use summary::{
    ArrheniusTable, DiffusionSummary, ElementPair, GlsSummary, GroupFit, NamedComparison,
    PairError, RdfPairSummary, RdfSummary,
};
