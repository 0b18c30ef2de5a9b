//! The workflow database: one SQLite file (rusqlite with the bundled SQLite, no server).
//!
//! Every stage result is written in one transaction together with the stage's `done` status,
//! so a crash (even `kill -9`) leaves either the whole result or nothing; a rerun skips the
//! stages marked done and redoes the one that was running. Trajectories are stored inside the
//! file as gzip-compressed JSON blobs (one row per production run): one file holds the whole
//! database, which is what users copy around; `amorph export` writes standard formats.
//!
//! Schema version 2 (a version-1 file is upgraded in place when opened: the `quality` table and
//! the `potential`/`physical` columns are added; its finished stages are kept, and the check
//! stages run when the workflow is resumed):
//!
//! | table | one row per | columns |
//! | --- | --- | --- |
//! | `meta` | key | `schema_version`, … |
//! | `runs` | invocation of the workflow | started, config (JSON) |
//! | `compositions` | composition | formula, reduced formula, atoms, seed, config (JSON), potential, physical |
//! | `stages` | composition × stage | status (`running`/`done`/`failed`), error, result (JSON), times |
//! | `structures` | composition × stage | final structure and velocities (JSON) |
//! | `trajectories` | composition × stage | temperature, frames, atoms, time between frames, gz JSON |
//! | `thermo` | composition × stage | temperature, volume, density, ⟨P⟩ ± s.e., ⟨E⟩, drift, converged |
//! | `diffusion` | composition × temperature | D ± σ (cm²/s), conductivity, GLS D ± σ, JSON |
//! | `arrhenius` | composition | Ea ± σ (eV), D₀, D(300 K) ± σ, JSON |
//! | `features` | composition × temperature | the paper's features (JSON, paper column names) |
//! | `quality` | composition × temperature | trusted, converged, plausible, note, the checks (JSON, [`crate::quality::Quality`]) |
//!
//! A published table imported with [`Database::import_table`] fills the same tables; its rows
//! are marked by `kind = "import"` and `source` in the `runs` and `compositions` config and by
//! an `import` stage (see [`crate::import`]).

use crate::config::Config;
use crate::quality::Quality;
use crate::results::{ArrheniusFit, DiffusionSummary, FeatureRow, ImportResult, StageResult};
use crate::workflow::Stage;
use crate::{MorphError, Result};
use amorph_core::{Structure, Trajectory};
use amorph_md::potential::Choice;
use flate2::{Compression, read::GzDecoder, write::GzEncoder};
use nalgebra::Vector3;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A stored structure and, for MD stages, its velocities (Å/fs).
pub type StructureWithVelocities = (Structure, Option<Vec<Vector3<f64>>>);

/// Schema version written to and expected in `meta`.
pub const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, config TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS compositions (
    id INTEGER PRIMARY KEY, formula TEXT NOT NULL UNIQUE, reduced_formula TEXT NOT NULL,
    atoms INTEGER NOT NULL, seed INTEGER NOT NULL, config TEXT NOT NULL, potential TEXT,
    physical INTEGER);
CREATE TABLE IF NOT EXISTS stages (
    composition_id INTEGER NOT NULL REFERENCES compositions(id), stage TEXT NOT NULL,
    status TEXT NOT NULL, error TEXT, result TEXT, started TEXT, finished TEXT,
    PRIMARY KEY (composition_id, stage));
CREATE TABLE IF NOT EXISTS structures (
    composition_id INTEGER NOT NULL, stage TEXT NOT NULL, structure TEXT NOT NULL,
    velocities TEXT, PRIMARY KEY (composition_id, stage));
CREATE TABLE IF NOT EXISTS trajectories (
    composition_id INTEGER NOT NULL, stage TEXT NOT NULL, temperature REAL NOT NULL,
    frames INTEGER NOT NULL, atoms INTEGER NOT NULL, time_step_fs REAL NOT NULL,
    data BLOB NOT NULL, PRIMARY KEY (composition_id, stage));
CREATE TABLE IF NOT EXISTS thermo (
    composition_id INTEGER NOT NULL, stage TEXT NOT NULL, temperature REAL NOT NULL,
    volume REAL NOT NULL, density REAL NOT NULL, pressure_bar REAL, pressure_sem_bar REAL,
    energy_ev REAL, drift REAL, converged INTEGER NOT NULL,
    PRIMARY KEY (composition_id, stage));
CREATE TABLE IF NOT EXISTS diffusion (
    composition_id INTEGER NOT NULL, temperature REAL NOT NULL,
    diffusivity_cm2_s REAL, diffusivity_std_cm2_s REAL, conductivity_ms_cm REAL,
    gls_diffusivity_cm2_s REAL, gls_std_cm2_s REAL, result TEXT NOT NULL,
    PRIMARY KEY (composition_id, temperature));
CREATE TABLE IF NOT EXISTS arrhenius (
    composition_id INTEGER PRIMARY KEY, ea_ev REAL, ea_std_ev REAL, d0_cm2_s REAL,
    d300_cm2_s REAL, d300_std_cm2_s REAL, result TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS features (
    composition_id INTEGER NOT NULL, temperature REAL NOT NULL, features TEXT NOT NULL,
    PRIMARY KEY (composition_id, temperature));
CREATE TABLE IF NOT EXISTS quality (
    composition_id INTEGER NOT NULL, temperature REAL NOT NULL, trusted INTEGER NOT NULL,
    converged INTEGER NOT NULL, plausible INTEGER NOT NULL, note TEXT NOT NULL,
    result TEXT NOT NULL, PRIMARY KEY (composition_id, temperature));
";

/// Upgrades a version-1 file: the `compositions` table gains `potential` and `physical`
/// (the `quality` table comes from [`SCHEMA`]'s `CREATE TABLE IF NOT EXISTS`).
const MIGRATE_1_TO_2: &str = "
ALTER TABLE compositions ADD COLUMN potential TEXT;
ALTER TABLE compositions ADD COLUMN physical INTEGER;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
";

/// Status of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    /// Started and not finished (or interrupted).
    Running,
    /// Finished; its results are in the database.
    Done,
    /// Failed with an error.
    Failed,
}

impl StageStatus {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "running" => Some(StageStatus::Running),
            "done" => Some(StageStatus::Done),
            "failed" => Some(StageStatus::Failed),
            _ => None,
        }
    }
}

/// One row of `compositions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompositionRow {
    /// Database id.
    pub id: i64,
    /// The formula as given.
    pub formula: String,
    /// The reduced formula.
    pub reduced_formula: String,
    /// Atoms in the cell.
    pub atoms: usize,
    /// The composition's seed.
    pub seed: u64,
    /// The potential chosen for it (`None` for imported rows and version-1 files).
    pub potential: Option<String>,
    /// Whether that potential is physical (`false`: a smoke-test potential).
    pub physical: Option<bool>,
}

/// One row of `stages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    /// Composition formula.
    pub formula: String,
    /// The stage.
    pub stage: Stage,
    /// Status.
    pub status: StageStatus,
    /// Error message of a failed stage.
    pub error: Option<String>,
    /// Start time (UTC, RFC 3339-like).
    pub started: Option<String>,
    /// End time.
    pub finished: Option<String>,
}

/// A thermodynamic summary of an equilibration or production stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThermoSummary {
    /// Temperature (K).
    pub temperature: f64,
    /// Cell volume (Å³).
    pub volume: f64,
    /// Density (g/cm³).
    pub density_g_cm3: f64,
    /// Time-averaged pressure over the last half (bar).
    pub pressure_bar: f64,
    /// Standard error of that average from block averaging (bar).
    pub pressure_sem_bar: f64,
    /// Mean total energy (eV).
    pub energy_ev: f64,
    /// Relative energy drift between the halves.
    pub drift: f64,
    /// Whether the convergence criteria were met.
    pub converged: bool,
}

/// Everything a finished stage writes, committed together with its `done` status.
#[derive(Debug)]
pub struct StageOutput {
    /// The stage's result.
    pub result: StageResult,
    /// The final structure and, for MD stages, its velocities (Å/fs).
    pub structure: Option<StructureWithVelocities>,
    /// A trajectory (production stages) with its temperature (K).
    pub trajectory: Option<(Trajectory, f64)>,
    /// A thermodynamic summary.
    pub thermo: Option<ThermoSummary>,
    /// A diffusion row.
    pub diffusion: Option<DiffusionSummary>,
    /// An Arrhenius fit.
    pub arrhenius: Option<ArrheniusFit>,
    /// Features at a temperature.
    pub features: Option<(f64, FeatureRow)>,
    /// The trust checks of a temperature's row.
    pub quality: Option<Quality>,
}

impl StageOutput {
    /// A stage's result with nothing else to store.
    pub fn new(result: StageResult) -> Self {
        StageOutput {
            result,
            structure: None,
            trajectory: None,
            thermo: None,
            diffusion: None,
            arrhenius: None,
            features: None,
            quality: None,
        }
    }
}

/// The workflow database.
pub struct Database {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .finish()
    }
}

/// The columns [`composition_row`] reads.
const COMPOSITION_COLUMNS: &str = "id, formula, reduced_formula, atoms, seed, potential, physical";

/// A `compositions` row from `SELECT` [`COMPOSITION_COLUMNS`].
fn composition_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CompositionRow> {
    Ok(CompositionRow {
        id: r.get(0)?,
        formula: r.get(1)?,
        reduced_formula: r.get(2)?,
        atoms: r.get::<_, i64>(3)? as usize,
        seed: r.get::<_, i64>(4)? as u64,
        potential: r.get(5)?,
        physical: r.get(6)?,
    })
}

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{secs}")
}

impl Database {
    /// Opens (creating if needed) the database at `path`, checking the schema version.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).map_err(|e| MorphError::db(path, e))?;
        let db = Database {
            conn,
            path: path.to_path_buf(),
        };
        db.conn
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;",
            )
            .map_err(|e| db.err(e))?;
        db.conn.execute_batch(SCHEMA).map_err(|e| db.err(e))?;
        let version = db.schema_version().map_err(|e| db.err(e))?;
        match version {
            None => {
                db.conn
                    .execute(
                        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                        [SCHEMA_VERSION.to_string()],
                    )
                    .map_err(|e| db.err(e))?;
            }
            Some(v) if v == SCHEMA_VERSION.to_string() => {}
            Some(v) if v == "1" => {
                db.conn
                    .execute_batch(MIGRATE_1_TO_2)
                    .map_err(|e| db.err(format!("upgrading schema version 1 to 2: {e}")))?;
            }
            Some(v) => {
                return Err(db.err(format!(
                    "schema version {v}, this amorph reads version {SCHEMA_VERSION}"
                )));
            }
        }
        Ok(db)
    }

    /// The schema version the file records (none in a new file).
    fn schema_version(&self) -> rusqlite::Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
    }

    /// Opens an existing database for reading only: nothing is written (no schema set-up, no
    /// WAL checkpoint when it closes), so a result shard that a cluster task is still writing,
    /// possibly from another host, can be read without touching it. Only the current schema
    /// version is read.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        Self::must_exist(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| MorphError::db(path, e))?;
        let db = Database {
            conn,
            path: path.to_path_buf(),
        };
        db.conn
            .execute_batch("PRAGMA busy_timeout=60000;")
            .map_err(|e| db.err(e))?;
        let version = db
            .schema_version()
            .map_err(|e| db.err(format!("not an amorph database: {e}")))?;
        match version {
            Some(v) if v == SCHEMA_VERSION.to_string() => Ok(db),
            Some(v) => Err(db.err(format!(
                "schema version {v}; reading it needs version {SCHEMA_VERSION} (`amorph status --db` on it upgrades a version-1 file)"
            ))),
            None => Err(db.err("not an amorph database (no schema version)")),
        }
    }

    /// Copies the write-ahead log into the database file, so that the file alone holds every
    /// finished stage (a cluster task does this when it ends: a reader that closed after it
    /// could not, and the shard may be copied without its `-wal` file).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(|e| self.err(e))
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite connection (for [`crate::merge`]).
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The SQLite connection, to open a transaction (for [`crate::merge`]).
    pub(crate) fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn err(&self, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> MorphError {
        MorphError::db(&self.path, e)
    }

    /// Records an invocation of the workflow with its configuration.
    pub fn add_run(&self, config: &Config) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO runs (started, config) VALUES (?1, ?2)",
                params![now(), serde_json::to_string(config)?],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Adds a composition (or returns the existing row of the same formula).
    pub fn add_composition(
        &self,
        formula: &str,
        reduced_formula: &str,
        atoms: usize,
        seed: u64,
        config: &Config,
    ) -> Result<CompositionRow> {
        // Simulated stages must not be mixed into a composition imported from a table: its
        // rows would then claim a provenance they no longer have.
        if let Some(Provenance::Import(source)) =
            provenance(&self.conn, formula).map_err(|e| self.err(e))?
        {
            return Err(self.err(format!(
                "{formula} was imported from {source}; run the workflow into another database"
            )));
        }
        self.conn
            .execute(
                "INSERT OR IGNORE INTO compositions (formula, reduced_formula, atoms, seed, config)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    formula,
                    reduced_formula,
                    atoms as i64,
                    seed as i64,
                    serde_json::to_string(config)?
                ],
            )
            .map_err(|e| self.err(e))?;
        self.composition(formula)?
            .ok_or_else(|| self.err(format!("composition {formula} vanished")))
    }

    /// Records the potential chosen for a composition.
    pub fn set_potential(&self, composition_id: i64, choice: &Choice) -> Result<()> {
        self.conn
            .execute(
                "UPDATE compositions SET potential = ?2, physical = ?3 WHERE id = ?1",
                params![composition_id, choice.potential, choice.physical],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The row of `formula`, if present.
    pub fn composition(&self, formula: &str) -> Result<Option<CompositionRow>> {
        self.conn
            .query_row(
                &format!("SELECT {COMPOSITION_COLUMNS} FROM compositions WHERE formula = ?1"),
                [formula],
                composition_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// All compositions in insertion order.
    pub fn compositions(&self) -> Result<Vec<CompositionRow>> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {COMPOSITION_COLUMNS} FROM compositions ORDER BY id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = st.query_map([], composition_row).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Status of a stage, if it was ever started.
    pub fn stage_status(&self, composition_id: i64, stage: Stage) -> Result<Option<StageStatus>> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT status FROM stages WHERE composition_id = ?1 AND stage = ?2",
                params![composition_id, stage.name()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(s.and_then(|s| StageStatus::parse(&s)))
    }

    /// The result of a finished stage.
    pub fn stage_result(&self, composition_id: i64, stage: Stage) -> Result<Option<StageResult>> {
        let s: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT result FROM stages WHERE composition_id = ?1 AND stage = ?2 AND status = 'done'",
                params![composition_id, stage.name()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match s.flatten() {
            Some(text) => Ok(Some(
                StageResult::from_json(stage, &text).map_err(|e| self.err(e))?,
            )),
            None => Ok(None),
        }
    }

    /// All stage rows, ordered by composition and start.
    pub fn stages(&self) -> Result<Vec<StageRow>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT c.formula, s.stage, s.status, s.error, s.started, s.finished
                 FROM stages s JOIN compositions c ON c.id = s.composition_id
                 ORDER BY c.id, s.rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                let status: String = r.get(2)?;
                Ok((
                    r.get::<_, String>(1)?,
                    StageRow {
                        formula: r.get(0)?,
                        stage: Stage::Pack,
                        status: StageStatus::parse(&status).unwrap_or(StageStatus::Failed),
                        error: r.get(3)?,
                        started: r.get(4)?,
                        finished: r.get(5)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, mut row) = row.map_err(|e| self.err(e))?;
            row.stage = name.parse()?;
            out.push(row);
        }
        Ok(out)
    }

    /// Marks a stage as running (overwriting a failed or interrupted attempt).
    pub fn mark_running(&self, composition_id: i64, stage: Stage) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO stages (composition_id, stage, status, started) VALUES (?1, ?2, 'running', ?3)
                 ON CONFLICT (composition_id, stage) DO UPDATE SET status = 'running', error = NULL,
                 started = excluded.started, finished = NULL",
                params![composition_id, stage.name(), now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Marks a stage as failed with its error.
    pub fn mark_failed(&self, composition_id: i64, stage: Stage, error: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO stages (composition_id, stage, status, error, finished) VALUES (?1, ?2, 'failed', ?3, ?4)
                 ON CONFLICT (composition_id, stage) DO UPDATE SET status = 'failed', error = excluded.error,
                 finished = excluded.finished",
                params![composition_id, stage.name(), error, now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Writes everything a stage produced and marks it done, in one transaction.
    pub fn finish_stage(
        &mut self,
        composition_id: i64,
        stage: Stage,
        out: &StageOutput,
    ) -> Result<()> {
        let stage = stage.name();
        let path = self.path.clone();
        let e = |x: rusqlite::Error| MorphError::db(&path, x);
        let tx = self.conn.transaction().map_err(e)?;
        if let Some((s, v)) = &out.structure {
            tx.execute(
                "INSERT OR REPLACE INTO structures (composition_id, stage, structure, velocities) VALUES (?1, ?2, ?3, ?4)",
                params![
                    composition_id,
                    stage,
                    serde_json::to_string(s).map_err(|x| MorphError::db(&path, x))?,
                    v.as_ref().map(serde_json::to_string).transpose().map_err(|x| MorphError::db(&path, x))?
                ],
            )
            .map_err(e)?;
        }
        if let Some((t, temperature)) = &out.trajectory {
            let json = serde_json::to_vec(t).map_err(|x| MorphError::db(&path, x))?;
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            gz.write_all(&json).map_err(|x| MorphError::db(&path, x))?;
            let blob = gz.finish().map_err(|x| MorphError::db(&path, x))?;
            tx.execute(
                "INSERT OR REPLACE INTO trajectories (composition_id, stage, temperature, frames, atoms, time_step_fs, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![composition_id, stage, temperature, t.n_frames() as i64, t.n_atoms() as i64, t.time_step_fs(), blob],
            )
            .map_err(e)?;
        }
        if let Some(th) = &out.thermo {
            tx.execute(
                "INSERT OR REPLACE INTO thermo (composition_id, stage, temperature, volume, density, pressure_bar,
                 pressure_sem_bar, energy_ev, drift, converged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    composition_id, stage, th.temperature, th.volume, th.density_g_cm3, th.pressure_bar,
                    th.pressure_sem_bar, th.energy_ev, th.drift, th.converged
                ],
            )
            .map_err(e)?;
        }
        if let Some(d) = &out.diffusion {
            insert_diffusion(&tx, composition_id, d).map_err(|x| MorphError::db(&path, x))?;
        }
        if let Some(a) = &out.arrhenius {
            insert_arrhenius(&tx, composition_id, a).map_err(|x| MorphError::db(&path, x))?;
        }
        if let Some((t, feats)) = &out.features {
            insert_features(&tx, composition_id, *t, feats)
                .map_err(|x| MorphError::db(&path, x))?;
        }
        if let Some(q) = &out.quality {
            tx.execute(
                "INSERT OR REPLACE INTO quality (composition_id, temperature, trusted, converged, plausible, note, result)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    composition_id,
                    q.temperature,
                    q.trusted(),
                    q.convergence.converged,
                    q.plausibility.plausible(),
                    q.note(),
                    serde_json::to_string(q).map_err(|x| MorphError::db(&path, x))?
                ],
            )
            .map_err(e)?;
        }
        tx.execute(
            "INSERT INTO stages (composition_id, stage, status, result, finished) VALUES (?1, ?2, 'done', ?3, ?4)
             ON CONFLICT (composition_id, stage) DO UPDATE SET status = 'done', error = NULL,
             result = excluded.result, finished = excluded.finished",
            params![composition_id, stage, out.result.to_json()?, now()],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// The final structure (and velocities) a stage stored.
    pub fn structure(
        &self,
        composition_id: i64,
        stage: Stage,
    ) -> Result<Option<StructureWithVelocities>> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT structure, velocities FROM structures WHERE composition_id = ?1 AND stage = ?2",
                params![composition_id, stage.name()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match row {
            None => Ok(None),
            Some((s, v)) => {
                let s: Structure = serde_json::from_str(&s).map_err(|e| self.err(e))?;
                let v = v
                    .map(|v| serde_json::from_str(&v))
                    .transpose()
                    .map_err(|e| self.err(e))?;
                Ok(Some((s, v)))
            }
        }
    }

    /// The trajectory a stage stored, with its temperature.
    pub fn trajectory(
        &self,
        composition_id: i64,
        stage: Stage,
    ) -> Result<Option<(Trajectory, f64)>> {
        let row: Option<(Vec<u8>, f64)> = self
            .conn
            .query_row(
                "SELECT data, temperature FROM trajectories WHERE composition_id = ?1 AND stage = ?2",
                params![composition_id, stage.name()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match row {
            None => Ok(None),
            Some((blob, t)) => {
                let mut json = Vec::new();
                GzDecoder::new(&blob[..])
                    .read_to_end(&mut json)
                    .map_err(|e| self.err(e))?;
                let traj: Trajectory = serde_json::from_slice(&json).map_err(|e| self.err(e))?;
                Ok(Some((traj, t)))
            }
        }
    }

    /// Thermodynamic summaries of a composition, by stage.
    pub fn thermo(&self, composition_id: i64) -> Result<Vec<(Stage, ThermoSummary)>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT stage, temperature, volume, density, pressure_bar, pressure_sem_bar, energy_ev, drift, converged
                 FROM thermo WHERE composition_id = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([composition_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ThermoSummary {
                        temperature: r.get(1)?,
                        volume: r.get(2)?,
                        density_g_cm3: r.get(3)?,
                        pressure_bar: r.get::<_, Option<f64>>(4)?.unwrap_or(f64::NAN),
                        pressure_sem_bar: r.get::<_, Option<f64>>(5)?.unwrap_or(f64::NAN),
                        energy_ev: r.get::<_, Option<f64>>(6)?.unwrap_or(f64::NAN),
                        drift: r.get::<_, Option<f64>>(7)?.unwrap_or(f64::NAN),
                        converged: r.get(8)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, th) = row.map_err(|e| self.err(e))?;
            out.push((name.parse()?, th));
        }
        Ok(out)
    }

    /// Diffusion results of a composition, highest temperature first.
    pub fn diffusion(&self, composition_id: i64) -> Result<Vec<DiffusionSummary>> {
        Ok(self
            .json_rows::<DiffusionSummary>(
                "SELECT temperature, result FROM diffusion WHERE composition_id = ?1 ORDER BY temperature DESC",
                composition_id,
            )?
            .into_iter()
            .map(|(_, d)| d)
            .collect())
    }

    /// Features of a composition: (temperature, row), highest temperature first.
    pub fn features(&self, composition_id: i64) -> Result<Vec<(f64, FeatureRow)>> {
        self.json_rows(
            "SELECT temperature, features FROM features WHERE composition_id = ?1 ORDER BY temperature DESC",
            composition_id,
        )
    }

    /// The Arrhenius fit of a composition.
    pub fn arrhenius(&self, composition_id: i64) -> Result<Option<ArrheniusFit>> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT result FROM arrhenius WHERE composition_id = ?1",
                [composition_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        s.map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| self.err(e))
    }

    /// The quality checks of a composition, by temperature (highest first).
    pub fn quality(&self, composition_id: i64) -> Result<Vec<Quality>> {
        Ok(self
            .json_rows::<Quality>(
                "SELECT temperature, result FROM quality WHERE composition_id = ?1 ORDER BY temperature DESC",
                composition_id,
            )?
            .into_iter()
            .map(|(_, q)| q)
            .collect())
    }

    /// (temperature, JSON document) rows of `sql` for a composition, parsed.
    fn json_rows<T: serde::de::DeserializeOwned>(
        &self,
        sql: &str,
        composition_id: i64,
    ) -> Result<Vec<(f64, T)>> {
        let mut st = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map([composition_id], |r| {
                Ok((r.get::<_, f64>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (t, s) = row.map_err(|e| self.err(e))?;
            out.push((t, serde_json::from_str(&s).map_err(|e| self.err(e))?));
        }
        Ok(out)
    }
}

/// One exported row: a composition at a temperature, with its trust flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRow {
    /// The formula.
    pub formula: String,
    /// Temperature (K).
    pub temperature: f64,
    /// Density (g/cm³) of the production cell.
    pub density_g_cm3: f64,
    /// Volume (Å³) of the production cell.
    pub volume: f64,
    /// Mean pressure of the production run (bar).
    pub pressure_bar: f64,
    /// Tracer D (cm²/s), pymatgen-compatible.
    pub diffusivity_cm2_s: Option<f64>,
    /// pymatgen's σ of that D (the fit's standard error, not an uncertainty).
    pub diffusivity_std_cm2_s: Option<f64>,
    /// The GLS D with the MSD covariance (cm²/s).
    pub gls_diffusivity_cm2_s: Option<f64>,
    /// Its σ (cm²/s), the uncertainty that means something.
    pub gls_std_cm2_s: Option<f64>,
    /// The composition's Arrhenius Ea (eV), from its trusted anneal rows.
    pub ea_ev: Option<f64>,
    /// σ(Ea) (eV).
    pub ea_std_ev: Option<f64>,
    /// The potential that produced the row (`None` for imported rows).
    pub potential: Option<String>,
    /// Converged, plausible and physical (`None` when not checked, e.g. imported rows).
    pub trusted: Option<bool>,
    /// True for the melt temperature (left out of the Arrhenius fit and the figures).
    pub melt: Option<bool>,
    /// Whether the volume search met its tolerances.
    pub converged: Option<bool>,
    /// |P̄| the volume search achieved (kbar).
    pub search_pressure_kbar: Option<f64>,
    /// The relative energy drift of its last run.
    pub search_drift: Option<f64>,
    /// Whether the state passed the plausibility checks.
    pub plausible: Option<bool>,
    /// Density / the independent estimate.
    pub density_ratio: Option<f64>,
    /// `trusted`, or every reason why not.
    pub quality_note: Option<String>,
    /// The paper's features (Table 1 column names → value; `null` where undefined).
    #[serde(flatten)]
    pub features: FeatureRow,
}

/// The named columns of [`ExportRow`], in order (the features follow).
pub const EXPORT_COLUMNS: [&str; 20] = [
    "formula",
    "temperature",
    "density_g_cm3",
    "volume",
    "pressure_bar",
    "diffusivity_cm2_s",
    "diffusivity_std_cm2_s",
    "gls_diffusivity_cm2_s",
    "gls_std_cm2_s",
    "ea_ev",
    "ea_std_ev",
    "potential",
    "trusted",
    "melt",
    "converged",
    "search_pressure_kbar",
    "search_drift",
    "plausible",
    "density_ratio",
    "quality_note",
];

impl ExportRow {
    /// Whether the row belongs in fits and figures: not the melt, and not flagged untrusted
    /// (rows without checks, e.g. imported ones, are used).
    pub fn usable(&self) -> bool {
        self.melt != Some(true) && self.trusted != Some(false)
    }
}

impl Database {
    /// One row per composition × production temperature, in composition order, with
    /// diffusion, Arrhenius, features and the trust flags ([`crate::quality`]).
    pub fn export(&self) -> Result<Vec<ExportRow>> {
        let mut rows = Vec::new();
        for c in self.compositions()? {
            let arr = self.arrhenius(c.id)?;
            let diffusion = self.diffusion(c.id)?;
            let features = self.features(c.id)?;
            let quality = self.quality(c.id)?;
            for (stage, th) in self.thermo(c.id)? {
                if !matches!(stage, Stage::Production(_)) {
                    continue;
                }
                let t = th.temperature;
                let d = diffusion.iter().find(|x| x.temperature == t);
                let gls = d.and_then(|d| d.gls);
                let q = quality.iter().find(|q| q.temperature == t);
                let mut feats = features
                    .iter()
                    .find(|x| x.0 == t)
                    .map(|x| x.1.clone())
                    .unwrap_or_default();
                // A feature named like a column of the row would be a duplicate column.
                feats
                    .values
                    .retain(|k, _| !EXPORT_COLUMNS.contains(&k.as_str()));
                rows.push(ExportRow {
                    formula: c.formula.clone(),
                    temperature: t,
                    density_g_cm3: th.density_g_cm3,
                    volume: th.volume,
                    pressure_bar: th.pressure_bar,
                    diffusivity_cm2_s: d.and_then(|d| d.diffusivity_cm2_s),
                    diffusivity_std_cm2_s: d.and_then(|d| d.diffusivity_std_cm2_s),
                    gls_diffusivity_cm2_s: gls.map(|g| g.diffusivity_cm2_s),
                    gls_std_cm2_s: gls.map(|g| g.std_cm2_s),
                    ea_ev: arr.as_ref().map(|a| a.ea_ev),
                    ea_std_ev: arr.as_ref().and_then(|a| a.ea_std_ev),
                    potential: c.potential.clone(),
                    trusted: q.map(Quality::trusted),
                    melt: q.map(|q| q.melt),
                    converged: q.map(|q| q.convergence.converged),
                    search_pressure_kbar: q.map(|q| q.convergence.pressure_kbar),
                    search_drift: q.map(|q| q.convergence.drift),
                    plausible: q.map(|q| q.plausibility.plausible()),
                    density_ratio: q.map(|q| q.plausibility.density_ratio),
                    quality_note: q.map(Quality::note),
                    features: feats,
                });
            }
        }
        Ok(rows)
    }
}

/// Where an imported composition or run came from (stored as the `config` of its `runs` and
/// `compositions` rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportProvenance {
    /// Always [`crate::import::IMPORT_KIND`].
    pub kind: String,
    /// The table.
    pub source: String,
    /// How the table's D became the tracer D.
    pub diffusivity: String,
    /// The `runs` row (on compositions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<i64>,
    /// Rows imported (on the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
    /// Compositions imported (on the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compositions: Option<usize>,
}

type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// Writes a diffusion row (its columns and the whole summary as JSON).
fn insert_diffusion(c: &Connection, id: i64, d: &DiffusionSummary) -> Result<(), StoreError> {
    c.execute(
        "INSERT OR REPLACE INTO diffusion (composition_id, temperature, diffusivity_cm2_s, diffusivity_std_cm2_s,
         conductivity_ms_cm, gls_diffusivity_cm2_s, gls_std_cm2_s, result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            d.temperature,
            d.diffusivity_cm2_s,
            d.diffusivity_std_cm2_s,
            d.conductivity_ms_cm,
            d.gls.map(|g| g.diffusivity_cm2_s),
            d.gls.map(|g| g.std_cm2_s),
            serde_json::to_string(d)?
        ],
    )?;
    Ok(())
}

/// Writes an Arrhenius row.
fn insert_arrhenius(c: &Connection, id: i64, a: &ArrheniusFit) -> Result<(), StoreError> {
    c.execute(
        "INSERT OR REPLACE INTO arrhenius (composition_id, ea_ev, ea_std_ev, d0_cm2_s, d300_cm2_s, d300_std_cm2_s, result)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            a.ea_ev,
            a.ea_std_ev,
            a.d0_cm2_s,
            a.d300_cm2_s,
            a.d300_std_cm2_s,
            serde_json::to_string(a)?
        ],
    )?;
    Ok(())
}

/// Writes a features row.
fn insert_features(c: &Connection, id: i64, t: f64, row: &FeatureRow) -> Result<(), StoreError> {
    c.execute(
        "INSERT OR REPLACE INTO features (composition_id, temperature, features) VALUES (?1, ?2, ?3)",
        params![id, t, serde_json::to_string(row)?],
    )?;
    Ok(())
}

/// Where an existing composition row came from.
enum Provenance {
    /// `amorph run` (the workflow).
    Workflow,
    /// An import of the named table.
    Import(String),
}

/// The provenance of `formula`'s row, if the database has one (read from the row's config:
/// imports record `kind` and `source`).
fn provenance(conn: &Connection, formula: &str) -> rusqlite::Result<Option<Provenance>> {
    let config: Option<String> = conn
        .query_row(
            "SELECT config FROM compositions WHERE formula = ?1",
            [formula],
            |r| r.get(0),
        )
        .optional()?;
    Ok(config.map(|c| {
        let v: serde_json::Value = serde_json::from_str(&c).unwrap_or_default();
        match (v["kind"].as_str(), v["source"].as_str()) {
            (Some(crate::import::IMPORT_KIND), Some(source)) => {
                Provenance::Import(source.to_owned())
            }
            _ => Provenance::Workflow,
        }
    }))
}

impl Database {
    /// Imports a published table (see [`crate::import`]): per composition a `compositions`
    /// row and an `import` stage naming `source`, per temperature `thermo`, `diffusion` and
    /// `features` rows keyed like the workflow's, and the workflow's Arrhenius fit; all in one
    /// transaction.
    ///
    /// Importing the same `source` again replaces its rows and reuses its `runs` row; a formula
    /// already present from a workflow run or another source is an
    /// [`ImportError::Conflict`](crate::import::ImportError::Conflict) and nothing is written.
    pub fn import_table(
        &mut self,
        source: &str,
        rows: &[crate::import::ImportedRow],
    ) -> Result<crate::import::ImportSummary> {
        use crate::import::{IMPORT_KIND, ImportError, ImportSummary, PAPER_D_COLUMN};
        // Group by formula in order of first appearance.
        let mut groups: Vec<(&str, Vec<&crate::import::ImportedRow>)> = Vec::new();
        for r in rows {
            match groups.iter_mut().find(|g| g.0 == r.formula) {
                Some(g) => g.1.push(r),
                None => groups.push((&r.formula, vec![r])),
            }
        }
        let path = self.path.clone();
        let e = |x: rusqlite::Error| MorphError::db(&path, x);
        let tx = self.conn.transaction().map_err(e)?;
        for (formula, _) in &groups {
            let existing = match provenance(&tx, formula).map_err(e)? {
                None => continue,
                Some(Provenance::Import(s)) if s == source => continue,
                Some(Provenance::Import(s)) => format!("an import of {s}"),
                Some(Provenance::Workflow) => "a workflow run".into(),
            };
            return Err(ImportError::Conflict {
                formula: formula.to_string(),
                existing,
            }
            .into());
        }
        let previous: Option<i64> = tx
            .query_row(
                "SELECT id FROM runs WHERE json_extract(config, '$.kind') = ?1
                 AND json_extract(config, '$.source') = ?2 ORDER BY id LIMIT 1",
                params![IMPORT_KIND, source],
                |r| r.get(0),
            )
            .optional()
            .map_err(e)?;
        let provenance = ImportProvenance {
            kind: IMPORT_KIND.to_string(),
            source: source.to_string(),
            diffusivity: format!(
                "diffusivity_cm2_s = {PAPER_D_COLUMN} x 1e-3 / 3 (the table's slope/2 D in 1e-3 cm2/s to the tracer D)"
            ),
            run_id: None,
            rows: None,
            compositions: None,
        };
        let run_id = match previous {
            Some(id) => id,
            None => {
                let config = ImportProvenance {
                    rows: Some(rows.len()),
                    compositions: Some(groups.len()),
                    ..provenance.clone()
                };
                tx.execute(
                    "INSERT INTO runs (started, config) VALUES (?1, ?2)",
                    params![now(), serde_json::to_string(&config)?],
                )
                .map_err(e)?;
                tx.last_insert_rowid()
            }
        };
        let mut fits = 0;
        for (formula, mine) in &groups {
            let comp = amorph_core::Composition::parse(formula)?;
            let atoms = comp.num_atoms().round().max(1.0) as usize;
            let mean_mass = comp.weight() / comp.num_atoms();
            let config = ImportProvenance {
                run_id: Some(run_id),
                ..provenance.clone()
            };
            tx.execute(
                "INSERT OR IGNORE INTO compositions (formula, reduced_formula, atoms, seed, config)
                 VALUES (?1, ?2, ?3, 0, ?4)",
                params![
                    formula,
                    comp.reduced_formula(),
                    atoms as i64,
                    serde_json::to_string(&config)?
                ],
            )
            .map_err(e)?;
            let id: i64 = tx
                .query_row(
                    "SELECT id FROM compositions WHERE formula = ?1",
                    [formula],
                    |r| r.get(0),
                )
                .map_err(e)?;
            for table in [
                "stages",
                "quality",
                "structures",
                "trajectories",
                "thermo",
                "diffusion",
                "arrhenius",
                "features",
            ] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE composition_id = ?1"),
                    [id],
                )
                .map_err(e)?;
            }
            let mut diffusion = Vec::new();
            for r in mine {
                let t = r.temperature_k;
                let aav = r.features.get("AAV");
                let Some(aav) = aav.filter(|v| v.is_finite() && *v > 0.0) else {
                    return Err(ImportError::NoVolume {
                        formula: formula.to_string(),
                        temperature_k: t,
                    }
                    .into());
                };
                // AAV = V/N: the cell volume per atom; the formula unit's volume and density.
                tx.execute(
                    "INSERT INTO thermo (composition_id, stage, temperature, volume, density, converged)
                     VALUES (?1, ?2, ?3, ?4, ?5, 0)",
                    params![
                        id,
                        crate::Stage::Production(t).name(),
                        t,
                        aav * atoms as f64,
                        amorph_core::units::density_g_cm3(mean_mass, aav)
                    ],
                )
                .map_err(e)?;
                let d = DiffusionSummary {
                    species: "Li".into(),
                    temperature: t,
                    diffusivity_cm2_s: Some(r.tracer_d_cm2_s()),
                    diffusivity_std_cm2_s: None,
                    conductivity_ms_cm: None,
                    charge_diffusivity_cm2_s: None,
                    haven_ratio: None,
                    gls: None,
                    frames: None,
                    diffusing_atoms: None,
                    paper_d_mul_thousand: Some(r.d_paper),
                    source: Some(source.to_string()),
                };
                insert_diffusion(&tx, id, &d).map_err(|x| MorphError::db(&path, x))?;
                insert_features(&tx, id, t, &r.features).map_err(|x| MorphError::db(&path, x))?;
                diffusion.push((d, None));
            }
            let fit = crate::analysis::arrhenius(&diffusion)?;
            if let Some(mut a) = fit.arrhenius {
                a.source = Some(source.to_string());
                insert_arrhenius(&tx, id, &a).map_err(|x| MorphError::db(&path, x))?;
                fits += 1;
            }
            let result = StageResult::Import(ImportResult {
                kind: IMPORT_KIND.to_string(),
                source: source.to_string(),
                diffusivity: provenance.diffusivity.clone(),
                run_id,
                temperatures: mine.iter().map(|r| r.temperature_k).collect(),
            });
            tx.execute(
                "INSERT INTO stages (composition_id, stage, status, result, started, finished)
                 VALUES (?1, 'import', 'done', ?2, ?3, ?3)",
                params![id, result.to_json()?, now()],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(ImportSummary {
            source: source.to_string(),
            run_id,
            compositions: groups.len(),
            rows: rows.len(),
            arrhenius_fits: fits,
            replaced: previous.is_some(),
        })
    }

    /// The `runs` rows of imports: (id, provenance).
    pub fn import_runs(&self) -> Result<Vec<(i64, ImportProvenance)>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, config FROM runs WHERE json_extract(config, '$.kind') = ?1 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([crate::import::IMPORT_KIND], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, s) = row.map_err(|e| self.err(e))?;
            out.push((id, serde_json::from_str(&s).map_err(|e| self.err(e))?));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version-1 file (the schema before the trust checks) is upgraded in place when opened,
    /// and its rows are kept.
    #[test]
    fn version_1_files_are_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 INSERT INTO meta VALUES ('schema_version', '1');
                 CREATE TABLE compositions (
                    id INTEGER PRIMARY KEY, formula TEXT NOT NULL UNIQUE, reduced_formula TEXT NOT NULL,
                    atoms INTEGER NOT NULL, seed INTEGER NOT NULL, config TEXT NOT NULL);
                 INSERT INTO compositions (formula, reduced_formula, atoms, seed, config)
                    VALUES ('Li2O', 'Li2O', 102, 7, '{}');",
            )
            .unwrap();
        }
        let db = Database::open(&path).unwrap();
        let c = db.composition("Li2O").unwrap().unwrap();
        assert_eq!(
            (c.atoms, c.seed, c.potential, c.physical),
            (102, 7, None, None)
        );
        db.set_potential(
            c.id,
            &Choice {
                potential: "pedone".into(),
                physical: true,
            },
        )
        .unwrap();
        assert!(db.quality(c.id).unwrap().is_empty());
        drop(db);
        let db = Database::open(&path).unwrap();
        let c = db.composition("Li2O").unwrap().unwrap();
        assert_eq!(c.potential.as_deref(), Some("pedone"));
        let version: String = db
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(version, "2");
        // A future version is refused with both numbers.
        db.conn
            .execute(
                "UPDATE meta SET value = '9' WHERE key = 'schema_version'",
                [],
            )
            .unwrap();
        drop(db);
        let e = Database::open(&path).unwrap_err().to_string();
        assert!(
            e.contains("schema version 9") && e.contains("version 2"),
            "{e}"
        );
    }
}
