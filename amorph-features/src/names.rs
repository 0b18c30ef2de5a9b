//! Column names, exactly as in the paper's `feature_target.dat`.

/// The 21 structural columns in the order of `feature_target.dat`.
pub const STRUCTURE_COLUMNS: [&str; 21] = [
    "AAV", "LBI", "SDLI", "SBI", "ENS", "RBI", "AFC", "AASD", "VPA", "LASD", "LLSD", "LNC", "SDLC",
    "LLB", "SNC", "RNC", "PF", "SPF", "SLPW", "SLPW_pp", "SLPE",
];

/// The 21 compositional columns in the order of `feature_target.dat`.
pub const COMPOSITION_COLUMNS: [&str; 21] = [
    "Li_percentage",
    "avg_B_with_Li",
    "avg_B_wiout_Li",
    "avg_G_with_Li",
    "avg_G_wiout_Li",
    "avg_Ecoh_with_Li",
    "avg_Echo_wiout_Li",
    "BR5_M_with_Li",
    "BR5_M_without_Li",
    "GR5_M_with_Li",
    "GR5_M_without_Li",
    "ER2_m_with_Li",
    "ER2_m_without_Li",
    "atomic_radius_avg",
    "atomic_radius_avg_exclude_Li",
    "ratio_r_without_Li_with",
    "avg_m_with_Li",
    "avg_m_wiout_Li",
    "avg_X_with_Li",
    "avg_X_wiout_Li",
    "avg_diff_of_X_Li_rest",
];

/// Table 1's `density` (g/cm³); not a column of `feature_target.dat`, so it comes last.
pub const DENSITY: &str = "density";

/// All 43 columns: the 42 of `feature_target.dat` in its order, then `density`.
pub fn all_columns() -> Vec<&'static str> {
    STRUCTURE_COLUMNS
        .iter()
        .chain(COMPOSITION_COLUMNS.iter())
        .copied()
        .chain(std::iter::once(DENSITY))
        .collect()
}

/// One row of the paper's Table 1: a feature and its published Pearson r with D.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PaperCorrelation {
    /// The column name, as in `feature_target.dat`.
    pub column: &'static str,
    /// The paper's description of the feature.
    pub description: &'static str,
    /// The published Pearson r with D (5000 K AIMD database).
    pub r: f64,
}

/// The published Pearson r of Table 1 (5000 K AIMD), keyed by the column names above, most
/// negative first, then the positive ones.
pub const TABLE1_CORRELATIONS: [PaperCorrelation; 40] = [
    row("avg_Ecoh_with_Li", "weighted cohesive energy", -0.81),
    row("SPF", "set-of-non-Li-atoms packing fraction", -0.76),
    row("LNC", "Li neighbor count", -0.64),
    row("avg_B_with_Li", "weighted bulk modulus", -0.64),
    row("avg_X_with_Li", "weighted electronegativity", -0.64),
    row("SNC", "set-of-non-Li-atoms neighbor count", -0.63),
    row("LBI", "Li bond ionicity", -0.61),
    row("AFC", "anion framework coordination", -0.54),
    row(
        "avg_Echo_wiout_Li",
        "weighted cohesive energy exclude Li",
        -0.53,
    ),
    row("SLPE", "straight-line path electronegativity", -0.51),
    row("PF", "packing fraction", -0.46),
    row("SDLI", "std of Li bond ionicity", -0.34),
    row("avg_m_with_Li", "weighted atomic mass", -0.32),
    row("avg_G_with_Li", "weighted shear modulus", -0.29),
    row("ENS", "electronegativity of set-of-non-Li-atoms", -0.29),
    row(
        "avg_X_wiout_Li",
        "weighted electronegativity exclude Li",
        -0.29,
    ),
    row("avg_B_wiout_Li", "weighted bulk modulus exclude Li", -0.28),
    row("LLSD", "Li-Li separation distance", -0.27),
    row("RBI", "ratio of LBI and SBI", -0.24),
    row("avg_G_wiout_Li", "weighted shear modulus exclude Li", -0.10),
    row("SDLC", "std of Li neighbor count", -0.08),
    row(
        "ratio_r_without_Li_with",
        "ratio of radius without/with Li",
        -0.04,
    ),
    row("BR5_M_without_Li", "R²·√(B·R/m) exclude Li", -0.01),
    row("Li_percentage", "Li percentage", 0.77),
    row("SLPW_pp", "straight-line path width (point-to-point)", 0.59),
    row("AAV", "average atomic volume", 0.58),
    row("atomic_radius_avg", "weighted atomic radius", 0.56),
    row(
        "avg_diff_of_X_Li_rest",
        "electronegativity difference",
        0.54,
    ),
    row("LLB", "Li-Li bonds per Li", 0.49),
    row("LASD", "Li-anion separation distance", 0.49),
    row("SLPW", "straight-line path width", 0.48),
    row("VPA", "volume per anion", 0.44),
    row("AASD", "anion-anion separation distance", 0.36),
    row(
        "atomic_radius_avg_exclude_Li",
        "weighted atomic radius exclude Li",
        0.35,
    ),
    row("ER2_m_with_Li", "√(E_coh·R²/m)", 0.29),
    row("SBI", "set-of-non-Li-atoms bond ionicity", 0.26),
    row("avg_m_wiout_Li", "average mass exclude Li", 0.21),
    row("BR5_M_with_Li", "R²·√(B·R/m)", 0.18),
    row("GR5_M_with_Li", "R²·√(G·R/m)", 0.06),
    row("RNC", "ratio of LNC and SNC", 0.01),
];

/// A row of [`TABLE1_CORRELATIONS`].
const fn row(column: &'static str, description: &'static str, r: f64) -> PaperCorrelation {
    PaperCorrelation {
        column,
        description,
        r,
    }
}

/// The Table 1 row of a column, if the paper lists it.
///
/// ```
/// let li = amorph_features::names::table1_correlation("Li_percentage").unwrap();
/// assert_eq!((li.description, li.r), ("Li percentage", 0.77));
/// assert!(amorph_features::names::table1_correlation("formula").is_none());
/// ```
pub fn table1_correlation(column: &str) -> Option<&'static PaperCorrelation> {
    TABLE1_CORRELATIONS.iter().find(|p| p.column == column)
}
