/**
 * What the export remembers between runs, in the build cache (outside
 * public/: whatever is there is published, and fingerprints are hashes of
 * rows with personal data), one folder per snapshots folder:
 *
 * - `last-export.json`: what the last run without --period was made from
 *   and the periods it chose, so a run over unchanged files can stop after
 *   hashing them (see exportSnapshots).
 * - `<period>.json`, one per snapshot written: its facts' fingerprints, its
 *   creation time, a hash of the metric SQL, calendar, macros and engine
 *   that computed it, and the SHA-256 of its values. A later snapshot
 *   computes only the periods whose fingerprints differ (see computeMetrics).
 *
 * Best effort: a record that cannot be read or written only means a later
 * run does more work.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { factQueries } from '../lib/metric-sql.ts';
import { type Model, MONTH } from '../lib/model-schema.ts';
import { METRICS_FILE } from '../lib/snapshot-table.ts';
import { sqlString } from '../lib/sql-quote.ts';
import { queryRows } from '../node/duckdb.ts';
import { type Effects, type ExportFiles, writeAtomically } from './effects.ts';
import { firstLines } from './errors.ts';
import { factTable } from './facts.ts';
import { sha256 } from './inputs.ts';
import { type ExportResult, readExisting } from './snapshot-folder.ts';

export const CACHE_DIR = 'node_modules/.cache/plotline';

/** The cache folder of a snapshots folder (under `cacheDir`, default CACHE_DIR under the root). */
export const cacheFolder = (root: string, snapshotsDir: string, cacheDir?: string) => join(cacheDir ?? join(root, CACHE_DIR), sha256(resolve(snapshotsDir)).slice(0, 16));

const STATE_VERSION = 1;
export interface ExportState {
  version: typeof STATE_VERSION;
  inputs: string;
  periods: string[];
}

export function readState(files: ExportFiles, file: string): ExportState | null {
  try {
    const state = JSON.parse(files.read(file).toString('utf8')) as Partial<ExportState>;
    const valid = state.version === STATE_VERSION && typeof state.inputs === 'string' && Array.isArray(state.periods) && state.periods.every((p) => typeof p === 'string' && MONTH.test(p));
    return valid ? { version: STATE_VERSION, inputs: state.inputs!, periods: state.periods! } : null;
  } catch {
    return null; // none yet, or unreadable: the export then does the full run
  }
}

export function writeState(files: ExportFiles, file: string, state: Omit<ExportState, 'version'>): void {
  writeAtomically(files, file, `${JSON.stringify({ version: STATE_VERSION, ...state })}\n`);
}

const REUSE_VERSION = 2;
interface ReuseRecord {
  version: typeof REUSE_VERSION;
  period: string;
  created: string;
  metricsKey: string;
  /** SHA-256 of the snapshot's metrics.parquet, which must still match. */
  values: string;
  /** The fingerprints table's rows, sums as text (they are 128-bit). */
  fingerprints: { fact: string; grain: string; period_start: string; n: number; s: string; q: string }[];
}

/**
 * What metric values depend on besides each period's rows: the engine, the
 * calendar, the macros a metric's SQL may call (local_date,
 * fiscal_week_start…) and the metric SQL itself, as one hash.
 */
export async function metricsKeyOf(db: DuckDBConnection, model: Model): Promise<string> {
  const [engine] = await queryRows(db, 'SELECT version() AS v');
  const macros = await queryRows(db, "SELECT function_name, macro_definition FROM duckdb_functions() WHERE function_type = 'macro' AND NOT internal ORDER BY ALL");
  return sha256(
    JSON.stringify([
      String(engine?.v),
      model.calendar,
      macros,
      model.facts.map((fact) => factQueries(factTable(fact), fact, model.metrics.filter((m) => m.source === fact.id), model.calendar.privacy.minimumGroupSize, { folded: true }).map((q) => q.sql)),
    ]),
  );
}

/**
 * Keeps a written snapshot's values and fingerprints in memory for the next
 * period, and its record in the cache for later runs; returns its period.
 */
export async function keepForReuse(db: DuckDBConnection, effects: Effects, cache: string, { dir, manifest }: ExportResult, metricsKey: string): Promise<string> {
  await db.run('CREATE OR REPLACE TEMP TABLE previous_values AS FROM metric_values');
  await db.run('CREATE OR REPLACE TEMP TABLE previous_fingerprints AS FROM fingerprints');
  try {
    const fingerprints = await queryRows(db, "SELECT fact, grain, strftime(period_start, '%Y-%m-%d') AS period_start, n, s::VARCHAR AS s, q::VARCHAR AS q FROM fingerprints");
    const record: ReuseRecord = {
      version: REUSE_VERSION,
      period: manifest.period,
      created: manifest.created,
      metricsKey,
      values: sha256(effects.files.read(join(dir, METRICS_FILE))),
      fingerprints: fingerprints as ReuseRecord['fingerprints'],
    };
    writeAtomically(effects.files, join(cache, `${manifest.period}.json`), `${JSON.stringify(record)}\n`);
  } catch (error) {
    effects.log(`Could not keep a record of snapshot ${manifest.period} in ${cache} (${firstLines(error, 1)}); a later run will compute every period again.`);
  }
  return manifest.period;
}

/**
 * Loads the values and fingerprints of the existing snapshot nearest before
 * `period` (else nearest after it) whose record says it was computed by the
 * same metric SQL, calendar, macros and engine, and whose values are still
 * those recorded; null when there is none (everything is then computed).
 * Its values are read by DuckDB from a copy in the run's scratch folder.
 */
export async function loadPrevious(
  db: DuckDBConnection,
  { files, scratch, snapshotsDir, cache }: { files: ExportFiles; scratch: string; snapshotsDir: string; cache: string },
  period: string,
  metricsKey: string,
): Promise<string | null> {
  const existing = files.list(snapshotsDir).filter((name) => MONTH.test(name) && name !== period);
  const candidates = [...existing.filter((p) => p < period).sort().reverse(), ...existing.filter((p) => p > period).sort()];
  for (const candidate of candidates) {
    const copy = join(scratch, `previous-${METRICS_FILE}`);
    let rows: string[];
    try {
      const record = JSON.parse(files.read(join(cache, `${candidate}.json`)).toString('utf8')) as ReuseRecord;
      const values = files.read(join(snapshotsDir, candidate, METRICS_FILE));
      const current =
        record.version === REUSE_VERSION && record.metricsKey === metricsKey && record.created === readExisting(files, join(snapshotsDir, candidate))?.created && record.values === sha256(values);
      if (!current) continue;
      writeFileSync(copy, values);
      rows = record.fingerprints.map((f) => `(${[f.fact, f.grain, f.period_start, String(f.n), f.s, f.q].map(sqlString).join(', ')})`);
    } catch {
      continue; // no record, or not a snapshot this export can read
    }
    await db.run(`CREATE OR REPLACE TEMP TABLE previous_values AS SELECT * FROM read_parquet(${sqlString(copy)})`);
    await db.run('CREATE OR REPLACE TEMP TABLE previous_fingerprints (fact VARCHAR, grain VARCHAR, period_start DATE, n BIGINT, s HUGEINT, q HUGEINT)');
    if (rows.length > 0) await db.run(`INSERT INTO previous_fingerprints VALUES ${rows.join(', ')}`);
    return candidate;
  }
  return null;
}

/** Deletes the records of snapshots no longer in the folder (moved away or deleted by hand). Best effort. */
export function forgetRemoved(files: ExportFiles, cache: string, snapshotsDir: string): void {
  try {
    for (const name of files.list(cache)) {
      const period = name.replace(/\.json$/, '');
      if (MONTH.test(period) && !files.exists(join(snapshotsDir, period))) files.remove(join(cache, name));
    }
  } catch {
    // a cache folder that cannot be read: nothing to forget
  }
}
