// A server-rendered fragment that follows a live feed (Server-Sent Events): the dashboard's
// totals and venue table, the reporting page's completeness rows. Each event of the given types
// asks for the fragment again, at most once a second. Where the feed cannot be opened or keeps
// failing, the page asks every 5 seconds instead until the feed is back. The connection's state is
// shown in #live-state; after a reconnection (the browser resumes with Last-Event-ID) the fragment
// is fetched again at once.
import { t } from './app.js';

// `el` holds the fragment, with its URL in data-src and the feed's in data-feed. `events`: the
// event types that refresh it; `on`: event types with a handler of their own (run before the
// refresh); `also`: run whenever the fragment is refreshed by polling or after a reconnection;
// `after`: run after each new copy of the fragment is in place.
export function followFragment(el, { events, on = {}, also = () => {}, after = () => {} }) {
  const src = el.dataset.src;
  const feed = el.dataset.feed;
  const state = document.getElementById('live-state');
  function showState(s) {
    if (!state || state.dataset.state === s) return;
    state.dataset.state = s;
    state.textContent = t({ live: 'live_on', lost: 'live_lost', connecting: 'live_connecting' }[s]);
  }

  let busy = false;
  let again = false;
  async function refresh() {
    if (!src || document.hidden) return;
    if (busy) { again = true; return; }
    busy = true;
    try {
      const r = await fetch(src, { credentials: 'same-origin', cache: 'no-store' });
      if (r.ok) {
        el.innerHTML = await r.text();
        el.dataset.refreshed = String(Number(el.dataset.refreshed || 0) + 1);
        after();
      }
    } catch { /* offline: keep what is shown and try again */ }
    finally {
      busy = false;
      if (again) { again = false; soon(); }
    }
  }

  let timer = null;
  function soon() {
    if (timer) return;
    timer = setTimeout(() => { timer = null; refresh(); }, 1000);
  }

  let poller = null;
  function poll() {
    el.dataset.mode = 'poll';
    if (!poller) poller = setInterval(() => { refresh(); also(); }, 5000);
  }

  function listen() {
    if (!feed || typeof EventSource === 'undefined') { poll(); return; }
    let failures = 0;
    let lost = false;
    const es = new EventSource(feed, { withCredentials: true });
    es.addEventListener('open', () => {
      failures = 0;
      el.dataset.mode = 'live';
      showState('live');
      if (poller) { clearInterval(poller); poller = null; }
      // Back after a break: what happened meanwhile is in the fragment.
      if (lost) { lost = false; refresh(); also(); }
    });
    for (const type of events) es.addEventListener(type, soon);
    for (const [type, handler] of Object.entries(on)) es.addEventListener(type, () => { handler(); soon(); });
    es.addEventListener('error', () => {
      // The browser reconnects by itself; after repeated failures (or a refusal, which closes
      // the stream) polling takes over until the feed is back.
      failures += 1;
      lost = true;
      showState('lost');
      if (es.readyState === EventSource.CLOSED || failures >= 3) poll();
      if (es.readyState === EventSource.CLOSED) setTimeout(listen, 5000);
    });
  }

  listen();
  document.addEventListener('visibilitychange', refresh);
  return { refresh };
}
