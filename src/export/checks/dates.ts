/** Checks of a loaded source's dates: on every row, none after today, and rows that came late. */
import { countOf, formatDay } from '../../lib/format.ts';
import { sqlString } from '../../lib/sql-quote.ts';
import { queryRows } from '../../node/duckdb.ts';
import { atLines } from '../sources/places.ts';
import type { SourceCheck } from './check.ts';

/** Why the fiscal macros give no date (see macros.ts and calendar-sql.ts). */
const FISCAL_EMPTY = 'The fiscal calendar gives no date for a year label without four digits (is FY26 the year from spring 2025 or 2026?) or for a week its year does not have (below 1, or 53 in a 52-week year).';

export const datesPresent: SourceCheck = {
  title: 'Dates are present',
  about: "every row has a date, as the source's date rule computes it (time.date in sources.yaml); a row without one would count in no period, so it stops the export, naming its line",
  scan: () => [['undated', 'count(*) FILTER (WHERE _date IS NULL)']],
  async run({ db, source, table, rowsAt }, stats) {
    const undated = Number(stats.undated);
    let undatedWhere = '';
    if (undated > 0 && source.delivery) {
      const deliveries = await queryRows(db, `SELECT _delivered AS month, count(*) AS n FROM ${table} WHERE _date IS NULL GROUP BY ALL ORDER BY month LIMIT 6`);
      undatedWhere = ` (in the files delivered ${deliveries.map((d) => `${String(d.month)}: ${countOf(Number(d.n), 'row')}`).join('; ')})`;
    }
    return [
      {
        name: 'dates are present',
        source: source.id,
        status: undated === 0 ? 'pass' : 'fail',
        detail:
          undated === 0
            ? 'every row has a date'
            : `${countOf(undated, 'row has', 'rows have')} no date: ${source.time.date} is empty${undatedWhere}, so ${undated === 1 ? 'it' : 'they'} would count in no period. ` +
              (/fiscal_(year|week_start)\(/.test(source.time.date) ? `${FISCAL_EMPTY} ` : '') +
              `Fix the extract, or the column names if the file changed shape.${atLines(await rowsAt('_date IS NULL'))}`,
      },
    ];
  },
};

/** Rows dated after today (a clock or an extract gone wrong) count in no snapshot until their month has ended: say so. */
export const noFutureDates: SourceCheck = {
  title: 'No dates in the future',
  about: 'no row is dated after the day of the export; such rows are counted only once their month has ended (a warning)',
  scan: ({ today }) => [
    ['future', `count(*) FILTER (WHERE _date > DATE ${sqlString(today)})`],
    ['last_date', "strftime(max(_date), '%Y-%m-%d')"],
  ],
  async run({ source, today }, stats) {
    const future = Number(stats.future);
    return [
      {
        name: 'no dates in the future',
        source: source.id,
        status: future === 0 ? 'pass' : 'warn',
        detail:
          future === 0
            ? `no row is dated after the day of the export, ${formatDay(today)}`
            : `${countOf(future, 'row is', 'rows are')} dated after the day of the export, ${formatDay(today)} (the latest ${formatDay(String(stats.last_date))}); ` +
              `no snapshot counts ${future === 1 ? 'it' : 'them'} until ${future === 1 ? 'its' : 'their'} month has ended. Check the extract's dates and time zone.`,
      },
    ];
  },
};

export const lateRows: SourceCheck = {
  title: 'Late rows',
  about: "rows that arrived in a later month's file than their date are counted, and each snapshot counts them once their file has arrived",
  applies: (source) => source.delivery !== undefined,
  scan: () => [['late', "count(*) FILTER (WHERE strftime(_date, '%Y-%m') < _delivered)"]],
  async run({ source }, stats) {
    const n = Number(stats.late);
    return [
      {
        name: 'late rows',
        source: source.id,
        status: 'pass',
        detail: n === 0 ? 'none' : `${countOf(n, 'row')} arrived in a later month's file than their date; a snapshot counts them once their file has arrived.`,
      },
    ];
  },
};
