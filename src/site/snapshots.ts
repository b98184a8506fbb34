/**
 * Build-time queries for pages: runs a chart's SQL in native DuckDB over a
 * story's pinned snapshot. Each snapshot table is a view over its Parquet
 * file, so the SQL sees exactly the tables the browser will load.
 *
 * One database serves the whole build, and identical queries (same snapshot,
 * SQL and values) run once per build however many pages use them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { latestSchema, type Manifest, manifestSchema } from '../lib/manifest.ts';
import type { ParamValue } from '../lib/sql-params.ts';
import { openDatabase, queryRows, type Row } from '../node/duckdb.ts';
import { sqlIdentifier, sqlString } from '../lib/sql-quote.ts';

/**
 * Where the export writes snapshots (the build runs from the project root).
 * PLOTLINE_SNAPSHOTS_DIR points elsewhere, for tests.
 */
export const SNAPSHOTS_DIR = resolve(process.env.PLOTLINE_SNAPSHOTS_DIR ?? 'public/data/snapshots');

/** The newest snapshot's id (public/data/snapshots/latest.json). */
export function latestSnapshot(dir = SNAPSHOTS_DIR): string {
  return latestSchema.parse(JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'))).period;
}

/** One in-memory database per snapshot, whose views are its tables. */
const databases = new Map<string, Promise<DuckDBConnection>>();
const results = new Map<string, Promise<Row[]>>();
const manifests = new Map<string, Manifest>();

/** The manifest of a snapshot; a missing snapshot says how to make it. */
export function readManifest(period: string): Manifest {
  const cached = manifests.get(period);
  if (cached) return cached;
  const file = join(SNAPSHOTS_DIR, period, 'manifest.json');
  if (!existsSync(file)) {
    throw new Error(`Snapshot ${period} does not exist (no ${file}). Run \`npm run export -- --period ${period}\` to make it, or pin the story to an existing snapshot.`);
  }
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  manifests.set(period, manifest);
  return manifest;
}

/** The snapshot tables a query reads: those named as words in its SQL. */
export function tablesUsed(manifest: Manifest, sql: string): Manifest['tables'] {
  return manifest.tables.filter((table) => new RegExp(`\\b${table.name}\\b`, 'i').test(sql));
}

/** Runs positional-parameter SQL against a snapshot; cached for the build. */
export function querySnapshot(period: string, sql: string, values: ParamValue[]): Promise<Row[]> {
  const key = JSON.stringify([period, sql, values]);
  let result = results.get(key);
  if (!result) {
    result = (async () => {
      return queryRows(await snapshotDatabase(period), sql, values);
    })();
    results.set(key, result);
    // A failed query is not cached, so a fixed file works on the next dev reload.
    result.catch(() => results.delete(key));
  }
  return result;
}

/** A database whose tables are the snapshot's, as views over its Parquet files. */
function snapshotDatabase(period: string): Promise<DuckDBConnection> {
  let db = databases.get(period);
  if (!db) {
    db = (async () => {
      const manifest = readManifest(period);
      const connection = await openDatabase();
      for (const table of manifest.tables) {
        const path = join(SNAPSHOTS_DIR, period, table.file);
        await connection.run(`CREATE VIEW ${sqlIdentifier(table.name)} AS SELECT * FROM read_parquet(${sqlString(path)})`);
      }
      return connection;
    })();
    databases.set(period, db);
  }
  return db;
}

/** Drops every cached database, manifest and result (dev, after a new export). */
export function resetSnapshotCaches(): void {
  for (const db of databases.values()) db.then((c) => c.closeSync()).catch(() => {});
  databases.clear();
  results.clear();
  manifests.clear();
}
