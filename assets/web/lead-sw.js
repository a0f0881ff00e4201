// The lead page's service worker (served as /lead-sw.js, scope /lead): the logging page and its
// assets open again without a connection. Pages and assets go to the network first and fall
// back to the copy kept here (also when the network takes over 3 s); the API is never touched
// (entries wait in the page's own queue in localStorage, and are sent by the page).
const CACHE = 'eventday-lead-v4';
const SHELL = ['/assets/app.css', '/assets/app.js', '/assets/lead.js', '/assets/lead-prep.js', '/assets/lead-case.js', '/assets/photo-shrink.js'];

self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if (k.startsWith('eventday-lead-') && k !== CACHE) await caches.delete(k);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  const page = req.mode === 'navigate';
  if (!page && !url.pathname.startsWith('/assets/')) return;
  ev.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(req, { ignoreSearch: page });
    const network = fetch(req).then(async (resp) => {
      // Keep only real pages and assets (not a redirect to the sign-in page).
      if (resp.ok && !resp.redirected && resp.type === 'basic') await cache.put(req, resp.clone());
      return resp;
    });
    if (!kept) return network;
    // On a slow connection (rain, a crowded cell) the kept copy is shown after 3 s; the
    // network's answer, when it comes, still refreshes the copy for next time.
    ev.waitUntil(network.catch(() => {}));
    const slow = new Promise((resolve) => { setTimeout(() => resolve(kept), 3000); });
    try {
      return await Promise.race([network, slow]);
    } catch {
      return kept;
    }
  })());
});
