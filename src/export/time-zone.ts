/**
 * `local_date(ts)`: the reporting time zone's calendar day of a TIMESTAMPTZ,
 * exactly `(ts AT TIME ZONE zone)::DATE`, without asking ICU for every row.
 *
 * ICU's time-zone conversion costs about as much per row as parsing the CSV
 * line the timestamp came from, and the export needs it for every event
 * (once to date each source row, again in the facts). A zone's UTC offset
 * only changes at a few instants a year, so those instants are found once,
 * with ICU, for 1970-2100 (every three hours, then to the minute); a row
 * then needs integer arithmetic: its UTC microseconds, the 30-day bucket
 * they fall in, that bucket's offset before and after its transition (if
 * any), and the day of the shifted instant.
 * Instants outside the table, and zones with more than one transition in a
 * bucket, use ICU as before.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../node/duckdb.ts';
import { sqlString } from '../lib/sql-quote.ts';

const FIRST = Date.UTC(1970, 0, 1) * 1000;
const LAST = Date.UTC(2100, 0, 1) * 1000;
const BUCKET = 30 * 86_400_000_000;
const STEP = 3 * 3_600_000_000;
const DAY = 86_400_000_000;

/** The day (YYYY-MM-DD) an instant falls on in `zone`: what "today" is for the reporting calendar. */
export function dayIn(zone: string, instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The body of the `local_date(ts)` macro for `zone`. */
export async function localDateMacroSql(db: DuckDBConnection, zone: string): Promise<string> {
  const icu = `(ts AT TIME ZONE ${sqlString(zone)})::DATE`;
  // offset (µs) of an instant given in UTC microseconds
  const offset = (us: string) => `(epoch_us(make_timestamptz(${us}) AT TIME ZONE ${sqlString(zone)}) - ${us})`;
  // Samples every three hours find where the offset changes; minutes in between find the instant.
  const rows = await queryRows(
    db,
    `WITH hours AS (SELECT h, ${offset('h')} AS o FROM range(${FIRST - STEP}, ${LAST + STEP}, ${STEP}) r(h)),
     changed AS (SELECT h, o, lag(o) OVER (ORDER BY h) AS prior FROM hours QUALIFY prior IS NOT NULL AND prior <> o),
     minutes AS (SELECT c.h, c.o, c.prior, m, ${offset('m')} AS om FROM changed c, range(c.h - ${STEP} + 60000000, c.h + 1, 60000000) r(m))
     SELECT min(m) AS change_at, any_value(prior) AS prior, any_value(o) AS o FROM minutes WHERE om = o GROUP BY h ORDER BY change_at`,
  );
  const [first] = await queryRows(db, `SELECT ${offset(String(FIRST))} AS o`);
  const buckets = Math.ceil((LAST - FIRST) / BUCKET);
  const at: string[] = [];
  const before: number[] = [];
  const after: number[] = [];
  let current = Number(first?.o);
  let next = 0;
  for (let b = 0; b < buckets; b++) {
    const end = FIRST + (b + 1) * BUCKET;
    const inside = [];
    while (next < rows.length && Number(rows[next]!.change_at) < end) inside.push(rows[next++]!);
    // A second change in one bucket (some zones in some years): not worth a table that can say so.
    if (inside.length > 1) return icu;
    before.push(current);
    if (inside.length === 1) {
      const change = inside[0]!;
      if (Number(change.prior) !== current) return icu;
      at.push(String(change.change_at));
      current = Number(change.o);
    } else at.push(String(end));
    after.push(current);
  }
  // (Shifted by two days so the division never sees a negative number.)
  // Microseconds are exact in a double up to 2^53 (year 2255), so the JS numbers above are exact.
  const us = 'epoch_us(ts)';
  const bucket = `((${us} - ${FIRST}) // ${BUCKET} + 1)`;
  const shifted = `${us} + CASE WHEN ${us} < [${at.join(',')}][${bucket}] THEN [${before.join(',')}][${bucket}] ELSE [${after.join(',')}][${bucket}] END`;
  return `CASE WHEN ${us} >= ${FIRST} AND ${us} < ${FIRST + buckets * BUCKET}
                THEN DATE '1969-12-30' + ((${shifted} + ${2 * DAY}) // ${DAY})::INTEGER
                ELSE ${icu} END`;
}
