// The floor-plan planner. Booths are SVG rectangles in metres (the SVG's user unit is one
// metre). Mouse: drag to move, drag the corner handle to resize. Keyboard on a focused booth:
// arrows move by 0.5 m, Shift+arrows resize, R rotates by 15°. Every change snaps to 0.5 m, is
// checked here at once (same rules as the server: inside the venue, no overlap) and then sent
// with PUT; the server has the last word, and its refusal is shown and the booth put back.
import { api, errorText, say, t } from './app.js';

const data = JSON.parse(document.getElementById('page-data').textContent);
const venue = data.venue;
const svg = document.getElementById('plan');
const msg = document.getElementById('plan-msg');
const form = document.getElementById('booth-form');
const SNAP = 0.5;
const EPS = 1e-3;
const NS = 'http://www.w3.org/2000/svg';

/** id -> {booth (as saved), cur (as shown), g} */
const booths = new Map();
for (const b of data.booths) booths.set(b.id, { saved: { ...b }, cur: { ...b }, g: null });

const snap = (v) => Math.round(v / SNAP) * SNAP;

// --- geometry, mirroring eventday_domain::geometry::Rect ---
function corners(r) {
  const cx = r.x + r.w / 2, cy = r.y + r.h / 2;
  const a = (r.rotation_deg * Math.PI) / 180, s = Math.sin(a), c = Math.cos(a);
  return [[-r.w / 2, -r.h / 2], [r.w / 2, -r.h / 2], [r.w / 2, r.h / 2], [-r.w / 2, r.h / 2]]
    .map(([dx, dy]) => [cx + dx * c - dy * s, cy + dx * s + dy * c]);
}
function fitsInside(r) {
  return corners(r).every(([x, y]) => x >= -EPS && y >= -EPS && x <= venue.width_m + EPS && y <= venue.depth_m + EPS);
}
function overlaps(r1, r2) {
  const a = corners(r1), b = corners(r2);
  for (const poly of [a, b]) {
    for (let i = 0; i < 4; i++) {
      const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
      const ax = y1 - y2, ay = x2 - x1;
      const proj = (pts) => pts.reduce(([lo, hi], [px, py]) => { const v = px * ax + py * ay; return [Math.min(lo, v), Math.max(hi, v)]; }, [Infinity, -Infinity]);
      const [amin, amax] = proj(a), [bmin, bmax] = proj(b);
      const len = Math.max(Math.hypot(ax, ay), Number.MIN_VALUE);
      if (amax <= bmin + EPS * len || bmax <= amin + EPS * len) return false;
    }
  }
  return true;
}
/** What is wrong with a booth where it is now shown, or ''. */
function problem(id) {
  const r = booths.get(id).cur;
  if (!fitsInside(r)) return t('outside');
  for (const [other, o] of booths) {
    if (other !== id && overlaps(r, o.cur)) return t('overlaps') + o.cur.topic;
  }
  return '';
}

// --- drawing ---
function draw(id) {
  const { cur } = booths.get(id);
  const g = booths.get(id).g;
  const cx = cur.x + cur.w / 2, cy = cur.y + cur.h / 2;
  g.setAttribute('transform', `rotate(${cur.rotation_deg} ${cx} ${cy})`);
  const rect = g.querySelector('rect');
  rect.setAttribute('x', cur.x); rect.setAttribute('y', cur.y);
  rect.setAttribute('width', cur.w); rect.setAttribute('height', cur.h);
  fitLabels(g, cur, cx, cy);
  const h = g.querySelector('.handle');
  h.setAttribute('x', cur.x + cur.w - 0.35); h.setAttribute('y', cur.y + cur.h - 0.35);
  g.setAttribute('aria-label', `${cur.topic}: x ${cur.x} m, y ${cur.y} m, ${cur.w} × ${cur.h} m, ${cur.rotation_deg}°`);
  g.dataset.x = cur.x; g.dataset.y = cur.y; g.dataset.w = cur.w; g.dataset.h = cur.h; g.dataset.rotation = cur.rotation_deg;
}
/**
 * Sizes and places a booth's two labels (topic, staffing units) for its current size, as the
 * server does in plan_svg.html, so they stay inside the booth after a resize. Past a quarter
 * turn the labels are turned half a turn more, so that they never read upside down.
 */
function fitLabels(g, cur, cx, cy) {
  const [label, units] = g.querySelectorAll('text');
  const chars = (s) => [...(s || '')].length;
  const fs = Math.min(cur.h * 0.3, (cur.w * 0.9) / (chars(label.textContent) + 0.5), 1.6);
  const ut = units.textContent;
  const fu = Math.min(fs * 0.6, (cur.w * 0.9) / (chars(ut) + 0.5));
  const rot = ((cur.rotation_deg % 360) + 360) % 360;
  const flip = rot > 90 && rot <= 270;
  const place = (text, size, dy) => {
    text.style.fontSize = `${size}px`;
    text.dataset.dy = dy;
    text.setAttribute('x', cx);
    text.setAttribute('y', cy + dy);
    if (flip) text.setAttribute('transform', `rotate(180 ${cx} ${cy})`);
    else text.removeAttribute('transform');
  };
  place(label, fs, ut ? -fu * 0.6 : 0);
  place(units, fu, fs * 0.6);
}

function checkAll() {
  let first = '';
  for (const [id, b] of booths) {
    const p = problem(id);
    b.g.classList.toggle('bad', !!p);
    if (p && !first) first = `${b.cur.topic}: ${p}`;
  }
  return first;
}

let selected = null;
function select(id, focus) {
  selected = id;
  for (const [bid, b] of booths) b.g.classList.toggle('selected', bid === id);
  const b = booths.get(id);
  form.hidden = false;
  document.getElementById('booth-topic').textContent = b.cur.topic;
  document.getElementById('booth-units').textContent = (b.cur.unit_names || []).join('、');
  for (const k of ['x', 'y', 'w', 'h', 'rotation_deg']) form.elements[k].value = b.cur[k];
  if (focus) b.g.focus();
}

// --- saving ---
const pending = new Map();
function saveSoon(id, delay) {
  clearTimeout(pending.get(id));
  pending.set(id, setTimeout(() => save(id), delay));
}
async function save(id) {
  pending.delete(id);
  const b = booths.get(id);
  const local = checkAll();
  if (local) say(msg, local, 'error');
  const c = b.cur;
  const body = { topic: c.topic, kind: c.kind, x: c.x, y: c.y, w: c.w, h: c.h, rotation_deg: c.rotation_deg, unit_ids: c.unit_ids || [] };
  const r = await api('PUT', `/api/v1/booths/${id}`, body);
  if (r.ok) {
    b.saved = { ...b.cur, ...r.data };
    b.g.dataset.saved = '1';
    if (!checkAll()) say(msg, `${t('saved')}: ${c.topic}`, 'ok');
  } else {
    // Refused (or not sent): show why and put the booth back where the server has it.
    say(msg, t('refused') + (errorText(r.error) || r.status), 'error');
    b.cur = { ...b.saved };
    draw(id);
    checkAll();
    if (selected === id) select(id, false);
  }
}

// --- set up the booths already drawn by the server ---
for (const g of svg.querySelectorAll('.booth')) {
  const id = Number(g.dataset.id);
  const b = booths.get(id);
  b.g = g;
  g.setAttribute('tabindex', '0');
  g.setAttribute('role', 'button');
  g.setAttribute('aria-roledescription', t('booth'));
  const h = document.createElementNS(NS, 'rect');
  h.setAttribute('class', 'handle');
  h.setAttribute('width', 0.35); h.setAttribute('height', 0.35);
  g.append(h);
  draw(id);
}
checkAll();

function toMetres(ev) {
  const pt = svg.createSVGPoint();
  pt.x = ev.clientX; pt.y = ev.clientY;
  return pt.matrixTransform(svg.getScreenCTM().inverse());
}

let drag = null;
svg.addEventListener('pointerdown', (ev) => {
  const g = ev.target.closest('.booth');
  if (!g) return;
  const id = Number(g.dataset.id);
  const b = booths.get(id);
  const p = toMetres(ev);
  drag = { id, mode: ev.target.classList.contains('handle') ? 'resize' : 'move', start: p, orig: { ...b.cur } };
  svg.setPointerCapture(ev.pointerId);
  select(id, true);
  ev.preventDefault();
});
svg.addEventListener('pointermove', (ev) => {
  if (!drag) return;
  const p = toMetres(ev);
  const b = booths.get(drag.id);
  const dx = p.x - drag.start.x, dy = p.y - drag.start.y;
  if (drag.mode === 'move') {
    b.cur.x = snap(drag.orig.x + dx);
    b.cur.y = snap(drag.orig.y + dy);
  } else {
    b.cur.w = Math.max(SNAP, snap(drag.orig.w + dx));
    b.cur.h = Math.max(SNAP, snap(drag.orig.h + dy));
  }
  draw(drag.id);
  const local = checkAll();
  say(msg, local, local ? 'error' : '');
});
function endDrag(ev) {
  if (!drag) return;
  const { id, orig } = drag;
  drag = null;
  try { svg.releasePointerCapture(ev.pointerId); } catch { /* already released */ }
  const c = booths.get(id).cur;
  if (c.x !== orig.x || c.y !== orig.y || c.w !== orig.w || c.h !== orig.h) save(id);
  select(id, false);
}
svg.addEventListener('pointerup', endDrag);
svg.addEventListener('pointercancel', endDrag);

svg.addEventListener('keydown', (ev) => {
  const g = ev.target.closest('.booth');
  if (!g) return;
  const id = Number(g.dataset.id);
  const c = booths.get(id).cur;
  const step = { ArrowLeft: [-SNAP, 0], ArrowRight: [SNAP, 0], ArrowUp: [0, -SNAP], ArrowDown: [0, SNAP] }[ev.key];
  if (step && ev.shiftKey) { c.w = Math.max(SNAP, snap(c.w + step[0])); c.h = Math.max(SNAP, snap(c.h + step[1])); }
  else if (step) { c.x = snap(c.x + step[0]); c.y = snap(c.y + step[1]); }
  else if (ev.key === 'r' || ev.key === 'R') { c.rotation_deg = ((c.rotation_deg + (ev.shiftKey ? -15 : 15)) % 360 + 360) % 360; }
  else if (ev.key === 'Enter' || ev.key === ' ') { select(id, false); ev.preventDefault(); return; }
  else return;
  ev.preventDefault();
  draw(id);
  select(id, false);
  const local = checkAll();
  say(msg, local, local ? 'error' : '');
  saveSoon(id, 500);
});
svg.addEventListener('focusin', (ev) => { const g = ev.target.closest('.booth'); if (g) select(Number(g.dataset.id), false); });

document.querySelector('.booth-list')?.addEventListener('click', (ev) => {
  const btn = ev.target.closest('button[data-select]');
  if (btn) select(Number(btn.dataset.select), true);
});
document.getElementById('rotate-btn')?.addEventListener('click', () => {
  if (selected == null) return;
  const c = booths.get(selected).cur;
  c.rotation_deg = (c.rotation_deg + 15) % 360;
  draw(selected); select(selected, false); checkAll(); save(selected);
});
form?.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (selected == null) return;
  const c = booths.get(selected).cur;
  for (const k of ['x', 'y', 'w', 'h']) c[k] = snap(Number(form.elements[k].value));
  c.w = Math.max(SNAP, c.w); c.h = Math.max(SNAP, c.h);
  c.rotation_deg = Number(form.elements.rotation_deg.value) || 0;
  draw(selected); checkAll(); save(selected);
});
