/**
 * Where a failed check's rows are in the delivered files, as `file:line`:
 * the files are read again (only when a check fails) by the source's reader,
 * and the rows for which the check's own SQL condition holds are found. The
 * same condition on the loaded table says which deliveries hold them, so
 * only those files are read.
 */
import { queryRows } from '../../node/duckdb.ts';
import { tableOf } from '../sources/files.ts';
import type { Place } from '../sources/places.ts';
import type { SourceRun } from '../sources/reader.ts';
import { READERS } from '../sources/readers.ts';

/** The first `limit` rows for which `where` holds, in file order. Best effort: a file the reader cannot read again ends the search with what was found, so the check's own message still stands. */
export async function rowsAt(run: SourceRun, where: string, limit = 3): Promise<Place[]> {
  const { db, source } = run;
  const deliveries = source.delivery ? new Set((await queryRows(db, `SELECT DISTINCT _delivered AS d FROM ${tableOf(source)} WHERE ${where}`)).map((r) => String(r.d))) : null;
  const files = deliveries ? run.files.filter((f) => deliveries.has(String(f.delivered))) : run.files;
  const found: Place[] = [];
  try {
    for (const entry of files) {
      found.push(...(await READERS[source.format].locate(run, entry, where, limit - found.length)));
      if (found.length >= limit) break;
    }
  } catch {
    // e.g. a header csv-parse refuses (two columns of one name) where DuckDB read on, or a cast the reader did otherwise
  }
  return found;
}
