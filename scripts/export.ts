/**
 * npm run export [-- --period YYYY-MM] [--replace] [--history N] [--sources DIR] [--snapshots DIR] [--part-rows N]
 *
 * Turns the extracts in data/sources/ into monthly Parquet snapshots under
 * public/data/snapshots/ using the model in data/model/ (see
 * src/build/export.ts). Without --period it makes sure the latest complete
 * month and the two before it have snapshots. --part-rows sets how many fact
 * rows are computed in one go (for tuning; see historyRanges).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExportError, exportSnapshots } from '../src/build/export.ts';
import { ModelError } from '../src/build/model.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let values;
try {
  ({ values } = parseArgs({
    options: {
      period: { type: 'string' },
      replace: { type: 'boolean', default: false },
      history: { type: 'string', default: '3' },
      sources: { type: 'string' },
      snapshots: { type: 'string' },
      'part-rows': { type: 'string' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\nUsage: npm run export -- [--period YYYY-MM] [--replace] [--history N] [--sources DIR] [--snapshots DIR] [--part-rows N]`);
  process.exit(1);
}

// A whole number, optionally with thousands separators: 12000000, 12,000,000 or 12_000_000.
const partRowsText = values['part-rows']?.trim();
const partRows = partRowsText === undefined ? undefined : Number(partRowsText.replaceAll(/[,_]/g, ''));
if (partRowsText !== undefined && (!/^(\d+|\d{1,3}([,_]\d{3})+)$/.test(partRowsText) || partRows === 0)) {
  console.error(`--part-rows ${partRowsText}: give a whole number of rows above 0, for example --part-rows 12000000.`);
  process.exit(1);
}

try {
  const started = performance.now();
  const results = await exportSnapshots({
    root,
    sourcesDir: values.sources ? resolve(values.sources) : resolve(root, 'data/sources'),
    snapshotsDir: values.snapshots ? resolve(values.snapshots) : resolve(root, 'public/data/snapshots'),
    period: values.period,
    history: Number(values.history),
    replace: values.replace,
    partRows,
    effects: { log: (message) => console.log(message), now: () => new Date() },
  });
  console.log(`Export done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${results.map((r) => `${r.period} ${r.status}`).join(', ')}.`);
} catch (error) {
  if (!(error instanceof ExportError || error instanceof ModelError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
