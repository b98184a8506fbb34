/**
 * Export, step 1: raw sources into DuckDB tables, and the checks that need
 * only the source. Each table keeps the source's columns (renamed columns
 * merged under their current name) plus `_date`, the row's UK date, and
 * `_delivered`, the month its file was delivered (null when the source has
 * no delivery pattern).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { basename, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { countOf, days, formatDay, formatDayRange, listed } from '../../lib/format.ts';
import type { Manifest } from '../../lib/manifest.ts';
import { type Model, namesOf, type Source, textEncoding } from '../../lib/model-schema.ts';
import { queryRows } from '../../node/duckdb.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { closest, type LoadedModel } from '../../node/load-model.ts';
import { atLines, locateRows, matchingRecords, parquetColumns, parquetNames, parquetSchema, type Place, placesText, readable, readParquet, sourceRecords, textOf } from './locate-rows.ts';

export class ExportError extends Error {
  override name = 'ExportError';
}

export interface SourceFile {
  file: string;
  bytes: number;
  sha256: string;
  delivered: string | null;
  /** Where its text is read from when not the file itself: its UTF-8 copy, for a source with a csv.encoding (see utf8Copies). */
  copy?: string;
}

type Check = Manifest['checks'][number];

export const tableOf = (source: Source) => sqlIdentifier(`src_${source.id}`);

/**
 * Files matching a source's pattern (checksums come later, from
 * checksumFiles); none is an error that says what to do.
 */
export async function sourceFiles(db: DuckDBConnection, root: string, sourcesDir: string, source: Source, where: LoadedModel['where'], index: number): Promise<SourceFile[]> {
  const pattern = join(sourcesDir, source.files);
  const rows = await queryRows(db, `SELECT file FROM glob(${sqlString(pattern)}) ORDER BY file`);
  if (rows.length === 0) {
    throw new ExportError(
      `${relative(root, pattern)}: no file matches. Source ${source.id} (${where('sources', ['sources', index, 'files'])}) reads it. ` +
        'Run `npm run demo-data` for the demo extracts, or fix the pattern.',
    );
  }
  const files = rows.map((row) => {
    const file = String(row.file);
    return { file: relative(root, file), bytes: 0, sha256: '', delivered: deliveredMonth(source, file) };
  });
  const undated = source.delivery ? files.filter((f) => f.delivered === null) : [];
  if (undated.length > 0) {
    throw new ExportError(
      `${undated[0]!.file}${undated.length > 1 ? ` (and ${countOf(undated.length - 1, 'other file')})` : ''}: the name does not match the delivery pattern ${source.delivery!.pattern} ` +
        `of source ${source.id} (${where('sources', ['sources', index, 'delivery', 'pattern'])}), so the export cannot tell which month it was delivered in. ` +
        'Rename the file to match, move it out of the folder, or fix the pattern.',
    );
  }
  return files;
}

/**
 * Fills in each file's size and SHA-256, one file after another. The export
 * runs this while DuckDB loads the same files (the hashing is on Node's
 * thread, the loading on DuckDB's), so the checksums cost little extra time.
 * `signal` stops it early when the export fails.
 */
export async function checksumFiles(root: string, files: SourceFile[], signal: AbortSignal): Promise<void> {
  for (const entry of files) {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(join(root, entry.file), { highWaterMark: 4 * 1024 * 1024, signal })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    entry.bytes = bytes;
    entry.sha256 = hash.digest('hex');
  }
}

function deliveredMonth(source: Source, file: string): string | null {
  if (!source.delivery) return null;
  const match = new RegExp(source.delivery.pattern).exec(file);
  return match ? `${match[1]}-${match[2]}` : null;
}

/**
 * Every declared column type is one DuckDB knows, checked before any file is
 * read: a typo (VARCHR) names its line in sources.yaml, with the type it
 * probably means, instead of failing on the first file read. A column's
 * notBefore names one it can be compared with.
 */
export async function checkColumnTypes(db: DuckDBConnection, model: Model, where: LoadedModel['where']): Promise<void> {
  for (const [i, source] of model.sources.entries()) {
    for (const [j, column] of source.columns.entries()) {
      try {
        await db.run(`SELECT NULL::${column.type}`);
      } catch (error) {
        const known = (await queryRows(db, 'SELECT DISTINCT type_name FROM duckdb_types() ORDER BY ALL')).map((r) => String(r.type_name));
        const guess = closest(column.type.toUpperCase(), known);
        throw new ExportError(
          `${where('sources', ['sources', i, 'columns', j, 'type'])}  sources[${i}].columns[${j}].type: "${column.type}" (column ${column.name} of ${source.id}) is not a type DuckDB knows: ${firstLines(error, 1).replace(/^\w+ Error: /, '')}\n` +
            (guess ? `  Did you mean "${guess}"? ` : '  ') +
            'Types in use: VARCHAR, BIGINT, INTEGER, DOUBLE, DECIMAL(12,2), BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ.',
        );
      }
    }
    // A column that cannot come before another must be comparable with it (a DATE with a TIMESTAMPTZ is; a DATE with a BIGINT is not).
    for (const [j, column] of source.columns.entries()) {
      const other = source.columns.find((c) => c.name === column.notBefore);
      if (!other) continue;
      try {
        await db.run(`SELECT NULL::${column.type} < NULL::${other.type}`);
      } catch {
        throw new ExportError(
          `${where('sources', ['sources', i, 'columns', j, 'notBefore'])}  sources[${i}].columns[${j}].notBefore: ${column.name} (${column.type}) cannot be compared with ${other.name} (${other.type}). ` +
            'Name a column of a comparable type, such as two dates or timestamps.',
        );
      }
    }
  }
}

/** The column DuckDB's readers add with each row's file: not "filename", which an extract may have (an attachment's, say). */
const FILE_COLUMN = '_source_file';

/** Loads every file of a source into `src_<id>`; a file that does not parse names itself and the line (for Parquet, the row). */
export async function loadSource(db: DuckDBConnection, root: string, source: Source, files: SourceFile[], where: LoadedModel['where'], index: number, copies: string): Promise<void> {
  await utf8Copies(root, source, files, copies, where, index);
  const list = `[${files.map((f) => sqlString(textOf(root, f))).join(', ')}]`;
  // Each column under its name and its old names (a JSON record without one of them reads it as NULL, as a CSV file without it does).
  const types = source.columns.flatMap((c) => namesOf(c).map((name) => `${sqlString(name)}: ${sqlString(c.type)}`));
  const dialect = `header = true, delim = ${sqlString(source.csv?.delimiter ?? ',')}, quote = '"', escape = '"', strict_mode = true` +
    (source.csv?.dateFormat ? `, dateformat = ${sqlString(source.csv.dateFormat)}` : '');
  const reader =
    source.format === 'csv'
      ? `read_csv(${list}, ${dialect}, union_by_name = true, filename = ${sqlString(FILE_COLUMN)}, types = {${types.join(', ')}})`
      : source.format === 'json'
        ? `read_json(${list}, format = 'newline_delimited', filename = ${sqlString(FILE_COLUMN)}, columns = {${types.join(', ')}})`
        : readParquet(files.map((f) => textOf(root, f)), `union_by_name = true, filename = ${sqlString(FILE_COLUMN)}`);
  await checkFiles(root, source, files, where, index);
  if (source.format === 'json') await checkJsonKeys(db, root, source, files, where, index);
  if (source.format === 'parquet') await checkParquetColumns(db, root, source, files, where, index);
  const columns =
    source.format === 'parquet'
      ? await parquetColumns(db, source, files.map((f) => textOf(root, f)))
      : source.columns.map((c) => (c.renamedFrom.length > 0 ? `coalesce(${namesOf(c).map(sqlIdentifier).join(', ')}) AS ${sqlIdentifier(c.name)}` : sqlIdentifier(c.name)));
  // Each row's delivery month is its file's, as sourceFiles read it from the file's name (a UTF-8 copy's name is not the file's).
  // The reader gives a batch of rows its file's name once, so this costs what the regular expression on the name did (measured at 10 million events).
  const delivered = !source.delivery
    ? 'NULL::VARCHAR'
    : `CASE ${sqlIdentifier(FILE_COLUMN)} ${files.map((f) => `WHEN ${sqlString(textOf(root, f))} THEN ${sqlString(String(f.delivered))}`).join(' ')} END`;
  // The row's UK date is computed as the rows stream in (its SQL may use the merged, renamed columns).
  const load = `CREATE OR REPLACE TABLE ${tableOf(source)} AS
      SELECT *, ${source.time.date} AS _date FROM (SELECT ${columns.join(', ')}, ${delivered} AS _delivered FROM ${reader})`;
  try {
    await db.run(load);
  } catch (error) {
    const message = String((error as Error).message ?? error);
    // A Parquet value that does not cast to its column's declared type: the file, the row and the value.
    const badValue = source.format === 'parquet' ? await diagnoseParquet(db, root, source, files) : null;
    if (badValue) throw new ExportError(`${badValue}\nFix the file, or the column's type (${where('sources', ['sources', index, 'columns'])}) if the extract changed.`);
    if (/Binder Error|Catalog Error|Conversion Error.*(timezone|date)/i.test(message) && !/read_csv|read_json|CSV|JSON/.test(message)) {
      throw new ExportError(`${where('sources', ['sources', index, 'time', 'date'])}  sources[${index}].time.date: DuckDB could not compute "${source.time.date}".\n${indent(firstLines(error))}`);
    }
    const found = source.format === 'csv' ? await diagnoseCsv(db, root, source, files, dialect) : await diagnoseJson(db, root, source, files, /utf-8/i.test(message));
    const location = found ? `${found.file}:${found.line}` : (sourceLocation(error, root, files) ?? source.files);
    const detail = found ? `  ${found.problem}\n  Line ${found.line} reads: ${found.text}` : indent(firstLines(error));
    // DuckDB's words for bytes that are not UTF-8 (CSV: "not utf-8 encoded"; JSON: "invalid UTF-8 encoding").
    const fix = /utf-8/i.test(detail)
      ? `Save the file as UTF-8${source.format === 'csv' ? ' (in Excel: Save As "CSV UTF-8"; plain "CSV" is Windows-1252)' : ''}, or ask ${source.owner} for a UTF-8 extract${source.format === 'csv' ? `; or, if it always comes so, set csv: { encoding: windows-1252 } on the source` : ''}.`
      : "Fix the file, or the source's columns if the extract changed shape.";
    throw new ExportError(`${location}: could not be read as source ${source.id} declares it (${where('sources', ['sources', index, 'columns'])}).\n${detail}\n${fix}`);
  }
}

/** Byte-order marks, and the encoding each starts. */
const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** The encoding whose byte-order mark `bytes` (a file's first) start with, if any. */
const bomOf = (bytes: Buffer) => BOMS.find(([mark]) => mark.every((b, j) => bytes[j] === b))?.[1];

/** Why DuckDB cannot cast `value` to `type` (its message, without the kind of error), or null when it can. */
async function castError(db: DuckDBConnection, value: string, type: string): Promise<string | null> {
  try {
    await db.run(`SELECT CAST(${sqlString(value)} AS ${type})`);
    return null;
  } catch (error) {
    return firstLines(error, 1).replace(/^\w+ Error: /, '');
  }
}

/**
 * For a source whose CSV files are not UTF-8 (csv.encoding; Excel's plain
 * "CSV" is Windows-1252), writes each file's text as UTF-8 into `dir` and
 * notes the copy on the file: DuckDB and csv-parse read the copies, and since
 * every line stays a line, messages still name the file and its line. The
 * checksums are of the files as delivered. A file in another encoding than
 * the one declared is refused, as decoding it would garble its text ("£"
 * written as UTF-8 reads as "Â£" in Windows-1252): one that starts with
 * another encoding's byte-order mark, or, when UTF-8 is not declared, one
 * whose bytes beyond ASCII all read as UTF-8 (text in Windows-1252 hardly ever does).
 */
async function utf8Copies(root: string, source: Source, files: SourceFile[], dir: string, where: LoadedModel['where'], index: number): Promise<void> {
  const encoding = textEncoding(source);
  if (!encoding) return;
  const label = source.csv!.encoding!;
  const declared = `source ${source.id} declares csv.encoding ${label} (${where('sources', ['sources', index, 'csv', 'encoding'])})`;
  mkdirSync(dir, { recursive: true });
  for (const [i, entry] of files.entries()) {
    const copy = join(dir, `${i}-${basename(entry.file)}`);
    const decoder = new TextDecoder(encoding);
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let bom: string | undefined;
    let ascii = true;
    let readsAsUtf8 = true;
    await pipeline(
      createReadStream(join(root, entry.file), { highWaterMark: 1024 * 1024 }),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bom ??= bomOf(chunk) ?? '';
          ascii &&= isAscii(chunk);
          if (!ascii && readsAsUtf8) {
            try {
              utf8.decode(chunk, { stream: true });
            } catch {
              readsAsUtf8 = false;
            }
          }
          yield decoder.decode(chunk, { stream: true });
        }
        yield decoder.decode();
      },
      createWriteStream(copy),
    );
    try {
      utf8.decode();
    } catch {
      readsAsUtf8 = false;
    }
    const found = bom && bom !== encoding ? bom : !bom && !ascii && readsAsUtf8 ? 'utf-8' : null;
    if (found) {
      throw new ExportError(
        `${entry.file}: the file is ${found.toUpperCase()} text${bom ? ' (it starts with its byte-order mark)' : ''}, but ${declared}: read as ${encoding}, its text would be garbled.\n` +
          (found === 'utf-8' ? 'If the extract now comes as UTF-8, remove csv.encoding from the source' : `Set csv.encoding to ${found}`) +
          `; if only this file differs, ask ${source.owner} for it in ${label}.`,
      );
    }
    entry.copy = copy;
  }
}

/**
 * What each file's first bytes say before any of it is read: an empty file
 * (a failed extract), UTF-16 text (Excel's "Unicode text"), a JSON Lines file
 * with a byte-order mark (DuckDB's JSON reader refuses one; its CSV reader
 * skips it), or a CSV header that is not UTF-8 (Excel's plain "CSV" is
 * Windows-1252, where £ is not UTF-8). Each would otherwise surface as a
 * header that matches nothing, a JSON error blaming an invisible character,
 * or a source with no rows and warnings only. Then a CSV file's header (see
 * checkHeader), from the same bytes.
 */
async function checkFiles(root: string, source: Source, files: SourceFile[], where: LoadedModel['where'], index: number): Promise<void> {
  const declared = `${source.id} (${where('sources', ['sources', index, 'files'])})`;
  for (const entry of files) {
    const { file } = entry;
    const head = await readHead(textOf(root, entry));
    if (head.length === 0) {
      throw new ExportError(
        `${file}: the file is empty (0 bytes), so its extract probably failed. Source ${declared} reads it.\n` +
          `Ask ${source.owner} for it again, or move it out of the folder if it was delivered by mistake.`,
      );
    }
    // A Parquet file's bytes are not text: whether DuckDB can read it is checked next (checkParquetColumns).
    if (source.format === 'parquet') continue;
    const bom = bomOf(head);
    if (bom?.startsWith('utf-16')) {
      throw new ExportError(
        `${file}: the file is UTF-16 text (it starts with a UTF-16 byte-order mark), but source ${declared} is read as UTF-8.\n` +
          `Save it as UTF-8 (in Excel: Save As "CSV UTF-8"), or ask ${source.owner} for a UTF-8 extract` +
          (source.format === 'csv' ? '; or, if it always comes so, set csv: { encoding: utf-16le } on the source (Excel\'s "Unicode text" also separates columns with tabs: delimiter: "\\t").' : '.'),
      );
    }
    if (source.format === 'json' && bom === 'utf-8') {
      throw new ExportError(
        `${file}:1: the file starts with a byte-order mark (BOM), which DuckDB's JSON reader refuses. Source ${declared} reads it.\n` +
          'Save it as UTF-8 without a BOM (editors offer "UTF-8" next to "UTF-8 with BOM").',
      );
    }
    const header = firstLine(head);
    // (A header longer than the head may end in half a character.)
    if (source.format === 'csv' && header.includes('\uFFFD') && head.includes(0x0a)) {
      throw new ExportError(
        `${file}:1: the header is not UTF-8 text (shown as �): ${header.slice(0, 200)}\n` +
          `Source ${declared} is read as UTF-8. Save the file as UTF-8 (in Excel: Save As "CSV UTF-8"; plain "CSV" is Windows-1252, where £ is not UTF-8); ` +
            'or, if it always comes so, set csv: { encoding: windows-1252 } on the source.',
      );
    }
    if (source.format === 'csv') checkHeader(source, file, header, where, index);
  }
}

/**
 * Every declared column (or one of its old names) in a CSV file's header:
 * files are read by column name, so a column missing from one file would
 * otherwise be empty for all of that file's rows. Names match as DuckDB
 * matches them, ignoring case.
 */
function checkHeader(source: Source, file: string, header: string, where: LoadedModel['where'], index: number): void {
  const delimiter = source.csv?.delimiter ?? ',';
  const namesBy = (d: string) => header.split(d).map(unquoted);
  const fits = (d: string) => {
    const lower = new Set(namesBy(d).map((n) => n.toLowerCase()));
    return source.columns.every((c) => namesOf(c).some((n) => lower.has(n.toLowerCase())));
  };
  // A file re-saved with another separator (Excel in much of Europe writes ";"): its header splits into the declared columns by that one.
  const other = fits(delimiter) ? undefined : SEPARATORS.find((d) => d !== delimiter && fits(d));
  const shown = (d: string) => (d === '\t' ? 'a tab' : `"${d}"`);
  refuseMissing(source, namesBy(delimiter), where, index, {
    at: `${file}:1`,
    shown: `The header reads: ${header.slice(0, 200)}`,
    fix: other
      ? `The file's columns are separated by ${shown(other)}, not ${shown(delimiter)}: ask for it again with ${shown(delimiter)}, or, if ${shown(other)} is here to stay, set csv: { delimiter: ${JSON.stringify(other)} } on the source`
      : `Fix the file${source.csv?.delimiter ? ` (columns separated by ${shown(delimiter)})` : ''}`,
    renamed: !other,
  });
}

/**
 * The same for JSON Lines: every declared column (or an old name) is a key of
 * at least one record of each file. A key no record has would be read as
 * empty in every row, silently (a renamed key, say). A file DuckDB cannot
 * read here is left to the load, which says where it breaks.
 */
async function checkJsonKeys(db: DuckDBConnection, root: string, source: Source, files: SourceFile[], where: LoadedModel['where'], index: number): Promise<void> {
  for (const entry of files) {
    const { file } = entry;
    let keys: string[];
    try {
      keys = (await queryRows(db, `SELECT DISTINCT unnest(json_keys(json)) AS k FROM read_ndjson_objects(${sqlString(textOf(root, entry))}) ORDER BY k`)).map((r) => String(r.k));
    } catch {
      continue;
    }
    if (keys.length === 0) continue;
    refuseMissing(source, keys, where, index, {
      at: file,
      shown: `Its records' keys: ${keys.join(', ').slice(0, 200)}`,
      fix: 'Fix the file (a record may leave out an empty value, but some record must have each key)',
    });
  }
}

/**
 * The same for Parquet: each file is one DuckDB reads, and has every declared
 * column (or an old name), of a type that can be cast to the declared one
 * (a value that does not cast is found when loading, with its row; see
 * diagnoseParquet). Parquet files carry their own column types, so the load
 * casts each column to its declared type.
 */
async function checkParquetColumns(db: DuckDBConnection, root: string, source: Source, files: SourceFile[], where: LoadedModel['where'], index: number): Promise<void> {
  for (const entry of files) {
    const { file } = entry;
    let columns: { name: string; type: string }[];
    try {
      columns = await parquetSchema(db, [textOf(root, entry)]);
    } catch (error) {
      throw new ExportError(
        `${file}: not a Parquet file DuckDB can read (${firstLines(error, 1).replace(/^[\w ]+ Error: /, '').replace(` '${textOf(root, entry)}'`, '')}). Source ${source.id} (${where('sources', ['sources', index, 'format'])}) reads its files as Parquet.\n` +
          `Ask ${source.owner} for it again (a copy cut short, or a file of another format under a .parquet name), or move it out of the folder.`,
      );
    }
    refuseMissing(source, columns.map((c) => c.name), where, index, {
      at: file,
      shown: `Its columns: ${columns.map((c) => `${c.name} (${c.type})`).join(', ').slice(0, 300)}`,
      fix: 'Fix the file',
    });
    for (const [j, column] of source.columns.entries()) {
      for (const found of columns.filter((c) => namesOf(column).some((n) => n.toLowerCase() === c.name.toLowerCase()))) {
        try {
          await db.run(`SELECT TRY_CAST(NULL::${found.type} AS ${column.type})`);
        } catch {
          throw new ExportError(
            `${file}: column ${found.name} is ${found.type}, which cannot be read as ${column.type}, the type source ${source.id} declares for ${column.name} (${where('sources', ['sources', index, 'columns', j, 'type'])}).\n` +
              `Fix the file, or the column's type if the extract changed.`,
          );
        }
      }
    }
  }
}

/** Refuses a file without some declared column; `fix` says what to do (and, unless `renamed` is false, that a renamed column goes under renamedFrom). */
function refuseMissing(source: Source, names: string[], where: LoadedModel['where'], index: number, { at, shown, fix, renamed = true }: { at: string; shown: string; fix: string; renamed?: boolean }): void {
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const missing = source.columns.filter((c) => !namesOf(c).some((name) => lower.has(name.toLowerCase())));
  if (missing.length === 0) return;
  const described = missing.map((c) => `"${c.name}"${c.renamedFrom.length > 0 ? ` (or its old name ${c.renamedFrom.map((n) => `"${n}"`).join(', ')})` : ''}`);
  const what = source.format === 'json' ? 'no record has' : 'no column';
  throw new ExportError(
    `${at}: ${what} ${described.join(', ')}, which source ${source.id} declares (${where('sources', ['sources', index, 'columns'])}). ${shown}\n` +
      (renamed ? `${fix}; or, if the ${source.format === 'json' ? 'key' : 'column'} was renamed, list its old name under renamedFrom.` : `${fix}.`),
  );
}

/**
 * Finds the first bad line of a CSV source: reads each file on its own with
 * the declared types and no guessing, keeping rejected lines (DuckDB's
 * reject store), and returns the first one.
 */
async function diagnoseCsv(db: DuckDBConnection, root: string, source: Source, files: SourceFile[], dialect: string) {
  const declared = new Map(source.columns.flatMap((c) => namesOf(c).map((name) => [name, c.type] as const)));
  for (const entry of files) {
    const { file } = entry;
    const header = (await readFirstLine(textOf(root, entry))).split(source.csv?.delimiter ?? ',').map(unquoted);
    const columns = header.map((name) => `${sqlString(name)}: ${sqlString(declared.get(name) ?? 'VARCHAR')}`).join(', ');
    try {
      // Materialised, so every column is converted (a count alone would skip them).
      await db.run(`CREATE OR REPLACE TEMP TABLE _diagnosis AS SELECT * FROM read_csv(${sqlString(textOf(root, entry))}, ${dialect}, auto_detect = false, columns = {${columns}}, store_rejects = true)`);
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

/**
 * Finds the first value of a Parquet source that does not cast to its
 * column's declared type (the file, its row counting from 1, and the value),
 * for a load that failed; null when every value casts.
 */
async function diagnoseParquet(db: DuckDBConnection, root: string, source: Source, files: SourceFile[]): Promise<string | null> {
  const paths = files.map((f) => textOf(root, f));
  const names = await parquetNames(db, source, paths);
  for (const column of source.columns) {
    for (const name of names.get(column)!) {
      const [bad] = await queryRows(
        db,
        `SELECT ${sqlIdentifier(FILE_COLUMN)} AS path, file_row_number + 1 AS row, ${sqlIdentifier(name)}::VARCHAR AS value
         FROM ${readParquet(paths, `union_by_name = true, filename = ${sqlString(FILE_COLUMN)}, file_row_number = true`)}
         WHERE ${sqlIdentifier(name)} IS NOT NULL AND TRY_CAST(${sqlIdentifier(name)} AS ${column.type}) IS NULL ORDER BY path, row LIMIT 1`,
      );
      if (!bad) continue;
      const file = files.find((f) => textOf(root, f) === String(bad.path))?.file ?? String(bad.path);
      const problem = await castError(db, String(bad.value), column.type);
      return `${file}, row ${Number(bad.row)}: could not be read as source ${source.id} declares it.\n  ${name} is ${JSON.stringify(String(bad.value).slice(0, 200))}, which is not a ${column.type}${problem ? `: ${problem}` : ''}`;
    }
  }
  return null;
}

/**
 * Finds the first bad line of a JSON Lines source. DuckDB's line numbers for
 * JSON are approximate (a malformed line is counted one too high, blank lines
 * are skipped, a value of the wrong type can be blamed on line 1), so each
 * file is read again line by line (see sourceRecords): the first line that is
 * not a JSON object, or that holds a value DuckDB cannot cast to its column's
 * declared type (see matchingRecords), or with `notUtf8Bytes` (DuckDB's error
 * said so) the first holding bytes that are not UTF-8. Null when every line reads.
 */
async function diagnoseJson(db: DuckDBConnection, root: string, source: Source, files: SourceFile[], notUtf8Bytes: boolean) {
  const found = (file: string, line: number, problem: string, text: string) => ({ file, line, problem, text: text.length > 200 ? `${text.slice(0, 200)}…` : text });
  const castable = source.columns.map((c) => `(${sqlIdentifier(c.name)} IS NULL OR TRY_CAST(${sqlIdentifier(c.name)} AS ${c.type}) IS NOT NULL)`).join(' AND ');
  for (const entry of files) {
    const { file } = entry;
    let notObject: { line: number; problem: string; text: string } | undefined;
    // Lines up to the first that is not an object (or, when DuckDB refused bytes that are not UTF-8, the first
    // with a �, which is then such a byte rather than the character itself): one that does not cast comes before it.
    const lines = sourceRecords(textOf(root, entry), source);
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
async function* notUtf8(rows: ReturnType<typeof sourceRecords>): ReturnType<typeof sourceRecords> {
  for await (const row of rows) {
    if (!('problem' in row) && row.text?.includes('\uFFFD')) {
      yield { line: row.line, problem: 'Not UTF-8 text: the bytes shown as � are not UTF-8.', text: row.text };
      return;
    }
    yield row;
  }
}

/** Why the fiscal macros give no date (see registerMacros in export.ts and calendar.ts). */
const FISCAL_EMPTY = 'The fiscal calendar gives no date for a year label without four digits (is FY26 the year from spring 2025 or 2026?) or for a week its year does not have (below 1, or 53 in a 52-week year).';

/** Separators a CSV file is re-saved with (Excel in much of Europe writes ";"). */
const SEPARATORS = [',', ';', '\t', '|'];

const unquoted = (name: string) => name.trim().replace(/^"|"$/g, '');

/** The first 64 KiB of a file (all of it when smaller). */
async function readHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, { end: 65_535 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first line of `head`, without a UTF-8 byte-order mark (DuckDB's CSV reader skips one). */
const firstLine = (head: Buffer) => (head.toString('utf8').split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '');

const readFirstLine = async (path: string) => firstLine(await readHead(path));

/** The file a DuckDB reader error names (for a UTF-8 copy among `files`, the file it copies), relative to the project, with its line when given. */
export function sourceLocation(error: unknown, root: string, files: SourceFile[] = []): string | null {
  const message = files.reduce((text, f) => (f.copy ? text.replaceAll(f.copy, join(root, f.file)) : text), String((error as Error).message ?? error));
  // A quoted path may hold spaces; an unquoted one starts after a space, a quote or a bracket (all of it, first folder included).
  const file = /file[: ]+"([^"]+\.(?:csv|jsonl?))"/i.exec(message)?.[1] ?? /(?:^|[\s'(])(\/[^\s"']+\.(?:csv|jsonl?))/.exec(message)?.[1];
  if (!file) return null;
  const line = /line[: ]+(\d+)/i.exec(message)?.[1];
  return `${relative(root, file)}${line ? `:${line}` : ''}`;
}

export function firstLines(error: unknown, count = 6): string {
  const message = error instanceof Error ? error.message : String(error);
  // DuckDB lists every overload after "Candidate functions:"; the first lines say what matters.
  const useful = message.split(/\n\s*Candidate functions:/)[0]!;
  return useful.split('\n').filter((line) => line.trim() !== '').slice(0, count).join('\n');
}

const indent = (text: string) => text.split('\n').map((line) => `  ${line}`).join('\n');

/**
 * Checks on a loaded source: keys present and unique (exact duplicate rows
 * are dropped with a warning; rows that share a key but differ fail), a date
 * on every row, no date after `today` (a warning), impossible values (below
 * a column's min; NaN or infinity; before its notBefore column), empty values,
 * late rows.
 *
 * One scan counts empty keys, missing and future dates, impossible and empty values and late rows.
 * Uniqueness is settled on a 64-bit hash of the key: when no two rows share
 * a hash, no two share a key; otherwise only the rows whose hashes repeat
 * are compared (a collision of different keys is then seen for what it is).
 */
export async function checkSource(db: DuckDBConnection, source: Source, { today, root, files }: { today: string; root: string; files: SourceFile[] }): Promise<Check[]> {
  const table = tableOf(source);
  // Where a failing check's rows are: the files are read again, only when it fails, and the rows for which
  // `where` holds are found (see source-rows.ts). The same condition on the loaded table says which
  // deliveries hold them, so only those files are read.
  const rowsAt = async (where: string) => {
    const deliveries = source.delivery ? new Set((await queryRows(db, `SELECT DISTINCT _delivered AS d FROM ${table} WHERE ${where}`)).map((r) => String(r.d))) : null;
    return locateRows(db, root, source, deliveries ? files.filter((f) => deliveries.has(String(f.delivered))) : files, where);
  };
  const name = source.id;
  const checks: Check[] = [];
  // A dump source repeats its rows in every delivery: keys are unique within one.
  const keyColumns = [...source.primaryKey, ...(source.delivery?.use === 'latest' ? ['_delivered'] : [])];
  const key = keyColumns.map(sqlIdentifier);
  const bounded = source.columns.filter((c) => c.min !== undefined);
  // Columns that cannot come before another (a ticket resolved before it was opened, a subscription ended before it started).
  const ordered = source.columns.filter((c) => c.notBefore !== undefined).map((c) => ({ column: c.name, other: c.notBefore!, early: `${sqlIdentifier(c.name)} < ${sqlIdentifier(c.notBefore!)}` }));
  // Floating-point columns can hold NaN and infinity, which pass a min check and poison every sum.
  const floating = source.columns.filter((c) => /^(DOUBLE|FLOAT|REAL|FLOAT4|FLOAT8)$/i.test(c.type));
  const nullable = source.columns.filter((c) => !source.primaryKey.includes(c.name) && !c.personal);
  const keyed = `${table} WHERE ${key.map((k) => `${k} IS NOT NULL`).join(' AND ')}`;
  const hashed = `hash(${key.join(', ')})`;
  await db.run(`CREATE OR REPLACE TEMP TABLE _repeated_hashes AS SELECT ${hashed} AS h FROM ${keyed} GROUP BY h HAVING count(*) > 1`);
  const [repeated] = await queryRows(db, 'SELECT count(*) AS n FROM _repeated_hashes');
  // Every row whose key hash repeats: a key shared by two rows is among them.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE _suspects AS SELECT rowid AS _row, * FROM ${keyed} AND ${Number(repeated?.n) === 0 ? 'FALSE' : `${hashed} IN (SELECT h FROM _repeated_hashes)`}`,
  );
  const [dupes] = await queryRows(db, `SELECT count(*) - count(DISTINCT (${key.join(', ')})) AS n FROM _suspects`);
  const duplicateCount = Number(dupes?.n);
  let unique: Check;
  if (duplicateCount === 0) {
    unique = { name: 'keys are unique', source: name, status: 'pass', detail: `${source.primaryKey.join(', ')} is unique` };
  } else {
    // Rows outside the suspects have keys (and rows) of their own, so comparing the suspects decides.
    // The same row delivered again in a later file is a duplicate too (the first delivery is kept).
    const columns = source.columns.map((c) => sqlIdentifier(c.name)).join(', ');
    const [distinctRows] = await queryRows(db, `SELECT count(*) AS n FROM (SELECT DISTINCT ${columns} FROM _suspects)`);
    const [distinctKeys] = await queryRows(db, `SELECT count(DISTINCT (${key.join(', ')})) AS n FROM _suspects`);
    if (Number(distinctRows?.n) === Number(distinctKeys?.n)) {
      // The rows sharing a key are identical: keep the first of each (by delivery), as DISTINCT ON would.
      await db.run(
        `DELETE FROM ${table} WHERE rowid IN (SELECT _row FROM _suspects QUALIFY row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY _delivered) > 1)`,
      );
      unique = { name: 'keys are unique', source: name, status: 'warn', detail: `${countOf(duplicateCount, 'exact duplicate row was', 'exact duplicate rows were')} dropped (same ${source.primaryKey.join(', ')} and same values).` };
    } else {
      const conflicting = Number(distinctRows?.n) - Number(distinctKeys?.n);
      // One key the rows disagree on, and where its rows are (in its own delivery, for a dump).
      const [example] = await queryRows(
        db,
        `SELECT ${source.primaryKey.map((k) => `${sqlIdentifier(k)}::VARCHAR AS ${sqlIdentifier(k)}`).join(', ')}, any_value(_delivered) AS _delivered
         FROM _suspects GROUP BY ${key.join(', ')} HAVING count(DISTINCT (${columns})) > 1 ORDER BY ALL LIMIT 1`,
      );
      const keyText = source.primaryKey.map((k) => `${k} "${String(example?.[k])}"`).join(', ');
      // Its rows, in the delivery that disagrees with itself for a dump (which repeats every row).
      const sameKey = keyColumns.map((k) => `${sqlIdentifier(k)}::VARCHAR = ${sqlString(String(example?.[k]))}`).join(' AND ');
      const places = await rowsAt(sameKey);
      unique = {
        name: 'keys are unique',
        source: name,
        status: 'fail',
        detail:
          `${countOf(conflicting, 'row shares its', 'rows share their')} ${source.primaryKey.join(', ')} with another row but ${conflicting === 1 ? 'differs' : 'differ'} from it; the export cannot tell which is right. Fix the extract.` +
          (places.length > 0 ? ` For example ${keyText}: ${placesText(places)}.` : ''),
      };
    }
  }
  await db.run('DROP TABLE _repeated_hashes');
  await db.run('DROP TABLE _suspects');

  // The rest in one scan, after duplicates are dropped (empty keys are never dropped).
  const [stats] = await queryRows(
    db,
    `SELECT count(*) FILTER (WHERE ${key.map((k) => `${k} IS NULL`).join(' OR ')}) AS null_keys,
            count(*) FILTER (WHERE _date IS NULL) AS undated,
            count(*) FILTER (WHERE _date > DATE ${sqlString(today)}) AS future, strftime(max(_date), '%Y-%m-%d') AS last_date,
            ${floating.map((c, i) => `count(*) FILTER (WHERE isnan(${sqlIdentifier(c.name)}) OR isinf(${sqlIdentifier(c.name)})) AS unreal_${i},`).join('\n')}
            ${bounded.map((c, i) => `count(*) FILTER (WHERE ${sqlIdentifier(c.name)} < ${c.min}) AS low_${i}, min(${sqlIdentifier(c.name)}) FILTER (WHERE ${sqlIdentifier(c.name)} < ${c.min}) AS lowest_${i},`).join('\n')}
            ${ordered.map((o, i) => `count(*) FILTER (WHERE ${o.early}) AS early_${i},`).join('\n')}
            ${nullable.map((c, i) => `count(*) FILTER (WHERE ${sqlIdentifier(c.name)} IS NULL) AS empty_${i},`).join('\n')}
            ${source.delivery ? "count(*) FILTER (WHERE strftime(_date, '%Y-%m') < _delivered)" : 'NULL'} AS late
     FROM ${table}`,
  );
  const nullKeyCount = Number(stats?.null_keys);
  checks.push({
    name: 'keys are present',
    source: name,
    status: nullKeyCount === 0 ? 'pass' : 'fail',
    detail:
      nullKeyCount === 0
        ? `${source.primaryKey.join(', ')} filled in every row`
        : `${countOf(nullKeyCount, 'row has', 'rows have')} an empty ${source.primaryKey.join(' or ')}; the extract must identify every row.${atLines(await rowsAt(key.map((k) => `${k} IS NULL`).join(' OR ')))}`,
  });

  checks.push(unique);
  if (source.delivery?.cumulative) checks.push(await cumulativeDumps(db, source, files, rowsAt));

  const undated = Number(stats?.undated);
  let undatedWhere = '';
  if (undated > 0 && source.delivery) {
    const deliveries = await queryRows(db, `SELECT _delivered AS month, count(*) AS n FROM ${table} WHERE _date IS NULL GROUP BY ALL ORDER BY month LIMIT 6`);
    undatedWhere = ` (in the files delivered ${deliveries.map((d) => `${String(d.month)}: ${countOf(Number(d.n), 'row')}`).join('; ')})`;
  }
  checks.push({
    name: 'dates are present',
    source: name,
    status: undated === 0 ? 'pass' : 'fail',
    detail:
      undated === 0
        ? 'every row has a date'
        : `${countOf(undated, 'row has', 'rows have')} no date: ${source.time.date} is empty${undatedWhere}, so ${undated === 1 ? 'it' : 'they'} would count in no period. ` +
          (/fiscal_(year|week_start)\(/.test(source.time.date) ? `${FISCAL_EMPTY} ` : '') +
          `Fix the extract, or the column names if the file changed shape.${atLines(await rowsAt('_date IS NULL'))}`,
  });

  // Rows dated after today (a clock or an extract gone wrong) count in no snapshot until their month has ended: say so.
  const future = Number(stats?.future);
  checks.push({
    name: 'no dates in the future',
    source: name,
    status: future === 0 ? 'pass' : 'warn',
    detail:
      future === 0
        ? `no row is dated after the day of the export, ${formatDay(today)}`
        : `${countOf(future, 'row is', 'rows are')} dated after the day of the export, ${formatDay(today)} (the latest ${formatDay(String(stats?.last_date))}); ` +
          `no snapshot counts ${future === 1 ? 'it' : 'them'} until ${future === 1 ? 'its' : 'their'} month has ended. Check the extract's dates and time zone.`,
  });

  for (const [i, column] of floating.entries()) {
    const n = Number(stats?.[`unreal_${i}`]);
    if (n === 0) continue;
    checks.push({
      name: `${column.name} is a number`,
      source: name,
      status: 'fail',
      detail: `${countOf(n, 'row has', 'rows have')} NaN or infinity in ${column.name}, which no sum or average survives; fix the extract.${atLines(await rowsAt(`isnan(${sqlIdentifier(column.name)}) OR isinf(${sqlIdentifier(column.name)})`))}`,
    });
  }

  for (const [i, column] of bounded.entries()) {
    const n = Number(stats?.[`low_${i}`]);
    checks.push({
      name: `${column.name} is at least ${column.min}`,
      source: name,
      status: n === 0 ? 'pass' : 'fail',
      detail:
        n === 0
          ? `no value below ${column.min}`
          : `${countOf(n, 'row has', 'rows have')} ${column.name} below ${column.min} (lowest ${String(stats?.[`lowest_${i}`])}), which cannot happen; fix the extract.` +
            atLines(await rowsAt(`${sqlIdentifier(column.name)} < ${column.min}`)),
    });
  }

  for (const [i, { column, other, early }] of ordered.entries()) {
    const n = Number(stats?.[`early_${i}`]);
    checks.push({
      name: `${column} is not before ${other}`,
      source: name,
      status: n === 0 ? 'pass' : 'fail',
      detail: n === 0 ? `no row has ${column} before ${other}` : `${countOf(n, 'row has', 'rows have')} ${column} before ${other}, which cannot happen; fix the extract.${atLines(await rowsAt(early))}`,
    });
  }

  const withEmpty = nullable.map((c, i) => [c.name, Number(stats?.[`empty_${i}`])] as const).filter(([, n]) => n > 0);
  checks.push({
    name: 'empty values',
    source: name,
    status: 'pass',
    detail: withEmpty.length === 0 ? 'none' : `empty in ${withEmpty.map(([c, n]) => `${c} (${countOf(n, 'row')})`).join(', ')}; the model's SQL decides what they mean.`,
  });

  if (source.delivery) {
    const n = Number(stats?.late);
    checks.push({
      name: 'late rows',
      source: name,
      status: 'pass',
      detail: n === 0 ? 'none' : `${countOf(n, 'row')} arrived in a later month's file than their date; a snapshot counts them once their file has arrived.`,
    });
  }
  return checks;
}

/**
 * A cumulative dump (every subscription started so far) lists every key of
 * the dump delivered before it. A key that goes missing, or a dump with no
 * rows at all after one with rows, means a dump cut short (a row limit, a
 * failed export), which would make its month's snapshot count too few
 * without a word: up to a half, no jump warning fires.
 */
async function cumulativeDumps(db: DuckDBConnection, source: Source, files: SourceFile[], rowsAt: (where: string) => Promise<Place[]>): Promise<Check> {
  const table = tableOf(source);
  const key = source.primaryKey.map(sqlIdentifier);
  const unit = source.primaryKey.length === 1 ? source.primaryKey[0]! : 'key';
  const name = 'each dump lists the one before';
  const advice = (subject: string, many: boolean) => `but each dump lists every row so far (delivery.cumulative): ${subject} ${many ? 'were' : 'was'} probably cut short. Ask for ${many ? 'them' : 'it'} again.`;
  const few = (items: string[]) => listed(items.length > 3 ? [...items.slice(0, 3), `${items.length - 3} more`] : items);
  // A file with no rows, delivered after one with rows.
  const delivered = (await queryRows(db, `SELECT DISTINCT _delivered AS d FROM ${table} ORDER BY d`)).map((r) => String(r.d));
  const empty = files.filter((f) => f.delivered !== null && delivered.length > 0 && f.delivered > delivered[0]! && !delivered.includes(f.delivered)).map((f) => f.file);
  if (empty.length > 0) return { name, source: source.id, status: 'fail', detail: `${few(empty)} ${empty.length === 1 ? 'has' : 'have'} no rows, ${advice(empty.length === 1 ? 'it' : 'they', empty.length > 1)}` };
  // Each delivery and the one after it; a row of the first whose key the second lacks.
  const missing = `(SELECT a._delivered AS before, p.next, ${key.map((k) => `a.${k}`).join(', ')}
                    FROM ${table} a JOIN (SELECT _delivered, lead(_delivered) OVER (ORDER BY _delivered) AS next FROM (SELECT DISTINCT _delivered FROM ${table})) p USING (_delivered)
                    WHERE p.next IS NOT NULL) m
                   ANTI JOIN ${table} b ON b._delivered = m.next AND ${key.map((k) => `b.${k} = m.${k}`).join(' AND ')}`;
  const pairs = await queryRows(db, `SELECT before, next, count(*) AS n FROM ${missing} GROUP BY ALL ORDER BY before`);
  if (pairs.length === 0) return { name, source: source.id, status: 'pass', detail: `every ${source.primaryKey.join(', ')} of each dump is in the next` };
  const first = pairs[0]!;
  const total = pairs.reduce((sum, p) => sum + Number(p.n), 0);
  const gone = `_delivered = ${sqlString(String(first.before))} AND (${key.join(', ')}) NOT IN (SELECT (${key.join(', ')}) FROM ${table} WHERE _delivered = ${sqlString(String(first.next))})`;
  const places = await rowsAt(gone);
  return {
    name,
    source: source.id,
    status: 'fail',
    detail:
      `${countOf(total, 'row')} of a dump ${total === 1 ? 'is' : 'are'} missing from the next (` +
      `${pairs.slice(0, 3).map((p) => `${countOf(Number(p.n), unit, `${unit}s`)} of ${String(p.before)}'s not in ${String(p.next)}'s`).join('; ')}${pairs.length > 3 ? '; …' : ''}), ` +
      advice(few(pairs.map((p) => `${String(p.next)}'s`)), pairs.length > 1) +
      (places.length > 0 ? ` The first of ${String(first.before)}'s rows missing from ${String(first.next)}'s: ${placesText(places)}.` : ''),
  };
}

/** Freshness and completeness of a source as of a period's end, against its SLO. */
export async function sourceTimeliness(
  db: DuckDBConnection,
  source: Source,
  periodEnd: string,
): Promise<{ latest: string | null; lagDays: number | null; fresh: boolean; checks: Check[] }> {
  const view = sqlIdentifier(source.id);
  const [row] = await queryRows(db, `SELECT strftime(max(_date), '%Y-%m-%d') AS latest, strftime(min(_date), '%Y-%m-%d') AS earliest FROM ${view}`);
  const latest = row?.latest ? String(row.latest) : null;
  const lagDays = latest ? Math.round((Date.parse(periodEnd) - Date.parse(latest)) / 86_400_000) : null;
  const checks: Check[] = [];
  const fresh = lagDays !== null && lagDays <= source.slo.freshnessDays;
  checks.push({
    name: 'freshness',
    source: source.id,
    status: fresh ? 'pass' : 'warn',
    detail: latest === null ? 'no rows yet' : `latest row ${formatDay(latest)}, ${days(lagDays ?? 0)} before the period ends (SLO: within ${days(source.slo.freshnessDays)})${fresh ? '' : '; the SLO is broken'}.`,
  });
  if (source.slo.expected === 'monthly') {
    checks.push({ name: 'completeness', source: source.id, status: 'pass', detail: 'monthly dump; the latest delivered file is used' });
    return { latest, lagDays, fresh, checks };
  }
  const step = source.slo.expected === 'daily' ? 1 : 7;
  const gaps = await queryRows(
    db,
    `WITH expected AS (
       SELECT unnest(range(min(_date), max(_date) + 1, INTERVAL ${step} DAY))::DATE AS d FROM ${view}
     ), present AS (SELECT DISTINCT ${step === 1 ? '_date' : 'date_trunc(\'week\', _date)::DATE'} AS d FROM ${view}),
     missing AS (SELECT e.d FROM expected e ANTI JOIN present p ON ${step === 1 ? 'p.d = e.d' : "p.d = date_trunc('week', e.d)::DATE"}),
     runs AS (SELECT d, d - ${step} * row_number() OVER (ORDER BY d)::INTEGER AS run FROM missing)
     SELECT strftime(min(d), '%Y-%m-%d') AS first, strftime(max(d), '%Y-%m-%d') AS last, count(*) AS n FROM runs GROUP BY run ORDER BY first`,
  );
  const unit = step === 1 ? 'day' : 'week';
  checks.push({
    name: 'completeness',
    source: source.id,
    status: gaps.length === 0 ? 'pass' : 'warn',
    detail:
      gaps.length === 0
        ? `a row for every ${unit}`
        : `no rows for ${gaps.map((g) => `${unit === 'week' ? 'the weeks of ' : ''}${formatDayRange(String(g.first), String(g.last))} (${countOf(Number(g.n), unit)})`).join(', ')}; metrics over those ${unit}s are too low.`,
  });
  return { latest, lagDays, fresh, checks };
}
