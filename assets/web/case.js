// The organizers' case page: the step form (the server checks the move and names any bad
// field), the full contact, shown on request (the server records every view), and adding an
// evidence photo (shrunk and stripped of its EXIF block here; the server judges the bytes).
import { api, errorText, failureText, fieldMessage, say, t } from './app.js';
import { dataUrlToBlob, shrink } from './photo-shrink.js';

const data = JSON.parse(document.getElementById('case-data').textContent);
const id = data.dispute_id;
const form = document.getElementById('step-form');
const reveal = document.getElementById('reveal');

if (reveal) {
  reveal.addEventListener('click', async () => {
    const r = await api('POST', `/api/v1/disputes/${id}/case/contact`);
    if (!r.ok) return;
    if (r.data.name) document.getElementById('case-name').textContent = r.data.name;
    if (r.data.phone) document.getElementById('case-phone').textContent = r.data.phone;
    reveal.disabled = true;
  });
}

if (form) {
  const stage = document.getElementById('step-stage');
  const sync = () => {
    document.getElementById('amount-wrap').hidden = stage.value !== 'settled';
    document.getElementById('ref-wrap').hidden = stage.value !== 'referred_12315';
  };
  stage.addEventListener('change', sync);
  sync();
  form.on.value = data.today;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    const body = { stage: stage.value, on: form.on.value, means: form.means.value.trim(), result: form.result.value.trim() };
    if (stage.value === 'settled') {
      const s = form.amount.value.trim() || '0';
      if (!/^\d+(\.\d{1,2})?$/.test(s)) { document.getElementById('err-amount_recovered_fen').textContent = t('must_be_number'); return; }
      body.amount_recovered_fen = Math.round(Number(s) * 100);
    }
    if (stage.value === 'referred_12315') body.reference_12315 = form.reference_12315.value.trim();
    const r = await api('POST', `/api/v1/disputes/${id}/case/steps`, body);
    if (r.ok) { location.reload(); return; }
    for (const [k, v] of Object.entries(r.error?.fields || {})) {
      const el = document.getElementById(`err-${k}`);
      if (el) el.textContent = fieldMessage(v);
    }
    // The API's own message is for programs: the page says it in its words.
    const fields = Object.keys(r.error?.fields || {}).length > 0;
    say(document.getElementById('step-msg'), fields ? errorText(r.error) : failureText(r), 'error');
  });
}

const evidenceForm = document.getElementById('evidence-form');
if (evidenceForm) {
  const input = document.getElementById('evidence-file');
  const err = document.getElementById('err-file');
  const msg = document.getElementById('evidence-msg');
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    err.textContent = '';
    let url = null;
    try { url = await shrink(file, 4 * 1024 * 1024); } catch { url = null; }
    // A file the browser cannot draw goes as it is: the server says why it is refused.
    const body = url ? dataUrlToBlob(url) : file;
    const r = await api('POST', `/api/v1/disputes/${id}/case/evidence`, body, { timeout: 60000 });
    input.value = '';
    if (r.ok) { say(msg, t('case_evidence_added'), 'ok'); location.reload(); return; }
    const why = r.error?.fields?.file;
    if (why) err.textContent = fieldMessage(why);
    say(msg, r.error?.message || t('v_fix'), 'error');
  });
}
