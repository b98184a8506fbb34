/**
 * What every refusal test shares: the tiny company exported once, and an
 * export of bad input that must fail with a message and leave that snapshot
 * byte for byte as it was.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { exportSnapshots } from '../../src/export/export-snapshots.ts';
import { quietEffects, ROOT, scratchCache, TINY, writeSources } from './tiny-company.ts';

export let snapshotsDir: string;
export let cacheDir: string;
let before: { listing: string[]; manifest: string; parquet: Buffer };

function state() {
  return {
    listing: readdirSync(snapshotsDir).sort(),
    manifest: readFileSync(join(snapshotsDir, '2027-01', 'manifest.json'), 'utf8'),
    parquet: readFileSync(join(snapshotsDir, '2027-01', 'metrics.parquet')),
  };
}

/** Exports the tiny company's 2027-01 once before a file's tests: every refusal must leave it exactly as it was. */
export function exportOnceBeforeAll(): void {
  beforeAll(async () => {
    snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-history-'));
    cacheDir = scratchCache();
    await exportSnapshots({ root: ROOT, sourcesDir: writeSources(), snapshotsDir, cacheDir, period: '2027-01', effects: quietEffects() });
    before = state();
  });
}

/** Runs the export over `files` with `modelDir`, asking to replace 2027-01 (or to make `period`); returns the error message. */
export async function failure(files: Record<string, string | Buffer>, modelDir?: string, period = '2027-01'): Promise<string> {
  const error = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(files), snapshotsDir, cacheDir, modelDir, period, replace: true, effects: quietEffects() }).then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error, 'the export should have failed').not.toBeNull();
  expect(state()).toEqual(before);
  return error!.message;
}

/** The text of line `line` of a model file (to check a message points at the right place). */
export function lineOf(modelDir: string, file: string, message: string): string {
  const line = Number(new RegExp(`${file.replace('.', '\\.')}:(\\d+)`).exec(message)?.[1]);
  return readFileSync(join(modelDir, file), 'utf8').split('\n')[line - 1] ?? '';
}

export const withFile = (path: string, content: string | Buffer | null) => {
  const files: Record<string, string | Buffer> = { ...TINY };
  if (content === null) delete files[path];
  else files[path] = content;
  return files;
};
