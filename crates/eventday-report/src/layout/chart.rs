//! Horizontal bar charts.

use super::{ASCENT, Composer, Item, Rgb, TextStyle};

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
    /// kept on one page when it fits on one, with space after it.
    pub(crate) fn bar_chart(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, Vec<u64>)],
        series: &[(&str, Rgb)],
    ) -> Result<(), crate::ReportError> {
        let st = self.geo.small;
        let w = self.geo.area.w;
        let (label_w, _value_w, bar_w, bar_h, row_h, legend_h) = self.chart_metrics(series.len());
        let max = rows.iter().flat_map(|r| r.1.iter()).copied().max().unwrap_or(0).max(1) as f64;
        let cap_st = TextStyle { bold: true, ..self.geo.small };
        let cap_pitch = self.geo.small_pitch * 1.4;
        let cap_lines = match caption {
            Some(t) => self.ts.paragraph(t, &cap_st, w, 0.0, false),
            None => Vec::new(),
        };
        let cap_h = cap_lines.len() as f32 * cap_pitch;
        // The whole figure when it fits on a page; else the caption, the legend and two rows.
        let whole = cap_h + self.chart_height(rows.len(), series.len());
        if whole <= self.geo.area.h {
            self.ensure(whole)?;
        } else {
            self.ensure(cap_h + legend_h + 2.0 * row_h)?;
        }
        for l in cap_lines {
            let dx = ((w - l.width) / 2.0).max(0.0);
            self.put_line(l, dx, cap_pitch);
        }
        // Legend.
        if series.len() > 1 {
            self.page_has_content = true;
            let mut x = label_w + 4.0;
            for (name, c) in series {
                let p = self.abs(x, (legend_h - bar_h) / 2.0);
                self.page.items.push((p, Item::Rect { w: bar_h, h: bar_h, fill: Some(*c), stroke: None }));
                let l = self.ts.line(name, &st);
                let lw = l.width;
                let p = self.abs(x + bar_h + 3.0, (legend_h - st.size) / 2.0 + st.size * ASCENT);
                self.page.items.push((p, Item::Line(l)));
                x += bar_h + 3.0 + lw + 12.0;
            }
            self.y += legend_h;
        }
        for (label, vals) in rows {
            self.ensure(row_h)?;
            self.page_has_content = true;
            // Label: one line, shortened with "…" when it does not fit.
            let l = self.fit_line(label, &st, label_w - 6.0);
            let dx = label_w - 6.0 - l.width;
            let p = self.abs(dx.max(0.0), (row_h - st.size) / 2.0 + st.size * ASCENT);
            self.page.items.push((p, Item::Line(l)));
            for (k, v) in vals.iter().enumerate() {
                let c = series.get(k).map_or(self.geo.accent, |s| s.1);
                let bw = ((*v as f64 / max) as f32 * bar_w).max(if *v > 0 { 0.8 } else { 0.0 });
                let top = 2.5 + k as f32 * bar_h;
                if bw > 0.0 {
                    let p = self.abs(label_w, top);
                    self.page
                        .items
                        .push((p, Item::Rect { w: bw, h: bar_h - 1.0, fill: Some(c), stroke: None }));
                }
                let vt = crate::fmt::count(*v);
                let vl = self.ts.line(&vt, &st.size(st.size * 0.9));
                let vx = (label_w + bw + 3.0).min(w - vl.width);
                let p = self.abs(vx, top + (bar_h - 1.0) / 2.0 + st.size * 0.9 * 0.35);
                self.page.items.push((p, Item::Line(vl)));
            }
            self.y += row_h;
        }
        // Air before whatever follows (a heading, a table).
        self.space(self.geo.body_pitch);
        Ok(())
    }
}
