/**
 * npm run bench:loaders: how should the browser get a snapshot's rows into
 * DuckDB-WASM, whose npm build has no Parquet reader? Measured on a 1M-row
 * table (dates, two business lines, ten regions, money) in headless Chromium,
 * median of 5 cold page loads, navigation to first query result:
 *
 *   A  Parquet → hyparquet → Flechette Arrow (dictionary strings) → insert  (what the site uses)
 *   C  a .duckdb file written by native DuckDB, attached read-only
 *
 * and the bytes each needs. Both must give the same answer as native DuckDB.
 */
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'vite';
import { openDatabase, queryRows } from '../src/node/duckdb.ts';
import { parseCommandLine } from '../src/node/cli.ts';
import { kb, launch, mb, median, ms, ROOT, serve } from './lib.ts';

parseCommandLine(
  `npm run bench:loaders

Times two ways of getting a snapshot's rows into DuckDB-WASM in Chromium (1M rows, median of 5 cold loads)
and prints the bytes each needs. Takes no options.`,
  { options: {} },
);

const RUNS = 5;
const out = join(ROOT, 'bench/results/loaders');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

console.log('Making a 1,000,000-row table with native DuckDB…');
const db = await openDatabase();
await db.run(`
  CREATE TABLE t AS
  SELECT DATE '2023-01-01' + (hash(i) % 1096)::INTEGER AS day,
         CASE WHEN hash(i * 3) % 3 = 0 THEN 'Production' ELSE 'Casting' END AS business_line,
         'Region ' || (hash(i * 5) % 10)::VARCHAR AS region,
         round((hash(i * 7) % 10000000) / 100.0, 2)::DOUBLE AS amount,
         (hash(i * 11) % 5)::INTEGER AS items
  FROM range(1000000) r(i)
  ORDER BY day -- snapshots are written in time order`);
const parquet = join(out, 't.parquet');
await db.run(`COPY t TO '${parquet}' (FORMAT parquet, COMPRESSION snappy)`);
const duckdbFile = join(out, 't.duckdb');
let duckdbFileOk = true;
try {
  // DuckDB-WASM 1.4 must be able to read what native 1.5 writes.
  await db.run(`ATTACH '${duckdbFile}' AS f (STORAGE_VERSION 'v1.4.0')`);
  await db.run('CREATE TABLE f.t AS SELECT * FROM t');
  await db.run('DETACH f');
} catch (error) {
  duckdbFileOk = false;
  console.log(`  could not write a 1.4-readable .duckdb file: ${(error as Error).message}`);
}
const expected = await queryRows(db, 'SELECT business_line, round(sum(amount), 2) AS amount, count(*) AS n FROM t GROUP BY 1 ORDER BY 1');

const brotli = (file: string) =>
  brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length;

console.log('Building the harness page with Vite…');
await build({
  root: join(ROOT, 'bench/harness'),
  base: './',
  logLevel: 'warn',
  build: { outDir: join(out, 'harness'), emptyOutDir: true, chunkSizeWarningLimit: 2048 },
});

const port = 4398;
const stop = await serve(out, '/', port);
const browser = await launch();
try {
  const strategies = [
    { id: 'A', label: 'Parquet via hyparquet + Flechette', fn: 'parquet', file: 't.parquet' },
    ...(duckdbFileOk ? [{ id: 'C', label: '.duckdb file, attached', fn: 'duckdbFile', file: 't.duckdb' }] : []),
  ];
  console.log(`\nNavigation → first query result, median of ${RUNS} cold loads (1M rows)`);
  for (const strategy of strategies) {
    const totals: number[] = [];
    const phases: { fetched: number; inserted: number }[] = [];
    let rows: unknown;
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/harness/`);
      await page.waitForSelector('body[data-ready]');
      const result = (await page.evaluate(
        ([fn, url]) => window.bench[fn!]!(url!),
        [strategy.fn, `http://127.0.0.1:${port}/${strategy.file}`],
      )) as { fetched: number; inserted: number; done: number; rows: unknown };
      totals.push(result.done);
      phases.push(result);
      rows = result.rows;
      await context.close();
    }
    const file = join(out, strategy.file);
    const same = JSON.stringify(rows) === JSON.stringify(expected);
    console.log(`  ${strategy.id} ${strategy.label}: ${ms(median(totals))}  [${totals.map(ms).join(', ')}]`);
    console.log(`     file ${mb(statSync(file).size)} (${mb(brotli(file))} brotli); data in hand at ${ms(median(phases.map((p) => p.fetched)))}, table ready at ${ms(median(phases.map((p) => p.inserted)))}; same result as native DuckDB: ${same ? 'yes' : 'NO'}`);
  }
  const demo = join(ROOT, 'public/data/snapshots/2026-10/metrics.parquet');
  console.log(`\nFor scale: the demo snapshot's metrics.parquet is ${kb(statSync(demo).size)}.`);
} finally {
  await browser.close();
  stop();
}
