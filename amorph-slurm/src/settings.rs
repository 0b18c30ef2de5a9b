//! The executor's settings: command-line flags over the config file's `executor` key and
//! `[slurm]` table.

use crate::{Result, SlurmError};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where `amorph run` runs the compositions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Executor {
    /// On this machine, compositions in parallel (the default).
    #[default]
    Local,
    /// As a SLURM job array, one task per chunk of compositions, each into its own shard.
    Slurm,
}

/// The SLURM executor's settings (the `[slurm]` table of a config file; the flags of
/// `amorph run` override them one by one). Unset options are left to the cluster's defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlurmSettings {
    /// The results directory: plan, shards, logs (default `amorph-results`).
    pub results: Option<PathBuf>,
    /// `--partition`.
    pub partition: Option<String>,
    /// `--time` of each task, in SLURM's formats (`30`, `2:00:00`, `1-00:00:00`).
    pub time: Option<String>,
    /// `--cpus-per-task`; the task's MD threads follow it (`RAYON_NUM_THREADS`).
    pub cpus_per_task: Option<u32>,
    /// At most this many tasks at once (`--array=...%M`).
    pub max_concurrent: Option<u32>,
    /// Compositions per task (default 1).
    pub chunk: Option<usize>,
    /// Seconds before the time limit at which a task is told to stop (`--signal=B:USR1@N`;
    /// default 300, at most a third of `time`).
    pub signal_lead: Option<u32>,
    /// Further `sbatch` options, one per entry (`--account=abc`, `--qos=short`).
    pub sbatch_args: Vec<String>,
}

impl SlurmSettings {
    /// These settings with every option that `over` sets taken from it (`sbatch_args` are
    /// appended).
    pub fn overridden_by(mut self, over: SlurmSettings) -> Self {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f = over.$f; } )* };
        }
        take!(
            results,
            partition,
            time,
            cpus_per_task,
            max_concurrent,
            chunk,
            signal_lead
        );
        self.sbatch_args.extend(over.sbatch_args);
        self
    }

    /// The results directory.
    pub fn results_dir(&self) -> PathBuf {
        self.results
            .clone()
            .unwrap_or_else(|| PathBuf::from("amorph-results"))
    }

    /// Compositions per task.
    pub fn chunk(&self) -> usize {
        self.chunk.unwrap_or(1)
    }

    /// Checks that each option is a value SLURM takes and that none could break the batch
    /// script (a line break or a space inside one `#SBATCH` line).
    pub fn validate(&self) -> Result<()> {
        let bad = |setting: &str, value: &str, why: &str| {
            Err(SlurmError::Setting {
                setting: setting.into(),
                value: value.into(),
                why: why.into(),
            })
        };
        let plain = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == '\'');
        if let Some(p) = &self.partition
            && !plain(p)
        {
            return bad("--partition", p, "a partition name has no spaces or quotes");
        }
        if let Some(t) = &self.time
            && crate::parse_time_limit(t).is_none()
        {
            return bad(
                "--time",
                t,
                "expected minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS",
            );
        }
        if self.cpus_per_task == Some(0) {
            return bad("--cpus-per-task", "0", "must be at least 1");
        }
        if self.max_concurrent == Some(0) {
            return bad("--max-concurrent", "0", "must be at least 1");
        }
        if self.chunk == Some(0) {
            return bad("--chunk", "0", "must be at least 1");
        }
        for a in &self.sbatch_args {
            if !a.starts_with('-') || !plain(a) {
                return bad(
                    "--sbatch-arg",
                    a,
                    "one sbatch option per --sbatch-arg, starting with '-', without spaces or quotes (e.g. --sbatch-arg=--account=abc)",
                );
            }
        }
        Ok(())
    }
}

/// Splits a config file's text into the executor (`executor = "slurm"`), the `[slurm]`
/// table and the rest, which is the workflow's [`amorph_morph::Config`] TOML.
///
/// ```
/// let (executor, slurm, rest) = amorph_slurm::split_config(
///     "executor = \"slurm\"\nproduction_steps = 500\n[slurm]\npartition = \"short\"\nchunk = 4\n",
/// ).unwrap();
/// assert_eq!(executor, Some(amorph_slurm::Executor::Slurm));
/// assert_eq!((slurm.partition.as_deref(), slurm.chunk), (Some("short"), Some(4)));
/// assert_eq!(rest.trim(), "production_steps = 500");
/// ```
pub fn split_config(text: &str) -> Result<(Option<Executor>, SlurmSettings, String)> {
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| SlurmError::Config(e.to_string()))?;
    let executor = table
        .remove("executor")
        .map(|v| {
            v.try_into::<Executor>()
                .map_err(|_| SlurmError::Config("executor: expected \"local\" or \"slurm\"".into()))
        })
        .transpose()?;
    let slurm = table
        .remove("slurm")
        .map(|v| {
            v.try_into::<SlurmSettings>()
                .map_err(|e| SlurmError::Config(format!("[slurm]: {}", e.to_string().trim())))
        })
        .transpose()?
        .unwrap_or_default();
    let rest = toml::to_string(&table).map_err(|e| SlurmError::Config(e.to_string()))?;
    Ok((executor, slurm, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file_and_bad_values_are_named() {
        let file = SlurmSettings {
            partition: Some("long".into()),
            chunk: Some(4),
            sbatch_args: vec!["--account=a".into()],
            ..Default::default()
        };
        let flags = SlurmSettings {
            partition: Some("short".into()),
            sbatch_args: vec!["--qos=q".into()],
            ..Default::default()
        };
        let s = file.overridden_by(flags);
        assert_eq!(s.partition.as_deref(), Some("short"));
        assert_eq!(s.chunk(), 4);
        assert_eq!(s.sbatch_args, ["--account=a", "--qos=q"]);
        s.validate().unwrap();
        let e = SlurmSettings {
            sbatch_args: vec!["--comment=a b".into()],
            ..Default::default()
        }
        .validate()
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("--sbatch-arg \"--comment=a b\": one sbatch option"),
            "{e}"
        );
        let e = SlurmSettings {
            time: Some("soon".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("--time \"soon\": expected minutes"), "{e}");
        let e = split_config("[slurm]\npartiton = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("partiton"), "{e}");
        let e = split_config("executor = \"cloud\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"local\" or \"slurm\""), "{e}");
    }
}
