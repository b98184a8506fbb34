/**
 * Runs a story component's query at build time, with every check an analyst
 * needs to hear about: an unknown metric or dimension, a `$name` no input
 * gives, SQL that reads none of the snapshot's tables, SQL DuckDB rejects, a
 * column the component needs that the query does not return. Each error
 * names the story file and the component. A query with no rows is a warning
 * (an error under `--strict`, i.e. PLOTLINE_STRICT=1).
 *
 * The result carries what the browser needs to run the same query again:
 * the SQL with its `$name` parameters and the snapshot files it reads.
 */
import type { LiveQuery } from '../lib/live-payload.ts';
import type { Manifest } from '../lib/manifest.ts';
import type { Metric } from '../lib/model-schema.ts';
import { links } from '../lib/links.ts';
import { type PivotSpec, pivotQuery } from '../lib/pivot.ts';
import { DIMENSION_VALUES_SQL, metricQuery, type MetricRequest } from '../lib/snapshot-table.ts';
import { bindParameters } from '../lib/sql-params.ts';
import type { Row } from '../node/duckdb.ts';
import { findMetric, siteModel } from './site-model.ts';
import { inStory, type StoryContext } from './story-context.ts';
import { querySnapshot, readManifest, tablesUsed } from './snapshots.ts';


export interface StoryQueryResult {
  rows: Row[];
  live: LiveQuery;
  manifest: Manifest;
  /** Set for metric queries. */
  metric?: Metric;
  x?: string;
  y?: string;
  series?: string;
}

export interface QuerySpec {
  /** Raw SQL over the snapshot's tables. */
  sql?: string;
  /** Or a metric request. */
  metric?: MetricRequest;
  /** Columns the component will read from each row. */
  columns?: (string | undefined)[];
  /** Does the component need at least one row? */
  needsRows?: boolean;
  /** Reshape wide: `true` for a metric split `by` something (rows: periods, columns: series). */
  pivot?: true | PivotSpec;
}

const warned = new Set<string>();

/** Is this a strict build (`--strict`, CI): warnings fail it. */
export function strict(): boolean {
  return process.env.PLOTLINE_STRICT === '1';
}

/** A warning about a story, printed once per build; an error in strict mode. */
export function storyWarning(story: StoryContext, message: string): void {
  const text = `${story.file}  ${message}`;
  if (strict()) throw new Error(`${text} (This is an error because the build runs with --strict.)`);
  if (warned.has(text)) return;
  warned.add(text);
  console.warn(`[plotline] warning: ${text}`);
}

export async function runStoryQuery(story: StoryContext, component: string, spec: QuerySpec, base: string): Promise<StoryQueryResult> {
  const fail = (message: string) => inStory(story, `${component}: ${message}`);
  let manifest: Manifest;
  try {
    manifest = readManifest(story.snapshot);
  } catch (error) {
    throw fail((error as Error).message);
  }
  let sql: string;
  let metric: Metric | undefined;
  let shape: { x?: string; y?: string; series?: string } = {};
  if (spec.metric) {
    metric = checkMetric(story, component, spec.metric, manifest);
    const query = metricQuery(spec.metric);
    sql = query.sql;
    shape = query;
  } else if (spec.sql) {
    sql = spec.sql;
  } else {
    throw fail('give it either a metric (metric="revenue") or SQL (sql={`SELECT …`}).');
  }
  if (spec.pivot) {
    const pivot = spec.pivot === true ? (shape.series ? { row: shape.x!, column: shape.series, value: shape.y! } : undefined) : spec.pivot;
    if (!pivot) throw fail('pivot needs a metric split by something (by="business_line"), or { row, column, value } for SQL.');
    const values = pivot.values ?? (await pivotValues(story, component, sql, pivot, spec.metric));
    sql = pivotQuery(sql, { ...pivot, values });
    shape = { ...shape, series: undefined };
  }

  let bound;
  try {
    bound = bindParameters(sql, story.inputs);
  } catch (error) {
    throw fail((error as Error).message);
  }
  const tables = tablesUsed(manifest, sql);
  if (tables.length === 0) {
    throw fail(`the SQL reads none of snapshot ${story.snapshot}'s tables (${manifest.tables.map((t) => t.name).join(', ')}).`);
  }
  let rows: Row[];
  try {
    rows = await querySnapshot(story.snapshot, bound.sql, bound.values);
  } catch (error) {
    throw fail(`the query failed in DuckDB. ${(error as Error).message}`);
  }
  const wanted = spec.columns?.filter((c): c is string => c !== undefined) ?? [];
  if (rows.length > 0) {
    const missing = wanted.filter((c) => !(c in rows[0]!));
    if (missing.length > 0) {
      throw fail(`the query returns no column ${missing.map((c) => `"${c}"`).join(', ')}. It returns: ${Object.keys(rows[0]!).join(', ')}.`);
    }
  } else if (spec.needsRows !== false) {
    storyWarning(story, `${component}: the query returned no rows with the inputs' defaults (${describeInputs(story, bound.names)}), so it shows "No data". Check its filters against snapshot ${story.snapshot}.`);
  }
  return {
    rows,
    manifest,
    metric,
    ...shape,
    live: {
      sql,
      inputs: bound.names,
      tables: tables.map((table) => ({ name: table.name, url: links.snapshot(base, story.snapshot, table.file) })),
    },
  };
}

/**
 * The columns a pivot makes: every business line, every value of a metric's
 * dimension in the snapshot, or (raw SQL) the values present with the
 * inputs' defaults, after checking the query has the columns the pivot names.
 */
async function pivotValues(story: StoryContext, component: string, sql: string, pivot: PivotSpec, metric?: MetricRequest): Promise<string[]> {
  if (metric?.by === 'business_line') return siteModel().calendar.businessLines.map((b) => b.id);
  if (metric?.by) return dimensionValues(story.snapshot, metric.metric, metric.by);
  const bound = bindParameters(sql, story.inputs);
  let rows: Row[];
  try {
    rows = await querySnapshot(story.snapshot, `SELECT * FROM (${bound.sql.trim()})`, bound.values);
  } catch (error) {
    throw inStory(story, `${component}: the query failed in DuckDB. ${(error as Error).message}`);
  }
  const columns = [pivot.row, pivot.column, pivot.value];
  const missing = rows.length > 0 ? columns.filter((c) => !(c in rows[0]!)) : [];
  if (missing.length > 0) throw inStory(story, `${component}: the query returns no column ${missing.map((c) => `"${c}"`).join(', ')}. It returns: ${Object.keys(rows[0]!).join(', ')}.`);
  return [...new Set(rows.map((r) => String(r[pivot.column])))].sort();
}

function describeInputs(story: StoryContext, names: string[]): string {
  return names.length > 0 ? names.map((n) => `${n} = ${JSON.stringify(story.inputs[n])}`).join(', ') : 'none';
}

/** A metric a component names, or an error naming the story, the component and the metrics there are. */
export function storyMetric(story: StoryContext, component: string, id: string): Metric {
  try {
    return findMetric(id);
  } catch (error) {
    throw inStory(story, `${component}: ${(error as Error).message}`);
  }
}

/** The values a metric's dimension takes in a snapshot, sorted (every series a breakdown can show). */
export async function dimensionValues(snapshot: string, metric: string, dimension: string): Promise<string[]> {
  const rows = await querySnapshot(snapshot, DIMENSION_VALUES_SQL, [metric, dimension]);
  return rows.map((r) => String(r.v));
}

/**
 * A metric request checked against the model and the snapshot: the metric
 * exists in both, `by` is one of its dimensions, the grain and business line
 * are ones it has.
 */
export function checkMetric(story: StoryContext, component: string, request: MetricRequest, manifest: Manifest): Metric {
  const metric = storyMetric(story, component, request.metric);
  if (!manifest.metrics.some((m) => m.id === metric.id)) {
    throw inStory(story, `${component}: metric "${metric.id}" is not in snapshot ${manifest.id} (it was added to the model later). Pin the story to a newer snapshot or re-run the export for ${manifest.period}.`);
  }
  if (request.by && request.by !== 'business_line' && !metric.dimensions.includes(request.by)) {
    const allowed = ['business_line', ...metric.dimensions];
    throw inStory(story, `${component}: metric "${metric.id}" has no dimension "${request.by}". It can be split by: ${allowed.join(', ')}.`);
  }
  if (request.grain && !metric.grains.includes(request.grain)) {
    throw inStory(story, `${component}: metric "${metric.id}" has no ${request.grain} grain (it has ${metric.grains.join(', ')}).`);
  }
  const lines = ['All', ...siteModel().calendar.businessLines.map((b) => b.id)];
  if (request.businessLine && !request.businessLine.startsWith('$') && !lines.includes(request.businessLine)) {
    throw inStory(story, `${component}: business line "${request.businessLine}" is not one of ${lines.join(', ')}.`);
  }
  return metric;
}
