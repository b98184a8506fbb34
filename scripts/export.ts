/**
 * npm run export [-- --period YYYY-MM] [--replace]
 *
 * Turns the sources in data/ into a Parquet snapshot under
 * public/data/snapshots/<period>/ (see src/build/export.ts).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExportError, exportSnapshot } from '../src/build/export.ts';
import { metrics, sources } from '../src/build/model.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    period: { type: 'string' },
    replace: { type: 'boolean', default: false },
  },
});

try {
  await exportSnapshot({
    root,
    snapshotsDir: fileURLToPath(new URL('../public/data/snapshots', import.meta.url)),
    sources,
    metrics,
    period: values.period,
    replace: values.replace,
    effects: { log: (message) => console.log(message), now: () => new Date() },
  });
} catch (error) {
  if (!(error instanceof ExportError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
