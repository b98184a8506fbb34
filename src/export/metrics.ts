/**
 * Export, step 2: every metric for every grain × business line × declared
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
import { countOf, formatDay, formatPeriod } from '../lib/format.ts';
import type { Manifest } from '../lib/manifest.ts';
import { type DateRange, factQueries, PERIOD_START } from '../lib/metric-sql.ts';
import { type Fact, GRAINS, type Grain, type Metric, type Model } from '../lib/model-schema.ts';
import { queryRows } from '../node/duckdb.ts';
import { sqlIdentifier, sqlString } from '../lib/sql-quote.ts';
import { ExportError, firstLines } from './sources/sources.ts';
import type { LoadedModel } from '../node/load-model.ts';
import { COMPANY, createMetricsTable, monthlyTotals } from '../lib/snapshot-table.ts';

type Check = Manifest['checks'][number];

export const factTable = (fact: Fact) => sqlIdentifier(`fact_${fact.id}`);

/**
 * Materialises each fact for the current period; a failing SQL or a stray
 * business line names the fact. With `bindOnly`, each fact is a view instead
 * and its rows are not read: only its SQL and columns are checked.
 */
export async function buildFacts(db: DuckDBConnection, model: Model, where: LoadedModel['where'], { bindOnly = false } = {}): Promise<void> {
  const lines = model.calendar.businessLines.map((l) => l.id);
  for (const [index, fact] of model.facts.entries()) {
    try {
      // In memory (spilling to disk when large): a fact lives for one period.
      await db.run(`CREATE OR REPLACE TEMP ${bindOnly ? 'VIEW' : 'TABLE'} ${factTable(fact)} AS SELECT * FROM (${fact.sql}) WHERE date <= getvariable('period_end')`);
    } catch (error) {
      throw new ExportError(`${where('facts', ['facts', index, 'sql'])}  facts[${index}].sql (${fact.id}): DuckDB could not run it.\n  ${firstLines(error).replaceAll('\n', '\n  ')}`);
    }
    const columns = (await queryRows(db, `DESCRIBE ${factTable(fact)}`)).map((c) => String(c.column_name));
    for (const [j, dimension] of fact.dimensions.entries()) {
      if (!columns.includes(dimension.column)) {
        throw new ExportError(
          `${where('facts', ['facts', index, 'dimensions', j, 'column'])}  facts[${index}].dimensions[${j}].column: the fact ${fact.id} has no column "${dimension.column}". Its columns: ${columns.join(', ')}.`,
        );
      }
    }
    if (fact.entity && !columns.includes(fact.entity)) {
      throw new ExportError(`${where('facts', ['facts', index, 'entity'])}  facts[${index}].entity: the fact ${fact.id} has no column "${fact.entity}". Its columns: ${columns.join(', ')}.`);
    }
    const valued = fact.columns.flatMap((c, j) => (c.values ? [{ j, name: c.name, values: c.values }] : []));
    for (const { j, name } of valued) {
      if (!columns.includes(name)) {
        throw new ExportError(`${where('facts', ['facts', index, 'columns', j, 'name'])}  facts[${index}].columns[${j}].name: the fact ${fact.id} has no column "${name}". Its columns: ${columns.join(', ')}.`);
      }
    }
    if (bindOnly) continue;
    // Every row's business line, and each column with a list of values, is one of them: a source value the SQL does not map
    // (a line, a portal's new event name) would silently drop out of every metric. One scan counts both.
    const outside = (column: string, allowed: string[]) => `${sqlIdentifier(column)} IS NULL OR ${sqlIdentifier(column)} NOT IN (${allowed.map(sqlString).join(', ')})`;
    const [counts] = await queryRows(
      db,
      `SELECT ${[`count(*) FILTER (WHERE ${outside('business_line', lines)}) AS stray`, ...valued.map((c, i) => `count(*) FILTER (WHERE ${outside(c.name, c.values)}) AS outside_${i}`)].join(', ')} FROM ${factTable(fact)}`,
    );
    if (Number(counts?.stray) > 0) {
      const stray = await queryRows(db, `SELECT DISTINCT business_line AS line FROM ${factTable(fact)} WHERE ${outside('business_line', lines)} LIMIT 5`);
      throw new ExportError(
        `${where('facts', ['facts', index, 'sql'])}  facts[${index}].sql (${fact.id}): business_line has ${stray.map((r) => (r.line === null ? 'empty values' : `"${String(r.line)}"`)).join(', ')}, ` +
          `but the business lines are ${lines.join(', ')}. Map every source value to one of them.`,
      );
    }
    for (const [i, { j, ...column }] of valued.entries()) {
      const n = Number(counts?.[`outside_${i}`]);
      if (n === 0) continue;
      const found = await queryRows(
        db,
        `SELECT ${sqlIdentifier(column.name)}::VARCHAR AS value, business_line AS line, count(*) AS n, strftime(min(date), '%Y-%m-%d') AS first
         FROM ${factTable(fact)} WHERE ${outside(column.name, column.values)} GROUP BY ALL ORDER BY n DESC, value LIMIT 4`,
      );
      const shown = found.map((r) => `${r.value === null ? 'empty' : `"${String(r.value)}"`} in ${countOf(Number(r.n), `${String(r.line)} row`)} (the first dated ${formatDay(String(r.first))})`);
      throw new ExportError(
        `${where('facts', ['facts', index, 'columns', j, 'values'])}  facts[${index}].columns[${j}].values (${fact.id}): ${column.name} is not one of ${column.values.join(', ')} in ${countOf(n, 'row')}: ${shown.join('; ')}.\n` +
          `  A source value the fact's SQL does not map (a new or renamed one) would drop out of every metric. Map it in facts[${index}].sql, or add it to the list.`,
      );
    }
  }
}

/** Most rows in one part when a fact's history is computed in parts (see historyRanges). */
export const PART_ROWS = 12_000_000;

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

/**
 * Checks on the computed metrics: no impossible values (negative counts or
 * money), every month present for every business line since the metric's
 * first month (its completeness SLO), and sudden month-on-month jumps in the
 * latest three months (a warning: worth a look, not wrong).
 */
export async function checkMetrics(db: DuckDBConnection, model: Model): Promise<Check[]> {
  const checks: Check[] = [];
  // Counts and durations cannot be negative; money and margins can (refunds, losses).
  const nonNegative = model.metrics.filter((m) => m.unit === 'count' || m.unit === 'duration').map((m) => m.id);
  const negative = await queryRows(
    db,
    `SELECT metric, count(*) AS n, min(value) AS lowest FROM metric_values WHERE value < 0 AND metric IN (${nonNegative.map(sqlString).join(', ')}) GROUP BY metric ORDER BY metric`,
  );
  for (const metric of model.metrics) {
    const bad = negative.find((r) => r.metric === metric.id);
    if (bad) checks.push({ name: 'no impossible values', source: metric.id, status: 'fail', detail: `${Number(bad.n)} values below zero (lowest ${Number(bad.lowest)}); ${metric.label} cannot be negative. Check its expression and sources.` });
  }
  const completeness = await queryRows(
    db,
    `WITH spans AS (
       SELECT metric, business_line, min(period_start) AS first, count(*) AS present
       FROM ${monthlyTotals('metric_values')} GROUP BY ALL
     )
     SELECT metric, business_line, present, datediff('month', first, date_trunc('month', getvariable('period_end'))) + 1 AS expected FROM spans ORDER BY ALL`,
  );
  for (const metric of model.metrics) {
    const rows = completeness.filter((r) => r.metric === metric.id);
    const expected = rows.reduce((s, r) => s + Number(r.expected), 0);
    const present = rows.reduce((s, r) => s + Number(r.present), 0);
    const share = expected === 0 ? 0 : present / expected;
    const ok = expected > 0 && share >= metric.slo.completeness;
    // Per business line and 'All', each since its own first month: "Casting 41 of 43".
    const lines = rows.map((r) => `${String(r.business_line)} ${Number(r.present)}${Number(r.present) < Number(r.expected) ? ` of ${Number(r.expected)}` : ''}`).join(', ');
    const missing = present < expected;
    checks.push({
      name: 'completeness',
      source: metric.id,
      status: ok ? 'pass' : 'warn',
      detail:
        expected === 0
          ? 'no values at all'
          : `${missing ? 'months present' : 'every month present'}: ${lines} (SLO ${Math.round(metric.slo.completeness * 100)}%).`,
    });
  }
  const jumps = await queryRows(
    db,
    `WITH series AS (
       SELECT metric, period_start, value, lag(value) OVER (PARTITION BY metric ORDER BY period_start) AS previous
       FROM ${monthlyTotals('metric_values')} WHERE business_line = ${sqlString(COMPANY)}
     )
     SELECT metric, strftime(period_start, '%Y-%m') AS month, value, previous FROM series
     WHERE period_start > date_trunc('month', getvariable('period_end')) - INTERVAL 3 MONTH
       AND previous IS NOT NULL AND previous <> 0 AND abs(value / previous - 1) > ${model.calendar.checks.jumpWarning}
     ORDER BY metric, month`,
  );
  for (const jump of jumps) {
    const change = Number(jump.value) / Number(jump.previous) - 1;
    checks.push({ name: 'sudden jump', source: String(jump.metric), status: 'warn', detail: `${change > 0 ? 'up' : 'down'} ${Math.abs(Math.round(change * 100))}% in ${formatPeriod(String(jump.month))} on the month before; worth a look before publishing.` });
  }
  return checks;
}
