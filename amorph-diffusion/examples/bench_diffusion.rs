//! Benchmark binary: the amorph side of `scripts/fixtures/bench_diffusion.py`.
//!
//! `cargo run --release -p amorph-diffusion --example bench_diffusion -- FILE.npy [N_LAGS]`
//! reads cumulative displacements `(n_atoms, n_frames, 3)` (float64 .npy; first half Li, second
//! half S, cubic cell of 12 Å³ per atom), runs the pymatgen-compatible analysis
//! (smoothed = max, 600 K, 2 fs per frame) and, separately, the GLS fit on `N_LAGS` (default
//! 200) evenly spaced lags from 1 ps, and prints one JSON line with D and the seconds of each.
//! `N_LAGS = 0` skips the GLS fit (the whole process is then comparable to pymatgen's).

use amorph_core::Element;
use amorph_diffusion::{DiffusionSettings, Displacements, GlsSettings, analyze};
use std::time::Instant;

fn read_npy(path: &str) -> (usize, usize, Vec<[f64; 3]>) {
    use std::io::Read;
    let mut file = std::io::BufReader::new(std::fs::File::open(path).expect("readable .npy"));
    let mut pre = [0u8; 12];
    file.read_exact(&mut pre[..10]).expect("an .npy header");
    assert_eq!(&pre[..6], b"\x93NUMPY", "not an .npy file");
    let hlen = if pre[6] == 1 {
        u16::from_le_bytes([pre[8], pre[9]]) as usize
    } else {
        file.read_exact(&mut pre[10..12]).expect("an .npy header");
        u32::from_le_bytes([pre[8], pre[9], pre[10], pre[11]]) as usize
    };
    let mut header = vec![0u8; hlen];
    file.read_exact(&mut header).expect("an .npy header");
    let header = String::from_utf8(header).unwrap();
    assert!(
        header.contains("'<f8'") && header.contains("'fortran_order': False"),
        "{header}"
    );
    let shape = &header[header.find("'shape': (").unwrap() + 10..];
    let dims: Vec<usize> = shape[..shape.find(')').unwrap()]
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let (n, f) = (dims[0], dims[1]);
    // Stream the payload through a small buffer straight into the vectors.
    let mut data: Vec<[f64; 3]> = Vec::with_capacity(n * f);
    let mut buf = vec![0u8; 24 * 65536];
    let mut left = n * f;
    while left > 0 {
        let m = left.min(65536);
        file.read_exact(&mut buf[..24 * m])
            .expect("the .npy payload");
        data.extend(buf[..24 * m].chunks_exact(24).map(|c| {
            let x = |k: usize| f64::from_le_bytes(c[8 * k..8 * k + 8].try_into().unwrap());
            [x(0), x(1), x(2)]
        }));
        left -= m;
    }
    (n, f, data)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: bench_diffusion FILE.npy [N_LAGS]");
    let n_lags: usize = args.get(2).map_or(200, |s| s.parse().unwrap());
    let t0 = Instant::now();
    let (n, f, data) = read_npy(path);
    let li = Element::from_symbol("Li").unwrap();
    let s_el = Element::from_symbol("S").unwrap();
    let species: Vec<Element> = (0..n).map(|i| if i < n / 2 { li } else { s_el }).collect();
    let disp = Displacements::from_cumulative(species, 12.0 * n as f64, f, data).unwrap();
    let load = t0.elapsed().as_secs_f64();
    let mut s = DiffusionSettings::new(li, 600.0, 2.0);
    s.gls = None;
    let t1 = Instant::now();
    let r = analyze(&disp, &s).unwrap();
    let pm = t1.elapsed().as_secs_f64();
    if n_lags == 0 {
        // pymatgen-compatible analysis only (for whole-process timings against pymatgen).
        println!(
            "{{\"n_atoms\": {n}, \"n_frames\": {f}, \"threads\": {}, \"diffusivity_cm2_s\": {:e}, \"conductivity_mS_cm\": {}, \"haven_ratio\": {}, \"seconds_load\": {load:.4}, \"seconds_pymatgen_compatible\": {pm:.4}}}",
            rayon::current_num_threads(),
            r.diffusivity_cm2_s,
            r.conductivity_ms_cm,
            r.haven_ratio,
        );
        return;
    }
    s.gls = Some(GlsSettings {
        max_lags: n_lags,
        ..GlsSettings::default()
    });
    let t2 = Instant::now();
    let r2 = analyze(&disp, &s).unwrap();
    let both = t2.elapsed().as_secs_f64();
    let g = r2.gls.unwrap();
    println!(
        "{{\"n_atoms\": {n}, \"n_frames\": {f}, \"threads\": {}, \"diffusivity_cm2_s\": {:e}, \"conductivity_mS_cm\": {}, \"haven_ratio\": {}, \"gls_diffusivity_cm2_s\": {:e}, \"gls_std_cm2_s\": {:e}, \"gls_n_lags\": {}, \"seconds_load\": {load:.4}, \"seconds_pymatgen_compatible\": {pm:.4}, \"seconds_gls_only\": {:.4}}}",
        rayon::current_num_threads(),
        r.diffusivity_cm2_s,
        r.conductivity_ms_cm,
        r.haven_ratio,
        g.diffusivity_cm2_s,
        g.std_cm2_s,
        g.statistics.lags.len(),
        (both - pm).max(0.0),
    );
}
