/**
 * Story queries, shared by the build and the browser. A component asks for
 * either a metric (`metric="revenue" by="business_line"`) or raw SQL; this
 * module turns a metric request into SQL over the snapshot's long table, so
 * both engines run the same text. Input values are never spliced in: they
 * stay `$name` parameters, bound by position (sql-params.ts).
 */
export type QueryGrain = 'month' | 'week';

export interface MetricRequest {
  /** Metric id. */
  metric: string;
  /** Split into series: "business_line", or a dimension id the metric declares. Default: no split. */
  by?: string;
  /** Default "month". */
  grain?: QueryGrain;
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

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const PARAM = /^\$[A-Za-z_][A-Za-z0-9_]*$/;

/** `$name` stays a parameter; anything else becomes a quoted literal. */
function valueOf(text: string): string {
  return PARAM.test(text) ? text : literal(text);
}

/** A date bound: a month becomes its first day. */
function dateOf(text: string): string {
  if (PARAM.test(text)) return `CAST(${text} AS DATE)`;
  return `DATE ${literal(/^\d{4}-\d{2}$/.test(text) ? `${text}-01` : text)}`;
}

/** The SQL for a metric over time, from the snapshot's `metrics` table. */
export function metricQuery(request: MetricRequest): MetricQuery {
  const grain = request.grain ?? 'month';
  const x = grain;
  const y = request.metric;
  const line = request.businessLine ?? 'All';
  const where = [`metric = ${literal(request.metric)}`, `grain = ${literal(grain)}`];
  let series: string | undefined;
  let select = `period_start AS ${ident(x)}`;
  if (request.by === 'business_line') {
    series = 'business_line';
    select += ', business_line';
    where.push('dimension IS NULL', "business_line <> 'All'");
    if (line !== 'All') where.push(`(${valueOf(line)} = 'All' OR business_line = ${valueOf(line)})`);
  } else if (request.by) {
    series = request.by;
    select += `, dimension_value AS ${ident(request.by)}`;
    where.push(`dimension = ${literal(request.by)}`, `business_line = ${valueOf(line)}`);
  } else {
    where.push('dimension IS NULL', `business_line = ${valueOf(line)}`);
  }
  if (request.from) where.push(`period_start >= ${dateOf(request.from)}`);
  if (request.to) where.push(`period_start <= ${dateOf(request.to)}`);
  const order = series ? `${ident(x)}, ${ident(series)}` : ident(x);
  return {
    sql: `SELECT ${select}, value AS ${ident(y)}\nFROM metrics\nWHERE ${where.join('\n  AND ')}\nORDER BY ${order}`,
    x,
    y,
    series,
  };
}

/** Rows as CSV (RFC 4180): dates as YYYY-MM-DD, numbers unformatted, so a spreadsheet reads them as values. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const cell = (value: unknown) => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value === null || value === undefined ? '' : typeof value === 'number' ? String(Number(value.toPrecision(12))) : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.map(cell).join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n';
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
  const start = `DATE ${literal(`${request.period}-01`)}`;
  const cell = request.dimension
    ? `dimension = ${literal(request.dimension)} AND dimension_value = ${valueOf(request.dimensionValue ?? '')}`
    : 'dimension IS NULL';
  return `WITH m AS (
  SELECT period_start, value FROM metrics
  WHERE metric = ${literal(request.metric)} AND grain = 'month' AND ${cell} AND business_line = ${valueOf(request.businessLine ?? 'All')}
)
SELECT (SELECT value FROM m WHERE period_start = ${start}) AS value,
       (SELECT value FROM m WHERE period_start = ${start} - INTERVAL 1 MONTH) AS previous,
       (SELECT value FROM m WHERE period_start = ${start} - INTERVAL 1 YEAR) AS year_ago`;
}

export interface PivotSpec {
  /** The column whose values become rows. */
  row: string;
  /** The column whose values become columns. */
  column: string;
  /** The column holding the numbers. */
  value: string;
  /** The values of `column` that become columns, in order. Default (SQL tables): those present with the inputs' defaults. */
  values?: string[];
}

/**
 * Reshapes a long query wide in SQL (DuckDB's PIVOT), so the build and the
 * browser pivot the same way: one row per `row` value, one column per
 * `column` value; a column with no value in any row is left out when shown. (In the browser a dataframe library would need
 * `new Function`, which the site's Content-Security-Policy forbids.)
 */
export function pivotQuery(sql: string, pivot: PivotSpec & { values: string[] }): string {
  // The columns are listed (IN …): DuckDB cannot bind parameters in a PIVOT whose columns come from the data.
  return `PIVOT (${sql.trim()}) ON ${ident(pivot.column)} IN (${pivot.values.map(literal).join(', ')}) USING first(${ident(pivot.value)}) GROUP BY ${ident(pivot.row)} ORDER BY ${ident(pivot.row)}`;
}
