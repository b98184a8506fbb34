/**
 * The KPI export: data/sources → native DuckDB → one Parquet snapshot per
 * month under public/data/snapshots/<YYYY-MM>/ with manifest.json. This
 * module runs the steps in order; each lives in a module of its own.
 *
 * - The model (data/model/*.yaml) is loaded and checked first.
 * - Sources are read once into a scratch DuckDB database on disk (so large
 *   extracts spill instead of filling memory), each by its format's reader
 *   (sources/), and checked (checks/).
 * - Each period sees only rows dated up to its last day, in files delivered
 *   by then (late rows count from the month their file arrived; periods.ts).
 * - A failing check stops the export before anything is written.
 * - Writing is atomic (a temporary folder renamed into place;
 *   snapshot-folder.ts). An existing snapshot is history: kept as it is,
 *   remade only with `replace` (the old one then moves to .replaced/), and
 *   left alone when its inputs are unchanged. A run that keeps every
 *   snapshot still binds the model's metric SQL (see bindMetrics), so a
 *   broken edit fails now rather than next month.
 * - A run with nothing to do stops after hashing the files, before loading
 *   them: without --period, when the model and every source file are as the
 *   last such run into the same folder found them and its snapshots are all
 *   still there; with --period, when that snapshot was made from the same
 *   model and the files delivered by then (see unchanged).
 * - A new snapshot takes the values of the months and weeks whose rows are
 *   unchanged since the nearest earlier snapshot and computes only the rest
 *   (reuse.ts, fingerprints.ts).
 * - Everything it does besides computing (log, clock, scratch folder, the
 *   snapshots folder and the cache) goes through its effects (effects.ts).
 * - A run stopped by a signal removes its scratch database and any
 *   half-written snapshot; each run removes those of runs killed outright
 *   (see leftovers.ts).
 */
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatDay } from '../lib/format.ts';
import type { Manifest } from '../lib/manifest.ts';
import { MONTH } from '../lib/model-schema.ts';
import { sqlString } from '../lib/sql-quote.ts';
import { openDatabase } from '../node/duckdb.ts';
import { type LoadedModel, loadModel } from '../node/load-model.ts';
import { checkSource } from './checks/source-checks.ts';
import { computePeriod, stopOnFailures } from './compute-period.ts';
import { type Effects, type ExportEffects, withDefaults } from './effects.ts';
import { ExportError, firstLines } from './errors.ts';
import { factTable } from './facts.ts';
import { everythingOf, inputsOf, modelFileHashes } from './inputs.ts';
import { registerMacros } from './macros.ts';
import { bindMetrics } from './metrics.ts';
import { defaultPeriods, lastEndedMonth, monthBounds, periodViews, refuseBeforeData } from './periods.ts';
import { cacheFolder, forgetRemoved, keepForReuse, loadPrevious, metricsKeyOf, readState, writeState } from './reuse.ts';
import { type ExportResult, keptAsHistory, notOverwritten, readExisting, upToDate, writeLatest, writeSnapshot } from './snapshot-folder.ts';
import { checkColumnTypes } from './sources/column-types.ts';
import { checksumFiles, type SourceFile, sourceFiles } from './sources/files.ts';
import { loadSource, sourceRun } from './sources/load.ts';
import { dayIn } from './time-zone.ts';

export type { ExportEffects } from './effects.ts';
export type { ExportResult } from './snapshot-folder.ts';

/** DuckDB's memory limit unless PLOTLINE_EXPORT_MEMORY or the memoryLimit option says otherwise; it spills to disk beyond it. */
export const MEMORY_LIMIT = '2GB';

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
  /** Where the records of earlier runs are kept (see reuse.ts); default node_modules/.cache/plotline under root. */
  cacheDir?: string;
  /** DuckDB memory limit, e.g. "4GB"; default PLOTLINE_EXPORT_MEMORY, else MEMORY_LIMIT. */
  memoryLimit?: string;
  effects: ExportEffects;
}

/** One run of the export, as its steps share it. */
interface Run {
  options: ExportOptions;
  effects: Effects;
  loaded: LoadedModel;
  db: DuckDBConnection;
  scratch: string;
  today: string;
  files: Map<string, SourceFile[]>;
  modelFiles: Manifest['model'];
  /** The cache folder of this snapshots folder (see reuse.ts). */
  cache: string;
  /** Logs how long the last step took, with PLOTLINE_EXPORT_TIMING=1 (for bench/ and tuning). */
  timing: (step: string) => void;
  stopHashing: AbortController;
}

export async function exportSnapshots(options: ExportOptions): Promise<ExportResult[]> {
  const { root } = options;
  const effects = withDefaults(options.effects);
  checkOptions(options);
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
  const { scratch, finish } = effects.startRun(options.snapshotsDir);
  const stopHashing = new AbortController();
  let closeDb = () => {};
  try {
    const db = await openScratchDatabase(scratch, options);
    closeDb = () => db.closeSync();
    // A timestamp written without a zone is read as UTC, not as the time of whatever machine runs the export.
    await db.run("SET TimeZone = 'UTC'");
    await registerMacros(db, model);
    await checkColumnTypes(db, model, loaded.where);
    const files = new Map<string, SourceFile[]>();
    for (const [index, source] of model.sources.entries()) files.set(source.id, await sourceFiles(db, root, options.sourcesDir, source, loaded.where, index));
    const run: Run = {
      options,
      effects,
      loaded,
      db,
      scratch,
      today,
      files,
      modelFiles: modelFileHashes(root, options.modelDir),
      cache: cacheFolder(root, options.snapshotsDir, options.cacheDir),
      timing: timer(effects),
      stopHashing,
    };
    const done = await unchanged(run);
    if (done) return done;

    const sourceChecks = await loadSources(run);
    const periods = options.period ? [options.period] : await defaultPeriods(db, model, options.history ?? 3, lastEndedMonth(today));
    if (options.period) await refuseBeforeData(db, model, options.period);
    const results = await exportPeriods(run, periods, sourceChecks);
    // Every snapshot kept, none made: the model may have changed since, so its SQL is still checked (binding only).
    if (results.length > 0 && results.every((r) => r.status === 'kept' || r.status === 'unchanged') && results.some((r) => r.status === 'kept')) {
      await periodViews(db, model, periods.at(-1)!);
      await bindMetrics(db, model, loaded.where);
      run.timing('model SQL checked (nothing computed)');
    }
    finishFolder(run);
    if (!options.period) {
      const stateFile = join(run.cache, 'last-export.json');
      try {
        writeState(effects.files, stateFile, { inputs: everythingOf(run.modelFiles, files, options.history ?? 3), periods });
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

function checkOptions(options: ExportOptions): void {
  if (options.partRows !== undefined && !(Number.isInteger(options.partRows) && options.partRows > 0)) {
    throw new ExportError(`partRows must be a whole number of rows above 0, not ${options.partRows}.`);
  }
  if (options.history !== undefined && !(Number.isInteger(options.history) && options.history > 0)) {
    throw new ExportError(`history must be a whole number of months above 0, not ${options.history}.`);
  }
  if (options.period && !MONTH.test(options.period)) throw new ExportError(`Period "${options.period}" is not a month. Give it as YYYY-MM, for example --period 2026-09.`);
}

function timer(effects: Effects): (step: string) => void {
  let mark = performance.now();
  return (step) => {
    if (process.env.PLOTLINE_EXPORT_TIMING) effects.log(`timing: ${step} ${((performance.now() - mark) / 1000).toFixed(2)} s`);
    mark = performance.now();
  };
}

/** The scratch database, on disk in the run's folder so large extracts spill instead of filling memory. */
async function openScratchDatabase(scratch: string, options: ExportOptions): Promise<DuckDBConnection> {
  const memoryLimit = options.memoryLimit ?? process.env.PLOTLINE_EXPORT_MEMORY ?? MEMORY_LIMIT;
  return openDatabase(join(scratch, 'export.duckdb'), {
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
}

/**
 * Nothing to do when every snapshot this run would make exists and was made
 * from these very files: then the sources are only hashed, not loaded, and
 * the results are returned. Without --period, "these files" means every
 * file, as recorded by the last such run; a period asked for by name is
 * judged by its own files (those delivered by then), as its snapshot is
 * made from those alone. Null when there is work to do.
 */
async function unchanged(run: Run): Promise<ExportResult[] | null> {
  const { options, effects, files } = run;
  const state = options.period ? null : readState(effects.files, join(run.cache, 'last-export.json'));
  const candidates = options.period ? [options.period] : (state?.periods ?? []);
  if (candidates.length === 0 || !candidates.every((period) => effects.files.exists(join(options.snapshotsDir, period)))) return null;
  await checksumFiles(options.root, [...files.values()].flat(), run.stopHashing.signal);
  run.timing('checksums (before loading)');
  const existing = candidates.map((period) => ({ period, manifest: readExisting(effects.files, join(options.snapshotsDir, period)) }));
  const same = existing.map(({ period, manifest }) => manifest !== null && manifest.inputs === inputsOf(run.modelFiles, files, period));
  const current = options.period
    ? same[0]!
    : state!.inputs === everythingOf(run.modelFiles, files, options.history ?? 3) &&
      existing.every((e) => e.manifest !== null) &&
      // With --replace, a snapshot made from other inputs is remade: only a run with none of those can stop here.
      (!options.replace || same.every(Boolean));
  if (current) {
    const results = existing.map(({ period, manifest }, i): ExportResult => {
      const status = same[i] ? 'unchanged' : 'kept';
      effects.log(status === 'unchanged' ? upToDate(period) : keptAsHistory(period));
      return { period, dir: join(options.snapshotsDir, period), status, manifest: manifest! };
    });
    finishFolder(run);
    return results;
  }
  // The one period asked for exists, from other inputs, and may not be replaced: say so before loading anything.
  if (options.period && !options.replace && existing[0]!.manifest !== null) throw notOverwritten(options.root, options.snapshotsDir, options.period);
  return null;
}

/** Loads every source (checksums, unless made already, are computed meanwhile) and runs its checks; a failure stops the export. */
async function loadSources(run: Run): Promise<Manifest['checks']> {
  const { db, options, loaded, files } = run;
  const all = [...files.values()].flat();
  const hashing = all.some((f) => f.sha256 === '') ? checksumFiles(options.root, all, run.stopHashing.signal) : Promise.resolve();
  hashing.catch(() => {}); // awaited below; a failed load stops it
  const runs = loaded.model.sources.map((source) => sourceRun(db, options.root, loaded, source, files.get(source.id)!, run.scratch));
  for (const source of runs) {
    await loadSource(source);
    run.timing(`load ${source.source.id}`);
  }
  await hashing;
  run.timing('checksums (after loading)');
  const checks = [];
  for (const source of runs) checks.push(...(await checkSource(source, run.today)));
  run.timing('source checks');
  stopOnFailures(checks, 'the sources');
  return checks;
}

/** Makes each period's snapshot unless it exists: kept as history, unchanged, or (with --replace) remade. */
async function exportPeriods(run: Run, periods: string[], sourceChecks: Manifest['checks']): Promise<ExportResult[]> {
  const { db, options, effects, loaded, files } = run;
  const metricsKey = await metricsKeyOf(db, loaded.model);
  // The snapshot whose values and fingerprints are in previous_values and previous_fingerprints.
  let previous: string | null = null;
  const results: ExportResult[] = [];
  for (const period of periods) {
    const dir = join(options.snapshotsDir, period);
    const inputs = inputsOf(run.modelFiles, files, period);
    const existing = readExisting(effects.files, dir);
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
      throw notOverwritten(options.root, options.snapshotsDir, period);
    }
    previous ??= await loadPrevious(db, { files: effects.files, scratch: run.scratch, snapshotsDir: options.snapshotsDir, cache: run.cache }, period, metricsKey);
    const manifest = await computePeriod(db, loaded, files, period, sourceChecks, {
      inputs,
      modelFiles: run.modelFiles,
      root: options.root,
      effects,
      timing: run.timing,
      partRows: options.partRows,
      previous,
    });
    if (options.factsDir) await writeFacts(run, period);
    const written = await writeSnapshot(db, { root: options.root, snapshotsDir: options.snapshotsDir, scratch: run.scratch, effects }, period, manifest, existing !== null);
    results.push(written);
    previous = await keepForReuse(db, effects, run.cache, written, metricsKey);
  }
  return results;
}

/** Test tooling: each fact of the period as Parquet in factsDir (never under public/: facts hold personal data). */
async function writeFacts(run: Run, period: string): Promise<void> {
  const dir = join(run.options.factsDir!, period);
  run.effects.files.makeDir(dir);
  for (const fact of run.loaded.model.facts) await run.db.run(`COPY ${factTable(fact)} TO ${sqlString(join(dir, `${fact.id}.parquet`))} (FORMAT parquet)`);
}

/** At the end of every run: latest.json names the newest snapshot, and the records of snapshots no longer in the folder are deleted. */
function finishFolder(run: Run): void {
  writeLatest(run.effects.files, run.options.snapshotsDir);
  forgetRemoved(run.effects.files, run.cache, run.options.snapshotsDir);
}

