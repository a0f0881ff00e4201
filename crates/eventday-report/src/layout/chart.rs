//! Horizontal bar charts. Values of different units (幅, 个, 份) never share a scale: a chart of
//! rows with units draws one group per unit, each with its own scale and a "单位：…" line.

use super::{ASCENT, Composer, Item, Rgb, Role, TextStyle};
use crate::Lang;

/// A chart row: label and one value per series.
type Bar = (String, Vec<u64>);
/// A group of rows on one scale, with its unit line.
type Group<'r> = (Option<String>, Vec<&'r Bar>);

impl Composer<'_, '_> {
    /// Geometry of a bar chart: (label width, value width, bar width, bar height, row height, legend height).
    fn chart_metrics(&self, nser: usize) -> (f32, f32, f32, f32, f32, f32) {
        let st = self.geo.small;
        let w = self.geo.area.w;
        let label_w = w * 0.30;
        let value_w = w * 0.16;
        let bar_w = w - label_w - value_w - 8.0;
        let bar_h = st.size * 0.9;
        let row_h = bar_h * nser.max(1) as f32 + 5.0;
        let legend_h = if nser > 1 { st.size * 1.6 } else { 0.0 };
        (label_w, value_w, bar_w, bar_h, row_h, legend_h)
    }

    /// Height of a bar chart with `rows` rows and `nser` series (legend included).
    pub(crate) fn chart_height(&self, rows: usize, nser: usize) -> f32 {
        let (.., row_h, legend_h) = self.chart_metrics(nser);
        legend_h + rows as f32 * row_h
    }

    /// A figure: an optional caption and a horizontal bar chart (each row holds one value per series),
    /// with space after it.
    pub(crate) fn bar_chart(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, Vec<u64>)],
        series: &[(&str, Rgb)],
    ) -> Result<(), crate::ReportError> {
        let rows: Vec<&(String, Vec<u64>)> = rows.iter().collect();
        self.chart_groups(caption, &[(None, rows)], series)
    }

    /// A bar chart of rows (label, unit, values): one group and one scale per unit, in the order the
    /// units first appear; the unit is said once per group, never appended to the labels.
    pub(crate) fn bar_chart_by_unit(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, String, Vec<u64>)],
        series: &[(&str, Rgb)],
    ) -> Result<(), crate::ReportError> {
        let mut units: Vec<&str> = Vec::new();
        for r in rows {
            if !units.contains(&r.1.as_str()) {
                units.push(r.1.as_str());
            }
        }
        let groups: Vec<(Option<String>, Vec<Bar>)> = units
            .iter()
            .map(|u| {
                let label = if u.trim().is_empty() {
                    None
                } else {
                    Some(match self.lang {
                        Lang::Zh => format!("单位：{}", u.trim()),
                        Lang::En => format!("Unit: {}", u.trim()),
                    })
                };
                let rows = rows.iter().filter(|r| r.1 == *u).map(|r| (r.0.clone(), r.2.clone())).collect();
                (label, rows)
            })
            .collect();
        let refs: Vec<Group<'_>> = groups.iter().map(|(l, rs)| (l.clone(), rs.iter().collect())).collect();
        self.chart_groups(caption, &refs, series)
    }

    /// The caption, the legend, and each group of rows with its own scale. The caption and legend stay
    /// with the first two rows; the chart breaks between rows rather than leave a fifth of a page
    /// blank.
    fn chart_groups(
        &mut self,
        caption: Option<&str>,
        groups: &[Group<'_>],
        series: &[(&str, Rgb)],
    ) -> Result<(), crate::ReportError> {
        let st = self.geo.small;
        let w = self.geo.area.w;
        let (label_w, _value_w, bar_w, bar_h, row_h, legend_h) = self.chart_metrics(series.len());
        let cap_st = TextStyle { bold: true, ..self.geo.small };
        let cap_pitch = self.geo.small_pitch * 1.4;
        let cap_lines = match caption {
            Some(t) => self.ts.paragraph(t, &cap_st, w, 0.0, false),
            None => Vec::new(),
        };
        let cap_h = cap_lines.len() as f32 * cap_pitch;
        let unit_h = self.geo.small_pitch;
        let group_h = |g: &Group<'_>| {
            if g.0.is_some() { unit_h } else { 0.0 }
        };
        let nrows: usize = groups.iter().map(|g| g.1.len()).sum();
        let heads: f32 = groups.iter().map(group_h).sum();
        let whole = cap_h + heads + legend_h + nrows as f32 * row_h;
        let first_head = groups.first().map_or(0.0, group_h);
        // Kept whole only when that leaves a small gap: a large blank area is worse than a chart
        // continued on the next page (its caption and first rows always stay together).
        if whole <= self.geo.area.h && self.remaining() < 0.2 * self.geo.area.h {
            self.ensure(whole)?;
        } else {
            self.ensure(cap_h + legend_h + first_head + 2.0 * row_h)?;
        }
        if !cap_lines.is_empty() {
            self.begin(Role::Caption, None);
            for l in cap_lines {
                let dx = ((w - l.width) / 2.0).max(0.0);
                self.put_line(l, dx, cap_pitch);
            }
            self.end();
        }
        self.begin(Role::Figure, Some(alt_text(caption, groups, series, self.lang)));
        // Legend.
        if series.len() > 1 {
            self.page_has_content = true;
            let mut x = label_w + 4.0;
            for (name, c) in series {
                let p = self.abs(x, (legend_h - bar_h) / 2.0);
                self.push(p, Item::Rect { w: bar_h, h: bar_h, fill: Some(*c), stroke: None });
                let l = self.ts.line(name, &st);
                let lw = l.width;
                let p = self.abs(x + bar_h + 3.0, (legend_h - st.size) / 2.0 + st.size * ASCENT);
                self.push(p, Item::Line(l));
                x += bar_h + 3.0 + lw + 12.0;
            }
            self.y += legend_h;
        }
        for g in groups {
            let max = g.1.iter().flat_map(|r| r.1.iter()).copied().max().unwrap_or(0).max(1) as f64;
            if let Some(unit) = &g.0 {
                self.ensure(unit_h + 2.0 * row_h.min(self.remaining()))?;
                self.page_has_content = true;
                let l = self.ts.line(unit, &st);
                let p = self.abs(label_w - 6.0 - l.width, (unit_h - st.size) / 2.0 + st.size * ASCENT);
                self.push(p, Item::Line(l));
                self.y += unit_h;
            }
            for (label, vals) in g.1.iter().map(|r| (&r.0, &r.1)) {
                self.ensure(row_h)?;
                self.page_has_content = true;
                // Label: one line, shortened with "…" when it does not fit.
                let l = self.fit_line(label, &st, label_w - 6.0);
                let dx = label_w - 6.0 - l.width;
                let p = self.abs(dx.max(0.0), (row_h - st.size) / 2.0 + st.size * ASCENT);
                self.push(p, Item::Line(l));
                for (k, v) in vals.iter().enumerate() {
                    let c = series.get(k).map_or(self.geo.accent, |s| s.1);
                    let bw = ((*v as f64 / max) as f32 * bar_w).max(if *v > 0 { 0.8 } else { 0.0 });
                    let top = 2.5 + k as f32 * bar_h;
                    if bw > 0.0 {
                        let p = self.abs(label_w, top);
                        self.push(p, Item::Rect { w: bw, h: bar_h - 1.0, fill: Some(c), stroke: None });
                    }
                    let vt = crate::fmt::count(*v);
                    let vl = self.ts.line(&vt, &st.size(st.size * 0.9));
                    let vx = (label_w + bw + 3.0).min(w - vl.width);
                    let p = self.abs(vx, top + (bar_h - 1.0) / 2.0 + st.size * 0.9 * 0.35);
                    self.push(p, Item::Line(vl));
                }
                self.y += row_h;
            }
        }
        self.end();
        // Air before whatever follows (a heading, a table).
        self.space(self.geo.body_pitch);
        Ok(())
    }
}

/// The figure's alternative text: its caption and every value, so a screen reader gets the chart's
/// content (long charts are cut after 60 rows with a count of the rest).
fn alt_text(caption: Option<&str>, groups: &[Group<'_>], series: &[(&str, Rgb)], lang: Lang) -> String {
    let (sep, list) = match lang {
        Lang::Zh => ("：", "；"),
        Lang::En => (": ", "; "),
    };
    let mut s = caption
        .unwrap_or(match lang {
            Lang::Zh => "条形图",
            Lang::En => "Bar chart",
        })
        .to_string();
    s.push_str(sep);
    let mut shown = 0usize;
    let total: usize = groups.iter().map(|g| g.1.len()).sum();
    for g in groups {
        if let Some(u) = &g.0 {
            s.push_str(&format!("（{u}）"));
        }
        for r in &g.1 {
            if shown == 60 {
                break;
            }
            shown += 1;
            let vals: Vec<String> =
                r.1.iter()
                    .enumerate()
                    .map(|(k, v)| match series.get(k) {
                        Some((name, _)) if series.len() > 1 => format!("{name} {}", crate::fmt::count(*v)),
                        _ => crate::fmt::count(*v),
                    })
                    .collect();
            s.push_str(&format!("{} {}{list}", r.0, vals.join(", ")));
        }
    }
    if shown < total {
        s.push_str(&match lang {
            Lang::Zh => format!("另有{}项", total - shown),
            Lang::En => format!("and {} more", total - shown),
        });
    }
    s
}
