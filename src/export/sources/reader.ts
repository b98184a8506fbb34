/**
 * The seam between the export and a source's format: one reader a format
 * (csv.ts, json-lines.ts, parquet.ts; listed in readers.ts), each owning how
 * its files are checked before loading, read into DuckDB, diagnosed when
 * the load fails, and searched for the rows a failed check names. The rest
 * of the export (load.ts, the checks) works on the loaded table and never
 * asks which format it came from. A database source implements the same
 * four steps over its tables.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Source } from '../../lib/model-schema.ts';
import type { ExportError } from '../errors.ts';
import type { SourceFile } from './files.ts';
import type { Place } from './places.ts';

/** One source being read in one export run. */
export interface SourceRun {
  db: DuckDBConnection;
  /** Project root: paths in messages are relative to it. */
  root: string;
  source: Source;
  /** Its position in sources.yaml, for key paths such as sources[2].time.date. */
  index: number;
  files: SourceFile[];
  /** "data/model/sources.yaml:41" for a key path under this source, e.g. at('columns', 3, 'type'). */
  at: (...path: (string | number)[]) => string;
  /** A scratch folder of this run for this source (a reader may copy files there). */
  scratch: string;
}

export interface SourceReader {
  /**
   * Checks each file before anything is loaded (its bytes, header or
   * schema) and throws an ExportError naming the file, and the line where
   * there is one, with what to do.
   */
  checkFiles(run: SourceRun): Promise<void>;
  /**
   * Every file's rows as SQL: `from` a relation that has FILE_COLUMN (the
   * path each row was read from: textOf its file), and `columns` the select
   * list giving each declared column under its name (old names merged), of
   * its declared type.
   */
  relation(run: SourceRun): Promise<{ from: string; columns: string[] }>;
  /** Why loading the files failed, as an error naming the file and line where the reader can find it. */
  explain(run: SourceRun, error: unknown): Promise<ExportError>;
  /**
   * The first `limit` rows of one file for which the SQL condition `where`
   * holds over the columns as loaded (declared names and types, `_delivered`
   * and `_date`), in file order; best effort (none found is not an error).
   */
  locate(run: SourceRun, file: SourceFile, where: string, limit: number): Promise<Place[]>;
}

/** The column DuckDB's readers add with each row's file: not "filename", which an extract may have (an attachment's, say). */
export const FILE_COLUMN = '_source_file';
