/**
 * Export, step 3: every metric for every grain × business line × declared
 * dimension, into one long table `metric_values`:
 *   grain, period_start, business_line ('All' = company total),
 *   dimension (NULL = no breakdown), dimension_value, metric, value.
 *
 * Metrics that share a fact, a filter and a grain are computed in one pass.
 * The company total is computed, not summed, so distinct counts, medians and
 * ratios are right. Breakdown cells with fewer distinct entities (people,
 * subscriptions, tickets) than the minimum group size are folded into
 * "Other" and recomputed; an "Other" still too small is left out.
 *
 * A period's values depend only on its rows: periods whose rows are the
 * same as in an earlier snapshot take that snapshot's values (see
 * fingerprintFacts), so a monthly run computes little more than the new month.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type DateRange, factQueries, PERIOD_START } from '../lib/metric-sql.ts';
import { type Fact, GRAINS, type Grain, type Metric, type Model } from '../lib/model-schema.ts';
import { createMetricsTable } from '../lib/snapshot-table.ts';
import { sqlString } from '../lib/sql-quote.ts';
import { queryRows } from '../node/duckdb.ts';
import type { LoadedModel } from '../node/load-model.ts';
import { ExportError, firstLines } from './errors.ts';
import { buildFacts, factTable } from './facts.ts';

/** Most rows in one part when a fact's history is computed in parts (see historyRanges). */
export const PART_ROWS = 12_000_000;

/** Periods of one grain: how many a fact has, and those to compute. */
export type Reuse = Record<Grain, { periods: number; computed: number }>;

/**
 * Computes every metric into `metric_values` for the current period (queries:
 * src/lib/metric-sql.ts). With `reuse`, the tables `previous_values` and
 * `previous_fingerprints` hold an earlier snapshot's values and fingerprints
 * (same metric SQL, calendar and engine): the values of periods whose fingerprints
 * match are copied from it and only the other periods are computed. Returns
 * per fact how many periods were computed.
 */
export async function computeMetrics(
  db: DuckDBConnection,
  model: Model,
  where: LoadedModel['where'],
  { partRows = PART_ROWS, reuse = false, log }: { partRows?: number; reuse?: boolean; log?: (message: string) => void } = {},
): Promise<Map<string, Reuse>> {
  await db.run(createMetricsTable('metric_values'));
  const computed = new Map<string, Reuse>();
  for (const fact of model.facts) {
    const metrics = model.metrics.filter((m) => m.source === fact.id);
    if (metrics.length === 0) continue;
    const changed = reuse ? await changedPeriods(db, fact, metrics, partRows) : null;
    const table = changed ? '_changed_rows' : factTable(fact);
    const ranges = changed ? [{ from: null, to: null }] : await historyRanges(db, table, partRows);
    for (const range of ranges) {
      for (const query of factQueries(table, fact, metrics, model.calendar.privacy.minimumGroupSize, { folded: true, range, only: changed?.only })) {
        const t = performance.now();
        await run(db, model, where, query.metrics, query.sql);
        const part = ranges.length > 1 ? ` [${range.from ?? 'start'} to ${range.to ?? 'end'}]` : '';
        log?.(`timing:   ${fact.id} ${query.label}${part} ${((performance.now() - t) / 1000).toFixed(2)} s`);
      }
    }
    if (changed) {
      computed.set(fact.id, changed.counts);
      await db.run('DROP TABLE _changed_rows');
    }
  }
  return computed;
}

/**
 * The periods of a fact whose fingerprints differ from the earlier
 * snapshot's (or that it did not have): their rows go into `_changed_rows`,
 * and the values of all the other periods are copied from the earlier
 * snapshot. Null, with nothing copied, when the changed periods hold more
 * than `partRows` rows: then the fact is computed whole, in parts.
 */
async function changedPeriods(db: DuckDBConnection, fact: Fact, metrics: Metric[], partRows: number): Promise<{ only: Record<Grain, string[]>; counts: Reuse } | null> {
  const grains = GRAINS.filter((grain) => metrics.some((m) => m.grains.includes(grain)));
  const matched = `(SELECT grain, period_start, coalesce(c.n = p.n AND c.s = p.s AND c.q = p.q, false) AS same
                    FROM fingerprints c LEFT JOIN previous_fingerprints p USING (fact, grain, period_start)
                    WHERE c.fact = ${sqlString(fact.id)} AND c.grain IN (${grains.map(sqlString).join(', ')}))`;
  const rows = await queryRows(db, `SELECT grain, strftime(period_start, '%Y-%m-%d') AS period, same FROM ${matched} ORDER BY ALL`);
  const only = Object.fromEntries(GRAINS.map((grain) => [grain, rows.filter((r) => r.grain === grain && !r.same).map((r) => String(r.period))])) as Record<Grain, string[]>;
  // The rows of the changed periods, read once: the queries then read only these.
  const listed = (grain: Grain) => (only[grain].length === 0 ? 'FALSE' : `${PERIOD_START[grain]} IN (${only[grain].map((p) => `DATE ${sqlString(p)}`).join(', ')})`);
  await db.run(`CREATE OR REPLACE TEMP TABLE _changed_rows AS SELECT * FROM ${factTable(fact)} WHERE ${listed('month')} OR ${listed('week')}`);
  const [changed] = await queryRows(db, 'SELECT count(*) AS n FROM _changed_rows');
  if (Number(changed?.n) > partRows) {
    await db.run('DROP TABLE _changed_rows');
    return null;
  }
  await db.run(
    `INSERT INTO metric_values SELECT v.* FROM previous_values v SEMI JOIN (SELECT grain, period_start FROM ${matched} WHERE same) USING (grain, period_start)
     WHERE v.metric IN (${metrics.map((m) => sqlString(m.id)).join(', ')})`,
  );
  const of = (grain: Grain) => ({ periods: rows.filter((r) => r.grain === grain).length, computed: only[grain].length });
  return { only, counts: { month: of('month'), week: of('week') } };
}

/**
 * Splits a large fact's history into runs of whole months of at most
 * `limit` rows (a month larger than that is a run of its own; factRows moves
 * each bound back to its ISO week's Monday for weekly figures), so that each
 * query's hash tables (distinct counts keep one entry per period and entity)
 * stay small enough for memory and caches however long the history is. A
 * fact of up to `limit` rows is one open range: the queries are then exactly
 * those of the whole history.
 */
export async function historyRanges(db: DuckDBConnection, table: string, limit: number): Promise<DateRange[]> {
  const [total] = await queryRows(db, `SELECT count(*) AS n FROM ${table}`);
  if (Number(total?.n) <= limit) return [{ from: null, to: null }];
  const months = await queryRows(db, `SELECT strftime(date_trunc('month', date), '%Y-%m-%d') AS month, count(*) AS n FROM ${table} GROUP BY ALL ORDER BY month`);
  const starts: string[] = [];
  let rows = Infinity;
  for (const { month, n } of months) {
    if (rows + Number(n) > limit) {
      starts.push(String(month));
      rows = 0;
    }
    rows += Number(n);
  }
  // Open at both ends: consecutive ranges cover every day once.
  return starts.map((from, i) => ({ from: i === 0 ? null : from, to: starts[i + 1] ?? null }));
}

async function run(db: DuckDBConnection, model: Model, where: LoadedModel['where'], metrics: Metric[], sql: string): Promise<void> {
  try {
    await db.run(`INSERT INTO metric_values ${sql}`);
  } catch (error) {
    await explainFailure(db, model, where, metrics);
    throw error;
  }
}

/**
 * Checks that every metric of the model can be computed over its fact,
 * without computing anything: the facts become views over the sources (as
 * they stand for the period set in `period_end`) and each metric query is
 * only prepared, so DuckDB binds it but reads no rows. For a run that keeps
 * every snapshot: a model edited since would otherwise fail only when the
 * next month is exported.
 */
export async function bindMetrics(db: DuckDBConnection, model: Model, where: LoadedModel['where']): Promise<void> {
  await buildFacts(db, model, where, { bindOnly: true });
  for (const fact of model.facts) {
    const metrics = model.metrics.filter((m) => m.source === fact.id);
    for (const query of factQueries(factTable(fact), fact, metrics, model.calendar.privacy.minimumGroupSize, { folded: true })) {
      try {
        (await db.prepare(query.sql)).destroySync();
      } catch (error) {
        await explainFailure(db, model, where, query.metrics);
        throw error;
      }
    }
  }
  for (const fact of model.facts) await db.run(`DROP VIEW IF EXISTS ${factTable(fact)}`);
}

/** Finds the metric whose expression fails on its own, to name it in an ExportError; returns when none does. */
async function explainFailure(db: DuckDBConnection, model: Model, where: LoadedModel['where'], metrics: Metric[]): Promise<void> {
  for (const metric of metrics) {
    const fact = model.facts.find((f) => f.id === metric.source)!;
    try {
      // Grouped as the export groups, so an expression that is not an aggregate fails here too.
      await db.run(`SELECT business_line, (${metric.expression})::DOUBLE FROM ${factTable(fact)}${metric.filter ? ` WHERE ${metric.filter}` : ''} GROUP BY business_line LIMIT 0`);
    } catch (own) {
      const index = model.metrics.indexOf(metric);
      const columns = (await queryRows(db, `DESCRIBE ${factTable(fact)}`)).map((c) => String(c.column_name));
      const notAggregate = /must appear in the GROUP BY clause|must be part of an aggregate/i.test(String((own as Error).message ?? own));
      throw new ExportError(
        `${where('metrics', ['metrics', index, metric.filter ? 'filter' : 'expression'])}  metrics[${index}] (${metric.id}): DuckDB cannot compute it over ${fact.id}.\n` +
          `  ${firstLines(own, 3).replaceAll('\n', '\n  ')}\n` +
          (notAggregate ? `  A metric is one number per period: write an aggregate over the period's rows, such as count(*) or sum(revenue).\n` : '') +
          `  Columns of ${fact.id}: ${columns.join(', ')}.`,
      );
    }
  }
}
