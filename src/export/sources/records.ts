/**
 * A text file's records read again, in order, with their lines: for the
 * formats whose rows DuckDB loads without line numbers (CSV, JSON Lines).
 *
 * The loaded tables keep no file names or line numbers (at 100 million rows
 * they would cost gigabytes, and DuckDB's CSV reader gives no line numbers),
 * so after a check has failed, or a load, the files are read again and the
 * first records that match are reported. Only a failing export pays for it:
 * about 18 s for an empty key on the last of 2.7 million lines, in the last
 * file of 100 million events; the search stops at the first few found.
 *
 * A record's fields are its raw text, its renamed columns under their
 * current names. The SQL condition decides which records match: DuckDB
 * casts each field to its declared type and computes the row's date with the
 * source's own SQL, as the load does, so a row is found by the same rule
 * that counted it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { namesOf, type Source } from '../../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import { type SourceFile, textOf } from './files.ts';
import type { Place } from './places.ts';
import type { SourceRun } from './reader.ts';

/** A record's declared columns as the file wrote them: text, or null when absent or empty. */
export type RawRecord = Record<string, string | null>;

/** A record of a source file, with its line (and, for JSON Lines, the line's text). */
export type SourceRecord = { line: number; record: RawRecord; text?: string };

/** A line that is not a record (a JSON line that is not an object): where, why, and its text. */
export type NotARecord = { line: number; problem: string; text: string };

/** A file's records, or lines that are not one, in order. */
export type Records = AsyncGenerator<SourceRecord | NotARecord>;

/** Records sent to DuckDB at a time: enough that a query per batch costs little next to reading the file. */
const BATCH = 50_000;

/**
 * A record's declared columns from its fields: each column, or its first old
 * name the record has (names match ignoring case, as DuckDB's do). With
 * `emptyIsNull` (CSV, where DuckDB reads an empty field as NULL), an empty
 * field counts as absent; an empty JSON string is a string.
 */
export function pickColumns(source: Source, fields: Record<string, unknown>, emptyIsNull: boolean): RawRecord {
  const byName = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(
    source.columns.map((c) => {
      const value = namesOf(c).map((n) => byName.get(n.toLowerCase())).find((v) => v !== undefined && v !== null && !(emptyIsNull && v === ''));
      return [c.name, value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value)];
    }),
  );
}

/** The records of `rows` up to the first line that is not one (a JSON line that is not an object), which goes to `stop`. */
export async function* readable(rows: Records, stop?: (problem: NotARecord) => void): AsyncGenerator<SourceRecord> {
  for await (const row of rows) {
    if ('problem' in row) {
      stop?.(row);
      return;
    }
    yield row;
  }
}

/** The first `limit` records of one file (read by `records`) for which `where` holds over the columns as loaded: a reader's locate. */
export async function locateRecords(run: SourceRun, entry: SourceFile, where: string, limit: number, records: (path: string, source: Source) => Records): Promise<Place[]> {
  // The load read every line, so every line is a record here.
  const found = await matchingRecords(run.db, run.source, readable(records(textOf(run.root, entry), run.source)), where, { typed: { delivered: entry.delivered }, limit });
  return found.map(({ line }) => ({ file: entry.file, line }));
}

/**
 * The first `limit` of `records` for which the SQL condition `where` holds,
 * as DuckDB judges it, a batch at a time (each goes into a temporary table
 * through DuckDB's appender). The condition sees each declared column by its
 * name: as text, or with `typed` as the load has it (cast to its declared
 * type, CSV dates in the source's date format), with `_delivered` and the
 * row's `_date` from the source's own SQL. A cast DuckDB refuses throws.
 */
export async function matchingRecords(
  db: DuckDBConnection,
  source: Source,
  records: AsyncIterable<SourceRecord>,
  where: string,
  { typed, limit }: { typed?: { delivered: string | null }; limit: number },
): Promise<SourceRecord[]> {
  const field = (j: number) => `c${j}`;
  const named = source.columns.map((c, j) => {
    const cast = !typed ? field(j) : source.csv?.dateFormat && /^DATE$/i.test(c.type) ? `strptime(${field(j)}, ${sqlString(source.csv.dateFormat)})::DATE` : `CAST(${field(j)} AS ${c.type})`;
    return `${cast} AS ${sqlIdentifier(c.name)}`;
  });
  const rows = `SELECT _line, ${named.join(', ')}${typed ? `, ${typed.delivered === null ? 'NULL::VARCHAR' : sqlString(typed.delivered)} AS _delivered` : ''} FROM _raw_records`;
  const matching = (count: number) => `SELECT _line FROM (${typed ? `SELECT *, ${source.time.date} AS _date FROM (${rows})` : rows}) WHERE ${where} ORDER BY _line LIMIT ${count}`;
  await db.run(`CREATE OR REPLACE TEMP TABLE _raw_records (_line INTEGER, ${source.columns.map((_, j) => `${field(j)} VARCHAR`).join(', ')})`);
  const appender = await db.createAppender('_raw_records', 'main', 'temp');
  const found: SourceRecord[] = [];
  let batch = new Map<number, SourceRecord>();
  const search = async () => {
    appender.flushSync();
    if (batch.size > 0) for (const r of await queryRows(db, matching(limit - found.length))) found.push(batch.get(Number(r._line))!);
    await db.run('DELETE FROM _raw_records');
    batch = new Map();
    return found.length >= limit;
  };
  try {
    for await (const row of records) {
      appender.appendInteger(row.line);
      for (const c of source.columns) {
        const value = row.record[c.name];
        if (value === null || value === undefined) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
      batch.set(row.line, row);
      if (batch.size === BATCH && (await search())) return found;
    }
    await search();
    return found;
  } finally {
    try {
      appender.closeSync();
      await db.run('DROP TABLE IF EXISTS _raw_records');
    } catch {
      // an appender a failed batch left unusable: the table goes with the scratch database
    }
  }
}
