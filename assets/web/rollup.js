// The parent's reporting page. Its changing part (totals, charts, the completeness table) is a
// server-rendered fragment asked for again whenever the organization's live feed (Server-Sent
// Events) reports a log entry or a submission, at most once a second; where the feed cannot be
// opened the page asks every 5 seconds instead. Accept and return act on one submitted row; the
// return's comment is asked for in a form outside the fragment, so a refresh never loses it.
import { api, failureText, say, t } from './app.js';
import { followFragment } from './live-fragment.js';

const live = document.getElementById('rollup-live');
const { refresh } = live
  ? followFragment(live, { events: ['totals', 'submission', 'lagged'] })
  : { refresh: async () => {} };

// Accept and return, row by row.
const msg = document.getElementById('decide-msg');
const dialog = document.getElementById('return-dialog');
const comment = document.getElementById('return-comment');
const returnMsg = document.getElementById('return-msg');
live?.addEventListener('click', async (ev) => {
  const accept = ev.target.closest('button[data-accept]');
  const ret = ev.target.closest('button[data-return]');
  if (accept) {
    accept.disabled = true;
    const r = await api('POST', `/api/v1/campaigns/${accept.dataset.accept}/submission/accept`, {});
    if (r.ok) say(msg, t('decided_accepted'), 'ok');
    else { accept.disabled = false; say(msg, failureText(r), 'error'); }
    await refresh();
  } else if (ret) {
    dialog.dataset.campaign = ret.dataset.return;
    document.getElementById('return-name').textContent = ret.dataset.name;
    say(returnMsg, '', '');
    dialog.hidden = false;
    comment.focus();
  }
});
document.getElementById('return-cancel')?.addEventListener('click', () => { dialog.hidden = true; });
dialog?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!comment.value.trim()) { say(returnMsg, t('comment_required'), 'error'); comment.focus(); return; }
  const button = document.getElementById('return-confirm');
  button.disabled = true;
  const r = await api('POST', `/api/v1/campaigns/${dialog.dataset.campaign}/submission/return`, { comment: comment.value });
  button.disabled = false;
  if (r.ok) {
    dialog.hidden = true;
    comment.value = '';
    say(msg, t('decided_returned'), 'ok');
    await refresh();
  } else if (r.status === 422) {
    say(returnMsg, t('comment_required'), 'error');
  } else {
    say(returnMsg, failureText(r), 'error');
  }
});

// The cut-off, on the campaigns' clock (China Standard Time).
const cutoff = document.getElementById('cutoff-form');
cutoff?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const at = document.getElementById('cutoff-at').value;
  const out = document.getElementById('cutoff-msg');
  if (!at) { say(out, t('error_bad_request'), 'error'); return; }
  const r = await api('PUT', `/api/v1/organizations/${cutoff.dataset.org}/submission-cutoff`,
    { year: Number(cutoff.dataset.year), cutoff_at: `${at.length === 16 ? `${at}:00` : at}+08:00` });
  if (r.ok) { say(out, t('cutoff_saved'), 'ok'); await refresh(); }
  else say(out, failureText(r), 'error');
});
