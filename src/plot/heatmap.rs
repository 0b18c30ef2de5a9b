//! Periodic-table heatmap of a per-element value.

use super::{draw_sized, pe};
use crate::error::{Error, Result};
use amorph_core::Element;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The value of one element in a heatmap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ElementValue {
    /// The element.
    pub element: Element,
    /// Its value (non-finite values count as missing).
    pub value: f64,
}

/// Viridis-like colour at `t` in [0, 1] (linear interpolation between five anchors).
fn viridis(t: f64) -> RGBColor {
    const A: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let x = t.clamp(0.0, 1.0) * (A.len() - 1) as f64;
    let i = (x.floor() as usize).min(A.len() - 2);
    let f = x - i as f64;
    let mix = |a: f64, b: f64| (a + f * (b - a)).round() as u8;
    RGBColor(
        mix(A[i].0, A[i + 1].0),
        mix(A[i].1, A[i + 1].1),
        mix(A[i].2, A[i + 1].2),
    )
}

/// Grid cell (column 0–17, row 0–8) of an element: groups and periods, with the lanthanides
/// and actinides in two separate rows below (rows 7 and 8, from column 2).
fn table_cell(el: Element) -> (i32, i32) {
    let z = el.z() as i32;
    match z {
        57..=71 => (2 + z - 57, 7),
        89..=103 => (2 + z - 89, 8),
        _ => (el.group() as i32 - 1, el.row() as i32 - 1),
    }
}

/// Periodic-table heatmap of a per-element value (elements without a finite value grey),
/// symbol and value in each cell, a colour bar with the value range below.
pub fn heatmap_svg(values: &[ElementValue], title: &str, label: &str) -> Result<String> {
    let finite: Vec<f64> = values
        .iter()
        .map(|v| v.value)
        .filter(|v| v.is_finite())
        .collect();
    if finite.is_empty() {
        return Err(Error::NothingToPlot {
            figure: "heatmap",
            reason: "no element has a value",
        });
    }
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (cw, ch, x0, y0) = (46i32, 42i32, 20i32, 44i32);
    // Title, 7 periods, the f-block rows after a gap, then the colour bar and its labels.
    let (bx, by, bw, bh) = (x0 + 3 * cw, y0 + 9 * ch + ch / 3 + 24, 10 * cw, 16);
    let (w, h) = (x0 as u32 * 2 + 18 * cw as u32, (by + bh + 32) as u32);
    let font = |size: u32, c: RGBColor| {
        ("sans-serif", size)
            .into_font()
            .color(&c)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    draw_sized(w, h, |root| {
        root.draw(&Text::new(
            title.to_string(),
            (w as i32 / 2, 20),
            font(18, BLACK),
        ))
        .map_err(pe)?;
        for z in 1..=Element::MAX_Z {
            let el = Element::from_z(z)?;
            let (col, row) = table_cell(el);
            let gap = if row >= 7 { ch / 3 } else { 0 };
            let (x, y) = (x0 + col * cw, y0 + row * ch + gap);
            let v = values
                .iter()
                .find(|p| p.element == el)
                .map(|p| p.value)
                .filter(|v| v.is_finite());
            let fill = match v {
                Some(v) => viridis((v - lo) / span),
                None => RGBColor(215, 215, 215),
            };
            root.draw(&Rectangle::new(
                [(x + 1, y + 1), (x + cw - 1, y + ch - 1)],
                fill.filled(),
            ))
            .map_err(pe)?;
            // Dark cells get white text.
            let dark = v.is_some_and(|v| (v - lo) / span < 0.55);
            let tc = if dark { WHITE } else { BLACK };
            let sym_y = if v.is_some() {
                y + ch / 2 - 7
            } else {
                y + ch / 2
            };
            root.draw(&Text::new(
                el.symbol().to_string(),
                (x + cw / 2, sym_y),
                font(15, tc),
            ))
            .map_err(pe)?;
            if let Some(v) = v {
                root.draw(&Text::new(
                    format!("{v:.2}"),
                    (x + cw / 2, y + ch / 2 + 10),
                    font(11, tc),
                ))
                .map_err(pe)?;
            }
        }
        // Colour bar.
        let steps = 200;
        for k in 0..steps {
            let xa = bx + bw * k / steps;
            let xb = bx + bw * (k + 1) / steps;
            root.draw(&Rectangle::new(
                [(xa, by), (xb + 1, by + bh)],
                viridis(k as f64 / (steps - 1) as f64).filled(),
            ))
            .map_err(pe)?;
        }
        root.draw(&Rectangle::new(
            [(bx, by), (bx + bw, by + bh)],
            BLACK.stroke_width(1),
        ))
        .map_err(pe)?;
        for k in 0..=4 {
            let v = lo + (hi - lo) * k as f64 / 4.0;
            root.draw(&Text::new(
                format!("{v:.3}"),
                (bx + bw * k / 4, by + bh + 12),
                font(12, BLACK),
            ))
            .map_err(pe)?;
        }
        root.draw(&Text::new(
            label.to_string(),
            (bx + bw / 2, by - 12),
            font(14, BLACK),
        ))
        .map_err(pe)?;
        let (gx, gy) = (bx + bw + 30, by);
        root.draw(&Rectangle::new(
            [(gx, gy), (gx + 16, gy + bh)],
            RGBColor(215, 215, 215).filled(),
        ))
        .map_err(pe)?;
        root.draw(&Text::new(
            "no data".to_string(),
            (gx + 50, gy + bh / 2),
            font(12, BLACK),
        ))
        .map_err(pe)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periodic_table_cells_do_not_overlap() {
        let mut seen = std::collections::HashSet::new();
        for z in 1..=Element::MAX_Z {
            let cell = table_cell(Element::from_z(z).unwrap());
            assert!((0..18).contains(&cell.0) && (0..9).contains(&cell.1), "{z}");
            assert!(seen.insert(cell), "Z = {z} shares cell {cell:?}");
        }
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(7.0), viridis(1.0));
    }
}
