//! The signal a task gets before its time limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once `SIGUSR1` arrives (SLURM's `--signal=B:USR1@N`, or `scancel --signal=USR1
/// --batch`): the task should start no new stage and stop for a requeue.
#[derive(Debug, Clone)]
pub struct StopSignal {
    flag: Arc<AtomicBool>,
}

impl StopSignal {
    /// Installs the handler for `SIGUSR1` (which would otherwise end the process at once).
    pub fn install() -> std::io::Result<Self> {
        let flag = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(signal_hook::consts::SIGUSR1, Arc::clone(&flag))?;
        Ok(StopSignal { flag })
    }

    /// Whether the signal came.
    pub fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}
