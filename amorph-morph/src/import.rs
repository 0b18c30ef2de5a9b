//! Importing the paper's published table (`feature_target.dat`) into a workflow database.
//!
//! The table holds one row per composition × temperature: `formula`, `temperature` (K),
//! `diff_coeff_mul_thousand` (Li diffusivity in 10⁻³ cm²/s in the paper's convention, slope/2
//! of the 3-D MSD, three times the standard tracer D) and the 42 descriptors of Table 1 under
//! the paper's column names. [`read_paper_table`] parses it with amorph-ml's [`Table`] reader
//! and validates every row; [`Database::import_table`] writes the rows so that the database
//! reads like a workflow run:
//!
//! | table | what an import writes |
//! | --- | --- |
//! | `runs` | one row, config `{"kind": "import", "source": PATH, …}` (reused on re-import) |
//! | `compositions` | the formula as written in the table (`atoms` = atoms of the integer formula, seed 0), config with the same `kind` and `source` |
//! | `stages` | one `import` stage, `done`, whose result names the source (no MD stage is marked done) |
//! | `thermo` | per temperature, keyed `production@TK` as the workflow's: density m̄/AAV (g/cm³), volume AAV·atoms (Å³); pressure, energy and drift empty; `converged` false |
//! | `diffusion` | per temperature: tracer D = `diff_coeff_mul_thousand` × 10⁻³ / 3 (cm²/s); σ empty (the table has none) |
//! | `features` | per temperature: every numeric column but the row id and `temperature`, under the paper's names (`diff_coeff_mul_thousand` included) |
//! | `arrhenius` | per composition: the workflow's own fit (amorph-diffusion's `fit_arrhenius`, unweighted since no σ) |
//!
//! Importing the same file again replaces its rows (idempotent); a formula that is already in
//! the database from a workflow run or from another source is a [`ImportError::Conflict`] and
//! nothing is written.
//!
//! [`Database::import_table`]: crate::Database::import_table

use crate::results::FeatureRow;
use amorph_core::Composition;
use amorph_ml::{MlError, Table};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The paper's diffusivity column (10⁻³ cm²/s, slope/2 of the 3-D MSD).
pub const PAPER_D_COLUMN: &str = "diff_coeff_mul_thousand";

/// Factor from [`PAPER_D_COLUMN`] to the standard tracer D in cm²/s: 10⁻³ for the unit, 1/3
/// for the paper's slope/2 instead of slope/6.
pub const PAPER_TO_TRACER_CM2_S: f64 = 1e-3 / 3.0;

/// `kind` written into the `runs` and `compositions` config of imported rows.
pub const IMPORT_KIND: &str = "import";

/// What can go wrong reading or importing a table; every variant names the file or formula.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read or parsed as a table (the message names the file).
    #[error("{source}")]
    Table {
        /// The table file.
        path: PathBuf,
        /// The reader's error.
        #[source]
        source: MlError,
    },
    /// A required column is missing or not numeric.
    #[error(
        "{path}: no numeric column `{column}` (the paper's feature_target.dat has formula, temperature, diff_coeff_mul_thousand and AAV)"
    )]
    MissingColumn {
        /// The table file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// A data row has a bad value.
    #[error("{path}, data row {row}: {reason}")]
    BadRow {
        /// The table file.
        path: PathBuf,
        /// 1-based data row (the header not counted).
        row: usize,
        /// What is wrong.
        reason: String,
    },
    /// A row has no positive `AAV` (volume per atom), from which the density is derived.
    #[error(
        "{formula} at {temperature_k} K: no positive AAV (volume per atom) to derive the density from"
    )]
    NoVolume {
        /// The formula.
        formula: String,
        /// The temperature (K).
        temperature_k: f64,
    },
    /// The formula is already in the database from a workflow run or another source.
    #[error(
        "composition {formula} is already in the database from {existing}; import into another database"
    )]
    Conflict {
        /// The formula.
        formula: String,
        /// Where the existing row came from.
        existing: String,
    },
}

/// One row of an imported table: a composition at a temperature.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRow {
    /// The formula as written in the table.
    pub formula: String,
    /// Temperature (K).
    pub temperature_k: f64,
    /// The paper's `diff_coeff_mul_thousand` (10⁻³ cm²/s, slope/2 convention).
    pub d_paper: f64,
    /// Every numeric column but the row id and `temperature`, under the table's names.
    pub features: FeatureRow,
}

impl ImportedRow {
    /// The standard tracer D (cm²/s, slope/6 of the 3-D MSD).
    pub fn tracer_d_cm2_s(&self) -> f64 {
        self.d_paper * PAPER_TO_TRACER_CM2_S
    }
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportSummary {
    /// The source as recorded (canonical path when it exists).
    pub source: String,
    /// The `runs` row of this import.
    pub run_id: i64,
    /// Compositions written.
    pub compositions: usize,
    /// Composition × temperature rows written.
    pub rows: usize,
    /// Compositions with an Arrhenius fit (two or more temperatures with D > 0).
    pub arrhenius_fits: usize,
    /// Whether the same source had been imported before (its rows were replaced).
    pub replaced: bool,
}

/// Reads and validates the paper's `feature_target.dat` (or any table with `formula`,
/// `temperature`, `diff_coeff_mul_thousand` and `AAV` columns and a row id first; `AAV`, the
/// volume per atom, gives the density).
///
/// Every formula must parse, temperatures must be finite and positive, D finite and
/// non-negative, and no (formula, temperature) may appear twice.
pub fn read_paper_table(path: &Path) -> Result<Vec<ImportedRow>, ImportError> {
    let table = Table::read(path).map_err(|source| ImportError::Table {
        path: path.to_path_buf(),
        source,
    })?;
    paper_rows(&table, path)
}

/// [`read_paper_table`] on text already in memory; `path` names it in errors.
pub fn parse_paper_table(text: &str, path: &Path) -> Result<Vec<ImportedRow>, ImportError> {
    let table =
        Table::parse(text, &path.display().to_string()).map_err(|source| ImportError::Table {
            path: path.to_path_buf(),
            source,
        })?;
    paper_rows(&table, path)
}

/// Validates the rows of a parsed paper table.
fn paper_rows(table: &Table, path: &Path) -> Result<Vec<ImportedRow>, ImportError> {
    let missing = |column: &str| ImportError::MissingColumn {
        path: path.to_path_buf(),
        column: column.to_string(),
    };
    let formulas = table
        .text_column("formula")
        .map_err(|_| missing("formula"))?;
    let temps = table
        .column("temperature")
        .map_err(|_| missing("temperature"))?;
    let d = table
        .column(PAPER_D_COLUMN)
        .map_err(|_| missing(PAPER_D_COLUMN))?;
    let aav = table.column("AAV").map_err(|_| missing("AAV"))?;
    let feature_names: Vec<String> = table
        .numeric_columns()
        .into_iter()
        .filter(|n| n != "temperature")
        .collect();
    let columns: Vec<Vec<f64>> = feature_names
        .iter()
        .map(|n| table.column(n).map(|c| c.to_vec()))
        .collect::<Result<_, _>>()
        .map_err(|source| ImportError::Table {
            path: path.to_path_buf(),
            source,
        })?;
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(table.n_rows());
    for i in 0..table.n_rows() {
        let bad = |reason: String| ImportError::BadRow {
            path: path.to_path_buf(),
            row: i + 1,
            reason,
        };
        let formula = formulas[i].clone();
        Composition::parse(&formula).map_err(|e| bad(format!("formula {formula:?}: {e}")))?;
        let t = temps[i];
        if !(t.is_finite() && t > 0.0) {
            return Err(bad(format!("temperature {t} is not a positive number")));
        }
        if !(d[i].is_finite() && d[i] >= 0.0) {
            return Err(bad(format!(
                "{PAPER_D_COLUMN} {} is not a non-negative number",
                d[i]
            )));
        }
        if !(aav[i].is_finite() && aav[i] > 0.0) {
            return Err(bad(format!(
                "AAV {} is not a positive volume per atom",
                aav[i]
            )));
        }
        if !seen.insert((formula.clone(), t.to_bits())) {
            return Err(bad(format!("{formula} at {t} K appears twice")));
        }
        let features = FeatureRow {
            values: feature_names
                .iter()
                .zip(&columns)
                .map(|(n, c)| (n.clone(), Some(c[i])))
                .collect(),
            undefined: Default::default(),
        };
        rows.push(ImportedRow {
            formula,
            temperature_k: t,
            d_paper: d[i],
            features,
        });
    }
    Ok(rows)
}

/// Reads `path` with [`read_paper_table`] and imports it into `db`, recording the canonical
/// path as the source.
pub fn import_paper_table(db: &mut crate::Database, path: &Path) -> crate::Result<ImportSummary> {
    let rows = read_paper_table(path)?;
    let source = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    db.import_table(&source, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Database;

    const PAPER: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/paper_ml/feature_target.dat"
    );

    const SMALL: &str =
        "\"Unnamed: 0\" formula diff_coeff_mul_thousand temperature AAV avg_m_with_Li
0 Li3N 0.1422194 1000 11.623469084 8.707425
1 Li3N 0.4514615 1500 12.4168091314 8.707425
2 Li3N 0.8534545 2000 13.1621600074 8.707425
3 Li3N 1.3387713 2500 13.7417239403 8.707425
4 LiF 0.2 1500 10.0 12.97
5 LiF 0.5 2500 11.0 12.97
";

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_the_paper_table() {
        let rows = read_paper_table(Path::new(PAPER)).unwrap();
        assert_eq!(rows.len(), 792);
        let formulas: HashSet<&str> = rows.iter().map(|r| r.formula.as_str()).collect();
        assert_eq!(formulas.len(), 207);
        let li3n: Vec<&ImportedRow> = rows.iter().filter(|r| r.formula == "Li3N").collect();
        assert_eq!(li3n.len(), 4);
        assert_eq!(li3n[0].temperature_k, 1000.0);
        assert_eq!(li3n[0].d_paper, 0.1422194);
        assert_eq!(li3n[0].features.get("AAV"), Some(11.623469084));
        assert!(!li3n[0].features.values.contains_key("temperature"));
        assert!(!li3n[0].features.values.contains_key("Unnamed: 0"));
        // 42 descriptors plus the paper's D column.
        assert_eq!(li3n[0].features.values.len(), 43);
        assert!((li3n[0].tracer_d_cm2_s() - 0.1422194e-3 / 3.0).abs() < 1e-18);
    }

    #[test]
    fn bad_tables_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (
                "nocol.dat",
                "id formula temperature\n0 LiF 1000\n",
                "diff_coeff_mul_thousand",
            ),
            (
                "formula.dat",
                "id formula diff_coeff_mul_thousand temperature AAV\n0 Xx2O 0.1 1000 10\n",
                "Xx2O",
            ),
            (
                "temp.dat",
                "id formula diff_coeff_mul_thousand temperature AAV\n0 LiF 0.1 -5 10\n",
                "temperature",
            ),
            (
                "neg.dat",
                "id formula diff_coeff_mul_thousand temperature AAV\n0 LiF -0.1 1000 10\n",
                "non-negative",
            ),
            (
                "dup.dat",
                "id formula diff_coeff_mul_thousand temperature AAV\n0 LiF 0.1 1000 10\n1 LiF 0.2 1000 10\n",
                "twice",
            ),
            (
                "aav0.dat",
                "id formula diff_coeff_mul_thousand temperature AAV\n0 LiF 0.1 1000 0\n",
                "AAV 0",
            ),
            (
                "noaav.dat",
                "id formula diff_coeff_mul_thousand temperature\n0 LiF 0.1 1000\n",
                "AAV",
            ),
            (
                "ragged.dat",
                "id formula diff_coeff_mul_thousand temperature AAV\n0 LiF 0.1 1000\n",
                "line 2",
            ),
        ];
        for (name, text, needle) in cases {
            let p = write(dir.path(), name, text);
            let e = read_paper_table(&p).unwrap_err().to_string();
            assert!(e.contains(name), "{name}: {e}");
            assert!(e.contains(needle), "{name}: {e}");
        }
        let e = read_paper_table(&dir.path().join("absent.dat"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("absent.dat"), "{e}");
    }

    #[test]
    fn import_writes_workflow_shaped_rows_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let table = write(dir.path(), "small.dat", SMALL);
        let mut db = Database::open(&dir.path().join("x.db")).unwrap();
        let s = import_paper_table(&mut db, &table).unwrap();
        assert_eq!((s.compositions, s.rows, s.arrhenius_fits), (2, 6, 2));
        assert!(!s.replaced);
        let comps = db.compositions().unwrap();
        assert_eq!(comps.len(), 2);
        let li3n = db.composition("Li3N").unwrap().unwrap();
        assert_eq!(li3n.atoms, 4);
        let thermo = db.thermo(li3n.id).unwrap();
        assert_eq!(thermo.len(), 4);
        assert_eq!(thermo[0].0, crate::Stage::Production(1000.0));
        let dens = amorph_core::units::density_g_cm3(8.707425, 11.623469084);
        assert!((thermo[0].1.density_g_cm3 - dens).abs() < 1e-12);
        assert!(thermo[0].1.pressure_bar.is_nan());
        assert!(!thermo[0].1.converged);
        let diff = db.diffusion(li3n.id).unwrap();
        assert_eq!(diff.len(), 4);
        let d1000 = diff.iter().find(|d| d.temperature == 1000.0).unwrap();
        assert_eq!(
            d1000.diffusivity_cm2_s.unwrap(),
            0.1422194 * PAPER_TO_TRACER_CM2_S
        );
        assert!(d1000.diffusivity_std_cm2_s.is_none());
        assert_eq!(d1000.paper_d_mul_thousand, Some(0.1422194));
        // Ea from an independent least-squares slope of ln D against 1/T.
        let t = [1000.0, 1500.0, 2000.0, 2500.0];
        let d = [0.1422194, 0.4514615, 0.8534545, 1.3387713];
        let x: Vec<f64> = t.iter().map(|t| 1.0 / t).collect();
        let y: Vec<f64> = d.iter().map(|d: &f64| d.ln()).collect();
        let (xm, ym) = (x.iter().sum::<f64>() / 4.0, y.iter().sum::<f64>() / 4.0);
        let slope = (0..4).map(|i| (x[i] - xm) * (y[i] - ym)).sum::<f64>()
            / (0..4).map(|i| (x[i] - xm).powi(2)).sum::<f64>();
        let ea = -slope * amorph_core::units::KB_EV;
        let fit = db.arrhenius(li3n.id).unwrap().unwrap();
        assert!((fit.ea_ev - ea).abs() < 1e-12);
        assert!(fit.ea_std_ev.unwrap() > 0.0);
        assert!(!fit.weighted);
        assert_eq!(fit.source.as_deref(), Some(s.source.as_str()));
        let feats = db.features(li3n.id).unwrap();
        assert_eq!(feats.len(), 4);
        assert_eq!(feats[3].1.get(PAPER_D_COLUMN), Some(0.1422194));
        // LiF has two temperatures: a fit without σ.
        let lif = db.composition("LiF").unwrap().unwrap();
        assert!(db.arrhenius(lif.id).unwrap().unwrap().ea_std_ev.is_none());
        // Provenance: one `import` stage, no MD stage marked done.
        let stages = db.stages().unwrap();
        assert_eq!(stages.len(), 2);
        assert!(stages.iter().all(|s| s.stage == crate::Stage::Import));
        let Some(crate::results::StageResult::Import(run)) =
            db.stage_result(li3n.id, crate::Stage::Import).unwrap()
        else {
            panic!("no import result")
        };
        assert_eq!(run.source, s.source);
        assert_eq!(run.temperatures, [1000.0, 1500.0, 2000.0, 2500.0]);

        // Again: the same rows, the same run, nothing duplicated.
        let again = import_paper_table(&mut db, &table).unwrap();
        assert!(again.replaced);
        assert_eq!(again.run_id, s.run_id);
        assert_eq!(db.compositions().unwrap(), comps);
        assert_eq!(db.thermo(li3n.id).unwrap().len(), 4);
        assert_eq!(db.stages().unwrap().len(), 2);
        assert_eq!(db.import_runs().unwrap().len(), 1);
    }

    #[test]
    fn conflicts_leave_the_database_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let table = write(dir.path(), "small.dat", SMALL);
        let mut db = Database::open(&dir.path().join("x.db")).unwrap();
        // LiF from a workflow run.
        db.add_composition("LiF", "LiF", 64, 1, &crate::Config::demo())
            .unwrap();
        let e = import_paper_table(&mut db, &table).unwrap_err().to_string();
        assert!(e.contains("LiF") && e.contains("workflow run"), "{e}");
        assert!(db.composition("Li3N").unwrap().is_none());
        assert!(db.import_runs().unwrap().is_empty());
        // Another table holding Li3N.
        let mut db2 = Database::open(&dir.path().join("y.db")).unwrap();
        import_paper_table(&mut db2, &table).unwrap();
        let other = write(dir.path(), "other.dat", SMALL);
        let e = import_paper_table(&mut db2, &other)
            .unwrap_err()
            .to_string();
        assert!(e.contains("small.dat") && e.contains("Li3N"), "{e}");
    }
}
