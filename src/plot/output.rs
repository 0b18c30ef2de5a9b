//! Figure files: SVG as drawn, or PNG rasterised by resvg with an embedded font.

use crate::error::{Context as _, Error, Result, write_file};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// A PNG has this many pixels per SVG user unit (a 640×420 figure becomes 1280×840 pixels).
pub const PNG_SCALE: f32 = 2.0;

/// Figure file formats, chosen by the output path's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.svg`: the plotters document as is.
    Svg,
    /// `.png`: the SVG rasterised by resvg.
    Png,
}

impl Format {
    /// The format of `path` by its extension (case-insensitive); an error names the path.
    ///
    /// ```
    /// use amorph::plot::Format;
    /// use std::path::Path;
    ///
    /// assert_eq!(Format::of(Path::new("fig.PNG"))?, Format::Png);
    /// assert!(Format::of(Path::new("fig.jpg")).is_err());
    /// # Ok::<(), amorph::Error>(())
    /// ```
    pub fn of(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(Error::FigureFormat {
                path: path.to_path_buf(),
            }),
        }
    }

    /// The format's name: `svg` or `png`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// The embedded font database: Noto Sans Regular answers every family, so rendering does not
/// depend on the fonts installed on the machine.
fn font_db() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(ttf_noto_sans::REGULAR.to_vec());
        for set in [
            resvg::usvg::fontdb::Database::set_sans_serif_family,
            resvg::usvg::fontdb::Database::set_serif_family,
            resvg::usvg::fontdb::Database::set_monospace_family,
        ] {
            set(&mut db, "Noto Sans".to_string());
        }
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG document to PNG bytes at [`PNG_SCALE`]; returns (bytes, width, height).
pub fn svg_to_png(svg: &str) -> Result<(Vec<u8>, u32, u32)> {
    use resvg::{tiny_skia, usvg};
    let opt = usvg::Options {
        fontdb: font_db(),
        font_family: "Noto Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt)?;
    let size = tree.size();
    let w = (size.width() * PNG_SCALE).ceil() as u32;
    let h = (size.height() * PNG_SCALE).ceil() as u32;
    let mut pix = tiny_skia::Pixmap::new(w, h).ok_or(Error::PngSize {
        width: w,
        height: h,
    })?;
    pix.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pix.as_mut(),
    );
    let png = pix
        .encode_png()
        .map_err(|e| Error::PngEncode(Box::new(e)))?;
    Ok((png, w, h))
}

/// Size (width, height) in user units of an SVG written by plotters.
fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let head = &svg[svg.find("<svg")?..];
    let attr = |name: &str| -> Option<u32> {
        let i = head
            .find(&format!(" {name}=\""))
            .map(|i| i + name.len() + 3)?;
        head[i..].split('"').next()?.parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

/// What [`write_figure`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Written {
    /// The file's format.
    pub format: Format,
    /// Its size in bytes.
    pub bytes: usize,
    /// Its width: SVG user units, or PNG pixels.
    pub width: u32,
    /// Its height: SVG user units, or PNG pixels.
    pub height: u32,
}

/// Writes `svg` to `path` as SVG or PNG by the extension ([`Format::of`]); errors name the
/// path.
///
/// ```
/// use amorph::plot::{Bar, Format, bars_svg, write_figure};
///
/// let bar = |label: &str, value| Bar { label: label.into(), value };
/// let svg = bars_svg(&[bar("AAV", 0.58), bar("LNC", -0.64)], "Pearson r with D", "Pearson r")?;
/// let path = std::env::temp_dir().join(format!("amorph-doc-{}.png", std::process::id()));
/// let written = write_figure(&path, &svg)?;
/// assert_eq!(written.format, Format::Png);
/// assert_eq!((written.width, written.height), (1280, 840)); // 640×420 at PNG_SCALE 2
/// # std::fs::remove_file(&path).unwrap();
/// # Ok::<(), amorph::Error>(())
/// ```
pub fn write_figure(path: &Path, svg: &str) -> Result<Written> {
    let format = Format::of(path)?;
    let name = || path.display().to_string();
    let (bytes, width, height) = match format {
        Format::Svg => {
            write_file(path, svg)?;
            let (w, h) = svg_size(svg).unwrap_or((0, 0));
            (svg.len(), w, h)
        }
        Format::Png => {
            let (png, w, h) = svg_to_png(svg).context_with(name)?;
            write_file(path, &png)?;
            (png.len(), w, h)
        }
    };
    Ok(Written {
        format,
        bytes,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{H, ScatterPoint, W, scatter_svg};
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a.svg")).unwrap(), Format::Svg);
        assert_eq!(Format::of(Path::new("a.PNG")).unwrap(), Format::Png);
        let e = Format::of(Path::new("fig.jpg")).unwrap_err().to_string();
        assert!(e.contains("fig.jpg"), "{e}");
        assert!(Format::of(Path::new("noext")).is_err());
    }

    #[test]
    fn png_has_the_scaled_size_and_text_pixels() {
        let p = |x, y, class: &str| ScatterPoint {
            x,
            y,
            class: class.into(),
        };
        let svg = scatter_svg(&[p(0.0, 1.0, "a"), p(1.0, 2.0, "b")], "Title", "x", "y").unwrap();
        assert_eq!(svg_size(&svg), Some((W, H)));
        let (png, w, h) = svg_to_png(&svg).unwrap();
        assert_eq!((w, h), (2 * W, 2 * H));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
