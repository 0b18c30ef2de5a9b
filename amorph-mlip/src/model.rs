//! What a deployed SevenNet model says about itself: its species, cutoff and version.
//!
//! `sevenn`'s deploy step (`sevenn.scripts.deploy.deploy`, CLI `sevenn_get_model`) writes a
//! TorchScript archive, a zip file whose entries `<name>/extra/<key>` hold the settings an MD
//! code needs: `chemical_symbols_to_index` (the species, space-separated, in the order of the
//! model's type indices), `cutoff` (Å), `num_species`, `model_type`, `version` and `dtype`.
//! They are read here without libtorch, so that a build without the `torch` feature can still
//! name a model's species and cutoff.

use crate::error::{Result, TorchError};
use amorph_core::Element;
use std::io::{Read, Seek};
use std::path::Path;

/// The settings of a deployed SevenNet model (from its archive's `extra/` entries).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use amorph_mlip::ModelInfo;
/// let info = ModelInfo::from_bytes(amorph_mlip::SEVENNET_0_BYTES)?;
/// assert_eq!(info.cutoff, 5.0);
/// assert_eq!(info.species.len(), 89);
/// assert!(info.index_of("Li".parse()?).is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// The species the model knows, in the order of its type indices (input `x`).
    pub species: Vec<Element>,
    /// Radial cutoff (Å): the input graph holds every pair (and periodic image) within it.
    pub cutoff: f64,
    /// `model_type` as deployed (`E3_equivariant_model` for SevenNet).
    pub model_type: String,
    /// The sevenn version that deployed it.
    pub version: String,
    /// Floating-point type of the model (`single` for SevenNet-0).
    pub dtype: String,
}

impl ModelInfo {
    /// Reads the settings of the deployed model file at `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| TorchError::Model {
            model: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_reader(file).map_err(|e| e.in_model(&path.display().to_string()))
    }

    /// Reads the settings of a deployed model held in memory.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Self::from_reader(std::io::Cursor::new(bytes))
    }

    fn from_reader<R: Read + Seek>(reader: R) -> Result<Self> {
        let bad = |reason: String| TorchError::Model {
            model: String::new(),
            reason,
        };
        let mut zip = zip::ZipArchive::new(reader)
            .map_err(|e| bad(format!("not a TorchScript archive ({e})")))?;
        let names: Vec<String> = zip.file_names().map(str::to_string).collect();
        let mut extra = |key: &str| -> Result<String> {
            let suffix = format!("/extra/{key}");
            let name = names.iter().find(|n| n.ends_with(&suffix)).ok_or_else(|| {
                bad(format!(
                    "no entry extra/{key} (not a model deployed by sevenn's deploy step)"
                ))
            })?;
            let mut text = String::new();
            zip.by_name(name)
                .map_err(|e| bad(format!("entry {name}: {e}")))?
                .read_to_string(&mut text)
                .map_err(|e| bad(format!("entry {name}: {e}")))?;
            Ok(text.trim().to_string())
        };
        let symbols = extra("chemical_symbols_to_index")?;
        let cutoff_text = extra("cutoff")?;
        let num_species = extra("num_species")?;
        let model_type = extra("model_type")?;
        let version = extra("version")?;
        let dtype = extra("dtype")?;
        let species = symbols
            .split_whitespace()
            .map(|s| {
                s.parse::<Element>()
                    .map_err(|_| bad(format!("unknown element '{s}' in its species list")))
            })
            .collect::<Result<Vec<_>>>()?;
        let cutoff: f64 = cutoff_text
            .parse()
            .ok()
            .filter(|c: &f64| c.is_finite() && *c > 0.0)
            .ok_or_else(|| bad(format!("cutoff '{cutoff_text}' is not a positive length")))?;
        if num_species.parse::<usize>().ok() != Some(species.len()) {
            return Err(bad(format!(
                "num_species {num_species} differs from its {} listed species",
                species.len()
            )));
        }
        if species.is_empty() {
            return Err(bad("lists no species".into()));
        }
        Ok(ModelInfo {
            species,
            cutoff,
            model_type,
            version,
            dtype,
        })
    }

    /// The species the model knows, space-separated (for messages).
    pub fn species_list(&self) -> String {
        let symbols: Vec<&str> = self.species.iter().map(|e| e.symbol()).collect();
        symbols.join(" ")
    }

    /// The model's type index of `element`, or `None` when the model does not know it.
    pub fn index_of(&self, element: Element) -> Option<usize> {
        self.species.iter().position(|&e| e == element)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sevennet_0_settings() {
        let info = ModelInfo::from_bytes(crate::SEVENNET_0_BYTES).unwrap();
        assert_eq!(info.cutoff, 5.0);
        assert_eq!(info.species.len(), 89);
        assert_eq!(info.species[0].symbol(), "Ac"); // alphabetical
        assert_eq!(info.model_type, "E3_equivariant_model");
        assert_eq!(info.dtype, "single");
        for s in ["Li", "O", "S", "P", "I", "N", "Si", "F"] {
            assert!(info.index_of(s.parse().unwrap()).is_some(), "{s}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_model() {
        let e = ModelInfo::from_bytes(b"not a zip").unwrap_err().to_string();
        assert!(e.contains("not a TorchScript archive"), "{e}");
        let e = ModelInfo::read(Path::new("no/such/model.pt"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no/such/model.pt"), "{e}");
    }
}
