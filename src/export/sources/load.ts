/**
 * Export, step 1: each source's files into a DuckDB table `src_<id>`, by
 * its format's reader (readers.ts). The table keeps the source's columns
 * (renamed columns merged under their current name) plus `_date`, the row's
 * UK date, and `_delivered`, the month its file was delivered (null when the
 * source has no delivery pattern).
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Source } from '../../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../../lib/sql-quote.ts';
import type { LoadedModel } from '../../node/load-model.ts';
import { type SourceFile, tableOf, textOf } from './files.ts';
import { FILE_COLUMN, type SourceRun } from './reader.ts';
import { READERS } from './readers.ts';

/** One source of one run, as its reader and checks see it. */
export function sourceRun(db: DuckDBConnection, root: string, loaded: LoadedModel, source: Source, files: SourceFile[], scratch: string): SourceRun {
  const index = loaded.model.sources.indexOf(source);
  return { db, root, source, index, files, scratch: join(scratch, 'utf8', source.id), at: (...path) => loaded.where('sources', ['sources', index, ...path]) };
}

/** Loads every file of a source into `src_<id>`, after its reader's checks; a file that does not parse names itself and the line (for Parquet, the row). */
export async function loadSource(run: SourceRun): Promise<void> {
  const { source, files, root } = run;
  const reader = READERS[source.format];
  await reader.checkFiles(run);
  const { from, columns } = await reader.relation(run);
  // Each row's delivery month is its file's, as sourceFiles read it from the file's name (a UTF-8 copy's name is not the file's).
  // The reader gives a batch of rows its file's name once, so this costs what the regular expression on the name did (measured at 10 million events).
  const delivered = !source.delivery
    ? 'NULL::VARCHAR'
    : `CASE ${sqlIdentifier(FILE_COLUMN)} ${files.map((f) => `WHEN ${sqlString(textOf(root, f))} THEN ${sqlString(String(f.delivered))}`).join(' ')} END`;
  // The row's UK date is computed as the rows stream in (its SQL may use the merged, renamed columns).
  const load = `CREATE OR REPLACE TABLE ${tableOf(source)} AS
      SELECT *, ${source.time.date} AS _date FROM (SELECT ${columns.join(', ')}, ${delivered} AS _delivered FROM ${from})`;
  try {
    await run.db.run(load);
  } catch (error) {
    throw await reader.explain(run, error);
  }
}
