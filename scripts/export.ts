/**
 * npm run export [-- --period YYYY-MM] [--replace] [--history N] [--sources DIR] [--snapshots DIR] [--part-rows N]
 *
 * Turns the extracts in data/sources/ into monthly Parquet snapshots under
 * public/data/snapshots/ using the model in data/model/ (see
 * src/export/export-snapshots.ts). Without --period it makes sure the latest complete
 * month and the two before it have snapshots. --part-rows sets how many fact
 * rows are computed in one go (for tuning; see historyRanges).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../src/node/cli.ts';
import { ExportError } from '../src/export/errors.ts';
import { exportSnapshots } from '../src/export/export-snapshots.ts';
import { ModelError } from '../src/node/load-model.ts';

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

/** A whole number above 0, optionally with thousands separators (12000000, 12,000,000 or 12_000_000); else a message and exit 1. */
function wholeNumber(option: string, given: string, of: string, example: string): number {
  const text = given.trim();
  const number = Number(text.replaceAll(/[,_]/g, ''));
  if (!/^(\d+|\d{1,3}([,_]\d{3})+)$/.test(text) || number === 0) {
    console.error(`--${option} ${text}: give a whole number of ${of} above 0, for example --${option} ${example}.`);
    process.exit(1);
  }
  return number;
}
const partRows = values['part-rows'] === undefined ? undefined : wholeNumber('part-rows', values['part-rows'], 'rows', '12000000');
const history = wholeNumber('history', values.history!, 'months', '3');

try {
  const started = performance.now();
  const results = await exportSnapshots({
    root,
    sourcesDir: values.sources ? resolve(values.sources) : resolve(root, 'data/sources'),
    snapshotsDir: values.snapshots ? resolve(values.snapshots) : resolve(root, 'public/data/snapshots'),
    period: values.period,
    history,
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
