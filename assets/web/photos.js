// The photos page: a larger view in a dialog, the star "for the report" and the caption, each
// saved through the API (the server checks who may). Messages in the page's language.

import { api, t, say, errorText, failureText } from '/assets/app.js';

const msg = document.getElementById('photo-msg');
const dialog = document.getElementById('photo-dialog');
const img = document.getElementById('photo-dialog-img');
const meta = document.getElementById('photo-dialog-meta');
const shownCaption = document.getElementById('photo-dialog-caption');
const form = document.getElementById('caption-form');
const input = document.getElementById('caption-input');
const err = document.getElementById('caption-err');
let current = null;

function card(id) { return document.querySelector(`.photo-card[data-photo="${id}"]`); }

/** Why a write failed, in words: the field's complaint when the API names one. */
function why(r) {
  return r.error?.fields && Object.keys(r.error.fields).length ? errorText(r.error) : failureText(r);
}

/** Shows a photo's new state on its card. */
function update(p) {
  const c = card(p.id);
  if (!c) return;
  c.dataset.caption = p.caption;
  const shown = (p.caption || '').trim() || (p.note || '').trim();
  c.querySelector('[data-shown]').textContent = shown;
  c.classList.toggle('starred', p.starred);
  const b = c.querySelector('[data-star]');
  if (b) {
    b.setAttribute('aria-pressed', p.starred ? 'true' : 'false');
    b.textContent = `${p.starred ? '★' : '☆'} ${t('photo_star')}`;
  }
  const badge = c.querySelector('.star-badge');
  if (p.starred && !badge) {
    const s = document.createElement('span');
    s.className = 'badge star-badge';
    s.textContent = `★ ${t('photo_starred')}`;
    c.querySelector('.photo-meta').append(' ', s);
  } else if (!p.starred && badge) {
    badge.remove();
  }
  if (current === String(p.id)) shownCaption.textContent = shown;
}

function open(id, focusCaption) {
  const c = card(id);
  if (!c || !dialog) return;
  current = String(id);
  img.src = `/api/v1/photos/${id}`;
  img.alt = c.querySelector('img')?.alt || '';
  meta.textContent = c.dataset.meta || '';
  shownCaption.textContent = c.querySelector('[data-shown]')?.textContent || '';
  if (input) { input.value = c.dataset.caption || ''; input.placeholder = c.dataset.note || ''; }
  say(err, '', '');
  dialog.showModal();
  if (focusCaption && input) input.focus();
}

document.addEventListener('click', async (e) => {
  const target = e.target.closest('button');
  if (!target) return;
  if (target.dataset.open) { open(target.dataset.open, false); return; }
  if (target.dataset.editCaption) { open(target.dataset.editCaption, true); return; }
  if (target.dataset.star) {
    const id = target.dataset.star;
    const starred = target.getAttribute('aria-pressed') !== 'true';
    target.disabled = true;
    const r = await api('PUT', `/api/v1/photos/${id}/star`, { starred });
    target.disabled = false;
    if (r.ok) {
      update(r.data);
      say(msg, starred ? t('photo_starred') : t('saved'), 'ok');
      const all = document.querySelectorAll('.photo-card').length;
      const marked = document.querySelectorAll('.photo-card.starred').length;
      const summary = document.getElementById('photos-summary');
      if (summary) summary.textContent = t('photos_count').replace('{n}', all).replace('{s}', marked);
    } else {
      say(msg, why(r), 'error');
    }
  }
});

document.getElementById('photo-dialog-close')?.addEventListener('click', () => dialog.close());
dialog?.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });

form?.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current) return;
  const r = await api('PUT', `/api/v1/photos/${current}/caption`, { caption: input.value.trim() });
  if (r.ok) {
    update(r.data);
    say(err, t('saved'), 'ok');
  } else {
    say(err, why(r), 'error');
  }
});
