/**
 * The export on the tiny company (tiny-company.ts): every number below is
 * worked out by hand from the rows there.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/node/duckdb.ts';
import { type ExportResult, exportSnapshots } from '../../src/export/export-snapshots.ts';
import { fiscalWeekStartSql } from '../../src/export/calendar-sql.ts';
import { modelWith, quietEffects, ROOT, scratchCache, TINY, writeSources } from './tiny-company.ts';

type Values = (metric: string, grain: string, line: string, start: string, dimension?: [string, string]) => number | undefined;

async function valuesOf(result: ExportResult): Promise<{ value: Values; rows: Record<string, unknown>[] }> {
  const db = await openDatabase();
  const rows = await queryRows(
    db,
    `SELECT metric, grain, business_line, strftime(period_start, '%Y-%m-%d') AS start, dimension, dimension_value, value FROM read_parquet('${join(result.dir, 'metrics.parquet')}')`,
  );
  const value: Values = (metric, grain, line, start, dimension) =>
    rows.find(
      (r) =>
        r.metric === metric && r.grain === grain && r.business_line === line && r.start === start &&
        (dimension ? r.dimension === dimension[0] && r.dimension_value === dimension[1] : r.dimension === null),
    )?.value as number | undefined;
  return { value, rows };
}

async function exportTiny(options: { modelDir?: string } = {}) {
  const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-snapshots-'));
  const [result] = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(), snapshotsDir, cacheDir: scratchCache(), period: '2027-01', effects: quietEffects(), ...options });
  return result!;
}

describe('the export on a tiny hand-made company', () => {
  let result: ExportResult;
  let value: Values;
  let rows: Record<string, unknown>[];
  beforeAll(async () => {
    result = await exportTiny();
    ({ value, rows } = await valuesOf(result));
  });

  it('maps both portals into one vocabulary: bookings, users, sign-ups per line and in total', () => {
    // December: CU-1 signs up, searches, books; CU-2 visits (once on time, once in a late row); P#1 signs up and searches.
    expect(value('bookings', 'month', 'Casting', '2026-12-01')).toBe(1);
    expect(value('bookings', 'month', 'Production', '2026-12-01')).toBe(0);
    expect(value('bookings', 'month', 'All', '2026-12-01')).toBe(1);
    expect(value('active_users', 'month', 'Casting', '2026-12-01')).toBe(2);
    expect(value('active_users', 'month', 'All', '2026-12-01')).toBe(3);
    expect(value('new_users', 'month', 'All', '2026-12-01')).toBe(2);
    expect(value('returning_users', 'month', 'Casting', '2026-12-01')).toBe(1);
    // January: CU-2 searches and books, CU-3 signs up, CU-1 shares; P#1 books, P#2 visits.
    expect(value('bookings', 'month', 'All', '2027-01-01')).toBe(2);
    expect(value('active_users', 'month', 'All', '2027-01-01')).toBe(5);
    expect(value('sharing_adoption', 'month', 'Casting', '2027-01-01')).toBeCloseTo(1 / 3, 12);
    expect(value('sharing_adoption', 'month', 'All', '2027-01-01')).toBeCloseTo(1 / 5, 12);
    expect(value('conversion_rate', 'month', 'All', '2027-01-01')).toBeCloseTo(2 / 5, 12);
  });

  it('computes ratios over the total rather than averaging the lines, and the tree multiplies out', () => {
    expect(value('bookings_per_active_user', 'month', 'All', '2026-12-01')).toBeCloseTo(1 / 3, 12);
    expect(value('search_rate', 'month', 'All', '2026-12-01')).toBeCloseTo(2 / 3, 12);
    expect(value('bookings_per_searcher', 'month', 'All', '2026-12-01')).toBeCloseTo(1 / 2, 12);
    // bookings per active user = search rate × bookings per searcher
    expect(value('search_rate', 'month', 'All', '2026-12-01')! * value('bookings_per_searcher', 'month', 'All', '2026-12-01')!).toBeCloseTo(
      value('bookings_per_active_user', 'month', 'All', '2026-12-01')!,
      12,
    );
  });

  it('spreads a fiscal week that crosses a month boundary over its days: 4/7 to December, 3/7 to January', () => {
    // FY2026 week 40 = Mon 28 Dec 2026 – Sun 3 Jan 2027: Casting £700, Production £1,400. Week 41: Casting £350.
    expect(value('revenue', 'month', 'Casting', '2026-12-01')).toBeCloseTo(400, 9);
    expect(value('revenue', 'month', 'Production', '2026-12-01')).toBeCloseTo(800, 9);
    expect(value('revenue', 'month', 'All', '2026-12-01')).toBeCloseTo(1200, 9);
    expect(value('revenue', 'month', 'Casting', '2027-01-01')).toBeCloseTo(300 + 350, 9);
    expect(value('revenue', 'month', 'All', '2027-01-01')).toBeCloseTo(300 + 350 + 600, 9);
    // Costs are a tenth of revenue here, so the margin is 90%.
    expect(value('gross_margin', 'month', 'All', '2026-12-01')).toBeCloseTo(0.9, 12);
  });

  it('has 53 fiscal weeks in a year only when the next year starts 53 weeks later, and no date for a week a year does not have', async () => {
    const db = await openDatabase();
    const start = async (year: number, week: number) => {
      const [row] = await queryRows(db, `SELECT strftime(${fiscalWeekStartSql(String(year), String(week))}, '%Y-%m-%d') AS d`);
      return row?.d ?? null;
    };
    // FY2027 starts Mon 29 Mar 2027 (1 April is a Thursday), FY2028 Mon 3 Apr 2028 (a Saturday): 371 days, 53 weeks.
    expect(await start(2027, 1)).toBe('2027-03-29');
    expect(await start(2027, 53)).toBe('2028-03-27');
    // FY2025 runs from Mon 31 Mar 2025 to Sun 29 Mar 2026: 52 weeks. Its "week 53" would be FY2026's week 1.
    expect(await start(2025, 52)).toBe('2026-03-23');
    expect(await start(2025, 53)).toBeNull();
    expect(await start(2026, 1)).toBe('2026-03-30');
    expect(await start(2026, 0)).toBeNull();
    db.closeSync();
  });

  it('reports ISO week 53 of 2026 (28 Dec – 3 Jan) as one week, across the year end', () => {
    expect(value('revenue', 'week', 'Casting', '2026-12-28')).toBeCloseTo(700, 9);
    expect(value('revenue', 'week', 'All', '2026-12-28')).toBeCloseTo(2100, 9);
    // Events in W53: CU-1's booking on 31 Dec and CU-2's on 2 Jan; P#1 only signs up and searches.
    expect(value('bookings', 'week', 'Casting', '2026-12-28')).toBe(2);
    expect(value('active_users', 'week', 'All', '2026-12-28')).toBe(3);
    expect(value('bookings', 'week', 'All', '2027-01-04')).toBe(1);
    expect(value('active_users', 'week', 'All', '2027-01-04')).toBe(4);
  });

  it('turns UTC timestamps into UK dates: 23:30 UTC on 30 June is a July ticket', () => {
    expect(value('tickets_opened', 'month', 'All', '2026-07-01')).toBe(1);
    expect(value('tickets_opened', 'month', 'All', '2026-06-01')).toBeUndefined();
    expect(value('resolution_hours', 'month', 'All', '2026-07-01')).toBeCloseTo(6, 9);
  });

  it("reads a timestamp written without a zone as UTC, whatever the machine's zone (these tests run in Europe/London)", async () => {
    // CU-9 logs in at 23:30 on 30 June 2026, written without a zone: UTC, so 00:30 on 1 July in the UK.
    const files = { ...TINY, 'casting-events/file_month=2026-07/events_0.csv': 'event_id,user_ref,event_type,occurred_at_utc,region\nc10,CU-9,login,2026-06-30 23:30:00,London' };
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-snapshots-'));
    const [naive] = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(files), snapshotsDir, cacheDir: scratchCache(), period: '2027-01', effects: quietEffects() });
    const { value: naiveValue } = await valuesOf(naive!);
    // Read as London time it would be 22:30 UTC, still 30 June.
    expect(naiveValue('active_users', 'month', 'Casting', '2026-07-01')).toBe(1);
    expect(naiveValue('active_users', 'month', 'Casting', '2026-06-01')).toBeUndefined();
  });

  it('reads a JSON Lines column under its old name in older lines, as a CSV column (renamedFrom)', async () => {
    // T3 and T4 were written when the desk called "resolved" "closed".
    const tickets = TINY['support/tickets.jsonl']!.split('\n').map((line) => (/"T[34]"/.test(line) ? line.replace('"resolved":', '"closed":') : line)).join('\n');
    const modelDir = modelWith('sources.yaml', (text) => text.replace('{ name: resolved, type: TIMESTAMPTZ, notBefore: opened }', '{ name: resolved, type: TIMESTAMPTZ, notBefore: opened, renamedFrom: [closed] }'));
    const [renamed] = await exportSnapshots({
      root: ROOT, sourcesDir: writeSources({ ...TINY, 'support/tickets.jsonl': tickets }), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-snapshots-')),
      cacheDir: scratchCache(), period: '2027-01', modelDir, effects: quietEffects(),
    });
    const { value: renamedValue } = await valuesOf(renamed!);
    // As with the file as it is: January's median of T2's 10 h and T4's 30 h; T3 (resolved in February) still open.
    expect(renamedValue('resolution_hours', 'month', 'All', '2027-01-01')).toBeCloseTo(20, 9);
    expect(renamedValue('resolution_hours', 'month', 'Casting', '2027-01-01')).toBeCloseTo(30, 9);
    expect(renamedValue('resolved_within_48h', 'month', 'All', '2027-01-01')).toBeCloseTo(2 / 3, 12);
  });

  it('reads a CSV file as Excel saves "CSV UTF-8" (a byte-order mark, Windows line endings) as it reads a plain one', async () => {
    const excel = `\uFEFF${TINY['finance/weekly-report.csv']!.replaceAll('\n', '\r\n')}\r\n`;
    const [saved] = await exportSnapshots({
      root: ROOT, sourcesDir: writeSources({ ...TINY, 'finance/weekly-report.csv': Buffer.from(excel) }), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-snapshots-')),
      cacheDir: scratchCache(), period: '2027-01', effects: quietEffects(),
    });
    const { value: savedValue } = await valuesOf(saved!);
    // As above: FY2026 w40 (28 Dec–3 Jan) is 4/7 December, 3/7 January; w41 is all January.
    expect(savedValue('revenue', 'month', 'Casting', '2026-12-01')).toBeCloseTo((700 * 4) / 7, 9);
    expect(savedValue('revenue', 'month', 'All', '2027-01-01')).toBeCloseTo(((700 + 1400) * 3) / 7 + 350, 9);
    // The mark is not read as part of "FY", the first column's name: every row has its fiscal year, so a date.
    expect(saved!.manifest.checks.find((c) => c.name === 'dates are present' && c.source === 'finance_weekly')?.status).toBe('pass');
  });

  it('reads an extract with a column of its own called "filename" (the name DuckDB gives the file a row came from) as it reads one without', async () => {
    const january = 'casting-events/file_month=2027-01/events_0.csv';
    const withAttachment = TINY[january]!.split('\n').map((line, i) => `${line},${i === 0 ? 'filename' : 'photo.jpg'}`).join('\n');
    const [extra] = await exportSnapshots({
      root: ROOT, sourcesDir: writeSources({ ...TINY, [january]: withAttachment }), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-snapshots-')),
      cacheDir: scratchCache(), period: '2027-01', effects: quietEffects(),
    });
    const { value: extraValue, rows: extraRows } = await valuesOf(extra!);
    // As above: January's five people, with the file's rows still counted in the month it was delivered.
    expect(extraValue('active_users', 'month', 'All', '2027-01-01')).toBe(5);
    const sorted = (list: Record<string, unknown>[]) => list.map((r) => JSON.stringify(r)).sort();
    expect(sorted(extraRows)).toEqual(sorted(rows));
  });

  it('reads files in the encoding their source declares (Excel\'s plain "CSV" is Windows-1252, its "Unicode text" UTF-16) as it reads UTF-8', async () => {
    const modelDir = modelWith('sources.yaml', (text) =>
      text
        .replace('    files: finance/weekly-report.csv\n    format: csv\n', '$&    csv: { encoding: windows-1252 }\n')
        .replace('{ name: Revenue (£), type: DOUBLE', '{ name: Revenue – net (£), type: DOUBLE')
        .replace('    files: crm/subscriptions_*.csv\n    format: csv\n', '$&    csv: { encoding: utf-16le }\n'),
    );
    const facts = join(modelDir, 'facts.yaml');
    writeFileSync(facts, readFileSync(facts, 'utf8').replace('"Revenue (£)" / 7', '"Revenue – net (£)" / 7'));
    // Windows-1252 writes "–" as the byte 96 and "£" as A3: neither is UTF-8, and 96 is not Latin-1's "–" either.
    const windows1252 = (text: string) => Buffer.from([...text].map((c) => (c === '–' ? 0x96 : c === '£' ? 0xa3 : c.charCodeAt(0))));
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${text}\n`, 'utf16le')]);
    const files = {
      ...TINY,
      'finance/weekly-report.csv': windows1252(`${TINY['finance/weekly-report.csv']!.replace('Revenue (£)', 'Revenue – net (£)')}\n`),
      'crm/subscriptions_2026-12.csv': utf16(TINY['crm/subscriptions_2026-12.csv']!),
      'crm/subscriptions_2027-01.csv': utf16(TINY['crm/subscriptions_2027-01.csv']!),
    };
    const [result] = await exportSnapshots({
      root: ROOT, sourcesDir: writeSources(files), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-snapshots-')), modelDir,
      cacheDir: scratchCache(), period: '2027-01', effects: quietEffects(),
    });
    const { value: readValue } = await valuesOf(result!);
    // As above: FY2026 w40 (28 Dec–3 Jan) is 4/7 December, 3/7 January; w41 is all January.
    expect(readValue('revenue', 'month', 'Casting', '2026-12-01')).toBeCloseTo((700 * 4) / 7, 9);
    expect(readValue('revenue', 'month', 'All', '2027-01-01')).toBeCloseTo(((700 + 1400) * 3) / 7 + 350, 9);
    // Each dump keeps its delivery month, so January is read from January's (S1 £45 and S3 £240 live at the end; S2 ended on the 20th).
    expect(readValue('mrr', 'month', 'All', '2027-01-01')).toBe(45 + 240);
    expect(readValue('live_subscriptions', 'month', 'All', '2027-01-01')).toBe(2);
    // The manifest lists the files as delivered, and their checksums are of those bytes.
    const finance = result!.manifest.sources.find((s) => s.id === 'finance_weekly')!.files[0]!;
    expect(finance.file).toMatch(/finance\/weekly-report\.csv$/);
    expect(finance.sha256).toBe(createHash('sha256').update(files['finance/weekly-report.csv']).digest('hex'));
    expect(result!.manifest.sources.find((s) => s.id === 'crm_subscriptions')!.files.map((f) => f.delivered)).toEqual(['2026-12', '2027-01']);
  });

  it('reads a source delivered as Parquet (typed columns, renamed across files) as it reads the same rows in CSV', async () => {
    const modelDir = modelWith('sources.yaml', (text) => text.replace('files: casting-events/*/*.csv\n    format: csv', 'files: casting-events/*/*.parquet\n    format: parquet'));
    const sourcesDir = writeSources();
    // The Casting portal's months as Parquet: December's "timestamp" with its zone, January's occurred_at_utc without one (read as UTC).
    const db = await openDatabase();
    for (const [month, time] of [['2026-12', 'timestamp::TIMESTAMPTZ AS timestamp'], ['2027-01', 'occurred_at_utc::TIMESTAMPTZ::TIMESTAMP AS occurred_at_utc']]) {
      const csv = join(sourcesDir, `casting-events/file_month=${month}/events_0.csv`);
      await db.run(`COPY (SELECT event_id, user_ref, event_type, ${time}, region FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${csv.replace('.csv', '.parquet')}' (FORMAT parquet)`);
      rmSync(csv);
    }
    db.closeSync();
    const [parquet] = await exportSnapshots({ root: ROOT, sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-snapshots-')), modelDir, cacheDir: scratchCache(), period: '2027-01', effects: quietEffects() });
    const { value: parquetValue, rows: parquetRows } = await valuesOf(parquet!);
    // As above, by hand: December's Casting users CU-1 and CU-2 (CU-2's late row, delivered in January, included); January's five people.
    expect(parquetValue('active_users', 'month', 'Casting', '2026-12-01')).toBe(2);
    expect(parquetValue('active_users', 'month', 'All', '2027-01-01')).toBe(5);
    // 23:30 UTC on 31 December is still December in London (GMT): CU-1's booking.
    expect(parquetValue('bookings', 'month', 'Casting', '2026-12-01')).toBe(1);
    const sorted = (list: Record<string, unknown>[]) => list.map((r) => JSON.stringify(r)).sort();
    expect(sorted(parquetRows)).toEqual(sorted(rows));
    expect(parquet!.manifest.sources.find((s) => s.id === 'casting_events')!.files.map((f) => [f.file.replace(/^.*casting-events\//, ''), f.delivered])).toEqual([
      ['file_month=2026-12/events_0.parquet', '2026-12'],
      ['file_month=2027-01/events_0.parquet', '2027-01'],
    ]);
  });

  it('treats a ticket resolved after the snapshot ends as still open', () => {
    // January: T2 10 h, T4 30 h, T3 resolved in February (open as of 31 January).
    expect(value('tickets_opened', 'month', 'All', '2027-01-01')).toBe(3);
    expect(value('resolution_hours', 'month', 'All', '2027-01-01')).toBeCloseTo(20, 9);
    expect(value('resolution_hours', 'month', 'Casting', '2027-01-01')).toBeCloseTo(30, 9);
    expect(value('resolved_within_48h', 'month', 'All', '2027-01-01')).toBeCloseTo(2 / 3, 12);
  });

  it('reads subscriptions from the latest CRM dump and follows them month by month', () => {
    expect(value('mrr', 'month', 'Casting', '2026-11-01')).toBe(45);
    expect(value('mrr', 'month', 'All', '2026-12-01')).toBe(60);
    expect(value('live_subscriptions', 'month', 'All', '2026-12-01')).toBe(2);
    // January: S2 ended on the 20th (known only from the January dump), S3 started on the 5th.
    expect(value('mrr', 'month', 'All', '2027-01-01')).toBe(45 + 240);
    expect(value('subscription_churn', 'month', 'Casting', '2027-01-01')).toBe(0.5);
    expect(value('new_subscriptions', 'month', 'Production', '2027-01-01')).toBe(1);
    // No Production subscription was live on 1 January, so its churn has no value rather than 0.
    expect(value('subscription_churn', 'month', 'Production', '2027-01-01')).toBeUndefined();
  });

  it('leaves out files delivered after the period, and counts late rows once their file has arrived', () => {
    // P#2's booking on 31 January arrives in February's file.
    expect(value('bookings', 'month', 'Production', '2027-01-01')).toBe(1);
    const late = result.manifest.checks.filter((c) => c.name === 'late rows');
    expect(late.find((c) => c.source === 'casting_events')?.detail).toBe("1 row arrived in a later month's file than their date; a snapshot counts them once their file has arrived.");
    expect(result.manifest.sources.find((s) => s.id === 'production_events')).toMatchObject({ rows: 4, latestEventDate: '2027-01-04' });
  });

  it('drops exact duplicate rows and says so', () => {
    expect(result.manifest.checks.find((c) => c.source === 'production_events' && c.name === 'keys are unique')).toEqual({
      name: 'keys are unique',
      source: 'production_events',
      status: 'warn',
      detail: '1 exact duplicate row was dropped (same id and same values).',
    });
  });

  const detailOf = (source: string, name: string) => result.manifest.checks.find((c) => c.source === source && c.name === name)?.detail;

  it('words freshness, gaps, months and jumps for readers: en-GB dates and months, counts that agree', () => {
    const detail = detailOf;
    // Casting's latest row is 6 January; the period ends on 31 January: 25 days, against an SLO of 3.
    expect(detail('casting_events', 'freshness')).toBe('latest row 6 January 2027, 25 days before the period ends (SLO: within 3 days); the SLO is broken.');
    // Ranges as en-GB dates read them: '3 – 4 January 2027', with thin spaces round the dash.
    // Casting has rows on 28–31 December, 2, 5 and 6 January: 1, 3 and 4 January are missing.
    expect(detail('casting_events', 'completeness')).toBe('no rows for 1 January 2027 (1 day), 3\u2009–\u20094 January 2027 (2 days); metrics over those days are too low.');
    // Tickets (expected weekly) on 1 July 2026 (T1, 23:30 UTC on 30 June), then 4, 10 and 11 January: the 26 weeks from 8 July are empty.
    expect(detail('support_tickets', 'completeness')).toBe('no rows for the weeks of 8 July\u2009–\u200930 December 2026 (26 weeks); metrics over those weeks are too low.');
    // Per line since its own first month: tickets in July and January for Casting (and so All), January only for Production.
    expect(detail('tickets_opened', 'completeness')).toBe('months present: All 2 of 7, Casting 2 of 7, Production 1 (SLO 100%).');
    expect(detail('bookings', 'completeness')).toBe('every month present: All 2, Casting 2, Production 2 (SLO 100%).');
    // Bookings: 1 in December, 2 in January.
    expect(detail('bookings', 'sudden jump')).toBe('up 100% in January 2027 on the month before; worth a look before publishing.');
  });

  it('warns of rows dated after the day of the export, as the UK calendar has it, and counts them in no snapshot', async () => {
    expect(detailOf('casting_events', 'no dates in the future')).toBe('no row is dated after the day of the export, 3 February 2027');
    // The export runs at 23:30 UTC on 30 June 2027: 00:30 on 1 July in London (BST). Two rows in January's file:
    // one at 23:45 UTC on 30 June (1 July in the UK: today, not the future), one on 14 March 2028.
    const later = 'casting-events/file_month=2027-01/events_0.csv';
    const files = { ...TINY, [later]: `${TINY[later]}\nc20,CU-1,login,2027-06-30T23:45:00Z,London\nc21,CU-2,login,2028-03-14T10:00:00Z,Wales` };
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-snapshots-'));
    const [dated] = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(files), snapshotsDir, cacheDir: scratchCache(), period: '2027-01', effects: quietEffects('2027-06-30T23:30:00Z') });
    const check = dated!.manifest.checks.find((c) => c.source === 'casting_events' && c.name === 'no dates in the future');
    expect([check?.status, check?.detail]).toEqual([
      'warn',
      '1 row is dated after the day of the export, 1 July 2027 (the latest 14 March 2028); no snapshot counts it until its month has ended. Check the extract\'s dates and time zone.',
    ]);
    expect(dated!.manifest.checks.find((c) => c.source === 'production_events' && c.name === 'no dates in the future')?.status).toBe('pass');
  });

  it('drops a row delivered again, unchanged, in a later file: counted once, from its first delivery', async () => {
    const later = 'casting-events/file_month=2027-01/events_0.csv';
    // CU-1's booking of 31 December (c3), sent again in January's file.
    const files = { ...TINY, [later]: `${TINY[later]}\nc3,CU-1,booking_confirmed,2026-12-31T23:30:00Z,London` };
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-snapshots-'));
    const [again] = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(files), snapshotsDir, cacheDir: scratchCache(), period: '2027-01', effects: quietEffects() });
    expect(again!.manifest.checks.find((c) => c.source === 'casting_events' && c.name === 'keys are unique')?.detail).toBe('1 exact duplicate row was dropped (same event_id and same values).');
    // Kept from December's file, so not a late row either.
    expect(again!.manifest.checks.find((c) => c.source === 'casting_events' && c.name === 'late rows')?.detail).toBe(detailOf('casting_events', 'late rows'));
    const { value: againValue } = await valuesOf(again!);
    expect(againValue('bookings', 'month', 'Casting', '2026-12-01')).toBe(1);
    expect(againValue('bookings', 'week', 'Casting', '2026-12-28')).toBe(2);
  });

  it('publishes no breakdown cell smaller than the minimum group size (5 people by default)', () => {
    const breakdowns = rows.filter((r) => r.dimension !== null);
    // Every region cell has under 5 people. Folded together, only January's company-wide
    // "Other" reaches 5 (CU-1, CU-2, CU-3, P#1, P#2); December's has 3 and is left out.
    expect(new Set(breakdowns.map((r) => `${String(r.business_line)} ${String(r.start)} ${String(r.dimension_value)}`))).toEqual(new Set(['All 2027-01-01 Other']));
    expect(value('active_users', 'month', 'All', '2027-01-01', ['region', 'Other'])).toBe(5);
  });

  it('records what it read and how healthy it was in the manifest', () => {
    const { manifest } = result;
    expect(manifest).toMatchObject({ id: '2027-01', periodStart: '2027-01-01', periodEnd: '2027-01-31', created: '2027-02-03T09:00:00.000Z' });
    expect(manifest.sources.map((s) => s.id)).toEqual(['casting_events', 'production_events', 'finance_weekly', 'crm_subscriptions', 'support_tickets']);
    expect(manifest.sources.find((s) => s.id === 'production_events')!.files.map((f) => f.file.split('/').pop())).toEqual(['PROD_EXPORT_202701.csv']);
    expect(manifest.tables[0]!.columns.map((c) => c.name)).toEqual(['grain', 'period_start', 'business_line', 'dimension', 'dimension_value', 'metric', 'value']);
    expect(manifest.metrics.find((m) => m.id === 'bookings')).toMatchObject({ latestDataDate: '2027-01-04' });
    expect(manifest.checks.every((c) => c.status !== 'fail')).toBe(true);
  });
});

describe('breakdowns with a smaller minimum group size', () => {
  it('folds cells under the minimum into "Other" and recomputes them; leaves out an "Other" still too small', async () => {
    const modelDir = modelWith('calendar.yaml', (text) => text.replace('minimumGroupSize: 5', 'minimumGroupSize: 2'));
    const { value } = await valuesOf(await exportTiny({ modelDir }));
    // Casting in December: London {CU-1} and Wales {CU-2} are each too small; together, 2 people.
    expect(value('active_users', 'month', 'Casting', '2026-12-01', ['region', 'London'])).toBeUndefined();
    expect(value('active_users', 'month', 'Casting', '2026-12-01', ['region', 'Other'])).toBe(2);
    // The company in December: London {CU-1, P#1} stands; Wales {CU-2} alone is folded, and that Other (1) is left out.
    expect(value('active_users', 'month', 'All', '2026-12-01', ['region', 'London'])).toBe(2);
    expect(value('active_users', 'month', 'All', '2026-12-01', ['region', 'Other'])).toBeUndefined();
  });
});
