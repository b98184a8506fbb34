/**
 * The whole export with its files in memory (effects.files): what it would
 * write to the snapshots folder and the cache, asserted without a disk.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSnapshots } from '../../src/export/export-snapshots.ts';
import { manifestSchema } from '../../src/lib/manifest.ts';
import { openDatabase, queryRows } from '../../src/node/duckdb.ts';
import { memoryFiles } from './memory-files.ts';
import { modelWith, quietEffects, ROOT, writeSources } from './tiny-company.ts';

/** A snapshots folder and a cache that exist nowhere on disk. */
function inMemory() {
  const base = join(tmpdir(), `plotline-nowhere-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return { files: memoryFiles(), snapshotsDir: join(base, 'snapshots'), cacheDir: join(base, 'cache'), base };
}

/** The value of a metric in a snapshot's Parquet bytes (read by DuckDB from a scratch copy). */
async function valueIn(parquet: Buffer, metric: string, line: string, start: string): Promise<number | undefined> {
  const path = join(mkdtempSync(join(tmpdir(), 'plotline-read-')), 'metrics.parquet');
  writeFileSync(path, parquet);
  const db = await openDatabase();
  const [row] = await queryRows(
    db,
    `SELECT value FROM read_parquet('${path}') WHERE metric = '${metric}' AND grain = 'month' AND business_line = '${line}' AND dimension IS NULL AND period_start = DATE '${start}'`,
  );
  return row?.value as number | undefined;
}

describe('the export with its files in memory', () => {
  it('writes the snapshot, latest.json and its cache record there, and nothing to disk', async () => {
    const { files, snapshotsDir, cacheDir, base } = inMemory();
    const [result] = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(), snapshotsDir, cacheDir, period: '2027-01', effects: { ...quietEffects(), files } });
    expect(result!.status).toBe('written');
    expect(existsSync(base)).toBe(false);
    const snapshot = join(snapshotsDir, '2027-01');
    expect([...files.contents.keys()].filter((p) => p.startsWith(snapshotsDir)).sort()).toEqual([join(snapshot, 'manifest.json'), join(snapshot, 'metrics.parquet'), join(snapshotsDir, 'latest.json')]);
    expect([...files.contents.keys()].filter((p) => p.startsWith(cacheDir)).map((p) => p.split('/').at(-1))).toEqual(['2027-01.json']);
    // Written beside, then renamed into place: the half-written folder is never the snapshot.
    const temp = join(snapshotsDir, `.tmp-2027-01-${process.pid}`);
    expect(files.operations).toContain(`write ${join(temp, 'metrics.parquet')}`);
    expect(files.operations).toContain(`rename ${temp} ${snapshot}`);
    expect(JSON.parse(files.read(join(snapshotsDir, 'latest.json')).toString())).toEqual({ period: '2027-01' });
    const manifest = manifestSchema.parse(JSON.parse(files.read(join(snapshot, 'manifest.json')).toString()));
    expect(manifest.tables[0]!.bytes).toBe(files.read(join(snapshot, 'metrics.parquet')).length);
    // January's bookings, by hand: Casting's c6 (2 January) and Production's 3 (4 January); Production's 5 arrives in February's file.
    expect(await valueIn(files.read(join(snapshot, 'metrics.parquet')), 'bookings', 'All', '2027-01-01')).toBe(2);
  });

  it('keeps a replaced snapshot under .replaced/ and says so, and a second run with nothing new writes nothing', async () => {
    const { files, snapshotsDir, cacheDir } = inMemory();
    const sourcesDir = writeSources();
    const options = { root: ROOT, sourcesDir, snapshotsDir, cacheDir, period: '2027-01' };
    await exportSnapshots({ ...options, effects: { ...quietEffects(), files } });
    const written = files.operations.length;
    const [again] = await exportSnapshots({ ...options, effects: { ...quietEffects(), files } });
    expect(again!.status).toBe('unchanged');
    expect(files.operations.slice(written).filter((op) => !op.includes('latest'))).toEqual([]);

    const effects = { ...quietEffects('2027-02-04T10:00:00Z'), files };
    const modelDir = modelWith('metrics.yaml', (text) => text.replace('Our north star.', 'The north star.'));
    const [replaced] = await exportSnapshots({ ...options, modelDir, replace: true, effects });
    expect(replaced!.status).toBe('replaced');
    const kept = join(snapshotsDir, '.replaced', '2027-01-2027-02-04T100000.000Z');
    expect(files.exists(join(kept, 'manifest.json'))).toBe(true);
    expect(effects.logs).toContain(`Kept the previous snapshot 2027-01 as ${relative(ROOT, kept)}.`);
  });
});
