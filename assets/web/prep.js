// Organizers' preparation pages: the default checklist button, the clone form (a checkbox per
// part) and the message form. Plain ES module; every request through app.js.
import { api, t, say, errorText, failureText, fieldMessage } from './app.js';

function showFieldErrors(r) {
  for (const el of document.querySelectorAll('.field-error')) el.textContent = '';
  for (const [k, v] of Object.entries(r.error?.fields || {})) {
    const el = document.getElementById(`err-${k.split('.')[0]}`);
    if (el) el.textContent = fieldMessage(v);
  }
}

document.getElementById('default-tasks')?.addEventListener('click', async (ev) => {
  const id = ev.currentTarget.dataset.campaign;
  const r = await api('POST', `/api/v1/campaigns/${id}/tasks/default`, {});
  if (r.ok) location.reload();
  else say(document.getElementById('editor-msg'), r.error?.fields ? errorText(r.error) : failureText(r), 'error');
});

// Evidence on a task: the chosen file is sent as it is; the server judges its type by content.
for (const input of document.querySelectorAll('input[data-evidence-task]')) {
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    const msg = document.getElementById('editor-msg');
    say(msg, t('saving'), '');
    const path = `/api/v1/tasks/${input.dataset.evidenceTask}/evidence?name=${encodeURIComponent(file.name)}`;
    const r = await api('POST', path, file, { timeout: 60000 });
    if (r.ok) location.reload();
    else say(msg, r.error?.fields ? errorText(r.error) : failureText(r), 'error');
  });
}

// A participation copied from last year is confirmed through the same update as any change.
for (const b of document.querySelectorAll('button[data-confirm-participation]')) {
  b.addEventListener('click', async () => {
    let body;
    try { body = JSON.parse(b.dataset.body); } catch { return; }
    const r = await api('PUT', `/api/v1/participations/${b.dataset.confirmParticipation}`, body);
    if (r.ok) location.reload();
    else say(document.getElementById('editor-msg'), r.error?.fields ? errorText(r.error) : failureText(r), 'error');
  });
}

const cloneForm = document.getElementById('clone-form');
cloneForm?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const msg = document.getElementById('clone-msg');
  const parts = [...cloneForm.querySelectorAll('input[name="parts"]:checked')].map((i) => i.value);
  const body = { date: document.getElementById('clone-date').value, parts };
  say(msg, t('saving'), '');
  const r = await api('POST', `/api/v1/campaigns/${cloneForm.dataset.campaign}/clone`, body);
  if (r.ok) {
    const id = r.data.campaign.id;
    msg.textContent = '';
    const a = document.createElement('a');
    a.href = `/campaigns/${id}`;
    a.id = 'cloned-link';
    a.textContent = `${t('clone_done')} ${r.data.campaign.title}`;
    msg.append(a);
    msg.className = 'msg ok';
  } else {
    showFieldErrors(r);
    say(msg, r.error?.fields ? errorText(r.error) : failureText(r), 'error');
  }
});

const messageForm = document.getElementById('message-form');
const toAll = document.getElementById('to-all');
messageForm?.querySelectorAll('input[name="venue_ids"]').forEach((box) => box.addEventListener('change', () => {
  if (box.checked && toAll) toAll.checked = false;
}));
messageForm?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const msg = document.getElementById('message-msg');
  const venues = toAll?.checked ? [] : [...messageForm.querySelectorAll('input[name="venue_ids"]:checked')].map((i) => Number(i.value));
  const body = { body: document.getElementById('message-body').value, venue_ids: venues };
  const r = await api('POST', `/api/v1/campaigns/${messageForm.dataset.campaign}/messages`, body);
  if (r.ok) location.reload();
  else {
    showFieldErrors(r);
    say(msg, r.error?.fields ? errorText(r.error) : failureText(r), 'error');
  }
});
