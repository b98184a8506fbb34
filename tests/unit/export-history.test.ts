/**
 * The export over a long history on the tiny company and the demo: computed in
 * parts, not reloaded when nothing changed, and the periods whose rows are
 * unchanged taken from an earlier snapshot, each giving exactly the numbers
 * computed whole.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/node/duckdb.ts';
import { type ExportResult, exportSnapshots } from '../../src/export/export-snapshots.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { historyRanges } from '../../src/export/metrics.ts';
import { removeUnpublished } from '../../src/astro/unpublished.ts';
import { modelWith, quietEffects, ROOT, scratchCache, TINY, writeSources } from './tiny-company.ts';

/**
 * Runs the export with its step timings on (PLOTLINE_EXPORT_TIMING=2 also
 * times each metric query, naming its part), so the log shows whether the
 * sources were loaded and into how many parts each fact's history was split.
 */
async function timed(options: Partial<Parameters<typeof exportSnapshots>[0]> & { sourcesDir: string; snapshotsDir: string }) {
  const effects = quietEffects();
  process.env.PLOTLINE_EXPORT_TIMING = '2';
  try {
    const results = await exportSnapshots({ root: ROOT, cacheDir: scratchCache(), effects, ...options });
    const parts = new Map<string, Set<string>>();
    for (const [, fact, range] of effects.logs.map((l) => /^timing: {3}(\w+) .*?(\[.*\])? [\d.]+ s$/.exec(l)).filter((m) => m !== null)) {
      parts.set(fact!, (parts.get(fact!) ?? new Set()).add(range ?? 'whole'));
    }
    return { results, loaded: effects.logs.some((l) => l.startsWith('timing: load ')), logs: effects.logs, parts: Object.fromEntries([...parts].map(([f, r]) => [f, r.size])) };
  } finally {
    delete process.env.PLOTLINE_EXPORT_TIMING;
  }
}

/** Rows in one snapshot's metrics but not the other's, both ways (EXCEPT ALL: duplicates count). */
async function difference(a: ExportResult, b: ExportResult): Promise<{ rows: number; onlyA: number; onlyB: number }> {
  const db = await openDatabase();
  const [x, y] = [a, b].map((r) => `read_parquet('${join(r.dir, 'metrics.parquet')}')`);
  const [row] = await queryRows(db, `SELECT (SELECT count(*) FROM ${x}) AS n, (SELECT count(*) FROM (FROM ${x} EXCEPT ALL FROM ${y})) AS a, (SELECT count(*) FROM (FROM ${y} EXCEPT ALL FROM ${x})) AS b`);
  return { rows: Number(row?.n), onlyA: Number(row?.a), onlyB: Number(row?.b) };
}

describe('a long history computed in parts', () => {
  it('splits the history into runs of whole months under the row limit, open at both ends', async () => {
    const db = await openDatabase();
    await db.run('CREATE TABLE f (date DATE)');
    // January 4 rows, February 4, March 4, April 9 (over the limit on its own), May 1.
    for (const [month, n] of [['2026-01-05', 4], ['2026-02-05', 4], ['2026-03-05', 4], ['2026-04-05', 9], ['2026-05-05', 1]] as const) {
      await db.run(`INSERT INTO f SELECT DATE '${month}' FROM range(${n})`);
    }
    expect(await historyRanges(db, 'f', 8)).toEqual([
      { from: null, to: '2026-03-01' },
      { from: '2026-03-01', to: '2026-04-01' },
      { from: '2026-04-01', to: '2026-05-01' },
      { from: '2026-05-01', to: null },
    ]);
    expect(await historyRanges(db, 'f', 22)).toEqual([{ from: null, to: null }]);
  });

  it('gives exactly the numbers of the whole history for every fact of the tiny company, split month by month', async () => {
    // Groups of 2 so that cells are folded into "Other"; ISO week 53 spans the year end and so two parts.
    const modelDir = modelWith('calendar.yaml', (text) => text.replace('minimumGroupSize: 5', 'minimumGroupSize: 2'));
    const tiny = { sourcesDir: writeSources(), period: '2027-01', modelDir };
    const whole = await timed({ ...tiny, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-whole-')) });
    const parts = await timed({ ...tiny, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), partRows: 1 });
    expect(whole.parts).toEqual({ events: 1, finance: 1, subscriptions: 1, tickets: 1 });
    // Every fact is split: events, finance (no entity), subscriptions (months only), tickets (a metric with a filter).
    for (const fact of ['events', 'finance', 'subscriptions', 'tickets']) expect(parts.parts[fact]).toBeGreaterThan(1);
    const diff = await difference(whole.results[0]!, parts.results[0]!);
    expect(diff.rows).toBeGreaterThan(100);
    expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);
  });

  it('gives exactly the numbers of the whole history for the demo data, the events split into 150,000-row parts', async () => {
    const demo = { sourcesDir: join(ROOT, 'data/sources'), period: '2026-10' };
    const whole = await timed({ ...demo, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-whole-')) });
    const parts = await timed({ ...demo, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), partRows: 150_000 });
    // About 1 million event rows: 8 parts, with ISO weeks that straddle their bounds.
    expect(parts.parts.events).toBeGreaterThanOrEqual(6);
    const diff = await difference(whole.results[0]!, parts.results[0]!);
    expect(diff.rows).toBeGreaterThan(60_000);
    expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);
  }, 120_000);

  it('refuses a part size that is not a whole number above 0, even when there is nothing to do', async () => {
    const options = { root: ROOT, sourcesDir: writeSources(), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), cacheDir: scratchCache(), period: '2027-01', effects: quietEffects() };
    await exportSnapshots(options);
    await expect(exportSnapshots({ ...options, partRows: 0 })).rejects.toThrow('partRows must be a whole number of rows above 0, not 0.');
  });
});

describe('an export of files that have not changed', () => {
  it('only hashes the files when every snapshot was made from them, and loads them again when anything changed', async () => {
    const sourcesDir = writeSources();
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-unchanged-'));
    const cacheDir = scratchCache();
    const run = (options: Partial<Parameters<typeof exportSnapshots>[0]> = {}) => timed({ sourcesDir, snapshotsDir, cacheDir, history: 2, ...options });
    const first = await run();
    expect(first.loaded).toBe(true);
    expect(first.results.map((r) => r.status)).toEqual(['written', 'written']);
    const periods = first.results.map((r) => r.period);

    const again = await run();
    expect(again.loaded).toBe(false);
    expect(again.results.map((r) => [r.period, r.status])).toEqual(periods.map((p) => [p, 'unchanged']));
    expect(again.results.map((r) => r.manifest)).toEqual(first.results.map((r) => r.manifest));
    expect(again.logs).toContain(`Snapshot ${periods[1]} is up to date (same model and sources); kept as it is.`);

    // One period asked for by name: decided from its own files, without the record of the last run.
    const one = await run({ period: periods[0], cacheDir: scratchCache() });
    expect([one.loaded, one.results[0]!.status]).toEqual([false, 'unchanged']);

    // A snapshot deleted by hand: the full run, which makes it again.
    rmSync(join(snapshotsDir, periods[0]!), { recursive: true });
    const remade = await run();
    expect([remade.loaded, ...remade.results.map((r) => r.status)]).toEqual([true, 'written', 'unchanged']);

    // A changed model: the full run again, and the snapshots, being history, are kept as they are.
    const modelDir = modelWith('calendar.yaml', (text) => `${text}\n# reviewed\n`);
    const changed = await run({ modelDir });
    expect(changed.loaded).toBe(true);
    expect(changed.results.map((r) => r.status)).toEqual(['kept', 'kept']);
    expect((await run({ modelDir })).loaded).toBe(false);

    // One period by name from the changed model, without --replace: refused before anything is loaded, the snapshot kept.
    const refused = await run({ modelDir, period: periods[1] }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(new RegExp(`${periods[1]} already exists and was made from a different model or different source files\\..*Run the export with --replace`));
    expect(JSON.parse(readFileSync(join(snapshotsDir, periods[1]!, 'manifest.json'), 'utf8'))).toEqual(remade.results[1]!.manifest);

    // --replace: the snapshots made from other inputs are remade, however recent the record of the last run.
    const replaced = await run({ modelDir, replace: true });
    expect([replaced.loaded, ...replaced.results.map((r) => r.status)]).toEqual([true, 'replaced', 'replaced']);
    expect((await run({ modelDir, replace: true })).loaded).toBe(false);
    // The old ones are kept beside them, for the team, but a build leaves them out of the site (Astro copies public/ whole).
    const kept = readdirSync(join(snapshotsDir, '.replaced'));
    expect(kept.map((k) => k.slice(0, 7)).sort()).toEqual([...periods].sort());
    const site = mkdtempSync(join(tmpdir(), 'plotline-site-'));
    cpSync(snapshotsDir, join(site, 'data', 'snapshots'), { recursive: true });
    expect(removeUnpublished(site)).toEqual(['data/snapshots/.replaced/']);
    expect(readdirSync(join(site, 'data', 'snapshots')).sort()).toEqual([...periods, 'latest.json'].sort());
    expect(readdirSync(join(snapshotsDir, '.replaced'))).toEqual(kept);

    // A changed source file: loaded again too.
    appendFileSync(join(sourcesDir, 'finance/weekly-report.csv'), '\n');
    expect((await run({ modelDir })).loaded).toBe(true);
  });
});

describe('periods whose rows have not changed since an earlier snapshot', () => {
  const computedOnly = (logs: string[], period: string) => logs.find((l) => l.startsWith(`${period}: computed only what changed since snapshot `));
  const value = async (result: ExportResult, metric: string, line: string, start: string, plan?: string) => {
    const db = await openDatabase();
    const [row] = await queryRows(
      db,
      `SELECT value FROM read_parquet('${join(result.dir, 'metrics.parquet')}') WHERE metric = '${metric}' AND grain = 'month' AND business_line = '${line}'
       AND ${plan ? `dimension = 'plan' AND dimension_value = '${plan}'` : 'dimension IS NULL'} AND period_start = DATE '${start}'`,
    );
    return row?.value;
  };

  it('takes them from the snapshot before, in a later run, and computes again the months a late row changed', async () => {
    // A booking on 30 December delivered late, in January's file.
    const january = 'casting-events/file_month=2027-01/events_0.csv';
    const sourcesDir = writeSources({ ...TINY, [january]: `${TINY[january]}\nc10,CU-2,booking_confirmed,2026-12-30T15:00:00Z,Wales` });
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const cacheDir = scratchCache();
    const december = await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2026-12' });
    expect(computedOnly(december.logs, '2026-12')).toBeUndefined();
    const next = await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2027-01' });
    // Casting's December bookings: c3 alone as December's snapshot saw it; c3 and the late c10 once January's file came.
    expect(await value(december.results[0]!, 'bookings', 'Casting', '2026-12-01')).toBe(1);
    expect(await value(next.results[0]!, 'bookings', 'Casting', '2026-12-01')).toBe(2);

    // Events and finance: both months and weeks hold new or late rows. Unchanged: subscriptions in November and
    // December (the January dump ends S2 on 20 January), tickets in July 2026 (T1) and its week.
    expect(computedOnly(next.logs, '2027-01')).toBe(
      '2027-01: computed only what changed since snapshot 2026-12 (same metric SQL, same rows elsewhere): ' +
        'events 2 of 2 months and 2 of 2 weeks; finance 2 of 2 months and 2 of 2 weeks; subscriptions 1 of 3 months; tickets 1 of 2 months and 2 of 3 weeks. ' +
        'The other values were taken from 2026-12.',
    );
    // The manifest keeps the same account; December's own snapshot computed everything.
    const manifest = (result: ExportResult) => JSON.parse(readFileSync(join(result.dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest(december.results[0]!).reuse).toBeNull();
    const subscriptionsAndTickets = [
      { fact: 'subscriptions', grain: 'month', periods: 3, computed: 1 },
      { fact: 'tickets', grain: 'month', periods: 2, computed: 1 },
      { fact: 'tickets', grain: 'week', periods: 3, computed: 2 },
    ];
    expect(manifest(next.results[0]!).reuse).toEqual({
      from: '2026-12',
      computed: [
        { fact: 'events', grain: 'month', periods: 2, computed: 2 },
        { fact: 'events', grain: 'week', periods: 2, computed: 2 },
        { fact: 'finance', grain: 'month', periods: 2, computed: 2 },
        { fact: 'finance', grain: 'week', periods: 2, computed: 2 },
        ...subscriptionsAndTickets,
      ],
      whole: [],
    });

    // Every value as a run that computes everything.
    const whole = await timed({ sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-whole-')), cacheDir: scratchCache(), period: '2027-01' });
    expect(computedOnly(whole.logs, '2027-01')).toBeUndefined();
    const diff = await difference(whole.results[0]!, next.results[0]!);
    expect(diff.rows).toBeGreaterThan(100);
    expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);

    // In parts of at most 3 rows: the changed rows of events (all of them: both its months changed) and of finance
    // (28: two fiscal weeks of 7 days for two lines) are more than a part, so those facts are computed whole.
    // Subscriptions (S1, S2 and S3 in January) and tickets (T2, T3 and T4) change 3 rows each: computed in part.
    const inParts = { sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), cacheDir: scratchCache(), partRows: 3 };
    await timed({ ...inParts, period: '2026-12' });
    const parts = await timed({ ...inParts, period: '2027-01' });
    expect(manifest(parts.results[0]!).reuse).toEqual({ from: '2026-12', computed: subscriptionsAndTickets, whole: ['events', 'finance'] });
    const inPartsDiff = await difference(whole.results[0]!, parts.results[0]!);
    expect(inPartsDiff.rows).toBe(diff.rows);
    expect([inPartsDiff.onlyA, inPartsDiff.onlyB]).toEqual([0, 0]);

    // In parts of one row every fact is computed whole: nothing is taken, and the manifest and the log say so.
    const oneRow = { sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), cacheDir: scratchCache(), partRows: 1 };
    await timed({ ...oneRow, period: '2026-12' });
    const nothingTaken = await timed({ ...oneRow, period: '2027-01' });
    expect(manifest(nothingTaken.results[0]!).reuse).toBeNull();
    expect(nothingTaken.logs).toContain('2027-01: every month and week changed since snapshot 2026-12 (or too many rows to compute them apart); computed everything.');
  });

  it('computes everything when the metric SQL differs from the earlier snapshot\'s, or the record of how it was made is gone', async () => {
    const sourcesDir = writeSources();
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const cacheDir = scratchCache();
    await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2026-12' });
    const january = (modelDir?: string) => timed({ sourcesDir, snapshotsDir, cacheDir, modelDir, period: '2027-01', replace: true });

    // Reworded descriptions change the model but not a single value: December's values are taken.
    const reworded = modelWith('metrics.yaml', (text) => text.replace('Our north star.', 'The north star.'));
    expect(computedOnly((await january(reworded)).logs, '2027-01')).toMatch(/since snapshot 2026-12/);

    // Tickets counted another way (Billing left out): every period is computed with the new SQL, even
    // July 2026, whose one ticket (T1, Billing) is as December's snapshot saw it.
    const recounted = modelWith('metrics.yaml', (text) => text.replace('expression: count(*)\n', "expression: count(*) FILTER (WHERE category <> 'Billing')\n"));
    const changed = await january(recounted);
    expect(await value(changed.results[0]!, 'tickets_opened', 'Casting', '2026-07-01')).toBe(0);
    expect(computedOnly(changed.logs, '2027-01')).toBeUndefined();

    // December's values edited by hand: they are no longer what the record describes, so nothing is taken from them.
    appendFileSync(join(snapshotsDir, '2026-12', 'metrics.parquet'), ' ');
    expect(computedOnly((await january()).logs, '2027-01')).toBeUndefined();

    // December's record gone (say, the cache was cleared): nothing to compare with, so everything is computed.
    rmSync(join(cacheDir), { recursive: true });
    expect(computedOnly((await january()).logs, '2027-01')).toBeUndefined();
  });

  it('gives exactly the numbers of each period computed alone, for three monthly snapshots of the demo made in one run', async () => {
    const sourcesDir = join(ROOT, 'data/sources');
    const together = await timed({ sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-reuse-')), history: 3 });
    expect(together.results.map((r) => r.status)).toEqual(['written', 'written', 'written']);
    const [first, ...later] = together.results.map((r) => r.period);
    expect(computedOnly(together.logs, first!)).toBeUndefined();
    // Each later month: its own rows, and the month before it, where its file's late rows fall (0.5% of events).
    for (const period of later) expect(computedOnly(together.logs, period)).toMatch(/: events 2 of \d+ months and \d+ of \d+ weeks;/);
    for (const result of together.results.slice(1)) {
      const alone = await timed({ sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-alone-')), period: result.period });
      const diff = await difference(alone.results[0]!, result);
      expect(diff.rows).toBeGreaterThan(60_000);
      expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);
    }
  }, 120_000);

  it('computes again the months of a row changed in place, or of a fact whose columns changed, however alike the values', async () => {
    // Groups of 1, so that plans are shown; the January dump moves S1 from Pro to Studio.
    const modelDir = modelWith('calendar.yaml', (text) => text.replace('minimumGroupSize: 5', 'minimumGroupSize: 1'));
    const dump = 'crm/subscriptions_2027-01.csv';
    const sourcesDir = writeSources({ ...TINY, [dump]: TINY[dump]!.replace('S1,ann@example.invalid,casting,Pro', 'S1,ann@example.invalid,casting,Studio') });
    const run = (period: string, options: { snapshotsDir: string; cacheDir: string; modelDir?: string }) => timed({ sourcesDir, period, ...options });
    const folders = { snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-reuse-')), cacheDir: scratchCache(), modelDir };
    const december = await run('2026-12', folders);
    expect(await value(december.results[0]!, 'mrr', 'All', '2026-11-01', 'Pro')).toBe(45);
    const moved = await run('2027-01', folders);
    // November's one subscription, S1 at £45 a month, is now on Studio; nothing is left on Pro.
    expect(await value(moved.results[0]!, 'mrr', 'All', '2026-11-01', 'Studio')).toBe(45);
    expect(await value(moved.results[0]!, 'mrr', 'All', '2026-11-01', 'Pro')).toBeUndefined();
    expect(computedOnly(moved.logs, '2027-01')).toMatch(/; subscriptions 3 of 3 months;/);

    // The subscriptions fact with live_at_start and live_at_end swapped: the same values under other names.
    const swapped = modelWith('facts.yaml', (text) => text.replace('AS live_at_start', 'AS _start').replace('AS live_at_end', 'AS live_at_start').replace('AS _start', 'AS live_at_end'));
    // The tiny company as it is: its subscriptions in November and December are the same in both dumps.
    const other = { sourcesDir: writeSources(), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-reuse-')), cacheDir: scratchCache() };
    await timed({ ...other, period: '2026-12' });
    const renamed = await timed({ ...other, period: '2027-01', modelDir: swapped });
    // December's MRR now sums the subscriptions live at its start: S1 (£45), not S2, which began on 10 December.
    expect(await value(renamed.results[0]!, 'mrr', 'All', '2026-12-01')).toBe(45);
    expect(computedOnly(renamed.logs, '2027-01')).toMatch(/; subscriptions 3 of 3 months;/);
  });

  it('forgets the record of a snapshot that was deleted', async () => {
    const sourcesDir = writeSources();
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const cacheDir = scratchCache();
    await timed({ sourcesDir, snapshotsDir, cacheDir, history: 2 });
    const records = () => readdirSync(cacheDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')).map((f) => basename(f)).sort();
    expect(records()).toEqual(['2026-11.json', '2026-12.json', 'last-export.json']);
    rmSync(join(snapshotsDir, '2026-11'), { recursive: true });
    // Even a run with nothing to do (December is up to date) forgets November's record.
    const again = await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2026-12' });
    expect(again.results.map((r) => r.status)).toEqual(['unchanged']);
    expect(records()).toEqual(['2026-12.json', 'last-export.json']);
  });

  it('still writes the snapshots and latest.json when the cache cannot be written, and says so', async () => {
    const blocked = join(scratchCache(), 'a-file');
    writeFileSync(blocked, '');
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const run = await timed({ sourcesDir: writeSources(), snapshotsDir, cacheDir: join(blocked, 'cache'), history: 2 });
    expect(run.results.map((r) => r.status)).toEqual(['written', 'written']);
    expect(JSON.parse(readFileSync(join(snapshotsDir, 'latest.json'), 'utf8'))).toEqual({ period: run.results[1]!.period });
    expect(run.logs.filter((l) => l.startsWith('Could not keep'))).toEqual([
      expect.stringMatching(/^Could not keep a record of snapshot \d{4}-\d{2} in .*a-file.*; a later run will compute every period again\.$/),
      expect.stringMatching(/^Could not keep a record of snapshot \d{4}-\d{2} in .*a-file.*; a later run will compute every period again\.$/),
      expect.stringMatching(/^Could not keep the record of this run in .*a-file.*; the next run will load the sources again\.$/),
    ]);
  });
});
