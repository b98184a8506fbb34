/**
 * One SQL dialect, two engines: the demo story's chart SQL must give the same
 * rows in native DuckDB (build time, @duckdb/node-api 1.5) and in DuckDB-WASM
 * (browser, 1.4), with the browser's table loaded exactly as the browser loads
 * it (hyparquet → Flechette Arrow IPC → insertArrowFromIPCStream).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConsoleLogger, createDuckDB, LogLevel, NODE_RUNTIME } from '@duckdb/duckdb-wasm/blocking';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/build/duckdb.ts';
import { exportSnapshot } from '../../src/build/export.ts';
import { metrics, sources } from '../../src/build/model.ts';
import { toRows } from '../../src/client/arrow-rows.ts';
import { parquetToArrowIPC } from '../../src/client/parquet-to-arrow.ts';
import { bindParameters } from '../../src/lib/sql-params.ts';
import { recordingEffects } from './helpers.ts';

const root = join(import.meta.dirname, '../..');
const story = readFileSync(join(root, 'src/stories/2026-10-revenue.mdx'), 'utf8');
const chartSql = /sql=\{`([\s\S]*?)`\}/.exec(story)?.[1];

type Row = Record<string, unknown>;
let native: (sql: string, values: unknown[]) => Promise<Row[]>;
let wasm: (sql: string, values: unknown[]) => Row[];
let wasmVersion: string;

beforeAll(async () => {
  const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-parity-'));
  const { dir } = await exportSnapshot({ root, snapshotsDir, sources, metrics, period: '2026-10', effects: recordingEffects() });
  const parquet = join(dir, 'metrics.parquet');

  const nativeDb = await openDatabase();
  await nativeDb.run(`CREATE VIEW metrics AS SELECT * FROM read_parquet('${parquet}')`);
  native = (sql, values) => queryRows(nativeDb, sql, values as never);

  const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const db = await createDuckDB(
    { mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
    new ConsoleLogger(LogLevel.WARNING),
    NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({ query: { castBigIntToDouble: true } });
  const conn = db.connect();
  conn.query('SET autoinstall_known_extensions = false');
  conn.query('SET autoload_known_extensions = false');
  const file = readFileSync(parquet);
  conn.insertArrowFromIPCStream(await parquetToArrowIPC(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength)), { name: 'metrics', create: true });
  wasm = (sql, values) => {
    const statement = conn.prepare(sql);
    try {
      return toRows(statement.query(...values));
    } finally {
      statement.close();
    }
  };
  wasmVersion = String(toRows(conn.query('SELECT version() AS v'))[0]!.v);
});

/** Rows in a comparable form: ISO dates, numbers to the penny. */
function normalise(rows: Row[]) {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? Math.round(v * 100) / 100 : v]),
    ),
  );
}

describe('the demo chart SQL in native DuckDB and DuckDB-WASM', () => {
  it('is found in the demo story', () => {
    expect(chartSql).toContain('$business_line');
  });

  it('runs on two different engine releases', () => {
    expect(wasmVersion).toMatch(/^v1\.4\./);
  });

  for (const line of ['All', 'Casting', 'Production']) {
    it(`gives the same rows, to the penny, for business line "${line}"`, async () => {
      const bound = bindParameters(chartSql!, { business_line: line });
      const fromNative = normalise(await native(bound.sql, bound.values));
      const fromWasm = normalise(wasm(bound.sql, bound.values));
      expect(fromNative.length).toBe(line === 'All' ? 72 : 36); // 36 months × lines shown
      expect(fromWasm).toEqual(fromNative);
    });
  }

  it('keeps the column types: dates stay dates and money stays a number', async () => {
    const bound = bindParameters(chartSql!, { business_line: 'Casting' });
    const [first] = wasm(bound.sql, bound.values);
    expect(first!.month).toBeInstanceOf(Date);
    expect(typeof first!.revenue).toBe('number');
    expect(typeof first!.business_line).toBe('string');
  });

  it('fails at once, instead of hanging, when a query needs an extension the browser does not have', () => {
    expect(() => wasm("SELECT * FROM read_parquet('x.parquet')", [])).toThrow(/extension|parquet/i);
  });
});
