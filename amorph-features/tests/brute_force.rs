//! The neighbour-list-based structural features against a brute-force implementation that
//! enumerates every periodic image explicitly (no lists, no early exits), on random cells.
//! This checks the exactness of the growing-cutoff partner searches and of the two-ended
//! straight-line-path search.

mod common;
use amorph_core::Structure;
use amorph_features::{Convention, Settings};
use common::*;
use nalgebra::Vector3;

struct Site {
    j: usize,
    v: Vector3<f64>,
}

/// Every image of every atom within `r` of atom i (excluding i itself at zero).
fn around(s: &Structure, i: usize, r: f64) -> Vec<Site> {
    let a = s.lattice().lengths()[0]; // cubic cells only
    let m = (r / a).ceil() as i32 + 1;
    let mut out = Vec::new();
    for j in 0..s.len() {
        for x in -m..=m {
            for y in -m..=m {
                for z in -m..=m {
                    let v = s.positions()[j] - s.positions()[i]
                        + Vector3::new(x as f64, y as f64, z as f64) * a;
                    let d = v.norm();
                    if d < r && d > 1e-12 {
                        out.push(Site { j, v });
                    }
                }
            }
        }
    }
    out
}

fn x(s: &Structure, j: usize) -> f64 {
    s.species()[j].electronegativity().unwrap()
}

fn brute(s: &Structure, anion: &str) -> [f64; 7] {
    let li = el("Li");
    let an = el(anion);
    let n = s.len();
    let far = 3.0 * s.lattice().lengths()[0];
    // Effective radii (threshold 2.0 on the mean |ΔX| within 4 Å).
    let r: Vec<f64> = (0..n)
        .map(|i| {
            let nb = around(s, i, 4.0);
            let e = s.species()[i];
            let m = nb.iter().map(|k| (x(s, i) - x(s, k.j)).abs()).sum::<f64>() / nb.len() as f64;
            if !nb.is_empty() && m > 2.0 {
                e.data().common_ion.unwrap().1
            } else {
                e.covalent_radius().unwrap()
            }
        })
        .collect();
    let nearest = |i: usize, target| {
        around(s, i, far)
            .into_iter()
            .filter(|k| s.species()[k.j] == target)
            .min_by(|a, b| a.v.norm().total_cmp(&b.v.norm()))
            .unwrap()
    };
    let lis: Vec<usize> = (0..n).filter(|&i| s.species()[i] == li).collect();
    let ans: Vec<usize> = (0..n).filter(|&i| s.species()[i] == an).collect();
    let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
    let llsd = mean(lis.iter().map(|&i| nearest(i, li).v.norm()).collect());
    let lasd = mean(lis.iter().map(|&i| nearest(i, an).v.norm()).collect());
    let aasd = mean(ans.iter().map(|&i| nearest(i, an).v.norm()).collect());
    let afc = mean(
        ans.iter()
            .map(|&i| {
                let r0 = nearest(i, an).v.norm();
                around(s, i, far)
                    .iter()
                    .filter(|k| s.species()[k.j] == an && k.v.norm() <= r0 + 1.0 + 1e-9)
                    .count() as f64
            })
            .collect(),
    );
    let (mut w, mut c, mut e) = (Vec::new(), Vec::new(), Vec::new());
    for &i in &lis {
        let v = nearest(i, li).v;
        let l2 = v.norm_squared();
        let mut best: Option<(f64, f64)> = None;
        let mut cmin = f64::INFINITY;
        for k in around(s, i, far) {
            if (k.v - v).norm() < 1e-9 {
                continue;
            }
            let t = k.v.dot(&v) / l2;
            if t <= 1e-9 || t >= 1.0 - 1e-9 {
                continue;
            }
            let d = (k.v - v * t).norm();
            cmin = cmin.min(d);
            let wk = d - r[k.j];
            if best.is_none_or(|b| wk < b.0) {
                best = Some((wk, x(s, k.j)));
            }
        }
        let (bw, bx) = best.unwrap();
        w.push(bw);
        c.push(cmin);
        e.push(bx);
    }
    [llsd, lasd, aasd, afc, mean(w), mean(c), mean(e)]
}

#[test]
fn list_based_features_equal_brute_force() {
    type Cell<'a> = (&'a [(&'a str, usize)], f64, &'a str);
    let cells: [Cell; 4] = [
        (&[("Li", 10), ("O", 5)], 11.0, "O"),
        (&[("Li", 8), ("Sr", 2)], 22.0, "Sr"), // sparse anion, big Sr radius
        (&[("Li", 3), ("P", 3), ("F", 18)], 13.0, "P"), // Paper anion P (alphabetically last)
        (&[("Li", 16), ("Cs", 1), ("Sn", 4)], 25.0, "Sn"),
    ];
    let names = ["LLSD", "LASD", "AASD", "AFC", "SLPW", "SLPW_pp", "SLPE"];
    for (counts, aav, anion) in cells {
        for seed in 0..4 {
            let s = random_cell(counts, aav, 1.6, seed);
            let want = brute(&s, anion);
            let (t, row) = features(&s, Settings::default().with_convention(Convention::Paper));
            for (name, w) in names.iter().zip(want) {
                let got = row.get(&t, name).unwrap();
                assert!(
                    (got - w).abs() < 1e-9,
                    "{counts:?} seed {seed} {name}: {got} vs {w}"
                );
            }
        }
    }
}
