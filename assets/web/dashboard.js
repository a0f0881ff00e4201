// The dashboard's live fragment (totals and the venue table) follows the campaign's live feed
// (Server-Sent Events): each event asks for the fragment again, at most once a second. Where
// the feed cannot be opened or keeps failing, the page falls back to asking every 5 seconds.
// The connection's state is shown; after a reconnection (the browser resumes with
// Last-Event-ID) the totals are fetched again at once. Organizers move venues' days (submit,
// accept, reopen) from the venue table. The submission panel (报送) follows the feed's
// `submission` events: a return by the parent shows its comment without a reload.
import { api, failureText, say, t } from './app.js';
import { drawCharts } from './charts.js';
import { followFragment } from './live-fragment.js';

const live = document.getElementById('live');
const { refresh } = live?.dataset.src
  ? followFragment(live, {
    events: ['entry', 'totals', 'lagged', 'message'],
    on: { submission: () => refreshSubmission() },
    also: () => refreshSubmission(),
    after: drawCharts,
  })
  : { refresh: async () => {} };
drawCharts();

// Closing the day, venue by venue or every submitted one at once.
const dayMsg = document.getElementById('day-msg');
async function moveDay(venue, action, body = {}) {
  const r = await api('POST', `/api/v1/venues/${venue}/day/${action}`, body);
  return r.ok ? null : failureText(r);
}
const venueName = (venue) => live.querySelector(`tr[data-venue="${venue}"] th`)?.firstChild?.textContent.trim() || venue;

// Reopening asks why: the venue's lead reads the reason on their page.
const reopen = document.getElementById('reopen-dialog');
const reopenText = document.getElementById('reopen-text');
const reopenMsg = document.getElementById('reopen-msg');
document.getElementById('reopen-cancel')?.addEventListener('click', () => { reopen.hidden = true; });
reopen?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const reason = reopenText.value.trim();
  if (!reason) { say(reopenMsg, t('reopen_reason_required'), 'error'); reopenText.focus(); return; }
  const button = document.getElementById('reopen-confirm');
  button.disabled = true;
  const why = await moveDay(reopen.dataset.venue, 'reopen', { reason });
  button.disabled = false;
  if (why) { say(reopenMsg, why, 'error'); return; }
  reopen.hidden = true;
  reopenText.value = '';
  await refresh();
  say(dayMsg, t('day_moved'), 'ok');
});

live?.addEventListener('click', async (ev) => {
  const one = ev.target.closest('button[data-day-action]');
  const all = ev.target.closest('button[data-accept-all]');
  if (!one && !all) return;
  if (one?.dataset.dayAction === 'reopen' && reopen) {
    reopen.dataset.venue = one.dataset.venue;
    document.getElementById('reopen-name').textContent = venueName(one.dataset.venue);
    say(reopenMsg, '', '');
    reopen.hidden = false;
    reopenText.focus();
    return;
  }
  const todo = one
    ? [[one.dataset.venue, one.dataset.dayAction]]
    : [...live.querySelectorAll('td[data-day=submitted] button[data-day-action=accept]')].map((b) => [b.dataset.venue, 'accept']);
  (one || all).disabled = true;
  const failed = [];
  for (const [venue, action] of todo) {
    const why = await moveDay(venue, action);
    if (why) failed.push(`${venueName(venue)}: ${why}`);
  }
  await refresh();
  if (failed.length) say(dayMsg, `${t('day_move_failed')}: ${failed.join('; ')}`, 'error');
  else say(dayMsg, t('day_moved'), 'ok');
});

// The submission panel: its state from the API, the district's submit button.
const panel = document.getElementById('submission');
function showSubmission(sub) {
  const status = sub ? sub.status : 'none';
  // A move made elsewhere (the parent's decision) makes the last message here stale.
  if (panel.dataset.status !== status) say(document.getElementById('submission-msg'), '', '');
  panel.dataset.status = status;
  const label = document.getElementById('submission-status');
  label.textContent = t(`sub_${status}`);
  label.className = `status status-sub-${status}`;
  const box = document.getElementById('submission-comment');
  document.getElementById('submission-comment-text').textContent = sub?.comment || '';
  box.hidden = !(status === 'returned' && sub?.comment);
  const form = document.getElementById('submission-form');
  if (form) form.hidden = status === 'submitted' || status === 'accepted';
}
async function refreshSubmission() {
  if (!panel) return;
  const r = await api('GET', `/api/v1/campaigns/${panel.dataset.campaign}/submission`);
  if (r.ok) showSubmission(r.data.submission);
}
document.getElementById('submission-form')?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const button = document.getElementById('submission-submit');
  const msg = document.getElementById('submission-msg');
  button.disabled = true;
  const note = document.getElementById('submission-note').value;
  const r = await api('POST', `/api/v1/campaigns/${panel.dataset.campaign}/submission/submit`,
    { note, client_id: crypto.randomUUID?.() });
  button.disabled = false;
  if (r.ok) {
    showSubmission(r.data);
    document.getElementById('submission-note').value = '';
    say(msg, t('submitted_ok'), 'ok');
    refresh();
  } else {
    say(msg, failureText(r), 'error');
  }
});
