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
import { parseCommandLine } from '../src/build/cli.ts';
import { ExportError, exportSnapshots } from '../src/build/export.ts';
import { ModelError } from '../src/build/model.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseCommandLine(
  `npm run export -- [--period YYYY-MM] [--replace] [--history N] [--sources DIR] [--snapshots DIR] [--part-rows N]

Turns the extracts into checked monthly snapshots (Parquet and manifest.json).
  --period YYYY-MM   make that month's snapshot (default: the latest complete month and the months before it)
  --history N        without --period, how many months of snapshots to make sure exist (default 3)
  --replace          remake a snapshot whose inputs changed; the old one is kept under .replaced/
  --sources DIR      where the extracts are (default data/sources)
  --snapshots DIR    where the snapshots go (default public/data/snapshots)
  --part-rows N      most fact rows computed in one go (for tuning; default 12,000,000)`,
  {
    options: {
      period: { type: 'string' },
      replace: { type: 'boolean', default: false },
      history: { type: 'string', default: '3' },
      sources: { type: 'string' },
      snapshots: { type: 'string' },
      'part-rows': { type: 'string' },
    },
  },
);

// A whole number, optionally with thousands separators: 12000000, 12,000,000 or 12_000_000.
const partRowsText = values['part-rows']?.trim();
const partRows = partRowsText === undefined ? undefined : Number(partRowsText.replaceAll(/[,_]/g, ''));
if (partRowsText !== undefined && (!/^(\d+|\d{1,3}([,_]\d{3})+)$/.test(partRowsText) || partRows === 0)) {
  console.error(`--part-rows ${partRowsText}: give a whole number of rows above 0, for example --part-rows 12000000.`);
  process.exit(1);
}
const historyText = values.history!.trim();
if (!/^\d+$/.test(historyText) || Number(historyText) === 0) {
  console.error(`--history ${historyText}: give a whole number of months above 0, for example --history 3.`);
  process.exit(1);
}

try {
  const started = performance.now();
  const results = await exportSnapshots({
    root,
    sourcesDir: values.sources ? resolve(values.sources) : resolve(root, 'data/sources'),
    snapshotsDir: values.snapshots ? resolve(values.snapshots) : resolve(root, 'public/data/snapshots'),
    period: values.period,
    history: Number(historyText),
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
