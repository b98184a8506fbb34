/**
 * After the build: makes presentation pages work from a copied folder
 * (file://) and offline.
 *
 * 1. Each `stories/<slug>/present/index.html` gets relative URLs instead of
 *    base-path ones (`/insights/_astro/x.css` → `../../../_astro/x.css`),
 *    including the Parquet URLs in chart data, so the page works from any
 *    folder as well as from the server. Its module scripts become
 *    `type="plotline/module"`: browsers skip that type, and the deck's
 *    classic script imports them over HTTP only (Chromium refuses module
 *    scripts from file://, with a console error for each).
 * 2. `<base>sw.js`: the service worker (src/client/service-worker.ts) with
 *    the list of files a deck needs offline.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { build } from 'vite';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A page's HTML with URLs under `base` made relative (`prefix` leads back to the site root, e.g. "../../../"). */
export function relativeUrls(html: string, base: string, prefix: string): string {
  const b = escapeRegExp(base);
  return html
    .replace(new RegExp(`(\\s(?:href|src))="${b}(?!/)`, 'g'), `$1="${prefix}`)
    .replace(new RegExp(`(&quot;url&quot;:&quot;)${b}(?!/)`, 'g'), `$1${prefix}`)
    .replace(/<script type="module" src=/g, '<script type="plotline/module" src=');
}

/** Every presentation page of a built site, as paths from its root: stories/<slug>/present/index.html. */
export function presentationPages(root: string): string[] {
  const stories = join(root, 'stories');
  if (!existsSync(stories)) return [];
  return readdirSync(stories)
    .map((slug) => join('stories', slug, 'present', 'index.html'))
    .filter((page) => existsSync(join(root, page)));
}

async function bundleServiceWorker(): Promise<string> {
  const entry = fileURLToPath(new URL('../client/service-worker.ts', import.meta.url));
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    build: { write: false, minify: true, lib: { entry, formats: ['iife'], name: 'plotlineServiceWorker', fileName: () => 'sw.js' } },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunk = outputs.flatMap((o) => ('output' in o ? o.output : [])).find((c) => c.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('src/astro/deck-files.ts  Bundling the service worker produced no script.');
  return chunk.code;
}

export function deckFiles(): AstroIntegration {
  let base = '/';
  return {
    name: 'plotline:deck-files',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const pages = presentationPages(root);
        const parquet = new Set<string>();
        for (const page of pages) {
          const file = join(root, page);
          const prefix = '../'.repeat(page.split(sep).length - 1);
          const html = relativeUrls(readFileSync(file, 'utf8'), base, prefix);
          writeFileSync(file, html);
          for (const match of html.matchAll(/&quot;url&quot;:&quot;(?:\.\.\/)*(data\/snapshots\/[^&]+\.parquet)&quot;/g)) parquet.add(match[1]!);
        }
        const assets = readdirSync(join(root, '_astro'))
          .filter((name) => !/\.(br|gz)$/.test(name))
          .map((name) => `_astro/${name}`);
        const precache = [...pages.map((page) => page.split(sep).slice(0, -1).join('/') + '/'), ...assets, ...[...parquet].sort(), 'favicon.svg'];
        const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
        const header = `self.PLOTLINE_VERSION=${JSON.stringify(version)};self.PLOTLINE_PRECACHE=${JSON.stringify(precache)};\n`;
        writeFileSync(join(root, 'sw.js'), header + (await bundleServiceWorker()));
        logger.info(`${pages.length} presentation page(s) made relative; sw.js caches ${precache.length} files for offline decks.`);
      },
    },
  };
}
