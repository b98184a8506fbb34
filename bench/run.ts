/**
 * npm run bench: the walking skeleton's figures. Prints, does not judge.
 *
 * - build: export and astro build times, dist/ size;
 * - story page: JavaScript bytes before any interaction;
 * - select change → redrawn chart: cold (fresh browser context, nothing
 *   cached, DuckDB-WASM not started), after a hover has started the runtime,
 *   and warm (later changes on the same page). Median of 5.
 */
import { join } from 'node:path';
import { parseCommandLine } from '../src/node/cli.ts';
import { folderBytes, kb, launch, mb, median, ms, ROOT, serve, timed } from './lib.ts';

parseCommandLine(
  `npm run bench

Builds the site into bench/results/dist and prints the build time, its size, the story page's JavaScript
before any interaction, and how long a changed select takes to redraw a chart (median of 5). Takes no options.`,
  { options: {} },
);

const RUNS = 5;
const out = join(ROOT, 'bench/results/dist');
const port = 4399;
const story = `http://127.0.0.1:${port}/insights/stories/2026-10-revenue/`;

console.log('Build');
const exportSeconds = timed(process.execPath, ['scripts/export.ts']);
const buildSeconds = timed(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
  PLOTLINE_BASE: '/insights/',
  PLOTLINE_OUT_DIR: out,
  ASTRO_TELEMETRY_DISABLED: '1',
});
console.log(`  export: ${exportSeconds.toFixed(1)} s; astro build (with precompression): ${buildSeconds.toFixed(1)} s`);
const compressed = (name: string) => name.endsWith('.br') || name.endsWith('.gz');
console.log(`  dist: ${mb(folderBytes(out))} in all; ${mb(folderBytes(out, (n) => !compressed(n)))} without the .br/.gz copies`);
console.log(`    DuckDB-WASM: ${mb(folderBytes(out, (n) => n.endsWith('.wasm')))} raw, ${mb(folderBytes(out, (n) => n.endsWith('.wasm.br')))} brotli, ${mb(folderBytes(out, (n) => n.endsWith('.wasm.gz')))} gzip`);

const stop = await serve(out, '/insights/', port);
const browser = await launch();
try {
  console.log('\nStory page, before interaction');
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(story, { waitUntil: 'networkidle' });
    const resources = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((r) => {
        const e = r as PerformanceResourceTiming;
        return { name: e.name, type: e.initiatorType, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize };
      }),
    );
    const nav = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).encodedBodySize);
    const scripts = resources.filter((r) => r.name.endsWith('.js'));
    console.log(`  HTML: ${kb(nav)}; JavaScript: ${scripts.length} file(s), ${kb(scripts.reduce((s, r) => s + r.decoded, 0))} (${kb(scripts.reduce((s, r) => s + r.encoded, 0))} as sent)`);
    console.log(`  WebAssembly requested: ${resources.some((r) => r.name.endsWith('.wasm')) ? 'yes' : 'no'}`);
    await context.close();
  }
  for (const slug of ['2026-08-customer-service', '2026-09-growth', 'gallery']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(slug === 'gallery' ? `http://127.0.0.1:${port}/insights/gallery/` : `http://127.0.0.1:${port}/insights/stories/${slug}/`, { waitUntil: 'networkidle' });
    const js = await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).map((r) => [(r as PerformanceResourceTiming).decodedBodySize, (r as PerformanceResourceTiming).encodedBodySize]),
    );
    console.log(`  ${slug}: JavaScript ${js.length} file(s), ${kb(js.reduce((s, r) => s + r[0]!, 0))} (${kb(js.reduce((s, r) => s + r[1]!, 0))} as sent)`);
    await context.close();
  }

  /**
   * Changes the select and resolves with ms from the change to every dependent
   * element (charts, table, values: five on this page) updated, i.e. the
   * runtime's data-plotline-updating flag cleared with none left loading.
   */
  const changeAndWait = (value: string) => `
    new Promise((resolve) => {
      const root = document.documentElement;
      const select = document.querySelector('select[data-plotline-input]');
      const start = performance.now();
      let began = false;
      const observer = new MutationObserver(() => {
        if (root.dataset.plotlineUpdating) began = true;
        else if (began && !document.querySelector('[data-plotline-live][data-state="loading"]')) { observer.disconnect(); resolve(performance.now() - start); }
      });
      observer.observe(root, { attributes: true, attributeFilter: ['data-plotline-updating'] });
      select.value = ${JSON.stringify(value)};
      select.dispatchEvent(new Event('change', { bubbles: true }));
    })`;

  console.log(`\nSelect change → every dependent chart, table and value updated (median of ${RUNS})`);
  {
    const page = await browser.newPage();
    await page.goto(story);
    console.log(`  dependents of the select on the page: ${await page.locator('[data-plotline-live][data-inputs~="business_line"]').count()}`);
    await page.close();
  }
  const cold: number[] = [];
  const hovered: number[] = [];
  const warm: number[] = [];
  const interactionBytes: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(story, { waitUntil: 'networkidle' });
    // The context sees the worker's requests too (the wasm is fetched by DuckDB's worker).
    const sizes: Promise<number>[] = [];
    context.on('requestfinished', (request) => sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
    cold.push(await page.evaluate(changeAndWait('Production')));
    interactionBytes.push((await Promise.all(sizes)).reduce((a, b) => a + b, 0));
    for (const value of ['Casting', 'All', 'Production', 'Casting', 'All']) warm.push(await page.evaluate(changeAndWait(value)));
    await context.close();

    const hoverContext = await browser.newContext();
    const hoverPage = await hoverContext.newPage();
    await hoverPage.goto(story, { waitUntil: 'networkidle' });
    await hoverPage.getByRole('combobox', { name: 'Business line' }).hover();
    await hoverPage.waitForTimeout(1500); // a reader reading the options
    hovered.push(await hoverPage.evaluate(changeAndWait('Production')));
    await hoverContext.close();
  }
  console.log(`  cold (first change, nothing loaded): ${ms(median(cold))}  [${cold.map(ms).join(', ')}]`);
  console.log(`    bytes fetched by the first change (page + worker, as sent, brotli): ${mb(median(interactionBytes))}`);
  console.log(`  after hovering the select for 1.5 s: ${ms(median(hovered))}  [${hovered.map(ms).join(', ')}]`);
  console.log(`  warm (later changes): ${ms(median(warm))}  [${warm.map(ms).join(', ')}]`);
} finally {
  await browser.close();
  stop();
}
