import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/build/duckdb.ts';
import { ExportError, exportSnapshot, monthBounds } from '../../src/build/export.ts';
import { metrics } from '../../src/build/model.ts';
import { projectWith, recordingEffects } from './helpers.ts';

const ORDERS = [
  'O1,2026-09-03,Casting,C1,10.00',
  'O2,2026-09-15,Casting,C1,30.00',
  'O3,2026-09-20,Production,P1,200.00',
  'O4,2026-10-01,Casting,C2,20.00',
  'O5,2026-10-02,Casting,C3,40.00',
  'O6,2026-10-31,Production,P1,300.00',
  'O7,2026-10-31,Production,P2,100.00',
];

async function run(project: ReturnType<typeof projectWith>, options: { period?: string; replace?: boolean } = {}, effects = recordingEffects()) {
  return exportSnapshot({ root: project.root, snapshotsDir: project.snapshotsDir, sources: [project.source], metrics, effects, ...options });
}

/** metric → business line → month → value, read back from the written Parquet. */
async function readMetrics(file: string) {
  const db = await openDatabase();
  const rows = await queryRows(db, `SELECT strftime(period_start, '%Y-%m') AS month, business_line, metric, value FROM read_parquet('${file}')`);
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const row of rows) {
    const byLine = (out[String(row.metric)] ??= {});
    (byLine[String(row.business_line)] ??= {})[String(row.month)] = Number(row.value);
  }
  return out;
}

describe('exportSnapshot', () => {
  it('computes every metric per month and business line, with the company total', async () => {
    const project = projectWith(ORDERS);
    const result = await run(project);
    expect(result.period).toBe('2026-10');
    const values = await readMetrics(join(result.dir, 'metrics.parquet'));
    // September: Casting 10 + 30 from one customer; Production one order of 200.
    expect(values.revenue!.Casting!['2026-09']).toBe(40);
    expect(values.revenue!.Production!['2026-09']).toBe(200);
    expect(values.revenue!.All!['2026-09']).toBe(240);
    expect(values.orders!.All!['2026-09']).toBe(3);
    expect(values.active_customers!.Casting!['2026-09']).toBe(1);
    // October: 20 + 40 for Casting; 300 + 100 for Production; four distinct customers.
    expect(values.revenue!.All!['2026-10']).toBe(460);
    expect(values.active_customers!.All!['2026-10']).toBe(4);
    // The total's average order value is computed over all orders (460 / 4), not averaged across lines.
    expect(values.average_order_value!.All!['2026-10']).toBe(115);
    expect(values.average_order_value!.Production!['2026-10']).toBe(200);
  });

  it('writes a manifest naming the sources, their checksums, tables and checks', async () => {
    const project = projectWith(ORDERS);
    const { manifest, dir } = await run(project);
    expect(manifest).toMatchObject({ id: '2026-10', periodStart: '2026-10-01', periodEnd: '2026-10-31', created: '2026-11-02T09:00:00.000Z' });
    expect(manifest.sources[0]).toMatchObject({ file: 'orders.csv', rows: 7, latestEventDate: '2026-10-31' });
    expect(manifest.sources[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // 2 months × (Casting, Production, All) × 4 metrics
    expect(manifest.tables[0]).toMatchObject({ name: 'metrics', file: 'metrics.parquet', rows: 24 });
    expect(manifest.checks.every((check) => check.status === 'pass')).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(JSON.parse(readFileSync(join(project.snapshotsDir, 'latest.json'), 'utf8'))).toEqual({ period: '2026-10' });
  });

  it('never exports personal data: only aggregate columns reach the Parquet file', async () => {
    const { manifest } = await run(projectWith(ORDERS));
    expect(manifest.tables[0]!.columns.map((c) => c.name)).toEqual(['grain', 'period_start', 'business_line', 'metric', 'value']);
  });

  it('builds a past period only from rows dated up to its end', async () => {
    const result = await run(projectWith(ORDERS), { period: '2026-09' });
    const values = await readMetrics(join(result.dir, 'metrics.parquet'));
    expect(Object.keys(values.revenue!.All!)).toEqual(['2026-09']);
    expect(values.revenue!.All!['2026-09']).toBe(240);
    expect(result.manifest.sources[0]).toMatchObject({ rows: 3, latestEventDate: '2026-09-20' });
    // Later rows exist, so September is complete.
    expect(result.manifest.checks.find((c) => c.name === 'covers the period')?.status).toBe('pass');
  });

  it('warns, and says so in the manifest, when a period runs past the data', async () => {
    const effects = recordingEffects();
    const result = await run(projectWith(ORDERS), { period: '2026-11' }, effects);
    const detail = 'its latest row is dated 2026-10-31, before the period ends on 2026-11-30, so the last month may be incomplete.';
    expect(effects.logs).toContain(`warning: orders.csv: ${detail}`);
    expect(result.manifest.checks.find((c) => c.name === 'covers the period')).toMatchObject({ status: 'warn', detail });
  });

  it('picks the last complete month when the data stops mid-month', async () => {
    const result = await run(projectWith([...ORDERS.slice(0, 4)])); // last order 1 October
    expect(result.period).toBe('2026-09');
  });

  it('keeps an unchanged snapshot, refuses to overwrite a changed one, and keeps the old one on --replace', async () => {
    const project = projectWith(ORDERS);
    const first = await run(project);
    const firstManifest = readFileSync(join(first.dir, 'manifest.json'), 'utf8');
    expect((await run(project)).status).toBe('unchanged');

    writeFileSync(join(project.root, 'orders.csv'), readFileSync(join(project.root, 'orders.csv'), 'utf8') + 'O8,2026-10-30,Casting,C9,5.00\n');
    await expect(run(project)).rejects.toThrow(
      'snapshots/2026-10 already exists and was made from different source files. Snapshots are history and are not overwritten silently. ' +
        'Run the export with --replace to make a new one (the old one is kept under snapshots/.replaced/).',
    );
    expect(readFileSync(join(first.dir, 'manifest.json'), 'utf8')).toBe(firstManifest);

    const replaced = await run(project, { replace: true }, recordingEffects('2026-11-03T10:00:00Z'));
    expect(replaced.status).toBe('replaced');
    expect(replaced.manifest.sources[0]!.rows).toBe(8);
    const kept = readdirSync(join(project.snapshotsDir, '.replaced'));
    expect(kept).toEqual(['2026-10-2026-11-03T100000.000Z']);
    expect(readFileSync(join(project.snapshotsDir, '.replaced', kept[0]!, 'manifest.json'), 'utf8')).toBe(firstManifest);
  });

  it('stops on duplicate keys before writing anything', async () => {
    const project = projectWith([...ORDERS, 'O3,2026-10-05,Production,P1,200.00']);
    await expect(run(project)).rejects.toThrow(
      'The export stopped before writing snapshot 2026-10; no file was changed.\n  orders.csv: 1 row repeats a order_id already seen; remove the duplicates from the extract.',
    );
    expect(existsSync(join(project.snapshotsDir, '2026-10'))).toBe(false);
  });

  it('names the file and line of a value that does not fit its column', async () => {
    const project = projectWith([...ORDERS.slice(0, 2), 'O3,2026-09-20,Production,P1,two hundred']);
    const error = await run(project).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    const message = (error as Error).message;
    expect(message.startsWith('orders.csv: could not be read as the model declares it (order_id VARCHAR, order_date DATE, business_line VARCHAR, customer_id VARCHAR, amount_gbp DOUBLE).')).toBe(true);
    expect(message).toMatch(/line 4|Line: 4/i);
    expect(message).toContain('two hundred');
    expect(existsSync(project.snapshotsDir)).toBe(false);
  });

  it('gives a month its first and last day, leap years included', () => {
    expect(monthBounds('2028-02')).toEqual({ periodStart: '2028-02-01', periodEnd: '2028-02-29' });
    expect(monthBounds('2026-11')).toEqual({ periodStart: '2026-11-01', periodEnd: '2026-11-30' });
  });
});
