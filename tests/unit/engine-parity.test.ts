/**
 * One SQL dialect, two engines. Native DuckDB (build time, @duckdb/node-api
 * 1.5) and DuckDB-WASM (browser, 1.4; here its Node build, same wasm) must
 * give the same numbers:
 * - every metric of one snapshot: the export's values against the same
 *   metric SQL (src/lib/metric-sql.ts) run in DuckDB-WASM over the same facts;
 * - the demo story's chart SQL over the snapshot, with the browser's own
 *   Parquet loader (hyparquet → Flechette Arrow → insertArrowFromIPCStream).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConsoleLogger, createDuckDB, type DuckDBConnection as WasmConnection, LogLevel, NODE_RUNTIME } from '@duckdb/duckdb-wasm/blocking';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/node/duckdb.ts';
import { loadModel } from '../../src/node/load-model.ts';
import { toRows } from '../../src/client/arrow-rows.ts';
import { parquetToArrowIPC } from '../../src/client/parquet-to-arrow.ts';
import { factQueries } from '../../src/lib/metric-sql.ts';
import { sqlIdentifier as quote } from '../../src/lib/sql-quote.ts';
import { bindParameters } from '../../src/lib/sql-params.ts';
import { type DemoSnapshot, demoSnapshot } from './helpers.ts';
import { ROOT } from './tiny-company.ts';

type Row = Record<string, unknown>;

let demo: DemoSnapshot;
let wasm: WasmConnection;
let wasmVersion: string;

function wasmRows(sql: string, values: unknown[] = []): Row[] {
  const statement = wasm.prepare(sql);
  try {
    return toRows(statement.query(...values));
  } finally {
    statement.close();
  }
}

async function loadIntoWasm(file: string, table: string): Promise<void> {
  const bytes = readFileSync(file);
  wasm.insertArrowFromIPCStream(await parquetToArrowIPC(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), { name: table, create: true });
}

beforeAll(async () => {
  demo = await demoSnapshot();
  const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const db = await createDuckDB(
    { mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
    new ConsoleLogger(LogLevel.WARNING),
    NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({ query: { castBigIntToDouble: true } });
  wasm = db.connect();
  wasm.query('SET autoinstall_known_extensions = false');
  wasm.query('SET autoload_known_extensions = false');
  wasmVersion = String(wasmRows('SELECT version() AS v')[0]!.v);
}, 60_000);

/** A stable key and a comparable value for a metric row. */
const key = (r: Row) =>
  [r.metric, r.grain, r.period_start instanceof Date ? r.period_start.toISOString().slice(0, 10) : r.period_start, r.business_line, r.dimension ?? '', r.dimension_value ?? ''].join('|');

describe('every metric of a snapshot, native export vs DuckDB-WASM', () => {
  it('runs on two different engine releases', () => {
    expect(wasmVersion).toMatch(/^v1\.4\./);
  });

  it('gives the same value for every metric, grain, business line and breakdown', async () => {
    const { model } = loadModel(ROOT);
    const period = demo.result.period;
    for (const file of readdirSync(join(demo.factsDir, period))) await loadIntoWasm(join(demo.factsDir, period, file), `fact_${file.replace('.parquet', '')}`);
    const fromWasm = new Map<string, number>();
    for (const fact of model.facts) {
      const metrics = model.metrics.filter((m) => m.source === fact.id);
      for (const query of factQueries(quote(`fact_${fact.id}`), fact, metrics, model.calendar.privacy.minimumGroupSize)) {
        for (const row of wasmRows(query.sql)) fromWasm.set(key(row), Number(row.value));
      }
    }
    const native = await openDatabase();
    const exported = await queryRows(native, `SELECT * FROM read_parquet('${join(demo.result.dir, 'metrics.parquet')}')`);
    expect(exported.length).toBeGreaterThan(10_000);
    expect(fromWasm.size).toBe(exported.length);
    const metricsSeen = new Set<string>();
    const mismatches: string[] = [];
    for (const row of exported) {
      metricsSeen.add(String(row.metric));
      const other = fromWasm.get(key(row));
      const value = Number(row.value);
      if (other === undefined || Math.abs(other - value) > 1e-9 * Math.max(1, Math.abs(value))) mismatches.push(`${key(row)}: native ${value}, wasm ${other}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(metricsSeen.size).toBe(model.metrics.length);
  });
});

describe('the demo story chart SQL over a snapshot, in both engines', () => {
  const story = readFileSync(join(ROOT, 'src/stories/2026-10-revenue.mdx'), 'utf8');
  const chartSql = /sql=\{`([\s\S]*?)`\}/.exec(story)?.[1];

  beforeAll(async () => {
    await loadIntoWasm(join(demo.result.dir, 'metrics.parquet'), 'metrics');
  });

  it('is found in the demo story', () => {
    expect(chartSql).toContain('$business_line');
  });

  for (const line of ['All', 'Casting', 'Production']) {
    it(`gives the same rows, to the penny, for business line "${line}"`, async () => {
      const parquet = join(demo.result.dir, 'metrics.parquet');
      const native = await openDatabase();
      await native.run(`CREATE VIEW metrics AS SELECT * FROM read_parquet('${parquet}')`);
      const bound = bindParameters(chartSql!, { business_line: line });
      const normalise = (rows: Row[]) =>
        rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? Math.round(v * 100) / 100 : v])));
      const fromNative = normalise(await queryRows(native, bound.sql, bound.values));
      expect(fromNative.length).toBe(line === 'All' ? 2 * 43 : 43); // April 2023 to October 2026
      expect(normalise(wasmRows(bound.sql, bound.values))).toEqual(fromNative);
    });
  }

  it('fails at once, instead of hanging, when a query needs an extension the browser does not have', () => {
    expect(() => wasmRows("SELECT * FROM read_parquet('x.parquet')")).toThrow(/extension|parquet/i);
  });
});
