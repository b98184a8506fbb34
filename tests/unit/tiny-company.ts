/**
 * A tiny hand-made company in the demo extracts' shapes, small enough to
 * work every KPI out by hand (see pipeline.test.ts). It spans the turn of
 * 2026/27: fiscal week FY2026 w40 runs Mon 28 Dec 2026 – Sun 3 Jan 2027,
 * which is also ISO week 2026-W53, so one week crosses a month boundary.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { type ExportEffects, exportSnapshots } from '../../src/export/export-snapshots.ts';

export const ROOT = join(import.meta.dirname, '../..');

export const TINY: Record<string, string> = {
  // Files before 2025 style: the timestamp column is still called "timestamp".
  'casting-events/file_month=2026-12/events_0.csv': [
    'event_id,user_ref,event_type,timestamp,region',
    'c1,CU-1,account_created,2026-12-28T10:00:00Z,London',
    'c2,CU-1,talent_search,2026-12-29T10:00:00Z,London',
    'c3,CU-1,booking_confirmed,2026-12-31T23:30:00Z,London',
    'c4,CU-2,login,2026-12-30T09:00:00Z,Wales',
  ].join('\n'),
  'casting-events/file_month=2027-01/events_0.csv': [
    'event_id,user_ref,event_type,occurred_at_utc,region',
    'c5,CU-2,talent_search,2027-01-02T12:00:00Z,Wales',
    'c6,CU-2,booking_confirmed,2027-01-02T13:00:00Z,Wales',
    'c7,CU-3,account_created,2027-01-05T08:00:00Z,Scotland',
    'c8,CU-1,shortlist_shared,2027-01-06T08:00:00Z,London',
    'c9,CU-2,login,2026-12-31T08:00:00Z,Wales', // a late row: December, delivered in January
  ].join('\n'),
  'production-events/PROD_EXPORT_202701.csv': [
    'id;account;action;event_date;site_region',
    '1;P#1;REGISTER;29/12/2026;London',
    '2;P#1;CREW_SEARCH;29/12/2026;London',
    '2;P#1;CREW_SEARCH;29/12/2026;London', // exported twice
    '3;P#1;CREW_BOOKED;04/01/2027;London',
    '4;P#2;SIGN_IN;04/01/2027;Wales',
  ].join('\n'),
  // Delivered in February: a 2027-01 snapshot must not see it.
  'production-events/PROD_EXPORT_202702.csv': ['id;account;action;event_date;site_region', '5;P#2;CREW_BOOKED;31/01/2027;Wales'].join('\n'),
  'finance/weekly-report.csv': [
    'FY,Week,Business Line,Revenue (£),Costs (£)',
    'FY2026,40,CAST,700,70',
    'FY2026,40,PROD,1400,140',
    'FY2026,41,CAST,350,35',
    'FY2026,41,PROD,0,0',
  ].join('\n'),
  'crm/subscriptions_2026-12.csv': [
    'subscription_id,customer_email,business_line,plan,start_date,end_date,monthly_value_gbp',
    'S1,ann@example.invalid,casting,Pro,2026-11-15,,45',
    'S2,bob@example.invalid,casting,Starter,2026-12-10,,15',
  ].join('\n'),
  'crm/subscriptions_2027-01.csv': [
    'subscription_id,customer_email,business_line,plan,start_date,end_date,monthly_value_gbp',
    'S1,ann@example.invalid,casting,Pro,2026-11-15,,45',
    'S2,bob@example.invalid,casting,Starter,2026-12-10,2027-01-20,15',
    'S3,cat@example.invalid,production,Studio,2027-01-05,,240',
  ].join('\n'),
  'support/tickets.jsonl': [
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): a July ticket.
    '{"ticket":"T1","opened":"2026-06-30T23:30:00Z","resolved":"2026-07-01T05:30:00Z","category":"Billing","line":"casting","requester_email":"ann@example.invalid"}',
    '{"ticket":"T2","opened":"2027-01-04T09:00:00Z","resolved":"2027-01-04T19:00:00Z","category":null,"line":"production","requester_email":"cat@example.invalid"}',
    // Resolved after the snapshot's end: still open as far as a 2027-01 snapshot knows.
    '{"ticket":"T3","opened":"2027-01-10T09:00:00Z","resolved":"2027-02-10T09:00:00Z","category":"Billing","line":"casting","requester_email":"ann@example.invalid"}',
    '{"ticket":"T4","opened":"2027-01-11T09:00:00Z","resolved":"2027-01-12T15:00:00Z","category":"Bookings","line":"casting","requester_email":"bob@example.invalid"}',
  ].join('\n'),
};

/** Writes `files` (default: TINY) into a fresh sources folder, text with a final newline, bytes as they are; returns its path. */
export function writeSources(files: Record<string, string | Buffer> = TINY): string {
  const dir = mkdtempSync(join(tmpdir(), 'plotline-sources-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? `${content}\n` : content);
  }
  return dir;
}

/** A copy of data/model with `edit` applied to one file's text; returns the folder. */
export function modelWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plotline-model-'));
  cpSync(join(ROOT, 'data/model'), dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

/** A fresh cache folder, so that tests leave no records in node_modules/.cache (see ExportOptions.cacheDir). */
export const scratchCache = () => mkdtempSync(join(tmpdir(), 'plotline-cache-'));

export function quietEffects(now = '2027-02-03T09:00:00Z'): ExportEffects & { logs: string[] } {
  const logs: string[] = [];
  return { logs, log: (message) => logs.push(message), now: () => new Date(now) };
}

/**
 * The tiny company's 2027-01 snapshot, exported into a fresh folder that the
 * site's snapshot access then reads (PLOTLINE_SNAPSHOTS_DIR), for tests that
 * render components and pages over it; returns the folder.
 */
export async function tinySnapshotForSite(name: string): Promise<string> {
  const snapshotsDir = mkdtempSync(join(tmpdir(), `plotline-${name}-`));
  await exportSnapshots({ root: ROOT, sourcesDir: writeSources(), snapshotsDir, cacheDir: scratchCache(), period: '2027-01', effects: quietEffects() });
  vi.stubEnv('PLOTLINE_SNAPSHOTS_DIR', snapshotsDir);
  return snapshotsDir;
}
