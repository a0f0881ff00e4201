// Add, change and remove the rows of a table through the JSON API. Each `form.editor` (see
// templates/editor.html) lists its fields; "Add" opens it empty, "Edit" filled from the row as
// the API has it. The API's refusals (422, 400) are shown next to the fields they name. After a
// change the page is loaded again, so the table shows what the server now has.
import { api, failureText, fieldMessage, say, t } from './app.js';

const NOTE = 'eventday.editor.note';
const pageMsg = document.getElementById('editor-msg');
const editors = new Map();

const note = sessionStorage.getItem(NOTE);
if (note) { sessionStorage.removeItem(NOTE); say(pageMsg, note, 'ok'); }

function json(id, fallback) {
  try { return JSON.parse(document.getElementById(id)?.textContent || ''); } catch { return fallback; }
}

for (const form of document.querySelectorAll('form.editor')) {
  const key = form.dataset.key;
  const ed = { key, form, fields: json(`fields-${key}`, []), rows: json(`rows-${key}`, {}), editing: null, opener: null };
  editors.set(key, ed);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); save(ed); });
  form.querySelector('[data-cancel]').addEventListener('click', () => close(ed));
  form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(ed); } });
}

const inputs = (ed, f) => ed.form.querySelectorAll(`[name="${f.name}"]`);

// A field named `figures.visitors` is the `visitors` of the body's `figures` object.
function getPath(obj, name) {
  return name.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}
function setPath(obj, name, v) {
  const keys = name.split('.');
  const last = keys.pop();
  let o = obj;
  for (const k of keys) o = (o[k] ??= {});
  o[last] = v;
}

function setValue(ed, f, v) {
  if (f.kind === 'keep') return;
  if (f.kind === 'checks') {
    const chosen = new Set((v || []).map(String));
    for (const cb of inputs(ed, f)) cb.checked = chosen.has(cb.value);
    return;
  }
  const el = inputs(ed, f)[0];
  if (!el) return;
  if (f.kind === 'checkbox') el.checked = !!v;
  else if (f.kind === 'money') el.value = v == null ? '' : (v / 100).toFixed(2);
  else if (f.kind === 'daytime') el.value = localTime(v, f);
  else el.value = v == null ? '' : String(v);
}

/** An instant (or an "HH:MM" default) as the campaign day's clock shows it. */
function localTime(v, f) {
  if (v == null || v === '') return '';
  if (/^\d\d:\d\d$/.test(v)) return v;
  const offset = (Object.fromEntries(f.options || []).offset || '+00:00').match(/([+-])(\d\d):(\d\d)/);
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const d = new Date(new Date(v).getTime() + minutes * 60000);
  if (Number.isNaN(d.getTime())) return '';
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function getValue(ed, f, row) {
  if (f.kind === 'keep') return row ? (getPath(row, f.name) ?? null) : undefined;
  if (f.kind === 'checks') return [...inputs(ed, f)].filter((cb) => cb.checked).map((cb) => Number(cb.value));
  const el = inputs(ed, f)[0];
  if (f.kind === 'checkbox') return el.checked;
  const raw = el.value.trim();
  switch (f.kind) {
    case 'select': return raw === '' ? null : Number(raw);
    case 'select_opt': return raw === '' ? null : Number(raw);
    case 'path': return raw === '' ? null : Number(raw);
    case 'count': return raw === '' ? 0 : (Number.isInteger(Number(raw)) ? Number(raw) : raw);
    case 'select_text': return raw === '' ? null : raw;
    case 'text_opt': return raw === '' ? null : raw;
    case 'number_opt': return raw === '' ? null : (Number.isFinite(Number(raw)) ? Number(raw) : raw);
    case 'money': return raw === '' ? 0 : (Number.isFinite(Number(raw)) ? Math.round(Number(raw) * 100) : raw);
    case 'number': return raw === '' ? null : (Number.isFinite(Number(raw)) ? Number(raw) : raw);
    case 'time': return raw.slice(0, 5);
    // A time of the campaign's day, sent as an instant with the day's UTC offset.
    case 'daytime': {
      if (raw === '') return null;
      const o = Object.fromEntries(f.options || []);
      return `${o.date}T${raw.slice(0, 5)}:00${o.offset}`;
    }
    case 'date': return raw === '' ? null : raw;
    default: return raw;
  }
}

function clearErrors(ed) {
  for (const p of ed.form.querySelectorAll('.field-error')) p.textContent = '';
  for (const el of ed.form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  say(ed.form.querySelector('[data-msg]'), '', '');
}

/** Shows each named field's complaint beside it; returns whether any field was named. */
function showErrors(form, error) {
  let first = null;
  const unplaced = [];
  for (const [name, raw] of Object.entries(error?.fields || {})) {
    const text = fieldMessage(raw);
    // The complaint names the field as the form does, or its first part, or its last part
    // (`visitors` for the form's `figures.visitors`).
    const p = [name, name.split('.')[0]].map((n) => form.querySelector(`.field-error[data-for="${n}"]`)).find(Boolean)
      || form.querySelector(`.field-error[data-for$=".${name.split('.').pop()}"]`);
    if (!p) { unplaced.push(`${name}: ${text}`); continue; }
    const base = p.dataset.for;
    p.textContent = p.textContent ? `${p.textContent}; ${text}` : text;
    for (const el of form.querySelectorAll(`[name="${base}"]`)) {
      el.setAttribute('aria-invalid', 'true');
      first ??= el;
    }
  }
  first?.focus();
  return { placed: first !== null, unplaced };
}

function open(ed, id, opener) {
  const row = id == null ? null : ed.rows[id];
  ed.editing = id;
  ed.opener = opener;
  clearErrors(ed);
  for (const f of ed.fields) {
    setValue(ed, f, row ? getPath(row, f.name) : f.default);
    // A field naming the list a row was created under is fixed once the row exists.
    if (f.kind === 'path') for (const el of inputs(ed, f)) el.disabled = !!row;
  }
  const h = ed.form.querySelector('h2');
  h.textContent = row ? h.dataset.editTitle : h.dataset.addTitle;
  ed.form.hidden = false;
  document.querySelector(`[data-add="${ed.key}"]`)?.setAttribute('aria-expanded', 'true');
  ed.form.scrollIntoView({ block: 'nearest' });
  ed.form.querySelector('input:not([type=hidden]), select, textarea')?.focus();
}

function close(ed) {
  ed.form.hidden = true;
  document.querySelector(`[data-add="${ed.key}"]`)?.setAttribute('aria-expanded', 'false');
  ed.opener?.focus();
}

async function save(ed) {
  clearErrors(ed);
  const row = ed.editing == null ? null : ed.rows[ed.editing];
  const body = {};
  const path = {};
  for (const f of ed.fields) {
    const v = getValue(ed, f, row);
    if (f.kind === 'path') path[f.name] = v;
    else if (v !== undefined) setPath(body, f.name, v);
  }
  // The create URL may name a field (`/api/v1/venues/{venue_id}/tallies`): it must be chosen.
  const missing = ed.fields.find((f) => f.kind === 'path' && !row && path[f.name] == null);
  if (missing) {
    const p = ed.form.querySelector(`.field-error[data-for="${missing.name}"]`);
    if (p) p.textContent = t('required');
    inputs(ed, missing)[0]?.focus();
    say(ed.form.querySelector('[data-msg]'), `${t('save_failed')}: ${t('fix_fields')}`, 'error');
    return;
  }
  const create = ed.form.dataset.create.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(path[k] ?? ''));
  const button = ed.form.querySelector('button[type=submit]');
  button.disabled = true;
  const r = row
    ? await api('PUT', ed.form.dataset.item.replace('{id}', ed.editing), body)
    : await api('POST', create, body);
  button.disabled = false;
  if (r.ok) {
    sessionStorage.setItem(NOTE, t('saved'));
    location.reload();
    return;
  }
  const { placed, unplaced } = showErrors(ed.form, r.error);
  const detail = unplaced.length ? unplaced.join('; ') : (placed ? t('fix_fields') : failureText(r));
  say(ed.form.querySelector('[data-msg]'), `${t('save_failed')}: ${detail}`, 'error');
}

async function remove(ed, id) {
  // A table may have its own question (deleting a venue deletes what belongs to it).
  const own = `confirm_delete_${ed.key}`;
  if (!window.confirm(t(own) !== own ? t(own) : t('confirm_delete'))) return;
  const r = await api('DELETE', ed.form.dataset.item.replace('{id}', id));
  if (r.ok) {
    sessionStorage.setItem(NOTE, t('deleted'));
    location.reload();
  } else {
    say(pageMsg, `${t('delete_failed')}: ${failureText(r)}`, 'error');
  }
}

document.addEventListener('click', (ev) => {
  const add = ev.target.closest('button[data-add]');
  const edit = ev.target.closest('button[data-edit]');
  const del = ev.target.closest('button[data-delete]');
  if (add && editors.has(add.dataset.add)) open(editors.get(add.dataset.add), null, add);
  else if (edit && editors.has(edit.dataset.editor)) open(editors.get(edit.dataset.editor), edit.dataset.edit, edit);
  else if (del && editors.has(del.dataset.editor)) remove(editors.get(del.dataset.editor), del.dataset.delete);
});

// Disputes: move to one of the statuses the workflow allows next (recording the money recovered
// when settling).
for (const form of document.querySelectorAll('form.dispute-move')) {
  const amount = form.elements.amount_recovered;
  const sync = () => { amount.hidden = form.elements.status.value !== 'settled'; };
  form.elements.status.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
    const body = { status: form.elements.status.value };
    if (body.status === 'settled' && amount.value.trim() !== '') {
      const yuan = Number(amount.value);
      body.amount_recovered_fen = Number.isFinite(yuan) ? Math.round(yuan * 100) : amount.value;
    }
    const r = await api('POST', `/api/v1/disputes/${form.dataset.id}/status`, body);
    if (r.ok) {
      sessionStorage.setItem(NOTE, t('saved'));
      location.reload();
      return;
    }
    const p = form.querySelector('.field-error');
    p.textContent = `${t('save_failed')}: ${r.error?.fields && Object.keys(r.error.fields).length ? Object.values(r.error.fields).map(fieldMessage).join('; ') : failureText(r)}`;
  });
}
