/**
 * Which months the export makes snapshots of, and what each sees: rows dated
 * up to the month's end, in files delivered by then.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatDay } from '../lib/format.ts';
import type { Model } from '../lib/model-schema.ts';
import { sqlIdentifier, sqlString } from '../lib/sql-quote.ts';
import { queryRows } from '../node/duckdb.ts';
import { ExportError } from './errors.ts';
import { tableOf } from './sources/files.ts';

/** First and last day of a `YYYY-MM` month, as ISO dates. */
export function monthBounds(period: string): { periodStart: string; periodEnd: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { periodStart: `${period}-01`, periodEnd: `${period}-${String(last).padStart(2, '0')}` };
}

/** The month (YYYY-MM) `n` months before `period`'s (the month of a YYYY-MM-DD day). */
export function monthsBefore(period: string, n: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 - n, 1)).toISOString().slice(0, 7);
}

/** The month before today's: the latest a snapshot can be made of. */
export const lastEndedMonth = (today: string) => monthsBefore(today, 1);

/** A period before every source's first row would be a snapshot of nothing: say which months have data. */
export async function refuseBeforeData(db: DuckDBConnection, model: Model, period: string): Promise<void> {
  const { periodEnd } = monthBounds(period);
  const firsts = await queryRows(db, model.sources.map((s) => `SELECT ${sqlString(s.id)} AS source, strftime(min(_date), '%Y-%m-%d') AS first FROM ${tableOf(s)}`).join(' UNION ALL '));
  const dated = firsts.filter((r) => r.first !== null).sort((a, b) => String(a.first).localeCompare(String(b.first)));
  if (dated.length === 0 || String(dated[0]!.first) > periodEnd) {
    const earliest = dated[0];
    throw new ExportError(
      `No source has a row dated on or before ${formatDay(periodEnd)}, so a snapshot of ${period} would hold no values.` +
        (earliest ? ` The earliest row is dated ${formatDay(String(earliest.first))} (${String(earliest.source)}): give ${String(earliest.first).slice(0, 7)} or a later month.` : ''),
    );
  }
}

/**
 * The latest month every source covers within its freshness SLO (monthly
 * dumps: delivered), and the `history - 1` months before it.
 * `lastEnded` caps it.
 */
export async function defaultPeriods(db: DuckDBConnection, model: Model, history: number, lastEnded: string): Promise<string[]> {
  const limits: string[] = [];
  for (const source of model.sources) {
    const [row] = await queryRows(
      db,
      source.slo.expected === 'monthly' && source.delivery
        ? `SELECT max(_delivered) AS m FROM ${tableOf(source)}`
        : // the last month whose end is within the SLO of the latest row
          `SELECT strftime(date_trunc('month', max(_date) + ${source.slo.freshnessDays + 1}) - INTERVAL 1 DAY, '%Y-%m') AS m FROM ${tableOf(source)}`,
    );
    if (!row?.m) throw new ExportError(`Source ${source.id} has no dated rows, so no snapshot period can be chosen. Check its files, or pass --period YYYY-MM.`);
    limits.push(String(row.m));
  }
  // Rows dated in the future (a clock or an extract gone wrong) must not make a month that has not ended the latest.
  const last = [...limits, lastEnded].sort()[0]!;
  return Array.from({ length: history }, (_, i) => monthsBefore(last, history - 1 - i));
}

/** Each source as a view of what a snapshot of `period` sees: rows dated up to its end, from files delivered by then; `period_end` set. */
export async function periodViews(db: DuckDBConnection, model: Model, period: string): Promise<void> {
  const { periodEnd } = monthBounds(period);
  await db.run(`SET VARIABLE period_end = DATE ${sqlString(periodEnd)}`);
  for (const source of model.sources) {
    const table = tableOf(source);
    const delivered = !source.delivery
      ? 'TRUE'
      : source.delivery.use === 'latest'
        ? `_delivered = (SELECT max(_delivered) FROM ${table} WHERE _delivered <= ${sqlString(period)})`
        : `_delivered <= ${sqlString(period)}`;
    await db.run(`CREATE OR REPLACE VIEW ${sqlIdentifier(source.id)} AS SELECT * FROM ${table} WHERE _date <= DATE ${sqlString(periodEnd)} AND ${delivered}`);
  }
}
