//! Which built-in potential covers a composition, and potentials by name.
//!
//! [`Family`] lists the built-in potentials; each knows which compositions it covers
//! ([`Family::check`]): every species pair must have published parameters, and the fixed
//! charges must add up to zero. [`choose_family`] takes the first physical family that covers a
//! composition and otherwise refuses it with [`MdError::NotCovered`], a one-line error that
//! names the uncovered pairs and what would cover them. The UFF fallback is never chosen
//! automatically: it is a smoke-test potential (a charge-free Lennard-Jones liquid that turns
//! ionic compounds into gases) and can only be asked for by name.
//!
//! [`PotentialSpec`] is a potential by name (`auto`, `pedone-zbl`, `tosi-fumi`, `uff`, …), the
//! form that configuration files and the command line hold; [`PotentialSpec::build`] turns it
//! into a calculator for a composition.

use super::coulomb::Coulomb;
use crate::error::{MdError, Result};
use amorph_core::{Calculator, Composition, Element};
use std::fmt;
use std::str::FromStr;

/// One entry per built-in potential family: its variant, its name and aliases (as
/// [`PotentialSpec`] parses them), whether it is physics, one line on what it covers, and the
/// module that checks and builds it (`covers(&Composition)` and `build(&Composition, Coulomb,
/// zbl)`). Adding a family is its own file plus one entry here; the table's order is the
/// automatic choice's order of preference among the physical families.
macro_rules! potential_families {
    (
        $(#[$meta:meta])*
        pub enum Family {
            $($(#[$doc:meta])* $variant:ident = $name:literal $(| $alias:literal)*,
                physical: $physical:literal, module: $module:path, $description:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Family {
            $($(#[$doc])* $variant,)+
        }

        impl Family {
            /// Every family, in the table's order (the automatic choice's preference).
            pub const ALL: &[Family] = &[$(Family::$variant),+];

            /// The family's name (`pedone`, `tosi-fumi`, `uff`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Family::$variant => $name,)+
                }
            }

            /// The family of a name or alias (`pedone`, `pmmcs`, `tosi-fumi`, `tf`, …).
            pub fn from_name(name: &str) -> Option<Family> {
                match name {
                    $($name $(| $alias)* => Some(Family::$variant),)+
                    _ => None,
                }
            }

            /// Whether the family is a physical model (false for the UFF smoke-test potential).
            pub fn is_physical(self) -> bool {
                match self {
                    $(Family::$variant => $physical,)+
                }
            }

            /// One line on what the family is and covers.
            pub fn description(self) -> &'static str {
                match self {
                    $(Family::$variant => $description,)+
                }
            }

            fn covers(self, composition: &Composition) -> std::result::Result<(), Uncovered> {
                match self {
                    $(Family::$variant => { use $module as m; m::covers(composition) })+
                }
            }

            fn build_covered(
                self,
                composition: &Composition,
                coulomb: Coulomb,
                zbl: bool,
            ) -> Result<Box<dyn Calculator>> {
                match self {
                    $(Family::$variant => { use $module as m; m::build(composition, coulomb, zbl) })+
                }
            }
        }
    };
}

potential_families! {
    /// A built-in potential family.
    pub enum Family {
        /// The Pedone (PMMCS) rigid-ion potential of oxide glasses ([`super::pedone`]).
        Pedone = "pedone" | "pmmcs", physical: true, module: super::pedone::family,
            "Pedone et al. 2006 rigid-ion potential (Morse + C/r¹² + Coulomb, partial charges): oxides of 27 cations";
        /// The Tosi–Fumi model of the alkali halides ([`super::tosi_fumi`]).
        TosiFumi = "tosi-fumi" | "tf", physical: true, module: super::tosi_fumi::family,
            "Tosi–Fumi 1964 Born–Mayer–Huggins model (formal charges): one of Li, Na, K with one of F, Cl, Br, I";
        /// UFF Lennard-Jones + ZBL without charges ([`super::uff_zbl`]): a smoke-test potential.
        Uff = "uff" | "uff-zbl" | "fallback", physical: false, module: super::uff::family,
            "UFF Lennard-Jones + ZBL without charges: a smoke-test potential, not physics (ionic compounds evaporate)";
    }
}

/// The families [`choose_family`] may pick, in order of preference.
pub fn physical_families() -> impl Iterator<Item = Family> {
    Family::ALL.iter().copied().filter(|f| f.is_physical())
}

/// Why a family does not cover a composition.
#[derive(Debug, Clone, PartialEq)]
pub enum Uncovered {
    /// Species pairs without parameters.
    Pairs(Vec<(Element, Element)>),
    /// Every pair has parameters but the fixed charges leave a net charge (e per formula unit
    /// of the composition as given), listed with the charges.
    NetCharge {
        /// The net charge (e).
        net: f64,
        /// The family's charge of each element.
        charges: Vec<(Element, f64)>,
    },
    /// Another requirement of the family (e.g. Pedone needs oxygen).
    Requirement(&'static str),
}

impl fmt::Display for Uncovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Uncovered::Pairs(pairs) => {
                let names: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}–{b}")).collect();
                write!(f, "no parameters for {}", names.join(", "))
            }
            Uncovered::NetCharge { net, charges } => {
                let q: Vec<String> = charges.iter().map(|(e, q)| format!("{e} {q:+}")).collect();
                write!(
                    f,
                    "its fixed charges ({}) leave a net charge of {net:+.3} e",
                    q.join(", ")
                )
            }
            Uncovered::Requirement(why) => f.write_str(why),
        }
    }
}

/// The elements of `composition`, by atomic number.
pub(crate) fn distinct(composition: &Composition) -> Vec<Element> {
    let mut els = composition.elements();
    els.sort();
    els
}

/// The unordered pairs (a ≤ b) of `els` for which `covered` is false.
pub(crate) fn uncovered_pairs(
    els: &[Element],
    covered: impl Fn(Element, Element) -> bool,
) -> Vec<(Element, Element)> {
    let mut out = Vec::new();
    for (i, &a) in els.iter().enumerate() {
        for &b in &els[i..] {
            if !covered(a, b) {
                out.push((a, b));
            }
        }
    }
    out
}

/// Net charge of `composition` under `charge`, or the [`Uncovered::NetCharge`] when it is not
/// zero.
pub(crate) fn neutral(
    composition: &Composition,
    charge: impl Fn(Element) -> f64,
) -> Result<(), Uncovered> {
    let net: f64 = composition.iter().map(|(e, n)| n * charge(e)).sum();
    let scale: f64 = composition.iter().map(|(e, n)| (n * charge(e)).abs()).sum();
    if net.abs() <= 1e-9 * scale.max(1.0) {
        return Ok(());
    }
    Err(Uncovered::NetCharge {
        net,
        charges: distinct(composition)
            .into_iter()
            .map(|e| (e, charge(e)))
            .collect(),
    })
}

impl Family {
    /// `Ok` when the family has parameters for every species pair of `composition` and its
    /// fixed charges make it neutral.
    ///
    /// ```
    /// use amorph_core::Composition;
    /// use amorph_md::potential::{Family, Uncovered};
    /// let c = |f: &str| Composition::parse(f).unwrap();
    /// assert!(Family::Pedone.check(&c("Li2Si2O5")).is_ok());
    /// assert!(Family::TosiFumi.check(&c("LiCl")).is_ok());
    /// // Ni is Ni²⁺ in Pedone's table: LiNiO2 would carry a net charge.
    /// assert!(matches!(Family::Pedone.check(&c("LiNiO2")), Err(Uncovered::NetCharge { .. })));
    /// assert!(matches!(Family::TosiFumi.check(&c("Li3PS4")), Err(Uncovered::Pairs(_))));
    /// ```
    pub fn check(self, composition: &Composition) -> std::result::Result<(), Uncovered> {
        self.covers(composition)
    }

    /// The family's force field for `composition`, with `coulomb` for its charges and, with `zbl`,
    /// the family's ZBL wall (Pedone [`super::PEDONE_ZBL_RADII`], Tosi–Fumi [`super::TF_ZBL_RADII`]; UFF
    /// always has its own). Refuses a composition the family does not cover.
    pub fn build(
        self,
        composition: &Composition,
        coulomb: Coulomb,
        zbl: bool,
    ) -> Result<Box<dyn Calculator>> {
        self.check(composition).map_err(|why| MdError::NotCovered {
            composition: formula(composition),
            reason: format!("{}: {why}", self.name()),
        })?;
        self.build_covered(composition, coulomb, zbl)
    }
}

/// A formula string of `composition` for messages, elements in its order (`Li3PS4`, not
/// `Li3P1S4`: amounts of 1 omitted).
pub(crate) fn formula(composition: &Composition) -> String {
    composition
        .iter()
        .map(|(e, n)| {
            if (n - 1.0).abs() < 1e-12 {
                e.symbol().to_string()
            } else if (n - n.round()).abs() < 1e-9 {
                format!("{e}{}", n.round())
            } else {
                format!("{e}{n}")
            }
        })
        .collect()
}

/// The first physical family ([`physical_families`]) that covers `composition`, or
/// [`MdError::NotCovered`] saying, family by family, why none does.
///
/// ```
/// use amorph_core::Composition;
/// use amorph_md::potential::{choose_family, Family};
/// let c = |f: &str| Composition::parse(f).unwrap();
/// assert_eq!(choose_family(&c("Li2O")).unwrap(), Family::Pedone);
/// assert_eq!(choose_family(&c("LiF")).unwrap(), Family::TosiFumi);
/// let err = choose_family(&c("Li3PS4")).unwrap_err().to_string();
/// assert!(err.contains("Li3PS4") && err.contains("Li–S") && err.contains("i-PI"), "{err}");
/// ```
pub fn choose_family(composition: &Composition) -> Result<Family> {
    let mut reasons = Vec::new();
    for family in physical_families() {
        match family.check(composition) {
            Ok(()) => return Ok(family),
            Err(why) => reasons.push(format!("{}: {why}", family.name())),
        }
    }
    Err(MdError::NotCovered {
        composition: formula(composition),
        reason: reasons.join("; "),
    })
}

/// A built-in potential by name: a [`Family`] (or `auto`, the family [`choose_family`]
/// picks) and whether to add the family's ZBL wall.
///
/// Names: `auto`, `auto-zbl` (the workflow's default), `pedone` (alias `pmmcs`),
/// `pedone-zbl`, `tosi-fumi` (alias `tf`), `tosi-fumi-zbl`, `uff` (aliases `uff-zbl`,
/// `fallback`; always with its ZBL). Serialised as that name.
///
/// ```
/// use amorph_core::Composition;
/// use amorph_md::potential::{Coulomb, PotentialSpec};
/// let spec: PotentialSpec = "auto-zbl".parse().unwrap();
/// assert_eq!(spec.to_string(), "auto-zbl");
/// let nacl = Composition::parse("NaCl").unwrap();
/// let calc = spec.build(&nacl, Coulomb::dsf(0.2, 10.0).unwrap()).unwrap();
/// assert_eq!(calc.name(), "tosi-fumi");
/// assert!("lennard-jones".parse::<PotentialSpec>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PotentialSpec {
    /// The family, or `None` for the automatic choice.
    pub family: Option<Family>,
    /// Add the family's ZBL wall (always on for UFF).
    pub zbl: bool,
}

/// The names [`PotentialSpec`] parses, for messages.
pub const POTENTIAL_NAMES: &str =
    "auto, auto-zbl, pedone, pedone-zbl, tosi-fumi, tosi-fumi-zbl, uff";

impl PotentialSpec {
    /// The workflow's default, `auto-zbl`.
    pub const AUTO_ZBL: PotentialSpec = PotentialSpec {
        family: None,
        zbl: true,
    };

    /// The family this spec uses for `composition` (checking that it covers it).
    pub fn resolve(&self, composition: &Composition) -> Result<Family> {
        match self.family {
            None => choose_family(composition),
            Some(f) => {
                f.check(composition).map_err(|why| MdError::NotCovered {
                    composition: formula(composition),
                    reason: format!("{}: {why}", f.name()),
                })?;
                Ok(f)
            }
        }
    }

    /// The calculator of this spec for `composition`; `coulomb` applies to the charged
    /// families.
    pub fn build(
        &self,
        composition: &Composition,
        coulomb: Coulomb,
    ) -> Result<Box<dyn Calculator>> {
        self.resolve(composition)?
            .build(composition, coulomb, self.zbl)
    }
}

impl fmt::Display for PotentialSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = self.family.map_or("auto", Family::name);
        match (self.family, self.zbl) {
            (Some(Family::Uff), _) | (_, false) => f.write_str(base),
            (_, true) => write!(f, "{base}-zbl"),
        }
    }
}

impl FromStr for PotentialSpec {
    type Err = MdError;
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.to_ascii_lowercase();
        let unknown = || MdError::UnknownPotential(format!("{s} (known: {POTENTIAL_NAMES})"));
        let (family, zbl) = match lower.as_str() {
            "auto" => (None, false),
            "auto-zbl" => (None, true),
            name => match Family::from_name(name) {
                Some(f) => (Some(f), false),
                None => {
                    let base = name.strip_suffix("-zbl").ok_or_else(unknown)?;
                    (Some(Family::from_name(base).ok_or_else(unknown)?), true)
                }
            },
        };
        // UFF always carries its ZBL wall.
        let zbl = zbl || family == Some(Family::Uff);
        Ok(PotentialSpec { family, zbl })
    }
}

impl TryFrom<String> for PotentialSpec {
    type Error = MdError;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<PotentialSpec> for String {
    fn from(p: PotentialSpec) -> String {
        p.to_string()
    }
}

/// Whether a potential covers one composition, as `amorph potential` reports it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Coverage {
    /// The formula as given.
    pub formula: String,
    /// Whether the potential covers it.
    pub covered: bool,
    /// The family used (covered compositions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<&'static str>,
    /// Whether that family is physical (covered compositions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical: Option<bool>,
    /// Why it is not covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The family's description (text only).
    #[serde(skip)]
    pub description: Option<&'static str>,
}

impl PotentialSpec {
    /// Whether this spec covers `composition` (written `formula`), and with which family.
    pub fn coverage(&self, formula: &str, composition: &Composition) -> Coverage {
        let (family, reason) = match self.resolve(composition) {
            Ok(f) => (Some(f), None),
            Err(e) => (None, Some(e.to_string())),
        };
        Coverage {
            formula: formula.to_string(),
            covered: family.is_some(),
            family: family.map(Family::name),
            physical: family.map(Family::is_physical),
            reason,
            description: family.map(Family::description),
        }
    }
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.family, &self.reason) {
            (Some(family), _) => write!(
                f,
                "{}: {family} — {}",
                self.formula,
                self.description.unwrap_or_default()
            ),
            (None, reason) => write!(
                f,
                "{}: not covered — {}",
                self.formula,
                reason.as_deref().unwrap_or_default()
            ),
        }
    }
}

/// The coverage of several compositions by one potential, as `amorph potential` reports it:
/// one line per composition, then the built-in physical potentials.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoverageReport {
    /// The potential asked about.
    pub potential: PotentialSpec,
    /// One entry per composition.
    pub compositions: Vec<Coverage>,
}

impl std::fmt::Display for CoverageReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.compositions {
            writeln!(f, "{c}")?;
        }
        let names: Vec<&str> = physical_families().map(Family::name).collect();
        write!(f, "built-in physical potentials: {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_of_the_table_parses_by_its_names() {
        let mut names = vec!["auto".to_string(), "auto-zbl".to_string()];
        for &family in Family::ALL {
            assert_eq!(Family::from_name(family.name()), Some(family));
            let plain: PotentialSpec = family.name().parse().unwrap();
            assert_eq!(plain.family, Some(family));
            names.push(plain.to_string());
            let walled: PotentialSpec = format!("{}-zbl", family.name()).parse().unwrap();
            assert!(walled.zbl);
            if walled.to_string() != plain.to_string() {
                names.push(walled.to_string());
            }
        }
        // The message's list is the table's.
        assert_eq!(names.join(", "), POTENTIAL_NAMES);
        assert_eq!(
            physical_families().collect::<Vec<_>>(),
            [Family::Pedone, Family::TosiFumi]
        );
        for bad in ["lennard-jones", "-zbl", "auto-zbl-zbl", "pedone-zbl-zbl"] {
            assert!(bad.parse::<PotentialSpec>().is_err(), "{bad}");
        }
    }

    fn comp(f: &str) -> Composition {
        Composition::parse(f).unwrap()
    }

    #[test]
    fn coverage_of_typical_compositions() {
        for f in [
            "Li2O", "Li2Si2O5", "LiAlO2", "Li4P2O7", "Li2GeO3", "LiAlSiO4",
        ] {
            assert_eq!(choose_family(&comp(f)).unwrap(), Family::Pedone, "{f}");
        }
        for f in ["LiF", "LiCl", "LiBr", "LiI", "NaCl", "KF", "KI"] {
            assert_eq!(choose_family(&comp(f)).unwrap(), Family::TosiFumi, "{f}");
        }
        for (f, needle) in [
            ("Li3PS4", "pedone: no parameters for Li–S, P–S, S–S"),
            ("LiNiO2", "net charge of -0.600 e"),
            ("Li2Si", "pedone: no oxygen"),
            ("LiNaCl2", "tosi-fumi: no parameters for Li–Na"),
            ("Li3OCl", "O–Cl"),
            ("RbCl", "Cl–Rb"),
            (
                "Li2F",
                "tosi-fumi: its fixed charges (Li +1, F -1) leave a net charge of +1.000 e",
            ),
        ] {
            let e = choose_family(&comp(f)).unwrap_err().to_string();
            assert!(e.contains(needle), "{f}: {e}");
            assert!(e.contains("i-PI") && !e.contains('\n'), "{f}: {e}");
        }
    }

    #[test]
    fn names_round_trip() {
        for name in POTENTIAL_NAMES.split(", ") {
            let spec: PotentialSpec = name.parse().unwrap();
            assert_eq!(spec.to_string(), name);
            let json = serde_json::to_string(&spec).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<PotentialSpec>(&json).unwrap(), spec);
        }
        assert_eq!(
            "uff-zbl".parse::<PotentialSpec>().unwrap().to_string(),
            "uff"
        );
        assert!(serde_json::from_str::<PotentialSpec>("\"lj\"").is_err());
    }

    #[test]
    fn explicit_families_refuse_what_they_do_not_cover() {
        let dsf = Coulomb::dsf(0.2, 10.0).unwrap();
        let pedone: PotentialSpec = "pedone".parse().unwrap();
        let e = pedone.build(&comp("LiCl"), dsf).err().unwrap().to_string();
        assert!(e.contains("pedone: no parameters for Li–Cl, Cl–Cl"), "{e}");
        let uff: PotentialSpec = "uff".parse().unwrap();
        assert_eq!(uff.build(&comp("LiCl"), dsf).unwrap().name(), "uff-zbl");
    }
}
