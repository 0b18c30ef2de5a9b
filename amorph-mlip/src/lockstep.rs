//! Many MD runs advanced in lockstep through one batched model: each run holds a
//! [`LockstepMember`], an ordinary [`Calculator`]; a call waits until every member still
//! registered has asked, and then one forward call evaluates all their cells together.
//!
//! This is how several small cells fill one device: run each cell's MD (amorph-md's `Md`) on
//! its own thread with a member of the same [`Lockstep`]; nothing in the MD changes. A member
//! leaves the group when it is dropped (its run finished), so runs of different lengths are
//! fine: the remaining members go on batching among themselves.
//!
//! Every registered member must keep calling (or be dropped): a member that holds its
//! calculator but stops asking blocks the others. Run the members on threads of their own
//! (`std::thread::scope`), not as tasks of a work-stealing pool, where a blocked task can hold
//! the thread another member needs.

use amorph_core::{Calculation, Calculator, Request, Structure};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Something that evaluates many independent cells at once (for SevenNet, one forward call
/// over the disjoint union of their graphs).
pub trait BatchCalculator: Send {
    /// A short name used in errors and logs.
    fn name(&self) -> &str;

    /// One result per cell, in order.
    fn calculate_batch(
        &mut self,
        cells: &[&Structure],
        request: Request,
    ) -> amorph_core::Result<Vec<Calculation>>;
}

struct State {
    batch: Box<dyn BatchCalculator>,
    members: usize,
    next_id: u64,
    /// The cells waiting for the next batch: member id, cell, request.
    waiting: Vec<(u64, Structure, Request)>,
    /// Results not yet collected, by member id.
    done: HashMap<u64, amorph_core::Result<Calculation>>,
    /// Sizes of the batches evaluated so far.
    batches: Vec<usize>,
}

impl State {
    /// Evaluates the waiting cells as one batch and files each member's result.
    fn run_batch(&mut self) {
        let waiting = std::mem::take(&mut self.waiting);
        let stress = waiting.iter().any(|w| w.2.stress);
        let request = if stress {
            Request::STRESS
        } else {
            Request::FORCES
        }
        .with_energies(waiting.iter().any(|w| w.2.energies));
        let cells: Vec<&Structure> = waiting.iter().map(|w| &w.1).collect();
        self.batches.push(cells.len());
        match self.batch.calculate_batch(&cells, request) {
            Ok(results) if results.len() == cells.len() => {
                for (w, r) in waiting.iter().zip(results) {
                    self.done.insert(w.0, Ok(r));
                }
            }
            other => {
                let why = match other {
                    Err(e) => e.to_string(),
                    Ok(r) => format!("{} results for {} cells", r.len(), cells.len()),
                };
                for w in &waiting {
                    let e = amorph_core::Error::calculator(self.batch.name(), why.clone());
                    self.done.insert(w.0, Err(e));
                }
            }
        }
    }
}

/// A group of [`LockstepMember`] calculators sharing one [`BatchCalculator`].
///
/// ```
/// use amorph_core::{Calculation, Request, Structure, Calculator, Lattice};
/// use amorph_mlip::lockstep::{BatchCalculator, Lockstep};
/// use nalgebra::Vector3;
///
/// /// Zero energy and forces, many cells at a time.
/// struct Zero;
/// impl BatchCalculator for Zero {
///     fn name(&self) -> &str { "zero" }
///     fn calculate_batch(&mut self, cells: &[&Structure], _: Request)
///         -> amorph_core::Result<Vec<Calculation>> {
///         Ok(cells.iter().map(|s| Calculation::new(0.0, vec![Vector3::zeros(); s.len()])).collect())
///     }
/// }
///
/// let group = Lockstep::new(Box::new(Zero));
/// let cell = Structure::new(Lattice::cubic(5.0).unwrap(), vec!["Ar".parse().unwrap()],
///     vec![Vector3::zeros()]).unwrap();
/// let members: Vec<_> = (0..3).map(|_| group.member()).collect();
/// std::thread::scope(|s| {
///     for mut m in members {
///         let cell = &cell;
///         s.spawn(move || m.calculate(cell, Request::FORCES).unwrap());
///     }
/// });
/// assert_eq!(group.batch_sizes(), vec![3]); // one call for the three cells
/// ```
#[derive(Clone)]
pub struct Lockstep {
    shared: Arc<(Mutex<State>, Condvar)>,
    name: String,
}

impl std::fmt::Debug for Lockstep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lockstep")
            .field("name", &self.name)
            .finish()
    }
}

impl Lockstep {
    /// A group around `batch`, with no members yet.
    pub fn new(batch: Box<dyn BatchCalculator>) -> Self {
        let name = batch.name().to_string();
        Lockstep {
            shared: Arc::new((
                Mutex::new(State {
                    batch,
                    members: 0,
                    next_id: 0,
                    waiting: Vec::new(),
                    done: HashMap::new(),
                    batches: Vec::new(),
                }),
                Condvar::new(),
            )),
            name,
        }
    }

    fn lock(shared: &(Mutex<State>, Condvar)) -> MutexGuard<'_, State> {
        // A panic inside the batch evaluation poisons the lock; the state itself (queues of
        // cells and results) stays consistent, so go on and let the results say what failed.
        shared.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new member: a calculator whose calls join the group's batches until it is dropped.
    pub fn member(&self) -> LockstepMember {
        let mut st = Self::lock(&self.shared);
        st.members += 1;
        st.next_id += 1;
        LockstepMember {
            shared: Arc::clone(&self.shared),
            id: st.next_id,
            name: self.name.clone(),
        }
    }

    /// The number of cells in each batch evaluated so far.
    pub fn batch_sizes(&self) -> Vec<usize> {
        Self::lock(&self.shared).batches.clone()
    }
}

/// One run's calculator in a [`Lockstep`] group.
pub struct LockstepMember {
    shared: Arc<(Mutex<State>, Condvar)>,
    id: u64,
    name: String,
}

impl std::fmt::Debug for LockstepMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockstepMember")
            .field("name", &self.name)
            .field("id", &self.id)
            .finish()
    }
}

impl Calculator for LockstepMember {
    fn name(&self) -> &str {
        &self.name
    }

    fn calculate(
        &mut self,
        structure: &Structure,
        request: Request,
    ) -> amorph_core::Result<Calculation> {
        let (_, cv) = &*self.shared;
        let mut st = Lockstep::lock(&self.shared);
        st.waiting.push((self.id, structure.clone(), request));
        if st.waiting.len() >= st.members {
            st.run_batch();
            cv.notify_all();
        }
        loop {
            if let Some(r) = st.done.remove(&self.id) {
                return r;
            }
            st = cv.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Drop for LockstepMember {
    fn drop(&mut self) {
        let (_, cv) = &*self.shared;
        let mut st = Lockstep::lock(&self.shared);
        st.members -= 1;
        // The others may have been waiting for this member alone.
        if !st.waiting.is_empty() && st.waiting.len() >= st.members {
            st.run_batch();
            cv.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amorph_core::Lattice;
    use nalgebra::Vector3;

    /// Each atom tied to the origin by a spring (E = ½ Σ|r|²), many cells at a time.
    struct Springs;
    impl BatchCalculator for Springs {
        fn name(&self) -> &str {
            "springs"
        }
        fn calculate_batch(
            &mut self,
            cells: &[&Structure],
            _: Request,
        ) -> amorph_core::Result<Vec<Calculation>> {
            Ok(cells
                .iter()
                .map(|s| {
                    let e = 0.5 * s.positions().iter().map(|r| r.norm_squared()).sum::<f64>();
                    Calculation::new(e, s.positions().iter().map(|r| -r).collect())
                })
                .collect())
        }
    }

    fn cell(x: f64) -> Structure {
        Structure::new(
            Lattice::cubic(10.0).unwrap(),
            vec!["Ar".parse().unwrap(); 2],
            vec![Vector3::new(x, 0.0, 0.0), Vector3::new(0.0, x, 1.0)],
        )
        .unwrap()
    }

    /// Three runs of 5, 3 and 1 steps: the first batches hold all three, then the runs that
    /// finished leave; every call gets its own cell's result.
    #[test]
    fn runs_of_different_lengths_batch_until_they_leave() {
        let group = Lockstep::new(Box::new(Springs));
        let members: Vec<LockstepMember> = (0..3).map(|_| group.member()).collect();
        std::thread::scope(|s| {
            for (k, mut m) in members.into_iter().enumerate() {
                s.spawn(move || {
                    let steps = [5, 3, 1][k];
                    for step in 0..steps {
                        let x = (k * 10 + step) as f64;
                        let c = m.calculate(&cell(x), Request::FORCES).unwrap();
                        assert_eq!(c.energy, 0.5 * (2.0 * x * x + 1.0));
                        assert_eq!(c.forces[0].x, -x);
                    }
                });
            }
        });
        assert_eq!(group.batch_sizes(), vec![3, 2, 2, 1, 1]);
    }

    #[test]
    fn a_failing_batch_fails_every_member_in_it() {
        struct Fails;
        impl BatchCalculator for Fails {
            fn name(&self) -> &str {
                "fails"
            }
            fn calculate_batch(
                &mut self,
                _: &[&Structure],
                _: Request,
            ) -> amorph_core::Result<Vec<Calculation>> {
                Err(amorph_core::Error::calculator("fails", "no GPU"))
            }
        }
        let group = Lockstep::new(Box::new(Fails));
        let members: Vec<LockstepMember> = (0..2).map(|_| group.member()).collect();
        std::thread::scope(|s| {
            for mut m in members {
                s.spawn(move || {
                    let e = m.calculate(&cell(1.0), Request::FORCES).unwrap_err();
                    assert!(e.to_string().contains("no GPU"), "{e}");
                });
            }
        });
        assert_eq!(group.batch_sizes(), vec![2]);
    }
}
