/**
 * The KPI export: sources → native DuckDB → a Parquet snapshot plus
 * manifest.json under public/data/snapshots/<period>/.
 *
 * Guarantees:
 * - a snapshot holds only rows dated up to its period's last day;
 * - personal-data columns never leave DuckDB (only aggregates are written);
 * - a failing check stops the export before anything is written;
 * - writing is atomic (a temporary folder renamed into place), and an
 *   existing snapshot is kept unless its sources are unchanged (then nothing
 *   is rewritten) or `replace` is set (then the old one moves to .replaced/).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Manifest, manifestSchema, PERIOD } from '../lib/manifest.ts';
import { openDatabase, queryRows, sqlIdentifier, sqlString } from './duckdb.ts';
import { ALL_LINES, type Metric, type Source } from './model.ts';

export interface ExportEffects {
  log: (message: string) => void;
  now: () => Date;
}

export interface ExportOptions {
  /** Project root: sources are read relative to it. */
  root: string;
  /** Folder that holds one folder per snapshot. */
  snapshotsDir: string;
  sources: Source[];
  metrics: Metric[];
  /** `YYYY-MM`; defaults to the last complete month in the data. */
  period?: string;
  /** Replace an existing snapshot whose sources changed. */
  replace?: boolean;
  effects: ExportEffects;
}

export interface ExportResult {
  period: string;
  dir: string;
  status: 'written' | 'unchanged' | 'replaced';
  manifest: Manifest;
}

/** Thrown for problems the user must fix; the message says where and what to do. */
export class ExportError extends Error {
  override name = 'ExportError';
}

export async function exportSnapshot(options: ExportOptions): Promise<ExportResult> {
  const { root, snapshotsDir, effects } = options;
  const db = await openDatabase();
  try {
    const inputs = options.sources.map((source) => describeInput(root, source));
    for (const source of options.sources) await loadSource(db, root, source);

    const period = options.period ?? (await lastCompleteMonth(db, options.sources));
    if (!PERIOD.test(period)) throw new ExportError(`Period "${period}" is not a month. Give it as YYYY-MM, for example --period 2026-09.`);
    const { periodStart, periodEnd } = monthBounds(period);

    const dir = join(snapshotsDir, period);
    const existing = readExisting(dir);
    if (existing && sameInputs(existing, inputs, period)) {
      effects.log(`Snapshot ${period} is up to date (sources unchanged); kept as it is.`);
      return { period, dir, status: 'unchanged', manifest: existing };
    }
    if (existing && !options.replace) {
      throw new ExportError(
        `${relative(root, dir)} already exists and was made from different source files. ` +
          'Snapshots are history and are not overwritten silently. ' +
          `Run the export with --replace to make a new one (the old one is kept under ${relative(root, join(snapshotsDir, '.replaced'))}/).`,
      );
    }

    const checks = await runChecks(db, options.sources, periodEnd);
    const failed = checks.filter((check) => check.status === 'fail');
    if (failed.length > 0) {
      throw new ExportError(
        `The export stopped before writing snapshot ${period}; no file was changed.\n` +
          failed.map((check) => `  ${check.source}: ${check.detail}`).join('\n'),
      );
    }
    for (const check of checks.filter((c) => c.status === 'warn')) effects.log(`warning: ${check.source}: ${check.detail}`);

    mkdirSync(snapshotsDir, { recursive: true });
    const temp = join(snapshotsDir, `.tmp-${period}-${process.pid}`);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    try {
      const tables = [await writeMetricsTable(db, temp, options.sources, options.metrics, periodEnd)];
      const sourcesWithDates = [];
      for (const [index, source] of options.sources.entries()) {
        sourcesWithDates.push({ ...inputs[index]!, ...(await sourceStats(db, source, periodEnd)) });
      }
      const manifest = manifestSchema.parse({
        id: period,
        period,
        periodStart,
        periodEnd,
        created: effects.now().toISOString(),
        engine: `DuckDB ${(await queryRows(db, 'SELECT version() AS v'))[0]!.v}`,
        sources: sourcesWithDates,
        tables,
        checks,
      } satisfies Manifest);
      writeFileSync(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

      let status: ExportResult['status'] = 'written';
      if (existing) {
        const keep = join(snapshotsDir, '.replaced', `${period}-${effects.now().toISOString().replaceAll(':', '')}`);
        mkdirSync(join(snapshotsDir, '.replaced'), { recursive: true });
        renameSync(dir, keep);
        effects.log(`Kept the previous snapshot ${period} as ${relative(root, keep)}.`);
        status = 'replaced';
      }
      renameSync(temp, dir);
      writeLatest(snapshotsDir);
      effects.log(`Wrote snapshot ${period}: ${tables.map((t) => `${t.file} (${t.rows} rows)`).join(', ')}.`);
      return { period, dir, status, manifest };
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  } finally {
    db.closeSync();
  }
}

/** First and last day of a `YYYY-MM` month, as ISO dates. */
export function monthBounds(period: string): { periodStart: string; periodEnd: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { periodStart: `${period}-01`, periodEnd: `${period}-${String(last).padStart(2, '0')}` };
}

function describeInput(root: string, source: Source) {
  const path = join(root, source.file);
  if (!existsSync(path)) {
    throw new ExportError(`${source.file}: file not found. The model's source "${source.name}" reads it; run \`npm run demo-data\` for the demo extract or fix the path.`);
  }
  const bytes = readFileSync(path);
  return { name: source.name, file: source.file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

async function loadSource(db: DuckDBConnection, root: string, source: Source): Promise<void> {
  const columns = source.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ');
  try {
    await db.run(
      `CREATE TABLE ${sqlIdentifier(source.name)} AS
       SELECT * FROM read_csv(${sqlString(join(root, source.file))}, header = true, columns = {${columns}}, dateformat = '%Y-%m-%d')`,
    );
  } catch (error) {
    const declared = source.columns.map((c) => `${c.name} ${c.type}`).join(', ');
    throw new ExportError(
      `${source.file}: could not be read as the model declares it (${declared}).\n${firstLines(error)}\n` +
        'Fix the file, or the source\'s columns in the model if the extract changed shape.',
    );
  }
}

function firstLines(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').slice(0, 6).map((line) => `  ${line}`).join('\n');
}

/** The last month whose final day is covered by every source. */
async function lastCompleteMonth(db: DuckDBConnection, sources: Source[]): Promise<string> {
  const ends = [];
  for (const source of sources) {
    const [row] = await queryRows(db, `SELECT max(${sqlIdentifier(source.timeColumn)}) AS latest FROM ${sqlIdentifier(source.name)}`);
    const latest = row?.latest;
    if (!(latest instanceof Date)) throw new ExportError(`${source.file}: has no dated rows, so no snapshot period can be chosen. Pass --period YYYY-MM.`);
    ends.push(latest);
  }
  const earliest = new Date(Math.min(...ends.map((d) => d.getTime())));
  const nextDay = new Date(earliest.getTime() + 86_400_000);
  // Complete when the day after the latest event starts a new month.
  const month = nextDay.getUTCDate() === 1 ? earliest : new Date(Date.UTC(earliest.getUTCFullYear(), earliest.getUTCMonth(), 0));
  return month.toISOString().slice(0, 7);
}

async function runChecks(db: DuckDBConnection, sources: Source[], periodEnd: string): Promise<Manifest['checks']> {
  const checks: Manifest['checks'] = [];
  for (const source of sources) {
    const table = sqlIdentifier(source.name);
    const key = sqlIdentifier(source.primaryKey);
    const [dupes] = await queryRows(db, `SELECT count(*) - count(DISTINCT ${key}) AS n FROM ${table}`);
    const duplicateCount = Number(dupes?.n ?? 0);
    checks.push({
      name: 'primary key is unique',
      source: source.file,
      status: duplicateCount === 0 ? 'pass' : 'fail',
      detail:
        duplicateCount === 0
          ? `${source.primaryKey} is unique`
          : `${duplicateCount} ${duplicateCount === 1 ? 'row repeats' : 'rows repeat'} a ${source.primaryKey} already seen; remove the duplicates from the extract.`,
    });
    const nullCounts = source.columns
      .filter((c) => !source.personal.includes(c.name))
      .map((c) => `count(*) FILTER (WHERE ${sqlIdentifier(c.name)} IS NULL) AS ${sqlIdentifier(c.name)}`)
      .join(', ');
    const [nulls] = await queryRows(db, `SELECT ${nullCounts} FROM ${table}`);
    const withNulls = Object.entries(nulls ?? {}).filter(([, n]) => Number(n) > 0);
    checks.push({
      name: 'required columns are filled',
      source: source.file,
      status: withNulls.length === 0 ? 'pass' : 'fail',
      detail: withNulls.length === 0 ? 'no empty values' : `empty values in ${withNulls.map(([c, n]) => `${c} (${n} rows)`).join(', ')}; fill them or drop those rows.`,
    });
    const [covered] = await queryRows(db, `SELECT strftime(max(${sqlIdentifier(source.timeColumn)}), '%Y-%m-%d') AS latest FROM ${table}`);
    const latest = String(covered?.latest);
    checks.push({
      name: 'covers the period',
      source: source.file,
      status: latest >= periodEnd ? 'pass' : 'warn',
      detail:
        latest >= periodEnd
          ? `has rows up to ${latest}`
          : `its latest row is dated ${latest}, before the period ends on ${periodEnd}, so the last month may be incomplete.`,
    });
  }
  return checks;
}

/**
 * metrics.parquet, long format: one row per month × business line × metric,
 * with the company total as business line "All" (computed, not summed, so
 * ratios and distinct counts are right).
 */
async function writeMetricsTable(db: DuckDBConnection, dir: string, sources: Source[], metrics: Metric[], periodEnd: string) {
  const bySource = Map.groupBy(metrics, (metric) => metric.source);
  const selects = [...bySource].map(([name, list]) => {
    const source = sources.find((s) => s.name === name);
    if (!source) throw new ExportError(`Metric "${list[0]!.id}" reads source "${name}", which the model does not define. Known sources: ${sources.map((s) => s.name).join(', ')}.`);
    const table = sqlIdentifier(source.name);
    const timeColumn = source.timeColumn;
    const values = list.map((m) => `${m.expression}::DOUBLE AS ${sqlIdentifier(m.id)}`).join(', ');
    return `
      SELECT 'month' AS grain, date_trunc('month', ${sqlIdentifier(timeColumn)})::DATE AS period_start,
             coalesce(business_line, ${sqlString(ALL_LINES)}) AS business_line, ${values}
      FROM ${table}
      -- a snapshot only sees what had happened by its period's end
      WHERE ${sqlIdentifier(timeColumn)} <= ${sqlString(periodEnd)}::DATE
      GROUP BY GROUPING SETS ((period_start, business_line), (period_start))`;
  });
  const ids = metrics.map((m) => sqlIdentifier(m.id)).join(', ');
  const file = 'metrics.parquet';
  await db.run(`
    COPY (
      SELECT grain, period_start, business_line, metric, value
      FROM (${selects.join(' UNION ALL BY NAME ')})
      UNPIVOT (value FOR metric IN (${ids}))
      ORDER BY grain, period_start, business_line, metric
    ) TO ${sqlString(join(dir, file))} (FORMAT parquet, COMPRESSION snappy)`);
  const [count] = await queryRows(db, `SELECT count(*) AS n FROM read_parquet(${sqlString(join(dir, file))})`);
  const described = await queryRows(db, `DESCRIBE SELECT * FROM read_parquet(${sqlString(join(dir, file))})`);
  return {
    name: 'metrics',
    file,
    rows: Number(count?.n ?? 0),
    bytes: statSync(join(dir, file)).size,
    columns: described.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })),
  };
}

async function sourceStats(db: DuckDBConnection, source: Source, periodEnd: string) {
  const time = sqlIdentifier(source.timeColumn);
  const [row] = await queryRows(
    db,
    `SELECT count(*) AS rows, max(${time}) AS latest FROM ${sqlIdentifier(source.name)} WHERE ${time} <= ${sqlString(periodEnd)}::DATE`,
  );
  const latest = row?.latest instanceof Date ? row.latest.toISOString().slice(0, 10) : null;
  return { rows: Number(row?.rows ?? 0), latestEventDate: latest };
}

function readExisting(dir: string): Manifest | null {
  if (!existsSync(dir)) return null;
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) {
    throw new ExportError(`${dir} exists but has no manifest.json, so it is not a snapshot the export made. Move it out of the snapshots folder, then run the export again.`);
  }
  return manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

function sameInputs(existing: Manifest, inputs: { file: string; sha256: string }[], period: string): boolean {
  if (existing.period !== period || existing.sources.length !== inputs.length) return false;
  return inputs.every((input) => existing.sources.some((s) => s.file === input.file && s.sha256 === input.sha256));
}

/** Points latest.json at the newest snapshot folder (atomically). */
function writeLatest(snapshotsDir: string): void {
  const periods = readdirPeriods(snapshotsDir);
  const newest = periods.at(-1);
  if (!newest) return;
  const temp = join(snapshotsDir, `.latest-${process.pid}.json`);
  writeFileSync(temp, `${JSON.stringify({ period: newest })}\n`);
  renameSync(temp, join(snapshotsDir, 'latest.json'));
}

function readdirPeriods(snapshotsDir: string): string[] {
  return readdirSync(snapshotsDir).filter((name) => PERIOD.test(name)).sort();
}
