/**
 * DuckDB-WASM, started once per page on first use. The wasm and its worker
 * are build assets of this site (no CDN). Extension auto-install and
 * auto-load are off: the browser build has no Parquet reader and would
 * otherwise try DuckDB's extension server and hang, so a query needing an
 * extension now fails at once. Snapshot tables arrive as Arrow (see
 * parquet-to-arrow.ts).
 */
import { AsyncDuckDB, type AsyncDuckDBConnection, ConsoleLogger, LogLevel } from '@duckdb/duckdb-wasm';
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { parquetToArrowIPC } from './parquet-to-arrow.ts';

let started: Promise<{ db: AsyncDuckDB; conn: AsyncDuckDBConnection }> | undefined;
const loaded = new Map<string, Promise<void>>();

/** The page's database and its one connection, started on first call. */
export function database(): Promise<{ db: AsyncDuckDB; conn: AsyncDuckDBConnection }> {
  started ??= (async () => {
    const worker = new Worker(workerUrl);
    const db = new AsyncDuckDB(new ConsoleLogger(LogLevel.WARNING), worker);
    await db.instantiate(new URL(wasmUrl, location.href).href);
    await db.open({ query: { castBigIntToDouble: true } });
    const conn = await db.connect();
    await conn.query('SET autoinstall_known_extensions = false');
    await conn.query('SET autoload_known_extensions = false');
    return { db, conn };
  })();
  return started;
}

export async function connect(): Promise<AsyncDuckDBConnection> {
  return (await database()).conn;
}

/** Loads a snapshot table from its Parquet file once per page. */
export function loadTable(name: string, url: string): Promise<void> {
  const key = `${name} ${url}`;
  let done = loaded.get(key);
  if (!done) {
    done = (async () => {
      const [conn, response] = await Promise.all([connect(), fetch(url)]);
      if (!response.ok) throw new Error(`Could not load ${url} (HTTP ${response.status}).`);
      const ipc = await parquetToArrowIPC(await response.arrayBuffer());
      await conn.insertArrowFromIPCStream(ipc, { name, create: true });
    })();
    loaded.set(key, done);
    done.catch(() => loaded.delete(key));
  }
  return done;
}
