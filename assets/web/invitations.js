// Lead invitations: one button per venue (or one for all) asks the API for a new invitation;
// its secret link comes back once and is shown as a printable card with its QR code.
import { api, errorText, failureText, lang, say, t } from './app.js';

const data = JSON.parse(document.getElementById('page-data').textContent);
const msg = document.getElementById('inv-msg');
const hours = document.getElementById('inv-hours');
const wrap = document.getElementById('inv-cards-wrap');
const cards = document.getElementById('inv-cards');
const tmpl = document.getElementById('inv-card-tmpl');
const printBtn = document.getElementById('print-cards');
const venues = new Map(data.venues.map((v) => [v.id, v]));

function when(iso) {
  const opts = { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { ...opts, timeZone: data.timezone }).format(new Date(iso));
  } catch {
    return new Date(iso).toLocaleString();
  }
}

function showCard(venue, inv) {
  const card = tmpl.content.firstElementChild.cloneNode(true);
  card.dataset.venue = venue.id;
  card.dataset.invitation = inv.invitation.id;
  card.querySelector('.inv-venue').textContent = venue.name;
  const img = card.querySelector('.inv-qr');
  img.src = inv.qr_svg;
  img.alt = `${t('inv_qr_alt')}: ${venue.name}`;
  const a = card.querySelector('.inv-link a');
  a.href = inv.link;
  a.textContent = inv.link;
  const time = card.querySelector('.inv-expiry time');
  time.dateTime = inv.invitation.expires_at;
  time.textContent = when(inv.invitation.expires_at);
  // One card per venue: a newer invitation replaces the card of an older one.
  const old = cards.querySelector(`.inv-card[data-venue="${venue.id}"]`);
  if (old) old.replaceWith(card); else cards.append(card);
  wrap.hidden = false;
  printBtn.hidden = false;
  // The venue's list gains the new, unused invitation.
  const list = document.querySelector(`tr[data-venue="${venue.id}"] .inv-list`);
  if (list) {
    list.querySelector('.none')?.remove();
    const li = document.createElement('li');
    const st = document.createElement('span');
    st.className = 'status inv-unused';
    st.textContent = t('inv_unused');
    const small = document.createElement('span');
    small.className = 'small muted';
    small.textContent = ` ${t('inv_until')} ${when(inv.invitation.expires_at)}`;
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'small-btn';
    revoke.dataset.revoke = inv.invitation.id;
    revoke.textContent = t('inv_revoke');
    revoke.setAttribute('aria-label', `${t('inv_revoke')}${t('colon')}${venue.name}`);
    li.dataset.invitation = inv.invitation.id;
    li.append(st, small, ' ', revoke);
    list.prepend(li);
  }
  venue.pending = true;
}

// Taking an unused invitation back: its link opens nothing any more, and its card goes.
async function revoke(button) {
  const id = button.dataset.revoke;
  button.disabled = true;
  const r = await api('POST', `/api/v1/invitations/${id}/revoke`, {});
  if (!r.ok) {
    button.disabled = false;
    say(msg, failureText(r), 'error');
    return;
  }
  const li = button.closest('li');
  const st = li.querySelector('.status');
  st.className = 'status inv-revoked';
  st.textContent = t('inv_revoked');
  li.querySelector('.small')?.replaceChildren();
  button.remove();
  cards.querySelector(`.inv-card[data-invitation="${id}"]`)?.remove();
  if (!cards.children.length) { wrap.hidden = true; printBtn.hidden = true; }
  const v = venues.get(r.data.venue_id);
  if (v) v.pending = !!document.querySelector(`tr[data-venue="${v.id}"] [data-revoke]`);
  say(msg, t('inv_revoked'), 'ok');
}

async function invite(venue) {
  const r = await api('POST', `/api/v1/venues/${venue.id}/invitations`, { valid_hours: Number(hours.value) });
  if (!r.ok) {
    say(msg, `${venue.name}: ${t('save_failed')}: ${errorText(r.error)}`, 'error');
    return false;
  }
  showCard(venue, r.data);
  return true;
}

async function inviteMany(list, button) {
  button.disabled = true;
  let made = 0;
  try {
    for (const v of list) {
      if (!(await invite(v))) return;
      made += 1;
    }
    say(msg, `${t('inv_made')}: ${made}`, 'ok');
    cards.lastElementChild?.scrollIntoView({ block: 'nearest' });
  } finally {
    button.disabled = false;
  }
}

document.getElementById('inv-venues').addEventListener('click', (ev) => {
  const gone = ev.target.closest('button[data-revoke]');
  if (gone) { revoke(gone); return; }
  const btn = ev.target.closest('button[data-invite]');
  const v = btn && venues.get(Number(btn.dataset.invite));
  if (v) inviteMany([v], btn);
});
// "Invite all" leaves out venues that have a lead or an invitation waiting to be accepted.
const all = document.getElementById('invite-all');
all.addEventListener('click', async () => {
  const todo = data.venues.filter((v) => !v.has_lead && !v.pending);
  const skipped = data.venues.length - todo.length;
  if (!todo.length) { say(msg, t('inv_none_to_make'), 'ok'); return; }
  await inviteMany(todo, all);
  if (skipped && msg.classList.contains('ok')) say(msg, `${msg.textContent}${lang === 'en' ? '; ' : '；'}${t('inv_skipped')}${lang === 'en' ? ': ' : '：'}${skipped}`, 'ok');
});
printBtn.addEventListener('click', () => window.print());
