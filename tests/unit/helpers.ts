import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportEffects } from '../../src/build/export.ts';
import type { Source } from '../../src/build/model.ts';
import { sources } from '../../src/build/model.ts';

/** A temporary project with data/sources/orders.csv holding `lines` under the header. */
export function projectWith(lines: string[]): { root: string; snapshotsDir: string; source: Source } {
  const root = mkdtempSync(join(tmpdir(), 'plotline-'));
  const file = 'orders.csv';
  writeFileSync(join(root, file), ['order_id,order_date,business_line,customer_id,amount_gbp', ...lines].join('\n') + '\n');
  return { root, snapshotsDir: join(root, 'snapshots'), source: { ...sources[0]!, file } };
}

/** Effects that record log lines and use a fixed clock. */
export function recordingEffects(now = '2026-11-02T09:00:00Z'): ExportEffects & { logs: string[] } {
  const logs: string[] = [];
  return { logs, log: (message) => logs.push(message), now: () => new Date(now) };
}
