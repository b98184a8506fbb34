/**
 * The checks of a loaded source, in the order the manifest lists them: the
 * one table the export runs (checkSource) and the dictionary shows. A new
 * check is a SourceCheck (check.ts) in a module beside these and a line here.
 */
import type { Source } from '../../lib/model-schema.ts';
import { queryRows, type Row } from '../../node/duckdb.ts';
import { tableOf } from '../sources/files.ts';
import type { SourceRun } from '../sources/reader.ts';
import type { Check, SourceCheck, SourceCheckContext } from './check.ts';
import { cumulativeDumps } from './cumulative.ts';
import { datesPresent, lateRows, noFutureDates } from './dates.ts';
import { keysPresent, keysUnique } from './keys.ts';
import { rowsAt } from './rows-at.ts';
import { emptyValues, finiteNumbers, minimums, notBefore } from './values.ts';

export const SOURCE_CHECKS: SourceCheck[] = [keysPresent, keysUnique, cumulativeDumps, datesPresent, noFutureDates, finiteNumbers, minimums, notBefore, emptyValues, lateRows];

/** The checks that run for a source. */
export const checksOf = (source: Source) => SOURCE_CHECKS.filter((check) => check.applies?.(source) ?? true);

/**
 * Runs every check of a loaded source: first those that change its rows
 * (exact duplicates dropped), then one scan of the table for every other
 * check's counts, then each check on the scan's row. `today` is the day of
 * the export in the reporting calendar.
 */
export async function checkSource(run: SourceRun, today: string): Promise<Check[]> {
  const context: SourceCheckContext = { db: run.db, source: run.source, table: tableOf(run.source), files: run.files, today, rowsAt: (where) => rowsAt(run, where) };
  const checks = checksOf(run.source);
  const results = new Map<SourceCheck, Check[]>();
  for (const check of checks.filter((c) => c.first)) results.set(check, await check.run(context, {}));
  const stats = await scan(context, checks.filter((c) => !c.first));
  for (const check of checks.filter((c) => !c.first)) results.set(check, await check.run(context, stats));
  return checks.flatMap((check) => results.get(check)!);
}

/** One pass over the loaded table for every aggregate the checks ask for. */
async function scan(context: SourceCheckContext, checks: SourceCheck[]): Promise<Row> {
  const aggregates = checks.flatMap((check) => check.scan?.(context) ?? []);
  if (aggregates.length === 0) return {};
  const [row] = await queryRows(context.db, `SELECT ${aggregates.map(([alias, sql]) => `${sql} AS ${alias}`).join(',\n       ')} FROM ${context.table}`);
  return row ?? {};
}
