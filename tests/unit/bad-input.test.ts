/**
 * Bad input: each case gets one clear message naming the file (and line or
 * key path) and what to do, and leaves every existing snapshot as it was,
 * even when the export was asked to replace it. This file: files that
 * cannot be read as their source declares (see bad-rows.test.ts for rows
 * and the model).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/node/duckdb.ts';
import { exportSnapshots } from '../../src/export/export-snapshots.ts';
import { sourceLocation } from '../../src/export/sources/load-errors.ts';
import { modelWith, quietEffects, ROOT, scratchCache, TINY, writeSources } from './tiny-company.ts';
import { exportOnceBeforeAll, failure, lineOf, snapshotsDir, withFile } from './refusals.ts';

exportOnceBeforeAll();

describe('bad input', () => {
  it('a missing file: names the pattern, the source and where it is declared, and what to do', async () => {
    const message = await failure(withFile('support/tickets.jsonl', null));
    expect(message).toMatch(/support\/tickets\.jsonl: no file matches\. Source support_tickets \(data\/model\/sources\.yaml:\d+\) reads it\. Run `npm run demo-data` for the demo extracts, or fix the pattern\.$/);
  });

  it('an unparseable CSV row: names the file and line, and shows the line', async () => {
    const message = await failure(withFile('finance/weekly-report.csv', TINY['finance/weekly-report.csv']!.replace('FY2026,41,PROD,0,0', 'FY2026,41,PROD,0,0,oops')));
    expect(message).toMatch(/^.*finance\/weekly-report\.csv:5: could not be read as source finance_weekly declares it \(data\/model\/sources\.yaml:\d+\)\./);
    expect(message).toContain('Line 5 reads: FY2026,41,PROD,0,0,oops');
    expect(message).toMatch(/Fix the file, or the source's columns if the extract changed shape\.$/);
  });

  it('an unterminated quote: names the file and line', async () => {
    const message = await failure(withFile('finance/weekly-report.csv', TINY['finance/weekly-report.csv']!.replace('FY2026,40,PROD,1400,140', 'FY2026,40,"PROD,1400,140')));
    expect(message).toMatch(/^.*finance\/weekly-report\.csv:\d+: could not be read as source finance_weekly declares it/);
  });

  it('a value of the wrong type: names the file, line and value', async () => {
    const message = await failure(withFile('finance/weekly-report.csv', TINY['finance/weekly-report.csv']!.replace('FY2026,41,CAST,350,35', 'FY2026,forty-one,CAST,350,35')));
    expect(message).toContain('finance/weekly-report.csv');
    expect(message).toContain('could not be read as source finance_weekly declares it');
    expect(message).toMatch(/finance\/weekly-report\.csv:4: could not be read/);
    expect(message).toContain('Line 4 reads: FY2026,forty-one,CAST,350,35');
    expect(message).toContain('Could not convert string "forty-one" to \'INTEGER\'');
  });

  it('a line of a JSON Lines file that is not JSON: names the file and that line (DuckDB counts one too many), and shows it', async () => {
    const lines = TINY['support/tickets.jsonl']!.split('\n');
    const broken = lines[2]!.replace(/\}$/, ''); // T3, line 3, without its closing brace
    const message = await failure(withFile('support/tickets.jsonl', [...lines.slice(0, 2), broken, ...lines.slice(3)].join('\n')));
    expect(message).toMatch(/^.*support\/tickets\.jsonl:3: could not be read as source support_tickets declares it \(data\/model\/sources\.yaml:\d+\)\./);
    // The reader stops after the last character, where the brace should be.
    expect(message).toMatch(new RegExp(`Not valid JSON: .* at character ${broken.length + 1}\\. Each line must be one JSON object\\.`));
    expect(message).toContain(`Line 3 reads: ${broken}`);
  });

  it('a value of the wrong type in a JSON Lines file after a blank line: names the line as an editor numbers it', async () => {
    const lines = TINY['support/tickets.jsonl']!.split('\n');
    const wrong = lines[2]!.replace('"opened":"2027-01-10T09:00:00Z"', '"opened":"soon"');
    // Line 1, a blank line 2, then T2 on line 3 and T3, with the bad value, on line 4.
    const message = await failure(withFile('support/tickets.jsonl', [lines[0], '', lines[1], wrong, ...lines.slice(3)].join('\n')));
    expect(message).toMatch(/^.*support\/tickets\.jsonl:4: could not be read as source support_tickets declares it/);
    expect(message).toContain('"opened" is "soon", which is not a TIMESTAMPTZ: ');
    expect(message).toContain(`Line 4 reads: ${wrong}`);
  });

  it('a column type DuckDB does not know: names its line in sources.yaml and the type it probably means, not a file', async () => {
    const modelDir = modelWith('sources.yaml', (t) => t.replace('- { name: event_type, type: VARCHAR }', '- { name: event_type, type: VARCHR }'));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/^.*sources\.yaml:\d+ {2}sources\[0\]\.columns\[2\]\.type: "VARCHR" \(column event_type of casting_events\) is not a type DuckDB knows: Type with name VARCHR does not exist!\n {2}Did you mean "VARCHAR"\?/);
    expect(lineOf(modelDir, 'sources.yaml', message)).toContain('type: VARCHR');
  });

  it('a month that has not ended: refuses, with today and a month it can make', async () => {
    // quietEffects' clock says 3 February 2027.
    expect(await failure(TINY, undefined, '2027-02')).toBe(
      'Period 2027-02 has not ended yet (today is 3 February 2027): its snapshot would show part of a month as if it were the whole. ' +
        'Export it once the month is over, or give a month that has ended, such as --period 2027-01.',
    );
    expect(await failure(TINY, undefined, '2031-05')).toMatch(/^Period 2031-05 has not ended yet/);
  });

  it('a month before every row: refuses, naming the earliest row', async () => {
    // The first dated row is ticket T1, opened at 23:30 UTC on 30 June 2026: 1 July in the UK.
    expect(await failure(TINY, undefined, '2026-05')).toBe(
      'No source has a row dated on or before 31 May 2026, so a snapshot of 2026-05 would hold no values. The earliest row is dated 1 July 2026 (support_tickets): give 2026-07 or a later month.',
    );
  });

  it('a damaged manifest: names it and says how to recover, instead of a stack trace', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'plotline-damaged-'));
    cpSync(snapshotsDir, copy, { recursive: true });
    const manifest = join(copy, '2027-01', 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').slice(0, 200));
    const error = await exportSnapshots({ root: ROOT, sourcesDir: writeSources(), snapshotsDir: copy, cacheDir: scratchCache(), period: '2027-01', effects: quietEffects() }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(new RegExp(`^${manifest}: not valid JSON \\(.+\\); the snapshot is damaged\\. Restore the folder from a backup, or move it aside and run the export again to remake it\\.$`));
    expect(readFileSync(manifest, 'utf8')).toHaveLength(200);
  });

  it('a file whose name does not match the delivery pattern: names it and the pattern', async () => {
    const message = await failure({ ...TINY, 'casting-events/archive/events_0.csv': TINY['casting-events/file_month=2027-01/events_0.csv']! });
    expect(message).toMatch(
      /casting-events\/archive\/events_0\.csv: the name does not match the delivery pattern file_month=\(\\d\{4\}\)-\(\\d\{2\}\) of source casting_events \(data\/model\/sources\.yaml:\d+\), so the export cannot tell which month it was delivered in\. Rename the file to match, move it out of the folder, or fix the pattern\.$/,
    );
  });

  it('a column missing from one file of several: names the file, the column and its old name', async () => {
    const file = 'casting-events/file_month=2027-01/events_0.csv';
    const message = await failure(withFile(file, TINY[file]!.replace('event_type,occurred_at_utc,region', 'event_type,occurred_at,region')));
    expect(message).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:1: no column "occurred_at_utc" \\(or its old name "timestamp"\\), which source casting_events declares \\(data/model/sources\\.yaml:\\d+\\)\\.`));
    expect(message).toContain('The header reads: event_id,user_ref,event_type,occurred_at,region');
  });

  it('an empty file (0 bytes): names it and who to ask for it again, for CSV and JSON Lines alike', async () => {
    const crm = await failure(withFile('crm/subscriptions_2027-01.csv', Buffer.alloc(0)));
    expect(crm).toMatch(
      /^.*crm\/subscriptions_2027-01\.csv: the file is empty \(0 bytes\), so its extract probably failed\. Source crm_subscriptions \(data\/model\/sources\.yaml:\d+\) reads it\.\nAsk Revenue operations \(Sam Patel\) for it again, or move it out of the folder if it was delivered by mistake\.$/,
    );
    // Read as it was, an empty JSON Lines file gave a snapshot without a single ticket, with warnings only.
    expect(await failure(withFile('support/tickets.jsonl', Buffer.alloc(0)))).toMatch(/^.*support\/tickets\.jsonl: the file is empty \(0 bytes\).*\nAsk Customer service \(Lena Novak\) for it again/);
  });

  it('a file as Excel saves it, not as UTF-8: says so, names the line, and says how to save it', async () => {
    const finance = TINY['finance/weekly-report.csv']!;
    // Plain "CSV" from Excel is Windows-1252: "£" is the byte A3, not UTF-8.
    const ansi = await failure(withFile('finance/weekly-report.csv', Buffer.from(`${finance}\n`, 'latin1')));
    expect(ansi).toMatch(/^.*finance\/weekly-report\.csv:1: the header is not UTF-8 text \(shown as �\): FY,Week,Business Line,Revenue \(�\),Costs \(�\)\n/);
    expect(ansi).toMatch(/Source finance_weekly \(data\/model\/sources\.yaml:\d+\) is read as UTF-8\. Save the file as UTF-8 \(in Excel: Save As "CSV UTF-8"; plain "CSV" is Windows-1252, where £ is not UTF-8\); or, if it always comes so, set csv: \{ encoding: windows-1252 \} on the source\.$/);
    // "Unicode text" is UTF-16.
    const utf16 = await failure(withFile('finance/weekly-report.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${finance}\n`, 'utf16le')])));
    expect(utf16).toMatch(/^.*finance\/weekly-report\.csv: the file is UTF-16 text \(it starts with a UTF-16 byte-order mark\), but source finance_weekly \(data\/model\/sources\.yaml:\d+\) is read as UTF-8\.\n/);
    expect(utf16).toMatch(/; or, if it always comes so, set csv: \{ encoding: utf-16le \} on the source \(Excel's "Unicode text" also separates columns with tabs: delimiter: "\\t"\)\.$/);
    // A byte that is not UTF-8 further down: the line, in CSV and in JSON Lines (where DuckDB's line is one too many).
    const casting = 'casting-events/file_month=2027-01/events_0.csv';
    const row = await failure(withFile(casting, Buffer.from(`${TINY[casting]!.replace('Scotland', 'Côte')}\n`, 'latin1')));
    expect(row).toMatch(/^.*casting-events\/file_month=2027-01\/events_0\.csv:4: could not be read as source casting_events declares it/);
    expect(row).toMatch(/\nSave the file as UTF-8 \(in Excel: Save As "CSV UTF-8"; plain "CSV" is Windows-1252\), or ask Casting product team \(Aisha Khan\) for a UTF-8 extract; or, if it always comes so, set csv: \{ encoding: windows-1252 \} on the source\.$/);
    const tickets = await failure(withFile('support/tickets.jsonl', Buffer.from(`${TINY['support/tickets.jsonl']!.replace('"Bookings"', '"Réservations"')}\n`, 'latin1')));
    expect(tickets).toMatch(/^.*support\/tickets\.jsonl:4: could not be read as source support_tickets declares it/);
    expect(tickets).toContain('Not UTF-8 text: the bytes shown as � are not UTF-8.\n  Line 4 reads: {"ticket":"T4"');
    expect(tickets).toMatch(/\nSave the file as UTF-8, or ask Customer service \(Lena Novak\) for a UTF-8 extract\.$/);
  });

  it('a file in another encoding than its source declares: refused before it is read, naming the file and where the encoding is declared', async () => {
    const modelDir = modelWith('sources.yaml', (text) => text.replace('    files: finance/weekly-report.csv\n    format: csv\n', '$&    csv: { encoding: windows-1252 }\n'));
    const finance = TINY['finance/weekly-report.csv']!;
    // Saved as UTF-8 after all: read as Windows-1252, "£" would be "Â£" (and the header would miss its columns).
    const utf8 = await failure(withFile('finance/weekly-report.csv', finance), modelDir);
    expect(utf8).toMatch(/^.*finance\/weekly-report\.csv: the file is UTF-8 text, but source finance_weekly declares csv\.encoding windows-1252 \(.*sources\.yaml:\d+\): read as windows-1252, its text would be garbled\.\n/);
    expect(lineOf(modelDir, 'sources.yaml', utf8)).toBe('    csv: { encoding: windows-1252 }');
    expect(utf8).toMatch(/\nIf the extract now comes as UTF-8, remove csv\.encoding from the source; if only this file differs, ask Finance \(Grace Obi, FP&A\) for it in windows-1252\.$/);
    // A byte-order mark says which encoding the file is in.
    const utf16 = await failure(withFile('finance/weekly-report.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${finance}\n`, 'utf16le')])), modelDir);
    expect(utf16).toMatch(/^.*finance\/weekly-report\.csv: the file is UTF-16LE text \(it starts with its byte-order mark\), but source finance_weekly declares csv\.encoding windows-1252 .*\nSet csv\.encoding to utf-16le;/);
  });

  it('a file in a declared encoding: a bad row, or a row failing a check, is named by the file as delivered and its line', async () => {
    const modelDir = modelWith('sources.yaml', (text) => text.replace('    files: finance/weekly-report.csv\n    format: csv\n', '$&    csv: { encoding: windows-1252 }\n'));
    const windows1252 = (text: string) => Buffer.from(`${text}\n`, 'latin1'); // the same bytes for "£"
    const finance = TINY['finance/weekly-report.csv']!;
    const bad = await failure(withFile('finance/weekly-report.csv', windows1252(finance.replace('FY2026,41,PROD,0,0', 'FY2026,41,PROD,£0,0'))), modelDir);
    expect(bad).toMatch(/^(\.\.\/)*[^\n]*plotline-sources-\w+\/finance\/weekly-report\.csv:5: could not be read as source finance_weekly declares it/);
    expect(bad).toContain('Could not convert string "£0" to \'DOUBLE\'');
    expect(bad).toContain('Line 5 reads: FY2026,41,PROD,£0,0');
    // Week 41's Production row sent twice, with different revenue: the check reads the file again to say where.
    const twice = await failure(withFile('finance/weekly-report.csv', windows1252(`${finance}\nFY2026,41,PROD,5,0`)), modelDir);
    expect(twice).toMatch(/finance_weekly: 1 row shares its FY, Week, Business Line with another row but differs from it; .*[^/]+\/plotline-sources-\w+\/finance\/weekly-report\.csv, lines 5 and 6\./);
  });

  describe('a source delivered as Parquet', () => {
    const dec = 'casting-events/file_month=2026-12/events_0.csv';
    const jan = 'casting-events/file_month=2027-01/events_0.csv';
    const modelDir = modelWith('sources.yaml', (text) => text.replace('files: casting-events/*/*.csv\n    format: csv', 'files: casting-events/*/*.parquet\n    format: parquet'));
    /** The tiny company with the Casting portal's months as Parquet: `select` over January's CSV text (`text`), or bytes as they are. */
    async function withParquet(january: { text?: string; select?: string } | Buffer): Promise<Record<string, string | Buffer>> {
      const db = await openDatabase();
      const parquet = async (text: string, select = '*') => {
        const dir = mkdtempSync(join(tmpdir(), 'plotline-parquet-'));
        writeFileSync(join(dir, 'in.csv'), `${text}\n`);
        await db.run(`COPY (SELECT ${select} FROM read_csv('${join(dir, 'in.csv')}', header = true, all_varchar = true)) TO '${join(dir, 'out.parquet')}' (FORMAT parquet)`);
        return readFileSync(join(dir, 'out.parquet'));
      };
      const files: Record<string, string | Buffer> = { ...TINY };
      delete files[dec];
      delete files[jan];
      files[dec.replace('.csv', '.parquet')] = await parquet(TINY[dec]!);
      files[jan.replace('.csv', '.parquet')] = Buffer.isBuffer(january) ? january : await parquet(january.text ?? TINY[jan]!, january.select);
      db.closeSync();
      return files;
    }
    const janParquet = /^.*casting-events\/file_month=2027-01\/events_0\.parquet/;

    it('a file that is not Parquet, or lacks a column: names the file, what it holds, and what to do', async () => {
      const notParquet = await failure(await withParquet(Buffer.from(`${TINY[jan]}\n`)), modelDir);
      expect(notParquet).toMatch(new RegExp(`${janParquet.source}: not a Parquet file DuckDB can read \\(No magic bytes found at end of file\\)\\. Source casting_events \\(.*sources\\.yaml:\\d+\\) reads its files as Parquet\\.\\n`));
      expect(notParquet).toMatch(/\nAsk Casting product team \(Aisha Khan\) for it again \(a copy cut short, or a file of another format under a \.parquet name\), or move it out of the folder\.$/);
      const noRegion = await failure(await withParquet({ select: 'event_id, user_ref, event_type, occurred_at_utc' }), modelDir);
      expect(noRegion).toMatch(new RegExp(`${janParquet.source}: no column "region", which source casting_events declares \\(.*\\)\\. Its columns: event_id \\(VARCHAR\\), user_ref \\(VARCHAR\\), event_type \\(VARCHAR\\), occurred_at_utc \\(VARCHAR\\)\\n`));
    });

    it('a value that is not of its declared type: names the file, the row and the value', async () => {
      // January's third row (c7) with a time that is not one.
      const message = await failure(await withParquet({ text: TINY[jan]!.replace('2027-01-05T08:00:00Z', 'yesterday') }), modelDir);
      expect(message).toMatch(new RegExp(`${janParquet.source}, row 3: could not be read as source casting_events declares it\\.\\n  occurred_at_utc is "yesterday", which is not a TIMESTAMPTZ: `));
      expect(message).toMatch(/\nFix the file, or the column's type \(.*sources\.yaml:\d+\) if the extract changed\.$/);
    });

    it('rows failing a check: named by their file and rows', async () => {
      // c5 sent again in January with other values; c8's id left empty.
      const conflict = await failure(await withParquet({ text: `${TINY[jan]}\nc5,CU-9,login,2027-01-09T00:00:00Z,Wales` }), modelDir);
      expect(conflict).toMatch(/For example event_id "c5": .*casting-events\/file_month=2027-01\/events_0\.parquet, rows 1 and 6\.$/);
      const empty = await failure(await withParquet({ text: TINY[jan]!.replace('c8,', ',') }), modelDir);
      expect(empty).toMatch(/1 row has an empty event_id; the extract must identify every row\. First at .*casting-events\/file_month=2027-01\/events_0\.parquet, row 4\./);
    });
  });

  it('a JSON Lines file with a byte-order mark, or written as one JSON array: says which, instead of blaming an invisible character', async () => {
    const lines = TINY['support/tickets.jsonl']!;
    const bom = await failure(withFile('support/tickets.jsonl', Buffer.from(`\uFEFF${lines}\n`)));
    expect(bom).toMatch(/^.*support\/tickets\.jsonl:1: the file starts with a byte-order mark \(BOM\), which DuckDB's JSON reader refuses\..*\nSave it as UTF-8 without a BOM/);
    const array = await failure(withFile('support/tickets.jsonl', `[${lines.split('\n').join(',\n')}]`));
    expect(array).toMatch(/^.*support\/tickets\.jsonl:1: could not be read/);
    expect(array).toContain('The file looks like one JSON array: write one object per line instead, with no [ ] around them and no commas between.');
  });

  it('a CSV file re-saved with another separator: names the separator it has and the one the source reads', async () => {
    const crm = 'crm/subscriptions_2027-01.csv';
    const message = await failure(withFile(crm, TINY[crm]!.replaceAll(',', ';')));
    expect(message).toMatch(/^.*crm\/subscriptions_2027-01\.csv:1: no column "subscription_id", .*, "monthly_value_gbp", which source crm_subscriptions declares/);
    expect(message).toMatch(/\nThe file's columns are separated by ";", not ",": ask for it again with ",", or, if ";" is here to stay, set csv: \{ delimiter: ";" \} on the source\.$/);
  });

  it('a JSON Lines key no record has (renamed by the desk): names the file, the key and the keys there are', async () => {
    const tickets = TINY['support/tickets.jsonl']!.replaceAll('"resolved":', '"closed_at":');
    const message = await failure(withFile('support/tickets.jsonl', tickets));
    expect(message).toMatch(
      /support\/tickets\.jsonl: no record has "resolved", which source support_tickets declares \(data\/model\/sources\.yaml:\d+\)\. Its records' keys: category, closed_at, line, opened, requester_email, ticket\n/,
    );
    expect(message).toMatch(/; or, if the key was renamed, list its old name under renamedFrom\.$/);
    // Read anyway, every ticket would have been open forever: no resolution time at all.
  });
});

describe('the file a DuckDB reader error names', () => {
  it('is given whole, relative to the project, with its line: quoted (spaces and all) or not', () => {
    expect(sourceLocation('Invalid Input Error: Error when sniffing file "/srv/data drop/events.csv": bad', '/srv/project')).toBe('../data drop/events.csv');
    // Unquoted after a space: the first folder is kept (it was dropped, giving data/x.csv).
    expect(sourceLocation('Conversion Error: at line 12 in /data/x.csv', '/srv/project')).toBe('../../data/x.csv:12');
    expect(sourceLocation('Conversion Error: no file here', '/srv/project')).toBeNull();
  });
});
