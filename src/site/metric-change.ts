/** How a metric moved, in words and tone: since a month, and on the previous period. */
import { formatChange, formatMonth, formatRelativeChange, formatValue } from '../lib/format.ts';
import type { Metric } from '../lib/model-schema.ts';
import type { MetricPoint, MetricSummary } from './metric-data.ts';

export interface Movement {
  from: MetricPoint;
  to: MetricPoint;
  /** to − from. */
  delta: number;
  /** Good news given the metric's direction; undefined when flat. */
  improving?: boolean;
  /** True when there is no data after the starting month yet. */
  noNewData: boolean;
  /** The month moved since, YYYY-MM. */
  since: string;
}

/**
 * How a metric moved since a month (YYYY-MM or YYYY-MM-DD: the month it falls
 * in): its value in that month against the latest value in the series. A
 * month after the series ends starts from the latest value, with `noNewData`;
 * a month before it starts from the first value.
 */
export function movementSince(series: MetricPoint[], since: string, direction: Metric['direction']): Movement | undefined {
  const to = series.at(-1);
  if (!to) return undefined;
  const start = Date.UTC(Number(since.slice(0, 4)), Number(since.slice(5, 7)) - 1, 1);
  const from = series.find((p) => p.date.getTime() >= start) ?? to;
  const delta = to.value - from.value;
  return {
    from,
    to,
    delta,
    improving: delta === 0 ? undefined : (delta > 0) === (direction === 'up'),
    noNewData: from === to,
    since: since.slice(0, 7),
  };
}

/** "+4.5%" for counts, money, ratios and hours; "+1.2 pts" for shares. */
export function changeText(metric: Metric, current: number, previous: number): string {
  if (metric.unit === 'percent') return formatChange(current - previous, 'percent');
  return formatRelativeChange(current, previous) || formatChange(current - previous, metric.unit);
}

export type Tone = 'good' | 'bad' | 'flat';

export function tone(improving: boolean | undefined): Tone {
  return improving === undefined ? 'flat' : improving ? 'good' : 'bad';
}

/** A summary's change on the previous period, for tiles and the tree: text, tone and a sentence for screen readers. */
export function summaryChange(summary: MetricSummary): { text: string; tone: Tone; sentence: string } | undefined {
  const { metric, value, previous } = summary;
  if (value === undefined || !previous) return undefined;
  const text = changeText(metric, value, previous.value);
  const t = tone(summary.improving);
  const verdict = t === 'flat' ? 'no change' : t === 'good' ? 'better' : 'worse';
  return { text, tone: t, sentence: `${text} on ${formatMonth(previous.date)} (${verdict}), from ${formatValue(previous.value, metric.unit)}` };
}
