import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoData } from '../../src/demo/generate.ts';
import { exportSnapshots, type ExportResult } from '../../src/export/export-snapshots.ts';
import { quietEffects, ROOT, scratchCache } from './tiny-company.ts';

export interface DemoSnapshot {
  sourcesDir: string;
  snapshotsDir: string;
  factsDir: string;
  result: ExportResult;
}

/**
 * The demo company at a small scale (fast), exported for one period, with
 * the fact tables kept aside for engine-parity checks.
 */
export async function demoSnapshot(scale = 0.05, period = '2026-10'): Promise<DemoSnapshot> {
  const sourcesDir = mkdtempSync(join(tmpdir(), 'plotline-demo-'));
  const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-demo-snapshots-'));
  const factsDir = mkdtempSync(join(tmpdir(), 'plotline-demo-facts-'));
  await generateDemoData({ outDir: sourcesDir, scale });
  const [result] = await exportSnapshots({ root: ROOT, sourcesDir, snapshotsDir, factsDir, cacheDir: scratchCache(), period, effects: quietEffects() });
  return { sourcesDir, snapshotsDir, factsDir, result: result! };
}
