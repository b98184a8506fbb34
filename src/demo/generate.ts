/**
 * The demo company: a talent marketplace with two business lines, Casting
 * (many small bookings) and Production (fewer, larger ones). Writes the raw
 * extracts its teams would hand over, each in its own shape and calendar,
 * mess included:
 *
 * | extract | shape | calendar | mess |
 * | --- | --- | --- | --- |
 * | casting-events/file_month=YYYY-MM/*.csv | Casting portal, hive folders | UTC timestamps | `timestamp` renamed `occurred_at_utc` from 2025; late rows in the next month's file |
 * | production-events/PROD_EXPORT_YYYYMM.csv | Production portal, `;` separated | local dates, dd/mm/yyyy | duplicated rows; a week missing (outage, 11–17 Aug 2025); late rows |
 * | finance/weekly-report.csv | finance team | fiscal weeks (FY from the Monday nearest 1 April) | spaced headers, line codes |
 * | crm/subscriptions_YYYY-MM.csv | monthly CRM dump, all subscriptions as of month end | dates | open subscriptions have an empty end |
 * | support/tickets.jsonl | service desk | UTC timestamps | empty categories; unresolved tickets |
 *
 * Deterministic: every random draw is a hash of row numbers and a fixed
 * salt, so the output is the same on every run and thread count. Generated
 * in DuckDB (native), which keeps --scale 100 (~100M events) practical.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { fiscalYearStartSql } from '../export/calendar-sql.ts';
import { openDatabase } from '../node/duckdb.ts';
import { sqlString } from '../lib/sql-quote.ts';

export interface GenerateOptions {
  /** Folder the extracts are written to (data/sources). */
  outDir: string;
  /** Multiplies event volume; 1 ≈ one million event rows. */
  scale: number;
  /** First and last day of history. */
  start?: string;
  end?: string;
}

/** Uniform [0, 1) from a hash of the arguments (stable across runs and threads). */
const U = (...parts: string[]) => `((hash(${parts.join(', ')}) % 1000000007) / 1000000007.0)`;

export async function generateDemoData(options: GenerateOptions): Promise<Record<string, number>> {
  const { outDir, scale } = options;
  const start = options.start ?? '2023-04-03';
  const end = options.end ?? '2026-10-31';
  rmSync(outDir, { recursive: true, force: true });
  for (const dir of ['casting-events', 'production-events', 'finance', 'crm', 'support']) mkdirSync(join(outDir, dir), { recursive: true });
  // Large scales work in a scratch database on disk that can spill, not in memory.
  const scratch = scale > 5 ? mkdtempSync(join(tmpdir(), 'plotline-generate-')) : null;
  const db = scratch ? await openDatabase(join(scratch, 'generate.duckdb'), { temp_directory: join(scratch, 'spill'), memory_limit: '8GB' }) : await openDatabase();
  try {
    await db.run(`SET preserve_insertion_order = true`);
    await makeUsers(db, scale, start, end);
    await makeEvents(db, start, end);
    const counts: Record<string, number> = {};
    counts.casting_events = await writeCastingEvents(db, outDir);
    counts.production_events = await writeProductionEvents(db, outDir);
    counts.finance_weeks = await writeFinance(db, outDir, start, end);
    counts.crm_files = await writeCrm(db, outDir, start, end);
    counts.tickets = await writeTickets(db, outDir, end);
    return counts;
  } finally {
    db.closeSync();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function count(db: DuckDBConnection, sql: string): Promise<number> {
  const reader = await db.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM (${sql})`);
  return Number(reader.getRowObjectsJS()[0]!.n);
}

/** Users of each line: sign-ups grow over time; each stays active for an exponential lifetime. */
async function makeUsers(db: DuckDBConnection, scale: number, start: string, end: string): Promise<void> {
  // The company predates the extracts: sign-ups start a year earlier, and
  // events before the first day are dropped, so history opens with a user base.
  const first = `(DATE ${sqlString(start)} - 365)`;
  const days = `(DATE ${sqlString(end)} - ${first})`;
  // ~1M events at scale 1 (Casting ~2/3, Production ~1/3).
  await db.run(`
    CREATE TABLE users AS
    WITH lines(line, code, n, mean_life, rate) AS (
      VALUES ('Casting', 1, ${Math.round(36000 * scale)}, 260, 0.12), ('Production', 2, ${Math.round(14000 * scale)}, 420, 0.11)
    )
    SELECT line, code, i AS user_no,
           -- sign-ups rise over time: density grows linearly, so the day is √u of the span
           (${first} + floor(${days} * sqrt(${U('code', 'i', '1')}))::INTEGER) AS signup_day,
           greatest(1, ceil(-ln(1 - ${U('code', 'i', '2')}) * mean_life))::INTEGER AS life,
           rate * (0.5 + ${U('code', 'i', '3')}) AS rate,
           (${U('code', 'i', '4')} * 12)::INTEGER AS region_no
    FROM lines, range(n) r(i)`);
}

/**
 * One row per event, in a uniform shape first (the two portals' own shapes
 * come when writing). Event 0 of a user is the sign-up; the rest fall within
 * the user's life, thinned by season (a summer peak, a December dip).
 */
async function makeEvents(db: DuckDBConnection, start: string, end: string): Promise<void> {
  await db.run(`
    CREATE TABLE events AS
    WITH per_user AS (
      SELECT *, least(life, DATE ${sqlString(end)} - signup_day) AS span,
             1 + floor(least(life, DATE ${sqlString(end)} - signup_day) * rate)::INTEGER AS k
      FROM users
    ), raw AS (
      SELECT line, code, user_no, region_no, signup_day, span, unnest(range(k)) AS j FROM per_user
    ), dated AS (
      SELECT *, CASE WHEN j = 0 THEN signup_day ELSE signup_day + floor(span * ${U('code', 'user_no', 'j', '5')})::INTEGER END AS day,
             ${U('code', 'user_no', 'j', '6')} AS u_type,
             ${U('code', 'user_no', 'j', '7')} AS u_season,
             ${U('code', 'user_no', 'j', '8')} AS u_time
      FROM raw
    )
    SELECT line, code, user_no, region_no, j, day,
           -- seconds after local midnight, peaking in working hours
           floor(86400 * (0.25 + 0.6 * u_time))::INTEGER AS second_of_day,
           CASE
             WHEN j = 0 THEN 'signup'
             WHEN u_type < 0.55 THEN 'visit'
             WHEN u_type < 0.80 THEN 'search'
             -- sharing, launched in January 2025, is taken up gradually
             WHEN u_type < 0.92 THEN CASE WHEN day >= DATE '2025-01-06' AND ${U('code', 'user_no', 'j', '9')} < least(1, (day - DATE '2025-01-06') / 500.0) THEN 'share' ELSE 'visit' END
             ELSE 'booking'
           END AS kind,
           ${U('code', 'user_no', 'j', '10')} AS u_late
    FROM dated
    WHERE day >= DATE ${sqlString(start)}
      AND (j = 0 OR u_season < [0.72, 0.76, 0.8, 0.82, 0.86, 0.92, 0.96, 0.9, 0.84, 0.8, 0.78, 0.62][month(day)])
    ORDER BY day, second_of_day, code, user_no, j`);
}

const REGIONS = `['London', 'South East', 'South West', 'East of England', 'West Midlands', 'East Midlands', 'Yorkshire', 'North West', 'North East', 'Wales', 'Scotland', 'Northern Ireland', 'Online']`;

/**
 * Casting portal: monthly CSVs in hive-style folders (file_month=YYYY-MM),
 * UTC timestamps. Files before 2025 call the timestamp column `timestamp`.
 * About 0.5% of rows arrive a month late, in the next month's file.
 */
async function writeCastingEvents(db: DuckDBConnection, outDir: string): Promise<number> {
  const select = (timeColumn: string) => `
    SELECT printf('cst_%08x', row_number() OVER (ORDER BY day, second_of_day, code, user_no, j)) AS event_id,
           printf('CU-%06d', user_no) AS user_ref,
           CASE kind WHEN 'signup' THEN 'account_created' WHEN 'visit' THEN 'login' WHEN 'search' THEN 'talent_search'
                     WHEN 'share' THEN 'shortlist_shared' ELSE 'booking_confirmed' END AS event_type,
           strftime(timezone('UTC', (day + to_seconds(second_of_day))::TIMESTAMP AT TIME ZONE 'Europe/London'), '%Y-%m-%dT%H:%M:%SZ') AS ${timeColumn},
           ${REGIONS}[region_no + 1] AS region,
           strftime(CASE WHEN u_late < 0.005 THEN day + INTERVAL 1 MONTH ELSE day END, '%Y-%m') AS file_month
    FROM events WHERE line = 'Casting'`;
  const dir = join(outDir, 'casting-events');
  await db.run(`CREATE TEMP TABLE casting AS ${select('occurred_at_utc')}`);
  // A partitioned write interleaves chunks across threads; one thread keeps each file's rows in order.
  await db.run('SET threads = 1');
  await db.run(`COPY (SELECT * RENAME (occurred_at_utc AS "timestamp") FROM casting WHERE file_month < '2025-01' ORDER BY event_id)
                TO ${sqlString(dir)} (FORMAT csv, PARTITION_BY (file_month), FILENAME_PATTERN 'events_{i}')`);
  // The two eras fill different folders, so the second write adds to the first.
  await db.run(`COPY (SELECT * FROM casting WHERE file_month >= '2025-01' ORDER BY event_id)
                TO ${sqlString(dir)} (FORMAT csv, PARTITION_BY (file_month), FILENAME_PATTERN 'events_{i}', OVERWRITE_OR_IGNORE)`);
  await db.run('RESET threads');
  return count(db, 'FROM casting');
}

/**
 * Production portal: one `;`-separated file a month, local dates written
 * dd/mm/yyyy, numeric ids, upper-case actions. 0.2% of rows are exported
 * twice; 11–17 August 2025 is missing (an outage); 0.5% of rows arrive late.
 */
async function writeProductionEvents(db: DuckDBConnection, outDir: string): Promise<number> {
  await db.run(`
    CREATE TEMP TABLE production AS
    SELECT 7000000 + row_number() OVER (ORDER BY day, second_of_day, code, user_no, j) AS id,
           printf('P#%05d', user_no) AS account,
           CASE kind WHEN 'signup' THEN 'REGISTER' WHEN 'visit' THEN 'SIGN_IN' WHEN 'search' THEN 'CREW_SEARCH'
                     WHEN 'share' THEN 'PROJECT_SHARED' ELSE 'CREW_BOOKED' END AS action,
           strftime(day, '%d/%m/%Y') AS event_date,
           ${REGIONS}[region_no + 1] AS site_region,
           strftime(CASE WHEN u_late < 0.005 THEN day + INTERVAL 1 MONTH ELSE day END, '%Y%m') AS file_month,
           u_late
    FROM events
    WHERE line = 'Production' AND NOT (day BETWEEN DATE '2025-08-11' AND DATE '2025-08-17')`);
  const months = (await db.runAndReadAll('SELECT DISTINCT file_month FROM production ORDER BY 1')).getRowObjectsJS().map((r) => String(r.file_month));
  for (const month of months) {
    await db.run(`
      COPY (
        SELECT id, account, action, event_date, site_region FROM (
          SELECT * FROM production WHERE file_month = ${sqlString(month)}
          UNION ALL
          SELECT * FROM production WHERE file_month = ${sqlString(month)} AND u_late > 0.998 -- exported twice
        ) ORDER BY id
      ) TO ${sqlString(join(outDir, 'production-events', `PROD_EXPORT_${month}.csv`))} (FORMAT csv, DELIMITER ';')`);
  }
  return count(db, 'FROM production');
}

/**
 * Finance: revenue and costs per fiscal week and business line. Fiscal years
 * start on the Monday nearest 1 April; weeks run Monday to Sunday.
 */
async function writeFinance(db: DuckDBConnection, outDir: string, start: string, end: string): Promise<number> {
  await db.run(`
    COPY (
      WITH fy AS (
        SELECT y AS fiscal_year,
               ${fiscalYearStartSql('y::INTEGER')} AS fy_start
        FROM range(2022, 2028) r(y)
      ), weeks AS (
        SELECT fiscal_year, 1 + (w.d - fy_start) // 7 AS fiscal_week, w.d AS week_start
        FROM fy, (SELECT unnest(range(DATE '2022-03-28', DATE '2028-04-10', INTERVAL 7 DAY))::DATE AS d) w
        WHERE w.d >= fy_start AND w.d < (SELECT min(f2.fy_start) FROM fy f2 WHERE f2.fiscal_year = fy.fiscal_year + 1)
      ), bookings AS (
        SELECT date_trunc('week', day)::DATE AS week_start, line, count(*) AS n
        FROM events WHERE kind = 'booking' GROUP BY ALL
      )
      SELECT 'FY' || fiscal_year AS "FY", fiscal_week AS "Week",
             CASE l.line WHEN 'Casting' THEN 'CAST' ELSE 'PROD' END AS "Business Line",
             round(coalesce(b.n, 0) * CASE l.line WHEN 'Casting' THEN 48 ELSE 410 END * (0.9 + 0.2 * ${U('fiscal_year', 'fiscal_week', 'length(l.line)', '11')}), 2) AS "Revenue (£)",
             round(CASE l.line WHEN 'Casting' THEN 900 ELSE 2600 END + coalesce(b.n, 0) * CASE l.line WHEN 'Casting' THEN 21 ELSE 230 END, 2) AS "Costs (£)"
      FROM weeks CROSS JOIN (VALUES ('Casting'), ('Production')) l(line)
      LEFT JOIN bookings b ON b.week_start = weeks.week_start AND b.line = l.line
      WHERE weeks.week_start >= DATE ${sqlString(start)} AND weeks.week_start + 6 <= DATE ${sqlString(end)}
      ORDER BY weeks.week_start, "Business Line"
    ) TO ${sqlString(join(outDir, 'finance', 'weekly-report.csv'))} (FORMAT csv)`);
  return count(db, `FROM read_csv(${sqlString(join(outDir, 'finance', 'weekly-report.csv'))})`);
}

/**
 * CRM: some users subscribe (Starter, Pro, Studio). Each month's file lists
 * every subscription started by that month's end, with end dates known then.
 * A user whose life ends before the subscription would start never subscribes
 * (the export refuses a subscription that ends before it starts).
 */
async function writeCrm(db: DuckDBConnection, outDir: string, start: string, end: string): Promise<number> {
  await db.run(`
    CREATE TEMP TABLE subscriptions AS
    SELECT printf('SUB-%d-%06d', code, user_no) AS subscription_id,
           printf('%s.%06d@example.invalid', lower(line), user_no) AS customer_email,
           lower(line) AS business_line,
           CASE WHEN u < 0.6 THEN 'Starter' WHEN u < 0.9 THEN 'Pro' ELSE 'Studio' END AS plan,
           signup_day + 3 + floor(20 * ${U('code', 'user_no', '13')})::INTEGER AS start_date,
           signup_day + 3 + floor(life * 1.4)::INTEGER AS end_date,
           CASE WHEN u < 0.6 THEN 15 WHEN u < 0.9 THEN 45 ELSE 120 END * CASE line WHEN 'Casting' THEN 1 ELSE 2 END AS monthly_value_gbp
    FROM (SELECT *, ${U('code', 'user_no', '12')} AS u FROM users WHERE ${U('code', 'user_no', '14')} < 0.18)
    WHERE end_date >= start_date`);
  const months = (
    await db.runAndReadAll(`SELECT strftime(m, '%Y-%m') AS m FROM (SELECT unnest(range(DATE ${sqlString(start)}, DATE ${sqlString(end)}, INTERVAL 1 MONTH))::DATE AS m) ORDER BY 1`)
  ).getRowObjectsJS().map((r) => String(r.m));
  for (const month of months) {
    const monthEnd = `(DATE '${month}-01' + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE`;
    await db.run(`
      COPY (
        SELECT subscription_id, customer_email, business_line, plan, start_date,
               CASE WHEN end_date <= ${monthEnd} THEN end_date END AS end_date, monthly_value_gbp
        FROM subscriptions WHERE start_date <= ${monthEnd} ORDER BY subscription_id
      ) TO ${sqlString(join(outDir, 'crm', `subscriptions_${month}.csv`))} (FORMAT csv)`);
  }
  return months.length;
}

/** Service desk tickets, JSON lines: UTC times, some unresolved, some without a category. */
async function writeTickets(db: DuckDBConnection, outDir: string, end: string): Promise<number> {
  await db.run(`
    COPY (
      WITH t AS (
        SELECT *, ${U('code', 'user_no', 'j', '15')} AS a, ${U('code', 'user_no', 'j', '16')} AS b, ${U('code', 'user_no', 'j', '17')} AS c
        FROM events WHERE ${U('code', 'user_no', 'j', '18')} < 0.012
      )
      SELECT printf('T-%07d', row_number() OVER (ORDER BY day, second_of_day, code, user_no, j)) AS ticket,
             strftime(timezone('UTC', (day + to_seconds(second_of_day))::TIMESTAMP AT TIME ZONE 'Europe/London'), '%Y-%m-%dT%H:%M:%SZ') AS opened,
             CASE WHEN (day + to_seconds(second_of_day) + to_seconds(floor(3600 * (1 + 70 * b * b))::INTEGER))::DATE <= DATE ${sqlString(end)} AND a > 0.01
                  THEN strftime(timezone('UTC', (day + to_seconds(second_of_day) + to_seconds(floor(3600 * (1 + 70 * b * b))::INTEGER))::TIMESTAMP AT TIME ZONE 'Europe/London'), '%Y-%m-%dT%H:%M:%SZ') END AS resolved,
             CASE WHEN c < 0.01 THEN NULL WHEN c < 0.35 THEN 'Billing' WHEN c < 0.6 THEN 'Bookings' WHEN c < 0.85 THEN 'Account access' ELSE 'Other' END AS category,
             lower(line) AS line,
             CASE line WHEN 'Casting' THEN printf('casting.%06d@example.invalid', user_no) ELSE printf('production.%06d@example.invalid', user_no) END AS requester_email
      FROM t ORDER BY ticket
    ) TO ${sqlString(join(outDir, 'support', 'tickets.jsonl'))} (FORMAT json)`);
  return count(db, `FROM read_json(${sqlString(join(outDir, 'support', 'tickets.jsonl'))})`);
}
