/**
 * The export on the tiny company (tiny-company.ts): every number below is
 * worked out by hand from the rows there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/node/duckdb.ts';
import { type ExportResult, exportSnapshots } from '../../src/export/export-snapshots.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { fiscalWeekStartSql } from '../../src/export/calendar-sql.ts';
import { historyRanges } from '../../src/export/metrics.ts';
import { removeUnpublished } from '../../src/astro/unpublished.ts';
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

/**
 * Runs the export with its step timings on (PLOTLINE_EXPORT_TIMING=2 also
 * times each metric query, naming its part), so the log shows whether the
 * sources were loaded and into how many parts each fact's history was split.
 */
async function timed(options: Partial<Parameters<typeof exportSnapshots>[0]> & { sourcesDir: string; snapshotsDir: string }) {
  const effects = quietEffects();
  process.env.PLOTLINE_EXPORT_TIMING = '2';
  try {
    const results = await exportSnapshots({ root: ROOT, cacheDir: scratchCache(), effects, ...options });
    const parts = new Map<string, Set<string>>();
    for (const [, fact, range] of effects.logs.map((l) => /^timing: {3}(\w+) .*?(\[.*\])? [\d.]+ s$/.exec(l)).filter((m) => m !== null)) {
      parts.set(fact!, (parts.get(fact!) ?? new Set()).add(range ?? 'whole'));
    }
    return { results, loaded: effects.logs.some((l) => l.startsWith('timing: load ')), logs: effects.logs, parts: Object.fromEntries([...parts].map(([f, r]) => [f, r.size])) };
  } finally {
    delete process.env.PLOTLINE_EXPORT_TIMING;
  }
}

/** Rows in one snapshot's metrics but not the other's, both ways (EXCEPT ALL: duplicates count). */
async function difference(a: ExportResult, b: ExportResult): Promise<{ rows: number; onlyA: number; onlyB: number }> {
  const db = await openDatabase();
  const [x, y] = [a, b].map((r) => `read_parquet('${join(r.dir, 'metrics.parquet')}')`);
  const [row] = await queryRows(db, `SELECT (SELECT count(*) FROM ${x}) AS n, (SELECT count(*) FROM (FROM ${x} EXCEPT ALL FROM ${y})) AS a, (SELECT count(*) FROM (FROM ${y} EXCEPT ALL FROM ${x})) AS b`);
  return { rows: Number(row?.n), onlyA: Number(row?.a), onlyB: Number(row?.b) };
}

describe('a long history computed in parts', () => {
  it('splits the history into runs of whole months under the row limit, open at both ends', async () => {
    const db = await openDatabase();
    await db.run('CREATE TABLE f (date DATE)');
    // January 4 rows, February 4, March 4, April 9 (over the limit on its own), May 1.
    for (const [month, n] of [['2026-01-05', 4], ['2026-02-05', 4], ['2026-03-05', 4], ['2026-04-05', 9], ['2026-05-05', 1]] as const) {
      await db.run(`INSERT INTO f SELECT DATE '${month}' FROM range(${n})`);
    }
    expect(await historyRanges(db, 'f', 8)).toEqual([
      { from: null, to: '2026-03-01' },
      { from: '2026-03-01', to: '2026-04-01' },
      { from: '2026-04-01', to: '2026-05-01' },
      { from: '2026-05-01', to: null },
    ]);
    expect(await historyRanges(db, 'f', 22)).toEqual([{ from: null, to: null }]);
  });

  it('gives exactly the numbers of the whole history for every fact of the tiny company, split month by month', async () => {
    // Groups of 2 so that cells are folded into "Other"; ISO week 53 spans the year end and so two parts.
    const modelDir = modelWith('calendar.yaml', (text) => text.replace('minimumGroupSize: 5', 'minimumGroupSize: 2'));
    const tiny = { sourcesDir: writeSources(), period: '2027-01', modelDir };
    const whole = await timed({ ...tiny, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-whole-')) });
    const parts = await timed({ ...tiny, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), partRows: 1 });
    expect(whole.parts).toEqual({ events: 1, finance: 1, subscriptions: 1, tickets: 1 });
    // Every fact is split: events, finance (no entity), subscriptions (months only), tickets (a metric with a filter).
    for (const fact of ['events', 'finance', 'subscriptions', 'tickets']) expect(parts.parts[fact]).toBeGreaterThan(1);
    const diff = await difference(whole.results[0]!, parts.results[0]!);
    expect(diff.rows).toBeGreaterThan(100);
    expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);
  });

  it('gives exactly the numbers of the whole history for the demo data, the events split into 150,000-row parts', async () => {
    const demo = { sourcesDir: join(ROOT, 'data/sources'), period: '2026-10' };
    const whole = await timed({ ...demo, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-whole-')) });
    const parts = await timed({ ...demo, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), partRows: 150_000 });
    // About 1 million event rows: 8 parts, with ISO weeks that straddle their bounds.
    expect(parts.parts.events).toBeGreaterThanOrEqual(6);
    const diff = await difference(whole.results[0]!, parts.results[0]!);
    expect(diff.rows).toBeGreaterThan(60_000);
    expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);
  }, 120_000);

  it('refuses a part size that is not a whole number above 0, even when there is nothing to do', async () => {
    const options = { root: ROOT, sourcesDir: writeSources(), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), cacheDir: scratchCache(), period: '2027-01', effects: quietEffects() };
    await exportSnapshots(options);
    await expect(exportSnapshots({ ...options, partRows: 0 })).rejects.toThrow('partRows must be a whole number of rows above 0, not 0.');
  });
});

describe('an export of files that have not changed', () => {
  it('only hashes the files when every snapshot was made from them, and loads them again when anything changed', async () => {
    const sourcesDir = writeSources();
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-unchanged-'));
    const cacheDir = scratchCache();
    const run = (options: Partial<Parameters<typeof exportSnapshots>[0]> = {}) => timed({ sourcesDir, snapshotsDir, cacheDir, history: 2, ...options });
    const first = await run();
    expect(first.loaded).toBe(true);
    expect(first.results.map((r) => r.status)).toEqual(['written', 'written']);
    const periods = first.results.map((r) => r.period);

    const again = await run();
    expect(again.loaded).toBe(false);
    expect(again.results.map((r) => [r.period, r.status])).toEqual(periods.map((p) => [p, 'unchanged']));
    expect(again.results.map((r) => r.manifest)).toEqual(first.results.map((r) => r.manifest));
    expect(again.logs).toContain(`Snapshot ${periods[1]} is up to date (same model and sources); kept as it is.`);

    // One period asked for by name: decided from its own files, without the record of the last run.
    const one = await run({ period: periods[0], cacheDir: scratchCache() });
    expect([one.loaded, one.results[0]!.status]).toEqual([false, 'unchanged']);

    // A snapshot deleted by hand: the full run, which makes it again.
    rmSync(join(snapshotsDir, periods[0]!), { recursive: true });
    const remade = await run();
    expect([remade.loaded, ...remade.results.map((r) => r.status)]).toEqual([true, 'written', 'unchanged']);

    // A changed model: the full run again, and the snapshots, being history, are kept as they are.
    const modelDir = modelWith('calendar.yaml', (text) => `${text}\n# reviewed\n`);
    const changed = await run({ modelDir });
    expect(changed.loaded).toBe(true);
    expect(changed.results.map((r) => r.status)).toEqual(['kept', 'kept']);
    expect((await run({ modelDir })).loaded).toBe(false);

    // One period by name from the changed model, without --replace: refused before anything is loaded, the snapshot kept.
    const refused = await run({ modelDir, period: periods[1] }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(new RegExp(`${periods[1]} already exists and was made from a different model or different source files\\..*Run the export with --replace`));
    expect(JSON.parse(readFileSync(join(snapshotsDir, periods[1]!, 'manifest.json'), 'utf8'))).toEqual(remade.results[1]!.manifest);

    // --replace: the snapshots made from other inputs are remade, however recent the record of the last run.
    const replaced = await run({ modelDir, replace: true });
    expect([replaced.loaded, ...replaced.results.map((r) => r.status)]).toEqual([true, 'replaced', 'replaced']);
    expect((await run({ modelDir, replace: true })).loaded).toBe(false);
    // The old ones are kept beside them, for the team, but a build leaves them out of the site (Astro copies public/ whole).
    const kept = readdirSync(join(snapshotsDir, '.replaced'));
    expect(kept.map((k) => k.slice(0, 7)).sort()).toEqual([...periods].sort());
    const site = mkdtempSync(join(tmpdir(), 'plotline-site-'));
    cpSync(snapshotsDir, join(site, 'data', 'snapshots'), { recursive: true });
    expect(removeUnpublished(site)).toEqual(['data/snapshots/.replaced/']);
    expect(readdirSync(join(site, 'data', 'snapshots')).sort()).toEqual([...periods, 'latest.json'].sort());
    expect(readdirSync(join(snapshotsDir, '.replaced'))).toEqual(kept);

    // A changed source file: loaded again too.
    appendFileSync(join(sourcesDir, 'finance/weekly-report.csv'), '\n');
    expect((await run({ modelDir })).loaded).toBe(true);
  });
});

describe('periods whose rows have not changed since an earlier snapshot', () => {
  const computedOnly = (logs: string[], period: string) => logs.find((l) => l.startsWith(`${period}: computed only what changed since snapshot `));
  const value = async (result: ExportResult, metric: string, line: string, start: string, plan?: string) => {
    const db = await openDatabase();
    const [row] = await queryRows(
      db,
      `SELECT value FROM read_parquet('${join(result.dir, 'metrics.parquet')}') WHERE metric = '${metric}' AND grain = 'month' AND business_line = '${line}'
       AND ${plan ? `dimension = 'plan' AND dimension_value = '${plan}'` : 'dimension IS NULL'} AND period_start = DATE '${start}'`,
    );
    return row?.value;
  };

  it('takes them from the snapshot before, in a later run, and computes again the months a late row changed', async () => {
    // A booking on 30 December delivered late, in January's file.
    const january = 'casting-events/file_month=2027-01/events_0.csv';
    const sourcesDir = writeSources({ ...TINY, [january]: `${TINY[january]}\nc10,CU-2,booking_confirmed,2026-12-30T15:00:00Z,Wales` });
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const cacheDir = scratchCache();
    const december = await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2026-12' });
    expect(computedOnly(december.logs, '2026-12')).toBeUndefined();
    const next = await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2027-01' });
    // Casting's December bookings: c3 alone as December's snapshot saw it; c3 and the late c10 once January's file came.
    expect(await value(december.results[0]!, 'bookings', 'Casting', '2026-12-01')).toBe(1);
    expect(await value(next.results[0]!, 'bookings', 'Casting', '2026-12-01')).toBe(2);

    // Events and finance: both months and weeks hold new or late rows. Unchanged: subscriptions in November and
    // December (the January dump ends S2 on 20 January), tickets in July 2026 (T1) and its week.
    expect(computedOnly(next.logs, '2027-01')).toBe(
      '2027-01: computed only what changed since snapshot 2026-12 (same metric SQL, same rows elsewhere): ' +
        'events 2 of 2 months and 2 of 2 weeks; finance 2 of 2 months and 2 of 2 weeks; subscriptions 1 of 3 months; tickets 1 of 2 months and 2 of 3 weeks. ' +
        'The other values were taken from 2026-12.',
    );
    // The manifest keeps the same account; December's own snapshot computed everything.
    const manifest = (result: ExportResult) => JSON.parse(readFileSync(join(result.dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest(december.results[0]!).reuse).toBeNull();
    const subscriptionsAndTickets = [
      { fact: 'subscriptions', grain: 'month', periods: 3, computed: 1 },
      { fact: 'tickets', grain: 'month', periods: 2, computed: 1 },
      { fact: 'tickets', grain: 'week', periods: 3, computed: 2 },
    ];
    expect(manifest(next.results[0]!).reuse).toEqual({
      from: '2026-12',
      computed: [
        { fact: 'events', grain: 'month', periods: 2, computed: 2 },
        { fact: 'events', grain: 'week', periods: 2, computed: 2 },
        { fact: 'finance', grain: 'month', periods: 2, computed: 2 },
        { fact: 'finance', grain: 'week', periods: 2, computed: 2 },
        ...subscriptionsAndTickets,
      ],
      whole: [],
    });

    // Every value as a run that computes everything.
    const whole = await timed({ sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-whole-')), cacheDir: scratchCache(), period: '2027-01' });
    expect(computedOnly(whole.logs, '2027-01')).toBeUndefined();
    const diff = await difference(whole.results[0]!, next.results[0]!);
    expect(diff.rows).toBeGreaterThan(100);
    expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);

    // In parts of at most 3 rows: the changed rows of events (all of them: both its months changed) and of finance
    // (28: two fiscal weeks of 7 days for two lines) are more than a part, so those facts are computed whole.
    // Subscriptions (S1, S2 and S3 in January) and tickets (T2, T3 and T4) change 3 rows each: computed in part.
    const inParts = { sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), cacheDir: scratchCache(), partRows: 3 };
    await timed({ ...inParts, period: '2026-12' });
    const parts = await timed({ ...inParts, period: '2027-01' });
    expect(manifest(parts.results[0]!).reuse).toEqual({ from: '2026-12', computed: subscriptionsAndTickets, whole: ['events', 'finance'] });
    const inPartsDiff = await difference(whole.results[0]!, parts.results[0]!);
    expect(inPartsDiff.rows).toBe(diff.rows);
    expect([inPartsDiff.onlyA, inPartsDiff.onlyB]).toEqual([0, 0]);

    // In parts of one row every fact is computed whole: nothing is taken, and the manifest and the log say so.
    const oneRow = { sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-parts-')), cacheDir: scratchCache(), partRows: 1 };
    await timed({ ...oneRow, period: '2026-12' });
    const nothingTaken = await timed({ ...oneRow, period: '2027-01' });
    expect(manifest(nothingTaken.results[0]!).reuse).toBeNull();
    expect(nothingTaken.logs).toContain('2027-01: every month and week changed since snapshot 2026-12 (or too many rows to compute them apart); computed everything.');
  });

  it('computes everything when the metric SQL differs from the earlier snapshot\'s, or the record of how it was made is gone', async () => {
    const sourcesDir = writeSources();
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const cacheDir = scratchCache();
    await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2026-12' });
    const january = (modelDir?: string) => timed({ sourcesDir, snapshotsDir, cacheDir, modelDir, period: '2027-01', replace: true });

    // Reworded descriptions change the model but not a single value: December's values are taken.
    const reworded = modelWith('metrics.yaml', (text) => text.replace('Our north star.', 'The north star.'));
    expect(computedOnly((await january(reworded)).logs, '2027-01')).toMatch(/since snapshot 2026-12/);

    // Tickets counted another way (Billing left out): every period is computed with the new SQL, even
    // July 2026, whose one ticket (T1, Billing) is as December's snapshot saw it.
    const recounted = modelWith('metrics.yaml', (text) => text.replace('expression: count(*)\n', "expression: count(*) FILTER (WHERE category <> 'Billing')\n"));
    const changed = await january(recounted);
    expect(await value(changed.results[0]!, 'tickets_opened', 'Casting', '2026-07-01')).toBe(0);
    expect(computedOnly(changed.logs, '2027-01')).toBeUndefined();

    // December's values edited by hand: they are no longer what the record describes, so nothing is taken from them.
    appendFileSync(join(snapshotsDir, '2026-12', 'metrics.parquet'), ' ');
    expect(computedOnly((await january()).logs, '2027-01')).toBeUndefined();

    // December's record gone (say, the cache was cleared): nothing to compare with, so everything is computed.
    rmSync(join(cacheDir), { recursive: true });
    expect(computedOnly((await january()).logs, '2027-01')).toBeUndefined();
  });

  it('gives exactly the numbers of each period computed alone, for three monthly snapshots of the demo made in one run', async () => {
    const sourcesDir = join(ROOT, 'data/sources');
    const together = await timed({ sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-reuse-')), history: 3 });
    expect(together.results.map((r) => r.status)).toEqual(['written', 'written', 'written']);
    const [first, ...later] = together.results.map((r) => r.period);
    expect(computedOnly(together.logs, first!)).toBeUndefined();
    // Each later month: its own rows, and the month before it, where its file's late rows fall (0.5% of events).
    for (const period of later) expect(computedOnly(together.logs, period)).toMatch(/: events 2 of \d+ months and \d+ of \d+ weeks;/);
    for (const result of together.results.slice(1)) {
      const alone = await timed({ sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-alone-')), period: result.period });
      const diff = await difference(alone.results[0]!, result);
      expect(diff.rows).toBeGreaterThan(60_000);
      expect([diff.onlyA, diff.onlyB]).toEqual([0, 0]);
    }
  }, 120_000);

  it('computes again the months of a row changed in place, or of a fact whose columns changed, however alike the values', async () => {
    // Groups of 1, so that plans are shown; the January dump moves S1 from Pro to Studio.
    const modelDir = modelWith('calendar.yaml', (text) => text.replace('minimumGroupSize: 5', 'minimumGroupSize: 1'));
    const dump = 'crm/subscriptions_2027-01.csv';
    const sourcesDir = writeSources({ ...TINY, [dump]: TINY[dump]!.replace('S1,ann@example.invalid,casting,Pro', 'S1,ann@example.invalid,casting,Studio') });
    const run = (period: string, options: { snapshotsDir: string; cacheDir: string; modelDir?: string }) => timed({ sourcesDir, period, ...options });
    const folders = { snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-reuse-')), cacheDir: scratchCache(), modelDir };
    const december = await run('2026-12', folders);
    expect(await value(december.results[0]!, 'mrr', 'All', '2026-11-01', 'Pro')).toBe(45);
    const moved = await run('2027-01', folders);
    // November's one subscription, S1 at £45 a month, is now on Studio; nothing is left on Pro.
    expect(await value(moved.results[0]!, 'mrr', 'All', '2026-11-01', 'Studio')).toBe(45);
    expect(await value(moved.results[0]!, 'mrr', 'All', '2026-11-01', 'Pro')).toBeUndefined();
    expect(computedOnly(moved.logs, '2027-01')).toMatch(/; subscriptions 3 of 3 months;/);

    // The subscriptions fact with live_at_start and live_at_end swapped: the same values under other names.
    const swapped = modelWith('facts.yaml', (text) => text.replace('AS live_at_start', 'AS _start').replace('AS live_at_end', 'AS live_at_start').replace('AS _start', 'AS live_at_end'));
    // The tiny company as it is: its subscriptions in November and December are the same in both dumps.
    const other = { sourcesDir: writeSources(), snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-reuse-')), cacheDir: scratchCache() };
    await timed({ ...other, period: '2026-12' });
    const renamed = await timed({ ...other, period: '2027-01', modelDir: swapped });
    // December's MRR now sums the subscriptions live at its start: S1 (£45), not S2, which began on 10 December.
    expect(await value(renamed.results[0]!, 'mrr', 'All', '2026-12-01')).toBe(45);
    expect(computedOnly(renamed.logs, '2027-01')).toMatch(/; subscriptions 3 of 3 months;/);
  });

  it('forgets the record of a snapshot that was deleted', async () => {
    const sourcesDir = writeSources();
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const cacheDir = scratchCache();
    await timed({ sourcesDir, snapshotsDir, cacheDir, history: 2 });
    const records = () => readdirSync(cacheDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')).map((f) => basename(f)).sort();
    expect(records()).toEqual(['2026-11.json', '2026-12.json', 'last-export.json']);
    rmSync(join(snapshotsDir, '2026-11'), { recursive: true });
    // Even a run with nothing to do (December is up to date) forgets November's record.
    const again = await timed({ sourcesDir, snapshotsDir, cacheDir, period: '2026-12' });
    expect(again.results.map((r) => r.status)).toEqual(['unchanged']);
    expect(records()).toEqual(['2026-12.json', 'last-export.json']);
  });

  it('still writes the snapshots and latest.json when the cache cannot be written, and says so', async () => {
    const blocked = join(scratchCache(), 'a-file');
    writeFileSync(blocked, '');
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-reuse-'));
    const run = await timed({ sourcesDir: writeSources(), snapshotsDir, cacheDir: join(blocked, 'cache'), history: 2 });
    expect(run.results.map((r) => r.status)).toEqual(['written', 'written']);
    expect(JSON.parse(readFileSync(join(snapshotsDir, 'latest.json'), 'utf8'))).toEqual({ period: run.results[1]!.period });
    expect(run.logs.filter((l) => l.startsWith('Could not keep'))).toEqual([
      expect.stringMatching(/^Could not keep a record of snapshot \d{4}-\d{2} in .*a-file.*; a later run will compute every period again\.$/),
      expect.stringMatching(/^Could not keep a record of snapshot \d{4}-\d{2} in .*a-file.*; a later run will compute every period again\.$/),
      expect.stringMatching(/^Could not keep the record of this run in .*a-file.*; the next run will load the sources again\.$/),
    ]);
  });
});

describe('an export stopped part-way', () => {
  /** Resolves once the child's scratch database (named with its process id) is in `scratchRoot`; fails if it ends first. */
  async function scratchAppears(child: ChildProcess, scratchRoot: string): Promise<void> {
    while (!readdirSync(scratchRoot).some((name) => name.startsWith(`plotline-export-${child.pid}-`))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error('The export ended before it could be interrupted.');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('removes its scratch database and half-written snapshot when interrupted (Ctrl-C)', async () => {
    const scratchRoot = mkdtempSync(join(tmpdir(), 'plotline-tmpdir-'));
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-stopped-'));
    // The demo company takes seconds to export; it is interrupted as soon as its scratch database exists.
    const child = spawn(process.execPath, [join(ROOT, 'scripts/export.ts'), '--period', '2026-10', '--snapshots', snapshotsDir], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: scratchRoot },
      stdio: 'ignore',
    });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // A snapshot it is writing (as writeSnapshot names it), and one of an export of another process.
    const halfWritten = join(snapshotsDir, `.tmp-2026-10-${child.pid}`);
    const another = join(snapshotsDir, `.tmp-2026-10-${process.pid}`);
    for (const dir of [halfWritten, another]) mkdirSync(dir);
    // Its scratch database holds the extracts' personal data.
    await scratchAppears(child, scratchRoot);
    child.kill('SIGINT');
    expect(await ended).toBe('SIGINT');
    expect(readdirSync(scratchRoot)).toEqual([]);
    expect(readdirSync(snapshotsDir)).toEqual([basename(another)]);
  });

  it('leaves Ctrl-C to a program that handles it itself, and finishes', async () => {
    const scratchRoot = mkdtempSync(join(tmpdir(), 'plotline-tmpdir-'));
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-stopped-'));
    // A host program with its own Ctrl-C handler runs the export of the demo company.
    const host = `
      import { exportSnapshots } from ${JSON.stringify(join(ROOT, 'src/export/export-snapshots.ts'))};
      let heard = 0;
      process.on('SIGINT', () => heard++);
      const results = await exportSnapshots({ root: ${JSON.stringify(ROOT)}, sourcesDir: ${JSON.stringify(join(ROOT, 'data/sources'))},
        snapshotsDir: ${JSON.stringify(snapshotsDir)}, cacheDir: ${JSON.stringify(scratchCache())}, period: '2026-10', effects: { log: () => {}, now: () => new Date() } });
      console.log(JSON.stringify({ heard, statuses: results.map((r) => r.status), listeners: process.listenerCount('SIGINT') }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', host], { cwd: ROOT, env: { ...process.env, TMPDIR: scratchRoot } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await scratchAppears(child, scratchRoot);
    child.kill('SIGINT');
    expect(await ended).toBe(0);
    // The host heard it once; the export went on, wrote its snapshot, cleaned up and left no listener behind.
    expect(JSON.parse(output)).toEqual({ heard: 1, statuses: ['written'], listeners: 1 });
    expect(readdirSync(scratchRoot)).toEqual([]);
    expect(readdirSync(snapshotsDir).sort()).toEqual(['2026-10', 'latest.json']);
  });

  it('removes, on the next run, what a killed run left: its scratch database and half-written files', async () => {
    const ended = 4_194_305; // above the largest process id Linux gives
    const scratchRoot = mkdtempSync(join(tmpdir(), 'plotline-tmpdir-'));
    const snapshotsDir = mkdtempSync(join(tmpdir(), 'plotline-stopped-'));
    const left = [
      join(scratchRoot, `plotline-export-${ended}-abc123/export.duckdb`),
      join(snapshotsDir, `.tmp-2026-12-${ended}/metrics.parquet`),
      join(snapshotsDir, `.latest-${ended}.json`),
    ];
    // Another export still running (this process stands in for it) keeps its own.
    const running = [join(scratchRoot, `plotline-export-${process.pid}-def456/export.duckdb`), join(snapshotsDir, `.tmp-2027-01-${process.pid}/metrics.parquet`)];
    for (const file of [...left, ...running]) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, 'left behind');
    }
    const cacheDir = scratchCache();
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = scratchRoot;
    try {
      const results = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(), snapshotsDir, cacheDir, period: '2026-12', effects: quietEffects() });
      expect(results.map((r) => r.status)).toEqual(['written']);
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    expect(left.filter((file) => existsSync(dirname(file)) && existsSync(file))).toEqual([]);
    expect(running.filter((file) => existsSync(file))).toEqual(running);
    expect(readdirSync(snapshotsDir).sort()).toEqual([`.tmp-2027-01-${process.pid}`, '2026-12', 'latest.json']);
  });
});
