//! # amorph-table
//!
//! The one reader of text tables in the amorph workspace (and the writer that matches it):
//! the paper's whitespace-separated `feature_target.dat`, the CSV that `amorph featurize`
//! writes, a hand-written table of D(T). It knows nothing of atoms or models; `amorph-ml`,
//! `amorph-sisso` and `amorph-diffusion` build their views of a table on it.
//!
//! * Lines: blank lines and comment lines (first non-blank character `#`) are skipped;
//!   [`lines`] numbers the others from 1 as they stand in the text, so errors name real lines.
//! * Fields ([`Separator`]): a table with a header is comma-separated when its header holds a
//!   comma, whitespace-separated otherwise ([`Separator::of_header`]); double-quoted parts of
//!   a field may hold separators, whitespace and `#` (`""` is a quote). [`Separator::Loose`]
//!   splits on any run of whitespace, commas and semicolons and drops empty fields — for
//!   tables of numbers written by hand, such as `amorph arrhenius`'s `T; D; σ`. Semicolons
//!   separate only there: in a header dialect a semicolon is text.
//! * [`Table`]: the header's column names, the rows as text (each as long as the header), and
//!   the numeric columns (every cell an `f64`), parsed once as the table is read.
//! * Errors ([`TableError`]) are one line each and name the table and, for a bad row, its line;
//!   a missing file reads `PATH: No such file or directory (os error 2)`.
//! * [`write_table`] and [`quote_field`] write tables that read back as they were.
//!
//! ```
//! use amorph_table::{Separator, Table, TableError};
//!
//! let text = "\"Unnamed: 0\" formula diff_coeff_mul_thousand temperature\n\
//!             ## a comment\n\
//!             0 Li2O 0.125 1500\n\
//!             1 \"Li F\" 0.389 2000\n";
//! let t = Table::parse(text, "feature_target.dat")?;
//! assert_eq!(t.names()[0], "Unnamed: 0");
//! assert_eq!(t.text(1).unwrap(), ["Li2O", "Li F"]);
//! let k = t.column_index("temperature").unwrap();
//! assert_eq!(t.numeric(k), Some(&[1500.0, 2000.0][..]));
//!
//! // Written as CSV and read back: the same table.
//! let mut csv = Vec::new();
//! t.write(&mut csv, Separator::Comma)?;
//! assert_eq!(Table::parse(std::str::from_utf8(&csv).unwrap(), "<csv>")?, t);
//!
//! // A ragged row is an error naming the table and the line.
//! let e = Table::parse("a b\n1 2\n3\n", "t.dat").unwrap_err();
//! assert!(matches!(e, TableError::Ragged { line: 3, fields: 1, .. }));
//! assert_eq!(e.to_string(), "table t.dat, line 3: 1 fields, the header has 2");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod error;
mod split;
mod table;
mod write;

pub use error::{Result, TableError};
pub use split::{Line, Separator, lines};
pub use table::{Options, Parts, Table};
pub use write::{quote_field, write_table};
