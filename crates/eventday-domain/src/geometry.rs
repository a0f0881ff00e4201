//! Floor-plan geometry: booth rectangles (metres, rotated about their centre) inside a venue.

use serde::{Deserialize, Serialize};

/// Tolerance for comparisons in metres (1 mm): touching edges are not an overlap.
const EPS: f64 = 1e-3;

/// A booth footprint: top-left corner `(x, y)` before rotation, size `w` x `h`, rotated by
/// `rotation_deg` clockwise about its centre. Metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge before rotation.
    pub x: f64,
    /// Top edge before rotation.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Depth.
    pub h: f64,
    /// Clockwise rotation about the centre, degrees.
    pub rotation_deg: f64,
}

impl Rect {
    /// The four corners after rotation.
    #[must_use]
    pub fn corners(&self) -> [(f64, f64); 4] {
        let (cx, cy) = (self.x + self.w / 2.0, self.y + self.h / 2.0);
        let (s, c) = self.rotation_deg.to_radians().sin_cos();
        let (hw, hh) = (self.w / 2.0, self.h / 2.0);
        [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
            .map(|(dx, dy)| (cx + dx * c - dy * s, cy + dx * s + dy * c))
    }

    /// Whether the rotated rectangle lies within a `width` x `depth` floor plan.
    #[must_use]
    pub fn fits_inside(&self, width: f64, depth: f64) -> bool {
        self.corners()
            .iter()
            .all(|&(px, py)| px >= -EPS && py >= -EPS && px <= width + EPS && py <= depth + EPS)
    }

    /// Whether two rotated rectangles share area (separating axis test; touching is fine).
    #[must_use]
    pub fn overlaps(&self, other: &Rect) -> bool {
        let a = self.corners();
        let b = other.corners();
        for poly in [&a, &b] {
            for i in 0..4 {
                let (x1, y1) = poly[i];
                let (x2, y2) = poly[(i + 1) % 4];
                let axis = (y1 - y2, x2 - x1);
                let project = |pts: &[(f64, f64); 4]| {
                    pts.iter()
                        .map(|&(px, py)| px * axis.0 + py * axis.1)
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
                };
                let (amin, amax) = project(&a);
                let (bmin, bmax) = project(&b);
                let len = (axis.0 * axis.0 + axis.1 * axis.1).sqrt().max(f64::MIN_POSITIVE);
                if amax <= bmin + EPS * len || bmax <= amin + EPS * len {
                    return false;
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h, rotation_deg: 0.0 }
    }

    #[test]
    fn touching_booths_do_not_overlap_but_crossing_ones_do() {
        assert!(!r(0.0, 0.0, 2.0, 2.0).overlaps(&r(2.0, 0.0, 2.0, 2.0)));
        assert!(r(0.0, 0.0, 2.0, 2.0).overlaps(&r(1.5, 1.5, 2.0, 2.0)));
        assert!(!r(0.0, 0.0, 2.0, 2.0).overlaps(&r(5.0, 5.0, 1.0, 1.0)));
    }

    #[test]
    fn rotation_is_taken_into_account() {
        // A 4 x 1 booth at the origin rotated 90 degrees stands upright around its centre (2, 0.5).
        let upright = Rect { rotation_deg: 90.0, ..r(0.0, 0.0, 4.0, 1.0) };
        assert!(!upright.fits_inside(10.0, 10.0), "its top pokes out above y = 0");
        let moved = Rect { y: 2.0, ..upright };
        assert!(moved.fits_inside(10.0, 10.0));
        assert!(moved.overlaps(&r(1.8, 0.6, 0.4, 0.4)));
        assert!(!moved.overlaps(&r(0.0, 2.0, 1.0, 1.0)));
    }

    #[test]
    fn booth_must_fit_in_venue() {
        assert!(r(0.0, 0.0, 10.0, 5.0).fits_inside(10.0, 5.0));
        assert!(!r(8.5, 0.0, 2.0, 2.0).fits_inside(10.0, 5.0));
        assert!(!r(-0.5, 0.0, 2.0, 2.0).fits_inside(10.0, 5.0));
    }
}
