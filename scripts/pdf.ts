/**
 * Writes a story as PDF from the built site, with the system Chromium:
 *
 *   npm run pdf -- <slug>              the deck, one slide a page (16:9) → pdf/<slug>.pdf
 *   npm run pdf -- <slug> --article    the reading view (A4)             → pdf/<slug>-article.pdf
 *   options: --out FILE, --dist DIR (default dist, or PLOTLINE_OUT_DIR)
 *
 * It serves the built folder itself (under the base path the site was built
 * with), so run `npm run build` first. CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import sirv from 'sirv';
import { parseCommandLine } from '../src/node/cli.ts';

const { positionals, values } = parseCommandLine(
  `npm run pdf -- <slug> [--article] [--out FILE] [--dist DIR]

Writes a story from the built site (run \`npm run build\` first) as PDF, with the system Chromium.
  <slug>        the story's MDX file name, e.g. 2026-10-roadshow
  --article     the reading view on A4 (default: the deck, one slide a page)
  --out FILE    where to write it (default pdf/<slug>.pdf, or pdf/<slug>-article.pdf)
  --dist DIR    the built site (default dist, or PLOTLINE_OUT_DIR)`,
  {
    allowPositionals: true,
    options: {
      article: { type: 'boolean', default: false },
      out: { type: 'string' },
      dist: { type: 'string', default: process.env.PLOTLINE_OUT_DIR ?? 'dist' },
    },
  },
);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const slug = positionals[0] ?? fail('Name the story: npm run pdf -- <slug> [--article]. The slug is the MDX file name, e.g. 2026-10-roadshow.');
const dist = resolve(values.dist!);
const article = join(dist, 'stories', slug, 'index.html');
if (!existsSync(article)) {
  const built = existsSync(join(dist, 'stories')) ? readdirSync(join(dist, 'stories')).join(', ') : 'none';
  fail(`No built story "${slug}" in ${values.dist}/. Built stories: ${built}. Run \`npm run build\` first, or check the slug.`);
}
// The base path the site was built with, read from the article's icon link (e.g. "/insights/").
const base = /<link rel="icon" href="([^"]*)favicon\.svg"/.exec(readFileSync(article, 'utf8'))?.[1] ?? '/';
const out = resolve(values.out ?? join('pdf', `${slug}${values.article ? '-article' : ''}.pdf`));

const files = sirv(dist, { dev: false, extensions: ['html'] });
const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (!url.startsWith(base)) {
    response.writeHead(404).end();
    return;
  }
  request.url = url.slice(base.length - 1);
  files(request, response, () => {
    response.writeHead(404).end();
  });
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  // No service worker: a PDF needs none of the offline copy (34 MB of DuckDB).
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  mkdirSync(dirname(out), { recursive: true });
  if (values.article) {
    await page.goto(`${origin}${base}stories/${slug}/`, { waitUntil: 'load' });
    await page.pdf({ path: out, format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
  } else {
    await page.goto(`${origin}${base}stories/${slug}/present/`, { waitUntil: 'load' });
    await page.waitForSelector('html[data-deck="ready"]', { state: 'attached' });
    await page.evaluate(() => document.fonts.ready);
    // The page's @page rule sets 1280 × 720 px: one slide a page.
    await page.pdf({ path: out, preferCSSPageSize: true, printBackground: true });
  }
  console.log(`Wrote ${out}`);
} finally {
  await browser.close();
  server.close();
}
