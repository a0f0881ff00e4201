// The allocation grid: venues down, materials across. Each cell saves on change
// (PUT /api/v1/materials/{id}/allocations/{venue}); a column allocating more than planned is marked.
import { api, failureText, fieldMessage, fmt, lang, say, t } from './app.js';

const data = JSON.parse(document.getElementById('page-data').textContent);
const table = document.getElementById('alloc-grid');
const msg = document.getElementById('grid-msg');
const qty = new Map(); // `${material}:${venue}` -> quantity
for (const a of data.allocations) qty.set(`${a.material_id}:${a.venue_id}`, a.quantity);

const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

function build() {
  const head = el('thead');
  const hr = el('tr');
  hr.append(el('th', { scope: 'col' }, t('venue')));
  for (const m of data.materials) hr.append(el('th', { scope: 'col', class: 'num', id: `mh-${m.id}` }, `${m.name} (${m.unit_label})`));
  head.append(hr);
  const body = el('tbody');
  for (const v of data.venues) {
    const tr = el('tr');
    tr.append(el('th', { scope: 'row' }, v.name));
    for (const m of data.materials) {
      const td = el('td', { class: 'num' });
      const input = el('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric', 'data-m': m.id, 'data-v': v.id,
        'aria-label': `${v.name} · ${m.name}` });
      input.value = qty.get(`${m.id}:${v.id}`) ?? 0;
      td.append(input);
      tr.append(td);
    }
    body.append(tr);
  }
  const foot = el('tfoot');
  for (const [key, label] of [['allocated', t('allocated')], ['planned', t('planned')], ['handed', t('handed_out')]]) {
    const tr = el('tr');
    tr.append(el('th', { scope: 'row' }, label));
    for (const m of data.materials) tr.append(el('td', { class: 'num', id: `${key}-${m.id}` }));
    foot.append(tr);
  }
  table.replaceChildren(head, body, foot);
  totals();
}

function totals() {
  for (const m of data.materials) {
    let sum = 0;
    for (const v of data.venues) sum += qty.get(`${m.id}:${v.id}`) ?? 0;
    const over = sum > m.planned;
    const cell = document.getElementById(`allocated-${m.id}`);
    cell.textContent = over ? `${fmt(sum)} · ${t('over_allocated')} ${fmt(sum - m.planned)}` : fmt(sum);
    cell.classList.toggle('over', over);
    document.getElementById(`mh-${m.id}`).classList.toggle('over', over);
    document.getElementById(`planned-${m.id}`).textContent = fmt(m.planned);
    document.getElementById(`handed-${m.id}`).textContent = fmt(data.handed_out[m.id] ?? 0);
  }
}

table.addEventListener('change', async (ev) => {
  const input = ev.target.closest('input[data-m]');
  if (!input) return;
  // A negative or broken number is refused where it was typed (and not saved), never quietly
  // turned into another number.
  const raw = input.value.trim();
  const n = raw === '' ? 0 : Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    input.setAttribute('aria-invalid', 'true');
    const why = Number.isFinite(n) && n < 0 ? fieldMessage('must not be negative') : t('must_be_whole');
    say(msg, `${t('not_saved')}${input.getAttribute('aria-label')}${lang === 'zh' ? '：' : ': '}${why}`, 'error');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  input.value = n;
  const key = `${input.dataset.m}:${input.dataset.v}`;
  const before = qty.get(key) ?? 0;
  qty.set(key, n);
  totals();
  const r = await api('PUT', `/api/v1/materials/${input.dataset.m}/allocations/${input.dataset.v}`, { quantity: n });
  if (r.ok) say(msg, t('saved'), 'ok');
  else { qty.set(key, before); input.value = before; totals(); const f = Object.values(r.error?.fields || {}); say(msg, `${t('save_failed')}: ${f.length ? f.map(fieldMessage).join('; ') : failureText(r)}`, 'error'); }
});

build();
