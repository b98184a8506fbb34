/**
 * Bad input, continued (see bad-input.test.ts): rows that fail a check, and
 * a model whose SQL or references are wrong. Each gets one clear message and
 * leaves every existing snapshot as it was.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSnapshots } from '../../src/export/export-snapshots.ts';
import { modelWith, quietEffects, ROOT, scratchCache, TINY, writeSources } from './tiny-company.ts';
import { exportOnceBeforeAll, failure, lineOf, withFile } from './refusals.ts';

exportOnceBeforeAll();

describe('bad rows and a bad model', () => {
  it('rows without a date: fail, naming the deliveries and the lines, instead of counting in no period', async () => {
    const december = 'casting-events/file_month=2026-12/events_0.csv';
    const january = 'casting-events/file_month=2027-01/events_0.csv';
    // December's file still calls the column "timestamp": its empty one is found under the old name.
    const files = { ...withFile(january, `${TINY[january]}\nc10,CU-4,login,,London\nc11,CU-4,login,,London`), [december]: `${TINY[december]}\nc12,CU-4,login,,London` };
    const message = await failure(files);
    // After each file's header and rows: line 6 of December's (four rows), lines 7 and 8 of January's (five).
    const [, first, second] = /First at (\S+):6; (\S+), lines 7 and 8\.$/.exec(message) ?? [];
    expect(first).toMatch(/file_month=2026-12\/events_0\.csv$/);
    expect(second).toMatch(/file_month=2027-01\/events_0\.csv$/);
    expect(message).toBe(
      'The export stopped: the sources failed a check, so no snapshot was written or changed.\n' +
        '  casting_events: 3 rows have no date: local_date(occurred_at_utc) is empty (in the files delivered 2026-12: 1 row; 2027-01: 2 rows), so they would count in no period. ' +
        `Fix the extract, or the column names if the file changed shape. First at ${first}:6; ${second}, lines 7 and 8.`,
    );
  });

  it('a fiscal week its year does not have, or a year label without four digits: fails with the line, instead of counting as another week', async () => {
    const finance = TINY['finance/weekly-report.csv']!;
    // FY2025 has 52 weeks: its "week 53" would have been FY2026's week 1, counted twice.
    const week = await failure(withFile('finance/weekly-report.csv', `${finance}\nFY2025,53,CAST,999,99`));
    expect(week).toContain('finance_weekly: 1 row has no date: fiscal_week_start(fiscal_year("FY"), "Week") + 6 is empty, so it would count in no period. The fiscal calendar gives no date for');
    expect(week).toMatch(/First at .*finance\/weekly-report\.csv:6\.$/m);
    // Before, "FY26" stopped the load with a conversion error that named no line.
    const label = await failure(withFile('finance/weekly-report.csv', finance.replace('FY2026,41,CAST', 'FY26,41,CAST')));
    expect(label).toMatch(/First at .*finance\/weekly-report\.csv:4\.$/m);
  });

  it('a subscription that ends before it starts, a ticket resolved before it was opened: both fail, with their lines', async () => {
    const dump = 'crm/subscriptions_2027-01.csv';
    // S2 ended on 1 December, before its start on 10 December: it would have counted as a new subscription that was never live.
    const files = withFile(dump, TINY[dump]!.replace('2026-12-10,2027-01-20', '2026-12-10,2026-12-01'));
    files['support/tickets.jsonl'] = TINY['support/tickets.jsonl']!.replace('"resolved":"2027-01-12T15:00:00Z"', '"resolved":"2027-01-10T15:00:00Z"');
    const message = await failure(files);
    expect(message).toMatch(/crm_subscriptions: 1 row has end_date before start_date, which cannot happen; fix the extract\. First at .*crm\/subscriptions_2027-01\.csv:3\./);
    expect(message).toMatch(/support_tickets: 1 row has resolved before opened, which cannot happen; fix the extract\. First at .*support\/tickets\.jsonl:4\./);
  });

  it('a column that cannot come before one of a type it cannot be compared with: names its line in sources.yaml', async () => {
    const modelDir = modelWith('sources.yaml', (t) => t.replace('- { name: plan, type: VARCHAR }', '- { name: plan, type: BOOLEAN, notBefore: start_date }'));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/^.*sources\.yaml:\d+ {2}sources\[3\]\.columns\[3\]\.notBefore: plan \(BOOLEAN\) cannot be compared with start_date \(DATE\)\. Name a column of a comparable type, such as two dates or timestamps\.$/);
    expect(lineOf(modelDir, 'sources.yaml', message)).toContain('notBefore: start_date');
  });

  it('a cumulative dump cut short: names the deliveries and where the missing rows were', async () => {
    const dump = 'crm/subscriptions_2027-01.csv';
    // January's dump without S1 (Pro, £45 a month, still running): January's MRR would have read £240, not £285, 16% down, under any jump warning.
    const message = await failure(withFile(dump, TINY[dump]!.split('\n').filter((line) => !line.startsWith('S1,')).join('\n')));
    expect(message).toMatch(
      /crm_subscriptions: 1 row of a dump is missing from the next \(1 subscription_id of 2026-12's not in 2027-01's\), but each dump lists every row so far \(delivery\.cumulative\): 2027-01's was probably cut short\. Ask for it again\. The first of 2026-12's rows missing from 2027-01's: .*crm\/subscriptions_2026-12\.csv:2\.$/m,
    );
    // Only its header: December's dump stood in for January, and MRR read £60 (S1 and S2), with warnings only.
    const header = await failure(withFile(dump, TINY[dump]!.split('\n')[0]!));
    expect(header).toMatch(/crm_subscriptions: .*crm\/subscriptions_2027-01\.csv has no rows, but each dump lists every row so far \(delivery\.cumulative\): it was probably cut short\. Ask for it again\.$/m);
  });

  it('NaN or infinity in a number column: fails (NaN passes a min check and poisons every sum)', async () => {
    const message = await failure(withFile('finance/weekly-report.csv', `${TINY['finance/weekly-report.csv']}\nFY2026,42,CAST,NaN,10\nFY2026,42,PROD,1e400,inf`));
    // After the header and four weeks: NaN on line 6; 1e400 (too large: infinity) and inf on line 7.
    expect(message).toMatch(/finance_weekly: 2 rows have NaN or infinity in Revenue \(£\), which no sum or average survives; fix the extract\. First at \S+weekly-report\.csv, lines 6 and 7\.$/m);
    expect(message).toMatch(/finance_weekly: 1 row has NaN or infinity in Costs \(£\), which no sum or average survives; fix the extract\. First at \S+weekly-report\.csv:7\.$/m);
  });

  it('rows sharing a key with different values: refuses to guess, and shows where they are', async () => {
    const file = 'production-events/PROD_EXPORT_202701.csv';
    // Id 4 signs in on line 6; the row added on line 7 (written 004: the same INTEGER) says it booked.
    const message = await failure(withFile(file, `${TINY[file]}\n004;P#2;CREW_BOOKED;04/01/2027;Wales`));
    const [, path] = /For example id "4": (\S+), lines 6 and 7\./.exec(message) ?? [];
    expect(path).toMatch(/production-events\/PROD_EXPORT_202701\.csv$/);
    expect(message).toBe(
      'The export stopped: the sources failed a check, so no snapshot was written or changed.\n' +
        `  production_events: 1 row shares its id with another row but differs from it; the export cannot tell which is right. Fix the extract. For example id "4": ${path}, lines 6 and 7.`,
    );
    // A monthly dump repeats every row: only the lines of the dump that disagrees with itself are shown (S2 is also on line 3 of December's).
    const dump = 'crm/subscriptions_2027-01.csv';
    const crm = await failure(withFile(dump, `${TINY[dump]}\nS2,bob@example.invalid,casting,Pro,2026-12-10,2027-01-20,45`));
    expect(crm).toMatch(/crm_subscriptions: 1 row shares its subscription_id with another row but differs from it; .* For example subscription_id "S2": \S+subscriptions_2027-01\.csv, lines 3 and 5\.$/m);
  });

  it('rows sharing a key whose column is called "line": placed by that column, not by their line numbers', async () => {
    const modelDir = modelWith('sources.yaml', (text) => text.replace('primaryKey: [ticket]', 'primaryKey: [ticket, line]'));
    // T4 (casting) is on line 4; line 5 gives it another category.
    const tickets = `${TINY['support/tickets.jsonl']}\n{"ticket":"T4","opened":"2027-01-11T09:00:00Z","resolved":"2027-01-12T15:00:00Z","category":"Billing","line":"casting","requester_email":"bob@example.invalid"}`;
    const message = await failure(withFile('support/tickets.jsonl', tickets), modelDir);
    expect(message).toMatch(/support_tickets: 1 row shares its ticket, line with another row but differs from it; .* For example ticket "T4", line "casting": \S+\/support\/tickets\.jsonl, lines 4 and 5\.$/m);
  });

  it('an empty key and an impossible (negative) value: both reported at once', async () => {
    const files = withFile('finance/weekly-report.csv', `${TINY['finance/weekly-report.csv']}\nFY2026,42,CAST,-50,10`);
    files['support/tickets.jsonl'] = `${TINY['support/tickets.jsonl']}\n{"ticket":null,"opened":"2027-01-12T09:00:00Z","resolved":null,"category":"Billing","line":"casting","requester_email":"x@example.invalid"}`;
    const message = await failure(files);
    // Each appended after the file's lines: the weekly report's header and four weeks (line 6), the four tickets (line 5).
    expect(message).toMatch(/finance_weekly: 1 row has Revenue \(£\) below 0 \(lowest -50\), which cannot happen; fix the extract\. First at \S+\/finance\/weekly-report\.csv:6\.$/m);
    expect(message).toMatch(/support_tickets: 1 row has an empty ticket; the extract must identify every row\. First at \S+\/support\/tickets\.jsonl:5\.$/m);
  });

  it('a source value the fact does not map (a portal renamed an event): names the column, the rows and the first date, instead of dropping them', async () => {
    const january = 'casting-events/file_month=2027-01/events_0.csv';
    // Read as it was, CU-2's booking on 2 January would have left January's bookings at 1, not 2, with no error.
    const renamed = await failure(withFile(january, TINY[january]!.replace('c6,CU-2,booking_confirmed', 'c6,CU-2,booking_completed')));
    expect(renamed).toMatch(
      /^.*facts\.yaml:\d+ {2}facts\[0\]\.columns\[1\]\.values \(events\): event_type is not one of signup, visit, search, share, booking in 1 row: empty in 1 Casting row \(the first dated 2 January 2027\)\.\n {2}A source value the fact's SQL does not map \(a new or renamed one\) would drop out of every metric\. Map it in facts\[0\]\.sql, or add it to the list\.$/,
    );
    // A value the SQL gives but the list leaves out is named as it is.
    const modelDir = modelWith('facts.yaml', (t) => t.replace('values: [signup, visit, search, share, booking]', 'values: [signup, visit, search, booking]'));
    const listed = await failure(TINY, modelDir);
    expect(listed).toContain('event_type is not one of signup, visit, search, booking in 1 row: "share" in 1 Casting row (the first dated 6 January 2027).');
    expect(lineOf(modelDir, 'facts.yaml', listed)).toContain('values: [signup, visit, search, booking]');
  });

  it('a metric expression naming an unknown column: names the metric, its line, and the columns there are', async () => {
    const modelDir = modelWith('metrics.yaml', (t) => t.replace('expression: sum(revenue)', 'expression: sum(revenu)'));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/metrics\.yaml:\d+ {2}metrics\[9\] \(revenue\): DuckDB cannot compute it over finance\./);
    expect(message).toContain('revenu');
    expect(message).toContain('Columns of finance: date, business_line, revenue, costs.');
    expect(lineOf(modelDir, 'metrics.yaml', message)).toContain('expression: sum(revenu)');
  });

  it('a window function as a metric expression: names the line and says to write an aggregate', async () => {
    const modelDir = modelWith('metrics.yaml', (t) => t.replace('expression: sum(revenue)', 'expression: sum(revenue) / sum(sum(revenue)) OVER ()'));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/metrics\.yaml:\d+ {2}metrics\[9\]\.expression: a window function \(OVER …\) is not supported: write the metric as an aggregate/);
    expect(lineOf(modelDir, 'metrics.yaml', message)).toContain('OVER ()');
  });

  it('a metric that reads more than its period\'s rows (a subquery, the run\'s variables): names the line and says where such SQL belongs', async () => {
    const share = modelWith('metrics.yaml', (t) => t.replace('expression: sum(revenue)', 'expression: sum(revenue) / (SELECT sum(revenue) FROM finance)'));
    const message = await failure(TINY, share);
    expect(message).toMatch(/metrics\.yaml:\d+ {2}metrics\[9\]\.expression: a subquery \(SELECT …\) is not supported: .* bring what it needs into the fact's SQL \(facts\.yaml\)/);
    expect(lineOf(share, 'metrics.yaml', message)).toContain('(SELECT sum(revenue) FROM finance)');

    const recent = modelWith('metrics.yaml', (t) => t.replace('filter: resolution_hours IS NOT NULL', "filter: resolution_hours IS NOT NULL AND date > getvariable('period_end') - 90"));
    const later = await failure(TINY, recent);
    expect(later).toMatch(/metrics\.yaml:\d+ {2}metrics\[17\]\.filter: depends on when or how the export runs, not on the period's rows .*: compute it in the fact's SQL/);
    expect(lineOf(recent, 'metrics.yaml', later)).toContain("getvariable('period_end')");
  });

  it("a dimension naming a column the fact does not have: names the key path and the fact's columns", async () => {
    const modelDir = modelWith('facts.yaml', (t) => t.replace('{ id: region, column: region, label: Region }', '{ id: region, column: regoin, label: Region }'));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/facts\.yaml:\d+ {2}facts\[0\]\.dimensions\[0\]\.column: the fact events has no column "regoin"\. Its columns: date, business_line, user_id, event_type, region\.$/);
    expect(lineOf(modelDir, 'facts.yaml', message)).toContain('column: regoin');
  });

  it('a metric expression that is not an aggregate: names the metric and says to write one', async () => {
    const modelDir = modelWith('metrics.yaml', (t) => t.replace("expression: count(*) FILTER (WHERE event_type = 'booking')\n", "expression: CASE WHEN event_type = 'booking' THEN 1 ELSE 0 END\n"));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/^.*metrics\.yaml:\d+ {2}metrics\[0\] \(bookings\): DuckDB cannot compute it over events\./);
    expect(message).toContain("A metric is one number per period: write an aggregate over the period's rows, such as count(*) or sum(revenue).");
    expect(lineOf(modelDir, 'metrics.yaml', message)).toContain('CASE WHEN');
  });

  it('a model broken after every snapshot was made: found by a run that keeps them all and computes nothing', async () => {
    const sourcesDir = writeSources();
    const kept = { root: ROOT, sourcesDir, snapshotsDir: mkdtempSync(join(tmpdir(), 'plotline-kept-')), cacheDir: scratchCache(), history: 1 };
    const [made] = await exportSnapshots({ ...kept, effects: quietEffects() });
    const files = () =>
      readdirSync(kept.snapshotsDir, { recursive: true, encoding: 'utf8' })
        .sort()
        .map((f) => [f, statSync(join(kept.snapshotsDir, f)).isFile() ? readFileSync(join(kept.snapshotsDir, f)) : null]);
    const madeFiles = files();
    const run = async (modelDir: string) => {
      const outcome = await exportSnapshots({ ...kept, modelDir, effects: quietEffects() }).then(
        (results) => results.map((r) => `${r.period} ${r.status}`),
        (e: unknown) => (e as Error).message,
      );
      expect(files()).toEqual(madeFiles);
      return outcome;
    };
    // A harmless edit: the snapshot is kept as history, so no metric is computed.
    expect(await run(modelWith('metrics.yaml', (t) => t.replace('expression: sum(revenue)', 'expression: sum(revenue) + 0')))).toEqual([`${made!.period} kept`]);
    // Broken edits are still found, with the message a computing run gives.
    const unknownColumn = modelWith('metrics.yaml', (t) => t.replace('expression: sum(revenue)', 'expression: sum(revenu)'));
    const message = String(await run(unknownColumn));
    expect(message).toMatch(/metrics\.yaml:\d+ {2}metrics\[9\] \(revenue\): DuckDB cannot compute it over finance\./);
    expect(lineOf(unknownColumn, 'metrics.yaml', message)).toContain('expression: sum(revenu)');
    const notAggregate = await run(modelWith('metrics.yaml', (t) => t.replace("expression: count(*) FILTER (WHERE event_type = 'booking')\n", "expression: CASE WHEN event_type = 'booking' THEN 1 ELSE 0 END\n")));
    expect(notAggregate).toMatch(/metrics\.yaml:\d+ {2}metrics\[0\] \(bookings\): DuckDB cannot compute it over events\..*write an aggregate/s);
    const dimension = await run(modelWith('facts.yaml', (t) => t.replace('{ id: region, column: region, label: Region }', '{ id: region, column: regoin, label: Region }')));
    expect(dimension).toMatch(/facts\.yaml:\d+ {2}facts\[0\]\.dimensions\[0\]\.column: the fact events has no column "regoin"\./);
  });

  it('an unknown dimension: names the key path and the dimensions the source has', async () => {
    const modelDir = modelWith('metrics.yaml', (t) => t.replace('    dimensions: [region]\n    targets: [{ value: 5200', '    dimensions: [channel]\n    targets: [{ value: 5200'));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/metrics\.yaml:\d+ {2}metrics\[0\]\.dimensions\[0\]: unknown dimension "channel" for source events\. Its dimensions: region\.$/);
    expect(lineOf(modelDir, 'metrics.yaml', message)).toContain('dimensions: [channel]');
  });

  it('a cycle in the metrics tree: shows the loop', async () => {
    const modelDir = modelWith('metrics.yaml', (t) =>
      t.replace("    expression: count(DISTINCT user_id) FILTER (WHERE event_type = 'signup')\n", "    expression: count(DISTINCT user_id) FILTER (WHERE event_type = 'signup')\n    tree: { relation: influences, drivers: [bookings] }\n"),
    );
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(
      /metrics\.yaml:\d+ {2}metrics\[0\]\.tree\.drivers: the metrics tree has a cycle: bookings → active_users → new_users → bookings\. A metric cannot drive itself; remove one of these drivers\.$/,
    );
  });

  it('a value the schema does not allow: names the line, the key path and the allowed values', async () => {
    const modelDir = modelWith('metrics.yaml', (t) => t.replace('    unit: currency\n    direction: up\n    source: finance', '    unit: pounds\n    direction: up\n    source: finance'));
    const message = await failure(TINY, modelDir);
    expect(message).toMatch(/metrics\.yaml:\d+ {2}metrics\.\[?9\]?\.unit: .*"count".*"currency".*\.$|metrics\.yaml:\d+ {2}metrics\[9\]\.unit: .*/);
    expect(lineOf(modelDir, 'metrics.yaml', message)).toContain('unit: pounds');
  });
});
