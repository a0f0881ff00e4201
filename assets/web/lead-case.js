// The lead's complaint intake. Like log entries, every case gets a client UUID and waits in a
// queue in localStorage until the server has it; the server stores a case once per id. The
// receipt code is made here too (8 characters of the same unambiguous alphabet the server uses),
// so the consumer leaves with a code and link even while the phone is offline.
//
// Without the consent tick the name and phone fields are hidden and emptied: nothing of them is
// stored on the phone or sent.
//
// Evidence photos (a receipt, the product) wait with their case, shrunk on the phone, and are
// sent one by one once the server has the case. The server keeps a picture once per case, so a
// photo sent again after a lost answer is not stored twice.
import { api, errorText, failureText, fieldMessage, fmt, say, t } from './app.js';
import { dataUrlToBlob, shrink } from './photo-shrink.js';

const data = JSON.parse(document.getElementById('page-data').textContent);
const venueId = data.venue_id;
const KEY = `eventday.cases.v1.venue.${venueId}`;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const MAX_EVIDENCE = data.max_evidence || 4;
// Small enough that a few cases' photos fit in the phone's localStorage beside the log's queue.
const EVIDENCE_BYTES = 400 * 1024;

const form = document.getElementById('case-form');
const msg = document.getElementById('case-msg');
const consent = document.getElementById('c-consent');
const contact = document.getElementById('contact');
const anonNote = document.getElementById('anon-note');
const takenEl = document.getElementById('taken');
const pendingEl = document.getElementById('pending-count');
const netEl = document.getElementById('net-state');
const evidenceInput = document.getElementById('c-evidence');
const previewsEl = document.getElementById('evidence-previews');

function load() { try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch { return []; } }
function save(q) {
  // Every unsent case, and the latest sent ones for the list.
  const unsent = q.filter((c) => c.state !== 'sent');
  const sent = q.filter((c) => c.state === 'sent').slice(-20);
  localStorage.setItem(KEY, JSON.stringify([...unsent, ...sent].sort((a, b) => a.queued_at - b.queued_at)));
}
function update(id, patch) {
  const q = load();
  const c = q.find((x) => x.body.client_id === id);
  if (c) Object.assign(c, patch);
  if (c && c.state === 'sent') delete c.photos;
  save(q);
}

// ---- evidence photos of the case being taken -------------------------------------------------

let evidence = []; // data URLs

function renderPreviews() {
  previewsEl.replaceChildren(...evidence.map((url, i) => {
    const wrap = document.createElement('span');
    const img = document.createElement('img');
    img.src = url;
    img.alt = t('case_evidence_alt').replace('{n}', fmt(i + 1));
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.className = 'small-btn';
    rm.textContent = t('remove');
    rm.addEventListener('click', () => { evidence.splice(i, 1); renderPreviews(); });
    wrap.append(img, rm);
    return wrap;
  }));
}

evidenceInput.addEventListener('change', async () => {
  document.getElementById('err-file').textContent = '';
  for (const file of evidenceInput.files) {
    if (evidence.length >= MAX_EVIDENCE) {
      document.getElementById('err-file').textContent = t('case_evidence_too_many').replace('{n}', fmt(MAX_EVIDENCE));
      break;
    }
    let url = null;
    try { url = await shrink(file, EVIDENCE_BYTES); } catch { url = null; }
    if (!url) { say(msg, t('case_evidence_unreadable'), 'error'); continue; }
    evidence.push(url);
  }
  evidenceInput.value = '';
  renderPreviews();
});

function uuidv7() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function newCode() {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => ALPHABET[x % ALPHABET.length]).join('');
}

function showContact() {
  contact.hidden = !consent.checked;
  anonNote.hidden = consent.checked;
  if (!consent.checked) { form.consumer_name.value = ''; form.consumer_phone.value = ''; }
}
consent.addEventListener('change', showContact);

function fen(text) {
  const s = String(text).trim();
  if (s === '') return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return NaN;
  return Math.round(Number(s) * 100);
}

function showErrors(errs) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const [k, v] of Object.entries(errs)) {
    const el = document.getElementById(`err-${k}`);
    if (el) el.textContent = v;
  }
}

function bodyFromForm() {
  const body = {
    client_id: uuidv7(),
    code: newCode(),
    category: form.category.value.trim(),
    description: form.description.value.trim(),
    amount_claimed_fen: fen(form.amount.value),
    consent: consent.checked,
  };
  const unit = form.enterprise_unit_id.value;
  if (unit) body.enterprise_unit_id = Number(unit);
  if (consent.checked) {
    const name = form.consumer_name.value.trim();
    const phone = form.consumer_phone.value.trim();
    if (name) body.consumer_name = name;
    if (phone) body.consumer_phone = phone;
  }
  return body;
}

function check(b) {
  const errs = {};
  if (!b.category) errs.category = t('v_required');
  if (!Number.isInteger(b.amount_claimed_fen) || b.amount_claimed_fen < 0) errs.amount_claimed_fen = t('must_be_number');
  // The server's rule (a leading +, digits, and spaces, hyphens or brackets between them; 5 to
  // 20 digits), checked here so that a case is not refused after the consumer left with a receipt.
  if (b.consumer_phone) {
    const digits = b.consumer_phone.replace(/[\s()-]/g, '');
    if (!/^\+?\d+$/.test(digits)) errs.consumer_phone = fieldMessage('must be a phone number (digits only)');
    else if (!/^\+?\d{5,20}$/.test(digits)) errs.consumer_phone = fieldMessage('must have 5 to 20 digits');
  }
  return errs;
}

const link = (code) => `${location.origin}/case/${code}`;

function showReceipt(code) {
  document.getElementById('receipt').hidden = false;
  document.getElementById('receipt-code').textContent = code;
  const a = document.getElementById('receipt-link');
  a.href = `/case/${code}`;
  a.textContent = link(code);
}

// A case the server refused is corrected in the form and sent again under its own client id and
// receipt code: the consumer already holds that code, so it must stay the case's code.
let editing = null;

function editRefused(c) {
  editing = c.body.client_id;
  form.reset();
  form.category.value = c.body.category || '';
  form.description.value = c.body.description || '';
  form.amount.value = c.body.amount_claimed_fen ? (c.body.amount_claimed_fen / 100).toFixed(2) : '';
  form.enterprise_unit_id.value = c.body.enterprise_unit_id ? String(c.body.enterprise_unit_id) : '';
  consent.checked = !!c.body.consent;
  showContact();
  if (c.body.consent) {
    form.consumer_name.value = c.body.consumer_name || '';
    form.consumer_phone.value = c.body.consumer_phone || '';
  }
  showErrors({});
  say(msg, `${t('edit_resend')}${t('colon')}${c.body.code}`, 'ok');
  form.category.focus();
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const body = bodyFromForm();
  const errs = check(body);
  showErrors(errs);
  if (Object.keys(errs).length) { say(msg, t('v_fix'), 'error'); return; }
  const q = load();
  const refused = editing && q.find((c) => c.body.client_id === editing && c.state === 'rejected');
  if (refused) {
    Object.assign(refused, {
      body: { ...body, client_id: refused.body.client_id, code: refused.body.code },
      photos: [...(refused.photos || []), ...evidence],
      state: 'pending',
      error: undefined,
    });
  } else {
    q.push({ body, photos: evidence.slice(), state: 'pending', queued_at: Date.now() });
  }
  editing = null;
  try { save(q); } catch { say(msg, t('save_failed'), 'error'); return; }
  form.reset();
  evidence = [];
  renderPreviews();
  showContact();
  showReceipt(refused ? refused.body.code : body.code);
  say(msg, t('queued'), 'ok');
  render();
  flush();
});

function render() {
  const q = load();
  pendingEl.textContent = fmt(q.filter((c) => c.state === 'pending' || c.state === 'photo').length);
  takenEl.replaceChildren(...q.slice().reverse().map((c) => {
    const li = document.createElement('li');
    li.dataset.code = c.body.code;
    li.dataset.state = c.state;
    const a = document.createElement('a');
    a.href = c.dispute_id ? `/disputes/${c.dispute_id}/case/slip` : `/case/${c.body.code}`;
    a.textContent = c.body.code;
    const st = document.createElement('span');
    const waiting = c.state === 'pending' || c.state === 'photo';
    st.className = `st st-${waiting ? 'queued' : c.state}`;
    st.textContent = t(waiting ? 'st_queued' : c.state === 'sent' ? 'st_sent' : 'st_rejected');
    li.append(a, ` · ${c.body.category} `, st);
    const left = (c.photos || []).length;
    if (left) {
      const p = document.createElement('span');
      p.className = 'small muted evidence-left';
      p.textContent = ` · ${t('case_evidence_waiting').replace('{n}', fmt(left))}`;
      li.append(p);
    }
    if (c.error) { const e = document.createElement('div'); e.className = 'small err-reason'; e.textContent = c.error; li.append(e); }
    if (c.state === 'rejected') {
      const fix = document.createElement('button');
      fix.type = 'button';
      fix.className = 'small-btn edit-case';
      fix.textContent = t('edit_resend');
      fix.addEventListener('click', () => editRefused(c));
      li.append(fix);
    }
    return li;
  }));
}

function setNet(online) {
  netEl.textContent = online ? t('online') : t('offline');
  netEl.classList.toggle('off', !online);
}

// The reason in the page's words: each field by its label, never the API's field name.
function refusal(r) {
  const fields = Object.keys(r.error?.fields || {}).length > 0;
  return fields ? errorText(r.error) : failureText(r);
}

const retryable = (r) => r.network || r.status >= 500 || [401, 403, 408, 429].includes(r.status);
let flushing = false;
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    for (const c of load().filter((x) => x.state === 'pending' || x.state === 'photo')) {
      let disputeId = c.dispute_id;
      if (c.state === 'pending') {
        const r = await api('POST', `/api/v1/venues/${venueId}/cases`, c.body);
        if (!r.ok && retryable(r)) { setNet(!r.network); break; }
        if (!r.ok) {
          update(c.body.client_id, { state: 'rejected', error: refusal(r) });
          continue;
        }
        // The server's code is the one that counts (the same unless this code was taken).
        disputeId = r.data.dispute_id;
        const state = (c.photos || []).length ? 'photo' : 'sent';
        update(c.body.client_id, { state, dispute_id: disputeId, body: { ...c.body, code: r.data.code } });
        setNet(true);
      }
      // The case is stored: its photos follow, one at a time, each removed once the server has it.
      let left = (load().find((x) => x.body.client_id === c.body.client_id)?.photos) || [];
      let stop = false;
      while (left.length) {
        const r = await api('POST', `/api/v1/disputes/${disputeId}/case/evidence`, dataUrlToBlob(left[0]), { timeout: 60000 });
        if (!r.ok && retryable(r)) { setNet(!r.network); stop = true; break; }
        left = left.slice(1);
        update(c.body.client_id, { photos: left, error: r.ok ? undefined : refusal(r) });
      }
      if (stop) break;
      update(c.body.client_id, { state: 'sent' });
    }
  } finally {
    flushing = false;
    render();
  }
}

document.getElementById('send-now').addEventListener('click', flush);
window.addEventListener('online', () => { setNet(true); flush(); });
window.addEventListener('offline', () => setNet(false));
setInterval(flush, 30000);
setNet(navigator.onLine);
showContact();
render();
flush();

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/lead-sw.js', { scope: '/lead' })
    .then(() => navigator.serviceWorker.ready)
    .then(() => caches.open('eventday-lead-v4'))
    .then((cache) => cache.add(location.pathname + location.search))
    .then(() => { document.body.dataset.offlineReady = '1'; })
    .catch(() => { /* no offline copy: the page still works online */ });
}
