/**
 * local_date(ts), the export's macro for a UTC instant's day in the
 * reporting time zone, answers exactly as ICU does ((ts AT TIME ZONE
 * zone)::DATE) without calling ICU per row: checked against ICU for zones
 * with summer time in either hemisphere, half-hour offsets and none.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/node/duckdb.ts';
import { sqlString } from '../../src/lib/sql-quote.ts';
import { localDateMacroSql } from '../../src/export/time-zone.ts';

describe('local_date without ICU per row', () => {
  for (const zone of ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
    it(`gives the ${zone} day of every instant as ICU does, 1969 to 2101`, async () => {
      const db = await openDatabase();
      const body = await localDateMacroSql(db, zone);
      expect(body).toContain('epoch_us'); // the fast path, not the ICU fallback
      await db.run(`CREATE MACRO local_date(ts) AS ${body}`);
      // Every 37 minutes and 1 µs (so instants drift across every minute and second), and each side of midnight UTC.
      const [row] = await queryRows(
        db,
        `SELECT count(*) AS n, count(*) FILTER (WHERE local_date(ts) IS DISTINCT FROM (ts AT TIME ZONE ${sqlString(zone)})::DATE) AS wrong
         FROM (SELECT make_timestamptz(us) AS ts FROM range(${Date.UTC(1969, 0, 1) * 1000}, ${Date.UTC(2101, 0, 1) * 1000}, ${37 * 60_000_000 + 1}) r(us)
               UNION ALL SELECT make_timestamptz(us + d) FROM range(${Date.UTC(1969, 0, 1) * 1000}, ${Date.UTC(2101, 0, 1) * 1000}, 86400000000) r(us), (VALUES (-1), (0)) v(d))`,
      );
      expect(Number(row?.n)).toBeGreaterThan(1_000_000);
      expect(Number(row?.wrong)).toBe(0);
      db.closeSync();
    });
  }
});
