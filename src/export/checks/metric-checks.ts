/**
 * The checks of the computed metrics, in the order the manifest lists them:
 * the one table the export runs for each snapshot (checkMetrics, over
 * `metric_values`) and the dictionary shows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatPeriod } from '../../lib/format.ts';
import type { Model } from '../../lib/model-schema.ts';
import { COMPANY, monthlyTotals } from '../../lib/snapshot-table.ts';
import { sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import type { Check } from './check.ts';

export interface MetricCheck {
  title: string;
  about: string;
  run: (db: DuckDBConnection, model: Model) => Promise<Check[]>;
}

const VALUES = 'metric_values';

const impossibleValues: MetricCheck = {
  title: 'No impossible values',
  about: 'no count or duration is below zero (money and margins can be: refunds, losses); one that is stops the export',
  async run(db, model) {
    // Counts and durations cannot be negative; money and margins can (refunds, losses).
    const nonNegative = model.metrics.filter((m) => m.unit === 'count' || m.unit === 'duration').map((m) => m.id);
    const negative = await queryRows(
      db,
      `SELECT metric, count(*) AS n, min(value) AS lowest FROM ${VALUES} WHERE value < 0 AND metric IN (${nonNegative.map(sqlString).join(', ')}) GROUP BY metric ORDER BY metric`,
    );
    return model.metrics.flatMap((metric): Check[] => {
      const bad = negative.find((r) => r.metric === metric.id);
      return bad ? [{ name: 'no impossible values', source: metric.id, status: 'fail', detail: `${Number(bad.n)} values below zero (lowest ${Number(bad.lowest)}); ${metric.label} cannot be negative. Check its expression and sources.` }] : [];
    });
  },
};

const completeness: MetricCheck = {
  title: 'Completeness',
  about: "every month has a value for every business line since the metric's first month, as its completeness SLO asks; below it is a warning, and pages showing the metric say so",
  async run(db, model) {
    const rows = await queryRows(
      db,
      `WITH spans AS (
         SELECT metric, business_line, min(period_start) AS first, count(*) AS present
         FROM ${monthlyTotals(VALUES)} GROUP BY ALL
       )
       SELECT metric, business_line, present, datediff('month', first, date_trunc('month', getvariable('period_end'))) + 1 AS expected FROM spans ORDER BY ALL`,
    );
    return model.metrics.map((metric): Check => {
      const own = rows.filter((r) => r.metric === metric.id);
      const expected = own.reduce((s, r) => s + Number(r.expected), 0);
      const present = own.reduce((s, r) => s + Number(r.present), 0);
      const share = expected === 0 ? 0 : present / expected;
      const ok = expected > 0 && share >= metric.slo.completeness;
      // Per business line and 'All', each since its own first month: "Casting 41 of 43".
      const lines = own.map((r) => `${String(r.business_line)} ${Number(r.present)}${Number(r.present) < Number(r.expected) ? ` of ${Number(r.expected)}` : ''}`).join(', ');
      const missing = present < expected;
      return {
        name: 'completeness',
        source: metric.id,
        status: ok ? 'pass' : 'warn',
        detail: expected === 0 ? 'no values at all' : `${missing ? 'months present' : 'every month present'}: ${lines} (SLO ${Math.round(metric.slo.completeness * 100)}%).`,
      };
    });
  },
};

const suddenJumps: MetricCheck = {
  title: 'Sudden jump',
  about: "the company's value in any of the latest three months moved on the month before by more than the share calendar.yaml sets (checks.jumpWarning); a warning, worth a look before publishing",
  async run(db, model) {
    const jumps = await queryRows(
      db,
      `WITH series AS (
         SELECT metric, period_start, value, lag(value) OVER (PARTITION BY metric ORDER BY period_start) AS previous
         FROM ${monthlyTotals(VALUES)} WHERE business_line = ${sqlString(COMPANY)}
       )
       SELECT metric, strftime(period_start, '%Y-%m') AS month, value, previous FROM series
       WHERE period_start > date_trunc('month', getvariable('period_end')) - INTERVAL 3 MONTH
         AND previous IS NOT NULL AND previous <> 0 AND abs(value / previous - 1) > ${model.calendar.checks.jumpWarning}
       ORDER BY metric, month`,
    );
    return jumps.map((jump): Check => {
      const change = Number(jump.value) / Number(jump.previous) - 1;
      return { name: 'sudden jump', source: String(jump.metric), status: 'warn', detail: `${change > 0 ? 'up' : 'down'} ${Math.abs(Math.round(change * 100))}% in ${formatPeriod(String(jump.month))} on the month before; worth a look before publishing.` };
    });
  },
};

export const METRIC_CHECKS: MetricCheck[] = [impossibleValues, completeness, suddenJumps];

/** Every metric check on the values just computed, in table order. */
export async function checkMetrics(db: DuckDBConnection, model: Model): Promise<Check[]> {
  const checks: Check[] = [];
  for (const check of METRIC_CHECKS) checks.push(...(await check.run(db, model)));
  return checks;
}
