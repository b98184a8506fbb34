/**
 * A metric's numbers from a snapshot, for KPI tiles, the dashboard, the tree
 * and the strategy pages: its series, its value in a period, the comparison
 * periods and where it stands against its target. Everything reads the
 * snapshot's long table (metrics.parquet), so a page shows exactly what the
 * export computed.
 */
import type { Grain, Metric } from '../lib/model-schema.ts';
import { SERIES_SQL } from '../lib/snapshot-table.ts';
import { findMetric } from './site-model.ts';
import { querySnapshot, readManifest } from './snapshots.ts';

export interface MetricPoint {
  /** Start of the period, UTC midnight. */
  date: Date;
  value: number;
}

export interface SeriesOptions {
  grain?: Grain;
  /** "All" (the company) or a business line. Default "All". */
  businessLine?: string;
  /** A declared dimension and one of its values; default the total. */
  dimension?: string;
  dimensionValue?: string;
}

/** The metric's values over time in a snapshot, oldest first. */
export async function metricSeries(snapshot: string, metricId: string, options: SeriesOptions = {}): Promise<MetricPoint[]> {
  const { grain = 'month', businessLine = 'All', dimension, dimensionValue } = options;
  const rows = await querySnapshot(snapshot, SERIES_SQL, [metricId, grain, businessLine, dimension ?? null, dimensionValue ?? null]);
  return rows.map((row) => ({ date: row.period_start as Date, value: row.value as number }));
}

export type TargetStatus = 'met' | 'on-track' | 'behind';

export interface TargetStanding {
  value: number;
  /** YYYY-MM. */
  by: string;
  status: TargetStatus;
}

export interface MetricSummary {
  metric: Metric;
  snapshot: string;
  grain: Grain;
  businessLine: string;
  /** The period shown (start date), or undefined when the snapshot has no value. */
  date?: Date;
  value?: number;
  previous?: MetricPoint;
  yearAgo?: MetricPoint;
  target?: TargetStanding;
  /** Is the change against the previous period good news, given the metric's direction? Undefined if flat or unknown. */
  improving?: boolean;
  /** False when the metric's data breaks its freshness or completeness SLO in this snapshot. */
  fresh: boolean;
  /** "2026-10-30": the latest date the metric's data covers. */
  latestDataDate?: string;
  series: MetricPoint[];
}

/**
 * A metric's standing in a snapshot: the value in `period` (default: the
 * snapshot's own month), the previous period, the same period a year
 * earlier, and its target.
 */
export async function metricSummary(
  snapshot: string,
  metricId: string,
  options: SeriesOptions & { period?: string } = {},
): Promise<MetricSummary> {
  const metric = findMetric(metricId);
  const manifest = readManifest(snapshot);
  const grain = options.grain ?? 'month';
  const businessLine = options.businessLine ?? 'All';
  const series = await metricSeries(snapshot, metricId, options);
  const wanted = options.period ? new Date(`${options.period}-01T00:00:00Z`) : new Date(`${manifest.periodStart}T00:00:00Z`);
  const index = findLastIndex(series, (p) => p.date <= wanted);
  const current = index >= 0 ? series[index] : undefined;
  const previous = index >= 1 ? series[index - 1] : undefined;
  const yearAgo = current ? series.find((p) => grain === 'month' ? sameMonthYearBefore(p.date, current.date) : Math.abs(p.date.getTime() - (current.date.getTime() - 364 * DAY)) < DAY) : undefined;
  const status = manifest.metrics.find((m) => m.id === metricId);
  const improving =
    current && previous && current.value !== previous.value ? (current.value > previous.value) === (metric.direction === 'up') : undefined;
  return {
    metric,
    snapshot,
    grain,
    businessLine,
    date: current?.date,
    value: current?.value,
    previous,
    yearAgo,
    target: current ? targetStanding(metric, businessLine, series.slice(0, index + 1)) : undefined,
    improving,
    fresh: status ? status.freshnessOk && status.completenessOk : false,
    latestDataDate: status?.latestDataDate ?? undefined,
    series: series.slice(0, index + 1),
  };
}

const DAY = 86_400_000;

function sameMonthYearBefore(a: Date, b: Date): boolean {
  return a.getUTCFullYear() === b.getUTCFullYear() - 1 && a.getUTCMonth() === b.getUTCMonth();
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i]!)) return i;
  return -1;
}

/**
 * Where a monthly series stands against the metric's nearest target for the
 * business line: met (already at or past it, in the metric's direction), on
 * track (the average change of the last three months, continued to the
 * target month, reaches it), or behind.
 */
export function targetStanding(metric: Metric, businessLine: string, series: MetricPoint[]): TargetStanding | undefined {
  const latest = series.at(-1);
  if (!latest) return undefined;
  const targets = metric.targets
    .filter((t) => t.businessLine === businessLine)
    .sort((a, b) => a.by.localeCompare(b.by));
  const target = targets.find((t) => new Date(`${t.by}-01T00:00:00Z`) >= latest.date) ?? targets.at(-1);
  if (!target) return undefined;
  const up = metric.direction === 'up';
  const reached = (value: number) => (up ? value >= target.value : value <= target.value);
  if (reached(latest.value)) return { value: target.value, by: target.by, status: 'met' };
  const base = series.at(-4);
  const months = monthsBetween(latest.date, new Date(`${target.by}-01T00:00:00Z`));
  if (!base || months <= 0) return { value: target.value, by: target.by, status: 'behind' };
  const slope = (latest.value - base.value) / 3;
  return { value: target.value, by: target.by, status: reached(latest.value + slope * months) ? 'on-track' : 'behind' };
}

function monthsBetween(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
}

export const STATUS_LABELS: Record<TargetStatus, string> = {
  met: 'Target met',
  'on-track': 'On track',
  behind: 'Behind target',
};
