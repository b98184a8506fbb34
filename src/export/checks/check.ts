/**
 * A data-quality check of the export, as its table lists it (see
 * source-checks.ts, timeliness.ts, metric-checks.ts): what it checks in
 * plain words (the dictionary shows it), and the function that runs it.
 * Results go into the snapshot's manifest; a failure stops the export.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Manifest } from '../../lib/manifest.ts';
import type { Source } from '../../lib/model-schema.ts';
import { sqlIdentifier } from '../../lib/sql-quote.ts';
import type { Row } from '../../node/duckdb.ts';
import type { SourceFile } from '../sources/files.ts';
import type { Place } from '../sources/places.ts';

/** One result, as the manifest keeps it. */
export type Check = Manifest['checks'][number];

/** A loaded source being checked. */
export interface SourceCheckContext {
  db: DuckDBConnection;
  source: Source;
  /** Its loaded table (src_<id>). */
  table: string;
  /** The files it was loaded from. */
  files: SourceFile[];
  /** Today in the reporting calendar, YYYY-MM-DD. */
  today: string;
  /** Where the rows for which a SQL condition holds are in the delivered files (the first three), for a failure's message. */
  rowsAt: (where: string) => Promise<Place[]>;
}

export interface SourceCheck {
  /** Its name in the dictionary, e.g. "Keys are unique". */
  title: string;
  /** What it checks and what happens when it fails, in plain words. */
  about: string;
  /** Whether it runs for this source; default every source. */
  applies?: (source: Source) => boolean;
  /** Runs before the scan: it drops exact duplicate rows, which the other checks must not count. */
  first?: boolean;
  /** The aggregates it reads from the one scan of the loaded table, each [alias, SQL]. */
  scan?: (context: SourceCheckContext) => [string, string][];
  /** Its results (none, one, or one per column it checks), from the scan's row. */
  run: (context: SourceCheckContext, stats: Row) => Promise<Check[]>;
}

/**
 * The columns that identify a source's rows: its primary key, and for a
 * dump (use: latest, every delivery repeats its rows) the delivery too.
 */
export const keyColumnsOf = (source: Source) => [...source.primaryKey, ...(source.delivery?.use === 'latest' ? ['_delivered'] : [])];

/** The same, quoted for SQL. */
export const keyOf = (source: Source) => keyColumnsOf(source).map(sqlIdentifier);
