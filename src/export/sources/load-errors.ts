/** The messages of a load that failed, shared by the readers (each finds the file and line its own way). */
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../lib/sql-quote.ts';
import { ExportError, firstLines, indent } from '../errors.ts';
import type { SourceFile } from './files.ts';
import type { SourceRun } from './reader.ts';

/** The first bad line of a file: where, what is wrong, and the line's text. */
export interface BadLine {
  file: string;
  line: number;
  problem: string;
  text: string;
}

/**
 * An error of the source's own SQL for a row's date (time.date): a binder
 * or catalog error, or a date or time-zone conversion, that no file reader
 * raised. Null when the error is not one.
 */
export function timeDateError(run: SourceRun, error: unknown): ExportError | null {
  const message = String((error as Error).message ?? error);
  if (!/Binder Error|Catalog Error|Conversion Error.*(timezone|date)/i.test(message) || /read_csv|read_json|CSV|JSON/.test(message)) return null;
  return new ExportError(`${run.at('time', 'date')}  sources[${run.index}].time.date: DuckDB could not compute "${run.source.time.date}".\n${indent(firstLines(error))}`);
}

/**
 * A file that could not be read as its source declares it: at the bad line
 * when the reader found it, else where DuckDB's message points. `utf8Fix`
 * is what to do about bytes that are not UTF-8.
 */
export function readError(run: SourceRun, error: unknown, found: BadLine | null, utf8Fix: string): ExportError {
  const { source, root, files } = run;
  const location = found ? `${found.file}:${found.line}` : (sourceLocation(error, root, files) ?? source.files);
  const detail = found ? `  ${found.problem}\n  Line ${found.line} reads: ${found.text}` : indent(firstLines(error));
  // DuckDB's words for bytes that are not UTF-8 (CSV: "not utf-8 encoded"; JSON: "invalid UTF-8 encoding").
  const fix = /utf-8/i.test(detail) ? utf8Fix : "Fix the file, or the source's columns if the extract changed shape.";
  return new ExportError(`${location}: could not be read as source ${source.id} declares it (${run.at('columns')}).\n${detail}\n${fix}`);
}

/** Why DuckDB cannot cast `value` to `type` (its message, without the kind of error), or null when it can. */
export async function castError(db: DuckDBConnection, value: string, type: string): Promise<string | null> {
  try {
    await db.run(`SELECT CAST(${sqlString(value)} AS ${type})`);
    return null;
  } catch (error) {
    return firstLines(error, 1).replace(/^\w+ Error: /, '');
  }
}

/** The file a DuckDB reader error names (for a UTF-8 copy among `files`, the file it copies), relative to the project, with its line when given. */
export function sourceLocation(error: unknown, root: string, files: SourceFile[] = []): string | null {
  const message = files.reduce((text, f) => (f.copy ? text.replaceAll(f.copy, join(root, f.file)) : text), String((error as Error).message ?? error));
  // A quoted path may hold spaces; an unquoted one starts after a space, a quote or a bracket (all of it, first folder included).
  const file = /file[: ]+"([^"]+\.(?:csv|jsonl?))"/i.exec(message)?.[1] ?? /(?:^|[\s'(])(\/[^\s"']+\.(?:csv|jsonl?))/.exec(message)?.[1];
  if (!file) return null;
  const line = /line[: ]+(\d+)/i.exec(message)?.[1];
  return `${relative(root, file)}${line ? `:${line}` : ''}`;
}
