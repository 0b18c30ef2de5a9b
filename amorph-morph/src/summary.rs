//! What the `amorph` commands report about a workflow and its database: the outcome of a run
//! ([`RunSummary`]), the stages and trust of every composition ([`DatabaseStatus`]), an import
//! ([`ImportReport`]) and the database beside the paper ([`FidelityReport`]). Each serialises
//! to its command's `--json` object and displays as its text; [`Event`] displays as one
//! progress line.

use crate::db::{StageRow, StageStatus};
use crate::fidelity::{FIDELITY_RANGE, FidelityRow, FidelitySummary, compare};
use crate::import::{ImportSummary, ImportedRow};
use crate::quality::Quality;
use crate::workflow::{CompositionOutcome, Event};
use crate::{Config, Database, MorphError, Result};
use std::fmt;
use std::path::{Path, PathBuf};

/// The compositions of `amorph demo`, each covered by a built-in physical potential: three
/// oxides (Pedone) and three lithium halides (Tosi–Fumi). Sulfides and nitrides have no
/// established rigid-ion potential and are refused; they need a machine-learned potential
/// (i-PI).
pub const DEMO_FORMULAS: [&str; 6] = ["Li2O", "Li2Si2O5", "LiAlO2", "LiF", "LiCl", "LiBr"];

impl fmt::Display for Event {
    /// One progress line, e.g. `[Li2O] production@1500K done in 2.1 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Started {
                formula,
                stage,
                index,
                total,
            } => write!(f, "[{formula}] {stage} ({}/{total})", index + 1),
            Event::Finished {
                formula,
                stage,
                seconds,
            } => write!(f, "[{formula}] {stage} done in {seconds:.1} s"),
            Event::Skipped { formula, stage } => write!(f, "[{formula}] {stage} already done"),
            Event::Failed {
                formula,
                stage,
                error,
            } => write!(f, "[{formula}] {stage} FAILED: {error}"),
        }
    }
}

impl Event {
    /// The composition the event is about.
    pub fn formula(&self) -> &str {
        match self {
            Event::Started { formula, .. }
            | Event::Skipped { formula, .. }
            | Event::Finished { formula, .. }
            | Event::Failed { formula, .. } => formula,
        }
    }
}

/// An i-PI client holds one composition's atoms: with an i-PI potential `config` runs exactly
/// one formula ([`MorphError::IpiFormulas`] otherwise).
pub fn check_ipi_formulas(config: &Config, formulas: &[String]) -> Result<()> {
    if config.potential.is_ipi() && formulas.len() != 1 {
        return Err(MorphError::IpiFormulas {
            potential: config.potential.to_string(),
            count: formulas.len(),
        });
    }
    Ok(())
}

/// The atoms of `formula`'s cell in the order an i-PI client must hold them, e.g. `14 Li, 7 O`
/// ([`crate::cell_counts`]).
pub fn client_atoms(formula: &str, config: &Config) -> Result<String> {
    let counts = crate::cell_counts(formula, config)?;
    let atoms: Vec<String> = (counts.iter())
        .map(|(e, n)| format!("{n} {}", e.symbol()))
        .collect();
    Ok(atoms.join(", "))
}

impl StageStatus {
    /// The status as stored and reported: `running`, `done` or `failed`.
    pub fn name(self) -> &'static str {
        match self {
            StageStatus::Running => "running",
            StageStatus::Done => "done",
            StageStatus::Failed => "failed",
        }
    }
}

impl Database {
    /// [`MorphError::NoDatabase`] unless a file is at `path`: commands that only read a
    /// database check this first, so that a mistyped path does not create an empty one.
    pub fn must_exist(path: &Path) -> Result<()> {
        if path.exists() {
            Ok(())
        } else {
            Err(MorphError::NoDatabase {
                path: path.to_path_buf(),
            })
        }
    }

    /// Every composition with its stages and the trust of each temperature's row.
    pub fn status(&self) -> Result<Vec<CompositionStatus>> {
        let stages = self.stages()?;
        self.compositions()?
            .into_iter()
            .map(|c| {
                let quality = self.quality(c.id)?;
                Ok(CompositionStatus {
                    stages: stages
                        .iter()
                        .filter(|s| s.formula == c.formula)
                        .cloned()
                        .collect(),
                    quality: quality.into_iter().map(QualityCheck::from).collect(),
                    formula: c.formula,
                    atoms: c.atoms,
                    potential: c.potential,
                    physical: c.physical,
                })
            })
            .collect()
    }
}

/// One row of a [`RunSummary`]: a composition done (with the stages run now) or failed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutcomeRow {
    /// The formula.
    pub formula: String,
    /// `done` or `failed`.
    pub status: &'static str,
    /// Stages run by this invocation (done compositions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stages_run: Option<usize>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The outcome of [`crate::Workflow::run`] into a database, as `amorph run` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunSummary {
    /// The database.
    pub db: PathBuf,
    /// One row per composition.
    pub compositions: Vec<OutcomeRow>,
    /// Wall time (s).
    pub seconds: f64,
}

impl RunSummary {
    /// The summary of `outcomes`, written to `db` in `seconds`; [`MorphError::AllFailed`] when
    /// no composition got through.
    pub fn new(db: &Path, outcomes: &[CompositionOutcome], seconds: f64) -> Result<Self> {
        let compositions: Vec<OutcomeRow> = outcomes
            .iter()
            .map(|o| OutcomeRow {
                formula: o.formula.clone(),
                status: if o.result.is_ok() { "done" } else { "failed" },
                stages_run: o.result.as_ref().ok().copied(),
                error: o.result.as_ref().err().cloned(),
            })
            .collect();
        if compositions.iter().all(|c| c.error.is_some()) {
            let errors: Vec<String> = compositions.into_iter().filter_map(|c| c.error).collect();
            return Err(MorphError::AllFailed(errors.join("; ")));
        }
        Ok(RunSummary {
            db: db.to_path_buf(),
            compositions,
            seconds,
        })
    }
}

impl fmt::Display for RunSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ok = self.compositions.iter().filter(|c| c.error.is_none());
        writeln!(
            f,
            "{}/{} compositions done in {:.1} s -> {}",
            ok.count(),
            self.compositions.len(),
            self.seconds,
            self.db.display()
        )?;
        for c in &self.compositions {
            if let Some(e) = &c.error {
                writeln!(f, "  {} failed: {e}", c.formula)?;
            }
        }
        Ok(())
    }
}

/// The trust of one temperature's row: the [`Quality`] checks and their verdict.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QualityCheck {
    /// Temperature (K).
    pub temperature: f64,
    /// [`Quality::trusted`].
    pub trusted: bool,
    /// [`Quality::note`].
    pub note: String,
    /// The checks.
    pub checks: Quality,
}

impl From<Quality> for QualityCheck {
    fn from(q: Quality) -> Self {
        QualityCheck {
            temperature: q.temperature,
            trusted: q.trusted(),
            note: q.note(),
            checks: q,
        }
    }
}

/// One composition of a [`DatabaseStatus`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompositionStatus {
    /// The formula.
    pub formula: String,
    /// Atoms in the cell.
    pub atoms: usize,
    /// The potential chosen for it.
    pub potential: Option<String>,
    /// Whether that potential is physical.
    pub physical: Option<bool>,
    /// Its stages.
    pub stages: Vec<StageRow>,
    /// The trust of each temperature's row.
    pub quality: Vec<QualityCheck>,
}

impl fmt::Display for CompositionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done = self.stages.iter().filter(|s| s.status == StageStatus::Done);
        write!(f, "{} ({} atoms", self.formula, self.atoms)?;
        match (&self.potential, self.physical) {
            (Some(p), Some(false)) => write!(f, ", potential {p} (smoke test, not physics)")?,
            (Some(p), _) => write!(f, ", potential {p}")?,
            (None, _) => {}
        }
        writeln!(f, "): {} stages done", done.count())?;
        for s in &self.stages {
            write!(f, "  {:<22} {}", s.stage, s.status.name())?;
            if let Some(e) = &s.error {
                write!(f, ": {e}")?;
            }
            writeln!(f)?;
        }
        for q in &self.quality {
            let trusted = if q.trusted { "trusted" } else { "UNTRUSTED" };
            writeln!(f, "  {:>6} K {trusted}: {}", q.temperature, q.note)?;
        }
        Ok(())
    }
}

/// Every composition of a database ([`Database::status`]), as `amorph status` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DatabaseStatus {
    /// The database.
    pub db: PathBuf,
    /// Its compositions.
    pub compositions: Vec<CompositionStatus>,
}

impl fmt::Display for DatabaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.compositions.iter().try_for_each(|c| c.fmt(f))
    }
}

/// An import of the paper's table into a database, as `amorph import` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportReport {
    /// The database.
    pub db: PathBuf,
    /// The table.
    pub table: PathBuf,
    /// What was written.
    pub import: ImportSummary,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.import;
        write!(
            f,
            "{} {} rows ({} compositions, {} Arrhenius fits) from {} -> {}\n\
             diffusivity_cm2_s is the tracer D: the table's diff_coeff_mul_thousand x 1e-3 / 3; \
             rows are marked imported (stage `import`, source in the run config)",
            if s.replaced {
                "re-imported"
            } else {
                "imported"
            },
            s.rows,
            s.compositions,
            s.arrhenius_fits,
            self.table.display(),
            self.db.display()
        )
    }
}

/// A database beside the paper's table ([`compare`]), as `amorph fidelity` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FidelityReport {
    /// The database.
    pub db: PathBuf,
    /// The paper's table.
    pub table: PathBuf,
    /// One row per (composition, temperature) in both.
    pub rows: Vec<FidelityRow>,
    /// The summary.
    pub summary: FidelitySummary,
}

impl FidelityReport {
    /// `db` (opened from `db_path`) beside the rows of the paper's table read from
    /// `table_path`.
    pub fn new(
        db: &Database,
        db_path: &Path,
        table_path: &Path,
        paper: &[ImportedRow],
    ) -> Result<Self> {
        let comps = db.compositions()?;
        let export = db.export()?;
        let atoms_of = |f: &str| comps.iter().find(|c| c.formula == f).map(|c| c.atoms);
        let (rows, summary) = compare(&export, &atoms_of, paper);
        Ok(FidelityReport {
            db: db_path.to_path_buf(),
            table: table_path.to_path_buf(),
            rows,
            summary,
        })
    }
}

impl fmt::Display for FidelityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt =
            |x: Option<f64>, digits: usize| x.map_or("–".into(), |v| format!("{v:.digits$}"));
        let s = &self.summary;
        writeln!(
            f,
            "{} compositions, {} rows in both {} and {}",
            s.compositions,
            s.rows,
            self.db.display(),
            self.table.display()
        )?;
        writeln!(
            f,
            "{:<10} {:>6} {:>8} {:>8} {:>7} {:>10} {:>10} {:>8}  trusted",
            "formula", "T (K)", "AAV", "paper", "ratio", "D (cm²/s)", "paper", "log10"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<10} {:>6} {:>8.3} {:>8} {:>7} {:>10} {:>10.3e} {:>8}  {}",
                r.formula,
                r.temperature,
                r.aav,
                opt(r.aav_paper, 3),
                opt(r.aav_ratio, 3),
                r.d_cm2_s.map_or("–".into(), |d| format!("{d:.3e}")),
                r.d_paper_cm2_s,
                opt(r.log10_d_ratio, 2),
                match r.trusted {
                    Some(true) => "yes".to_string(),
                    Some(false) => format!("no: {}", r.note.as_deref().unwrap_or("")),
                    None => "not checked".into(),
                }
            )?;
        }
        write!(
            f,
            "over the trusted rows at {}–{} K ({}): median |log10(D/D_paper)| {}, largest |AAV/AAV_paper − 1| {}\n\
             D is the tracer D (the table's slope/2 values / 3); the paper's D comes from PBE AIMD, ours from the potential named in `amorph status` and the export",
            FIDELITY_RANGE.0,
            FIDELITY_RANGE.1,
            s.rows_in_summary,
            opt(s.median_abs_log10_d, 2),
            s.max_abs_aav_error
                .map_or("–".into(), |e| format!("{:.1} %", 100.0 * e)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::Stage;

    #[test]
    fn events_are_one_line() {
        let e = Event::Skipped {
            formula: "Li2O".into(),
            stage: Stage::Pack,
        };
        assert_eq!(e.to_string(), "[Li2O] pack already done");
    }

    #[test]
    fn a_run_where_everything_failed_is_an_error() {
        let fail = |f: &str| CompositionOutcome {
            formula: f.into(),
            result: Err(format!("{f} broke")),
        };
        let e = RunSummary::new(Path::new("x.db"), &[fail("A"), fail("B")], 1.0).unwrap_err();
        assert_eq!(e.to_string(), "every composition failed: A broke; B broke");
        let ok = CompositionOutcome {
            formula: "C".into(),
            result: Ok(3),
        };
        let s = RunSummary::new(Path::new("x.db"), &[fail("A"), ok], 1.0).unwrap();
        assert!(
            s.to_string()
                .starts_with("1/2 compositions done in 1.0 s -> x.db\n  A failed")
        );
        assert!(Database::must_exist(Path::new("/no/such/amorph.db")).is_err());
    }

    #[test]
    fn client_atoms_and_formula_count() {
        let config = Config::paper();
        assert_eq!(client_atoms("Li2O", &config).unwrap(), "68 Li, 34 O");
        assert!(check_ipi_formulas(&config, &["A".into(), "B".into()]).is_ok());
    }
}
