import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stories } from './expected.ts';
import { expect, test } from './fixtures.ts';

const dist = join(import.meta.dirname, '.dist');

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

test('every link, script, stylesheet and icon in the built site works under /insights/', async ({ request }) => {
  const urls = new Set<string>();
  for (const file of htmlFiles(dist)) {
    const html = readFileSync(file, 'utf8');
    const path = relative(dist, file);
    for (const [, url] of html.matchAll(/(?:href|src)="([^"#]+)"/g)) {
      // A table's CSV download is the data itself (a data: URL), not a request.
      if (url!.startsWith('data:text/csv')) continue;
      // Presentation pages link relatively (they must also open from file://); every other page under the base.
      const resolved = /^stories\/[^/]+\/present\/index\.html$/.test(path) ? new URL(url!, `http://site/insights/${path}`).pathname : url!;
      expect(resolved, `${path} links to ${url}`).toMatch(/^\/insights\//);
      urls.add(resolved);
    }
  }
  expect(urls.size).toBeGreaterThan(3);
  for (const url of urls) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
  }
});

test('the home page leads with the latest deep-dive and links to it', async ({ page, watch }) => {
  await page.goto('/insights/');
  await expect(page.locator('.home-latest')).toContainText('Latest deep-dive');
  // The newest story by date.
  const [latest] = stories.toSorted((a, b) => b.date.localeCompare(a.date));
  await page.locator('.home-latest').getByRole('link', { name: latest!.title, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/insights/stories/${latest!.slug}/$`));
  await expect(page.locator('[data-plotline-live] .plotline-chart__plot--regular svg').first()).toBeVisible();
  expect(watch.errors).toEqual([]);
});
