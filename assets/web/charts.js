// The dashboard's small charts, drawn by the page as SVG from the JSON the live fragment carries
// (#chart-data): visitors per venue and hour (a heat map with the hour's total), complaints
// received and settled per venue, and materials handed out against what was allocated. No
// charting library: a few rectangles and labels, redrawn whenever the fragment is refreshed and
// when the page changes width. Text goes in with textContent only.
import { fmt, lang, t } from './app.js';

const NS = 'http://www.w3.org/2000/svg';
const FONT = 12;

function el(name, attrs = {}, text = null) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== null) e.textContent = text;
  return e;
}

function svg(width, height, label) {
  const s = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: 'chart-svg' });
  s.append(el('title', {}, label));
  return s;
}

// Roughly how wide a label is: CJK characters are one em, others about half.
function textWidth(s) {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0) > 0x2e80 ? FONT : FONT * 0.56;
  return w;
}

// A label cut to `max` pixels with an ellipsis; the full text stays in a tooltip.
function label(text, x, y, max, attrs = {}) {
  let shown = text;
  if (textWidth(text) > max) {
    shown = '';
    for (const ch of text) {
      if (textWidth(`${shown}${ch}…`) > max) break;
      shown += ch;
    }
    shown += '…';
  }
  const e = el('text', { x, y, 'font-size': FONT, ...attrs }, shown);
  if (shown !== text) e.append(el('title', {}, text));
  return e;
}

const hourLabel = (h) => (lang === 'en' ? `${h}:00` : `${h}时`);

// Light to dark blue by the share of the largest value (square root, so small counts show).
function shade(v, max) {
  if (!v || !max) return ['#eef1f4', '#555'];
  const k = Math.sqrt(v / max);
  const mix = (a, b) => Math.round(a + (b - a) * k);
  return [`rgb(${mix(219, 23)}, ${mix(232, 78)}, ${mix(247, 150)})`, k > 0.55 ? '#fff' : '#1a1a1a'];
}

function heatMap(box, data) {
  const hours = data.hours || [];
  const rows = (data.venues || []).map((v) => ({ name: v.name, cells: v.per_hour }));
  const totals = hours.map((_, i) => rows.reduce((s, r) => s + (r.cells[i] || 0), 0));
  const width = Math.max(300, box.clientWidth || 600);
  const lw = Math.min(130, Math.round(width * 0.3));
  const cw = (width - lw) / Math.max(1, hours.length);
  const ch = 22;
  const height = 20 + (rows.length + 1) * ch + 4;
  const peak = totals.indexOf(Math.max(...totals, 0));
  const sum = totals.reduce((a, b) => a + b, 0);
  const summary = sum
    ? `${t('chart_hours')}: ${t('chart_peak')} ${hourLabel(hours[peak])} ${fmt(totals[peak])}`
    : `${t('chart_hours')}: ${t('chart_empty')}`;
  const s = svg(width, height, summary);
  hours.forEach((h, i) => s.append(el('text', { x: lw + i * cw + cw / 2, y: 14, 'font-size': 11, 'text-anchor': 'middle', fill: '#444' }, cw >= 30 || i % 2 === 0 ? hourLabel(h) : '')));
  const max = Math.max(1, ...rows.flatMap((r) => r.cells));
  const totalMax = Math.max(1, ...totals);
  const draw = (name, cells, y, top, bold) => {
    s.append(label(name, 0, y + ch / 2 + 4, lw - 6, bold ? { 'font-weight': 'bold' } : {}));
    cells.forEach((v, i) => {
      const [fill, ink] = shade(v, top);
      const x = lw + i * cw;
      const cell = el('rect', { x: x + 1, y: y + 1, width: Math.max(1, cw - 2), height: ch - 2, fill, rx: 2 });
      cell.append(el('title', {}, `${name} ${hourLabel(hours[i])}: ${fmt(v)}`));
      s.append(cell);
      const text = fmt(v);
      if (v && textWidth(text) <= cw - 4) {
        s.append(el('text', { x: x + cw / 2, y: y + ch / 2 + 4, 'font-size': 11, 'text-anchor': 'middle', fill: ink, 'pointer-events': 'none' }, text));
      }
    });
  };
  rows.forEach((r, k) => draw(r.name, r.cells, 20 + k * ch, max, false));
  draw(t('total'), totals, 20 + rows.length * ch + 4, totalMax, true);
  box.replaceChildren(s);
}

// Horizontal bars, one group per row, each bar with its value at its end: `series` =
// [[key, colour, legend]]. `perRow`: each row on its own scale (materials counted in different
// units), else one scale for all.
function bars(box, rows, series, summary, { perRow = false, unit = () => '' } = {}) {
  const width = Math.max(300, box.clientWidth || 600);
  const lw = Math.min(130, Math.round(width * 0.3));
  const vw = 70;
  const bw = width - lw - vw;
  const bh = 11;
  const gh = series.length * (bh + 2) + 8;
  // The legend, on as many lines as the width needs.
  const keys = [];
  let lx = 0;
  let ly = 4;
  for (const [, colour, legend] of series) {
    const w = 24 + textWidth(legend);
    if (lx > 0 && lx + w > width) { lx = 0; ly += 16; }
    keys.push([lx, ly, colour, legend]);
    lx += w;
  }
  const head = ly + 20;
  const height = head + Math.max(1, rows.length) * gh;
  const s = svg(width, height, summary);
  for (const [x, y, colour, legend] of keys) {
    s.append(el('rect', { x, y, width: 10, height: 10, fill: colour }));
    s.append(el('text', { x: x + 14, y: y + 9, 'font-size': 11, fill: '#333' }, legend));
  }
  if (!rows.length) {
    s.append(el('text', { x: 0, y: head + 14, 'font-size': FONT, fill: '#555' }, t('chart_empty')));
    box.replaceChildren(s);
    return;
  }
  const top = (r) => Math.max(1, ...(perRow ? [r] : rows).flatMap((x) => series.map(([k]) => x[k] || 0)));
  rows.forEach((r, i) => {
    const y = head + i * gh;
    s.append(label(r.name, 0, y + gh / 2, lw - 6));
    const max = top(r);
    series.forEach(([k, colour, legend], j) => {
      const v = r[k] || 0;
      const w = Math.max(v ? 2 : 0, (bw * v) / max);
      const by = y + j * (bh + 2);
      const bar = el('rect', { x: lw, y: by, width: w, height: bh, fill: colour, rx: 1 });
      bar.append(el('title', {}, `${r.name} ${legend}: ${fmt(v)}${unit(r)}`));
      s.append(bar);
      s.append(el('text', { x: lw + w + 4, y: by + bh - 1, 'font-size': 11, fill: '#1a1a1a' }, `${fmt(v)}${unit(r)}`));
    });
  });
  box.replaceChildren(s);
}

export function drawCharts() {
  const source = document.getElementById('chart-data');
  if (!source) return;
  let data;
  try { data = JSON.parse(source.textContent || '{}'); } catch { return; }
  const hours = document.getElementById('chart-hours');
  if (hours) heatMap(hours, data);

  const complaints = (data.complaints || []).filter((r) => r.received || r.settled);
  const received = complaints.reduce((a, r) => a + r.received, 0);
  const settled = complaints.reduce((a, r) => a + r.settled, 0);
  const box = document.getElementById('chart-complaints');
  if (box) {
    bars(box, complaints, [['received', '#d9822b', t('complaints_received')], ['settled', '#2f8f4e', t('complaints_settled')]],
      `${t('chart_complaints')}: ${t('complaints_received')} ${fmt(received)}, ${t('complaints_settled')} ${fmt(settled)}`);
  }

  const materials = data.materials || [];
  const mbox = document.getElementById('chart-materials');
  if (mbox) {
    bars(mbox, materials, [['allocated', '#9db4cc', t('allocated')], ['handed_out', '#1f5fa8', t('handed_out')]],
      `${t('chart_materials')}: ${materials.map((m) => `${m.name} ${fmt(m.handed_out)}/${fmt(m.allocated)}${m.unit}`).join(', ')}`,
      { perRow: true, unit: (m) => (lang === 'en' ? ` ${m.unit}` : m.unit) });
  }
}

let resizeTimer = null;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(drawCharts, 150);
});
