/**
 * The reader's site, page by page, against the model and the snapshot: every
 * number is worked out here by native DuckDB over the built Parquet
 * (tests/e2e/expected.ts), never read from the site's own code.
 */
import { formatChange, formatRelativeChange, formatValue } from '../../src/lib/format.ts';
import { businessLines, facts, LATEST, manifest, metric, metrics, monthly, query, sources, stories, strategy } from './expected.ts';
import { expect, test } from './fixtures.ts';

const B = '/insights/';
const monthName = (month: string) => new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const latestStory = [...stories].sort((a, b) => b.date.localeCompare(a.date))[0]!;

/** "+1%", "−2.3%" or "+0.9 pts", as a reader should see a change between two values. */
function change(id: string, current: number, previous: number): string {
  const m = metric(id);
  if (m.unit === 'percent') return formatChange(current - previous, 'percent').replace('-', '−');
  return formatRelativeChange(current, previous) || formatChange(current - previous, m.unit);
}

test('home: the latest deep-dive first, then the north star and its drivers this month, then recent stories', async ({ page, watch }) => {
  await page.goto(B);
  const latest = page.locator('.home-latest');
  await expect(latest.getByRole('link', { name: latestStory.title })).toHaveAttribute('href', `${B}stories/${latestStory.slug}/`);

  const star = metrics.find((m) => m.northStar)!;
  const ids = [star.id, ...star.tree!.drivers];
  const tiles = page.locator('.home-kpis [data-metric]');
  await expect(tiles).toHaveCount(ids.length);
  for (const [i, id] of ids.entries()) {
    const series = await monthly(id);
    const [previous, current] = series.slice(-2);
    expect(current!.month).toBe(LATEST);
    const tile = tiles.nth(i);
    await expect(tile).toHaveAttribute('data-metric', id);
    await expect(tile.getByRole('heading')).toHaveText(metric(id).label);
    await expect(tile.locator('[data-value]')).toHaveText(formatValue(current!.value, metric(id).unit));
    await expect(tile.locator('[data-change]')).toContainText(change(id, current!.value, previous!.value));
    // Good or bad news follows the metric's direction.
    const good = current!.value > previous!.value === (metric(id).direction === 'up');
    await expect(tile.locator('[data-change]')).toHaveClass(new RegExp(`tone-${good ? 'good' : 'bad'}`));
  }
  await expect(page.locator('.home-recent')).toBeVisible();
  expect(watch.errors).toEqual([]);
});

test('KPI dashboard: every metric for the company and each line, with the snapshot value, freshness and the tree order', async ({ page, watch }) => {
  await page.goto(`${B}kpis/`);
  const rows = await query(
    `SELECT metric, business_line, value FROM metrics WHERE grain = 'month' AND dimension IS NULL AND strftime(period_start, '%Y-%m') = $1`,
    [LATEST],
  );
  const shown = await page.locator('[data-line-section] li[data-metric]').evaluateAll((items) =>
    items.map((li) => [(li as HTMLElement).dataset.metric, (li as HTMLElement).dataset.businessLine, li.querySelector('[data-value]')!.textContent!.trim()]),
  );
  expect(shown).toHaveLength(metrics.length * (businessLines.length + 1));
  for (const row of rows) {
    const expected = formatValue(row.value as number, metric(row.metric as string).unit);
    expect(shown, `${row.metric} for ${row.business_line}`).toContainEqual([row.metric, row.business_line, expected]);
  }
  // The tree group lists the north star first with its drivers indented under it.
  const first = page.locator('[data-line-section="all"] .kpi-list').first().locator('li');
  await expect(first.first()).toHaveAttribute('data-metric', metrics.find((m) => m.northStar)!.id);
  await expect(first.nth(1)).toHaveClass(/depth-1/);
  // Freshness badges: "Data as of …", and none red when the manifest says every metric is within its SLO.
  const bookings = manifest.metrics.find((m) => m.id === 'bookings')!;
  const asOf = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${bookings.latestDataDate}T00:00:00Z`));
  await expect(page.locator('[data-line-section="all"] li[data-metric="bookings"] .freshness-badge')).toHaveText(`Data as of ${asOf}`);
  const stale = manifest.metrics.filter((m) => !m.freshnessOk || !m.completenessOk).length;
  await expect(page.locator('[data-line-section="all"] .freshness-badge.is-stale')).toHaveCount(stale);
  // With JavaScript, one business line at a time.
  await expect(page.locator('[data-line-section="casting"]')).toBeHidden();
  await page.getByRole('button', { name: 'Casting' }).click();
  await expect(page.locator('[data-line-section="casting"]')).toBeVisible();
  await expect(page.locator('[data-line-section="all"]')).toBeHidden();
  await expect(page).toHaveURL(/#line-casting$/);
  expect(watch.errors).toEqual([]);
});

test('KPI dashboard with JavaScript off shows every business line', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${B}kpis/`);
  for (const line of ['all', ...businessLines.map((l) => l.toLowerCase())]) await expect(page.locator(`[data-line-section="${line}"]`)).toBeVisible();
  await context.close();
});

test('a metric page: definition, SQL, targets, tree neighbours, citing stories, and a breakdown that re-queries in the browser', async ({ page, watch }) => {
  const m = metric('bookings');
  await page.goto(`${B}kpis/bookings/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.label);
  await expect(page.getByText(m.description)).toBeVisible();
  await expect(page.locator('.facts')).toContainText(m.owner);
  await expect(page.locator('pre.sql').first()).toContainText(m.expression);
  const series = await monthly('bookings');
  await expect(page.locator('.metric-now [data-value]')).toHaveText(formatValue(series.at(-1)!.value, 'count'));
  for (const driver of m.tree!.drivers) await expect(page.locator('a[data-driver]', { hasText: metric(driver).label })).toHaveAttribute('href', `${B}kpis/${driver}/`);
  const citing = stories.filter((s) => s.metrics.includes('bookings'));
  await expect(page.locator('[data-citing] .story-card')).toHaveCount(citing.length);
  // A driver's page links back to its parent.
  await page.goto(`${B}kpis/${m.tree!.drivers[0]}/`);
  await expect(page.locator('a[data-parent]')).toHaveAttribute('href', `${B}kpis/bookings/`);

  await page.goto(`${B}kpis/bookings/`);
  const figure = page.locator('[data-plotline-live]');
  await expect(figure.locator('.plotline-chart__plot--regular g[data-mark="line"] path')).toHaveCount(1);
  await page.getByLabel('Break down by').selectOption('Business line');
  await expect(figure).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(figure.locator('.plotline-chart__plot--regular g[data-mark="line"] path')).toHaveCount(businessLines.length);
  const expected = await query(
    `SELECT count(*) AS n, sum(value) AS total FROM metrics WHERE metric = 'bookings' AND grain = 'month' AND business_line <> 'All' AND dimension IS NULL`,
  );
  await expect(figure.locator('tbody tr')).toHaveCount(Number(expected[0]!.n));
  const lastRow = await figure.locator('tbody tr').last().locator('td').allTextContents();
  const lastLine = businessLines.toSorted().at(-1)!;
  const lastValue = (await monthly('bookings', lastLine)).at(-1)!.value;
  expect(lastRow.slice(1)).toEqual([lastLine, formatValue(lastValue, 'count')]);
  expect(watch.errors).toEqual([]);
});

test('the metrics tree: a node per metric with the snapshot value and change, coloured by direction, each a link', async ({ page }) => {
  await page.goto(`${B}tree/`);
  const tree = (id: string): string[] => [id, ...(metric(id).tree?.drivers ?? []).flatMap(tree)];
  const ids = tree(metrics.find((m) => m.northStar)!.id);
  const wide = page.locator('svg[data-tree="wide"]');
  await expect(wide).toBeVisible();
  await expect(wide.locator('a[data-metric]')).toHaveCount(ids.length);
  for (const id of ids) {
    const [previous, current] = (await monthly(id)).slice(-2);
    const node = wide.locator(`a[data-metric="${id}"]`);
    await expect(node).toHaveAttribute('href', `${B}kpis/${id}/`);
    await expect(node.locator('[data-value]')).toHaveText(formatValue(current!.value, metric(id).unit));
    await expect(node.locator('[data-change]')).toHaveText(`${change(id, current!.value, previous!.value)} on last month`);
    const good = current!.value > previous!.value === (metric(id).direction === 'up');
    await expect(node).toHaveAttribute('data-tone', good ? 'good' : 'bad');
  }
  // Relations on the edges: one mark between each pair of drivers, or on the edge of a single driver.
  const marks = metrics.filter((m) => ids.includes(m.id) && m.tree).reduce((n, m) => n + Math.max(1, m.tree!.drivers.length - 1), 0);
  await expect(wide.locator('.metric-tree__marks g')).toHaveCount(marks);
  await page.getByRole('link', { name: new RegExp(`^${metric(ids[1]!).label} `) }).first().click();
  await expect(page).toHaveURL(new RegExp(`/kpis/${ids[1]}/$`));
});

test('the metrics tree on a phone: the indented diagram, no sideways scrolling', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${B}tree/`);
  await expect(page.locator('svg[data-tree="wide"]')).toBeHidden();
  const narrow = page.locator('svg[data-tree="narrow"]');
  await expect(narrow).toBeVisible();
  expect((await narrow.boundingBox())!.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await context.close();
});

test('the data dictionary: an anchored entry for every metric, dimension and source; the filter narrows it', async ({ page }) => {
  await page.goto(`${B}dictionary/`);
  for (const m of metrics) await expect(page.locator(`h3[id="${m.id}"]`)).toHaveText(new RegExp(`^${m.label}`));
  for (const s of sources) await expect(page.locator(`h3[id="source-${s.id}"]`)).toHaveText(s.label);
  for (const d of new Set(metrics.flatMap((m) => m.dimensions ?? []))) await expect(page.locator(`h3[id="dimension-${d}"]`)).toBeVisible();
  const all = await page.locator('[data-filter-item]').count();
  await page.getByLabel('Find').fill('churn');
  const visible = page.locator('[data-filter-item]:visible');
  await expect(visible.locator('h3[id="subscription_churn"]')).toBeVisible();
  const texts = await visible.allTextContents();
  expect(texts.length).toBeLessThan(all);
  for (const text of texts) expect(text.toLowerCase()).toContain('churn');
  await expect(page.getByRole('status')).toHaveText(`${texts.length} of ${all} shown`);
  await page.getByLabel('Find').fill('');
  await page.getByLabel('Show').selectOption('source');
  await expect(visible).toHaveCount(sources.length);
});

test("data quality: each source's checks in the dictionary, problems first; a metric page lists its sources' problems", async ({ page }) => {
  const checksOf = (source: string) => manifest.checks.filter((c) => c.source === source);
  const said = (detail: string) => detail.replace(/\.$/, '');
  // The demo's extracts are messy on purpose: at least one warning must be there to show.
  expect(manifest.checks.some((c) => sources.some((s) => s.id === c.source) && c.status === 'warn')).toBe(true);
  await page.goto(`${B}dictionary/`);
  for (const s of sources) {
    const entry = page.locator(`[data-source-checks="${s.id}"]`);
    await expect(entry.getByRole('heading')).toHaveText(`Checks in snapshot ${LATEST}`);
    const problems = checksOf(s.id).filter((c) => c.status !== 'pass');
    const passed = checksOf(s.id).filter((c) => c.status === 'pass');
    await expect(entry.locator('li[data-status="warn"], li[data-status="fail"]')).toHaveCount(problems.length);
    for (const [i, check] of problems.entries()) {
      const item = entry.locator('li[data-status="warn"], li[data-status="fail"]').nth(i);
      await expect(item).toBeVisible();
      await expect(item).toContainText(check.status === 'fail' ? 'Failed' : 'Warning');
      await expect(item).toContainText(said(check.detail));
    }
    // Passes are one click away, not in the way.
    const summary = entry.locator('summary');
    await expect(summary).toHaveText(`${passed.length} checks passed`);
    await expect(entry.locator('li[data-status="pass"]').first()).toBeHidden();
    await summary.click();
    await expect(entry.locator('li[data-status="pass"]')).toHaveCount(passed.length);
    await expect(entry.locator('li[data-status="pass"]').first()).toBeVisible();
  }

  const m = metric('active_users');
  const factSources = facts.find((f) => f.id === m.source)!.sources.map((id) => sources.find((s) => s.id === id)!);
  await page.goto(`${B}kpis/${m.id}/`);
  for (const s of factSources) {
    const item = page.locator('li', { has: page.locator(`a[href="${B}dictionary/#source-${s.id}"]`) });
    const problems = checksOf(s.id).filter((c) => c.status !== 'pass' && c.name !== 'freshness');
    await expect(item.locator('li.check')).toHaveCount(problems.length);
    for (const check of problems) await expect(item).toContainText(said(check.detail));
  }
});

test('the archive lists every story by month, and filters by metric from the query string', async ({ page }) => {
  await page.goto(`${B}stories/`);
  for (const story of stories) {
    const month = page.locator('.archive-month', { has: page.getByRole('heading', { name: monthName(story.period) }) });
    await expect(month.getByRole('link', { name: story.title })).toBeVisible();
  }
  const id = 'sharing_adoption';
  await page.goto(`${B}stories/?metrics=${id}`);
  await expect(page.getByLabel('Metric')).toHaveValue(stories.some((s) => s.metrics.includes(id)) ? id : '');
  await page.goto(`${B}stories/?metrics=revenue`);
  await expect(page.locator('[data-filter-item]:visible')).toHaveCount(stories.filter((s) => s.metrics.includes('revenue')).length);
});

test('strategy: every goal with its metric against the target, every hypothesis with its metric since it was written', async ({ page }) => {
  await page.goto(`${B}strategy/`);
  await expect(page.locator('.vision')).toContainText(strategy.vision);
  await expect(page.locator('[data-goal]')).toHaveCount(strategy.goals.length);
  for (const goal of strategy.goals) {
    const m = metric(goal.metric);
    const latest = (await monthly(goal.metric)).at(-1)!;
    const item = page.locator(`[data-goal="${goal.id}"]`);
    await expect(item.getByRole('heading')).toHaveText(goal.title);
    await expect(item.locator('[data-value]')).toHaveText(formatValue(latest.value, m.unit));
    await expect(item.locator('[data-target]')).toHaveText(formatValue(goal.target, m.unit));
    const met = m.direction === 'up' ? latest.value >= goal.target : latest.value <= goal.target;
    await expect(item.locator('[data-target-status]')).toHaveAttribute('data-target-status', met ? 'met' : /on-track|behind/);
  }
  for (const h of strategy.hypotheses) {
    const m = metric(h.metric);
    const series = await monthly(h.metric);
    const from = series.find((p) => p.month >= h.since)!;
    const to = series.at(-1)!;
    const item = page.locator(`[data-hypothesis="${h.id}"]`);
    await expect(item).toContainText(`We believe that ${h.initiative}`);
    await expect(item.locator('[data-value-from]')).toHaveText(formatValue(from.value, m.unit));
    await expect(item.locator('[data-value-to]')).toHaveText(formatValue(to.value, m.unit));
    await expect(item.locator('[data-change]')).toHaveText(change(h.metric, to.value, from.value));
  }
});

test('decisions: every Decision in the stories, newest first, with its metric and how it has moved since', async ({ page }) => {
  await page.goto(`${B}decisions/`);
  const all = stories.flatMap((s) => s.decisions.map((d) => ({ ...d, story: s }))).sort((a, b) => b.date.localeCompare(a.date));
  expect(all.length).toBeGreaterThan(0);
  const items = page.locator('[data-decision]');
  await expect(items).toHaveCount(all.length);
  for (const [i, d] of all.entries()) {
    const item = items.nth(i);
    await expect(item.getByRole('heading')).toHaveText(d.what);
    await expect(item.getByRole('link', { name: d.story.title, exact: true })).toHaveAttribute('href', `${B}stories/${d.story.slug}/`);
    await expect(item.getByRole('link', { name: metric(d.metric).label, exact: true })).toHaveAttribute('href', `${B}kpis/${d.metric}/`);
    const series = await monthly(d.metric);
    const to = series.at(-1)!;
    const from = series.find((p) => p.month >= d.date.slice(0, 7));
    const unit = metric(d.metric).unit;
    await expect(item.locator('[data-value-to]')).toHaveText(formatValue(to.value, unit));
    if (from && from.month !== to.month) {
      await expect(item.locator('[data-value-from]')).toHaveText(formatValue(from.value, unit));
      await expect(item.locator('[data-change]')).toHaveText(change(d.metric, to.value, from.value));
    } else {
      // Decided in or after the latest month with data: nothing to compare yet, and the page says which.
      const when = to.month === d.date.slice(0, 7) ? 'is the month of the decision' : 'is before the decision';
      await expect(item.locator('.movement')).toHaveText(`Too early to tell: the latest month with data, ${monthName(to.month)} (${formatValue(to.value, unit)}), ${when}.`);
    }
  }
});

test("search from the home page finds a metric's page and the stories that cite it", async ({ page, watch, baseURL }) => {
  const m = metric('revenue');
  await page.goto(B);
  await page.getByRole('searchbox', { name: 'Search stories, KPIs and the dictionary' }).fill(m.label);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/insights/search/\\?q=${m.label}$`));
  await expect(page.locator('[data-search]')).toHaveAttribute('data-state', 'ready', { timeout: 15_000 });
  const results = page.locator('.search-results');
  await expect(results.locator(`a[href="${B}kpis/${m.id}/"]`)).toBeVisible();
  for (const story of stories.filter((s) => s.metrics.includes(m.id))) {
    await expect(results.locator(`a[href="${B}stories/${story.slug}/"]`)).toBeVisible();
  }
  expect(watch.requests.some((url) => url.includes('/insights/pagefind/'))).toBe(true);
  expect(watch.requests.filter((url) => !url.startsWith(`${baseURL}/insights/`))).toEqual([]);
  expect(watch.errors).toEqual([]);
});

test('the feed lists every deep-dive and every page links it from the head', async ({ page, request }) => {
  await page.goto(`${B}kpis/`);
  await expect(page.locator('link[rel="alternate"][type="application/rss+xml"]')).toHaveAttribute('href', `${B}feed.xml`);
  const feed = await (await request.get(`${B}feed.xml`)).text();
  for (const story of stories) {
    expect(feed).toContain(`<title>${story.title}</title>`);
    expect(feed).toMatch(new RegExp(`<link>[^<]*${B}stories/${story.slug}/</link>`));
  }
});

test('the theme follows the system, switches with the toggle, and is remembered without a flash', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.goto(B);
  expect(await background()).toBe('rgb(255, 255, 255)');
  await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
  expect(await background()).toBe('rgb(13, 17, 23)');
  // The next page is dark before any module script runs: its first paint already has the theme.
  await page.route('**/_astro/*.js', (route) => route.abort());
  await page.goto(`${B}tree/`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).toBe('rgb(13, 17, 23)');
  await context.close();
});

test('a deep-dive prints cleanly: no navigation or inputs, the full-size chart, light colours', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(`${B}stories/${latestStory.slug}/`);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.plotline-input').first()).toBeHidden();
  await expect(page.locator('[data-plotline-live] .plotline-chart__plot--regular svg').first()).toBeVisible();
  expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(0, 0, 0)');
  await context.close();
});

test('no page shows the freshness banner while every source in the snapshot meets its SLO', async ({ page }) => {
  const late = manifest.sources.filter((s) => !s.freshnessOk).length + manifest.metrics.filter((m) => !m.freshnessOk || !m.completenessOk).length;
  for (const path of ['', 'kpis/', 'kpis/revenue/', 'tree/', 'strategy/', `stories/${latestStory.slug}/`]) {
    await page.goto(`${B}${path}`);
    await expect(page.locator('[data-freshness-banner]')).toHaveCount(late === 0 ? 0 : 1);
  }
});
