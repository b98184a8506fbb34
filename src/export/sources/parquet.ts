/**
 * Parquet files: each declared column (or an old name) read by name and
 * cast to its declared type, as the files carry types of their own. A file
 * DuckDB cannot read, or without a column, or with one of a type that
 * cannot be cast, is refused before loading; a value that does not cast is
 * named by its file and row (counted from 1), found by DuckDB itself.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Source } from '../../lib/model-schema.ts';
import { namesOf } from '../../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import { ExportError, firstLines } from '../errors.ts';
import { refuseMissing } from './columns.ts';
import { textOf } from './files.ts';
import { castError, readError, timeDateError } from './load-errors.ts';
import { FILE_COLUMN, type SourceReader, type SourceRun } from './reader.ts';
import { headOf } from './text.ts';

/** DuckDB's reader over Parquet files, by the files' own columns (none made up from folder names such as file_month=2027-01). */
const readParquet = (paths: string[], options = '') => `read_parquet([${paths.map(sqlString).join(', ')}], hive_partitioning = false${options ? `, ${options}` : ''})`;

/** The columns of Parquet files (of any of them), with their types; throws when one is not a Parquet file DuckDB can read. */
async function parquetSchema(db: DuckDBConnection, paths: string[]): Promise<{ name: string; type: string }[]> {
  return (await queryRows(db, `DESCRIBE SELECT * FROM ${readParquet(paths, 'union_by_name = true')}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** Each declared column's names (its own, then its old ones) that Parquet files at `paths` have; names match ignoring case, as DuckDB's do. */
async function parquetNames(db: DuckDBConnection, source: Source, paths: string[]): Promise<Map<Source['columns'][number], string[]>> {
  const present = new Set((await parquetSchema(db, paths)).map((c) => c.name.toLowerCase()));
  return new Map(source.columns.map((c) => [c, namesOf(c).filter((n) => present.has(n.toLowerCase()))]));
}

/**
 * The select list that reads a source's declared columns from Parquet files
 * (`paths`): each under its name, from its name or an old name the files
 * have (renamed columns merged), cast to its declared type.
 */
async function parquetColumns(db: DuckDBConnection, source: Source, paths: string[]): Promise<string[]> {
  const names = await parquetNames(db, source, paths);
  return source.columns.map((c) => {
    const casts = names.get(c)!.map((n) => `CAST(${sqlIdentifier(n)} AS ${c.type})`);
    const value = casts.length === 0 ? `NULL::${c.type}` : casts.length === 1 ? casts[0]! : `coalesce(${casts.join(', ')})`;
    return `${value} AS ${sqlIdentifier(c.name)}`;
  });
}

const pathsOf = (run: SourceRun) => run.files.map((f) => textOf(run.root, f));

export const parquetReader: SourceReader = {
  /** Each file: not empty (its bytes are not text: nothing else is read of them here), then its schema (see checkColumns). */
  async checkFiles(run) {
    for (const entry of run.files) await headOf(run, entry);
    await checkColumns(run);
  },

  async relation(run) {
    return { from: readParquet(pathsOf(run), `union_by_name = true, filename = ${sqlString(FILE_COLUMN)}`), columns: await parquetColumns(run.db, run.source, pathsOf(run)) };
  },

  async explain(run, error) {
    // A value that does not cast to its column's declared type: the file, the row and the value. Looked for first, as DuckDB's words for it are those of a date its SQL could not compute.
    const badValue = await firstBadValue(run);
    if (badValue) return new ExportError(`${badValue}\nFix the file, or the column's type (${run.at('columns')}) if the extract changed.`);
    return timeDateError(run, error) ?? readError(run, error, null, "Fix the file, or the source's columns if the extract changed shape.");
  },

  /** Rows of a Parquet file are found by DuckDB itself, counted from 1 in the file. */
  async locate(run, entry, where, limit) {
    const path = textOf(run.root, entry);
    const rows = `SELECT file_row_number + 1 AS _row, ${(await parquetColumns(run.db, run.source, [path])).join(', ')}, ${entry.delivered === null ? 'NULL::VARCHAR' : sqlString(entry.delivered)} AS _delivered
                  FROM ${readParquet([path], 'file_row_number = true')}`;
    const matching = await queryRows(run.db, `SELECT _row FROM (SELECT *, ${run.source.time.date} AS _date FROM (${rows})) WHERE ${where} ORDER BY _row LIMIT ${limit}`);
    return matching.map(({ _row }) => ({ file: entry.file, line: Number(_row), row: true }));
  },
};

/**
 * Each file is one DuckDB reads, and has every declared column (or an old
 * name), of a type that can be cast to the declared one (a value that does
 * not cast is found when loading, with its row; see firstBadValue).
 */
async function checkColumns(run: SourceRun): Promise<void> {
  const { db, root, source } = run;
  for (const entry of run.files) {
    const { file } = entry;
    let columns: { name: string; type: string }[];
    try {
      columns = await parquetSchema(db, [textOf(root, entry)]);
    } catch (error) {
      throw new ExportError(
        `${file}: not a Parquet file DuckDB can read (${firstLines(error, 1).replace(/^[\w ]+ Error: /, '').replace(` '${textOf(root, entry)}'`, '')}). Source ${source.id} (${run.at('format')}) reads its files as Parquet.\n` +
          `Ask ${source.owner} for it again (a copy cut short, or a file of another format under a .parquet name), or move it out of the folder.`,
      );
    }
    refuseMissing(run, columns.map((c) => c.name), {
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
            `${file}: column ${found.name} is ${found.type}, which cannot be read as ${column.type}, the type source ${source.id} declares for ${column.name} (${run.at('columns', j, 'type')}).\n` +
              `Fix the file, or the column's type if the extract changed.`,
          );
        }
      }
    }
  }
}

/**
 * The first value of a Parquet source that does not cast to its column's
 * declared type (the file, its row counting from 1, and the value), for a
 * load that failed; null when every value casts.
 */
async function firstBadValue(run: SourceRun): Promise<string | null> {
  const { db, source, files } = run;
  const paths = pathsOf(run);
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
      const file = files.find((f) => textOf(run.root, f) === String(bad.path))?.file ?? String(bad.path);
      const problem = await castError(db, String(bad.value), column.type);
      return `${file}, row ${Number(bad.row)}: could not be read as source ${source.id} declares it.\n  ${name} is ${JSON.stringify(String(bad.value).slice(0, 200))}, which is not a ${column.type}${problem ? `: ${problem}` : ''}`;
    }
  }
  return null;
}
