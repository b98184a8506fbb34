/**
 * The authoring kit in a real browser, on the October deep-dive: one input
 * updates every chart, table and inline value that uses it, with numbers
 * checked against native DuckDB over the built site's own Parquet; the
 * address reproduces the view; charts filter the page when clicked; the CSV
 * download holds exactly the rows shown; every story reads with JS off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatMonth, formatRelativeChange, formatValue } from '../../src/lib/format.ts';
import { expect, STORY, test } from './fixtures.ts';

const DIST = join(import.meta.dirname, '.dist');

/** Runs SQL over a snapshot of the built site with native DuckDB (the test's own queries, not the page's). */
async function query(sql: string, snapshot = '2026-10'): Promise<Record<string, unknown>[]> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`CREATE VIEW metrics AS SELECT * FROM read_parquet('${join(DIST, 'data/snapshots', snapshot, 'metrics.parquet')}')`);
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const monthly = (metric: string, line: string) =>
  query(`SELECT period_start, value FROM metrics WHERE metric = '${metric}' AND grain = 'month' AND dimension IS NULL AND business_line = '${line}' ORDER BY period_start`);

const revenueChart = 'figure:has(.plotline-chart__title:text-is("Monthly revenue by business line"))';
const bookingsChart = 'figure:has(.plotline-chart__title:text-is("Bookings each month since November 2025"))';
const revenueTable = 'figure.plotline-table:has(.plotline-chart__title:text-is("Revenue by business line, last six months"))';

async function settled(page: import('@playwright/test').Page) {
  await expect(page.locator('html')).not.toHaveAttribute('data-plotline-updating', 'true', { timeout: 30_000 });
  await expect(page.locator('[data-plotline-live][data-state="loading"]')).toHaveCount(0);
  await expect(page.locator('[data-plotline-live][data-state="error"]')).toHaveCount(0);
}

/** What every element that follows the business-line input should show for `line`. */
async function expectLine(page: import('@playwright/test').Page, line: 'Casting' | 'Production') {
  const revenue = await monthly('revenue', line);
  const october = revenue.find((r) => (r.period_start as Date).toISOString().startsWith('2026-10'))!.value as number;
  const lastOctober = revenue.find((r) => (r.period_start as Date).toISOString().startsWith('2025-10'))!.value as number;
  const values = page.locator('.plotline-value[data-plotline-live]');
  await expect(values.nth(0)).toHaveText(formatValue(october, 'currency'));
  await expect(values.nth(1)).toHaveText(formatRelativeChange(october, lastOctober));

  // The table: one column for the chosen line, newest month first, from May 2026.
  await expect(page.locator(`${revenueTable} thead th`)).toHaveText(['Month', line]);
  const expectedTable = revenue
    .filter((r) => (r.period_start as Date) >= new Date('2026-05-01T00:00:00Z'))
    .reverse()
    .map((r) => [formatMonth(r.period_start as Date), formatValue(r.value as number, 'currency')]);
  const shownTable = await page.locator(`${revenueTable} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  expect(shownTable).toEqual(expectedTable);

  // The bar chart: one bar a month for the line, from November 2025; its data table says the same.
  const bookings = (await monthly('bookings', line)).filter((r) => (r.period_start as Date) >= new Date('2025-11-01T00:00:00Z'));
  await expect(page.locator(`${bookingsChart} .plotline-chart__plot--regular svg rect[data-key]`)).toHaveCount(bookings.length);
  const shownBars = await page.locator(`${bookingsChart} tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.textContent));
  expect(shownBars).toEqual(bookings.map((r) => `${formatMonth(r.period_start as Date)}${line}${formatValue(r.value as number, 'count')}`));

  // The line chart: one line.
  await expect(page.locator(`${revenueChart} .plotline-chart__plot--regular svg g[data-mark="line"] path`)).toHaveCount(1);
}

test('one input updates every dependent chart, table and value with the right numbers', async ({ page, watch }) => {
  await page.goto(STORY);
  const input = page.getByRole('combobox', { name: 'Business line' });
  await input.hover();
  const started = Date.now();
  await input.selectOption('Production');
  await settled(page);
  console.log(`input change → every dependent element updated (hovered first): ${Date.now() - started} ms`);
  await expectLine(page, 'Production');
  expect(new URL(page.url()).searchParams.get('business_line')).toBe('Production');

  await input.selectOption('Casting');
  await settled(page);
  await expectLine(page, 'Casting');
  expect(watch.errors).toEqual([]);
});

test('the address reproduces the view: a link with ?business_line=Production opens filtered', async ({ page, watch }) => {
  await page.goto(`${STORY}?business_line=Production`);
  await expect(page.getByRole('combobox', { name: 'Business line' })).toHaveValue('Production');
  await settled(page);
  await expectLine(page, 'Production');
  // Back to the default: the address drops the parameter.
  await page.getByRole('combobox', { name: 'Business line' }).selectOption('All');
  await settled(page);
  expect(new URL(page.url()).search).toBe('');
  expect(watch.errors).toEqual([]);
});

test('clicking a bar filters the page to its line, and clicking again clears it', async ({ page }) => {
  await page.goto(STORY);
  await page.locator(`${bookingsChart} .plotline-chart__plot--regular svg rect[data-key="Production"]`).first().click();
  await expect(page.getByRole('combobox', { name: 'Business line' })).toHaveValue('Production');
  await settled(page);
  await expectLine(page, 'Production');
  await expect(page.locator(`${bookingsChart} .plotline-legend button[data-key="Production"]`)).toHaveAttribute('aria-pressed', 'true');
  await page.locator(`${bookingsChart} .plotline-chart__plot--regular svg rect[data-key="Production"]`).first().click();
  await expect(page.getByRole('combobox', { name: 'Business line' })).toHaveValue('All');
  await settled(page);
  await expect(page.locator(`${revenueChart} .plotline-chart__plot--regular svg g[data-mark="line"] path`)).toHaveCount(2);
  // A legend entry works the same way.
  await page.locator(`${revenueChart} .plotline-legend button[data-key="Casting"]`).click();
  await expect(page.getByRole('combobox', { name: 'Business line' })).toHaveValue('Casting');
  await settled(page);
});

test('a bar pressed just as the chart is redrawn for hover tips filters the page, and a second click clears it', async ({ page }) => {
  await page.goto(STORY);
  const bar = page.locator(`${bookingsChart} .plotline-chart__plot--regular svg rect[data-key="Production"]`).first();
  await bar.scrollIntoViewIfNeeded();
  const box = (await bar.boundingBox())!;
  // The redraw lands between press and release, as when Plot arrives mid-click: the pressed bar is
  // replaced, and Chromium then sends no click.
  await page.evaluate((plots) => {
    const redraw = () => {
      for (const plot of document.querySelectorAll(plots)) plot.replaceChildren(...[...plot.children].map((child) => child.cloneNode(true)));
    };
    window.addEventListener('pointerdown', () => setTimeout(redraw, 0), { capture: true, once: true });
  }, `${bookingsChart} .plotline-chart__plot`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(100);
  await page.mouse.up();
  await expect(page.getByRole('combobox', { name: 'Business line' })).toHaveValue('Production');
  await settled(page);
  // The chart now has Plot's tips, which keep a press on a mark from reaching the page: it still clears.
  await bar.click();
  await expect(page.getByRole('combobox', { name: 'Business line' })).toHaveValue('All');
});

test('the CSV download holds exactly the rows shown, in the order shown', async ({ page }) => {
  await page.goto(STORY);
  const csvOf = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`${revenueTable} a.plotline-table__csv`).click()]);
    return readFileSync((await download.path())!, 'utf8');
  };
  const shown = () =>
    page.locator(`${revenueTable} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset.value).join(',')));

  // As built: all lines, newest first. Values are the snapshot's, unformatted.
  const all = await csvOf();
  const casting = await monthly('revenue', 'Casting');
  const october = casting.find((r) => (r.period_start as Date).toISOString().startsWith('2026-10'))!.value as number;
  expect(all.split('\r\n')[0]).toBe('month,Casting,Production');
  expect(all.split('\r\n')[1]!.startsWith(`2026-10-01,${Number(october.toPrecision(12))},`)).toBe(true);
  expect(all.trimEnd().split('\r\n').slice(1)).toEqual(await shown());

  // Sorted by Casting, ascending: the CSV follows the new order.
  await page.locator(`${revenueTable} th button`, { hasText: 'Casting' }).click();
  await expect(page.locator(`${revenueTable} th[aria-sort="ascending"]`)).toHaveCount(1);
  const sorted = await csvOf();
  const sortedRows = sorted.trimEnd().split('\r\n').slice(1);
  expect(sortedRows).toEqual(await shown());
  const castingValues = sortedRows.map((row) => Number(row.split(',')[1]));
  expect(castingValues).toEqual([...castingValues].sort((a, b) => a - b));

  // Filtered to Production in the browser: the CSV holds those rows only.
  await page.getByRole('combobox', { name: 'Business line' }).selectOption('Production');
  await settled(page);
  const production = await csvOf();
  expect(production.split('\r\n')[0]).toBe('month,Production');
  expect(production.trimEnd().split('\r\n').slice(1)).toEqual(await shown());
  expect(production.trimEnd().split('\r\n')).toHaveLength(1 + 6); // May to October 2026
});

test.describe('every demo story with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });
  for (const slug of ['2026-08-customer-service', '2026-09-growth', '2026-10-revenue']) {
    test(`${slug} reads fully: every chart drawn, every number filled in`, async ({ page }) => {
      await page.goto(`/insights/stories/${slug}/`);
      const charts = page.locator('figure.plotline-chart');
      expect(await charts.count()).toBeGreaterThan(1);
      for (const figure of await charts.all()) {
        await expect(figure.locator('.plotline-chart__plot--regular svg[role="img"]')).toHaveAttribute('aria-label', /chart/);
        expect(await figure.locator('.plotline-chart__data tbody tr').count()).toBeGreaterThan(0);
      }
      for (const value of await page.locator('.plotline-value').all()) await expect(value).not.toHaveText('–');
      for (const kpi of await page.locator('.plotline-kpi__value').all()) await expect(kpi).toHaveText(/\d/);
    });
  }
});

test('the August story checks its numbers against its own snapshot, not the latest', async ({ page }) => {
  await page.goto('/insights/stories/2026-08-customer-service/');
  const [august] = await query(
    "SELECT value FROM metrics WHERE metric = 'tickets_opened' AND grain = 'month' AND dimension IS NULL AND business_line = 'All' AND period_start = DATE '2026-08-01'",
    '2026-08',
  );
  await expect(page.locator('.plotline-kpi[data-metric="tickets_opened"] .plotline-kpi__value')).toHaveText(formatValue(august!.value as number, 'count'));
});

test('the component gallery shows each component live beside its MDX', async ({ page, watch }) => {
  await page.goto('/insights/gallery/');
  const examples = page.locator('.gallery-example');
  expect(await examples.count()).toBeGreaterThanOrEqual(15);
  for (const example of await examples.all()) {
    const code = (await example.locator('pre code').textContent())!;
    const tag = /<([A-Z][A-Za-z]+)/.exec(code)![1]!;
    // The live side holds what the MDX names: a Kpi tile, a chart figure, a value…
    expect(await example.locator('.gallery-example__live').innerHTML(), `${tag} renders`).not.toBe('');
  }
  await expect(page.locator('#kpi-a-kpi-tile .plotline-kpi__value')).toHaveText(/\d/);
  await page.getByRole('combobox', { name: 'Business line' }).selectOption('Casting');
  await settled(page);
  await expect(page.locator('#select-one-input-drives-a-chart-a-table-and-a-value figure.plotline-table thead th')).toHaveText(['Month', 'Casting']);
  expect(watch.errors).toEqual([]);
});

test('hovering a chart nobody has changed shows Plot’s tip, without loading the database', async ({ page, watch }) => {
  await page.goto(STORY);
  const plot = page.locator(`${revenueChart} .plotline-chart__plot--regular`);
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
  await expect(page.locator(revenueChart)).toHaveAttribute('data-interactive', 'true');
  await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.5, { steps: 3 });
  // The tip names a line, a month and a value in pounds, as the chart's data table does.
  // Plot redraws the tip on pointer moves, with its own label on the group.
  await expect(plot.locator('svg :is(g[data-mark="tip"], g[aria-label="tip"])').first()).toContainText(/(Casting|Production), [A-Z][a-z]+ \d{4}: £[\d,]+/);
  expect(watch.requests.filter((url) => /\.wasm$|\.parquet$|live\./.test(url))).toEqual([]);
  expect(watch.errors).toEqual([]);
});

test('an input changed before the page’s script has arrived still updates the page', async ({ page, watch }) => {
  // A slow network: the scripts arrive 1.5 s after the HTML, and the reader is quicker.
  await page.route('**/_astro/*.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.goto(STORY, { waitUntil: 'commit' });
  await page.getByRole('combobox', { name: 'Business line' }).selectOption('Production');
  await expect(page.locator('html')).toHaveAttribute('data-plotline-enhanced', 'true', { timeout: 15_000 });
  await settled(page);
  await expectLine(page, 'Production');
  expect(new URL(page.url()).searchParams.get('business_line')).toBe('Production');
  expect(watch.errors).toEqual([]);
});
