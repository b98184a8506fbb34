/** The calendar helpers the model's SQL may call, registered in the export's database. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Model } from '../lib/model-schema.ts';
import { fiscalWeekStartSql } from './calendar-sql.ts';
import { localDateMacroSql } from './time-zone.ts';

export async function registerMacros(db: DuckDBConnection, model: Model): Promise<void> {
  // (ts AT TIME ZONE zone)::DATE, without ICU for every row (see time-zone.ts).
  await db.run(`CREATE MACRO local_date(ts) AS ${await localDateMacroSql(db, model.calendar.timeZone)}`);
  // NULL for a label without a four-digit year ("FY26" could be either year): that row then has no date, and says so with its line.
  await db.run(`CREATE MACRO fiscal_year(label) AS TRY_CAST(regexp_extract(label, '(\\d{4})', 1) AS INTEGER)`);
  await db.run(`CREATE MACRO fiscal_week_start(y, w) AS ${fiscalWeekStartSql('y', 'w')}`);
  await db.run(`SET VARIABLE period_end = DATE '2100-01-01'`);
}
