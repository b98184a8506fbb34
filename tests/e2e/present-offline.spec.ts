/**
 * Presentation mode, continued (see present.spec.ts): the roadshow’s numbers
 * against its snapshot, the deck offline and from file://, print and PDF.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { PDFDocument } from 'pdf-lib';
import { formatValue } from '../../src/lib/format.ts';
import { expect, test } from './fixtures.ts';
import { ROOT, DIST, SLUG, source, SLIDES, LINE, current, at, openDeck } from './deck.ts';

// The service worker downloads DuckDB (34 MB) for offline use: only the offline test needs it.
test.use({ serviceWorkers: 'block' });

test('the roadshow’s numbers match snapshot 2026-10', async ({ page }) => {
  const parquet = join(DIST, 'data/snapshots/2026-10/metrics.parquet');
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await connection.runAndReadAll(`
    SELECT metric, business_line, strftime(period_start, '%Y-%m') AS month, value
    FROM read_parquet('${parquet}')
    WHERE grain = 'month' AND dimension IS NULL AND period_start IN ('2025-10-01', '2026-07-01', '2026-10-01')`);
  const values = new Map(reader.getRowObjectsJS().map((r) => [`${r.metric} ${r.business_line} ${r.month}`, Number(r.value)]));
  const v = (metric: string, month: string, line = 'All') => values.get(`${metric} ${line} ${month}`)!;
  const pct = (now: number, then: number) => Math.round(Math.abs(now / then - 1) * 100);
  const sign = (now: number, then: number) => `${now >= then ? '+' : '−'}${pct(now, then)}%`;
  const pts = (now: number, then: number) => `${now >= then ? '+' : '−'}${Math.abs((now - then) * 100).toFixed(1)} pts`;
  const b = (m: string, line?: string) => v('bookings', m, line);

  await openDeck(page);
  const deckText = (await page.locator('.deck').evaluate((deck) => deck.textContent!)).replace(/\s+/g, ' ');
  expect(deckText).toContain(`October brought ${formatValue(b('2026-10'), 'count')} bookings: ${pct(b('2026-10'), b('2025-10'))}% more than October 2025, and ${pct(b('2026-10'), b('2026-07'))}% fewer than in July.`);
  expect(deckText).toContain(
    `Casting by ${pct(b('2026-10', 'Casting'), b('2025-10', 'Casting'))}% to ${formatValue(b('2026-10', 'Casting'), 'count')} and Production by ${pct(b('2026-10', 'Production'), b('2025-10', 'Production'))}% to ${formatValue(b('2026-10', 'Production'), 'count')}.`,
  );
  const users = (m: string) => v('active_users', m);
  expect(deckText).toContain(`Active users rose to ${formatValue(users('2026-10'), 'count')} in October, ${pct(users('2026-10'), users('2025-10'))}% more than a year ago`);
  const bpau = (m: string) => v('bookings_per_active_user', m);
  expect(deckText).toContain(`each active user booked ${formatValue(bpau('2026-10'), 'ratio')} times in October, down from ${formatValue(bpau('2026-07'), 'ratio')} in July`);
  const search = (m: string) => v('search_rate', m);
  const perSearcher = (m: string) => v('bookings_per_searcher', m);
  expect(deckText).toContain(`In July ${formatValue(search('2026-07'), 'percent')} of active users searched; in October ${formatValue(search('2026-10'), 'percent')} did.`);
  expect(deckText).toContain(`Each searcher booked ${formatValue(perSearcher('2026-10'), 'ratio')} times in October, against ${formatValue(perSearcher('2026-07'), 'ratio')} in July.`);

  // The quarter table, row by row: October 2025, July 2026, October 2026, change July → October.
  const rows = await page.locator('.deck-slide .table-scroll:not(details .table-scroll) tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
  const row = (label: string, metric: string, unit: 'count' | 'ratio' | 'percent') => {
    const [a, b2, c] = ['2025-10', '2026-07', '2026-10'].map((m) => v(metric, m));
    return [label, formatValue(a!, unit), formatValue(b2!, unit), formatValue(c!, unit), unit === 'percent' ? pts(c!, b2!) : sign(c!, b2!)];
  };
  expect(rows).toEqual([
    row('Bookings', 'bookings', 'count'),
    row('Active users', 'active_users', 'count'),
    row('Bookings per active user', 'bookings_per_active_user', 'ratio'),
    row('Search rate', 'search_rate', 'percent'),
    row('Bookings per searcher', 'bookings_per_searcher', 'ratio'),
    row('Sharing adoption', 'sharing_adoption', 'percent'),
  ]);
  const share = (m: string) => formatValue(v('sharing_adoption', m), 'percent');
  expect(deckText).toContain(`from ${share('2026-07')} to ${share('2026-10')} of active users`);
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('once loaded, the deck works with the network cut: reload, every slide with its charts, and a live re-query', async ({ page, context }) => {
    test.setTimeout(120_000);
    await openDeck(page);
    await expect(page.locator('html')).toHaveAttribute('data-offline', 'ready', { timeout: 90_000 });
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-deck', 'ready');
    let charts = 0;
    for (let slide = 1; slide <= SLIDES; slide += 1) {
      await at(page, slide);
      // Every chart draws (the WhyChanged waterfall is a chart of bars, not lines).
      for (const figure of await current(page).locator('.plotline-chart').all()) {
        await expect(figure.locator('svg[role="img"]')).toBeVisible();
        expect(await figure.locator(`svg :is(${LINE}, g[data-mark="bar"] rect)`).count()).toBeGreaterThan(0);
        charts += 1;
      }
      await page.keyboard.press('ArrowRight');
    }
    expect(charts).toBe(source(SLUG).match(/<(LineChart|BarChart|AreaChart|DotChart|WhyChanged)\b/g)!.length);
    // DuckDB-WASM, its worker and the Parquet come from the cache too.
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await current(page).getByRole('combobox', { name: 'Business line' }).selectOption('Casting');
    await expect(current(page).locator(`.plotline-chart__plot--slide svg ${LINE}`)).toHaveCount(1, { timeout: 60_000 });
    await expect(current(page).locator('.plotline-chart')).toHaveAttribute('data-state', 'ready');
  });
});

test('opened from file:// (the built folder copied elsewhere), every slide shows its charts and the keys work', async ({ page, watch }) => {
  const dir = mkdtempSync(join(tmpdir(), 'plotline-deck-'));
  try {
    cpSync(DIST, dir, { recursive: true, filter: (path) => !/\.(br|gz)$/.test(path) });
    await page.goto(pathToFileURL(join(dir, 'stories', SLUG, 'present', 'index.html')).href);
    await expect(page.locator('html')).toHaveAttribute('data-deck', 'ready');
    await expect(page.locator('.deck > .deck-slide')).toHaveCount(SLIDES);
    // The stylesheet arrived: letterboxed 16:9 on black.
    const box = (await current(page).boundingBox())!;
    expect(box.width / box.height).toBeCloseTo(16 / 9, 2);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(0, 0, 0)');
    let charts = 0;
    for (let slide = 1; slide <= SLIDES; slide += 1) {
      await at(page, slide);
      await expect(current(page)).toBeVisible();
      for (const figure of await current(page).locator('.plotline-chart').all()) {
        await expect(figure.locator('svg[role="img"]')).toBeVisible();
        charts += 1;
      }
      await page.keyboard.press(slide % 2 ? 'ArrowRight' : 'PageDown');
    }
    expect(charts).toBe(source(SLUG).match(/<(LineChart|BarChart|AreaChart|DotChart|WhyChanged)\b/g)!.length);
    await page.keyboard.press('Home');
    await at(page, 1);
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await at(page, 3);
    // Live re-querying needs HTTP, and the page says so instead of failing silently.
    await expect(current(page).getByRole('combobox', { name: 'Business line' })).toBeDisabled();
    await expect(current(page).locator('.deck-file-note')).toHaveText('Opened from a file, so the charts show “All”. Changing this needs the site served over HTTP (any web server).');
    expect(watch.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(watch.errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('printing the deck gives one slide a page; npm run pdf writes the deck and the article', async ({ page }) => {
  await openDeck(page, '#/4');
  await page.emulateMedia({ media: 'print' });
  for (const slide of await page.locator('.deck > .deck-slide').all()) {
    await expect(slide).toBeVisible();
    const box = (await slide.boundingBox())!;
    expect([box.width, box.height]).toEqual([1280, 720]);
  }
  // Back to no emulation: page.pdf() prints with print media unless told 'screen'.
  await page.emulateMedia({ media: null });
  const printed = await PDFDocument.load(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  expect(printed.getPageCount()).toBe(SLIDES);

  const out = mkdtempSync(join(tmpdir(), 'plotline-pdf-'));
  try {
    const run = (...args: string[]) => execFileSync(process.execPath, ['scripts/pdf.ts', SLUG, '--dist', DIST, ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(run('--out', join(out, 'deck.pdf'))).toContain('deck.pdf');
    const deck = await PDFDocument.load(readFileSync(join(out, 'deck.pdf')));
    expect(deck.getPageCount()).toBe(SLIDES);
    const { width, height } = deck.getPage(0).getSize();
    expect(width / height).toBeCloseTo(16 / 9, 2);
    run('--article', '--out', join(out, 'article.pdf'));
    const article = await PDFDocument.load(readFileSync(join(out, 'article.pdf')));
    expect(article.getPageCount()).toBeGreaterThan(1);
    expect(article.getPage(0).getSize().width).toBeCloseTo(595, -1); // A4: 595 × 842 points
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
