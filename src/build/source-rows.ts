/**
 * Where a failed source check's rows are in the extracts, as `file:line`.
 *
 * The loaded tables keep no file names or line numbers (at 100 million rows
 * they would cost gigabytes, and DuckDB's CSV reader gives no line numbers),
 * so after a check has failed the files are read again here, in order, and
 * the first rows that match are reported. Only a failing export pays for it:
 * the caller passes only the deliveries that hold such rows (11 s for an
 * empty key at the end of 100 million events), and the search stops at the
 * first few rows found. A record over several lines is placed at its last.
 *
 * CSV is parsed with csv-parse (quotes, embedded newlines, a byte-order mark);
 * JSON Lines one JSON object per line. A record's fields are its raw text, its
 * renamed columns under their current names, so a predicate sees what the
 * file says.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Source } from '../lib/model-schema.ts';
import type { SourceFile } from './export-sources.ts';

/** A record's declared columns as the file wrote them: text, or null when absent or empty. */
export type RawRecord = Record<string, string | null>;

/**
 * The first `limit` rows of a source's files (in order) for which `matches`
 * holds. Best effort: a file this reader cannot parse ends the search with
 * what was found, so the check's own message still stands.
 */
export async function locateRows(root: string, source: Source, files: SourceFile[], matches: (record: RawRecord) => boolean, limit = 3): Promise<Place[]> {
  const found: Place[] = [];
  try {
    for (const { file } of files) {
      for await (const row of sourceRecords(join(root, file), source)) {
        if (!('record' in row) || !matches(row.record)) continue;
        const { line } = row;
        found.push({ file, line });
        if (found.length >= limit) return found;
      }
    }
  } catch {
    // e.g. a header csv-parse refuses (two columns of one name) where DuckDB read on
  }
  return found;
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
        const value = [c.name, ...c.renamedFrom].map((n) => byName.get(n.toLowerCase())).find((v) => v !== undefined && v !== null && !(emptyIsNull && v === ''));
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
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line += 1;
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        // V8 says "… in JSON at position 158 (line 1 column 159)": that line is the text's, so give only the character.
        const problem = (error as Error).message.replace(/ in JSON at position (\d+)(?: \(line \d+ column \d+\))?/, (_, at: string) => ` at character ${Number(at) + 1}`);
        yield { line, problem: `Not valid JSON: ${problem}. Each line must be one JSON object.`, text };
        continue;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) yield { line, problem: 'Not a JSON object: each line must be one object, such as {"id": 1}.', text };
      else yield { line, record: pick(parsed as Record<string, unknown>, false), text };
    }
  } finally {
    input.destroy();
  }
}

/** The same value as DuckDB reads it, for the text of a key: "007" is 7 in an INTEGER column. */
export function sameValue(raw: string | null, value: string | null, type: string): boolean {
  if (raw === null || value === null) return raw === value;
  if (/INT|DECIMAL|NUMERIC|DOUBLE|FLOAT|REAL/i.test(type)) return raw.trim() !== '' && Number(raw) === Number(value);
  return raw === value;
}

export interface Place {
  file: string;
  line: number;
}

/** "a.csv:4" for one line, "a.csv, lines 4 and 9; b.csv:2" for more: each file named once, in order. */
export function placesText(places: Place[]): string {
  const byFile = Map.groupBy(places, (p) => p.file);
  return [...byFile].map(([file, at]) => (at.length === 1 ? `${file}:${at[0]!.line}` : `${file}, lines ${listed(at.map((p) => String(p.line)))}`)).join('; ');
}

const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** " First at a.csv:4." for a message, or "" when none was found. */
export const atLines = (places: Place[]) => (places.length === 0 ? '' : ` First at ${placesText(places)}.`);
