// The floor-plan planner. Booths are SVG rectangles in metres (the SVG's user unit is one
// metre). Mouse: drag a booth to move it, drag the corner handle to resize, drag on an empty
// part of the plan to draw a new booth. Keyboard on a focused booth: arrows move by 0.5 m,
// Shift+arrows resize, R rotates by 15°. Every change snaps to 0.5 m, is checked here at once
// (same rules as the server: inside the venue, no overlap) and then sent; the server has the
// last word, and its refusal is shown in words and the booth put back. The side panel edits the
// chosen booth's topic, kind, staffing units and geometry, and deletes it.
import { api, fieldMessage, lang, say, t } from './app.js';
import { fitBoothLabels, pxPerMetre } from './plan-labels.js';

const data = JSON.parse(document.getElementById('page-data').textContent);
const venue = data.venue;
const unitNames = new Map((data.units || []).map(([id, name]) => [id, name]));
const svg = document.getElementById('plan');
const layer = document.getElementById('booths');
const msg = document.getElementById('plan-msg');
const form = document.getElementById('booth-form');
const list = document.getElementById('booth-list');
const SNAP = 0.5;
const EPS = 1e-3;
const NS = 'http://www.w3.org/2000/svg';

/** id -> {saved (as the server has it), cur (as shown), g} */
const booths = new Map();
for (const b of data.booths) booths.set(b.id, { saved: { ...b }, cur: { ...b }, g: null });

const snap = (v) => Math.round(v / SNAP) * SNAP;
const fill = (s, n) => s.replace('{n}', n);
const COLON = lang === 'zh' ? '：' : ': ';
const SEMI = lang === 'zh' ? '；' : '; ';

/** A booth's number: its place in id order (as on the print sheet). */
function numberOf(id) {
  const ids = [...booths.keys()].sort((a, b) => a - b);
  const i = ids.indexOf(id);
  return i < 0 ? null : i + 1;
}

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
/** What is wrong with a rectangle on the plan (ignoring booth `self`), in words, or ''. */
function problemOf(r, self) {
  if (!fitsInside(r)) return t('outside');
  for (const [other, o] of booths) {
    if (other !== self && o.cur.placed !== false && overlaps(r, o.cur)) return fill(t('overlaps_n'), numberOf(other));
  }
  return '';
}
const problem = (id) => problemOf(booths.get(id).cur, id);

// The API's words for a field, named as the form names it.
const FIELD_LABELS = { topic: 'topic', kind: 'booth_kind', x: 'x_m', y: 'y_m', w: 'w_m', h: 'h_m', rotation_deg: 'rotation', unit_ids: 'staffing' };

/** Why the server refused a booth, in the page's language (never the API's raw text). */
function refusal(r) {
  if (r.network) return t('network_error');
  const f = r.error?.fields || {};
  const parts = [];
  if (f.conflicting_booth_id != null) {
    const n = numberOf(Number(f.conflicting_booth_id));
    parts.push(fill(t('overlaps_n'), n ?? ''));
  } else if (f.rect != null) {
    parts.push(t('outside'));
  }
  for (const [k, v] of Object.entries(f)) {
    if (k === 'rect' || k === 'conflicting_booth_id') continue;
    const label = FIELD_LABELS[k.split('.')[0]];
    if (label) parts.push(`${t(label)}${COLON}${fieldMessage(v)}`);
  }
  if (!parts.length) {
    parts.push(r.status === 403 ? t('error_forbidden') : r.status === 404 ? t('error_not_found') : t('error_other'));
  }
  return t('not_saved') + parts.join(SEMI);
}

// --- drawing ---
function unitsLine(b) {
  const names = b.unit_names || (b.unit_ids || []).map((u) => unitNames.get(u) || '');
  return names.length > 2 ? `${names.slice(0, 2).join('、')} …（${names.length}）` : names.join('、');
}
function draw(id) {
  const b = booths.get(id);
  const { cur, g } = b;
  const num = numberOf(id);
  // A booth not placed yet has no place on the plan: it is only in the list.
  if (cur.placed === false) g.setAttribute('display', 'none'); else g.removeAttribute('display');
  const cx = cur.x + cur.w / 2, cy = cur.y + cur.h / 2;
  g.setAttribute('transform', `rotate(${cur.rotation_deg} ${cx} ${cy})`);
  const rect = g.querySelector('rect');
  rect.setAttribute('x', cur.x); rect.setAttribute('y', cur.y);
  rect.setAttribute('width', cur.w); rect.setAttribute('height', cur.h);
  const units = unitsLine(cur);
  fitBoothLabels(g, cur, num, cur.topic, units, pxPerMetre(svg));
  g.querySelector('title').textContent = `${num} · ${cur.topic}${units ? `（${(cur.unit_names || []).join('、')}）` : ''}`;
  const h = g.querySelector('.handle');
  h.setAttribute('x', cur.x + cur.w - 0.35); h.setAttribute('y', cur.y + cur.h - 0.35);
  // The name starts with what the booth shows (perhaps shortened), then says it in full.
  const shown = [...g.querySelectorAll('text')].map((x) => x.textContent).filter(Boolean).join(' ');
  g.setAttribute('aria-label', `${shown} (${fill(t('booth_n'), num)} ${cur.topic}: x ${cur.x} m, y ${cur.y} m, ${cur.w} × ${cur.h} m, ${cur.rotation_deg}°)`);
  g.dataset.num = num;
  g.dataset.x = cur.x; g.dataset.y = cur.y; g.dataset.w = cur.w; g.dataset.h = cur.h; g.dataset.rotation = cur.rotation_deg;
}
const drawAll = () => { for (const id of booths.keys()) draw(id); };

function checkAll() {
  let first = '';
  for (const [id, b] of booths) {
    const p = b.cur.placed === false ? '' : problem(id);
    b.g.classList.toggle('bad', !!p);
    if (p && !first) first = `${fill(t('booth_n'), numberOf(id))}${COLON}${p}`;
  }
  return first;
}

/** The list of booths beside the plan, in number order. */
function renderList() {
  list.replaceChildren();
  for (const id of [...booths.keys()].sort((a, b) => a - b)) {
    const li = document.createElement('li');
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.dataset.select = id;
    const cur = booths.get(id).cur;
    btn.textContent = `${numberOf(id)} · ${cur.topic}${cur.placed === false ? `（${t('not_placed')}）` : ''}`;
    li.append(btn);
    list.append(li);
  }
  document.getElementById('no-booths').hidden = booths.size > 0;
}

/** Wires up a booth's group (drawn by the server, or made here for a new booth). */
function adopt(id, g) {
  booths.get(id).g = g;
  g.setAttribute('tabindex', '0');
  g.setAttribute('role', 'button');
  g.setAttribute('aria-roledescription', t('booth'));
  if (!g.querySelector('title')) g.prepend(document.createElementNS(NS, 'title'));
  const h = document.createElementNS(NS, 'rect');
  h.setAttribute('class', 'handle');
  h.setAttribute('width', 0.35); h.setAttribute('height', 0.35);
  g.append(h);
}
function makeGroup(id) {
  const g = document.createElementNS(NS, 'g');
  g.setAttribute('class', 'booth');
  g.dataset.id = id;
  g.append(document.createElementNS(NS, 'title'), document.createElementNS(NS, 'rect'));
  const label = document.createElementNS(NS, 'text'); label.setAttribute('class', 'label');
  const units = document.createElementNS(NS, 'text'); units.setAttribute('class', 'units');
  g.append(label, units);
  layer.append(g);
  adopt(id, g);
  return g;
}
/** Puts a booth above the others (while it is dragged, it stays visible over what it covers). */
function raise(id) {
  const g = booths.get(id).g;
  if (g !== layer.lastElementChild) layer.append(g);
}

let selected = null;
function select(id, focus) {
  selected = id;
  for (const [bid, b] of booths) b.g.classList.toggle('selected', bid === id);
  const b = booths.get(id);
  form.hidden = false;
  document.getElementById('booth-num').textContent = fill(t('booth_n'), numberOf(id));
  if (document.activeElement !== form.elements.topic) form.elements.topic.value = b.cur.topic;
  form.elements.kind.value = b.cur.kind;
  const chosen = new Set((b.cur.unit_ids || []).map(Number));
  for (const cb of form.querySelectorAll('input[name=unit_ids]')) cb.checked = chosen.has(Number(cb.value));
  const unplaced = b.cur.placed === false;
  for (const k of ['x', 'y', 'w', 'h', 'rotation_deg']) form.elements[k].value = unplaced && k !== 'rotation_deg' ? '' : b.cur[k];
  document.getElementById('place-booth').hidden = !unplaced;
  document.getElementById('bf-topic-err').textContent = '';
  if (focus) b.g.focus();
}
function unselect() {
  selected = null;
  form.hidden = true;
}

// --- saving ---
const pending = new Map();
function saveSoon(id, delay) {
  clearTimeout(pending.get(id));
  pending.set(id, setTimeout(() => save(id), delay));
}
// A booth not placed yet keeps no position (its stored rectangle is only a placeholder).
const bodyOf = (c) => (c.placed === false
  ? { topic: c.topic, kind: c.kind, x: null, y: null, w: null, h: null, rotation_deg: c.rotation_deg, unit_ids: c.unit_ids || [] }
  : { topic: c.topic, kind: c.kind, x: c.x, y: c.y, w: c.w, h: c.h, rotation_deg: c.rotation_deg, unit_ids: c.unit_ids || [] });

async function save(id) {
  pending.delete(id);
  const b = booths.get(id);
  const local = checkAll();
  if (local) say(msg, local, 'error');
  const c = b.cur;
  const r = await api('PUT', `/api/v1/booths/${id}`, bodyOf(c));
  if (!booths.has(id)) return;
  if (r.ok) {
    b.saved = { ...b.cur, ...r.data, unit_ids: c.unit_ids, unit_names: c.unit_names };
    b.cur.placed = b.saved.placed;
    b.g.dataset.saved = '1';
    renderList();
    if (!checkAll()) say(msg, `${t('saved')}${COLON}${fill(t('booth_n'), numberOf(id))} ${c.topic}`, 'ok');
  } else {
    // Refused (or not sent): say why and put the booth back where the server has it.
    say(msg, refusal(r), 'error');
    if (r.error?.fields?.topic) document.getElementById('bf-topic-err').textContent = fieldMessage(r.error.fields.topic);
    b.cur = { ...b.saved };
    draw(id);
    checkAll();
    if (selected === id) select(id, false);
  }
}

/** Makes a booth at `r` on the server, then on the plan; returns whether it was made. */
async function create(r) {
  const local = problemOf(r, null);
  const topic = `${t('new_booth')} ${booths.size + 1}`;
  const body = { topic, kind: 'consultation', x: r.x, y: r.y, w: r.w, h: r.h, rotation_deg: 0, unit_ids: [] };
  if (local) { say(msg, t('not_saved') + local, 'error'); return false; }
  const resp = await api('POST', `/api/v1/venues/${venue.id}/booths`, body);
  if (!resp.ok) { say(msg, refusal(resp), 'error'); return false; }
  const b = { ...resp.data, unit_ids: [], unit_names: [] };
  booths.set(b.id, { saved: { ...b }, cur: { ...b }, g: null });
  makeGroup(b.id);
  drawAll();
  renderList();
  checkAll();
  select(b.id, true);
  say(msg, `${t('saved')}${COLON}${fill(t('booth_n'), numberOf(b.id))} ${b.topic}`, 'ok');
  form.elements.topic.focus();
  form.elements.topic.select();
  return true;
}

/** The first free place for a w x h booth, row by row, or null. */
function freeSpot(w, h) {
  for (let y = 0.5; y + h <= venue.depth_m + EPS; y += SNAP) {
    for (let x = 0.5; x + w <= venue.width_m + EPS; x += SNAP) {
      const r = { x, y, w, h, rotation_deg: 0 };
      if (!problemOf(r, null)) return r;
    }
  }
  return null;
}

// --- set up the booths already drawn by the server ---
for (const g of svg.querySelectorAll('.booth')) adopt(Number(g.dataset.id), g);
drawAll();
checkAll();
renderList();

function toMetres(ev) {
  const pt = svg.createSVGPoint();
  pt.x = ev.clientX; pt.y = ev.clientY;
  return pt.matrixTransform(svg.getScreenCTM().inverse());
}

let drag = null;
let sketch = null;
svg.addEventListener('pointerdown', (ev) => {
  const g = ev.target.closest('.booth');
  const p = toMetres(ev);
  if (!g) {
    // Drawing a new booth on an empty part of the plan.
    sketch = document.createElementNS(NS, 'rect');
    sketch.setAttribute('class', 'sketch');
    svg.append(sketch);
    drag = { mode: 'draw', start: { x: snap(p.x), y: snap(p.y) }, rect: null };
    svg.setPointerCapture(ev.pointerId);
    ev.preventDefault();
    return;
  }
  const id = Number(g.dataset.id);
  const b = booths.get(id);
  drag = { id, mode: ev.target.classList.contains('handle') ? 'resize' : 'move', start: p, orig: { ...b.cur } };
  svg.setPointerCapture(ev.pointerId);
  raise(id);
  select(id, true);
  ev.preventDefault();
});
svg.addEventListener('pointermove', (ev) => {
  if (!drag) return;
  const p = toMetres(ev);
  if (drag.mode === 'draw') {
    const x2 = snap(p.x), y2 = snap(p.y);
    const r = { x: Math.min(drag.start.x, x2), y: Math.min(drag.start.y, y2), w: Math.abs(x2 - drag.start.x), h: Math.abs(y2 - drag.start.y), rotation_deg: 0 };
    drag.rect = r;
    sketch.setAttribute('x', r.x); sketch.setAttribute('y', r.y);
    sketch.setAttribute('width', r.w); sketch.setAttribute('height', r.h);
    const bad = r.w >= SNAP && r.h >= SNAP ? problemOf(r, null) : '';
    sketch.classList.toggle('bad', !!bad);
    say(msg, bad, bad ? 'error' : '');
    return;
  }
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
  const d = drag;
  drag = null;
  try { svg.releasePointerCapture(ev.pointerId); } catch { /* already released */ }
  if (d.mode === 'draw') {
    sketch?.remove();
    sketch = null;
    // A click (or a sliver) on the empty plan draws nothing.
    if (ev.type === 'pointerup' && d.rect && d.rect.w >= 1 && d.rect.h >= 1) create(d.rect);
    return;
  }
  const { id, orig } = d;
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
  else if (ev.key === 'Delete') { ev.preventDefault(); remove(id); return; }
  else return;
  ev.preventDefault();
  draw(id);
  select(id, false);
  const local = checkAll();
  say(msg, local, local ? 'error' : '');
  saveSoon(id, 500);
});
svg.addEventListener('focusin', (ev) => { const g = ev.target.closest('.booth'); if (g) select(Number(g.dataset.id), false); });

list.addEventListener('click', (ev) => {
  const btn = ev.target.closest('button[data-select]');
  if (btn) select(Number(btn.dataset.select), true);
});
document.getElementById('rotate-btn').addEventListener('click', () => {
  if (selected == null) return;
  const c = booths.get(selected).cur;
  c.rotation_deg = (c.rotation_deg + 15) % 360;
  draw(selected); select(selected, false); checkAll(); save(selected);
});
document.getElementById('add-booth').addEventListener('click', () => {
  const r = freeSpot(3, 2) || freeSpot(2, 2) || freeSpot(1, 1);
  if (!r) { say(msg, t('no_room'), 'error'); return; }
  create(r);
});

async function remove(id) {
  const b = booths.get(id);
  if (!b || !window.confirm(`${t('confirm_delete_booth')}\n${fill(t('booth_n'), numberOf(id))} ${b.cur.topic}`)) return;
  const r = await api('DELETE', `/api/v1/booths/${id}`);
  if (!r.ok) { say(msg, refusal(r).replace(t('not_saved'), `${t('delete_failed')}${COLON}`), 'error'); return; }
  b.g.remove();
  booths.delete(id);
  unselect();
  drawAll();
  renderList();
  checkAll();
  say(msg, `${t('deleted')}${COLON}${b.cur.topic}`, 'ok');
  document.getElementById('add-booth').focus();
}
document.getElementById('delete-booth').addEventListener('click', () => { if (selected != null) remove(selected); });
// A booth imported without a position goes to the first free place; it can then be dragged.
document.getElementById('place-booth').addEventListener('click', () => {
  if (selected == null) return;
  const b = booths.get(selected);
  const r = freeSpot(3, 2) || freeSpot(2, 2) || freeSpot(1, 1);
  if (!r) { say(msg, t('no_room'), 'error'); return; }
  Object.assign(b.cur, r, { placed: true });
  draw(selected); renderList(); select(selected, true); checkAll(); save(selected);
});

// Filtering the units by name (long lists).
document.getElementById('unit-filter')?.addEventListener('input', (ev) => {
  const q = ev.target.value.trim().toLowerCase();
  for (const label of form.querySelectorAll('.unit-checks label.check')) {
    label.hidden = q !== '' && !label.textContent.toLowerCase().includes(q);
  }
});

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (selected == null) return;
  const c = booths.get(selected).cur;
  const topic = form.elements.topic.value.trim();
  if (!topic) {
    document.getElementById('bf-topic-err').textContent = fieldMessage('must not be empty');
    form.elements.topic.setAttribute('aria-invalid', 'true');
    form.elements.topic.focus();
    return;
  }
  form.elements.topic.removeAttribute('aria-invalid');
  c.topic = topic;
  c.kind = form.elements.kind.value;
  const ids = [...form.querySelectorAll('input[name=unit_ids]:checked')].map((cb) => Number(cb.value));
  c.unit_ids = ids;
  c.unit_names = ids.map((u) => unitNames.get(u) || '');
  const typed = ['x', 'y', 'w', 'h'].map((k) => form.elements[k].value.trim());
  // An unplaced booth stays unplaced until all four are given.
  if (c.placed !== false || typed.every((v) => v !== '')) {
    for (const k of ['x', 'y', 'w', 'h']) c[k] = snap(Number(form.elements[k].value));
    c.w = Math.max(SNAP, c.w); c.h = Math.max(SNAP, c.h);
    c.placed = true;
  }
  c.rotation_deg = Number(form.elements.rotation_deg.value) || 0;
  draw(selected); checkAll(); save(selected);
});

// Labels keep their on-screen size when the plan is drawn at another scale.
let resizeTimer = null;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(drawAll, 150); });
