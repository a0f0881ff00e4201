// The lead page's preparation parts: messages from the organizers, live (Server-Sent Events,
// resumed by the browser with Last-Event-ID) and kept on the phone for when it opens offline;
// read receipts; and the venue's tasks of the checklist.
import { api, errorText, failureText, say, t } from './app.js';

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

// The venue's tasks of the checklist, each with a status the lead may change (the server lets
// a lead change only their venue's tasks), and the campaign-wide ones to read. A change made
// offline is kept on the phone and sent when the connection is back (a status is set, not
// added, so sending it twice does no harm).
const tasks = document.getElementById('lead-tasks');
if (tasks) {
  const { campaign, venue: tv } = tasks.dataset;
  const LIST = `eventday.tasks.${campaign}`;
  const PENDING = `eventday.taskstatus.${tv}`;
  const load = (k, d) => { try { return JSON.parse(localStorage.getItem(k) || d); } catch { return JSON.parse(d); } };
  const pending = () => load(PENDING, '{}');
  const keepPending = (p) => localStorage.setItem(PENDING, JSON.stringify(p));
  const r = await api('GET', `/api/v1/campaigns/${campaign}/tasks`);
  let all = r.ok ? r.data : load(LIST, '[]');
  if (r.ok) localStorage.setItem(LIST, JSON.stringify(all));
  const today = new Date().toISOString().slice(0, 10);
  const STATUSES = ['open', 'in_progress', 'done'];

  const send = async (id, status) => {
    const res = await api('PUT', `/api/v1/tasks/${id}/status`, { status });
    const p = pending();
    if (res.ok || !res.network) { delete p[id]; keepPending(p); }
    else { p[id] = status; keepPending(p); }
    return res;
  };
  const flush = async () => {
    for (const [id, status] of Object.entries(pending())) {
      const res = await send(id, status);
      const note = tasks.querySelector(`li[data-task="${id}"] .msg`);
      if (note) say(note, res.ok ? t('saved') : (res.network ? t('task_status_queued') : failureText(res)), res.ok ? 'ok' : 'error');
    }
  };

  const row = (x, editable) => {
    const li = document.createElement('li');
    li.dataset.task = x.id;
    const status = pending()[x.id] || x.status;
    const title = document.createElement('span');
    title.className = 'task-title';
    title.textContent = x.title;
    const due = document.createElement('span');
    due.className = 'small task-due';
    // Done tasks are struck through; open ones past their due date are red.
    const paint = (st) => {
      const late = x.due_on < today && st !== 'done' && st !== 'cancelled';
      li.className = st === 'done' ? 'done' : (late ? 'overdue' : '');
      due.textContent = `${t('task_due')} ${x.due_on}${late ? ` · ${t('overdue')}` : ''}`;
    };
    paint(status);
    li.append(title, ' ', due, ' ');
    if (editable && status !== 'cancelled') {
      const sel = document.createElement('select');
      sel.setAttribute('aria-label', `${t('task_status')}: ${x.title}`);
      for (const st of STATUSES) {
        const o = document.createElement('option');
        o.value = st;
        o.textContent = t(`task_${st}`);
        o.selected = st === status;
        sel.append(o);
      }
      const note = document.createElement('span');
      note.className = 'msg';
      note.setAttribute('role', 'status');
      sel.addEventListener('change', async () => {
        paint(sel.value);
        say(note, t('saving'), '');
        const res = await send(x.id, sel.value);
        if (res.ok) {
          x.status = sel.value;
          say(note, t('saved'), 'ok');
        } else if (res.network) {
          say(note, t('task_status_queued'), 'error');
        } else {
          sel.value = x.status;
          paint(x.status);
          say(note, failureText(res), 'error');
        }
      });
      li.append(sel, ' ', note);
    } else {
      const st = document.createElement('span');
      st.className = 'small';
      st.textContent = t(`task_${status}`);
      li.append(st);
    }
    return li;
  };

  const mine = all.filter((x) => String(x.venue_id) === tv);
  const shared = all.filter((x) => x.venue_id == null && x.status !== 'cancelled');
  for (const x of mine) tasks.append(row(x, true));
  if (!mine.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = t('nothing_yet');
    tasks.append(li);
  }
  const sharedList = document.getElementById('lead-campaign-tasks');
  if (sharedList) {
    for (const x of shared) sharedList.append(row(x, false));
    sharedList.closest('details')?.toggleAttribute('hidden', !shared.length);
  }
  window.addEventListener('online', flush);
  if (Object.keys(pending()).length && navigator.onLine) flush();
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

// Staff sign in by name on the lead's phone (the same check-in as units, kind `staff`); the id
// is kept per name on the phone, so a resend is stored once.
const staffForm = document.getElementById('staff-check-in');
const staffList = document.getElementById('staff-checked-in');
if (staffForm && ticks) {
  const c = ticks.dataset.campaign;
  const v = ticks.dataset.venue;
  const msg = document.getElementById('staff-check-in-msg');
  const show = (name, role) => {
    const li = document.createElement('li');
    li.className = 'done';
    const span = document.createElement('span');
    span.textContent = role ? `${name}（${role}）` : name;
    li.append(span, ` ${t('checked_in')}`);
    staffList?.append(li);
  };
  const done = await api('GET', `/api/v1/campaigns/${c}/check-ins`);
  for (const x of done.ok ? done.data : []) {
    if (x.participant_kind === 'staff' && String(x.venue_id) === v) show(x.name, x.role);
  }
  staffForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = staffForm.elements.name.value.trim();
    const role = staffForm.elements.role.value.trim();
    if (!name) { say(msg, t('required'), 'error'); return; }
    const k = `eventday.checkin.${c}.staff-${name}`;
    const id = localStorage.getItem(k) || crypto.randomUUID();
    localStorage.setItem(k, id);
    const r = await api('POST', `/api/v1/venues/${v}/check-ins`, { id, participant_kind: 'staff', name, role, method: 'list' });
    if (r.ok) {
      say(msg, r.status === 201 ? t('checked_in') : t('already_checked_in'), 'ok');
      if (r.status === 201) show(name, role);
      staffForm.reset();
    } else {
      say(msg, r.error?.fields ? errorText(r.error) : failureText(r), 'error');
    }
  });
}
