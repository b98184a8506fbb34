/**
 * Presentation mode, in Chromium, against the site built for /insights/:
 * slides counted against each story's MDX, every key, deep links, notes kept
 * from the audience, the presenter view in step both ways, letterboxing,
 * live charts on slides, the deck offline and from file://, print and PDF.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { formatValue } from '../../src/lib/format.ts';
import { expect, test } from './fixtures.ts';

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(import.meta.dirname, '.dist');
const SLUG = '2026-10-roadshow';
const DECK = `/insights/stories/${SLUG}/present/`;
const source = (slug: string) => readFileSync(join(ROOT, 'src/stories', `${slug}.mdx`), 'utf8');

/**
 * The slides a story should have, read from its MDX text by the documented
 * rule: a title slide; each top-level `## ` heading starts a slide; a
 * `<Slide>…</Slide>` is one slide; content before the first boundary, or
 * after a `</Slide>`, starts a slide; `<Notes>` never do.
 */
function expectedSlides(mdx: string): number {
  const body = mdx.replace(/^---\n[\s\S]*?\n---\n/, '');
  let slides = 1;
  let open = false;
  let fence = false;
  let inSlide = false;
  let inNotes = false;
  for (const line of body.split('\n')) {
    if (fence) {
      if (line.startsWith('```')) fence = false;
      continue;
    }
    if (inSlide) {
      if (line.startsWith('</Slide>')) inSlide = false;
      continue;
    }
    if (inNotes) {
      if (line.includes('</Notes>')) inNotes = false;
      continue;
    }
    if (/^<Slide[\s>]/.test(line)) {
      slides += 1;
      open = false;
      inSlide = !line.includes('</Slide>') && !line.trimEnd().endsWith('/>');
    } else if (line.startsWith('<Notes>')) {
      inNotes = !line.includes('</Notes>');
    } else if (line.startsWith('## ')) {
      slides += 1;
      open = true;
    } else if (line.trim() !== '' && !open) {
      slides += 1;
      open = true;
      if (line.startsWith('```')) fence = true;
    } else if (line.startsWith('```')) {
      fence = true;
    }
  }
  return slides;
}

/** The first sentence of each `<Notes>` in the MDX, whitespace collapsed. */
function notesIn(mdx: string): string[] {
  return [...mdx.matchAll(/<Notes>([\s\S]*?)<\/Notes>/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim().split(/(?<=[.:])\s/)[0]!);
}

const stories = readdirSync(join(ROOT, 'src/stories'))
  .filter((name) => name.endsWith('.mdx') && !/^draft:\s*true/m.test(source(name.replace(/\.mdx$/, ''))))
  .map((name) => name.replace(/\.mdx$/, ''));
const SLIDES = expectedSlides(source(SLUG));
/** A chart's line paths (Plot marks; labelled by aria-label, or data-mark once charts are one image). */
const LINE = ':is(g[aria-label="line"], g[data-mark="line"]) path';
const current = (page: Page) => page.locator('.deck-slide--current');
const at = (page: Page, n: number) => expect(current(page)).toHaveAttribute('data-slide', String(n));

async function openDeck(page: Page, hash = ''): Promise<void> {
  await page.goto(`${DECK}${hash}`);
  await expect(page.locator('html')).toHaveAttribute('data-deck', 'ready');
}

// The service worker downloads DuckDB (34 MB) for offline use: only the offline test needs it.
test.use({ serviceWorkers: 'block' });

for (const slug of stories) {
  test(`${slug}: a title slide and one slide for each boundary in its MDX`, async ({ page }) => {
    const expected = expectedSlides(source(slug));
    await page.goto(`/insights/stories/${slug}/present/`);
    await expect(page.locator('.deck > .deck-slide')).toHaveCount(expected);
    await expect(page.locator('.deck-counter')).toHaveText(`1 / ${expected}`);
    await expect(current(page).locator('h1')).toBeVisible();
  });
}

test('the roadshow deck has the slides its MDX asks for', () => {
  // Title, the statement <Slide>, seven ## headings, the closing <Slide> with a ## inside.
  expect(SLIDES).toBe(10);
});

test('arrows, space, PageUp/PageDown, Home/End, a number then Enter, and click move the deck, with progress shown', async ({ page, watch }) => {
  await openDeck(page);
  const steps: [string, number][] = [
    ['ArrowRight', 2],
    ['ArrowDown', 3],
    ['Space', 4],
    ['PageDown', 5],
    ['PageUp', 4],
    ['ArrowLeft', 3],
    ['ArrowUp', 2],
    ['Shift+Space', 1],
    ['ArrowLeft', 1],
    ['End', SLIDES],
    ['ArrowRight', SLIDES],
    ['Home', 1],
  ];
  for (const [key, slide] of steps) {
    await page.keyboard.press(key);
    await at(page, slide);
  }
  await page.keyboard.press('6');
  await expect(page.locator('.deck-jump')).toHaveText('Go to slide 6: press Enter');
  await page.keyboard.press('Enter');
  await at(page, 6);
  await expect(page.locator('.deck-jump')).toBeHidden();

  // A click (or tap) on the slide goes forward; a click on a link in it does not.
  await current(page).locator('h2').click();
  await at(page, 7);
  await expect(page.locator('.deck-counter')).toHaveText(`7 / ${SLIDES}`);
  await expect(page.locator('.deck-progress')).toHaveAttribute('aria-valuenow', '7');
  const width = page.viewportSize()!.width;
  // (The bar eases to its new width.)
  await expect.poll(async () => (await page.locator('.deck-progress__bar').boundingBox())!.width / width).toBeCloseTo(7 / SLIDES, 2);
  expect(watch.errors).toEqual([]);
});

test('F toggles full screen, O the overview grid, B and . the blank screen, Esc leaves them', async ({ page }) => {
  await openDeck(page);
  await page.keyboard.press('f');
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
  await page.keyboard.press('f');
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(false);

  await page.keyboard.press('o');
  await expect(page.locator('html')).toHaveAttribute('data-overview', '');
  for (const slide of await page.locator('.deck > .deck-slide').all()) await expect(slide).toBeVisible();
  await page.locator('.deck-slide[data-slide="4"]').click();
  await expect(page.locator('html')).not.toHaveAttribute('data-overview');
  await at(page, 4);
  await expect(page.locator('.deck-slide:not(.deck-slide--current)').first()).toBeHidden();
  await page.keyboard.press('o');
  await page.keyboard.press('Escape');
  await expect(page.locator('html')).not.toHaveAttribute('data-overview');

  const blank = page.locator('.deck-blank');
  await page.keyboard.press('b');
  await expect(blank).toBeVisible();
  // Black over the whole window.
  expect(await page.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.className)).toBe('deck-blank');
  await page.keyboard.press('b');
  await expect(blank).toBeHidden();
  await page.keyboard.press('.');
  await expect(blank).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(blank).toBeHidden();
  await at(page, 4);
});

test('a deep link opens its slide, and the slide survives a reload', async ({ page }) => {
  await openDeck(page, '#/5');
  await at(page, 5);
  await page.reload();
  await at(page, 5);
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(new RegExp(`${DECK}#/6$`));
  await page.reload();
  await at(page, 6);
  await page.goto(`${DECK}#/99`);
  await at(page, SLIDES);
});

test('speaker notes never show to the audience, on any slide, in the overview or in print; the article has none', async ({ page, request }) => {
  const notes = notesIn(source(SLUG));
  expect(notes.length).toBeGreaterThanOrEqual(5);
  await openDeck(page);
  const shown = async () => (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  for (let slide = 1; slide <= SLIDES; slide += 1) {
    await at(page, slide);
    const text = await shown();
    for (const note of notes) expect(text).not.toContain(note);
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('o');
  for (const note of notes) expect(await shown()).not.toContain(note);
  await page.keyboard.press('o');
  await page.emulateMedia({ media: 'print' });
  for (const note of notes) expect(await shown()).not.toContain(note);
  const article = await (await request.get(`/insights/stories/${SLUG}/`)).text();
  for (const note of notes) expect(article.replace(/\s+/g, ' ')).not.toContain(note);
});

test.describe('the presenter view', () => {
  test.use({ timezoneId: 'Europe/London' });

  test('shows the current and next slide, the notes, elapsed time and the clock, and stays in step both ways', async ({ page, context }) => {
    await context.clock.install({ time: new Date('2026-11-10T14:05:00Z') });
    await openDeck(page, '#/3');
    const [presenter] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('p')]);
    await expect(presenter.locator('html')).toHaveAttribute('data-deck-view', 'presenter');
    expect(new URL(presenter.url()).searchParams.get('view')).toBe('presenter');
    await at(presenter, 3);
    await expect(current(presenter).locator('h2')).toHaveText('Our north star: bookings');
    await expect(presenter.locator('.deck-presenter__next-frame h2')).toHaveText('More people, fewer bookings each');
    await expect(presenter.locator('.deck-presenter__notes')).toContainText('The goal is 5,200 bookings a month by March 2027');
    await expect(presenter.locator('.deck-presenter__clock')).toHaveText('14:05');
    await expect(presenter.locator('.deck-presenter__elapsed')).toHaveText('0:00');
    await context.clock.runFor(65_000);
    await expect(presenter.locator('.deck-presenter__elapsed')).toHaveText('1:05');
    await expect(presenter.locator('.deck-presenter__clock')).toHaveText('14:06');

    // Audience → presenter.
    await page.keyboard.press('ArrowRight');
    await at(presenter, 4);
    await expect(presenter.locator('.deck-presenter__notes')).toContainText('Growth in people is healthy');
    // Presenter → audience, by key and by jump.
    await presenter.keyboard.press('PageDown');
    await at(page, 5);
    await presenter.keyboard.press('End');
    await at(page, SLIDES);
    await expect(presenter.locator('.deck-presenter__next')).toContainText('End of the deck');
    await presenter.keyboard.press('2');
    await presenter.keyboard.press('Enter');
    await at(page, 2);
    // The presenter can blank the room's screen.
    await presenter.keyboard.press('b');
    await expect(page.locator('.deck-blank')).toBeVisible();
    await presenter.keyboard.press('b');
    await expect(page.locator('.deck-blank')).toBeHidden();
    await expect(presenter.locator('.deck-blank')).toBeHidden();
  });

  test('a presenter view opened on its own (no opener) still follows the audience and leads it', async ({ page, context }) => {
    await openDeck(page, '#/2');
    const presenter = await context.newPage();
    await presenter.goto(`${DECK}?view=presenter`);
    // On connecting it takes the audience's slide.
    await at(presenter, 2);
    await page.keyboard.press('ArrowRight');
    await at(presenter, 3);
    await presenter.keyboard.press('ArrowLeft');
    await at(page, 2);
  });
});

test('a slide keeps 16:9 in any window, centred with black bars, and no slide overflows', async ({ page }) => {
  await openDeck(page, '#/4');
  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
    [1000, 1000],
    [2000, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    const box = (await current(page).boundingBox())!;
    expect(box.width / box.height).toBeCloseTo(16 / 9, 2);
    expect(Math.min(width - box.width, height - box.height)).toBeLessThan(1);
    expect(Math.abs(box.x - (width - box.width) / 2)).toBeLessThan(1);
    expect(Math.abs(box.y - (height - box.height) / 2)).toBeLessThan(1);
    // The design canvas scales: the heading takes the same share of the slide at every size.
    const heading = (await current(page).locator('h2').boundingBox())!;
    expect(heading.height / box.height).toBeCloseTo(0.075, 1);
  }
  expect(await page.locator('.deck-slide[data-overflow]').count()).toBe(0);
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(0, 0, 0)');
});

test('charts on slides re-query in DuckDB-WASM over HTTP, and keys in an input stay the input’s', async ({ page, watch }) => {
  await openDeck(page, '#/3');
  const select = current(page).getByRole('combobox', { name: 'Business line' });
  await select.selectOption('Production');
  for (const slide of ['3', '4']) {
    const figure = page.locator(`.deck-slide[data-slide="${slide}"] .plotline-chart`);
    await expect(figure.locator(`.plotline-chart__plot--slide svg ${LINE}`)).toHaveCount(1, { timeout: 30_000 });
    await expect(figure).toHaveAttribute('data-state', 'ready');
  }
  await select.press('ArrowDown');
  await at(page, 3);
  expect(watch.errors).toEqual([]);
});

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
