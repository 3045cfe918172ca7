// Service worker for the capture page (scope /offline/).
// The page's own files: cache first, from a versioned cache filled at install. /api/*: network only, never cached.
// The server puts CACHE_VERSION (a digest of the page's files) and PAGE_FILES (the page's folder) at the top of this file
// (Offline/ServiceWorkerScript.cs), so any deployed change gives a new cache and the old one is dropped.

const CACHE_NAME = `offlinecirc-${CACHE_VERSION}`;
const CACHE_PREFIX = 'offlinecirc-';

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE_NAME);
    // 'reload' skips the HTTP cache so a new version never precaches stale files.
    await cache.addAll(PAGE_FILES.map(url => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter(n => n.startsWith(CACHE_PREFIX) && n !== CACHE_NAME).map(n => caches.delete(n)));
    // Control the page that installed us, so it counts as ready without a reload.
    await self.clients.claim();
  })());
});

function offlineApiResponse() {
  const body = JSON.stringify({
    type: 'about:blank', title: 'The server cannot be reached.', status: 503,
    detail: 'The network is down or the server is not answering.', offline: true,
  });
  return new Response(body, { status: 503, headers: { 'Content-Type': 'application/problem+json' } });
}

async function fromNetwork(request) {
  try {
    return await fetch(request);
  } catch {
    return offlineApiResponse();
  }
}

async function fromCacheFirst(request, url) {
  const cache = await caches.open(CACHE_NAME);
  // The page is one document whatever its query string; /offline/index.html is the same document as /offline/.
  const key = url.pathname === '/offline/index.html' ? '/offline/' : url.pathname;
  const cached = await cache.match(key);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (response.ok && PAGE_FILES.includes(key)) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    // Any other address under /offline/ opened with the network down still gets the page.
    if (request.mode === 'navigate') return (await cache.match('/offline/')) || Promise.reject(err);
    throw err;
  }
}

self.addEventListener('fetch', event => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    event.respondWith(fromNetwork(event.request));
  } else if (url.pathname.startsWith('/offline/') && event.request.method === 'GET') {
    event.respondWith(fromCacheFirst(event.request, url));
  }
});
