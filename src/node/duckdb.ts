/**
 * Native DuckDB at build time (`@duckdb/node-api`). The only module on the
 * build side that talks to the database; everything else calls `queryRows`.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ParamValue } from '../lib/sql-params.ts';

export type Row = Record<string, unknown>;

/**
 * Opens a database (in memory unless a file is given) with extension
 * auto-install off. Extra settings pass through, e.g. memory_limit and
 * temp_directory so large exports spill to disk instead of growing.
 */
export async function openDatabase(path = ':memory:', settings: Record<string, string> = {}): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: 'false', ...settings });
  return instance.connect();
}

/**
 * Runs `sql` with positional values and returns plain rows: DATE and
 * TIMESTAMP as JS Dates, integers and decimals as numbers, text as strings.
 */
export async function queryRows(connection: DuckDBConnection, sql: string, values: ParamValue[] = []): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql, values.length > 0 ? values : undefined);
  return reader.getRowObjectsJS().map((row) => {
    const plain: Row = {};
    for (const [key, value] of Object.entries(row)) plain[key] = toPlain(value);
    return plain;
  });
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}
