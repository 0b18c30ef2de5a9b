//! `amorph plot`: every kind writes a well-formed SVG and a PNG (right size, not blank), `--json`
//! is one JSON object, and bad input prints one error line naming it. Also the figures that
//! `amorph report` adds (periodic-table heatmaps, random-forest importances).
//!
//! Real data read in place (not copied): the paper's table
//! `../shared/data/paper_ml/feature_target.dat` and the Li6PS5Cl 500 K AIMD XDATCAR
//! `../shared/data/diffusion/Li6PS5Cl_500K_XDATCAR.gz` (2 fs × 50 steps per frame; the shared
//! data README gives pymatgen's D_Li ≈ 1.333e-5 cm²/s for it).

mod common;

use common::*;

use resvg::tiny_skia::Pixmap;
use serde_json::Value;
use std::path::Path;

/// Frame timing of the XDATCAR.
const FRAMES: [&str; 4] = ["--time-step", "2", "--step-skip", "50"];

/// Reads an SVG written by `amorph plot`, checks it is one `<svg>` document holding every
/// `text`, and returns its (width, height) attributes.
fn check_svg(path: &Path, texts: &[&str]) -> (u32, u32) {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(svg.trim_start().starts_with("<svg"), "{}", path.display());
    assert!(svg.trim_end().ends_with("</svg>"), "{}", path.display());
    for t in texts {
        assert!(svg.contains(t), "{} lacks {t:?}", path.display());
    }
    let attr = |name: &str| -> u32 {
        let i = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        svg[i..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("width"), attr("height"))
}

/// Checks a PNG: signature, IHDR size = `size` (and = the JSON's), decodes, and is not blank
/// (several colours, a fair share of non-white pixels).
fn check_png(path: &Path, json: &Value, size: (u32, u32)) {
    let png = std::fs::read(path).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert_eq!(&png[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    let (w, h) = (be(16), be(20));
    assert_eq!((w, h), size, "{}", path.display());
    assert_eq!(json["format"], "png");
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(w as u64), Some(h as u64))
    );
    assert_eq!(json["bytes"].as_u64(), Some(png.len() as u64));
    let pix = Pixmap::decode_png(&png).unwrap();
    let px = pix.pixels();
    let mut colours: Vec<[u8; 4]> = px
        .iter()
        .map(|p| [p.red(), p.green(), p.blue(), p.alpha()])
        .collect();
    let non_white = colours.iter().filter(|c| c[..3] != [255, 255, 255]).count();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 10,
        "{}: {} colours",
        path.display(),
        colours.len()
    );
    let frac = non_white as f64 / px.len() as f64;
    assert!(
        frac > 0.01 && frac < 0.95,
        "{}: {frac} non-white",
        path.display()
    );
}

/// Plots `kind` to SVG and PNG with the same arguments; checks both and returns the PNG's JSON.
fn svg_and_png(kind: &str, args: &[&str], texts: &[&str], dir: &Path) -> Value {
    let run = |out: &str| {
        let mut a = vec!["plot", kind];
        a.extend_from_slice(args);
        a.extend_from_slice(&["-o", out]);
        json_ok(&a, dir)
    };
    let (svg_name, png_name) = (format!("{kind}.svg"), format!("{kind}.png"));
    let v = run(&svg_name);
    assert_eq!(v["format"], "svg");
    assert_eq!(v["kind"], kind);
    let (w, h) = check_svg(&dir.join(&svg_name), texts);
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(w as u64), Some(h as u64))
    );
    let p = run(&png_name);
    // PNGs are the SVG at twice the size.
    check_png(&dir.join(&png_name), &p, (2 * w, 2 * h));
    assert_eq!(p["summary"], v["summary"]);
    p
}

#[test]
fn msd_of_the_argyrodite_xdatcar() {
    let d = tmp("msd");
    let mut args = vec![XDATCAR];
    args.extend_from_slice(&FRAMES);
    let v = svg_and_png(
        "msd",
        &args,
        &["lag time t (ps)", "MSD of Li", "fitted window", "fit: D ="],
        &d,
    );
    // The same pymatgen-compatible D as `amorph diffusion` (shared README: ≈ 1.333e-5 cm²/s).
    let dplot = v["diffusivity_cm2_s"].as_f64().unwrap();
    assert!((dplot - 1.333e-5).abs() < 0.02e-5, "{v}");
    let mut dargs = vec!["diffusion", XDATCAR, "--temperature", "500", "--no-gls"];
    dargs.extend_from_slice(&FRAMES);
    let dv = json_ok(&dargs, &d);
    assert_eq!(dv["diffusivity_cm2_s"].as_f64(), Some(dplot));
    // The fitted window starts at the default 1000 fs shortest lag and lies inside the run.
    let w = v["fit_window_fs"].as_array().unwrap();
    let (w0, w1) = (w[0].as_f64().unwrap(), w[1].as_f64().unwrap());
    assert!(
        (1000.0..1100.0).contains(&w0) && w1 > w0 && w1 <= 140.0 * 100.0,
        "{v}"
    );
    // A positive slope consistent with D = slope / 6 (Å²/fs → cm²/s: × 0.1).
    let slope = v["slope_a2_per_fs"].as_f64().unwrap();
    assert!((slope * 0.1 / 6.0 - dplot).abs() < 1e-3 * dplot, "{v}");
}

#[test]
fn rdf_and_rdf_compare() {
    let d = tmp("rdf");
    let v = svg_and_png(
        "rdf",
        &[XDATCAR, "--every", "35"],
        &["g(r)", "r (Å)", "Li-S", "P-S"],
        &d,
    );
    assert_eq!(v["pairs"].as_array().unwrap().len(), 10, "{v}");
    // A random packing of the same composition has a different structure: R² < 1 per pair.
    json_ok(
        &[
            "pack",
            "Li6PS5Cl",
            "-o",
            "packed.xyz",
            "--atoms",
            "52",
            "--seed",
            "3",
        ],
        &d,
    );
    let v = svg_and_png(
        "rdf-compare",
        &[
            XDATCAR,
            "packed.xyz",
            "--every",
            "35",
            "--pairs",
            "Li-S,P-S",
        ],
        &["(solid) vs", "(dashed)", "Li-S R² =", "P-S R² ="],
        &d,
    );
    let per = v["per_pair"].as_object().unwrap();
    assert_eq!(per.len(), 2, "{v}");
    for r2 in per.values() {
        assert!(r2.as_f64().unwrap() < 0.999, "{v}");
    }
    // The same file against itself agrees exactly.
    let v = json_ok(
        &[
            "plot",
            "rdf-compare",
            XDATCAR,
            XDATCAR,
            "--every",
            "35",
            "-o",
            "self.svg",
        ],
        &d,
    );
    assert!((v["r2"].as_f64().unwrap() - 1.0).abs() < 1e-12, "{v}");
}

#[test]
fn importances_from_a_table_and_from_a_saved_model() {
    let d = tmp("importance");
    let v = svg_and_png(
        "importance",
        &["--table", PAPER, "--trees", "20", "--top", "12"],
        &["importance", "random forest on feature_target.dat"],
        &d,
    );
    let imp = v["importances"].as_array().unwrap();
    assert_eq!(imp.len(), 12, "{v}");
    let vals: Vec<f64> = imp.iter().map(|p| p[1].as_f64().unwrap()).collect();
    assert!(vals.windows(2).all(|w| w[0] >= w[1]), "sorted: {vals:?}");
    assert!(vals.iter().sum::<f64>() <= 1.0 + 1e-9 && vals[0] > 0.0);
    assert!(v["test_r2"].as_f64().unwrap() > 0.5, "{v}");
    // Bars are labelled with the feature names.
    let svg = std::fs::read_to_string(d.join("importance.svg")).unwrap();
    let first = imp[0][0].as_str().unwrap();
    assert!(svg.contains(first), "{first}");

    json_ok(
        &[
            "train",
            PAPER,
            "--model",
            "rf",
            "--target",
            "diff_coeff_mul_thousand",
            "--trees",
            "10",
            "--cv",
            "0",
            "-o",
            "rf.json",
        ],
        &d,
    );
    let v = svg_and_png("importance", &["rf.json"], &["rf.json", "importance"], &d);
    assert_eq!(v["importances"].as_array().unwrap().len(), 15, "{v}");
    // A linear model has no built-in importances: one line naming the model file.
    json_ok(
        &[
            "train",
            PAPER,
            "--model",
            "ols",
            "--target",
            "diff_coeff_mul_thousand",
            "--cv",
            "0",
            "-o",
            "ols.json",
        ],
        &d,
    );
    fails_naming(
        &["plot", "importance", "ols.json", "-o", "x.svg"],
        &d,
        "ols.json",
    );
}

#[test]
fn periodic_table_heatmaps_of_the_paper_table() {
    let d = tmp("heatmap");
    let v = svg_and_png(
        "heatmap",
        &[PAPER],
        &["mean Ea (eV)", "no data", "\nLi\n", "\nCl\n"],
        &d,
    );
    let els = v["elements"].as_object().unwrap();
    // Every composition of the paper contains Li: Li's count is the largest.
    let n = |s: &str| els[s]["n"].as_u64().unwrap();
    assert!(
        els.values().all(|e| e["n"].as_u64().unwrap() <= n("Li")),
        "{v}"
    );
    assert!(n("Li") > 150 && n("O") > 10, "{v}");
    // Each mean lies within the range of all Ea (positive, below a few eV).
    assert!(
        els.values()
            .all(|e| (0.0..5.0).contains(&e["mean"].as_f64().unwrap())),
        "{v}"
    );
    let v = svg_and_png(
        "heatmap",
        &[PAPER, "--value", "log-d"],
        &["mean log10 D", "2500 K"],
        &d,
    );
    assert!(v["elements"].as_object().unwrap().len() == els.len(), "{v}");
}

#[test]
fn the_table_kinds_also_write_png() {
    let d = tmp("tables");
    std::fs::write(
        d.join("pred.csv"),
        "id,y_true,y_pred\n0,1.0,1.1\n1,2.0,1.9\n2,3.0,3.2\n3,4.0,3.9\n",
    )
    .unwrap();
    std::fs::write(
        d.join("arr.csv"),
        "formula,temperature,d\nA,1000,1e-6\nA,1500,1e-5\nA,2000,4e-5\nB,1000,2e-6\nB,2000,3e-5\n",
    )
    .unwrap();
    svg_and_png("parity", &["pred.csv"], &["predicted", "R² ="], &d);
    // With a set column: one colour per set, its R² in the legend.
    std::fs::write(
        d.join("sets.csv"),
        "id,y_true,y_pred,set\n0,1.0,1.1,train\n1,2.0,1.9,train\n2,3.0,3.0,train\n3,4.0,3.5,test\n4,5.0,5.6,test\n",
    )
    .unwrap();
    let v = json_ok(&["plot", "parity", "sets.csv", "-o", "sets.svg"], &d);
    assert_eq!(v["summary"], "5 points");
    check_svg(
        &d.join("sets.svg"),
        &["train (R² = 0.990, n = 3)", "test (R² = -0.220, n = 2)"],
    );
    svg_and_png(
        "arrhenius",
        &["arr.csv"],
        &["1000 / T (1/K)", "log10 D"],
        &d,
    );
    svg_and_png(
        "correlations",
        &[PAPER],
        &["Pearson r", "Li_percentage"],
        &d,
    );
    svg_and_png("anions", &[PAPER], &["by anion", "oxyanion"], &d);
}

#[test]
fn bad_inputs_print_one_line_naming_them() {
    let d = tmp("bad");
    fails_naming(
        &["plot", "msd", "nothere.XDATCAR", "-o", "m.svg"],
        &d,
        "nothere.XDATCAR",
    );
    fails_naming(&["plot", "msd", XDATCAR, "-o", "fig.jpg"], &d, "fig.jpg");
    fails_naming(&["plot", "parity", "pred.csv", "-o", "noext"], &d, "noext");
    fails_naming(
        &["plot", "msd", XDATCAR, "--species", "Xq", "-o", "m.png"],
        &d,
        "Xq",
    );
    fails_naming(
        &["plot", "rdf", "missing.xyz", "-o", "r.png"],
        &d,
        "missing.xyz",
    );
    fails_naming(
        &["plot", "rdf-compare", XDATCAR, "-o", "r.svg"],
        &d,
        "rdf-compare",
    );
    fails_naming(
        &["plot", "heatmap", "--db", "nothere.db", "-o", "h.svg"],
        &d,
        "nothere.db",
    );
    fails_naming(
        &["plot", "heatmap", "nothere.dat", "-o", "h.svg"],
        &d,
        "nothere.dat",
    );
    fails_naming(
        &["plot", "importance", "nomodel.json", "-o", "i.png"],
        &d,
        "nomodel.json",
    );
    fails_naming(
        &[
            "plot",
            "importance",
            "--table",
            PAPER,
            "--target",
            "nocol",
            "-o",
            "i.svg",
        ],
        &d,
        "nocol",
    );
    // Nothing was written for the failures.
    assert!(!d.join("fig.jpg").exists() && !d.join("m.png").exists());
}

#[test]
fn report_on_the_paper_table_has_heatmaps_and_importances() {
    let d = tmp("report");
    let v = json_ok(&["report", "--table", PAPER, "-o", "r.html"], &d);
    let s = &v["summary"];
    assert!(s["rf_test_r2"].as_f64().unwrap() > 0.8, "{v}");
    assert_eq!(s["rf_importances"].as_array().unwrap().len(), 15, "{v}");
    let html = std::fs::read_to_string(d.join("r.html")).unwrap();
    // The parity plot's test points are the rows the forest was scored on.
    let r2 = s["rf_test_r2"].as_f64().unwrap();
    assert!(
        html.contains(&format!("test (R² = {r2:.3}, n = 119)")),
        "parity legend"
    );
    for t in [
        "Random-forest feature importances",
        "Mean log10 D per element",
        "Mean Ea per element",
        "no data",
    ] {
        assert!(html.contains(t), "report lacks {t:?}");
    }
    // Self-contained: inline SVG only, no external resources.
    assert!(!html.contains("<img") && !html.contains("<script") && !html.contains("<link"));
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    assert_eq!(
        s["figures"].as_u64().unwrap() as usize,
        html.matches("<figure>").count()
    );
}

#[test]
fn heatmaps_from_a_database() {
    let d = tmp("db");
    json_ok(&["import", PAPER, "--db", "paper.db"], &d);
    let t = json_ok(&["plot", "heatmap", PAPER, "-o", "t.svg"], &d);
    let v = svg_and_png(
        "heatmap",
        &["--db", "paper.db"],
        &["mean Ea (eV)", "paper.db"],
        &d,
    );
    // The database holds the table's compositions and the same Arrhenius Ea per composition.
    let (te, ve) = (
        t["elements"].as_object().unwrap(),
        v["elements"].as_object().unwrap(),
    );
    assert_eq!(te.len(), ve.len(), "{v}");
    for (el, e) in ve {
        assert_eq!(e["n"], te[el]["n"], "{el}");
        let (a, b) = (
            e["mean"].as_f64().unwrap(),
            te[el]["mean"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{el}: {a} vs {b}");
    }
    let v = json_ok(&["report", "--db", "paper.db", "-o", "db.html"], &d);
    let html = std::fs::read_to_string(d.join("db.html")).unwrap();
    assert!(html.contains("Mean Ea per element") && html.contains("Mean log10 D per element"));
    assert!(v["summary"]["figures"].as_u64().unwrap() >= 3, "{v}");
    // Input files and --db together are refused, naming the kind.
    fails_naming(
        &["plot", "heatmap", PAPER, "--db", "paper.db", "-o", "x.svg"],
        &d,
        "heatmap",
    );
}
