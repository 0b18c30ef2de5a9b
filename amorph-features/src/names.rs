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
