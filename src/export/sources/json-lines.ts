/**
 * JSON Lines files (format: json): one object a line, read by DuckDB's JSON
 * reader with the declared types; each file must have each declared key in
 * some record. DuckDB's line numbers for JSON are approximate, so a bad line
 * is found by reading the file again line by line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Source } from '../../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import { ExportError } from '../errors.ts';
import { declaredTypes, mergedColumns, pathList, refuseMissing } from './columns.ts';
import { textOf } from './files.ts';
import { type BadLine, castError, readError, timeDateError } from './load-errors.ts';
import { FILE_COLUMN, type SourceReader, type SourceRun } from './reader.ts';
import { locateRecords, matchingRecords, type NotARecord, pickColumns, readable, type Records } from './records.ts';
import { bomOf, declaredAt, headOf, refuseUtf16 } from './text.ts';

export const jsonLinesReader: SourceReader = {
  /**
   * Each file: not empty, not UTF-16, no byte-order mark (DuckDB's JSON
   * reader refuses one: the message would blame an invisible character);
   * then each file's keys (see checkKeys).
   */
  async checkFiles(run) {
    for (const entry of run.files) {
      const head = await headOf(run, entry);
      refuseUtf16(run, entry, head);
      if (bomOf(head) === 'utf-8') {
        throw new ExportError(
          `${entry.file}:1: the file starts with a byte-order mark (BOM), which DuckDB's JSON reader refuses. Source ${declaredAt(run)} reads it.\n` +
            'Save it as UTF-8 without a BOM (editors offer "UTF-8" next to "UTF-8 with BOM").',
        );
      }
    }
    await checkKeys(run);
  },

  async relation(run) {
    return {
      from: `read_json(${pathList(run)}, format = 'newline_delimited', filename = ${sqlString(FILE_COLUMN)}, columns = ${declaredTypes(run.source)})`,
      columns: mergedColumns(run.source),
    };
  },

  async explain(run, error) {
    const notUtf8Bytes = /utf-8/i.test(String((error as Error).message ?? error));
    return timeDateError(run, error) ?? readError(run, error, await firstBadLine(run, notUtf8Bytes), `Save the file as UTF-8, or ask ${run.source.owner} for a UTF-8 extract.`);
  },

  locate: (run, entry, where, limit) => locateRecords(run, entry, where, limit, jsonRecords),
};

/**
 * Every declared column (or an old name) is a key of at least one record of
 * each file. A key no record has would be read as empty in every row,
 * silently (a renamed key, say). A file DuckDB cannot read here is left to
 * the load, which says where it breaks.
 */
async function checkKeys(run: SourceRun): Promise<void> {
  for (const entry of run.files) {
    let keys: string[];
    try {
      keys = (await queryRows(run.db, `SELECT DISTINCT unnest(json_keys(json)) AS k FROM read_ndjson_objects(${sqlString(textOf(run.root, entry))}) ORDER BY k`)).map((r) => String(r.k));
    } catch {
      continue;
    }
    if (keys.length === 0) continue;
    refuseMissing(run, keys, {
      at: entry.file,
      shown: `Its records' keys: ${keys.join(', ').slice(0, 200)}`,
      fix: 'Fix the file (a record may leave out an empty value, but some record must have each key)',
      noun: 'key',
    });
  }
}

/**
 * The first bad line of a JSON Lines source, read again line by line (see
 * jsonRecords): the first line that is not a JSON object, or that holds a
 * value DuckDB cannot cast to its column's declared type (see
 * matchingRecords), or with `notUtf8Bytes` (DuckDB's error said so) the
 * first holding bytes that are not UTF-8. Null when every line reads.
 */
async function firstBadLine(run: SourceRun, notUtf8Bytes: boolean): Promise<BadLine | null> {
  const { db, root, source } = run;
  const found = (file: string, line: number, problem: string, text: string) => ({ file, line, problem, text: text.length > 200 ? `${text.slice(0, 200)}…` : text });
  const castable = source.columns.map((c) => `(${sqlIdentifier(c.name)} IS NULL OR TRY_CAST(${sqlIdentifier(c.name)} AS ${c.type}) IS NOT NULL)`).join(' AND ');
  for (const entry of run.files) {
    const { file } = entry;
    let notObject: NotARecord | undefined;
    // Lines up to the first that is not an object (or, when DuckDB refused bytes that are not UTF-8, the first
    // with a �, which is then such a byte rather than the character itself): one that does not cast comes before it.
    const lines = jsonRecords(textOf(root, entry), source);
    const records = readable(notUtf8Bytes ? notUtf8(lines) : lines, (problem) => (notObject = problem));
    const [bad] = await matchingRecords(db, source, records, `NOT (${castable})`, { limit: 1 });
    for (const column of bad ? source.columns : []) {
      const value = bad!.record[column.name];
      if (value === null || value === undefined) continue;
      const problem = await castError(db, value, column.type);
      if (problem !== null) return found(file, bad!.line, `"${column.name}" is ${JSON.stringify(value)}, which is not a ${column.type}: ${problem}`, bad!.text ?? '');
    }
    if (notObject) return found(file, notObject.line, notObject.problem, notObject.text);
  }
  return null;
}

/** Records until the first whose text holds bytes that are not UTF-8 (decoded as �), which becomes a problem. */
async function* notUtf8(rows: Records): Records {
  for await (const row of rows) {
    if (!('problem' in row) && row.text?.includes('\uFFFD')) {
      yield { line: row.line, problem: 'Not UTF-8 text: the bytes shown as � are not UTF-8.', text: row.text };
      return;
    }
    yield row;
  }
}

/**
 * A JSON Lines file's records in order, one object a line that is not
 * blank, numbered as an editor numbers them, each with its text; a line that
 * is not an object gives the problem instead.
 */
async function* jsonRecords(path: string, source: Source): Records {
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
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
      else yield { line, record: pickColumns(source, parsed as Record<string, unknown>, false), text };
    }
  } finally {
    input.destroy();
  }
}
