//! Seeded random streams: the one scheme every amorph crate uses.
//!
//! Every random choice in amorph takes a `u64` seed (same seed and thread count → same
//! numbers). A seed becomes a stream in one way: rand's [`SeedableRng::seed_from_u64`] (its
//! PCG32 expansion of the `u64` into a 256-bit key) feeding a ChaCha generator. Two ChaCha
//! variants are in use, each named here so that no crate picks its own:
//!
//! * [`SeededRng`] (ChaCha12, [`rng_from_seed`]): molecular dynamics — initial
//!   Maxwell–Boltzmann velocities, the CSVR and Langevin thermostats, the C-rescale barostat.
//!   It serialises (serde), so a thermostat's stream is part of its checkpoint and a resumed
//!   run continues the same numbers.
//! * [`PackingRng`] (ChaCha8, [`packing_rng_from_seed`]): amorph-build's random packing of
//!   starting cells. Eight rounds are ample for choosing positions; the packing keeps ChaCha8
//!   because every packed cell for a given seed, and so every workflow result downstream of it
//!   (stored databases, `amorph demo`, published benchmarks), depends on that stream: switching
//!   it to ChaCha12 would change them all (the two streams differ from the first number on,
//!   see the tests below).
//!
//! One master seed gives each use its own stream through [`derive_seed`] (FNV-1a over the
//! master seed and the use's labels): the workflow seeds each (composition, stage, index)
//! this way, so stages are reproducible one by one and independent of the order they run in.
//!
//! ```
//! use amorph_core::rng::{derive_seed, rng_from_seed};
//!
//! let seed = derive_seed(42, &["Li2O".into(), "production@1500K".into(), 0.into()]);
//! assert_eq!(rng_from_seed(seed), rng_from_seed(seed));
//! assert_ne!(seed, derive_seed(42, &["Li2O".into(), "production@1500K".into(), 1.into()]));
//! ```
//!
//! (amorph-ml keeps a small generator of its own: it works on plain tables and does not depend
//! on this crate.)

pub use rand_chacha::rand_core::SeedableRng;
pub use rand_chacha::{ChaCha8Rng, ChaCha12Rng};

/// The generator of amorph's simulations (ChaCha12): velocities, stochastic thermostats and
/// barostats. Serialisable, so that its state can be checkpointed.
pub type SeededRng = ChaCha12Rng;

/// The generator of amorph-build's random packing (ChaCha8); see the [module docs](self) for
/// why it differs from [`SeededRng`].
pub type PackingRng = ChaCha8Rng;

/// The [`SeededRng`] stream of `seed`.
pub fn rng_from_seed(seed: u64) -> SeededRng {
    SeededRng::seed_from_u64(seed)
}

/// The [`PackingRng`] stream of `seed`.
pub fn packing_rng_from_seed(seed: u64) -> PackingRng {
    PackingRng::seed_from_u64(seed)
}

/// One label of a derived seed: text (a formula, a stage name) or an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedLabel<'a> {
    /// Text, hashed as its UTF-8 bytes; must not contain NUL.
    Text(&'a str),
    /// A number, hashed as its 8 little-endian bytes.
    Index(u64),
}

impl<'a> From<&'a str> for SeedLabel<'a> {
    fn from(text: &'a str) -> Self {
        SeedLabel::Text(text)
    }
}

impl From<u64> for SeedLabel<'_> {
    fn from(index: u64) -> Self {
        SeedLabel::Index(index)
    }
}

/// A deterministic 64-bit seed for one use of a master seed: 64-bit FNV-1a over the master
/// seed's 8 little-endian bytes followed by the labels, where a text label is its bytes (with
/// a NUL byte after it when another text label follows, so that `["ab", "c"]` and `["a", "bc"]`
/// differ) and an index its 8 little-endian bytes.
///
/// Give one kind of use one fixed shape of labels (the workflow: formula, stage name, index).
/// Not a cryptographic hash: it spreads nearby labels over unrelated seeds, which is all a
/// simulation needs.
///
/// ```
/// use amorph_core::rng::derive_seed;
/// let a = derive_seed(1, &["Li2O".into(), "pack".into(), 0.into()]);
/// assert_eq!(a, derive_seed(1, &["Li2O".into(), "pack".into(), 0.into()]));
/// assert_ne!(a, derive_seed(2, &["Li2O".into(), "pack".into(), 0.into()]));
/// assert_ne!(a, derive_seed(1, &["LiF".into(), "pack".into(), 0.into()]));
/// ```
pub fn derive_seed(master: u64, labels: &[SeedLabel<'_>]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(&master.to_le_bytes());
    for (k, label) in labels.iter().enumerate() {
        match label {
            SeedLabel::Text(text) => {
                eat(text.as_bytes());
                if let Some(SeedLabel::Text(_)) = labels.get(k + 1) {
                    eat(&[0]);
                }
            }
            SeedLabel::Index(index) => eat(&index.to_le_bytes()),
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::Rng;

    #[test]
    fn derived_seeds_are_pinned() {
        // The workflow's seeds (formula, stage name, index) as amorph-morph derived them
        // before this module existed; stored databases depend on them.
        let workflow = |m: u64, f: &str, stage: &str, k: u64| {
            derive_seed(m, &[f.into(), stage.into(), k.into()])
        };
        assert_eq!(workflow(1, "Li2O", "", 0), 0x8667_86e8_d770_648c);
        assert_eq!(
            workflow(42, "Li2Si2O5", "equilibrate@3000K", 2),
            0x9b90_bf18_a917_cf6b
        );
        assert_eq!(
            workflow(7, "LiF", "production@1500K", 0),
            0x44d3_c425_6d21_1573
        );
        assert_eq!(workflow(0, "", "", 0), 0x4dfa_4cff_d1f7_979f);
        // Text labels are separated; an index needs no separator.
        assert_ne!(
            derive_seed(1, &["ab".into(), "c".into()]),
            derive_seed(1, &["a".into(), "bc".into()])
        );
    }

    #[test]
    fn streams_are_rand_chacha_seeded_from_u64() {
        for seed in [0, 1, 3, 42, u64::MAX] {
            let mut ours = rng_from_seed(seed);
            let mut theirs = ChaCha12Rng::seed_from_u64(seed);
            let mut pack = packing_rng_from_seed(seed);
            let mut pack_theirs = ChaCha8Rng::seed_from_u64(seed);
            for _ in 0..100 {
                assert_eq!(ours.next_u64(), theirs.next_u64());
                assert_eq!(pack.next_u64(), pack_theirs.next_u64());
            }
            // The two variants are different streams: switching the packing to SeededRng
            // would change every packed cell.
            assert_ne!(
                rng_from_seed(seed).next_u64(),
                packing_rng_from_seed(seed).next_u64()
            );
        }
    }

    /// A dependency update that changed these streams would change every seeded result.
    #[test]
    fn the_first_numbers_are_pinned() {
        assert_eq!(rng_from_seed(42).next_u64(), 9713269763989775522);
        assert_eq!(packing_rng_from_seed(3).next_u64(), 11491721373609159005);
    }
}
