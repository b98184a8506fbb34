/**
 * The KPI export: data/sources → native DuckDB → one Parquet snapshot per
 * month under public/data/snapshots/<YYYY-MM>/ with manifest.json.
 *
 * - The model (data/model/*.yaml) is loaded and checked first.
 * - Sources are read once into a scratch DuckDB database on disk (so large
 *   extracts spill instead of filling memory), and checked.
 * - Each period sees only rows dated up to its last day, in files delivered
 *   by then (late rows count from the month their file arrived).
 * - A failing check stops the export before anything is written.
 * - Writing is atomic (a temporary folder renamed into place). An existing
 *   snapshot is history: kept as it is, remade only with `replace` (the old
 *   one then moves to .replaced/), and left alone when its inputs are unchanged.
 *   A run that keeps every snapshot still binds the model's metric SQL (see
 *   bindMetrics), so a broken edit fails now rather than next month.
 * - A run with nothing to do stops after hashing the files, before loading
 *   them: without --period, when the model and every source file are as the
 *   last such run into the same folder found them and its snapshots are all
 *   still there; with --period, when that snapshot was made from the same
 *   model and the files delivered by then (see exportSnapshots).
 * - A new snapshot takes the values of the months and weeks whose rows are
 *   unchanged since the nearest earlier snapshot and computes only the rest
 *   (see keepForReuse and fingerprintFacts).
 * - A run stopped by a signal removes its scratch database and any
 *   half-written snapshot; each run removes those of runs killed outright
 *   (see export-leftovers.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatDay } from '../lib/format.ts';
import { METRICS_FILE, METRICS_ORDER, METRICS_TABLE } from '../lib/snapshot-table.ts';
import { type Manifest, manifestSchema } from '../lib/manifest.ts';
import { factQueries } from '../lib/metric-sql.ts';
import { GRAINS, MODEL_FILES, type Model, MONTH } from '../lib/model-schema.ts';
import { fiscalWeekStartSql } from './calendar-sql.ts';
import { openDatabase, queryRows } from '../node/duckdb.ts';
import { sqlIdentifier, sqlString } from '../lib/sql-quote.ts';
import { startRun } from './leftovers.ts';
import { bindMetrics, buildFacts, checkMetrics, computeMetrics, factTable, fingerprintFacts, type Reuse } from './metrics.ts';
import { checkColumnTypes, checkSource, checksumFiles, ExportError, firstLines, loadSource, type SourceFile, sourceFiles, sourceTimeliness, tableOf } from './sources/sources.ts';
import { type LoadedModel, loadModel } from '../node/load-model.ts';
import { dayIn, localDateMacroSql } from './time-zone.ts';

export { ExportError } from './sources/sources.ts';

/** DuckDB's memory limit unless PLOTLINE_EXPORT_MEMORY or the memoryLimit option says otherwise; it spills to disk beyond it. */
export const MEMORY_LIMIT = '2GB';

export interface ExportEffects {
  log: (message: string) => void;
  now: () => Date;
}

export interface ExportOptions {
  /** Project root: paths in messages and the manifest are relative to it. */
  root: string;
  /** Where the raw extracts are (data/sources). */
  sourcesDir: string;
  /** Folder that holds one folder per snapshot. */
  snapshotsDir: string;
  /** The model folder; default data/model under root. */
  modelDir?: string;
  /** One period, `YYYY-MM`. Default: the latest complete month and the months before it (see history). */
  period?: string;
  /** Without a period: how many months of snapshots to make sure exist. Default 3. */
  history?: number;
  /** Remake an existing snapshot whose inputs changed (the old one is kept in .replaced/). */
  replace?: boolean;
  /**
   * Test tooling only: also write each period's fact tables as Parquet here
   * (they hold personal data, so never under public/).
   */
  factsDir?: string;
  /**
   * Most fact rows computed in one go (the history is split into runs of
   * months; see historyRanges). Default PART_ROWS; for tests and tuning.
   */
  partRows?: number;
  /** Where the record of the last run is kept (see readState); default node_modules/.cache/plotline under root. */
  cacheDir?: string;
  /** DuckDB memory limit, e.g. "4GB"; default PLOTLINE_EXPORT_MEMORY, else MEMORY_LIMIT. */
  memoryLimit?: string;
  effects: ExportEffects;
}

export interface ExportResult {
  period: string;
  dir: string;
  status: 'written' | 'unchanged' | 'replaced' | 'kept';
  manifest: Manifest;
}

export async function exportSnapshots(options: ExportOptions): Promise<ExportResult[]> {
  const { root, effects } = options;
  // PLOTLINE_EXPORT_TIMING=1 logs how long each step takes (for bench/ and tuning).
  let mark = performance.now();
  const timing = (step: string) => {
    if (process.env.PLOTLINE_EXPORT_TIMING) effects.log(`timing: ${step} ${((performance.now() - mark) / 1000).toFixed(2)} s`);
    mark = performance.now();
  };
  if (options.partRows !== undefined && !(Number.isInteger(options.partRows) && options.partRows > 0)) {
    throw new ExportError(`partRows must be a whole number of rows above 0, not ${options.partRows}.`);
  }
  if (options.history !== undefined && !(Number.isInteger(options.history) && options.history > 0)) {
    throw new ExportError(`history must be a whole number of months above 0, not ${options.history}.`);
  }
  if (options.period && !MONTH.test(options.period)) throw new ExportError(`Period "${options.period}" is not a month. Give it as YYYY-MM, for example --period 2026-09.`);
  const loaded = loadModel(root, options.modelDir);
  const { model } = loaded;
  // Today as the reporting calendar has it (rows are dated in its zone): 00:30 on 1 July in London is July there, though still June in UTC.
  const today = dayIn(model.calendar.timeZone, effects.now());
  if (options.period && monthBounds(options.period).periodEnd >= today) {
    throw new ExportError(
      `Period ${options.period} has not ended yet (today is ${formatDay(today)}): its snapshot would show part of a month as if it were the whole. ` +
        `Export it once the month is over, or give a month that has ended, such as --period ${lastEndedMonth(today)}.`,
    );
  }
  const { scratch, finish } = startRun(options.snapshotsDir);
  const stopHashing = new AbortController();
  let closeDb = () => {};
  try {
    const memoryLimit = options.memoryLimit ?? process.env.PLOTLINE_EXPORT_MEMORY ?? MEMORY_LIMIT;
    const db = await openDatabase(join(scratch, 'export.duckdb'), {
      memory_limit: memoryLimit,
      temp_directory: join(scratch, 'spill'),
      preserve_insertion_order: 'false',
      // The scratch tables live for one run: compressing them costs more time than the disk it saves.
      force_compression: 'uncompressed',
    }).catch((error: unknown) => {
      const from = options.memoryLimit ? 'memoryLimit' : process.env.PLOTLINE_EXPORT_MEMORY ? 'PLOTLINE_EXPORT_MEMORY' : null;
      if (!from) throw error;
      throw new ExportError(`${from} is "${memoryLimit}", which DuckDB does not take as a memory limit (${firstLines(error, 1)}). Give a size such as 4GB.`);
    });
    closeDb = () => db.closeSync();
    // A timestamp written without a zone is read as UTC, not as the time of whatever machine runs the export.
    await db.run("SET TimeZone = 'UTC'");
    await registerMacros(db, model);
    await checkColumnTypes(db, model, loaded.where);
    const files = new Map<string, SourceFile[]>();
    for (const [index, source] of model.sources.entries()) files.set(source.id, await sourceFiles(db, root, options.sourcesDir, source, loaded.where, index));
    const modelFiles = Object.values(MODEL_FILES).map(({ file }) => {
      const path = join(options.modelDir ?? join(root, 'data/model'), file);
      return { file: relative(root, path), sha256: sha256(readFileSync(path)) };
    });
    const available = (period: string) => model.sources.flatMap((s) => files.get(s.id)!.filter((f) => f.delivered === null || f.delivered <= period));
    const inputsOf = (period: string) => sha256(JSON.stringify([modelFiles, available(period).map((f) => [f.file, f.sha256])]));
    const everything = () => sha256(JSON.stringify([modelFiles, [...files.values()].flat().map((f) => [f.file, f.sha256, f.delivered]), options.history ?? 3]));
    // The build cache's records for this snapshots folder: the last run's (see readState) and each snapshot's (see keepForReuse).
    const cache = join(options.cacheDir ?? join(root, CACHE_DIR), sha256(resolve(options.snapshotsDir)).slice(0, 16));
    const stateFile = join(cache, 'last-export.json');

    // Nothing to do when every snapshot this run would make exists and was made
    // from these very files: then the sources are only hashed, not loaded.
    // Without --period, "these files" means every file, as recorded by the
    // last such run; a period asked for by name is judged by its own files
    // (those delivered by then), as its snapshot is made from those alone.
    const state = options.period ? null : readState(stateFile);
    const candidates = options.period ? [options.period] : (state?.periods ?? []);
    if (candidates.length > 0 && candidates.every((period) => existsSync(join(options.snapshotsDir, period)))) {
      await checksumFiles(root, [...files.values()].flat(), stopHashing.signal);
      timing('checksums (before loading)');
      const existing = candidates.map((period) => ({ period, manifest: readExisting(join(options.snapshotsDir, period)) }));
      const same = existing.map(({ period, manifest }) => manifest !== null && manifest.inputs === inputsOf(period));
      const current = options.period
        ? same[0]!
        : state!.inputs === everything() &&
          existing.every((e) => e.manifest !== null) &&
          // With --replace, a snapshot made from other inputs is remade: only a run with none of those can stop here.
          (!options.replace || same.every(Boolean));
      if (current) {
        const results = existing.map(({ period, manifest }, i): ExportResult => {
          const status = same[i] ? 'unchanged' : 'kept';
          effects.log(status === 'unchanged' ? upToDate(period) : keptAsHistory(period));
          return { period, dir: join(options.snapshotsDir, period), status, manifest: manifest! };
        });
        finishFolder(options.snapshotsDir, cache);
        return results;
      }
      // The one period asked for exists, from other inputs, and may not be replaced: say so before loading anything.
      if (options.period && !options.replace && existing[0]!.manifest !== null) throw notOverwritten(root, options.snapshotsDir, options.period);
    }

    // Checksums (unless made above) are computed while DuckDB loads the files.
    const hashing = [...files.values()].flat().some((f) => f.sha256 === '') ? checksumFiles(root, [...files.values()].flat(), stopHashing.signal) : Promise.resolve();
    hashing.catch(() => {}); // awaited below; a failed load stops it
    for (const [index, source] of model.sources.entries()) {
      await loadSource(db, root, source, files.get(source.id)!, loaded.where, index, join(scratch, 'utf8', source.id));
      timing(`load ${source.id}`);
    }
    await hashing;
    timing('checksums (after loading)');
    const sourceChecks = [];
    for (const source of model.sources) sourceChecks.push(...(await checkSource(db, source, { today, root, files: files.get(source.id)! })));
    timing('source checks');
    stopOnFailures(sourceChecks, 'the sources');

    const periods = options.period ? [options.period] : await defaultPeriods(db, model, options.history ?? 3, lastEndedMonth(today));
    if (options.period) await refuseBeforeData(db, model, options.period);

    // What metric values depend on besides each period's rows: the metric SQL, the engine, the
    // calendar and the macros a metric's SQL may call (local_date, fiscal_week_start…).
    const [engine] = await queryRows(db, 'SELECT version() AS v');
    const macros = await queryRows(db, "SELECT function_name, macro_definition FROM duckdb_functions() WHERE function_type = 'macro' AND NOT internal ORDER BY ALL");
    const metricsKey = sha256(
      JSON.stringify([
        String(engine?.v),
        model.calendar,
        macros,
        model.facts.map((fact) => factQueries(factTable(fact), fact, model.metrics.filter((m) => m.source === fact.id), model.calendar.privacy.minimumGroupSize, { folded: true }).map((q) => q.sql)),
      ]),
    );
    // The snapshot whose values and fingerprints are in previous_values and previous_fingerprints.
    let previous: string | null = null;

    const results: ExportResult[] = [];
    for (const period of periods) {
      const dir = join(options.snapshotsDir, period);
      const inputs = inputsOf(period);
      const existing = readExisting(dir);
      if (existing && existing.inputs === inputs) {
        effects.log(upToDate(period));
        results.push({ period, dir, status: 'unchanged', manifest: existing });
        continue;
      }
      if (existing && !options.replace) {
        if (!options.period) {
          effects.log(keptAsHistory(period));
          results.push({ period, dir, status: 'kept', manifest: existing });
          continue;
        }
        throw notOverwritten(root, options.snapshotsDir, period);
      }
      previous ??= await loadPrevious(db, options.snapshotsDir, cache, period, metricsKey);
      const manifest = await computePeriod(db, loaded, files, period, sourceChecks, { inputs, modelFiles, root, effects, timing, partRows: options.partRows, previous });
      if (options.factsDir) {
        mkdirSync(join(options.factsDir, period), { recursive: true });
        for (const fact of model.facts) {
          await db.run(`COPY ${factTable(fact)} TO ${sqlString(join(options.factsDir, period, `${fact.id}.parquet`))} (FORMAT parquet)`);
        }
      }
      const written = await writeSnapshot(db, options, period, manifest, existing !== null);
      results.push(written);
      previous = await keepForReuse(db, cache, written, metricsKey, effects);
    }
    // Every snapshot kept, none made: the model may have changed since, so its SQL is still checked (binding only).
    if (results.length > 0 && results.every((r) => r.status === 'kept' || r.status === 'unchanged') && results.some((r) => r.status === 'kept')) {
      await periodViews(db, model, periods.at(-1)!);
      await bindMetrics(db, model, loaded.where);
      timing('model SQL checked (nothing computed)');
    }
    finishFolder(options.snapshotsDir, cache);
    if (!options.period) {
      try {
        writeJson(stateFile, { version: STATE_VERSION, inputs: everything(), periods });
      } catch (error) {
        effects.log(`Could not keep the record of this run in ${dirname(stateFile)} (${firstLines(error, 1)}); the next run will load the sources again.`);
      }
    }
    return results;
  } finally {
    stopHashing.abort();
    closeDb();
    finish();
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const upToDate = (period: string) => `Snapshot ${period} is up to date (same model and sources); kept as it is.`;
const keptAsHistory = (period: string) =>
  `Snapshot ${period} exists and was made from other inputs; kept as it is (snapshots are history). To remake it: npm run export -- --period ${period} --replace`;

const notOverwritten = (root: string, snapshotsDir: string, period: string) =>
  new ExportError(
    `${relative(root, join(snapshotsDir, period))} already exists and was made from a different model or different source files. ` +
      'Snapshots are history and are not overwritten silently. ' +
      `Run the export with --replace to make a new one (the old one is kept under ${relative(root, join(snapshotsDir, '.replaced'))}/).`,
  );

/**
 * What the last export without --period into a snapshots folder was made
 * from (a hash of the model files, every source file and the history length)
 * and the periods it chose, so that an export of unchanged files can stop
 * after hashing them. Kept with the build caches, outside public/ (whatever
 * is there is published), one file per snapshots folder.
 */
const CACHE_DIR = 'node_modules/.cache/plotline';
const STATE_VERSION = 1;
interface ExportState {
  version: typeof STATE_VERSION;
  inputs: string;
  periods: string[];
}

function readState(file: string): ExportState | null {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<ExportState>;
    const valid = state.version === STATE_VERSION && typeof state.inputs === 'string' && Array.isArray(state.periods) && state.periods.every((p) => typeof p === 'string' && MONTH.test(p));
    return valid ? { version: STATE_VERSION, inputs: state.inputs!, periods: state.periods! } : null;
  } catch {
    return null; // none yet, or unreadable: the export then does the full run
  }
}

/** Writes a cache record atomically (a temporary file renamed into place). */
function writeJson(file: string, record: ExportState | ReuseRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(record)}\n`);
  renameSync(temp, file);
}

/**
 * Reusing an earlier snapshot's values. Each snapshot the export writes
 * leaves a record in the cache (outside public/: fingerprints are hashes of
 * rows with personal data): its facts' fingerprints, its creation time, a
 * hash of the metric SQL, calendar, macros and engine that computed it, and
 * the SHA-256 of its values. A later snapshot computes only the periods whose
 * fingerprints differ (see computeMetrics).
 */
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
 * Keeps a written snapshot's values and fingerprints in memory for the next
 * period, and its record on disk for later runs; returns its period. Best
 * effort: a record that cannot be written only means a later run computes
 * everything.
 */
async function keepForReuse(db: DuckDBConnection, cache: string, { dir, manifest }: ExportResult, metricsKey: string, effects: ExportEffects): Promise<string> {
  await db.run('CREATE OR REPLACE TEMP TABLE previous_values AS FROM metric_values');
  await db.run('CREATE OR REPLACE TEMP TABLE previous_fingerprints AS FROM fingerprints');
  try {
    const fingerprints = await queryRows(db, "SELECT fact, grain, strftime(period_start, '%Y-%m-%d') AS period_start, n, s::VARCHAR AS s, q::VARCHAR AS q FROM fingerprints");
    writeJson(join(cache, `${manifest.period}.json`), {
      version: REUSE_VERSION,
      period: manifest.period,
      created: manifest.created,
      metricsKey,
      values: sha256(readFileSync(join(dir, METRICS_FILE))),
      fingerprints: fingerprints as ReuseRecord['fingerprints'],
    });
  } catch (error) {
    effects.log(`Could not keep a record of snapshot ${manifest.period} in ${cache} (${firstLines(error, 1)}); a later run will compute every period again.`);
  }
  return manifest.period;
}

/** At the end of every run: latest.json names the newest snapshot, and the records of snapshots no longer in the folder are deleted. */
function finishFolder(snapshotsDir: string, cache: string): void {
  writeLatest(snapshotsDir);
  forgetRemoved(cache, snapshotsDir);
}

/** Deletes the records of snapshots no longer in the folder (moved away or deleted by hand). Best effort. */
function forgetRemoved(cache: string, snapshotsDir: string): void {
  try {
    for (const name of readdirSync(cache)) {
      const period = name.replace(/\.json$/, '');
      if (MONTH.test(period) && !existsSync(join(snapshotsDir, period))) rmSync(join(cache, name), { force: true });
    }
  } catch {
    // no cache folder yet, or one that cannot be read: nothing to forget
  }
}

/**
 * Loads the values and fingerprints of the existing snapshot nearest before
 * `period` (else nearest after it) whose record says it was computed by the
 * same metric SQL, calendar, macros and engine, and whose values are still
 * those recorded; null when there is none (everything is then computed).
 */
async function loadPrevious(db: DuckDBConnection, snapshotsDir: string, cache: string, period: string, metricsKey: string): Promise<string | null> {
  const existing = existsSync(snapshotsDir) ? readdirSync(snapshotsDir).filter((name) => MONTH.test(name) && name !== period) : [];
  const candidates = [...existing.filter((p) => p < period).sort().reverse(), ...existing.filter((p) => p > period).sort()];
  for (const candidate of candidates) {
    const values = join(snapshotsDir, candidate, METRICS_FILE);
    let rows: string[];
    try {
      const record = JSON.parse(readFileSync(join(cache, `${candidate}.json`), 'utf8')) as ReuseRecord;
      const current =
        record.version === REUSE_VERSION &&
        record.metricsKey === metricsKey &&
        record.created === readExisting(join(snapshotsDir, candidate))?.created &&
        record.values === sha256(readFileSync(values));
      if (!current) continue;
      rows = record.fingerprints.map((f) => `(${[f.fact, f.grain, f.period_start, String(f.n), f.s, f.q].map(sqlString).join(', ')})`);
    } catch {
      continue; // no record, or not a snapshot this export can read
    }
    await db.run(`CREATE OR REPLACE TEMP TABLE previous_values AS SELECT * FROM read_parquet(${sqlString(values)})`);
    await db.run('CREATE OR REPLACE TEMP TABLE previous_fingerprints (fact VARCHAR, grain VARCHAR, period_start DATE, n BIGINT, s HUGEINT, q HUGEINT)');
    if (rows.length > 0) await db.run(`INSERT INTO previous_fingerprints VALUES ${rows.join(', ')}`);
    return candidate;
  }
  return null;
}

/** Calendar helpers the model's SQL may use. */
async function registerMacros(db: DuckDBConnection, model: Model): Promise<void> {
  // (ts AT TIME ZONE zone)::DATE, without ICU for every row (see time-zone.ts).
  await db.run(`CREATE MACRO local_date(ts) AS ${await localDateMacroSql(db, model.calendar.timeZone)}`);
  // NULL for a label without a four-digit year ("FY26" could be either year): that row then has no date, and says so with its line.
  await db.run(`CREATE MACRO fiscal_year(label) AS TRY_CAST(regexp_extract(label, '(\\d{4})', 1) AS INTEGER)`);
  await db.run(`CREATE MACRO fiscal_week_start(y, w) AS ${fiscalWeekStartSql('y', 'w')}`);
  await db.run(`SET VARIABLE period_end = DATE '2100-01-01'`);
}

/** The month (YYYY-MM) `n` months before `period`'s (the month of a YYYY-MM-DD day). */
function monthsBefore(period: string, n: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 - n, 1)).toISOString().slice(0, 7);
}

/** The month before today's: the latest a snapshot can be made of. */
const lastEndedMonth = (today: string) => monthsBefore(today, 1);

/** A period before every source's first row would be a snapshot of nothing: say which months have data. */
async function refuseBeforeData(db: DuckDBConnection, model: Model, period: string): Promise<void> {
  const { periodEnd } = monthBounds(period);
  const firsts = await queryRows(db, model.sources.map((s) => `SELECT ${sqlString(s.id)} AS source, strftime(min(_date), '%Y-%m-%d') AS first FROM ${tableOf(s)}`).join(' UNION ALL '));
  const dated = firsts.filter((r) => r.first !== null).sort((a, b) => String(a.first).localeCompare(String(b.first)));
  if (dated.length === 0 || String(dated[0]!.first) > periodEnd) {
    const earliest = dated[0];
    throw new ExportError(
      `No source has a row dated on or before ${formatDay(periodEnd)}, so a snapshot of ${period} would hold no values.` +
        (earliest ? ` The earliest row is dated ${formatDay(String(earliest.first))} (${String(earliest.source)}): give ${String(earliest.first).slice(0, 7)} or a later month.` : ''),
    );
  }
}

/**
 * The latest month every source covers within its freshness SLO (monthly
 * dumps: delivered), and the `history - 1` months before it.
 * `lastEnded` caps it.
 */
async function defaultPeriods(db: DuckDBConnection, model: Model, history: number, lastEnded: string): Promise<string[]> {
  const limits: string[] = [];
  for (const source of model.sources) {
    const [row] = await queryRows(
      db,
      source.slo.expected === 'monthly' && source.delivery
        ? `SELECT max(_delivered) AS m FROM ${tableOf(source)}`
        : // the last month whose end is within the SLO of the latest row
          `SELECT strftime(date_trunc('month', max(_date) + ${source.slo.freshnessDays + 1}) - INTERVAL 1 DAY, '%Y-%m') AS m FROM ${tableOf(source)}`,
    );
    if (!row?.m) throw new ExportError(`Source ${source.id} has no dated rows, so no snapshot period can be chosen. Check its files, or pass --period YYYY-MM.`);
    limits.push(String(row.m));
  }
  // Rows dated in the future (a clock or an extract gone wrong) must not make a month that has not ended the latest.
  const last = [...limits, lastEnded].sort()[0]!;
  return Array.from({ length: history }, (_, i) => monthsBefore(last, history - 1 - i));
}

/** Each source as a view of what a snapshot of `period` sees: rows dated up to its end, from files delivered by then; `period_end` set. */
async function periodViews(db: DuckDBConnection, model: Model, period: string): Promise<void> {
  const { periodEnd } = monthBounds(period);
  await db.run(`SET VARIABLE period_end = DATE ${sqlString(periodEnd)}`);
  for (const source of model.sources) {
    const table = tableOf(source);
    const delivered = !source.delivery
      ? 'TRUE'
      : source.delivery.use === 'latest'
        ? `_delivered = (SELECT max(_delivered) FROM ${table} WHERE _delivered <= ${sqlString(period)})`
        : `_delivered <= ${sqlString(period)}`;
    await db.run(`CREATE OR REPLACE VIEW ${sqlIdentifier(source.id)} AS SELECT * FROM ${table} WHERE _date <= DATE ${sqlString(periodEnd)} AND ${delivered}`);
  }
}

async function computePeriod(
  db: DuckDBConnection,
  { model, where }: LoadedModel,
  files: Map<string, SourceFile[]>,
  period: string,
  sourceChecks: Manifest['checks'],
  context: {
    inputs: string;
    modelFiles: Manifest['model'];
    root: string;
    effects: ExportEffects;
    timing: (step: string) => void;
    partRows: number | undefined;
    /** An earlier snapshot whose values of unchanged periods can be reused (see loadPrevious). */
    previous: string | null;
  },
): Promise<Manifest> {
  const { periodStart, periodEnd } = monthBounds(period);
  await periodViews(db, model, period);
  const checks = [...sourceChecks];
  const sources: Manifest['sources'] = [];
  for (const source of model.sources) {
    const timeliness = await sourceTimeliness(db, source, periodEnd);
    checks.push(...timeliness.checks);
    const [count] = await queryRows(db, `SELECT count(*) AS n FROM ${sqlIdentifier(source.id)}`);
    sources.push({
      id: source.id,
      label: source.label,
      files: files.get(source.id)!.filter((f) => f.delivered === null || f.delivered <= period),
      rows: Number(count?.n),
      latestEventDate: timeliness.latest,
      lagDays: timeliness.lagDays,
      freshnessSloDays: source.slo.freshnessDays,
      freshnessOk: timeliness.fresh,
    });
  }
  context.timing(`${period} views and timeliness`);
  await buildFacts(db, model, where);
  context.timing(`${period} facts`);
  await fingerprintFacts(db, model);
  context.timing(`${period} fingerprints`);
  // PLOTLINE_EXPORT_TIMING=2 also times each metric query.
  const computed = await computeMetrics(db, model, where, {
    partRows: context.partRows,
    reuse: context.previous !== null,
    log: process.env.PLOTLINE_EXPORT_TIMING === '2' ? context.effects.log : undefined,
  });
  const reuse = reuseOf(context.previous, model, computed);
  if (reuse) context.effects.log(reuseSummary(period, reuse, computed));
  else if (context.previous !== null) context.effects.log(`${period}: every month and week changed since snapshot ${context.previous} (or too many rows to compute them apart); computed everything.`);
  context.timing(`${period} metrics`);
  const metricChecks = await checkMetrics(db, model);
  context.timing(`${period} metric checks`);
  checks.push(...metricChecks);
  stopOnFailures(checks, `snapshot ${period}`);
  for (const warning of checks.filter((c) => c.status === 'warn')) context.effects.log(`${period} warning: ${warning.source}: ${warning.detail}`);

  const metrics = model.metrics.map((metric) => {
    const fact = model.facts.find((f) => f.id === metric.source)!;
    const own = sources.filter((s) => fact.sources.includes(s.id));
    const dates = own.map((s) => s.latestEventDate).filter((d): d is string => d !== null).sort();
    return {
      id: metric.id,
      latestDataDate: dates[0] ?? null,
      freshnessOk: own.every((s) => s.lagDays !== null && s.lagDays <= metric.slo.freshnessDays),
      completenessOk: metricChecks.some((c) => c.source === metric.id && c.name === 'completeness' && c.status === 'pass'),
    };
  });
  const [version] = await queryRows(db, 'SELECT version() AS v');
  return {
    id: period,
    period,
    periodStart,
    periodEnd,
    created: context.effects.now().toISOString(),
    engine: `DuckDB ${String(version?.v)}`,
    inputs: context.inputs,
    model: context.modelFiles,
    sources,
    tables: [],
    metrics,
    checks,
    reuse,
  };
}

/**
 * What a period took from an earlier snapshot and what it computed, for the
 * manifest (see Manifest['reuse']); null when it took nothing.
 */
function reuseOf(previous: string | null, model: Model, computed: Map<string, Reuse>): Manifest['reuse'] {
  if (previous === null) return null;
  const counts = [...computed].flatMap(([fact, reuse]) => GRAINS.filter((grain) => reuse[grain].periods > 0).map((grain) => ({ fact, grain, ...reuse[grain] })));
  if (counts.every((c) => c.computed === c.periods)) return null;
  return { from: previous, computed: counts, whole: model.facts.filter((f) => !computed.has(f.id) && model.metrics.some((m) => m.source === f.id)).map((f) => f.id) };
}

/** The same as one line, e.g. "2026-10: computed only what changed since snapshot 2026-09 (…): events 2 of 43 months and 9 of 187 weeks; …". */
function reuseSummary(period: string, reuse: NonNullable<Manifest['reuse']>, computed: Map<string, Reuse>): string {
  const facts = [...computed.keys()].map((fact) => {
    const grains = reuse.computed.filter((c) => c.fact === fact).map((c) => `${c.computed} of ${c.periods} ${c.grain}s`);
    return `${fact} ${grains.length > 0 ? grains.join(' and ') : 'no rows'}`;
  });
  return (
    `${period}: computed only what changed since snapshot ${reuse.from} (same metric SQL, same rows elsewhere): ${facts.join('; ')}` +
    `${reuse.whole.length > 0 ? `; ${reuse.whole.join(', ')} computed whole (too much changed)` : ''}. The other values were taken from ${reuse.from}.`
  );
}

function stopOnFailures(checks: Manifest['checks'], what: string): void {
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) {
    throw new ExportError(`The export stopped: ${what} failed ${failed.length === 1 ? 'a check' : `${failed.length} checks`}, so no snapshot was written or changed.\n${failed.map((c) => `  ${c.source}: ${c.detail}`).join('\n')}`);
  }
}

async function writeSnapshot(db: DuckDBConnection, options: ExportOptions, period: string, computed: Manifest, existed: boolean): Promise<ExportResult> {
  const { snapshotsDir, effects, root } = options;
  mkdirSync(snapshotsDir, { recursive: true });
  const temp = join(snapshotsDir, `.tmp-${period}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  const dir = join(snapshotsDir, period);
  try {
    const file = METRICS_FILE;
    await db.run(`COPY (SELECT * FROM metric_values ORDER BY ${METRICS_ORDER})
                          TO ${sqlString(join(temp, file))} (FORMAT parquet, COMPRESSION snappy)`);
    const [count] = await queryRows(db, 'SELECT count(*) AS n FROM metric_values');
    const columns = await queryRows(db, `DESCRIBE SELECT * FROM read_parquet(${sqlString(join(temp, file))})`);
    const manifest = manifestSchema.parse({
      ...computed,
      tables: [{ name: METRICS_TABLE, file, rows: Number(count?.n), bytes: statSync(join(temp, file)).size, columns: columns.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })) }],
    });
    writeFileSync(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    let status: ExportResult['status'] = 'written';
    if (existed) {
      const stamp = `${period}-${effects.now().toISOString().replaceAll(':', '')}`;
      let keep = join(snapshotsDir, '.replaced', stamp);
      for (let n = 2; existsSync(keep); n++) keep = join(snapshotsDir, '.replaced', `${stamp}-${n}`); // replaced twice in one instant
      mkdirSync(join(snapshotsDir, '.replaced'), { recursive: true });
      renameSync(dir, keep);
      effects.log(`Kept the previous snapshot ${period} as ${relative(root, keep)}.`);
      status = 'replaced';
    }
    try {
      renameSync(temp, dir);
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
    rmSync(temp, { recursive: true, force: true });
  }
}

/** First and last day of a `YYYY-MM` month, as ISO dates. */
export function monthBounds(period: string): { periodStart: string; periodEnd: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { periodStart: `${period}-01`, periodEnd: `${period}-${String(last).padStart(2, '0')}` };
}

function readExisting(dir: string): Manifest | null {
  if (!existsSync(dir)) return null;
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) {
    throw new ExportError(`${dir} exists but has no manifest.json, so it is not a snapshot the export made. Move it out of the snapshots folder, then run the export again.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ExportError(`${file}: not valid JSON (${firstLines(error, 1)}); the snapshot is damaged. Restore the folder from a backup, or move it aside and run the export again to remake it.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ExportError(`${file} is not a manifest this version of the export understands. Move the snapshot aside or remake it with --replace.`);
  }
  return parsed.data;
}

/** Points latest.json at the newest snapshot folder (atomically). */
function writeLatest(snapshotsDir: string): void {
  if (!existsSync(snapshotsDir)) return;
  const newest = readdirSync(snapshotsDir).filter((name) => MONTH.test(name)).sort().at(-1);
  if (!newest) return;
  const temp = join(snapshotsDir, `.latest-${process.pid}.json`);
  writeFileSync(temp, `${JSON.stringify({ period: newest })}\n`);
  renameSync(temp, join(snapshotsDir, 'latest.json'));
}
