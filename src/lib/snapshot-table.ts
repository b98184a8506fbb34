/**
 * The snapshot's long table, owned here: its name, its columns, the order it
 * is written in, and every query over it. The export creates and fills it
 * (as `metric_values`, written to metrics.parquet); the site build and the
 * browser read it as `metrics`. Shared, so both engines run the same text.
 *
 * One row per metric × grain × period × business line ('All' is the company
 * total) × dimension value (dimension NULL: no breakdown). Input values are
 * never spliced in: `$name` stays a parameter (sql-params.ts).
 */
import type { Grain } from './model-schema.ts';
import { sqlIdentifier, sqlString } from './sql-quote.ts';

/** The table's name in a snapshot, as stories' SQL reads it. */
export const METRICS_TABLE = 'metrics';

/** Its file in the snapshot folder. */
export const METRICS_FILE = 'metrics.parquet';

/** Its columns, in order, with their DuckDB types. */
export const METRICS_COLUMNS = [
  { name: 'grain', type: 'VARCHAR' },
  { name: 'period_start', type: 'DATE' },
  { name: 'business_line', type: 'VARCHAR' },
  { name: 'dimension', type: 'VARCHAR' },
  { name: 'dimension_value', type: 'VARCHAR' },
  { name: 'metric', type: 'VARCHAR' },
  { name: 'value', type: 'DOUBLE' },
] as const;

/** The column list, for a SELECT that yields the table's rows. */
export const METRICS_COLUMN_LIST = METRICS_COLUMNS.map((c) => c.name).join(', ');

/** The business line of the company total. */
export const COMPANY = 'All';

/** The order the export writes the rows in (a metric's rows together, so a reader of one metric reads few row groups). */
export const METRICS_ORDER = 'metric, grain, dimension NULLS FIRST, dimension_value, business_line, period_start';

/** Creates an empty table of this layout called `name` (the export's metric_values). */
export function createMetricsTable(name: string): string {
  return `CREATE OR REPLACE TABLE ${name} (${METRICS_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')})`;
}

/** The monthly totals (no breakdown) of every metric and business line in `table`: what completeness and jump checks read. */
export function monthlyTotals(table: string): string {
  return `(SELECT * FROM ${table} WHERE grain = 'month' AND dimension IS NULL)`;
}

const PARAM = /^\$[A-Za-z_][A-Za-z0-9_]*$/;

/** `$name` stays a parameter; anything else becomes a quoted literal. */
function valueOf(text: string): string {
  return PARAM.test(text) ? text : sqlString(text);
}

/** A date bound: a month becomes its first day. */
function dateOf(text: string): string {
  if (PARAM.test(text)) return `CAST(${text} AS DATE)`;
  return `DATE ${sqlString(/^\d{4}-\d{2}$/.test(text) ? `${text}-01` : text)}`;
}

export interface MetricRequest {
  /** Metric id. */
  metric: string;
  /** Split into series: "business_line", or a dimension id the metric declares. Default: no split. */
  by?: string;
  /** Default "month". */
  grain?: Grain;
  /**
   * "All" (default), a business line, or `$name` to follow an input. With
   * `by="business_line"` it narrows the lines shown ("All" shows every line).
   */
  businessLine?: string;
  /** First and last period (YYYY-MM or YYYY-MM-DD), or `$name` inputs. */
  from?: string;
  to?: string;
}

export interface MetricQuery {
  sql: string;
  /** The date column ("month" or "week"). */
  x: string;
  /** The value column: the metric's id. */
  y: string;
  /** The series column, when split. */
  series?: string;
}

/** A metric over time, for a chart or table: one row per period (and series). */
export function metricQuery(request: MetricRequest): MetricQuery {
  const grain = request.grain ?? 'month';
  const x = grain;
  const y = request.metric;
  const line = request.businessLine ?? COMPANY;
  const where = [`metric = ${sqlString(request.metric)}`, `grain = ${sqlString(grain)}`];
  let series: string | undefined;
  let select = `period_start AS ${sqlIdentifier(x)}`;
  if (request.by === 'business_line') {
    series = 'business_line';
    select += ', business_line';
    where.push('dimension IS NULL', `business_line <> ${sqlString(COMPANY)}`);
    if (line !== COMPANY) where.push(`(${valueOf(line)} = ${sqlString(COMPANY)} OR business_line = ${valueOf(line)})`);
  } else if (request.by) {
    series = request.by;
    select += `, dimension_value AS ${sqlIdentifier(request.by)}`;
    where.push(`dimension = ${sqlString(request.by)}`, `business_line = ${valueOf(line)}`);
  } else {
    where.push('dimension IS NULL', `business_line = ${valueOf(line)}`);
  }
  if (request.from) where.push(`period_start >= ${dateOf(request.from)}`);
  if (request.to) where.push(`period_start <= ${dateOf(request.to)}`);
  const order = series ? `${sqlIdentifier(x)}, ${sqlIdentifier(series)}` : sqlIdentifier(x);
  return {
    sql: `SELECT ${select}, value AS ${sqlIdentifier(y)}\nFROM ${METRICS_TABLE}\nWHERE ${where.join('\n  AND ')}\nORDER BY ${order}`,
    x,
    y,
    series,
  };
}

export interface MetricValueRequest {
  metric: string;
  /** The month, YYYY-MM. */
  period: string;
  /** "All", a business line, or `$name`. */
  businessLine?: string;
  /** A dimension and its value, for one cell of a breakdown. */
  dimension?: string;
  dimensionValue?: string;
}

/**
 * One metric in one month, with the month before and the same month a year
 * before: columns value, previous, year_ago (NULL where missing).
 */
export function metricValueQuery(request: MetricValueRequest): string {
  const start = `DATE ${sqlString(`${request.period}-01`)}`;
  const cell = request.dimension ? `dimension = ${sqlString(request.dimension)} AND dimension_value = ${valueOf(request.dimensionValue ?? '')}` : 'dimension IS NULL';
  return `WITH m AS (
  SELECT period_start, value FROM ${METRICS_TABLE}
  WHERE metric = ${sqlString(request.metric)} AND grain = 'month' AND ${cell} AND business_line = ${valueOf(request.businessLine ?? COMPANY)}
)
SELECT (SELECT value FROM m WHERE period_start = ${start}) AS value,
       (SELECT value FROM m WHERE period_start = ${start} - INTERVAL 1 MONTH) AS previous,
       (SELECT value FROM m WHERE period_start = ${start} - INTERVAL 1 YEAR) AS year_ago`;
}

/**
 * A metric's series (period_start, value), oldest first, with positional
 * parameters: $1 metric, $2 grain, $3 business line, $4 dimension and $5
 * its value (both NULL for the total).
 */
export const SERIES_SQL = `SELECT period_start, value FROM ${METRICS_TABLE}
     WHERE metric = $1 AND grain = $2 AND business_line = $3
       AND dimension IS NOT DISTINCT FROM $4 AND dimension_value IS NOT DISTINCT FROM $5
     ORDER BY period_start`;

/** The values (column v) a metric's dimension takes, sorted: $1 metric, $2 dimension. */
export const DIMENSION_VALUES_SQL = `SELECT DISTINCT dimension_value AS v FROM ${METRICS_TABLE} WHERE metric = $1 AND dimension = $2 ORDER BY v`;

/** The values (column v) of every dimension of a metric ($1), sorted. */
export const ALL_DIMENSION_VALUES_SQL = `SELECT DISTINCT dimension_value AS v FROM ${METRICS_TABLE} WHERE metric = $1 AND dimension IS NOT NULL ORDER BY v`;

/** Every month the snapshot has values for (column month, YYYY-MM), oldest first. */
export const MONTHS_SQL = `SELECT DISTINCT strftime(period_start, '%Y-%m') AS month FROM ${METRICS_TABLE} WHERE grain = 'month' ORDER BY month`;

/** The series a breakdown selector shows for the company total. */
export const COMPANY_SERIES = 'Company';

/** The breakdown selector's first two choices; the others are the metric's dimensions, by label. */
export const BREAKDOWN_TOTAL = 'Company total';
export const BREAKDOWN_LINES = 'Business line';

/**
 * A metric's page chart: period, series and value for the breakdown chosen
 * in the `$breakdown` input ('Company total', 'Business line' or a
 * dimension's label), by month or, with `weekly`, by the `$period` input
 * ('Weekly' or 'Monthly').
 */
export function breakdownSelectorQuery(metric: string, dimensions: { id: string; label: string }[], weekly: boolean): string {
  const dimensionCases = dimensions.map((d) => `WHEN ${sqlString(d.label)} THEN business_line = ${sqlString(COMPANY)} AND dimension = ${sqlString(d.id)}`).join('\n        ');
  return `SELECT period_start AS period,
       CASE $breakdown WHEN ${sqlString(BREAKDOWN_TOTAL)} THEN ${sqlString(COMPANY_SERIES)}
                       WHEN ${sqlString(BREAKDOWN_LINES)} THEN business_line
                       ELSE dimension_value END AS series,
       value
FROM ${METRICS_TABLE}
WHERE metric = ${sqlString(metric)}
  AND grain = ${weekly ? "CASE $period WHEN 'Weekly' THEN 'week' ELSE 'month' END" : "'month'"}
  AND CASE $breakdown
        WHEN ${sqlString(BREAKDOWN_TOTAL)} THEN business_line = ${sqlString(COMPANY)} AND dimension IS NULL
        WHEN ${sqlString(BREAKDOWN_LINES)} THEN business_line <> ${sqlString(COMPANY)} AND dimension IS NULL
        ${dimensionCases}
        ELSE false END
ORDER BY period, series`;
}
