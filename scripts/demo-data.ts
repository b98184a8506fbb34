/**
 * npm run demo-data [-- --scale N] [--out DIR] [--if-missing]
 *
 * Writes the demo company's raw extracts to data/sources/ (see
 * src/demo/generate.ts). Same output on every run. Scale 1 is about a
 * million event rows; larger scales are for benchmarks (write them elsewhere
 * with --out; data/sources/ is not committed).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine } from '../src/node/cli.ts';
import { generateDemoData } from '../src/demo/generate.ts';

const { values } = parseCommandLine(
  `npm run demo-data [-- --scale N] [--out DIR] [--if-missing]

Writes the demo company's raw extracts (the same on every run) to data/sources/, or to DIR.
  --scale N       multiply the event volume (1 is about a million event rows)
  --out DIR       write them to DIR instead (for large scales: never commit them)
  --if-missing    keep the extracts already there`,
  {
    options: {
      scale: { type: 'string', default: '1' },
      out: { type: 'string' },
      'if-missing': { type: 'boolean', default: false },
    },
  },
);
const outDir = values.out ? resolve(values.out) : fileURLToPath(new URL('../data/sources', import.meta.url));
const scale = Number(values.scale);
if (!(scale > 0)) {
  console.error(`--scale ${values.scale}: give a positive number, for example --scale 10.`);
  process.exit(1);
}
if (values['if-missing'] && existsSync(resolve(outDir, 'finance/weekly-report.csv'))) {
  console.log(`Demo extracts already in ${outDir}; kept (run \`npm run demo-data\` to regenerate).`);
} else {
  const started = performance.now();
  const counts = await generateDemoData({ outDir, scale });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Wrote the demo extracts to ${outDir} in ${seconds} s: ${Object.entries(counts).map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`).join(', ')}.`);
}
