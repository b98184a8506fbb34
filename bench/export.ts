/**
 * npm run bench:export [-- --scales 1,10,100] [--keep]
 *
 * For each scale: generates the demo extracts outside the repo (never
 * committed), runs the export for one period in a child process, and prints
 * event rows, seconds, rows per second and the child's peak memory (maximum
 * resident set, from /usr/bin/time). DuckDB streams the extracts into a
 * scratch database on disk with a memory limit (PLOTLINE_EXPORT_MEMORY,
 * default 2GB) and computes a long history in parts of at most 12M rows
 * (--part-rows), so memory should stay flat as the scale grows. With
 * PLOTLINE_EXPORT_TIMING=1 each scale's row is followed by the export's step
 * timings. "Next month" is the monthly run: 2026-10 exported into a folder
 * that holds 2026-09's snapshot (made first, not timed), so only the months
 * and weeks whose rows changed are computed. The last column is the same
 * export run again: with nothing changed it only hashes the extracts.
 * Generated data and DuckDB's scratch files go under TMPDIR.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine } from '../src/node/cli.ts';
import { openDatabase, queryRows } from '../src/node/duckdb.ts';
import { MEMORY_LIMIT } from '../src/export/export-snapshots.ts';
import { PART_ROWS } from '../src/export/metrics.ts';
import { folderBytes, mb, ROOT } from './lib.ts';

const { values } = parseCommandLine(
  `npm run bench:export [-- --scales 1,10,100] [--keep]

Times the export at each scale (PLOTLINE_EXPORT_TIMING=1 adds each step's time).
  --scales LIST   comma-separated scales (default 1,10,100; 1 is about a million event rows)
  --keep          keep the extracts of scales 10 and up in TMPDIR/plotline-bench-export (the next run reuses them)`,
  { options: { scales: { type: 'string', default: '1,10,100' }, keep: { type: 'boolean', default: false } } },
);
const scales = values.scales!.split(',').map(Number);
if (!scales.every((scale) => scale > 0)) {
  console.error(`--scales ${values.scales}: give positive numbers separated by commas, for example --scales 1,10.`);
  process.exit(1);
}
const work = join(tmpdir(), 'plotline-bench-export');
mkdirSync(work, { recursive: true });

/**
 * Runs a node script under /usr/bin/time; returns wall seconds, CPU seconds
 * (user + system: steadier than wall time on a machine others are using)
 * and peak RSS in bytes.
 */
function measure(args: string[]): { seconds: number; cpu: number; peak: number; output: string } {
  const result = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const [, seconds, user, system, kib] = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr)!;
  return { seconds: Number(seconds), cpu: Number(user) + Number(system), peak: Number(kib) * 1024, output: result.stdout };
}

console.log(
  `Export benchmark on ${process.arch}, ${(await import('node:os')).cpus().length} cores; one period (2026-10); ` +
    `DuckDB memory limit ${process.env.PLOTLINE_EXPORT_MEMORY ?? MEMORY_LIMIT}, metrics in parts of at most ${PART_ROWS.toLocaleString('en-GB')} fact rows.`,
);
console.log(`Load average at start: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(', ')} (other work on the machine slows the wall times).`);
console.log('scale | event rows | sources on disk | generate | export | export CPU (user+sys) | events/s (export) | peak memory (export) | next month (CPU, peak) | again, unchanged');
for (const scale of scales) {
  const sources = join(work, `scale-${scale}`, 'sources');
  const snapshots = join(work, `scale-${scale}`, 'snapshots');
  const monthly = join(work, `scale-${scale}`, 'monthly');
  rmSync(snapshots, { recursive: true, force: true });
  rmSync(monthly, { recursive: true, force: true });
  const generate = existsSync(join(sources, 'finance/weekly-report.csv')) ? null : measure(['scripts/demo-data.ts', '--scale', String(scale), '--out', sources]);
  const db = await openDatabase();
  const [row] = await queryRows(
    db,
    `SELECT (SELECT count(*) FROM read_csv('${sources}/casting-events/*/*.csv', union_by_name = true)) + (SELECT count(*) FROM read_csv('${sources}/production-events/*.csv', delim = ';')) AS n`,
  );
  db.closeSync();
  const events = Number(row?.n);
  const args = ['scripts/export.ts', '--sources', sources, '--snapshots', snapshots, '--period', '2026-10'];
  const run = measure(args);
  // The same export again: nothing changed, so it only hashes the extracts.
  const again = measure(args);
  // The monthly run: October's snapshot made next to September's, reusing its unchanged months.
  const base = ['scripts/export.ts', '--sources', sources, '--snapshots', monthly];
  measure([...base, '--period', '2026-09']);
  const next = measure([...base, '--period', '2026-10']);
  console.log(
    [
      scale,
      events.toLocaleString('en-GB'),
      mb(folderBytes(sources)),
      generate ? `${generate.seconds.toFixed(1)} s` : '(reused)',
      `${run.seconds.toFixed(1)} s`,
      `${run.cpu.toFixed(1)} s`,
      Math.round(events / run.seconds).toLocaleString('en-GB'),
      mb(run.peak),
      `${next.seconds.toFixed(1)} s (${next.cpu.toFixed(1)} s, ${mb(next.peak)})`,
      `${again.seconds.toFixed(1)} s`,
    ].join(' | '),
  );
  // With PLOTLINE_EXPORT_TIMING=1 the export times its steps; show them under the row.
  for (const line of run.output.split('\n').filter((l) => l.startsWith('timing:'))) console.log(`    ${line}`);
  console.log('    next month:');
  for (const line of next.output.split('\n').filter((l) => l.startsWith('timing:') || l.includes('computed only'))) console.log(`    ${line}`);
  if (!values.keep && scale >= 10) rmSync(join(work, `scale-${scale}`), { recursive: true, force: true });
}
