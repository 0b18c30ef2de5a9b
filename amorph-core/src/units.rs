//! Units and physical constants: the one place where amorph converts between unit systems.
//!
//! Inside the library everything is in **eV, Å, fs, amu, K and e** (elementary charges).
//! Conversions happen only at the edges (i-PI atomic units, VASP kBar, LAMMPS bar, D in cm²/s).
//! Values are CODATA 2018 except where a peer's own convention is needed at an edge
//! ([`ASE_TIME_UNIT_IN_FS`] follows ASE 3.29, which uses CODATA 2014). The 2014/2018
//! differences are below 1e-7 relative.

/// Boltzmann constant, eV/K.
pub const KB_EV: f64 = 8.617_333_262e-5;
/// Avogadro constant, 1/mol.
pub const AVOGADRO: f64 = 6.022_140_76e23;
/// Elementary charge, C.
pub const ELEMENTARY_CHARGE_C: f64 = 1.602_176_634e-19;
/// Boltzmann constant, J/K.
pub const KB_J: f64 = 1.380_649e-23;
/// Coulomb constant e²/(4πε₀) in eV·Å (LAMMPS `units metal` qqr2e = 14.399645).
pub const COULOMB_EV_ANGSTROM: f64 = 14.399_645;
/// Kinetic-energy factor: 1 amu·Å²/fs² expressed in eV (m v² with v in Å/fs gives eV after ×).
pub const AMU_A2_PER_FS2_IN_EV: f64 = 103.642_696_526_805_05;
/// 1 eV/Å³ in bar (LAMMPS `units metal` nktv2p = 1.6021765e6).
pub const EV_PER_A3_IN_BAR: f64 = 1.602_176_634e6;
/// 1 eV/Å³ in GPa.
pub const EV_PER_A3_IN_GPA: f64 = 160.217_663_4;
/// 1 kbar (VASP's pressure unit) in bar.
pub const KBAR_IN_BAR: f64 = 1000.0;
/// 1 amu in grams.
pub const AMU_IN_G: f64 = 1.660_539_066_60e-24;
/// 1 Å³ in cm³.
pub const A3_IN_CM3: f64 = 1e-24;
/// 1 Å²/fs in cm²/s (D conversion).
pub const A2_PER_FS_IN_CM2_PER_S: f64 = 0.1;
/// ASE's time unit in fs: 1 fs = 0.0982269… ASE units, so 1 ASE unit = 10.1805… fs.
pub const ASE_TIME_UNIT_IN_FS: f64 = 10.180_505_671_156_725;
/// Bohr radius in Å (i-PI atomic units).
pub const BOHR_IN_ANGSTROM: f64 = 0.529_177_210_903;
/// Hartree in eV (i-PI atomic units).
pub const HARTREE_IN_EV: f64 = 27.211_386_245_988;

/// Density in g/cm³ of `mass_amu` atomic mass units in `volume_a3` cubic ångström.
pub fn density_g_cm3(mass_amu: f64, volume_a3: f64) -> f64 {
    mass_amu * AMU_IN_G / (volume_a3 * A3_IN_CM3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinetic_factor_matches_si() {
        // 1 amu Å²/fs² = 1.66053906660e-27 kg · 1e-20 m² / 1e-30 s² = 1.6605e-17 J.
        let joule = 1.660_539_066_60e-27 * 1e-20 / 1e-30;
        let ev = joule / ELEMENTARY_CHARGE_C;
        assert!((ev / AMU_A2_PER_FS2_IN_EV - 1.0).abs() < 1e-9, "{ev}");
    }

    #[test]
    fn ase_time_unit() {
        // ASE (CODATA 2014): 1 ASE time = 1e-10 * sqrt(amu/e) s.
        let t = 1e-10 * (1.660_539_040e-27_f64 / 1.602_176_620_8e-19).sqrt() / 1e-15;
        assert!((t / ASE_TIME_UNIT_IN_FS - 1.0).abs() < 1e-9, "{t}");
    }

    #[test]
    fn pressure_factors_agree() {
        assert!((EV_PER_A3_IN_BAR / 1e4 - EV_PER_A3_IN_GPA).abs() < 1e-6);
    }
}
