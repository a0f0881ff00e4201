// The dashboard refreshes its live fragment (totals and the venue table) every 5 seconds.
const live = document.getElementById('live');
const src = live?.dataset.src;
let busy = false;
async function refresh() {
  if (!src || busy || document.hidden) return;
  busy = true;
  try {
    const r = await fetch(src, { credentials: 'same-origin', cache: 'no-store' });
    if (r.ok) live.innerHTML = await r.text();
  } catch { /* offline: keep what is shown and try again */ }
  finally { busy = false; }
}
if (src) {
  setInterval(refresh, 5000);
  document.addEventListener('visibilitychange', refresh);
}
