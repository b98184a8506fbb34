/**
 * SQL for computing metrics from a fact table, shared by the export (native
 * DuckDB) and anything that must reproduce its numbers (DuckDB-WASM, tests).
 * Pure string building: no engine, no I/O. Each query returns one row per
 * period × business line (× dimension value) with one column per metric.
 */
import { type Fact, GRAINS, type Grain, type Metric } from './model-schema.ts';
import { METRICS_COLUMN_LIST } from './snapshot-table.ts';
import { sqlIdentifier, sqlString } from './sql-quote.ts';

/** The first day of a row's reporting period: calendar month, or ISO week (Monday). */
export const PERIOD_START: Record<Grain, string> = {
  month: "date_trunc('month', date)::DATE",
  week: "date_trunc('week', date)::DATE",
};


/**
 * Part of a fact's history: rows dated from the start of `from`'s period to
 * before the start of `to`'s (both first days of months; null = open). The
 * bounds are moved back to the grain's period start, so every month or ISO
 * week falls wholly inside one range, and consecutive ranges cover each day
 * once.
 */
export interface DateRange {
  from: string | null;
  to: string | null;
}

/**
 * The fact's rows with their period, narrowed by a metric filter, a date
 * range and, with `periods`, to the periods (first days, YYYY-MM-DD) listed.
 */
export function factRows(table: string, grain: Grain, filter = '', range: DateRange = { from: null, to: null }, periods?: string[]): string {
  const bound = (day: string) => `date_trunc(${sqlString(grain)}, DATE ${sqlString(day)})::DATE`;
  const conditions = [
    ...(filter ? [`(${filter})`] : []),
    ...(range.from ? [`date >= ${bound(range.from)}`] : []),
    ...(range.to ? [`date < ${bound(range.to)}`] : []),
    ...(periods ? [periods.length === 0 ? 'FALSE' : `${PERIOD_START[grain]} IN (${periods.map((p) => `DATE ${sqlString(p)}`).join(', ')})`] : []),
  ];
  return `(SELECT *, ${PERIOD_START[grain]} AS _period FROM ${table}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''})`;
}

function aggregates(metrics: Metric[]): string {
  return metrics.map((m) => `(${m.expression})::DOUBLE AS ${sqlIdentifier(m.id)}`).join(',\n       ');
}

/** Metrics per period and business line, plus the company total ('All'), computed not summed. */
export function totalsQuery(rows: string, grain: Grain, metrics: Metric[]): string {
  return `
    SELECT ${sqlString(grain)} AS grain, _period AS period_start, CASE WHEN grouping(business_line) = 1 THEN 'All' ELSE business_line END AS business_line,
           NULL::VARCHAR AS dimension, NULL::VARCHAR AS dimension_value,
           ${aggregates(metrics)}
    FROM ${rows}
    GROUP BY GROUPING SETS ((_period, business_line), (_period))`;
}

/**
 * What a breakdown query computes: `metrics` over `rows` (see factRows) by
 * the fact's `dimension`, per business line or for 'All', with cells under
 * `minimum` distinct entities folded into "Other".
 */
export interface Breakdown {
  rows: string;
  grain: Grain;
  metrics: Metric[];
  fact: Pick<Fact, 'entity'>;
  dimension: Fact['dimensions'][number];
  perLine: boolean;
  minimum: number;
}

/** What both breakdown queries group by, and how they measure a cell's size (distinct entities, else rows). */
function breakdownParts({ fact, perLine }: Breakdown): { line: string; keys: string; size: string } {
  return {
    line: perLine ? 'business_line' : "'All'",
    keys: perLine ? '_period, business_line' : '_period',
    size: fact.entity ? `count(DISTINCT ${sqlIdentifier(fact.entity)})` : 'count(*)',
  };
}

/**
 * Metrics per period, business line (or 'All') and dimension value. Cells
 * with fewer distinct entities than `minimum` are folded into "Other" and
 * recomputed; an "Other" still under `minimum` is left out.
 */
export function breakdownQuery(breakdown: Breakdown): string {
  const { rows, grain, metrics, fact, dimension, minimum } = breakdown;
  const { line, keys, size } = breakdownParts(breakdown);
  return `
    WITH rows AS (SELECT *, coalesce(${sqlIdentifier(dimension.column)}::VARCHAR, 'Unknown') AS _value FROM ${rows}),
    -- cells with too few distinct ${fact.entity ?? 'rows'} are folded into "Other" (privacy)
    cells AS (SELECT ${keys}, _value, ${size} < ${minimum} AS _small FROM rows GROUP BY ${keys}, _value),
    folded AS (
      SELECT r.*, CASE WHEN c._small THEN 'Other' ELSE r._value END AS _shown
      FROM rows r JOIN cells c USING (${keys}, _value)
    )
    SELECT ${sqlString(grain)} AS grain, _period AS period_start, ${line} AS business_line,
           ${sqlString(dimension.id)} AS dimension, _shown AS dimension_value,
           ${aggregates(metrics)}
    FROM folded
    GROUP BY ${keys}, _shown
    HAVING ${size} >= ${minimum}`;
}

/**
 * The same numbers as breakdownQuery, computed the way the export does it on
 * large facts: one aggregation gives every cell's metrics and size; only the
 * rows of small cells (and of a real "Other" value, which the fold merges
 * with them) are read again to compute "Other". breakdownQuery joins every
 * row to its cell instead, which costs a hash-join probe and a copy of every
 * column per row. tests/unit/engine-parity.test.ts holds the two to the same
 * values (this one in native DuckDB, breakdownQuery in DuckDB-WASM).
 */
export function foldedBreakdownQuery(breakdown: Breakdown): string {
  const { rows, grain, metrics, fact, dimension, minimum } = breakdown;
  const { line, keys, size } = breakdownParts(breakdown);
  const output = (shown: string) => `${sqlString(grain)} AS grain, _period AS period_start, ${line} AS business_line,
           ${sqlString(dimension.id)} AS dimension, ${shown} AS dimension_value, ${metrics.map((m) => sqlIdentifier(m.id)).join(', ')}`;
  return `
    WITH rows AS NOT MATERIALIZED (SELECT *, coalesce(${sqlIdentifier(dimension.column)}::VARCHAR, 'Unknown') AS _value FROM ${rows}),
    cells AS MATERIALIZED (
      SELECT ${keys}, _value, ${size} AS _size,
             ${aggregates(metrics)}
      FROM rows GROUP BY ${keys}, _value
    ),
    -- cells with too few distinct ${fact.entity ?? 'rows'} are folded into "Other" (privacy), with any real "Other"
    folded AS (
      SELECT ${keys}, ${size} AS _size,
             ${aggregates(metrics)}
      FROM rows SEMI JOIN (SELECT ${keys}, _value FROM cells WHERE _size < ${minimum} OR _value = 'Other') f USING (${keys}, _value)
      GROUP BY ${keys}
    )
    SELECT ${output('_value')} FROM cells WHERE _size >= ${minimum} AND _value <> 'Other'
    UNION ALL
    SELECT ${output("'Other'")} FROM folded WHERE _size >= ${minimum}`;
}

/** Turns a wide query's metric columns into long rows (grain, period_start, business_line, dimension, dimension_value, metric, value). */
export function longForm(query: string, metrics: Metric[]): string {
  return `SELECT ${METRICS_COLUMN_LIST}
          FROM (${query}) UNPIVOT (value FOR metric IN (${metrics.map((m) => sqlIdentifier(m.id)).join(', ')}))`;
}

/**
 * Every query for one fact: [metrics, sql] pairs in long form. `folded`
 * picks foldedBreakdownQuery (the export) over breakdownQuery (the reference).
 * With `range`, the queries compute only the periods inside it: every
 * grouping includes the period and metric expressions are aggregates over a
 * period's rows (the model schema refuses window functions, subqueries and
 * functions of the run such as getvariable), so the results
 * of consecutive ranges together are the results of the whole history.
 * For the same reason `only` may narrow each grain to some of its periods
 * (an empty list leaves the grain out): the export recomputes only the
 * periods whose rows changed since an earlier snapshot.
 */
export function factQueries(
  table: string,
  fact: Fact,
  metrics: Metric[],
  minimum: number,
  { folded = false, range, only }: { folded?: boolean; range?: DateRange; only?: Record<Grain, string[]> } = {},
): { metrics: Metric[]; sql: string; label: string }[] {
  const breakdownSql = folded ? foldedBreakdownQuery : breakdownQuery;
  const queries: { metrics: Metric[]; sql: string; label: string }[] = [];
  for (const [filter, group] of Map.groupBy(metrics, (m) => m.filter ?? '')) {
    for (const grain of GRAINS) {
      const forGrain = group.filter((m) => m.grains.includes(grain));
      if (forGrain.length === 0 || only?.[grain].length === 0) continue;
      const rows = factRows(table, grain, filter, range, only?.[grain]);
      queries.push({ metrics: forGrain, sql: longForm(totalsQuery(rows, grain, forGrain), forGrain), label: `${grain} totals${filter ? ' (filtered)' : ''}` });
      for (const dimension of fact.dimensions) {
        const withDimension = forGrain.filter((m) => m.dimensions.includes(dimension.id));
        if (withDimension.length === 0) continue;
        for (const perLine of [true, false]) {
          queries.push({
            metrics: withDimension,
            sql: longForm(breakdownSql({ rows, grain, metrics: withDimension, fact, dimension, perLine, minimum }), withDimension),
            label: `${grain} by ${dimension.id}${perLine ? ' per line' : ' for All'}${filter ? ' (filtered)' : ''}`,
          });
        }
      }
    }
  }
  return queries;
}
