/**
 * CSV files: DuckDB's CSV reader with the declared types and no guessing,
 * each file's header checked first, and csv-parse to find a row's line.
 * Options (sources.yaml `csv`): delimiter, dateFormat, and encoding for
 * files that are not UTF-8 (read from UTF-8 copies; see utf8Copies).
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { namesOf, type Source } from '../../lib/model-schema.ts';
import { sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import { ExportError, firstLines } from '../errors.ts';
import { declaredTypes, mergedColumns, pathList, refuseMissing } from './columns.ts';
import { textOf } from './files.ts';
import { type BadLine, readError, timeDateError } from './load-errors.ts';
import { FILE_COLUMN, type SourceReader, type SourceRun } from './reader.ts';
import { locateRecords, pickColumns, type Records } from './records.ts';
import { declaredAt, firstLine, headOf, readHead, refuseUtf16, utf8Copies } from './text.ts';

/** Separators a CSV file is re-saved with (Excel in much of Europe writes ";"). */
const SEPARATORS = [',', ';', '\t', '|'];

const delimiterOf = (source: Source) => source.csv?.delimiter ?? ',';

/** How DuckDB reads the source's files: header, separator, quotes, strict, and its date format. */
const dialectOf = (source: Source) =>
  `header = true, delim = ${sqlString(delimiterOf(source))}, quote = '"', escape = '"', strict_mode = true` +
  (source.csv?.dateFormat ? `, dateformat = ${sqlString(source.csv.dateFormat)}` : '');

const unquoted = (name: string) => name.trim().replace(/^"|"$/g, '');

export const csvReader: SourceReader = {
  /**
   * Copies files declared in another encoding as UTF-8 first; then each
   * file: not empty, not UTF-16, a header in UTF-8 (Excel's plain "CSV" is
   * Windows-1252, where £ is not UTF-8), and a header with every declared
   * column (see checkHeader). A byte-order mark and Windows line endings
   * are fine. Each would otherwise surface as a header that matches
   * nothing, or a source with no rows and warnings only.
   */
  async checkFiles(run) {
    await utf8Copies(run);
    for (const entry of run.files) {
      const head = await headOf(run, entry);
      refuseUtf16(run, entry, head, '; or, if it always comes so, set csv: { encoding: utf-16le } on the source (Excel\'s "Unicode text" also separates columns with tabs: delimiter: "\\t").');
      const header = firstLine(head);
      // (A header longer than the head may end in half a character.)
      if (header.includes('\uFFFD') && head.includes(0x0a)) {
        throw new ExportError(
          `${entry.file}:1: the header is not UTF-8 text (shown as �): ${header.slice(0, 200)}\n` +
            `Source ${declaredAt(run)} is read as UTF-8. Save the file as UTF-8 (in Excel: Save As "CSV UTF-8"; plain "CSV" is Windows-1252, where £ is not UTF-8); ` +
            'or, if it always comes so, set csv: { encoding: windows-1252 } on the source.',
        );
      }
      checkHeader(run, entry.file, header);
    }
  },

  async relation(run) {
    return {
      from: `read_csv(${pathList(run)}, ${dialectOf(run.source)}, union_by_name = true, filename = ${sqlString(FILE_COLUMN)}, types = ${declaredTypes(run.source)})`,
      columns: mergedColumns(run.source),
    };
  },

  async explain(run, error) {
    return (
      timeDateError(run, error) ??
      readError(
        run,
        error,
        await firstBadLine(run),
        `Save the file as UTF-8 (in Excel: Save As "CSV UTF-8"; plain "CSV" is Windows-1252), or ask ${run.source.owner} for a UTF-8 extract; or, if it always comes so, set csv: { encoding: windows-1252 } on the source.`,
      )
    );
  },

  locate: (run, entry, where, limit) => locateRecords(run, entry, where, limit, csvRecords),
};

/**
 * Every declared column (or one of its old names) in a CSV file's header:
 * files are read by column name, so a column missing from one file would
 * otherwise be empty for all of that file's rows. Names match as DuckDB
 * matches them, ignoring case.
 */
function checkHeader(run: SourceRun, file: string, header: string): void {
  const { source } = run;
  const delimiter = delimiterOf(source);
  const namesBy = (d: string) => header.split(d).map(unquoted);
  const fits = (d: string) => {
    const lower = new Set(namesBy(d).map((n) => n.toLowerCase()));
    return source.columns.every((c) => namesOf(c).some((n) => lower.has(n.toLowerCase())));
  };
  // A file re-saved with another separator (Excel in much of Europe writes ";"): its header splits into the declared columns by that one.
  const other = fits(delimiter) ? undefined : SEPARATORS.find((d) => d !== delimiter && fits(d));
  const shown = (d: string) => (d === '\t' ? 'a tab' : `"${d}"`);
  refuseMissing(run, namesBy(delimiter), {
    at: `${file}:1`,
    shown: `The header reads: ${header.slice(0, 200)}`,
    fix: other
      ? `The file's columns are separated by ${shown(other)}, not ${shown(delimiter)}: ask for it again with ${shown(delimiter)}, or, if ${shown(other)} is here to stay, set csv: { delimiter: ${JSON.stringify(other)} } on the source`
      : `Fix the file${source.csv?.delimiter ? ` (columns separated by ${shown(delimiter)})` : ''}`,
    renamed: !other,
  });
}

/**
 * The first bad line of a CSV source: reads each file on its own with the
 * declared types and no guessing, keeping rejected lines (DuckDB's reject
 * store), and returns the first one.
 */
async function firstBadLine(run: SourceRun): Promise<BadLine | null> {
  const { db, root, source } = run;
  const declared = new Map(source.columns.flatMap((c) => namesOf(c).map((name) => [name, c.type] as const)));
  for (const entry of run.files) {
    const { file } = entry;
    const header = firstLine(await readHead(textOf(root, entry))).split(delimiterOf(source)).map(unquoted);
    const columns = header.map((name) => `${sqlString(name)}: ${sqlString(declared.get(name) ?? 'VARCHAR')}`).join(', ');
    try {
      // Materialised, so every column is converted (a count alone would skip them).
      await db.run(`CREATE OR REPLACE TEMP TABLE _diagnosis AS SELECT * FROM read_csv(${sqlString(textOf(root, entry))}, ${dialectOf(source)}, auto_detect = false, columns = {${columns}}, store_rejects = true)`);
      const [reject] = await queryRows(db, 'SELECT line, error_message, csv_line FROM reject_errors ORDER BY line LIMIT 1');
      if (reject) return { file, line: Number(reject.line), problem: firstLines(String(reject.error_message), 2), text: String(reject.csv_line) };
    } catch (error) {
      const message = String((error as Error).message ?? error);
      const problem = message.split('\n').filter((l) => l.trim() !== '' && !/^(Original Line|CSV Error on Line)/i.test(l.replace(/^\w+ Error: /, '')));
      return {
        file,
        line: Number(/line:? (\d+)/i.exec(message)?.[1] ?? 1),
        problem: problem.slice(0, 2).join('\n  ').replace(/^\w+ Error: /, ''),
        text: /Original Line: (.*)/.exec(message)?.[1] ?? '(not shown by DuckDB)',
      };
    }
  }
  return null;
}

/** A CSV file's records in order, each with its line (csv-parse: quotes, embedded newlines, a byte-order mark; a record over several lines is placed at its last). */
async function* csvRecords(path: string, source: Source): Records {
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    const parser = input.pipe(parse({ columns: true, delimiter: delimiterOf(source), bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { record: pickColumns(source, record, true), line: info.lines };
    }
  } finally {
    input.destroy();
  }
}
