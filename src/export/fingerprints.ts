/** What each fact holds per period, to tell which periods changed since an earlier snapshot. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { PERIOD_START } from '../lib/metric-sql.ts';
import type { Model } from '../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../lib/sql-quote.ts';
import { queryRows } from '../node/duckdb.ts';
import { factTable } from './facts.ts';

/**
 * What each fact holds per grain and period, in `fingerprints`: its row
 * count and two sums over a 64-bit hash of every row (whole-row values with
 * the columns' names and types, so any changed, added or removed row or
 * column changes them; sums, so row order does not). A period's metric
 * values depend only on its rows, the metric SQL, the calendar and the
 * engine, so a period whose fingerprint matches an earlier snapshot's (made
 * by the same SQL, calendar and engine) has that snapshot's values.
 */
export async function fingerprintFacts(db: DuckDBConnection, model: Model): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE fingerprints (fact VARCHAR, grain VARCHAR, period_start DATE, n BIGINT, s HUGEINT, q HUGEINT)');
  for (const fact of model.facts) {
    const described = await queryRows(db, `DESCRIBE ${factTable(fact)}`);
    // The columns' names and types are hashed too: hash() sees 45 and 45.00, or two swapped columns, alike.
    const schema = sqlString(JSON.stringify(described.map((c) => [c.column_name, c.column_type])));
    const columns = [schema, ...described.map((c) => sqlIdentifier(String(c.column_name)))];
    const sums = 'sum(n) AS n, sum(s) AS s, sum(q) AS q';
    await db.run(
      `INSERT INTO fingerprints
       WITH days AS (
         SELECT date, count(*) AS n, sum(h) AS s, sum((h >> 32) * (h & 4294967295)) AS q
         FROM (SELECT date, hash(${columns.join(', ')}) AS h FROM ${factTable(fact)}) GROUP BY date
       )
       SELECT ${sqlString(fact.id)}, 'month', ${PERIOD_START.month}, ${sums} FROM days GROUP BY ALL
       UNION ALL
       SELECT ${sqlString(fact.id)}, 'week', ${PERIOD_START.week}, ${sums} FROM days GROUP BY ALL`,
    );
  }
}
