/**
 * The snapshots folder: one folder a month (`<YYYY-MM>/` with
 * metrics.parquet and manifest.json) and latest.json. Every write is atomic
 * (a temporary folder, then a rename), and an existing snapshot is history:
 * replaced only when asked, the old one kept under .replaced/. All of it
 * through the run's effects (effects.ts).
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Manifest, manifestSchema } from '../lib/manifest.ts';
import { MONTH } from '../lib/model-schema.ts';
import { METRICS_FILE, METRICS_ORDER, METRICS_TABLE } from '../lib/snapshot-table.ts';
import { sqlString } from '../lib/sql-quote.ts';
import { queryRows } from '../node/duckdb.ts';
import type { Effects, ExportFiles } from './effects.ts';
import { ExportError, firstLines } from './errors.ts';

export interface ExportResult {
  period: string;
  dir: string;
  status: 'written' | 'unchanged' | 'replaced' | 'kept';
  manifest: Manifest;
}

export const upToDate = (period: string) => `Snapshot ${period} is up to date (same model and sources); kept as it is.`;
export const keptAsHistory = (period: string) =>
  `Snapshot ${period} exists and was made from other inputs; kept as it is (snapshots are history). To remake it: npm run export -- --period ${period} --replace`;

export const notOverwritten = (root: string, snapshotsDir: string, period: string) =>
  new ExportError(
    `${relative(root, join(snapshotsDir, period))} already exists and was made from a different model or different source files. ` +
      'Snapshots are history and are not overwritten silently. ' +
      `Run the export with --replace to make a new one (the old one is kept under ${relative(root, join(snapshotsDir, '.replaced'))}/).`,
  );

/** The manifest of the snapshot in `dir`, or null when there is none; a folder that is not a snapshot this export can read is an error saying what to do. */
export function readExisting(files: ExportFiles, dir: string): Manifest | null {
  if (!files.exists(dir)) return null;
  const file = join(dir, 'manifest.json');
  if (!files.exists(file)) {
    throw new ExportError(`${dir} exists but has no manifest.json, so it is not a snapshot the export made. Move it out of the snapshots folder, then run the export again.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(files.read(file).toString('utf8'));
  } catch (error) {
    throw new ExportError(`${file}: not valid JSON (${firstLines(error, 1)}); the snapshot is damaged. Restore the folder from a backup, or move it aside and run the export again to remake it.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ExportError(`${file} is not a manifest this version of the export understands. Move the snapshot aside or remake it with --replace.`);
  }
  return parsed.data;
}

/**
 * Writes `metric_values` and the manifest as the snapshot of `period`: into
 * a temporary folder beside it, renamed into place. The Parquet file is made
 * by DuckDB in the run's scratch folder first. An existing snapshot
 * (`existed`) moves to .replaced/<period>-<time> first.
 */
export async function writeSnapshot(
  db: DuckDBConnection,
  { root, snapshotsDir, scratch, effects }: { root: string; snapshotsDir: string; scratch: string; effects: Effects },
  period: string,
  computed: Manifest,
  existed: boolean,
): Promise<ExportResult> {
  const { files } = effects;
  files.makeDir(snapshotsDir);
  const temp = join(snapshotsDir, `.tmp-${period}-${process.pid}`);
  files.remove(temp);
  files.makeDir(temp);
  const dir = join(snapshotsDir, period);
  const made = join(scratch, `${period}-${METRICS_FILE}`);
  try {
    await db.run(`COPY (SELECT * FROM metric_values ORDER BY ${METRICS_ORDER}) TO ${sqlString(made)} (FORMAT parquet, COMPRESSION snappy)`);
    const [count] = await queryRows(db, 'SELECT count(*) AS n FROM metric_values');
    const columns = await queryRows(db, `DESCRIBE SELECT * FROM read_parquet(${sqlString(made)})`);
    files.write(join(temp, METRICS_FILE), readFileSync(made));
    const manifest = manifestSchema.parse({
      ...computed,
      tables: [
        { name: METRICS_TABLE, file: METRICS_FILE, rows: Number(count?.n), bytes: statSync(made).size, columns: columns.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })) },
      ],
    });
    files.write(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    let status: ExportResult['status'] = 'written';
    if (existed) {
      const stamp = `${period}-${effects.now().toISOString().replaceAll(':', '')}`;
      let keep = join(snapshotsDir, '.replaced', stamp);
      for (let n = 2; files.exists(keep); n++) keep = join(snapshotsDir, '.replaced', `${stamp}-${n}`); // replaced twice in one instant
      files.makeDir(join(snapshotsDir, '.replaced'));
      files.rename(dir, keep);
      effects.log(`Kept the previous snapshot ${period} as ${relative(root, keep)}.`);
      status = 'replaced';
    }
    try {
      files.rename(temp, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      throw new ExportError(
        `${relative(root, dir)} appeared while this export was writing it, so another export into the same folder must have made it. ` +
          'That snapshot is kept and this copy was discarded. Run one export at a time per snapshots folder.',
      );
    }
    const warnings = manifest.checks.filter((c) => c.status === 'warn').length;
    effects.log(`Wrote snapshot ${period}: ${manifest.tables[0]!.rows.toLocaleString('en-GB')} metric values; ${manifest.checks.length} checks, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
    return { period, dir, status, manifest };
  } finally {
    files.remove(temp);
    rmSync(made, { force: true });
  }
}

/** Points latest.json at the newest snapshot folder (atomically). */
export function writeLatest(files: ExportFiles, snapshotsDir: string): void {
  if (!files.exists(snapshotsDir)) return;
  const newest = files.list(snapshotsDir).filter((name) => MONTH.test(name)).sort().at(-1);
  if (!newest) return;
  const temp = join(snapshotsDir, `.latest-${process.pid}.json`);
  files.write(temp, `${JSON.stringify({ period: newest })}\n`);
  files.rename(temp, join(snapshotsDir, 'latest.json'));
}
