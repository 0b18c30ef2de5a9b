//! Merging workflow databases: the result shards of a cluster run (one SQLite file per task, so
//! that no two processes ever write one file over a network file system) into one database.
//!
//! [`Database::merge`] copies every composition of each shard with its finished stages and
//! their rows (structures, trajectories, thermo, diffusion, Arrhenius, features, quality),
//! in the shard's order, so a merge of the shards of a run exports the same rows in the same
//! order as the same run into one database. It is idempotent: a row already present with the
//! same content is left as it is. A row present with other content (another seed, other
//! settings, another result of the same stage) is a conflict: the merge is refused with
//! [`MorphError::MergeConflict`] naming the composition, the stage or temperature and the
//! table, and nothing is written (all shards are merged in one transaction).
//!
//! ```no_run
//! use amorph_morph::Database;
//! let mut db = Database::open("merged.db".as_ref()).unwrap();
//! let report = db
//!     .merge(&["results/shards/task-0.db".into(), "results/shards/task-1.db".into()])
//!     .unwrap();
//! println!("{report}");
//! ```

use crate::{Database, MorphError, Result};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use std::fmt;
use std::path::{Path, PathBuf};

/// The per-composition tables: (table, key columns besides `composition_id`, columns not
/// compared: when a stage ran). The `stages` table is copied for finished stages only.
const TABLES: [(&str, &[&str], &[&str]); 8] = [
    ("stages", &["stage"], &["started", "finished"]),
    ("structures", &["stage"], &[]),
    ("trajectories", &["stage"], &[]),
    ("thermo", &["stage"], &[]),
    ("diffusion", &["temperature"], &[]),
    ("arrhenius", &[], &[]),
    ("features", &["temperature"], &[]),
    ("quality", &["temperature"], &[]),
];

/// The columns of `compositions` copied and compared (the id is the target's own).
const COMPOSITION_COLUMNS: [&str; 7] = [
    "formula",
    "reduced_formula",
    "atoms",
    "seed",
    "config",
    "potential",
    "physical",
];

/// What a merge did with one shard.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ShardMerge {
    /// The shard file.
    pub shard: PathBuf,
    /// Its compositions, in its order.
    pub compositions: Vec<String>,
    /// Rows written into the target.
    pub rows_added: usize,
    /// Rows the target already held with the same content.
    pub rows_present: usize,
    /// Stages of the shard not finished (running when the task stopped, or failed), as
    /// `formula stage`; they are not merged.
    pub unfinished: Vec<String>,
}

/// What [`Database::merge`] did, as `amorph merge` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MergeReport {
    /// The target database.
    pub db: PathBuf,
    /// One entry per shard, in the order given.
    pub shards: Vec<ShardMerge>,
}

impl MergeReport {
    /// Rows written in all.
    pub fn rows_added(&self) -> usize {
        self.shards.iter().map(|s| s.rows_added).sum()
    }
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let comps: usize = self.shards.iter().map(|s| s.compositions.len()).sum();
        let present: usize = self.shards.iter().map(|s| s.rows_present).sum();
        writeln!(
            f,
            "merged {} shards ({comps} compositions) into {}: {} rows added, {present} already there",
            self.shards.len(),
            self.db.display(),
            self.rows_added(),
        )?;
        for s in &self.shards {
            if !s.unfinished.is_empty() {
                writeln!(
                    f,
                    "  {}: not finished, not merged: {}",
                    s.shard.display(),
                    s.unfinished.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

type Row = Vec<Value>;

/// The column names of `table` in `conn`.
fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = st.query_map([], |r| r.get::<_, String>(1))?;
    names.collect()
}

/// The rows of `sql` with `args`, every column as a [`Value`].
fn rows(conn: &Connection, sql: &str, args: &[Value]) -> rusqlite::Result<Vec<Row>> {
    let mut st = conn.prepare(sql)?;
    let n = st.column_count();
    let rows = st.query_map(params_from_iter(args), |r| {
        (0..n).map(|i| r.get::<_, Value>(i)).collect()
    })?;
    rows.collect()
}

/// A key value as it reads in a message: `production@1500K`, `1500 K`.
fn describe(table: &str, key: &[Value]) -> String {
    let parts: Vec<String> = key
        .iter()
        .map(|v| match v {
            Value::Text(s) => s.clone(),
            Value::Real(t) => format!("{t} K"),
            Value::Integer(i) => i.to_string(),
            _ => "?".into(),
        })
        .collect();
    if parts.is_empty() {
        table.to_string()
    } else {
        format!("{} ({table})", parts.join(" "))
    }
}

impl Database {
    /// Merges the workflow databases `shards` into this one (see [the module](crate::merge)):
    /// in one transaction, so a conflict or an unreadable shard leaves this database as it was.
    pub fn merge(&mut self, shards: &[PathBuf]) -> Result<MergeReport> {
        let target = self.path().to_path_buf();
        let mut opened = Vec::new();
        for shard in shards {
            Database::must_exist(shard)?;
            if same_file(shard, &target) {
                return Err(MorphError::db(
                    shard,
                    "is the merge's target; give another --db",
                ));
            }
            // Read only: a shard that a task is still writing is not touched.
            opened.push((shard.clone(), Database::open_read_only(shard)?));
        }
        let conn = self.connection_mut();
        let tx = conn.transaction().map_err(|e| MorphError::db(&target, e))?;
        let mut report = MergeReport {
            db: target.clone(),
            shards: Vec::new(),
        };
        for (path, shard) in &opened {
            let merged =
                merge_one(&tx, shard.connection(), path, &target).map_err(|e| match e {
                    Failure::Sql(e) => MorphError::db(path, e),
                    Failure::Conflict(formula, what) => MorphError::MergeConflict {
                        shard: path.clone(),
                        formula,
                        what,
                        target: target.clone(),
                    },
                })?;
            report.shards.push(merged);
        }
        tx.commit().map_err(|e| MorphError::db(&target, e))?;
        Ok(report)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Why one shard could not be merged.
enum Failure {
    Sql(rusqlite::Error),
    /// (formula, what differs).
    Conflict(String, String),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sql(e)
    }
}

fn merge_one(
    out: &Connection,
    shard: &Connection,
    path: &Path,
    target: &Path,
) -> std::result::Result<ShardMerge, Failure> {
    let mut merged = ShardMerge {
        shard: path.to_path_buf(),
        compositions: Vec::new(),
        rows_added: 0,
        rows_present: 0,
        unfinished: Vec::new(),
    };
    // The invocations: one `runs` row each, kept once.
    for run in rows(shard, "SELECT started, config FROM runs ORDER BY id", &[])? {
        let present: Option<i64> = out
            .query_row(
                "SELECT id FROM runs WHERE started = ?1 AND config = ?2",
                params_from_iter(&run),
                |r| r.get(0),
            )
            .optional()?;
        if present.is_none() {
            out.execute(
                "INSERT INTO runs (started, config) VALUES (?1, ?2)",
                params_from_iter(&run),
            )?;
        }
    }
    let cols = COMPOSITION_COLUMNS.join(", ");
    let comps = rows(
        shard,
        &format!("SELECT id, {cols} FROM compositions ORDER BY id"),
        &[],
    )?;
    for comp in comps {
        let (shard_id, values) = (comp[0].clone(), &comp[1..]);
        let Value::Text(formula) = &values[0] else {
            continue;
        };
        let formula = formula.clone();
        let existing = rows(
            out,
            &format!("SELECT id, {cols} FROM compositions WHERE formula = ?1"),
            &[values[0].clone()],
        )?;
        let out_id = match existing.first() {
            Some(row) => {
                for (i, name) in COMPOSITION_COLUMNS.iter().enumerate() {
                    // A composition registered by a run that stopped before choosing its
                    // potential has none yet: not a conflict.
                    let unset =
                        matches!(row[i + 1], Value::Null) || matches!(values[i], Value::Null);
                    if row[i + 1] != values[i] && !unset {
                        return Err(Failure::Conflict(
                            formula,
                            format!("its {name} differs from the one in {}", target.display()),
                        ));
                    }
                }
                merged.rows_present += 1;
                row[0].clone()
            }
            None => {
                let marks = vec!["?"; COMPOSITION_COLUMNS.len()].join(", ");
                out.execute(
                    &format!("INSERT INTO compositions ({cols}) VALUES ({marks})"),
                    params_from_iter(values),
                )?;
                merged.rows_added += 1;
                Value::Integer(out.last_insert_rowid())
            }
        };
        for (table, key, ignored) in TABLES {
            let names = columns(shard, table)?;
            let select = names.join(", ");
            let filter = if table == "stages" {
                " AND status = 'done'"
            } else {
                ""
            };
            let shard_rows = rows(
                shard,
                &format!(
                    "SELECT {select} FROM {table} WHERE composition_id = ?1{filter} ORDER BY rowid"
                ),
                std::slice::from_ref(&shard_id),
            )?;
            let key_at: Vec<usize> = key
                .iter()
                .filter_map(|k| names.iter().position(|n| n == k))
                .collect();
            let id_at = names.iter().position(|n| n == "composition_id");
            for mut row in shard_rows {
                if let Some(i) = id_at {
                    row[i] = out_id.clone();
                }
                let key_values: Vec<Value> = key_at.iter().map(|&i| row[i].clone()).collect();
                let mut args = vec![out_id.clone()];
                args.extend(key_values.iter().cloned());
                let condition: String = key.iter().map(|k| format!(" AND {k} = ?")).collect();
                let present = rows(
                    out,
                    &format!("SELECT {select} FROM {table} WHERE composition_id = ?{condition}"),
                    &args,
                )?;
                let marks = vec!["?"; names.len()].join(", ");
                let insert = format!("INSERT INTO {table} ({select}) VALUES ({marks})");
                match present.first() {
                    None => {
                        out.execute(&insert, params_from_iter(&row))?;
                        merged.rows_added += 1;
                    }
                    Some(old) => {
                        let same = names
                            .iter()
                            .enumerate()
                            .all(|(i, n)| ignored.contains(&n.as_str()) || old[i] == row[i]);
                        let old_done = table != "stages"
                            || names
                                .iter()
                                .position(|n| n == "status")
                                .is_some_and(|i| old[i] == Value::Text("done".into()));
                        if same {
                            merged.rows_present += 1;
                        } else if !old_done {
                            // The target holds an unfinished attempt of a stage the shard
                            // finished: the finished one replaces it.
                            out.execute(
                                &format!("DELETE FROM {table} WHERE composition_id = ?{condition}"),
                                params_from_iter(&args),
                            )?;
                            out.execute(&insert, params_from_iter(&row))?;
                            merged.rows_added += 1;
                        } else {
                            return Err(Failure::Conflict(
                                formula,
                                format!(
                                    "{} differs from the row in {}",
                                    describe(table, &key_values),
                                    target.display()
                                ),
                            ));
                        }
                    }
                }
            }
        }
        let open = rows(
            shard,
            "SELECT stage FROM stages WHERE composition_id = ?1 AND status != 'done' ORDER BY rowid",
            std::slice::from_ref(&shard_id),
        )?;
        for stage in open {
            if let Value::Text(s) = &stage[0] {
                merged.unfinished.push(format!("{formula} {s}"));
            }
        }
        merged.compositions.push(formula);
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use crate::db::{StageOutput, ThermoSummary};
    use crate::results::{PackResult, StageResult};
    use crate::{Config, Database, MorphError, Stage};
    use amorph_md::potential::Choice;
    use std::path::{Path, PathBuf};

    /// A shard of one composition with a finished pack stage (and its thermo row) and an
    /// equilibration that was running when its task stopped.
    fn shard(dir: &Path, name: &str, formula: &str, volume: f64) -> PathBuf {
        let path = dir.join(name);
        let mut db = Database::open(&path).unwrap();
        let config = Config::smoke();
        db.add_run(&config).unwrap();
        let c = db
            .add_composition(formula, formula, 20, 7, &config)
            .unwrap();
        let choice = Choice {
            potential: "pedone".into(),
            physical: true,
        };
        db.set_potential(c.id, &choice).unwrap();
        let mut out = StageOutput::new(StageResult::Pack(PackResult {
            atoms: 20,
            volume,
            density_g_cm3: 2.0,
            volume_method: amorph_build::VolumeMethod::IonicSpheres,
            seed: 7,
        }));
        out.thermo = Some(ThermoSummary {
            temperature: 3000.0,
            volume,
            density_g_cm3: 2.0,
            pressure_bar: 1.5,
            pressure_sem_bar: 0.1,
            energy_ev: -3.0,
            drift: 1e-4,
            converged: true,
        });
        db.finish_stage(c.id, Stage::Pack, &out).unwrap();
        db.mark_running(c.id, Stage::Equilibrate(3000.0)).unwrap();
        path
    }

    fn dump(db: &Database) -> Vec<String> {
        let mut rows = Vec::new();
        for c in db.compositions().unwrap() {
            rows.push(format!("{c:?}"));
            rows.push(format!("{:?}", db.thermo(c.id).unwrap()));
            rows.push(format!("{:?}", db.stage_result(c.id, Stage::Pack).unwrap()));
            rows.push(format!(
                "{:?}",
                db.stage_status(c.id, Stage::Equilibrate(3000.0)).unwrap()
            ));
        }
        rows
    }

    #[test]
    fn shards_merge_in_order_once_and_conflicts_are_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let a = shard(dir.path(), "a.db", "Li2O", 300.0);
        let b = shard(dir.path(), "b.db", "LiF", 250.0);
        let target = dir.path().join("merged.db");
        let mut db = Database::open(&target).unwrap();
        let shard_bytes = std::fs::read(&a).unwrap();
        let report = db.merge(&[a.clone(), b.clone()]).unwrap();
        // The shards are only read.
        assert_eq!(std::fs::read(&a).unwrap(), shard_bytes);
        assert_eq!(report.shards[0].compositions, ["Li2O"]);
        assert_eq!(report.shards[1].compositions, ["LiF"]);
        // composition, stage, thermo of each shard; the running stage is reported, not copied.
        assert_eq!(report.rows_added(), 6);
        assert_eq!(report.shards[0].unfinished, ["Li2O equilibrate@3000K"]);
        let formulas: Vec<String> = db
            .compositions()
            .unwrap()
            .into_iter()
            .map(|c| c.formula)
            .collect();
        assert_eq!(formulas, ["Li2O", "LiF"]);
        let li2o = db.composition("Li2O").unwrap().unwrap();
        assert_eq!((li2o.seed, li2o.potential.as_deref()), (7, Some("pedone")));
        assert_eq!(db.thermo(li2o.id).unwrap()[0].1.volume, 300.0);
        assert_eq!(
            db.stage_status(li2o.id, Stage::Equilibrate(3000.0))
                .unwrap(),
            None
        );
        let before = dump(&db);
        // Idempotent: the same shards again add nothing.
        let again = db.merge(&[a.clone(), b.clone()]).unwrap();
        assert_eq!((again.rows_added(), again.shards[0].rows_present), (0, 3));
        assert_eq!(dump(&db), before);
        // Another result of the same stage: refused in one line, naming composition, stage and
        // table; nothing written, even from the good shard given first.
        let other = tempfile::tempdir().unwrap();
        let c = shard(other.path(), "c.db", "LiCl", 280.0);
        let bad = shard(other.path(), "a.db", "Li2O", 301.0);
        let e = db.merge(&[c, bad]).unwrap_err();
        assert!(matches!(e, MorphError::MergeConflict { .. }));
        let line = e.to_string();
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.starts_with("merge refused: Li2O in ")
                && line.contains("pack (stages) differs from the row in ")
                && line.ends_with("nothing was merged"),
            "{line}"
        );
        assert_eq!(dump(&db), before);
        // The target itself, or a shard that is not there, is refused too.
        assert!(db.merge(std::slice::from_ref(&target)).is_err());
        assert!(db.merge(&[dir.path().join("none.db")]).is_err());
        assert_eq!(dump(&db), before);
    }
}
