/**
 * Build-time validation as an analyst meets it: `npm run check` and the build
 * itself stop on a broken story with the file, the line where it can, the
 * component and what to do; the demo stories pass, strictly.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = 'tests/fixtures/broken-stories';

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('npm run check', () => {
  it('names the file, line, component and problem for each broken story, and fails', () => {
    const { status, output } = run(['scripts/check.ts', '--dir', FIXTURES]);
    expect(status).toBe(1);
    expect(output).toContain(`✗ ${FIXTURES}/bad-sql.mdx:10  <LineChart title="Revenue">: the query failed in DuckDB. Binder Error: Referenced column "metrc" not found`);
    expect(output).toContain(`✗ ${FIXTURES}/unknown-metric.mdx:8  <Kpi metric="revenu">: unknown metric "revenu". Metrics in data/model/metrics.yaml: bookings,`);
    expect(output).toContain(`✗ ${FIXTURES}/bad-prop.mdx:8  <BarChart title="Bookings">: metric "bookings" has no dimension "colour". It can be split by: business_line, region.`);
    expect(output).toContain(`✗ ${FIXTURES}/bad-frontmatter.mdx:4  frontmatter period: a month written YYYY-MM, for example 2026-10.`);
    // A query with no rows is only a warning…
    expect(output).toContain(`warning: ${FIXTURES}/empty.mdx  <LineChart title="Revenue">: the query returned no rows`);
    expect(output).toContain('4 problems in 5 stories');
  });

  it('treats an empty result as an error with --strict', () => {
    const { status, output } = run(['scripts/check.ts', '--strict', '--dir', FIXTURES, 'empty']);
    expect(status).toBe(1);
    expect(output).toContain(`✗ ${FIXTURES}/empty.mdx:8  <LineChart title="Revenue">: the query returned no rows with the inputs' defaults (none), so it shows "No data". Check its filters against snapshot 2026-10. (This is an error because the build runs with --strict.)`);
  });

  it('passes the demo stories, strictly', () => {
    const { status, output } = run(['scripts/check.ts', '--strict']);
    expect(output).toMatch(/✓ \d+ stories checked/);
    expect(status).toBe(0);
  });
});

describe('the build', () => {
  it('stops on a story with bad SQL, naming the file, the component and DuckDB’s words', () => {
    const stories = join(ROOT, 'tests/fixtures/.build-check');
    rmSync(stories, { recursive: true, force: true });
    mkdirSync(stories, { recursive: true });
    cpSync(join(ROOT, FIXTURES, 'bad-sql.mdx'), join(stories, 'bad-sql.mdx'));
    const out = mkdtempSync(join(tmpdir(), 'plotline-broken-build-'));
    try {
      const { status, output } = run(['node_modules/astro/bin/astro.mjs', 'build'], { PLOTLINE_STORIES_DIR: stories, PLOTLINE_OUT_DIR: out });
      expect(status).not.toBe(0);
      expect(output).toContain('tests/fixtures/.build-check/bad-sql.mdx  <LineChart title="Revenue">: the query failed in DuckDB. Binder Error: Referenced column "metrc" not found');
    } finally {
      rmSync(stories, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
