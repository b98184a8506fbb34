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
      for await (const { record, line } of records(join(root, file), source)) {
        if (!matches(record)) continue;
        found.push({ file, line });
        if (found.length >= limit) return found;
      }
    }
  } catch {
    // e.g. a header csv-parse refuses (two columns of one name) where DuckDB read on
  }
  return found;
}

async function* records(path: string, source: Source): AsyncGenerator<{ record: RawRecord; line: number }> {
  // Each declared column, or its first old name the file has (names match ignoring case, as DuckDB's do).
  const pick = (fields: Record<string, unknown>): RawRecord => {
    const byName = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
    return Object.fromEntries(
      source.columns.map((c) => {
        const value = [c.name, ...c.renamedFrom].map((n) => byName.get(n.toLowerCase())).find((v) => v !== undefined && v !== null && v !== '');
        return [c.name, value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value)];
      }),
    );
  };
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    if (source.format === 'csv') {
      const parser = input.pipe(parse({ columns: true, delimiter: source.csv?.delimiter ?? ',', bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        yield { record: pick(record), line: info.lines };
      }
    } else {
      for await (const { line, text } of jsonLines(input)) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) yield { record: pick(parsed as Record<string, unknown>), line };
        } catch {
          // a line that is not JSON stopped the load already (see diagnoseJson)
        }
      }
    }
  } finally {
    input.destroy();
  }
}

/** The lines of a JSON Lines file that are not blank, numbered as an editor numbers them. */
export async function* jsonLines(input: NodeJS.ReadableStream): AsyncGenerator<{ line: number; text: string }> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() !== '') yield { line, text };
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
