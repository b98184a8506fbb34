/**
 * The checks of a source as one snapshot sees it (rows dated up to the
 * period's end, in files delivered by then), against its SLO: the one
 * table of them the export runs for each period (sourceTimeliness) and the
 * dictionary shows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { countOf, days, formatDay, formatDayRange } from '../../lib/format.ts';
import type { Source } from '../../lib/model-schema.ts';
import { sqlIdentifier } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import type { Check } from './check.ts';

/** How up to date a source is at a period's end. */
export interface Timeliness {
  /** Its latest row's date, YYYY-MM-DD. */
  latest: string | null;
  /** Days from it to the period's end. */
  lagDays: number | null;
  /** Within the freshness SLO. */
  fresh: boolean;
}

export interface PeriodCheck {
  title: string;
  about: string;
  /** Its result over `view` (the source as the period sees it). */
  run: (db: DuckDBConnection, source: Source, view: string, timeliness: Timeliness) => Promise<Check>;
}

const freshness: PeriodCheck = {
  title: 'Freshness',
  about: "the latest row is no older at the period's end than the source's freshness SLO allows; a late source is a warning, and every page showing its metrics says so",
  run: async (_db, source, _view, { latest, lagDays, fresh }) => ({
    name: 'freshness',
    source: source.id,
    status: fresh ? 'pass' : 'warn',
    detail: latest === null ? 'no rows yet' : `latest row ${formatDay(latest)}, ${days(lagDays ?? 0)} before the period ends (SLO: within ${days(source.slo.freshnessDays)})${fresh ? '' : '; the SLO is broken'}.`,
  }),
};

const completeness: PeriodCheck = {
  title: 'Completeness',
  about: 'a daily source has a row for every day, a weekly one for every week, from its first row to its latest; a gap is a warning naming the days, as metrics over them are too low',
  async run(db, source, view) {
    if (source.slo.expected === 'monthly') return { name: 'completeness', source: source.id, status: 'pass', detail: 'monthly dump; the latest delivered file is used' };
    const step = source.slo.expected === 'daily' ? 1 : 7;
    const gaps = await queryRows(
      db,
      `WITH expected AS (
         SELECT unnest(range(min(_date), max(_date) + 1, INTERVAL ${step} DAY))::DATE AS d FROM ${view}
       ), present AS (SELECT DISTINCT ${step === 1 ? '_date' : "date_trunc('week', _date)::DATE"} AS d FROM ${view}),
       missing AS (SELECT e.d FROM expected e ANTI JOIN present p ON ${step === 1 ? 'p.d = e.d' : "p.d = date_trunc('week', e.d)::DATE"}),
       runs AS (SELECT d, d - ${step} * row_number() OVER (ORDER BY d)::INTEGER AS run FROM missing)
       SELECT strftime(min(d), '%Y-%m-%d') AS first, strftime(max(d), '%Y-%m-%d') AS last, count(*) AS n FROM runs GROUP BY run ORDER BY first`,
    );
    const unit = step === 1 ? 'day' : 'week';
    return {
      name: 'completeness',
      source: source.id,
      status: gaps.length === 0 ? 'pass' : 'warn',
      detail:
        gaps.length === 0
          ? `a row for every ${unit}`
          : `no rows for ${gaps.map((g) => `${unit === 'week' ? 'the weeks of ' : ''}${formatDayRange(String(g.first), String(g.last))} (${countOf(Number(g.n), unit)})`).join(', ')}; metrics over those ${unit}s are too low.`,
    };
  },
};

export const PERIOD_CHECKS: PeriodCheck[] = [freshness, completeness];

/** Freshness and completeness of a source as of a period's end (its view is the period's), against its SLO. */
export async function sourceTimeliness(db: DuckDBConnection, source: Source, periodEnd: string): Promise<Timeliness & { checks: Check[] }> {
  const view = sqlIdentifier(source.id);
  const [row] = await queryRows(db, `SELECT strftime(max(_date), '%Y-%m-%d') AS latest, strftime(min(_date), '%Y-%m-%d') AS earliest FROM ${view}`);
  const latest = row?.latest ? String(row.latest) : null;
  const lagDays = latest ? Math.round((Date.parse(periodEnd) - Date.parse(latest)) / 86_400_000) : null;
  const timeliness = { latest, lagDays, fresh: lagDays !== null && lagDays <= source.slo.freshnessDays };
  const checks: Check[] = [];
  for (const check of PERIOD_CHECKS) checks.push(await check.run(db, source, view, timeliness));
  return { ...timeliness, checks };
}
