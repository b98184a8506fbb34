/**
 * Browser side of bench/loaders.ts: each function loads one table into the
 * site's own DuckDB-WASM set-up by one strategy and runs a first query.
 * Timings are from navigation start (performance.now()).
 */
import { database } from '../../src/client/duckdb.ts';
import { parquetToArrowIPC } from '../../src/client/parquet-to-arrow.ts';

const FIRST_QUERY = 'SELECT business_line, round(sum(amount), 2) AS amount, count(*) AS n FROM t GROUP BY 1 ORDER BY 1';

async function firstQuery(sql = FIRST_QUERY) {
  const { conn } = await database();
  return (await conn.query(sql)).toArray().map((row) => row.toJSON());
}

declare global {
  interface Window {
    bench: Record<string, (url: string) => Promise<unknown>>;
  }
}

window.bench = {
  /** A: fetch Parquet, hyparquet → Flechette Arrow IPC → insertArrowFromIPCStream. */
  async parquet(url: string) {
    const [{ conn }, bytes] = await Promise.all([database(), fetch(url).then((r) => r.arrayBuffer())]);
    const fetched = performance.now();
    await conn.insertArrowFromIPCStream(await parquetToArrowIPC(bytes), { name: 't', create: true });
    const inserted = performance.now();
    const rows = await firstQuery();
    return { fetched, inserted, done: performance.now(), rows };
  },
  /** C: fetch a DuckDB database file written by native DuckDB, attach it read-only. */
  async duckdbFile(url: string) {
    const [{ db, conn }, bytes] = await Promise.all([database(), fetch(url).then((r) => r.arrayBuffer())]);
    const fetched = performance.now();
    await db.registerFileBuffer('snapshot.duckdb', new Uint8Array(bytes));
    await conn.query("ATTACH 'snapshot.duckdb' AS snapshot (READ_ONLY)");
    await conn.query('CREATE VIEW t AS SELECT * FROM snapshot.t');
    const inserted = performance.now();
    const rows = await firstQuery();
    return { fetched, inserted, done: performance.now(), rows };
  },
};
document.body.dataset.ready = 'true';
