// The report page: the download links (PDF and Word) follow the chosen language and layout;
// narrative sections save with PUT, new ones with POST.
import { api, errorText, fieldMessage, say, t } from './app.js';

const links = [document.getElementById('report-download'), document.getElementById('report-download-docx')];
const langSel = document.getElementById('report-lang');
const styleSel = document.getElementById('report-style');
function relink() {
  for (const link of links) {
    if (!link) continue;
    const u = new URL(link.href, location.href);
    u.searchParams.set('lang', langSel.value);
    u.searchParams.set('style', styleSel.value);
    link.href = u.pathname + u.search;
  }
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
    // Said beside the button pressed.
    say(f.querySelector('.save-row .msg'), r.ok ? t('saved') : `${t('save_failed')}: ${errorText(r.error)}`, r.ok ? 'ok' : 'error');
  });
}
// A new section: where it goes is chosen in words; its key is made from that (the report
// places sections by key), numbered when the language has one already.
const add = document.getElementById('narrative-new');
add?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const part = add.part.value;
  const taken = new Set([...document.querySelectorAll(`form.narrative[data-lang="${add.lang.value}"]`)].map((f) => f.dataset.key));
  let key = part === 'opening' ? 'purpose' : part;
  for (let n = 2; taken.has(key); n += 1) key = `${part === 'opening' ? 'purpose' : part}_${n}`;
  const body = { lang: add.lang.value, key, position: document.querySelectorAll('form.narrative').length + 1,
    heading: add.heading.value, body: add.body.value, next_steps: part === 'next_steps' };
  const r = await api('POST', `/api/v1/campaigns/${add.dataset.campaign}/narrative`, body);
  if (r.ok) location.reload();
  else say(document.getElementById('new-msg'), `${t('save_failed')}: ${errorText(r.error)}`, 'error');
});

// Report settings: every field saved at once; the API's complaints shown beside their fields.
const rs = document.getElementById('report-settings');
rs?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  for (const p of rs.querySelectorAll('.field-error')) p.textContent = '';
  for (const el of rs.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const body = { title: rs.title.value, subtitle: rs.subtitle.value, issuer: rs.issuer.value,
    report_date: rs.report_date.value || null, addressee: rs.addressee.value, copy_to: rs.copy_to.value };
  const r = await api('PUT', `/api/v1/campaigns/${rs.dataset.campaign}/report-settings`, body);
  const out = document.getElementById('rs-msg');
  if (r.ok) { say(out, t('saved'), 'ok'); return; }
  const unplaced = [];
  let first = null;
  for (const [name, raw] of Object.entries(r.error?.fields || {})) {
    const p = rs.querySelector(`.field-error[data-for="${name}"]`);
    if (!p) { unplaced.push(`${name}: ${fieldMessage(raw)}`); continue; }
    p.textContent = fieldMessage(raw);
    const input = rs.querySelector(`[name="${name}"]`);
    input?.setAttribute('aria-invalid', 'true');
    first ??= input;
  }
  first?.focus();
  say(out, unplaced.length ? `${t('save_failed')}: ${unplaced.join('; ')}` : t('save_failed'), 'error');
});
