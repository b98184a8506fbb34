/**
 * Every page type of the site, as a whole: accessible (axe-core, no serious or
 * critical violation, light and dark), every internal link and anchor in the
 * build resolves, no request leaves the origin, no console error, and the CSP
 * allows nothing but the site itself (and WebAssembly).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { dist, metrics, stories } from './expected.ts';
import { expect, test } from './fixtures.ts';

const B = '/insights/';
const PAGES = [
  '',
  'stories/',
  ...stories.map((story) => `stories/${story.slug}/`),
  'gallery/',
  'kpis/',
  `kpis/${metrics.find((m) => m.northStar)!.id}/`,
  'kpis/subscription_churn/',
  'tree/',
  'dictionary/',
  'strategy/',
  'decisions/',
  'search/?q=bookings',
];

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every page type passes axe-core with no serious or critical violation (${scheme})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    const found: string[] = [];
    for (const path of PAGES) {
      await page.goto(`${B}${path}`);
      await page.waitForLoadState('networkidle');
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        found.push(`${path || 'home'}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
      }
    }
    expect(found).toEqual([]);
    await context.close();
  });
}

test('every internal link in the build resolves, anchors included', async ({ request }) => {
  const files = htmlFiles(dist);
  const idsOf = new Map<string, Set<string>>();
  const ids = (file: string) => {
    let set = idsOf.get(file);
    if (!set) {
      set = new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
      idsOf.set(file, set);
    }
    return set;
  };
  const broken: string[] = [];
  const checked = new Map<string, number>();
  for (const file of files) {
    const html = readFileSync(file, 'utf8');
    for (const [, url] of html.matchAll(/\shref="([^"]+)"/g)) {
      if (/^(https?:|mailto:)/.test(url!)) {
        broken.push(`${relative(dist, file)} links outside the site: ${url}`);
        continue;
      }
      // A table's CSV download carries its rows in the link itself: no request.
      if (url!.startsWith('data:text/csv')) continue;
      // Presentation pages link relatively (they also open from file://): resolve against the page.
      const absolute = url!.startsWith('.') ? new URL(url!, `http://site${B}${relative(dist, file)}`).pathname : url!;
      const [path, anchor] = absolute.split('#');
      const target = path ? path : `${B}${relative(dist, file).replace(/index\.html$/, '')}`;
      if (!target.startsWith(B)) {
        broken.push(`${relative(dist, file)}: ${url} is not under ${B}`);
        continue;
      }
      const clean = target.split('?')[0]!;
      if (!checked.has(clean)) checked.set(clean, (await request.get(clean)).status());
      if (checked.get(clean) !== 200) broken.push(`${relative(dist, file)}: ${url} → ${checked.get(clean)}`);
      if (anchor && clean.endsWith('/')) {
        const targetFile = join(dist, clean.slice(B.length), 'index.html');
        if (!ids(targetFile).has(decodeURIComponent(anchor))) broken.push(`${relative(dist, file)}: ${url} → no element with id "${anchor}"`);
      }
    }
  }
  expect(broken).toEqual([]);
  expect(checked.size).toBeGreaterThan(metrics.length + 8);
});

test('no page requests anything outside the origin or logs an error', async ({ page, watch, baseURL }) => {
  test.setTimeout(60_000);
  for (const path of PAGES) {
    await page.goto(`${B}${path}`);
    await page.waitForLoadState('networkidle');
  }
  expect(watch.requests.filter((url) => !url.startsWith(`${baseURL}${B}`))).toEqual([]);
  expect(watch.errors).toEqual([]);
});

test("each page's Content-Security-Policy allows only the site itself, plus WebAssembly", async ({ page }) => {
  for (const path of PAGES) {
    await page.goto(`${B}${path}`);
    const csp = (await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content'))!;
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).not.toMatch(/https?:|\*|'unsafe-eval'|'unsafe-inline'/);
    const scripts = csp.match(/script-src ([^;]+)/)![1]!.split(/\s+/).filter((s) => !s.startsWith("'sha"));
    expect(scripts.toSorted(), path).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    // Every script is a file of the site's own: the server's CSP header has no hashes.
    // (Data blocks such as type="application/json" do not execute and are allowed.)
    expect(await page.locator('script:not([src]):not([type="application/json"]):not([type="application/ld+json"])').count(), path).toBe(0);
  }
});
