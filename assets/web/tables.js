// Every page's data tables, made easier to use: a table wider than the screen scrolls inside a
// region that can be focused and scrolled with the keyboard, with a shadow on the side that has
// more; a long table (more than 15 rows) gets a filter box that hides the rows not matching what
// is typed, and says how many are shown. Live fragments are enhanced again when they refresh.
import { t } from './app.js';

const LONG = 15;

function scrollCue(wrap) {
  const more = wrap.scrollWidth - wrap.clientWidth > 2;
  wrap.classList.toggle('scrolls', more);
  wrap.classList.toggle('at-start', wrap.scrollLeft <= 1);
  wrap.classList.toggle('at-end', wrap.scrollLeft >= wrap.scrollWidth - wrap.clientWidth - 1);
  if (more) {
    wrap.setAttribute('tabindex', '0');
    wrap.setAttribute('role', 'region');
    if (!wrap.hasAttribute('aria-label')) {
      const caption = wrap.querySelector('caption')?.textContent.trim()
        || wrap.closest('section')?.querySelector('h2')?.textContent.trim() || '';
      wrap.setAttribute('aria-label', `${caption}${caption ? ' · ' : ''}${t('table_scrolls')}`);
    }
  } else if (wrap.getAttribute('role') === 'region') {
    wrap.removeAttribute('tabindex');
    wrap.removeAttribute('role');
    wrap.removeAttribute('aria-label');
  }
}

function addFilter(table) {
  if (table.dataset.filtered || table.closest('[data-src]') || table.closest('[data-no-filter]')) return;
  const rows = [...table.tBodies].flatMap((b) => [...b.rows]);
  if (rows.length <= LONG) return;
  table.dataset.filtered = '1';
  const box = document.createElement('div');
  box.className = 'table-filter';
  const label = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'search';
  input.autocomplete = 'off';
  label.append(document.createTextNode(`${t('filter_rows')} `), input);
  const count = document.createElement('span');
  count.className = 'muted small';
  count.setAttribute('role', 'status');
  box.append(label, count);
  const shown = (n) => { count.textContent = t('rows_shown').replace('{n}', n).replace('{m}', rows.length); };
  shown(rows.length);
  input.addEventListener('input', () => {
    const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let n = 0;
    for (const r of rows) {
      const text = r.textContent.toLowerCase();
      const hit = words.every((w) => text.includes(w));
      r.hidden = !hit;
      if (hit) n += 1;
    }
    shown(n);
  });
  const anchor = table.closest('.table-wrap') || table;
  anchor.before(box);
}

function enhance() {
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    scrollCue(wrap);
    if (!wrap.dataset.cue) {
      wrap.dataset.cue = '1';
      wrap.addEventListener('scroll', () => scrollCue(wrap), { passive: true });
    }
  }
  for (const table of document.querySelectorAll('main table.data')) addFilter(table);
}

enhance();
window.addEventListener('resize', enhance);
// Fragments replaced by live updates bring new tables.
let queued = false;
new MutationObserver(() => {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; enhance(); });
}).observe(document.querySelector('main') || document.body, { childList: true, subtree: true });
