//! Bad input to the MD engine gives typed errors naming the input.

mod dynamics_common;

use amorph_md::MdError;
use amorph_md::dynamics::{
    Berendsen, Csvr, Langevin, Md, MdConfig, NoseHooverChain, VelocityRescale,
};
use dynamics_common::{Free, Lj, NanAfter, argon_fcc};
use nalgebra::Vector3;

#[test]
fn non_positive_or_non_finite_time_step() {
    for dt in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = Md::new(argon_fcc(1, 5.3), Box::new(Lj::argon()), MdConfig::new(dt)).unwrap_err();
        match &err {
            MdError::InvalidParameter { name, .. } => assert_eq!(name, "timestep"),
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("timestep"), "{err}");
    }
}

#[test]
fn nan_from_the_calculator_stops_the_run_at_that_step() {
    let s = argon_fcc(1, 5.3);
    // Initial forces fine, then NaN on the 4th call = step 3.
    let mut md = Md::new(
        s,
        Box::new(NanAfter { after: 3, calls: 0 }),
        MdConfig::new(1.0),
    )
    .unwrap();
    let err = md.run(10).unwrap_err();
    match &err {
        MdError::CalculatorFailed { step, source } => {
            assert_eq!(*step, 3);
            assert!(
                source
                    .to_string()
                    .contains("non-finite force on atom 1 (Ar)"),
                "{source}"
            );
        }
        other => panic!("{other}"),
    }
    let err = Md::new(
        argon_fcc(1, 5.3),
        Box::new(NanAfter { after: 0, calls: 0 }),
        MdConfig::new(1.0),
    )
    .unwrap_err();
    assert!(
        matches!(err, MdError::CalculatorFailed { step: 0, .. }),
        "{err}"
    );
}

#[test]
fn bad_thermostat_parameters() {
    assert!(Csvr::new(-1.0, 100.0, 0).is_err());
    assert!(Csvr::new(300.0, 0.0, 0).is_err());
    assert!(Langevin::new(300.0, -5.0, 0).is_err());
    assert!(Langevin::new(f64::NAN, 5.0, 0).is_err());
    assert!(Berendsen::new(300.0, f64::INFINITY).is_err());
    assert!(VelocityRescale::new(300.0, 1.0, 0).is_err());
    assert!(NoseHooverChain::new(0.0, 100.0).is_err());
    assert!(NoseHooverChain::with_options(300.0, 100.0, 0, 1, 3).is_err());
    assert!(NoseHooverChain::with_options(300.0, 100.0, 3, 1, 2).is_err());
    let err = NoseHooverChain::new(300.0, f64::NAN).unwrap_err();
    assert!(err.to_string().contains("nhc tau"), "{err}");
}

#[test]
fn cold_system_cannot_be_rescaled() {
    // CSVR (and Berendsen) scale velocities; from zero velocities they cannot heat.
    let md = Md::new(argon_fcc(1, 5.3), Box::new(Free), MdConfig::new(1.0))
        .unwrap()
        .with_thermostat(Box::new(Csvr::new(300.0, 100.0, 1).unwrap()))
        .unwrap();
    let mut md = md;
    let err = md.run(1).unwrap_err();
    assert!(matches!(err, MdError::Thermostat { .. }), "{err}");
    assert!(err.to_string().contains("Maxwell"), "{err}");
    // Langevin can: it heats from rest.
    let mut md = Md::new(argon_fcc(1, 5.3), Box::new(Free), MdConfig::new(1.0))
        .unwrap()
        .with_thermostat(Box::new(Langevin::new(300.0, 10.0, 1).unwrap()))
        .unwrap();
    md.run(200).unwrap();
    assert!(md.temperature() > 100.0);
}

#[test]
fn wrong_velocities_and_single_atom_nhc() {
    let md = Md::new(argon_fcc(1, 5.3), Box::new(Free), MdConfig::new(1.0)).unwrap();
    assert!(md.with_velocities(vec![Vector3::zeros(); 3]).is_err());
    let md = Md::new(argon_fcc(1, 5.3), Box::new(Free), MdConfig::new(1.0)).unwrap();
    assert!(
        md.with_velocities(vec![Vector3::new(f64::NAN, 0.0, 0.0); 4])
            .is_err()
    );
    // One atom with momentum removed has no degrees of freedom: NHC refuses it.
    let one = amorph_core::Structure::new(
        amorph_core::Lattice::cubic(5.0).unwrap(),
        vec![amorph_core::Element::from_symbol("Ar").unwrap()],
        vec![Vector3::zeros()],
    )
    .unwrap();
    let err = Md::new(one, Box::new(Free), MdConfig::new(1.0))
        .unwrap()
        .with_thermostat(Box::new(NoseHooverChain::new(300.0, 100.0).unwrap()))
        .unwrap_err();
    assert!(err.to_string().contains("degrees of freedom"), "{err}");
}
