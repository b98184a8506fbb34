/**
 * Local and offline use. Over HTTP(S) the deck registers the site's service
 * worker (scoped to the site's base path), which caches the deck, its
 * assets, the snapshot Parquet and the DuckDB runtime, so it keeps working
 * when the network drops; the page is marked `data-offline="ready"` when
 * that is done. From file:// there is no service worker and no module
 * scripts (Chromium refuses them on file:// origins): the server-rendered
 * charts show as built, and each input says plainly that changing it needs
 * the site served over HTTP.
 */
export const fromFile = location.protocol === 'file:';

export function registerOffline(base: string): void {
  if (!/^https?:$/.test(location.protocol) || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register(`${base}sw.js`, { scope: base })
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      document.documentElement.dataset.offline = 'ready';
    })
    .catch(() => {
      // No offline copy (private window, blocked by policy): the deck works online as before.
    });
}

/**
 * The page's module scripts (live re-query) arrive as `type="plotline/module"`
 * (see src/astro/deck-files.ts) so that file:// pages do not try them; over
 * HTTP they load here, in page order.
 */
export function loadModules(): void {
  if (fromFile) return;
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[type="plotline/module"]')) {
    import(/* @vite-ignore */ script.src).catch(() => {
      // Without the live runtime the charts stay as built, which is what they show anyway.
    });
  }
}

/** From file://: inputs cannot re-query; say so beside each, and keep links to pages working. */
export function explainFileMode(): void {
  if (!fromFile) return;
  for (const input of document.querySelectorAll<HTMLSelectElement>('[data-plotline-input]')) {
    input.disabled = true;
    const note = document.createElement('span');
    note.className = 'plotline-input__note deck-file-note';
    note.textContent = `Opened from a file, so the charts show “${input.value}”. Changing this needs the site served over HTTP (any web server).`;
    input.parentElement?.append(note);
  }
  // A folder link opens a file listing from file://; point it at the folder's index.html.
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[href$="/"]')) {
    link.href = `${link.href}index.html`;
  }
}
