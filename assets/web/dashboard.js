// The dashboard's live fragment (totals and the venue table) follows the campaign's live feed
// (Server-Sent Events): each event asks for the fragment again, at most once a second. Where
// the feed cannot be opened or keeps failing, the page falls back to asking every 5 seconds.
const live = document.getElementById('live');
const src = live?.dataset.src;
const feed = live?.dataset.feed;
let busy = false;
let again = false;
async function refresh() {
  if (!src || document.hidden) return;
  if (busy) { again = true; return; }
  busy = true;
  try {
    const r = await fetch(src, { credentials: 'same-origin', cache: 'no-store' });
    if (r.ok) {
      live.innerHTML = await r.text();
      live.dataset.refreshed = String(Number(live.dataset.refreshed || 0) + 1);
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
  live.dataset.mode = 'poll';
  if (!poller) poller = setInterval(refresh, 5000);
}

function listen() {
  if (!feed || typeof EventSource === 'undefined') { poll(); return; }
  let failures = 0;
  const es = new EventSource(feed, { withCredentials: true });
  es.addEventListener('open', () => {
    failures = 0;
    live.dataset.mode = 'live';
    if (poller) { clearInterval(poller); poller = null; }
  });
  for (const type of ['entry', 'totals', 'lagged', 'message']) es.addEventListener(type, soon);
  es.addEventListener('error', () => {
    // The browser reconnects by itself; after repeated failures (or a refusal, which closes
    // the stream) polling takes over until the feed is back.
    failures += 1;
    if (es.readyState === EventSource.CLOSED || failures >= 3) poll();
    if (es.readyState === EventSource.CLOSED) setTimeout(listen, 30000);
  });
}

if (src) {
  listen();
  document.addEventListener('visibilitychange', refresh);
}
