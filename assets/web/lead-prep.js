// The lead page's preparation parts: messages from the organizers, live (Server-Sent Events,
// resumed by the browser with Last-Event-ID) and kept on the phone for when it opens offline;
// read receipts; and the venue's tasks of the checklist.
import { api, t } from './app.js';

const list = document.getElementById('lead-messages');
const venue = list?.dataset.venue;
const KEY = `eventday.messages.${venue}`;

function stored() { try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch { return []; } }

function render(messages) {
  if (!list) return;
  list.replaceChildren();
  if (!messages.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = t('no_messages');
    list.append(li);
    return;
  }
  for (const m of [...messages].reverse()) {
    const li = document.createElement('li');
    li.className = m.read_at ? 'lead-message' : 'lead-message unread';
    li.dataset.id = m.id;
    const time = document.createElement('span');
    time.className = 'muted small';
    time.textContent = new Date(m.sent_at).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit' });
    const body = document.createElement('p');
    body.textContent = m.body;
    li.append(time, body);
    if (!m.read_at) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'small-btn';
      b.textContent = t('mark_read');
      b.addEventListener('click', async () => {
        const r = await api('POST', `/api/v1/venues/${venue}/messages/${m.id}/read`, {});
        if (r.ok) { m.read_at = new Date().toISOString(); save(messages); render(messages); }
      });
      li.append(b);
    }
    list.append(li);
  }
}

function save(messages) { localStorage.setItem(KEY, JSON.stringify(messages.slice(-50))); }

if (list && venue) {
  let messages = stored();
  render(messages);
  const last = messages.reduce((a, m) => Math.max(a, m.id), 0);
  // Everything from the start when nothing is kept yet; read receipts come back with it.
  const src = new EventSource(`/api/v1/venues/${venue}/messages/live${last ? `?after=${last}` : ''}`);
  src.addEventListener('message', (ev) => {
    try {
      const m = JSON.parse(ev.data);
      messages = messages.filter((x) => x.id !== m.id).concat([m]).sort((a, b) => a.id - b.id);
      save(messages);
      render(messages);
    } catch { /* a malformed event is skipped */ }
  });
}

const tasks = document.getElementById('lead-tasks');
if (tasks) {
  const r = await api('GET', `/api/v1/campaigns/${tasks.dataset.campaign}/tasks`);
  const mine = r.ok ? r.data.filter((x) => String(x.venue_id) === tasks.dataset.venue && x.status !== 'cancelled') : [];
  const today = new Date().toISOString().slice(0, 10);
  for (const x of mine) {
    const li = document.createElement('li');
    li.className = x.status === 'done' ? 'done' : (x.due_on < today ? 'overdue' : '');
    li.textContent = `${x.title} · ${x.due_on} · ${t(`task_${x.status}`)}`;
    tasks.append(li);
  }
  if (!mine.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = t('nothing_yet');
    tasks.append(li);
  }
}

// The participating units, each ticked on the list when it arrives (or from a paper sheet
// afterwards). Each tick's id is kept on the phone, so a resend is stored once.
const ticks = document.getElementById('check-in-list');
if (ticks) {
  const c = ticks.dataset.campaign;
  const [parts, units, done] = await Promise.all([
    api('GET', `/api/v1/campaigns/${c}/participations`),
    api('GET', '/api/v1/units'),
    api('GET', `/api/v1/campaigns/${c}/check-ins`),
  ]);
  const names = new Map((units.ok ? units.data : []).map((u) => [u.id, u.name]));
  const signed = new Set((done.ok ? done.data : []).map((x) => x.participant_key));
  for (const p of parts.ok ? parts.data : []) {
    const key = `unit-${p.unit_id}`;
    const li = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = names.get(p.unit_id) || key;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'small-btn';
    b.dataset.key = key;
    const mark = () => { b.textContent = t('checked_in'); b.disabled = true; li.className = 'done'; };
    b.textContent = t('check_in_title');
    if (signed.has(key)) mark();
    b.addEventListener('click', async () => {
      const k = `eventday.checkin.${c}.${key}`;
      const id = localStorage.getItem(k) || crypto.randomUUID();
      localStorage.setItem(k, id);
      const r = await api('POST', `/api/v1/venues/${ticks.dataset.venue}/check-ins`, { id, participant_kind: 'unit', unit_id: p.unit_id, method: 'list' });
      if (r.ok) mark(); else b.textContent = r.network ? t('network_error') : t('error_other');
    });
    li.append(label, ' ', b);
    ticks.append(li);
  }
}
