// The lead's logging page. Every entry gets a client UUID and goes into a queue in localStorage
// first; the queue is sent whenever possible (on submit, when the browser comes back online,
// when the page becomes visible, and on a timer with backoff). The server stores an entry once
// per id, so sending the same entry again after a lost answer counts it once.
import { api, errorText, fmt, say, t } from './app.js';

const data = JSON.parse(document.getElementById('page-data').textContent);
const venueId = data.venue_id;
const KEY = `eventday.queue.v1.venue.${venueId}`;
const AUTHOR_KEY = 'eventday.author';
const FIELDS = ['visitors', 'consultations', 'complaints_received', 'complaints_settled'];

const form = document.getElementById('log-form');
const msg = document.getElementById('log-msg');
const pendingEl = document.getElementById('pending-count');
const sentEl = document.getElementById('sent-count');
const rejectedEl = document.getElementById('rejected-count');
const rejectedWrap = document.getElementById('rejected-wrap');
const netEl = document.getElementById('net-state');
const recentEl = document.getElementById('recent');

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
  if (patch.state === 'sent') delete e.photo;
  save(q);
}

function render() {
  const q = load();
  const pending = q.entries.filter((e) => e.state === 'pending' || e.state === 'photo').length;
  const rejected = q.entries.filter((e) => e.state === 'rejected').length;
  pendingEl.textContent = fmt(pending);
  sentEl.textContent = fmt(q.sent);
  rejectedEl.textContent = fmt(rejected);
  rejectedWrap.hidden = rejected === 0;
  recentEl.replaceChildren(...q.entries.slice(-10).reverse().map((e) => {
    const li = document.createElement('li');
    const time = new Date(e.body.recorded_at).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
    li.textContent = `${time} · ${t('visitors')} ${fmt(e.body.visitors)} · ${t('consultations')} ${fmt(e.body.consultations)}`;
    const st = document.createElement('span');
    const state = e.state === 'photo' ? 'pending' : e.state;
    st.className = `st st-${state}`;
    st.textContent = t(state);
    li.append(st);
    if (e.error) { const er = document.createElement('div'); er.className = 'small'; er.textContent = e.error; li.append(er); }
    return li;
  }));
}

function setNet(online) {
  netEl.textContent = online ? t('online') : t('offline');
  netEl.classList.toggle('off', !online);
}

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

function numberOf(input) {
  const n = Number.parseInt(input.value, 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

async function photoDataUrl(file) {
  if (!file) return null;
  // Phones take 5-10 MB pictures: shrink to 1600 px so the queue fits in storage and the upload is quick.
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bmp.width * scale);
    canvas.height = Math.round(bmp.height * scale);
    canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.8);
  } catch {
    return await new Promise((res) => { const r = new FileReader(); r.onload = () => res(r.result); r.onerror = () => res(null); r.readAsDataURL(file); });
  }
}

function dataUrlToBlob(url) {
  const [head, b64] = url.split(',');
  const type = head.slice(5).split(';')[0] || 'application/octet-stream';
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

// Steppers: − and + change the number beside them, never below zero.
form.addEventListener('click', (ev) => {
  const btn = ev.target.closest('button[data-step]');
  if (!btn) return;
  const input = btn.parentElement.querySelector('input');
  input.value = String(Math.max(0, numberOf(input) + Number(btn.dataset.step)));
  input.dispatchEvent(new Event('change', { bubbles: true }));
});

const author = document.getElementById('author');
author.value = localStorage.getItem(AUTHOR_KEY) || '';
author.addEventListener('change', () => localStorage.setItem(AUTHOR_KEY, author.value.trim()));

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = { id: uuidv7(), recorded_at: stamp(), author_name: author.value.trim(), note: form.note.value.trim(), materials: {} };
  for (const f of FIELDS) body[f] = numberOf(form.elements[f]);
  for (const input of form.querySelectorAll('input[data-material-id]')) {
    const n = numberOf(input);
    if (n > 0) body.materials[input.dataset.materialId] = n;
  }
  const photo = await photoDataUrl(form.photo.files[0]);
  const q = load();
  q.entries.push({ id: body.id, venue_id: venueId, body, photo, state: 'pending', queued_at: Date.now() });
  try {
    save(q);
  } catch {
    // Storage full: keep the form as it is so nothing typed is lost.
    say(msg, t('save_failed'), 'error');
    return;
  }
  for (const input of form.querySelectorAll('input[type="number"]')) input.value = '0';
  form.note.value = '';
  form.photo.value = '';
  say(msg, t('queued'), 'ok');
  render();
  failures = 0;
  flush();
});

let flushing = false;
let failures = 0;
let timer = null;

function schedule() {
  clearTimeout(timer);
  const q = load();
  if (!q.entries.some((e) => e.state === 'pending' || e.state === 'photo')) return;
  const delay = Math.min(60000, 2000 * 2 ** Math.min(failures, 5)) * (0.75 + Math.random() * 0.5);
  timer = setTimeout(flush, delay);
}

// A status that means "try again later" rather than "this entry is wrong".
const retryable = (r) => r.network || r.status >= 500 || [401, 403, 408, 429].includes(r.status);

async function flush() {
  if (flushing) return;
  flushing = true;
  clearTimeout(timer);
  let failed = false;
  try {
    for (const e of load().entries.filter((x) => x.state === 'pending' || x.state === 'photo')) {
      if (e.state === 'pending') {
        const r = await api('POST', `/api/v1/venues/${e.venue_id}/log`, e.body);
        if (!r.ok && retryable(r)) { failed = true; setNet(!r.network); break; }
        if (!r.ok) { update(e.id, { state: 'rejected', error: errorText(r.error) }); continue; }
        update(e.id, { state: e.photo ? 'photo' : 'sent' });
      }
      if (e.photo) {
        const r = await api('POST', `/api/v1/log/${e.id}/photos`, dataUrlToBlob(e.photo), { timeout: 60000 });
        if (!r.ok && retryable(r)) { failed = true; setNet(!r.network); break; }
        update(e.id, { state: 'sent', error: r.ok ? undefined : errorText(r.error) });
      }
      setNet(true);
    }
  } finally {
    flushing = false;
    failures = failed ? failures + 1 : 0;
    render();
    schedule();
  }
}

document.getElementById('send-now').addEventListener('click', () => { failures = 0; flush(); });
window.addEventListener('online', () => { setNet(true); failures = 0; flush(); });
window.addEventListener('offline', () => setNet(false));
document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
window.addEventListener('storage', (ev) => { if (ev.key === KEY) render(); });
// Whatever is still queued keeps trying even without events (some phones never fire `online`).
setInterval(flush, 30000);

setNet(navigator.onLine);
render();
flush();

// A service worker keeps this page and its assets so that it opens again without a connection;
// this first visit is put in its cache at once (later visits are kept by the worker itself).
const SW_CACHE = 'eventday-lead-v1';
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/lead-sw.js', { scope: '/lead' })
    .then(() => navigator.serviceWorker.ready)
    .then(() => caches.open(SW_CACHE))
    .then((c) => c.add(location.pathname + location.search))
    .then(() => { document.body.dataset.offlineReady = '1'; })
    .catch(() => { /* no offline copy: the page still works online */ });
}
