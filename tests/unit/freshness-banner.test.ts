/**
 * The freshness banner, rendered as the build renders it (Astro's Container
 * API) over a hand-made snapshot manifest in which finance's extract is late:
 * a page showing revenue warns and says why; a page showing bookings does not.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { siteModel } from '../../src/site/site-model.ts';

let container: AstroContainer;
let Banner: Parameters<AstroContainer['renderToString']>[0];

beforeAll(async () => {
  const model = siteModel();
  const dir = mkdtempSync(join(tmpdir(), 'plotline-banner-'));
  mkdirSync(join(dir, '2026-10'));
  const late = 'finance_weekly';
  const manifest = {
    id: '2026-10',
    period: '2026-10',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    created: '2026-11-02T09:00:00Z',
    engine: 'test',
    inputs: 'x',
    model: [],
    sources: model.sources.map((s) => ({
      id: s.id,
      label: s.label,
      files: [],
      rows: 100,
      latestEventDate: s.id === late ? '2026-10-19' : '2026-10-30',
      lagDays: s.id === late ? 12 : 1,
      freshnessSloDays: s.slo.freshnessDays,
      freshnessOk: s.id !== late,
    })),
    tables: [],
    metrics: model.metrics.map((m) => ({ id: m.id, latestDataDate: '2026-10-30', freshnessOk: m.source !== 'finance', completenessOk: true })),
    checks: [],
  };
  writeFileSync(join(dir, '2026-10', 'manifest.json'), JSON.stringify(manifest));
  vi.stubEnv('PLOTLINE_SNAPSHOTS_DIR', dir);
  Banner = (await import('../../src/components/site/FreshnessBanner.astro')).default;
  container = await AstroContainer.create();
});

describe('the freshness banner', () => {
  it('names the late extract, how late, the SLO and the metrics it affects', async () => {
    const html = await container.renderToString(Banner, { props: { snapshot: '2026-10', metrics: ['revenue', 'gross_margin', 'bookings'] } });
    const text = parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('Some numbers on this page may be out of date or incomplete (snapshot 2026-10).');
    expect(text).toContain("Finance weekly report: latest data 19 October 2026, 12 days before the period's end; the SLO allows 10. Affects Revenue, Gross margin.");
    expect(html).toContain('href="/dictionary/#source-finance_weekly"');
  });

  it('stays away when the data a page shows is within its SLO', async () => {
    const html = await container.renderToString(Banner, { props: { snapshot: '2026-10', metrics: ['bookings', 'active_users'] } });
    expect(html).not.toContain('data-freshness-banner');
  });
});
