//! Li diffusivity from a VASP XDATCAR: the argyrodite Li6PS5Cl AIMD run at 500 K shipped in
//! `../shared/data/diffusion/` (2 fs steps, every 50th written), or any XDATCAR given as
//! `cargo run --example diffusion_xdatcar -- --xdatcar PATH --temperature K --frame-fs FS`.
//! Also run by `cargo test`, which passes its own arguments: anything but those is ignored.

use amorph_core::{Element, io};
use amorph_diffusion::{DiffusionSettings, Displacements, analyze};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| {
        let i = args.iter().position(|a| a == name)?;
        args.get(i + 1).cloned()
    };
    let path = option("--xdatcar").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz"
        ))
    });
    let temperature_k: f64 = option("--temperature")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(500.0);
    let frame_fs: f64 = option("--frame-fs")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(2.0 * 50.0);
    let traj =
        io::read_trajectory(&path, frame_fs).map_err(|e| format!("{}: {e}", path.display()))?;
    let disp = Displacements::from_trajectory(&traj)?;
    let settings = DiffusionSettings::new(Element::from_symbol("Li")?, temperature_k, frame_fs);
    let r = analyze(&disp, &settings)?;
    println!(
        "{}: {} Li of {} atoms, {} frames at {temperature_k} K: D = {:.4e} cm²/s ± {:.1e}",
        path.display(),
        r.n_diffusing,
        disp.n_atoms(),
        r.n_frames,
        r.diffusivity_cm2_s,
        r.diffusivity_std_cm2_s
    );
    Ok(())
}
