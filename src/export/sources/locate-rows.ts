/**
 * Where a failed source check's rows are in the extracts, as `file:line`.
 *
 * The loaded tables keep no file names or line numbers (at 100 million rows
 * they would cost gigabytes, and DuckDB's CSV reader gives no line numbers),
 * so after a check has failed the files are read again here, in order, and
 * the first rows that match are reported. Only a failing export pays for it:
 * the caller passes only the deliveries that hold such rows (about 18 s for
 * an empty key on the last of 2.7 million lines, in the last file of 100
 * million events), and the search stops at the first few rows found. A record over several lines is placed at its last.
 *
 * CSV is parsed with csv-parse (quotes, embedded newlines, a byte-order mark);
 * JSON Lines one JSON object per line. A record's fields are its raw text, its
 * renamed columns under their current names. The check's own SQL condition
 * decides which rows match: DuckDB casts each field to its declared type and
 * computes the row's date with the source's own SQL, as the load does, so a
 * row is found by the same rule that counted it.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse';
import { listed } from '../../lib/format.ts';
import { namesOf, type Source } from '../../lib/model-schema.ts';
import { queryRows } from '../../node/duckdb.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import type { SourceFile } from './sources.ts';

/** Where a source file is read from: the file itself, or for a source with a csv.encoding its UTF-8 copy. */
export const textOf = (root: string, file: SourceFile) => file.copy ?? join(root, file.file);

/** DuckDB's reader over Parquet files, by the files' own columns (none made up from folder names such as file_month=2027-01). */
export const readParquet = (paths: string[], options = '') => `read_parquet([${paths.map(sqlString).join(', ')}], hive_partitioning = false${options ? `, ${options}` : ''})`;

/** The columns of Parquet files (of any of them), with their types; throws when one is not a Parquet file DuckDB can read. */
export async function parquetSchema(db: DuckDBConnection, paths: string[]): Promise<{ name: string; type: string }[]> {
  return (await queryRows(db, `DESCRIBE SELECT * FROM ${readParquet(paths, 'union_by_name = true')}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** Each declared column's names (its own, then its old ones) that Parquet files at `paths` have; names match ignoring case, as DuckDB's do. */
export async function parquetNames(db: DuckDBConnection, source: Source, paths: string[]): Promise<Map<Source['columns'][number], string[]>> {
  const present = new Set((await parquetSchema(db, paths)).map((c) => c.name.toLowerCase()));
  return new Map(source.columns.map((c) => [c, namesOf(c).filter((n) => present.has(n.toLowerCase()))]));
}

/**
 * The select list that reads a source's declared columns from Parquet files
 * (`paths`): each under its name, from its name or an old name the files
 * have (renamed columns merged), cast to its declared type.
 */
export async function parquetColumns(db: DuckDBConnection, source: Source, paths: string[]): Promise<string[]> {
  const names = await parquetNames(db, source, paths);
  return source.columns.map((c) => {
    const casts = names.get(c)!.map((n) => `CAST(${sqlIdentifier(n)} AS ${c.type})`);
    const value = casts.length === 0 ? `NULL::${c.type}` : casts.length === 1 ? casts[0]! : `coalesce(${casts.join(', ')})`;
    return `${value} AS ${sqlIdentifier(c.name)}`;
  });
}

/** A record's declared columns as the file wrote them: text, or null when absent or empty. */
export type RawRecord = Record<string, string | null>;

/** Records sent to DuckDB at a time: enough that a query per batch costs little next to reading the file. */
const BATCH = 50_000;

/**
 * The first `limit` rows of a source's files (in order) for which the SQL
 * condition `where` holds, over the columns as loaded (declared names and
 * types, `_delivered` and `_date`). Best effort: a file this reader cannot
 * parse, or a field DuckDB's cast refuses where the loading reader did not,
 * ends the search with what was found, so the check's own message still stands.
 */
export async function locateRows(db: DuckDBConnection, root: string, source: Source, files: SourceFile[], where: string, limit = 3): Promise<Place[]> {
  const found: Place[] = [];
  try {
    for (const entry of files) {
      const { file, delivered } = entry;
      if (source.format === 'parquet') {
        // Rows of a Parquet file are found by DuckDB itself, counted from 1 in the file.
        const path = textOf(root, entry);
        const rows = `SELECT file_row_number + 1 AS _row, ${(await parquetColumns(db, source, [path])).join(', ')}, ${delivered === null ? 'NULL::VARCHAR' : sqlString(delivered)} AS _delivered
                      FROM ${readParquet([path], 'file_row_number = true')}`;
        const matching = await queryRows(db, `SELECT _row FROM (SELECT *, ${source.time.date} AS _date FROM (${rows})) WHERE ${where} ORDER BY _row LIMIT ${limit - found.length}`);
        for (const { _row } of matching) found.push({ file, line: Number(_row), row: true });
        if (found.length >= limit) break;
        continue;
      }
      // The load read every line, so every line is a record here.
      const records = readable(sourceRecords(textOf(root, entry), source));
      for (const { line } of await matchingRecords(db, source, records, where, { typed: { delivered }, limit: limit - found.length })) found.push({ file, line });
      if (found.length >= limit) break;
    }
  } catch {
    // e.g. a header csv-parse refuses (two columns of one name) where DuckDB read on, or a cast the reader did otherwise
  }
  return found;
}

/** A record of a source file, with its line (and, for JSON Lines, the line's text). */
export type SourceRecord = { line: number; record: RawRecord; text?: string };

/** The records of `rows` up to the first line that is not one (a JSON line that is not an object), which goes to `stop`. */
export async function* readable(rows: ReturnType<typeof sourceRecords>, stop?: (problem: { line: number; problem: string; text: string }) => void): AsyncGenerator<SourceRecord> {
  for await (const row of rows) {
    if ('problem' in row) {
      stop?.(row);
      return;
    }
    yield row;
  }
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
    const cast = !typed ? field(j) : source.format === 'csv' && source.csv?.dateFormat && /^DATE$/i.test(c.type) ? `strptime(${field(j)}, ${sqlString(source.csv.dateFormat)})::DATE` : `CAST(${field(j)} AS ${c.type})`;
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

/**
 * A source file's records in order, each with its line: the declared columns
 * as the file wrote them (and, for JSON Lines, the line's text), or for a
 * JSON line that is not an object, the problem and the text instead (see
 * diagnoseJson).
 */
export async function* sourceRecords(path: string, source: Source): AsyncGenerator<{ line: number; record: RawRecord; text?: string } | { line: number; problem: string; text: string }> {
  // Each declared column, or its first old name the record has (names match ignoring case, as DuckDB's do).
  // An empty CSV field is NULL to DuckDB; an empty JSON string is a string.
  const pick = (fields: Record<string, unknown>, emptyIsNull: boolean): RawRecord => {
    const byName = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
    return Object.fromEntries(
      source.columns.map((c) => {
        const value = namesOf(c).map((n) => byName.get(n.toLowerCase())).find((v) => v !== undefined && v !== null && !(emptyIsNull && v === ''));
        return [c.name, value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value)];
      }),
    );
  };
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    if (source.format === 'csv') {
      const parser = input.pipe(parse({ columns: true, delimiter: source.csv?.delimiter ?? ',', bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        yield { record: pick(record, true), line: info.lines };
      }
      return;
    }
    // JSON Lines: one object per line that is not blank, numbered as an editor numbers them.
    let line = 0;
    let records = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line += 1;
      if (text.trim() === '') continue;
      records += 1;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        // V8 says "… in JSON at position 158 (line 1 column 159)": that line is the text's, so give only the character.
        const problem = (error as Error).message.replace(/ in JSON at position (\d+)(?: \(line \d+ column \d+\))?/, (_, at: string) => ` at character ${Number(at) + 1}`);
        const array = records === 1 && text.trimStart().startsWith('[') ? ' The file looks like one JSON array: write one object per line instead, with no [ ] around them and no commas between.' : '';
        yield { line, problem: `Not valid JSON: ${problem}. Each line must be one JSON object.${array}`, text };
        continue;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) yield { line, problem: 'Not a JSON object: each line must be one object, such as {"id": 1}.', text };
      else yield { line, record: pick(parsed as Record<string, unknown>, false), text };
    }
  } finally {
    input.destroy();
  }
}

export interface Place {
  file: string;
  /** The line, or with `row` the row of a Parquet file (from 1). */
  line: number;
  row?: boolean;
}

/** "a.csv:4" for one line, "a.csv, lines 4 and 9; b.csv:2" for more: each file named once, in order. */
export function placesText(places: Place[]): string {
  const byFile = Map.groupBy(places, (p) => p.file);
  return [...byFile]
    .map(([file, at]) => {
      const numbers = listed(at.map((p) => String(p.line)));
      if (at[0]!.row) return `${file}, ${at.length === 1 ? 'row' : 'rows'} ${numbers}`;
      return at.length === 1 ? `${file}:${at[0]!.line}` : `${file}, lines ${numbers}`;
    })
    .join('; ');
}


/** " First at a.csv:4." for a message, or "" when none was found. */
export const atLines = (places: Place[]) => (places.length === 0 ? '' : ` First at ${placesText(places)}.`);
