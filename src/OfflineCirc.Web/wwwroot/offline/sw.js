// Service worker for the capture page (scope /offline/).
// The page's own files: cache first, from a versioned cache filled at install. /api/*: network only, never cached.
// Bump CACHE_VERSION whenever any file below changes, so browsers fetch the new set and drop the old one.

const CACHE_VERSION = 'v1';
const CACHE_NAME = `offlinecirc-${CACHE_VERSION}`;
const CACHE_PREFIX = 'offlinecirc-';

const PAGE_FILES = [
  '/offline/',
  '/offline/guide.html',
  '/offline/app.css',
  '/offline/js/main.js',
  '/offline/js/db.js',
  '/offline/js/context.js',
  '/offline/js/format.js',
  '/offline/js/barcodes.js',
  '/offline/js/warnings.js',
  '/offline/js/capture.js',
  '/offline/js/register.js',
  '/offline/js/receipt.js',
  '/offline/js/lists.js',
  '/offline/js/setup.js',
  '/offline/js/sync.js',
  '/offline/js/ui.js',
  '/offline/js/guide.js',
];

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
