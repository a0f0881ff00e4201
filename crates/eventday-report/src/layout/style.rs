//! Page geometry and type styles of the two report styles.

use super::{Area, BLACK, MM, Rgb};
use crate::Style;

/// Font family of a text style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Song,
    Fang,
    /// 黑体 (FandolHei), GB/T 9704 first-level headings.
    Hei,
    /// 楷体 (FandolKai), GB/T 9704 second-level headings.
    Kai,
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextStyle {
    pub family: Family,
    pub bold: bool,
    pub size: f32,
    /// Extra advance after each CJK character (GB/T 9704 fits 28 characters into 156 mm).
    pub tracking: f32,
    pub color: Rgb,
}

impl TextStyle {
    pub(crate) fn new(family: Family, bold: bool, size: f32) -> Self {
        Self { family, bold, size, tracking: 0.0, color: BLACK }
    }
    pub(crate) fn color(mut self, c: Rgb) -> Self {
        self.color = c;
        self
    }
    pub(crate) fn size(mut self, s: f32) -> Self {
        self.size = s;
        self
    }
}

/// Page geometry and type styles of one report style.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Geometry {
    pub style: Style,
    pub page_w: f32,
    pub page_h: f32,
    pub area: Area,
    pub title: TextStyle,
    pub h1: TextStyle,
    pub h2: TextStyle,
    pub body: TextStyle,
    pub body_pitch: f32,
    pub small: TextStyle,
    pub small_pitch: f32,
    pub folio: TextStyle,
    pub accent: Rgb,
}

impl Geometry {
    pub(crate) fn for_style(style: Style) -> Self {
        let (page_w, page_h) = (210.0 * MM, 297.0 * MM);
        match style {
            Style::Gbt9704 => {
                let area = Area { x: 28.0 * MM, y: 37.0 * MM, w: 156.0 * MM, h: 225.0 * MM };
                let mut body = TextStyle::new(Family::Fang, false, 16.0);
                // 28 characters per line: the grid pitch is 156 mm / 28, a hair under 16 pt.
                body.tracking = area.w / 28.0 - 16.0;
                // GB/T 9704 practice: 一、 headings in 黑体, （一） headings in 楷体, neither bolded.
                let mut h2 = TextStyle::new(Family::Kai, false, 16.0);
                h2.tracking = body.tracking;
                let mut h1 = TextStyle::new(Family::Hei, false, 16.0);
                h1.tracking = body.tracking;
                Self {
                    style,
                    page_w,
                    page_h,
                    area,
                    title: TextStyle::new(Family::Song, true, 22.0),
                    h1,
                    h2,
                    body,
                    // 22 lines in 225 mm.
                    body_pitch: area.h / 22.0,
                    small: TextStyle::new(Family::Song, false, 10.5),
                    small_pitch: 15.0,
                    folio: TextStyle::new(Family::Song, false, 14.0),
                    accent: BLACK,
                }
            }
            Style::Modern => {
                let area = Area { x: 20.0 * MM, y: 20.0 * MM, w: 170.0 * MM, h: 252.0 * MM };
                let accent = Rgb(0.70, 0.09, 0.11);
                Self {
                    style,
                    page_w,
                    page_h,
                    area,
                    title: TextStyle::new(Family::Song, true, 20.0),
                    h1: TextStyle::new(Family::Song, true, 13.5).color(accent),
                    h2: TextStyle::new(Family::Song, true, 11.0),
                    body: TextStyle::new(Family::Song, false, 10.5),
                    body_pitch: 18.0,
                    small: TextStyle::new(Family::Song, false, 9.0),
                    small_pitch: 13.0,
                    folio: TextStyle::new(Family::Song, false, 9.0),
                    accent,
                }
            }
        }
    }
}
