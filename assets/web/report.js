// The report page: the download link follows the chosen language and layout; narrative
// sections save with PUT, new ones with POST.
import { api, errorText, say, t } from './app.js';

const link = document.getElementById('report-download');
const langSel = document.getElementById('report-lang');
const styleSel = document.getElementById('report-style');
const msg = document.getElementById('nar-msg');
function relink() {
  const u = new URL(link.href, location.href);
  u.searchParams.set('lang', langSel.value);
  u.searchParams.set('style', styleSel.value);
  link.href = u.pathname + u.search;
}
langSel.addEventListener('change', relink);
styleSel.addEventListener('change', relink);
relink();

for (const f of document.querySelectorAll('form.narrative')) {
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { lang: f.dataset.lang, key: f.dataset.key, position: Number(f.dataset.position),
      heading: f.heading.value, body: f.body.value, next_steps: f.next_steps.checked };
    const r = await api('PUT', `/api/v1/narrative/${f.dataset.id}`, body);
    say(msg, r.ok ? `${t('saved')}: ${body.heading}` : `${t('save_failed')}: ${errorText(r.error)}`, r.ok ? 'ok' : 'error');
  });
}
const add = document.getElementById('narrative-new');
add?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = { lang: add.lang.value, key: add.key.value.trim(), position: document.querySelectorAll('form.narrative').length + 1,
    heading: add.heading.value, body: add.body.value, next_steps: add.next_steps.checked };
  const r = await api('POST', `/api/v1/campaigns/${add.dataset.campaign}/narrative`, body);
  if (r.ok) location.reload();
  else say(msg, `${t('save_failed')}: ${errorText(r.error)}`, 'error');
});
