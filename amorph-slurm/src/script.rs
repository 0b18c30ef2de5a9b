//! The batch script of a submission.

use crate::{Result, SlurmError, SlurmSettings};
use std::path::Path;

/// Default seconds between `SIGUSR1` and the time limit.
const DEFAULT_SIGNAL_LEAD: u32 = 300;

/// SLURM's `--array` value for these task indices: runs of consecutive indices as ranges
/// (`0-2,5`), then `%M` when at most M may run at once.
///
/// ```
/// assert_eq!(amorph_slurm::array_spec(&[0, 1, 2, 5, 7, 8], Some(2)), "0-2,5,7-8%2");
/// ```
pub fn array_spec(tasks: &[usize], max_concurrent: Option<u32>) -> String {
    let mut sorted = tasks.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            sorted[i].to_string()
        } else {
            format!("{}-{}", sorted[i], sorted[j])
        });
        i = j + 1;
    }
    let mut spec = parts.join(",");
    if let Some(m) = max_concurrent {
        spec.push_str(&format!("%{m}"));
    }
    spec
}

/// Seconds of a SLURM time limit (`--time`): `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`;
/// `None` if it is none of these (`UNLIMITED` is left to SLURM and reads as `None` too).
///
/// ```
/// use amorph_slurm::parse_time_limit;
/// assert_eq!(parse_time_limit("30"), Some(1800));
/// assert_eq!(parse_time_limit("1:30:00"), Some(5400));
/// assert_eq!(parse_time_limit("2-12"), Some(216_000));
/// assert_eq!(parse_time_limit("an hour"), None);
/// ```
pub fn parse_time_limit(time: &str) -> Option<u64> {
    let num = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (days, rest) = match time.split_once('-') {
        Some((d, r)) => (Some(num(d)?), r),
        None => (None, time),
    };
    let f: Vec<u64> = rest.split(':').map(num).collect::<Option<_>>()?;
    let seconds = match (days, f.as_slice()) {
        (None, [m]) => m * 60,
        (None, [m, s]) => m * 60 + s,
        (None, [h, m, s]) => h * 3600 + m * 60 + s,
        (Some(d), [h]) => d * 86400 + h * 3600,
        (Some(d), [h, m]) => d * 86400 + h * 3600 + m * 60,
        (Some(d), [h, m, s]) => d * 86400 + h * 3600 + m * 60 + s,
        _ => return None,
    };
    Some(seconds)
}

/// `s` in single quotes for the shell.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The seconds of warning before the time limit: the setting, else 300 s, at most a third of
/// the time limit.
pub(crate) fn signal_lead(settings: &SlurmSettings) -> u32 {
    let lead = settings.signal_lead.unwrap_or(DEFAULT_SIGNAL_LEAD);
    match settings.time.as_deref().and_then(parse_time_limit) {
        Some(limit) => lead.min((limit / 3).max(1) as u32),
        None => lead,
    }
}

/// The batch script of one submission: a job array over `tasks` of the plan in `dir`, each
/// task running `amorph slurm-task DIR --task $SLURM_ARRAY_TASK_ID` with the binary `amorph`
/// (its absolute path: the nodes must see the same file system).
///
/// The task's output goes to `DIR/logs/task-<i>.log`, appended across attempts; the job is
/// requeueable; `SIGUSR1` comes [`SlurmSettings::signal_lead`] seconds before the time limit
/// to the batch shell, which is amorph itself (`exec`); the MD threads follow
/// `--cpus-per-task`.
pub fn render_script(
    dir: &Path,
    amorph: &Path,
    tasks: &[usize],
    settings: &SlurmSettings,
) -> Result<String> {
    settings.validate()?;
    if tasks.is_empty() {
        return Err(SlurmError::Setting {
            setting: "tasks".into(),
            value: String::new(),
            why: "nothing to submit".into(),
        });
    }
    let text = |p: &Path| p.display().to_string();
    for (what, p) in [("results directory", dir), ("amorph binary", amorph)] {
        if text(p).contains(['\n', '\r']) {
            return Err(SlurmError::Setting {
                setting: what.into(),
                value: text(p),
                why: "a path with a line break cannot go into a batch script".into(),
            });
        }
    }
    let lead = signal_lead(settings);
    let mut s = String::from("#!/bin/bash\n");
    s.push_str(
        "# amorph run --executor slurm: one array task per chunk of compositions, each into its\n\
         # own shard (plan.json in the results directory says which task runs which formulas).\n",
    );
    // #SBATCH lines end at the first line that is not a comment: they come first.
    s.push_str("#SBATCH --job-name=amorph\n");
    s.push_str(&format!(
        "#SBATCH --array={}\n",
        array_spec(tasks, settings.max_concurrent)
    ));
    // %a: one log per task, every attempt appended (a requeued or resubmitted task adds to it).
    s.push_str(&format!(
        "#SBATCH --output={}\n",
        text(&dir.join("logs").join("task-%a.log"))
    ));
    s.push_str("#SBATCH --open-mode=append\n");
    s.push_str("#SBATCH --requeue\n");
    s.push_str(&format!("#SBATCH --signal=B:USR1@{lead}\n"));
    if let Some(p) = &settings.partition {
        s.push_str(&format!("#SBATCH --partition={p}\n"));
    }
    if let Some(t) = &settings.time {
        s.push_str(&format!("#SBATCH --time={t}\n"));
    }
    if let Some(c) = settings.cpus_per_task {
        s.push_str(&format!("#SBATCH --cpus-per-task={c}\n"));
    }
    for a in &settings.sbatch_args {
        s.push_str(&format!("#SBATCH {a}\n"));
    }
    s.push_str("\n# MD threads: the CPUs SLURM gave the task (1 when it did not say).\n");
    s.push_str("export RAYON_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}\n");
    s.push_str(&format!(
        "# SIGUSR1 ({lead} s before the time limit) reaches amorph itself: it starts no new stage,\n\
         # gives the running one {} s, and exits {} to be requeued.\n",
        lead / 2,
        crate::REQUEUE_EXIT
    ));
    s.push_str(&format!(
        "exec {} slurm-task {} --task \"$SLURM_ARRAY_TASK_ID\" --grace {}\n",
        quote(&text(amorph)),
        quote(&text(dir)),
        lead / 2
    ));
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_holds_every_setting_once_and_quotes_paths() {
        let settings = SlurmSettings {
            partition: Some("debug".into()),
            time: Some("00:30:00".into()),
            cpus_per_task: Some(4),
            max_concurrent: Some(8),
            sbatch_args: vec!["--account=mat".into()],
            ..Default::default()
        };
        let s = render_script(
            "/scratch/it's here".as_ref(),
            "/opt/amorph".as_ref(),
            &[3, 0, 1],
            &settings,
        )
        .unwrap();
        let expected = "#!/bin/bash
# amorph run --executor slurm: one array task per chunk of compositions, each into its
# own shard (plan.json in the results directory says which task runs which formulas).
#SBATCH --job-name=amorph
#SBATCH --array=0-1,3%8
#SBATCH --output=/scratch/it's here/logs/task-%a.log
#SBATCH --open-mode=append
#SBATCH --requeue
#SBATCH --signal=B:USR1@300
#SBATCH --partition=debug
#SBATCH --time=00:30:00
#SBATCH --cpus-per-task=4
#SBATCH --account=mat

# MD threads: the CPUs SLURM gave the task (1 when it did not say).
export RAYON_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
# SIGUSR1 (300 s before the time limit) reaches amorph itself: it starts no new stage,
# gives the running one 150 s, and exits 99 to be requeued.
exec '/opt/amorph' slurm-task '/scratch/it'\\''s here' --task \"$SLURM_ARRAY_TASK_ID\" --grace 150
";
        assert_eq!(s, expected);
        // A short limit shortens the warning to a third of it.
        let short = SlurmSettings {
            time: Some("3".into()),
            ..Default::default()
        };
        assert_eq!(signal_lead(&short), 60);
        assert!(render_script("/r".as_ref(), "/a".as_ref(), &[], &short).is_err());
    }

    #[test]
    fn time_limits() {
        assert_eq!(parse_time_limit("1:00"), Some(60));
        assert_eq!(parse_time_limit("1-00:00:01"), Some(86401));
        assert_eq!(parse_time_limit("1-2:3"), Some(86400 + 7200 + 180));
        for bad in ["", "-1", "1:2:3:4", "1-", "x", "1-2:3:4:5"] {
            assert_eq!(parse_time_limit(bad), None, "{bad}");
        }
    }
}
