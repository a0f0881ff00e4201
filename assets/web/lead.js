// The lead's logging page. Every entry gets a client UUID and goes into a queue in localStorage
// first; the queue is sent whenever possible (on submit, when the browser comes back online,
// when the page becomes visible, and on a timer with backoff). The server stores an entry once
// per id, so sending the same entry again after a lost answer counts it once.
//
// Before an entry is queued the page checks it with the server's rules (the limits come in the
// page data), so a bad entry is fixed while its values are still in the form. A refused entry
// stays in the queue with the server's reason and can be edited and sent again. A stored entry
// can be corrected or voided: the correction is an entry of its own that names the one it
// corrects, queued and sent like any other.
import { api, fieldMessage, fmt, lang, rememberCsrf, say, t } from './app.js';
import { dataUrlToBlob, shrink } from './photo-shrink.js';

const data = JSON.parse(document.getElementById('page-data').textContent);
const venueId = data.venue_id;
const KEY = `eventday.queue.v1.venue.${venueId}`;
const LOG_KEY = `eventday.log.v1.venue.${venueId}`;
const AUTHOR_KEY = 'eventday.author';
const FIELDS = ['visitors', 'consultations', 'complaints_received', 'complaints_settled'];
const MAX_PHOTO_BYTES = 1024 * 1024;
const materialNames = new Map((data.materials || []).map((m) => [String(m.id), m.name]));

const form = document.getElementById('log-form');
const msg = document.getElementById('log-msg');
const pendingEl = document.getElementById('pending-count');
const sentEl = document.getElementById('sent-count');
const rejectedEl = document.getElementById('rejected-count');
const rejectedWrap = document.getElementById('rejected-wrap');
const netEl = document.getElementById('net-state');
const recentEl = document.getElementById('recent');
const dayEl = document.getElementById('day-state');
const editNote = document.getElementById('edit-note');
const reasonWrap = document.getElementById('reason-wrap');
const cancelEdit = document.getElementById('cancel-edit');
const signinBox = document.getElementById('signin-box');
const signinForm = document.getElementById('signin-form');
const previewsEl = document.getElementById('photo-previews');

// ---- storage -------------------------------------------------------------------------------

function load() {
  try { return JSON.parse(localStorage.getItem(KEY) || '{"entries":[],"sent":0}'); } catch { return { entries: [], sent: 0 }; }
}
function save(q) {
  // Keep every unsent entry; of the sent ones only the latest few, for the "recent" list.
  const unsent = q.entries.filter((e) => e.state !== 'sent');
  const sent = q.entries.filter((e) => e.state === 'sent').slice(-20);
  q.entries = [...unsent, ...sent].sort((a, b) => a.queued_at - b.queued_at);
  localStorage.setItem(KEY, JSON.stringify(q));
}
function update(id, patch) {
  const q = load();
  const e = q.entries.find((x) => x.id === id);
  if (!e) return;
  // Counted once per entry, even if it is sent again (the server keeps it once too).
  if (patch.state === 'sent' && !e.was_sent) { q.sent += 1; e.was_sent = true; }
  Object.assign(e, patch);
  if (patch.state === 'sent') delete e.photos;
  save(q);
}
// The venue's log as the server last listed it (kept for reloads without a connection).
function serverLog() {
  try { return JSON.parse(localStorage.getItem(LOG_KEY) || '[]'); } catch { return []; }
}

// ---- the day's state -----------------------------------------------------------------------

const locked = () => data.day_status === 'accepted';
function renderDay() {
  const now = Date.now();
  let key = 'day_open';
  if (data.day_status === 'accepted') key = 'day_accepted';
  else if (data.day_status === 'submitted') key = 'day_submitted';
  else if (now < Date.parse(data.day_start)) key = 'day_not_started';
  dayEl.dataset.status = data.day_status;
  dayEl.textContent = `${t('day_state')}${lang === 'en' ? ': ' : '：'}${t(key)}`;
  // Why the organizer sent the day back, until it is submitted again.
  const why = document.getElementById('reopen-reason');
  if (why) {
    const reason = data.day_status === 'open' ? (data.reopen_reason || '') : '';
    why.hidden = !reason;
    why.textContent = reason ? `${t('reopen_reason')}${lang === 'en' ? ': ' : '：'}${reason}` : '';
  }
  for (const el of form.elements) el.disabled = locked();
  form.setAttribute('aria-disabled', locked() ? 'true' : 'false');
}

// ---- checks before queueing (the server's rules) --------------------------------------------

const fill = (text, max) => text.replace('{max}', fmt(max));

// A whole number from the input's text, or NaN for anything else ('' is 0).
function wholeOf(input) {
  const s = String(input.value).trim();
  if (s === '') return input.validity && input.validity.badInput ? NaN : 0;
  return /^\d+$/.test(s) ? Number(s) : NaN;
}

/** Field -> message for everything wrong with `body`; empty when it may be queued. */
function check(body) {
  const L = data.limits;
  const errs = {};
  const name = body.author_name;
  if (!name) errs.author_name = t('v_required');
  else if ([...name].length > L.name) errs.author_name = fill(t('v_too_long'), L.name);
  else if (/[\u0000-\u001f\u007f]/.test(name)) errs.author_name = fieldMessage('must not contain control characters');
  for (const f of FIELDS) {
    const n = body[f];
    if (!Number.isInteger(n) || n < 0 || n > L.people) errs[f] = fill(t('v_whole'), L.people);
  }
  if (!errs.complaints_settled && !errs.complaints_received && body.complaints_settled > body.complaints_received) {
    errs.complaints_settled = t('v_settled');
  }
  for (const [id, n] of Object.entries(body.materials)) {
    if (!materialNames.has(String(id))) errs[`materials.${id}`] = t('v_material');
    else if (!Number.isInteger(n) || n < 0 || n > L.quantity) errs[`materials.${id}`] = fill(t('v_whole'), L.quantity);
  }
  if ([...body.note].length > L.note) errs.note = fill(t('v_too_long'), L.note);
  const at = Date.parse(body.recorded_at);
  if (!(at >= Date.parse(data.day_start) && at < Date.parse(data.day_end))) errs.recorded_at = t('v_time');
  if (body.corrects !== undefined) {
    if (!body.reason) errs.reason = t('v_required');
    else if ([...body.reason].length > L.reason) errs.reason = fill(t('v_too_long'), L.reason);
  }
  return errs;
}

function showErrors(errs) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const [field, text] of Object.entries(errs)) {
    const out = document.getElementById(`err-${field}`);
    if (out) out.textContent = text;
    const input = field === 'author_name' ? form.author_name
      : field.startsWith('materials.') ? form.querySelector(`input[data-material-id="${field.slice(10)}"]`)
        : form.elements[field];
    if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

// ---- the form ------------------------------------------------------------------------------

// What the form is doing: a new entry, editing a refused one, or correcting / voiding a stored one.
// `replaces`: the refused entry being edited; `target`: the stored entry being corrected.
let editing = null; // { mode: 'refused' | 'correct' | 'void', replaces?, target?, recorded_at }

/** The form's entry (without id). */
function bodyFromForm() {
  const body = { recorded_at: editing?.recorded_at || stamp(), author_name: form.author_name.value.trim(), note: form.note.value.trim(), materials: {} };
  for (const f of FIELDS) body[f] = wholeOf(form.elements[f]);
  for (const input of form.querySelectorAll('input[data-material-id]')) {
    const n = wholeOf(input);
    if (n !== 0) body.materials[input.dataset.materialId] = n;
  }
  if (editing && (editing.mode === 'correct' || editing.mode === 'void')) {
    body.corrects = editing.target;
    body.reason = form.reason.value.trim();
    if (editing.mode === 'void') body.void = true;
  }
  return body;
}

function fillForm(body) {
  for (const f of FIELDS) form.elements[f].value = String(body[f] ?? 0);
  for (const input of form.querySelectorAll('input[data-material-id]')) {
    input.value = String((body.materials || {})[input.dataset.materialId] ?? 0);
  }
  form.author_name.value = body.author_name || form.author_name.value;
  form.note.value = body.note || '';
  form.reason.value = body.reason || '';
}

function clearForm() {
  for (const input of form.querySelectorAll('input[type="number"]')) { input.value = '0'; input.disabled = locked(); }
  form.note.value = '';
  form.reason.value = '';
  form.photo.value = '';
  photos = [];
  renderPreviews();
  setEditing(null);
}

function setEditing(e) {
  editing = e;
  const correcting = e && (e.mode === 'correct' || e.mode === 'void');
  reasonWrap.hidden = !correcting;
  cancelEdit.hidden = !e;
  editNote.hidden = !e;
  editNote.textContent = !e ? '' : t(e.mode === 'refused' ? 'editing_refused' : e.mode === 'void' ? 'voiding' : 'correcting');
  for (const input of form.querySelectorAll('input[type="number"]')) input.disabled = locked() || (e && e.mode === 'void');
}

cancelEdit.addEventListener('click', () => { clearForm(); showErrors({}); say(msg, '', ''); });

// recorded_at must fall on the campaign day: outside it (rehearsals) keep the time of day.
function stamp() {
  const now = Date.now();
  const start = Date.parse(data.day_start);
  const end = Date.parse(data.day_end);
  if (now >= start && now < end) return new Date(now).toISOString();
  document.getElementById('day-note').hidden = false;
  const day = 86400000;
  return new Date(Math.min(end - 1000, start + (((now - start) % day) + day) % day)).toISOString();
}

// A version 7 UUID (RFC 9562): 48 bits of Unix time in milliseconds, then random bits. Ids made
// later sort later, so the server files each entry at the end of its indexes instead of on a
// random page. crypto.getRandomValues also works on plain-HTTP pages, where crypto.randomUUID
// does not exist.
function uuidv7() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- photos: several per entry, shrunk on the phone to at most 1 MB --------------------------

let photos = []; // [{ data: dataURL, taken_at: ISO string }]

function renderPreviews() {
  previewsEl.replaceChildren(...photos.map((p, i) => {
    const wrap = document.createElement('span');
    const img = document.createElement('img');
    img.src = p.data;
    img.alt = `${t('photo')} ${i + 1}`;
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.className = 'small-btn';
    rm.textContent = t('remove');
    rm.addEventListener('click', () => { photos.splice(i, 1); renderPreviews(); });
    wrap.append(img, rm);
    return wrap;
  }));
}

form.photo.addEventListener('change', async () => {
  for (const file of form.photo.files) {
    let url = null;
    try { url = await shrink(file, MAX_PHOTO_BYTES); } catch { url = null; }
    if (!url) { say(msg, t('photo_too_big'), 'error'); continue; }
    photos.push({ data: url, taken_at: new Date(file.lastModified || Date.now()).toISOString() });
  }
  form.photo.value = '';
  renderPreviews();
});

// Steppers: − and + change the number beside them, never below zero.
form.addEventListener('click', (ev) => {
  const btn = ev.target.closest('button[data-step]');
  if (!btn) return;
  const input = btn.parentElement.querySelector('input');
  const n = wholeOf(input);
  input.value = String(Math.max(0, (Number.isNaN(n) ? 0 : n) + Number(btn.dataset.step)));
  input.dispatchEvent(new Event('change', { bubbles: true }));
});

const author = form.author_name;
author.value = localStorage.getItem(AUTHOR_KEY) || '';
author.addEventListener('change', () => localStorage.setItem(AUTHOR_KEY, author.value.trim()));

const content = (b) => JSON.stringify({ ...b, id: undefined });

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (locked()) return;
  const body = bodyFromForm();
  const errs = check(body);
  showErrors(errs);
  if (Object.keys(errs).length) {
    // Nothing is queued and nothing typed is lost.
    say(msg, t('v_fix'), 'error');
    return;
  }
  const q = load();
  const was = editing?.replaces ? q.entries.find((x) => x.id === editing.replaces) : null;
  // A refused entry sent again unchanged keeps its id; changed, it is a new entry replacing it.
  body.id = was && content(was.body) === content(body) ? was.id : uuidv7();
  const item = { id: body.id, venue_id: venueId, body, photos: was ? (was.photos || []) : photos, state: 'pending', queued_at: was ? was.queued_at : Date.now() };
  q.entries = q.entries.filter((x) => x.id !== (was ? was.id : body.id));
  q.entries.push(item);
  try {
    save(q);
  } catch {
    // Storage full: keep the form as it is so nothing typed is lost.
    say(msg, t('save_failed'), 'error');
    return;
  }
  clearForm();
  say(msg, t('queued'), 'ok');
  render();
  failures = 0;
  flush();
});

// ---- the recent list and running totals ------------------------------------------------------

const isStored = (e) => e.state === 'sent' || e.state === 'photo';

/** Every entry this phone knows of, newest first: the server's log with the local queue over it. */
function known() {
  const q = load();
  const byId = new Map();
  for (const s of serverLog()) byId.set(s.id, { id: s.id, body: s, state: 'sent', server: true, superseded_by: s.superseded_by });
  for (const e of q.entries) {
    const had = byId.get(e.id);
    byId.set(e.id, { ...e, superseded_by: had?.superseded_by, server: !!had });
  }
  const all = [...byId.values()];
  // Corrections this phone has queued or stored take their targets out too.
  for (const e of all) {
    if (e.body.corrects && e.state !== 'rejected') {
      const target = byId.get(e.body.corrects);
      if (target && !target.superseded_by) target.superseded_by = e.id;
    }
  }
  return all.sort((a, b) => Date.parse(b.body.recorded_at) - Date.parse(a.body.recorded_at) || (b.queued_at || 0) - (a.queued_at || 0));
}

const counts = (e) => e.state !== 'rejected' && !e.superseded_by && !e.body.void;

function renderTotals(all) {
  const sum = {};
  for (const e of all.filter(counts)) {
    for (const f of FIELDS) sum[f] = (sum[f] || 0) + (e.body[f] || 0);
    for (const [m, n] of Object.entries(e.body.materials || {})) sum[`materials.${m}`] = (sum[`materials.${m}`] || 0) + n;
  }
  for (const el of form.querySelectorAll('[data-total]')) {
    el.textContent = `${t('totals_so_far')} ${fmt(sum[el.dataset.total] || 0)}`;
  }
}

const photoIds = new Map();
async function serverThumbs(id, into) {
  if (!photoIds.has(id)) {
    const r = await api('GET', `/api/v1/log/${id}/photos`);
    photoIds.set(id, r.ok ? r.data.map((p) => p.id) : []);
  }
  for (const pid of photoIds.get(id)) {
    const img = document.createElement('img');
    img.src = `/api/v1/photos/${pid}/thumb`;
    img.alt = t('photo');
    into.append(img);
  }
}

function entryLine(e) {
  const b = e.body;
  const time = new Date(b.recorded_at).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
  const parts = [time];
  if (b.void) parts.push(t('voided'));
  else {
    for (const f of FIELDS) if (b[f]) parts.push(`${t(f)} ${fmt(b[f])}`);
    for (const [m, n] of Object.entries(b.materials || {})) parts.push(`${materialNames.get(String(m)) || m} ${fmt(n)}`);
  }
  if (b.corrects) parts.push(`${t('correction_of')}${b.reason ? `（${b.reason}）` : ''}`);
  if (b.author_name) parts.push(b.author_name);
  if (b.note) parts.push(b.note);
  return parts.join(' · ');
}

function stateKey(e) {
  if (e.state === 'pending') return e.sending ? 'sending' : 'queued';
  if (e.state === 'photo') return 'sending';
  return e.state === 'sent' ? 'sent' : 'rejected';
}

function render() {
  const q = load();
  const pending = q.entries.filter((e) => e.state === 'pending' || e.state === 'photo').length;
  const rejected = q.entries.filter((e) => e.state === 'rejected').length;
  pendingEl.textContent = fmt(pending);
  sentEl.textContent = fmt(q.sent);
  rejectedEl.textContent = fmt(rejected);
  rejectedWrap.hidden = rejected === 0;
  const all = known();
  renderTotals(all);
  recentEl.replaceChildren(...all.slice(0, 15).map((e) => {
    const li = document.createElement('li');
    li.dataset.id = e.id;
    li.dataset.state = stateKey(e);
    if (e.superseded_by) li.classList.add('struck');
    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = entryLine(e);
    const st = document.createElement('span');
    st.className = `st st-${stateKey(e)}`;
    st.textContent = e.superseded_by ? t('corrected_by') : t(`st_${stateKey(e)}`);
    li.append(what, ' ', st);
    if (e.error) { const er = document.createElement('div'); er.className = 'small err-reason'; er.textContent = e.error; li.append(er); }
    const thumbs = document.createElement('div');
    thumbs.className = 'thumbs';
    for (const p of e.photos || []) { const img = document.createElement('img'); img.src = p.data; img.alt = t('photo'); thumbs.append(img); }
    if (e.server && !(e.photos || []).length) serverThumbs(e.id, thumbs);
    li.append(thumbs);
    const acts = document.createElement('div');
    acts.className = 'acts';
    const button = (label, cls, fn) => { const bt = document.createElement('button'); bt.type = 'button'; bt.className = `small-btn ${cls}`; bt.textContent = t(label); bt.addEventListener('click', fn); acts.append(bt); };
    if (e.state === 'rejected' && !locked()) {
      button('edit_resend', 'edit-refused', () => {
        const mode = !e.body.corrects ? 'refused' : e.body.void ? 'void' : 'correct';
        setEditing({ mode, replaces: e.id, target: e.body.corrects, recorded_at: e.body.recorded_at });
        fillForm(e.body);
        form.scrollIntoView();
      });
    }
    if (isStored(e) && !e.superseded_by && !e.body.void && !locked()) {
      button('correct', 'correct', () => { setEditing({ mode: 'correct', target: e.id, recorded_at: e.body.recorded_at }); fillForm({ ...e.body, reason: '', note: e.body.note }); form.scrollIntoView(); });
      button('void', 'void', () => { setEditing({ mode: 'void', target: e.id, recorded_at: e.body.recorded_at }); fillForm({ author_name: e.body.author_name, materials: {} }); form.scrollIntoView(); });
    }
    if (acts.childElementCount) li.append(acts);
    return li;
  }));
}

// ---- sending -------------------------------------------------------------------------------

function setNet(online) {
  netEl.textContent = online ? t('online') : t('offline');
  netEl.classList.toggle('off', !online);
}

/** The server's refusal in the page's language, each field under its label. */
function refusal(r) {
  if (r.status === 423) { data.day_status = 'accepted'; renderDay(); return t('day_accepted'); }
  if (r.status === 409) return /corrected/.test(r.error?.message || '') ? t('refused_corrected') : t('refused_conflict');
  if (r.status === 404) return t('refused_not_found');
  const label = (k) => (k.startsWith('materials.') ? materialNames.get(k.slice(10)) || k : t(k === 'author_name' ? 'author' : k === 'corrects' ? 'correct' : k));
  const fields = Object.entries(r.error?.fields || {}).map(([k, v]) => `${label(k)}${t('colon')}${fieldMessage(v)}`);
  return fields.length ? fields.join('；') : (r.error?.message || `HTTP ${r.status}`);
}

let needSignIn = false;
function askSignIn() {
  needSignIn = true;
  signinBox.hidden = false;
  signinForm.login.focus();
}
signinForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await api('POST', '/api/v1/auth/login', { login: signinForm.login.value.trim(), password: signinForm.password.value });
  if (!r.ok) {
    say(document.getElementById('signin-msg'), r.network ? t('network_error') : t('signin_failed'), 'error');
    return;
  }
  // The new session's CSRF token replaces the one this page was rendered with.
  rememberCsrf(r.data?.csrf_token);
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) meta.content = r.data?.csrf_token || '';
  signinForm.password.value = '';
  signinBox.hidden = true;
  needSignIn = false;
  failures = 0;
  flush();
});

let flushing = false;
let failures = 0;
let timer = null;

function schedule() {
  clearTimeout(timer);
  if (needSignIn) return;
  const q = load();
  if (!q.entries.some((e) => e.state === 'pending' || e.state === 'photo')) return;
  const delay = Math.min(60000, 2000 * 2 ** Math.min(failures, 5)) * (0.75 + Math.random() * 0.5);
  timer = setTimeout(flush, delay);
}

// A status that means "try again later" rather than "this entry is wrong".
const retryable = (r) => r.network || r.status >= 500 || [403, 408, 429].includes(r.status);

async function flush() {
  if (flushing || needSignIn) return;
  flushing = true;
  clearTimeout(timer);
  let failed = false;
  let stored = false;
  try {
    for (const e of load().entries.filter((x) => x.state === 'pending' || x.state === 'photo')) {
      if (e.state === 'pending') {
        update(e.id, { sending: true });
        render();
        const r = await api('POST', `/api/v1/venues/${e.venue_id}/log`, e.body);
        update(e.id, { sending: false });
        if (r.status === 401) { askSignIn(); break; }
        if (!r.ok && retryable(r)) { failed = true; setNet(!r.network); break; }
        if (!r.ok) {
          const why = refusal(r);
          update(e.id, { state: 'rejected', error: why });
          say(msg, `${t('st_rejected')}${t('colon')}${why}`, 'error');
          continue;
        }
        stored = true;
        update(e.id, { state: (e.photos || []).length ? 'photo' : 'sent', error: undefined });
      }
      let left = (load().entries.find((x) => x.id === e.id)?.photos) || [];
      while (left.length) {
        const p = left[0];
        const r = await api('POST', `/api/v1/log/${e.id}/photos?taken_at=${encodeURIComponent(p.taken_at)}`, dataUrlToBlob(p.data), { timeout: 60000 });
        if (r.status === 401) { askSignIn(); failed = true; break; }
        if (!r.ok && retryable(r)) { failed = true; setNet(!r.network); break; }
        left = left.slice(1);
        update(e.id, { photos: left, error: r.ok ? undefined : refusal(r) });
      }
      if (failed) break;
      if (!left.length) update(e.id, { state: 'sent' });
      setNet(true);
    }
  } finally {
    flushing = false;
    failures = failed ? failures + 1 : 0;
    if (stored && msg.classList.contains('ok')) say(msg, t('stored_now'), 'ok');
    render();
    schedule();
    refresh();
  }
}

// The venue's log and day state from the server, when there is a connection.
let refreshing = false;
async function refresh() {
  if (refreshing || needSignIn) return;
  refreshing = true;
  try {
    const r = await api('GET', `/api/v1/venues/${venueId}/log?limit=200`);
    if (r.status === 401) { if (load().entries.some((e) => e.state === 'pending')) askSignIn(); return; }
    if (r.ok) {
      try { localStorage.setItem(LOG_KEY, JSON.stringify(r.data.entries)); } catch { /* full: keep the old copy */ }
    }
    const v = await api('GET', `/api/v1/venues/${venueId}`);
    if (v.ok && v.data?.day_status
        && (v.data.day_status !== data.day_status || (v.data.reopen_reason || null) !== (data.reopen_reason || null))) {
      data.day_status = v.data.day_status;
      data.reopen_reason = v.data.reopen_reason || null;
      renderDay();
    }
  } finally {
    refreshing = false;
    render();
  }
}

document.getElementById('send-now').addEventListener('click', () => { failures = 0; flush(); });
window.addEventListener('online', () => { setNet(true); failures = 0; flush(); });
window.addEventListener('offline', () => setNet(false));
document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
window.addEventListener('storage', (ev) => { if (ev.key === KEY) render(); });
// Whatever is still queued keeps trying even without events (some phones never fire `online`).
setInterval(flush, 30000);

// Entries left "sending" by a page closed mid-request are simply queued again.
for (const e of load().entries.filter((x) => x.sending)) update(e.id, { sending: false });
setNet(navigator.onLine);
renderDay();
render();
flush();

// A service worker keeps this page and its assets so that it opens again without a connection;
// this first visit is put in its cache at once (later visits are kept by the worker itself).
const SW_CACHE = 'eventday-lead-v4';
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/lead-sw.js', { scope: '/lead' })
    .then(() => navigator.serviceWorker.ready)
    .then(() => caches.open(SW_CACHE))
    .then((c) => c.add(location.pathname + location.search))
    .then(() => { document.body.dataset.offlineReady = '1'; })
    .catch(() => { /* no offline copy: the page still works online */ });
}
