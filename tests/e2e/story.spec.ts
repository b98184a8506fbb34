import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatCell } from '../../src/lib/charts/chart.ts';
import { bindParameters } from '../../src/lib/sql-params.ts';
import { expect, STORY, test } from './fixtures.ts';

// The revenue line chart (the page has other live elements too).
const chart = 'figure:has(.plotline-chart__title:text-is("Monthly revenue by business line"))';
const regular = `${chart} .plotline-chart__plot--regular svg`;
const linePaths = `${regular} g[data-mark="line"] path`;

/** What the chart should show for a business line, computed by native DuckDB from the built site's own Parquet. */
async function expectedRows(sql: string, line: string): Promise<string[][]> {
  const parquet = join(import.meta.dirname, '.dist/data/snapshots/2026-10/metrics.parquet');
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`CREATE VIEW metrics AS SELECT * FROM read_parquet('${parquet}')`);
  const bound = bindParameters(sql, { business_line: line });
  const reader = await connection.runAndReadAll(bound.sql, bound.values);
  const options = { x: 'month', y: 'revenue', unit: 'currency' as const };
  return reader.getRowObjectsJS().map((row) => ['month', 'business_line', 'revenue'].map((c) => formatCell(row[c], c, options)));
}

test.describe('a story page with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('reads fully: prose, GFM table and footnote, and the chart as SVG', async ({ page }) => {
    await page.goto(STORY);
    await expect(page.getByRole('heading', { level: 1, name: 'Revenue in October 2026' })).toBeVisible();
    await expect(page.getByRole('table').first()).toContainText('Casting');
    await expect(page.locator('[data-footnote-ref]')).toHaveCount(1);
    const svg = page.locator(`${regular}[role="img"]`);
    await expect(svg).toBeVisible();
    await expect(page.locator(linePaths)).toHaveCount(2);
    await expect(svg).toHaveAttribute('aria-label', /^Line chart of revenue by month for Casting and Production, Apr 2023 to Oct 2026\. Latest \(Oct 2026\): Casting £[\d,]+, Production £[\d,]+\. Largest change: .+\.$/);
  });
});

test('a reader who only reads loads no WebAssembly, worker or query runtime', async ({ page, watch }) => {
  await page.goto(STORY);
  await page.waitForLoadState('networkidle');
  await page.mouse.wheel(0, 2000);
  await page.waitForTimeout(300);
  const heavy = watch.requests.filter((url) => /\.wasm$|worker|live\.|\.parquet$/.test(url));
  expect(heavy).toEqual([]);
  expect(watch.errors).toEqual([]);
});

test('changing the select re-runs the query in DuckDB-WASM and redraws the right values', async ({ page, watch }) => {
  await page.goto(STORY);
  const figure = page.locator(chart);
  const plotBox = await figure.locator('.plotline-chart__plot--regular').boundingBox();
  const sql = JSON.parse((await figure.getAttribute('data-plotline-live'))!).sql as string;

  await page.getByRole('combobox', { name: 'Business line' }).selectOption('Production');
  await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.locator(linePaths)).toHaveCount(1);
  const production = await expectedRows(sql, 'Production');
  const shown = await figure.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  expect(shown).toEqual(production);
  await expect(page.locator(regular)).toHaveAttribute('aria-label', new RegExp(`^Line chart of revenue by month for Production, Apr 2023 to Oct 2026\\. Latest \\(Oct 2026\\): Production ${production.at(-1)![2]}\\. Largest change`));
  // Production keeps its colour from the two-line view.
  await expect(page.locator(linePaths)).toHaveAttribute('stroke', '#d55e00');
  // Same design size: no layout jump when the live chart replaces the built one.
  const after = await figure.locator('.plotline-chart__plot--regular').boundingBox();
  expect(Math.abs(after!.height - plotBox!.height)).toBeLessThan(1);

  await page.getByRole('combobox', { name: 'Business line' }).selectOption('All');
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(page.locator(linePaths)).toHaveCount(2);
  expect(await figure.locator('tbody tr').count()).toBe((await expectedRows(sql, 'All')).length);
  expect(watch.errors).toEqual([]);
});

test('no request from the page or its workers leaves the origin', async ({ page, watch, baseURL }) => {
  await page.goto(STORY);
  await page.getByRole('combobox', { name: 'Business line' }).hover();
  await page.getByRole('combobox', { name: 'Business line' }).selectOption('Casting');
  await expect(page.locator(chart)).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.locator('html')).not.toHaveAttribute('data-plotline-updating', 'true');
  // The listener really sees worker traffic: the wasm is fetched by DuckDB's worker.
  expect(watch.requests.some((url) => url.endsWith('.wasm'))).toBe(true);
  expect(watch.requests.some((url) => url.endsWith('/insights/data/snapshots/2026-10/metrics.parquet'))).toBe(true);
  const outside = watch.requests.filter((url) => !url.startsWith(`${baseURL}/insights/`));
  expect(outside).toEqual([]);
});

test('the Content-Security-Policy blocks a request to another origin', async ({ page }) => {
  await page.goto(STORY);
  const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  const violation = await page.evaluate(async () => {
    const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
    await fetch('http://192.0.2.1/beacon').catch(() => undefined);
    return seen;
  });
  expect(violation).toBe('connect-src');
});

test('a phone gets the compact chart, which fits the screen without sideways scrolling', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(STORY);
  await expect(page.locator(regular)).toBeHidden();
  const compact = page.locator(`${chart} .plotline-chart__plot--compact svg`);
  await expect(compact).toBeVisible();
  const svg = await compact.boundingBox();
  expect(svg!.width).toBeLessThanOrEqual(360);
  expect(svg!.height / svg!.width).toBeCloseTo(280 / 360, 2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();
});
