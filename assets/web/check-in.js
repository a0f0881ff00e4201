// The page a participant's QR code opens on the lead's phone: signs them in at the lead's
// venue. The check-in's id is made once per participant and kept on the phone, so a second
// scan, a reload or a resend after a lost answer is stored once; offline, it waits and is sent
// when the phone is back online.
import { api, t, say, failureText, errorText } from './app.js';

const data = JSON.parse(document.getElementById('check-in-data')?.textContent || '{}');
const form = document.getElementById('check-in-form');
const msg = document.getElementById('check-in-msg');
const QUEUE = 'eventday.checkins';

function queue() { try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch { return []; } }
function saveQueue(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); }

function idFor(key) {
  const k = `eventday.checkin.${data.campaign_id}.${key}`;
  let id = localStorage.getItem(k);
  if (!id) { id = crypto.randomUUID(); localStorage.setItem(k, id); }
  return id;
}

async function send(item) {
  const r = await api('POST', `/api/v1/venues/${item.venue_id}/check-ins`, item.body);
  return r;
}

async function flush() {
  const q = queue();
  const left = [];
  for (const item of q) {
    const r = await send(item);
    if (r.network || r.status >= 500) left.push(item);
  }
  saveQueue(left);
}

form?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const venue_id = Number(document.getElementById('check-in-venue').value);
  const body = { id: idFor(data.key), participant_kind: data.kind, method: 'qr' };
  if (data.kind === 'unit') body.unit_id = data.id; else body.official_id = data.id;
  const r = await send({ venue_id, body });
  if (r.ok) {
    say(msg, r.status === 201 ? t('checked_in') : t('already_checked_in'), 'ok');
    document.getElementById('check-in-submit').disabled = true;
  } else if (r.network || r.status >= 500) {
    saveQueue([...queue().filter((i) => i.body.id !== body.id), { venue_id, body }]);
    say(msg, t('check_in_queued'), '');
  } else {
    say(msg, r.error?.fields ? errorText(r.error) : failureText(r), 'error');
  }
});

window.addEventListener('online', flush);
if (navigator.onLine) flush();
