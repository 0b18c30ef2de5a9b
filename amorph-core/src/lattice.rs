//! Periodic cells: triclinic lattices with fractional ↔ Cartesian conversion.

use crate::error::{Error, Result};
use nalgebra::{Matrix3, Vector3};
use serde::{Deserialize, Serialize};

/// A triclinic lattice. Rows of [`Lattice::matrix`] are the lattice vectors **a**, **b**, **c**
/// in Å (the ASE / pymatgen / VASP convention).
///
/// ```
/// use amorph_core::Lattice;
/// let cell = Lattice::from_parameters(4.0, 5.0, 6.0, 90.0, 90.0, 90.0).unwrap();
/// assert!((cell.volume() - 120.0).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LatticeRepr", into = "LatticeRepr")]
pub struct Lattice {
    matrix: Matrix3<f64>,
    /// Columns are the lattice vectors: cart = to_cart · frac.
    to_cart: Matrix3<f64>,
    /// frac = to_frac · cart.
    to_frac: Matrix3<f64>,
}

#[derive(Serialize, Deserialize)]
struct LatticeRepr {
    matrix: [[f64; 3]; 3],
}

impl TryFrom<LatticeRepr> for Lattice {
    type Error = Error;
    fn try_from(r: LatticeRepr) -> Result<Self> {
        Lattice::from_rows(r.matrix)
    }
}

impl From<Lattice> for LatticeRepr {
    fn from(l: Lattice) -> Self {
        LatticeRepr { matrix: l.rows() }
    }
}

impl Lattice {
    /// A lattice from a matrix whose **rows** are the lattice vectors (Å).
    pub fn new(matrix: Matrix3<f64>) -> Result<Self> {
        if matrix.iter().any(|x| !x.is_finite()) {
            return Err(Error::Lattice(format!(
                "non-finite lattice vector component in {:?}",
                Self::rows_of(&matrix)
            )));
        }
        let det = matrix.determinant();
        let scale = matrix.row(0).norm() * matrix.row(1).norm() * matrix.row(2).norm();
        if scale == 0.0 || det.abs() <= 1e-10 * scale {
            return Err(Error::Lattice(format!(
                "lattice vectors {:?} are (nearly) linearly dependent: volume {det:.3e} Å³",
                Self::rows_of(&matrix)
            )));
        }
        let to_cart = matrix.transpose();
        let to_frac = to_cart
            .try_inverse()
            .ok_or_else(|| Error::Lattice("singular lattice matrix".into()))?;
        Ok(Lattice {
            matrix,
            to_cart,
            to_frac,
        })
    }

    /// A lattice from three row vectors **a**, **b**, **c** (Å).
    pub fn from_rows(rows: [[f64; 3]; 3]) -> Result<Self> {
        Self::new(Matrix3::from_row_slice(&[
            rows[0][0], rows[0][1], rows[0][2], rows[1][0], rows[1][1], rows[1][2], rows[2][0],
            rows[2][1], rows[2][2],
        ]))
    }

    /// An orthorhombic cell with edges `a`, `b`, `c` (Å).
    pub fn orthorhombic(a: f64, b: f64, c: f64) -> Result<Self> {
        Self::from_rows([[a, 0.0, 0.0], [0.0, b, 0.0], [0.0, 0.0, c]])
    }

    /// A cubic cell of edge `a` (Å).
    pub fn cubic(a: f64) -> Result<Self> {
        Self::orthorhombic(a, a, a)
    }

    /// A lattice from lengths (Å) and angles α, β, γ (degrees), in the orientation ASE and
    /// LAMMPS use: **a** along x, **b** in the xy plane, **c** completing a right-handed set.
    pub fn from_parameters(
        a: f64,
        b: f64,
        c: f64,
        alpha: f64,
        beta: f64,
        gamma: f64,
    ) -> Result<Self> {
        let params = [a, b, c, alpha, beta, gamma];
        if params.iter().any(|x| !x.is_finite()) || a <= 0.0 || b <= 0.0 || c <= 0.0 {
            return Err(Error::Lattice(format!(
                "cell parameters {params:?} must be finite with positive lengths"
            )));
        }
        let (ca, cb, cg) = (cos_deg(alpha), cos_deg(beta), cos_deg(gamma));
        let sg = sin_deg(gamma);
        if sg.abs() < 1e-12 {
            return Err(Error::Lattice(format!(
                "γ = {gamma}° makes a and b parallel"
            )));
        }
        let cx = cb;
        let cy = (ca - cb * cg) / sg;
        let cz2 = 1.0 - cx * cx - cy * cy;
        if cz2 <= 0.0 {
            return Err(Error::Lattice(format!(
                "angles α={alpha}°, β={beta}°, γ={gamma}° do not form a cell"
            )));
        }
        Self::from_rows([
            [a, 0.0, 0.0],
            [b * cg, b * sg, 0.0],
            [c * cx, c * cy, c * cz2.sqrt()],
        ])
    }

    /// The matrix whose rows are the lattice vectors.
    pub fn matrix(&self) -> &Matrix3<f64> {
        &self.matrix
    }

    /// The lattice vectors as plain rows.
    pub fn rows(&self) -> [[f64; 3]; 3] {
        Self::rows_of(&self.matrix)
    }

    fn rows_of(m: &Matrix3<f64>) -> [[f64; 3]; 3] {
        [
            [m[(0, 0)], m[(0, 1)], m[(0, 2)]],
            [m[(1, 0)], m[(1, 1)], m[(1, 2)]],
            [m[(2, 0)], m[(2, 1)], m[(2, 2)]],
        ]
    }

    /// Lattice vector `i` (0 = a, 1 = b, 2 = c).
    pub fn vector(&self, i: usize) -> Vector3<f64> {
        self.to_cart.column(i).into_owned()
    }

    /// Inverse of [`Lattice::matrix`]: `frac_row = cart_row · inverse`.
    pub fn inverse(&self) -> Matrix3<f64> {
        self.to_frac.transpose()
    }

    /// Cell volume (Å³), always positive.
    pub fn volume(&self) -> f64 {
        self.matrix.determinant().abs()
    }

    /// Lengths a, b, c (Å).
    pub fn lengths(&self) -> [f64; 3] {
        [0, 1, 2].map(|i| self.vector(i).norm())
    }

    /// Angles α (b,c), β (a,c), γ (a,b) in degrees.
    pub fn angles(&self) -> [f64; 3] {
        let (a, b, c) = (self.vector(0), self.vector(1), self.vector(2));
        let ang = |u: Vector3<f64>, v: Vector3<f64>| {
            (u.dot(&v) / (u.norm() * v.norm()))
                .clamp(-1.0, 1.0)
                .acos()
                .to_degrees()
        };
        [ang(b, c), ang(a, c), ang(a, b)]
    }

    /// Perpendicular widths: the distance between opposite faces along each axis,
    /// `V / |b×c|`, `V / |c×a|`, `V / |a×b|`. A sphere of radius r fits in the cell without
    /// touching its own image iff r < min(width)/2.
    pub fn perpendicular_widths(&self) -> [f64; 3] {
        let (a, b, c) = (self.vector(0), self.vector(1), self.vector(2));
        let v = self.volume();
        [
            v / b.cross(&c).norm(),
            v / c.cross(&a).norm(),
            v / a.cross(&b).norm(),
        ]
    }

    /// Cartesian coordinates (Å) of a fractional position.
    #[inline]
    pub fn to_cartesian(&self, frac: &Vector3<f64>) -> Vector3<f64> {
        self.to_cart * frac
    }

    /// Fractional coordinates of a Cartesian position.
    #[inline]
    pub fn to_fractional(&self, cart: &Vector3<f64>) -> Vector3<f64> {
        self.to_frac * cart
    }

    /// The column matrix that maps fractional to Cartesian coordinates.
    pub fn frac_to_cart_matrix(&self) -> &Matrix3<f64> {
        &self.to_cart
    }

    /// The column matrix that maps Cartesian to fractional coordinates.
    pub fn cart_to_frac_matrix(&self) -> &Matrix3<f64> {
        &self.to_frac
    }

    /// Wraps a Cartesian position into the cell along the periodic directions, so that its
    /// fractional coordinates lie in [0, 1).
    pub fn wrap(&self, cart: &Vector3<f64>, pbc: [bool; 3]) -> Vector3<f64> {
        let mut f = self.to_fractional(cart);
        for k in 0..3 {
            if pbc[k] {
                f[k] = wrap_unit(f[k]);
            }
        }
        self.to_cartesian(&f)
    }

    /// The minimum-image version of a Cartesian difference vector, searching the 27 nearest
    /// images (exact for any reduced cell; for strongly skewed cells use the neighbour list).
    pub fn minimum_image(&self, d: &Vector3<f64>, pbc: [bool; 3]) -> Vector3<f64> {
        let mut f = self.to_fractional(d);
        for k in 0..3 {
            if pbc[k] {
                f[k] -= f[k].round();
            }
        }
        let base = self.to_cartesian(&f);
        let mut best = base;
        let mut best_n2 = base.norm_squared();
        let range = |k: usize| if pbc[k] { -1..=1 } else { 0..=0 };
        for i in range(0) {
            for j in range(1) {
                for l in range(2) {
                    if i == 0 && j == 0 && l == 0 {
                        continue;
                    }
                    let shift = self.to_cartesian(&Vector3::new(i as f64, j as f64, l as f64));
                    let cand = base + shift;
                    let n2 = cand.norm_squared();
                    if n2 < best_n2 {
                        best = cand;
                        best_n2 = n2;
                    }
                }
            }
        }
        best
    }

    /// This lattice with every vector multiplied by the integer factors (a supercell).
    pub fn scaled_by(&self, factors: [u32; 3]) -> Result<Self> {
        let mut m = self.matrix;
        for (i, f) in factors.iter().enumerate() {
            m.set_row(i, &(m.row(i) * f64::from(*f)));
        }
        Lattice::new(m)
    }

    /// This lattice isotropically scaled to `volume` (Å³).
    pub fn with_volume(&self, volume: f64) -> Result<Self> {
        if !(volume.is_finite() && volume > 0.0) {
            return Err(Error::Lattice(format!(
                "target volume {volume} Å³ must be positive"
            )));
        }
        Lattice::new(self.matrix * (volume / self.volume()).cbrt())
    }
}

/// `x` mapped into [0, 1).
#[inline]
pub fn wrap_unit(x: f64) -> f64 {
    let y = x - x.floor();
    // x slightly negative can round to exactly 1.0.
    if y >= 1.0 { 0.0 } else { y }
}

fn cos_deg(x: f64) -> f64 {
    // Exact zeros for right angles keep orthorhombic cells exactly diagonal.
    if (x - 90.0).abs() < 1e-12 {
        0.0
    } else {
        x.to_radians().cos()
    }
}

fn sin_deg(x: f64) -> f64 {
    if (x - 90.0).abs() < 1e-12 {
        1.0
    } else {
        x.to_radians().sin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn parameters_round_trip() {
        let l = Lattice::from_parameters(5.0, 6.0, 7.0, 80.0, 95.0, 110.0).unwrap();
        let [a, b, c] = l.lengths();
        let [al, be, ga] = l.angles();
        assert_relative_eq!(a, 5.0, epsilon = 1e-12);
        assert_relative_eq!(b, 6.0, epsilon = 1e-12);
        assert_relative_eq!(c, 7.0, epsilon = 1e-12);
        assert_relative_eq!(al, 80.0, epsilon = 1e-9);
        assert_relative_eq!(be, 95.0, epsilon = 1e-9);
        assert_relative_eq!(ga, 110.0, epsilon = 1e-9);
    }

    #[test]
    fn frac_cart_round_trip_and_wrap() {
        let l = Lattice::from_parameters(5.0, 6.0, 7.0, 80.0, 95.0, 110.0).unwrap();
        let f = Vector3::new(0.25, -0.5, 1.75);
        let c = l.to_cartesian(&f);
        assert_relative_eq!(l.to_fractional(&c), f, epsilon = 1e-12);
        let w = l.to_fractional(&l.wrap(&c, [true; 3]));
        assert_relative_eq!(w, Vector3::new(0.25, 0.5, 0.75), epsilon = 1e-12);
        let w = l.to_fractional(&l.wrap(&c, [true, false, true]));
        assert_relative_eq!(w, Vector3::new(0.25, -0.5, 0.75), epsilon = 1e-12);
    }

    #[test]
    fn widths_of_orthorhombic_cell() {
        let l = Lattice::orthorhombic(3.0, 4.0, 5.0).unwrap();
        assert_eq!(l.perpendicular_widths(), [3.0, 4.0, 5.0]);
        assert_relative_eq!(
            l.with_volume(480.0).unwrap().volume(),
            480.0,
            epsilon = 1e-9
        );
    }

    #[test]
    fn rejects_bad_cells() {
        assert!(Lattice::from_rows([[1.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 1.0]]).is_err());
        assert!(
            Lattice::from_rows([[f64::NAN, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]).is_err()
        );
        assert!(Lattice::from_parameters(1.0, 1.0, 1.0, 10.0, 10.0, 170.0).is_err());
        assert!(Lattice::from_parameters(-1.0, 1.0, 1.0, 90.0, 90.0, 90.0).is_err());
    }

    #[test]
    fn minimum_image_is_shortest() {
        let l = Lattice::from_parameters(5.0, 5.0, 5.0, 60.0, 60.0, 60.0).unwrap();
        let d = l.to_cartesian(&Vector3::new(0.9, 0.1, 0.9));
        let m = l.minimum_image(&d, [true; 3]);
        for i in -2..=2 {
            for j in -2..=2 {
                for k in -2..=2 {
                    let c = d + l.to_cartesian(&Vector3::new(i as f64, j as f64, k as f64));
                    assert!(m.norm() <= c.norm() + 1e-12);
                }
            }
        }
    }
}
