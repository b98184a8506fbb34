/**
 * The site's service worker, registered by presentation pages (over HTTP
 * only) so a deck keeps working with the network cut. The build
 * (src/astro/deck-files.ts) bundles this file to `<base>sw.js` and puts in
 * front of it the list of what a deck needs: every presentation page, the
 * hashed build assets (styles, scripts, the DuckDB-WASM runtime and its
 * worker), the snapshot Parquet the decks' charts read, and the icon.
 *
 * - Hashed assets and snapshot files never change: cache first.
 * - Pages and anything else: network first, the cached copy when offline
 *   (a page's query string is ignored, so the presenter view works too).
 * - Requests to other origins are not touched (the site makes none).
 */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  registration: { scope: string };
  PLOTLINE_PRECACHE?: string[];
  PLOTLINE_VERSION?: string;
}

const worker = self as unknown as ServiceWorkerScope;
const scope = worker.registration.scope;
const CACHE = `plotline-${worker.PLOTLINE_VERSION ?? 'dev'}`;
const PRECACHE = (worker.PLOTLINE_PRECACHE ?? []).map((path) => new URL(path, scope).href);

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('plotline-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

function immutable(url: URL): boolean {
  const path = url.href.slice(scope.length);
  return path.startsWith('_astro/') || /^data\/snapshots\/\d{4}-\d{2}\//.test(path);
}

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
    return response;
  } catch (error) {
    const cached = (await caches.match(request)) ?? (await caches.match(request, { ignoreSearch: true }));
    if (cached) return cached;
    throw error;
  }
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !url.href.startsWith(scope)) return;
  event.respondWith(immutable(url) ? cacheFirst(request) : networkFirst(request));
});
