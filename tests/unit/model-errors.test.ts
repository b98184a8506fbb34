/**
 * Mistakes in the model's YAML: each gets one message that names the file,
 * the line of the mistake itself, the key path, the bad value and what to
 * do. The model is loaded on its own (no export), from a copy of
 * data/model with one file edited.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node/load-model.ts';
import { modelWith, ROOT } from './tiny-company.ts';

/** Loads the model with `file` edited; returns the error message and where things are in the edited file. */
function failure(file: string, edit: (text: string) => string) {
  const dir = modelWith(file, edit);
  const shown = relative(ROOT, join(dir, file));
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  /** "…/metrics.yaml:15" for the first line containing `text` (after line `after`, if given). */
  const at = (text: string, after = 0) => {
    const index = lines.findIndex((line, i) => i >= after && line.includes(text));
    expect(index, `no line contains ${text}`).toBeGreaterThanOrEqual(0);
    return `${shown}:${index + 1}`;
  };
  let message = '';
  try {
    loadModel(ROOT, dir);
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message, 'the model should have been refused').not.toBe('');
  return { message, shown, at, lines };
}

const METRICS = 'Metrics in data/model/metrics.yaml: bookings, active_users,';

describe('model errors', () => {
  it('a YAML syntax error: the line it is on, not line 1', () => {
    const { message, at } = failure('metrics.yaml', (t) => t.replace('    unit: count\n', '    unit: count\n    unit: percent\n'));
    expect(message).toBe(`${at('unit: percent')}  not valid YAML: the key "unit" is already given above, in the same block. Keep one of them.`);
    expect(at('unit: percent')).not.toMatch(/:1$/);
  });

  it('another syntax error keeps the YAML library\'s words, at its line', () => {
    const { message, at } = failure('strategy.yaml', (t) => t.replace('metric: gross_margin', 'metric: [gross_margin'));
    expect(message).toBe(`${at('target: 0.45')}  not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ].`);
  });

  it('a tab used for indentation: one message, at its line, saying to indent with spaces', () => {
    const { message, at } = failure('metrics.yaml', (t) => t.replace('    label: Bookings\n', '\t  label: Bookings\n'));
    expect(message).toBe(`${at('\t  label: Bookings')}  not valid YAML: a tab is used for indentation. YAML indents with spaces, not tabs: replace the tab with spaces.`);
  });

  it('a misspelt key: the line of the key itself, and the key it was probably meant to be', () => {
    const { message, at } = failure('metrics.yaml', (t) => t.replace('    description: Bookings confirmed', '    descripton: Bookings confirmed'));
    // One mistake, one message: the "description is missing" that follows from it is left out.
    expect(message).toBe(`${at('descripton:')}  metrics[0].descripton: unknown key "descripton". Did you mean "description"?`);
  });

  it('an unknown key like no allowed one: lists the keys allowed there', () => {
    const { message, at } = failure('calendar.yaml', (t) => t.replace('  minimumGroupSize: 5\n', '  minimumGroupSize: 5\n  colour: red\n'));
    expect(message).toBe(`${at('colour: red')}  privacy.colour: unknown key "colour". Keys allowed here: minimumGroupSize.`);
  });

  it('a missing key: says it is missing, at the entry it is missing from', () => {
    const { message, at } = failure('metrics.yaml', (t) => t.replace('    owner: Head of Growth (Daniel Moss)\n', ''));
    expect(message).toBe(`${at('- id: active_users')}  metrics[1].owner: missing; this key is required.`);
  });

  it('an empty file (or only comments): says so and what it should hold', () => {
    const { message, shown } = failure('metrics.yaml', () => '# to do\n');
    expect(message).toBe(`${shown}  the file is empty. It should hold the model's metrics, under the top-level key metrics; if it was emptied by mistake, restore it from git.`);
    const calendar = failure('calendar.yaml', () => '');
    expect(calendar.message).toBe(
      `${calendar.shown}  the file is empty. It should hold the model's calendar, under the top-level keys timeZone, grains, fiscalYear, businessLines, privacy, checks; if it was emptied by mistake, restore it from git.`,
    );
  });

  it('a target for a business line that does not exist: names it and the lines there are', () => {
    const { message, at } = failure('metrics.yaml', (t) => t.replace('targets: [{ value: 5200, by: 2027-03 }]', 'targets: [{ value: 5200, by: 2027-03, businessLine: Castng }]'));
    expect(message).toBe(
      `${at('businessLine: Castng')}  metrics[0].targets[0].businessLine: unknown business line "Castng". Business lines in data/model/calendar.yaml: Casting, Production; leave businessLine out for a company-wide target.`,
    );
  });

  it('targets for a real business line, or All written out, are accepted', () => {
    const dir = modelWith('metrics.yaml', (t) => t.replace('targets: [{ value: 5200, by: 2027-03 }]', 'targets: [{ value: 5200, by: 2027-03, businessLine: All }, { value: 2000, by: 2027-03, businessLine: Casting }]'));
    expect(loadModel(ROOT, dir).model.metrics[0]!.targets.map((t) => t.businessLine)).toEqual(['All', 'Casting']);
  });

  it('a business line called All: refused, since All is the company total', () => {
    const { message, at } = failure('calendar.yaml', (t) => t.replace('  - id: Production', '  - id: All'));
    expect(message).toBe(`${at('- id: All')}  businessLines[1].id: "All" is kept for the company total (all lines together); give this business line another id.`);
  });

  it('a goal or hypothesis naming an unknown metric or goal: lists the ones there are', () => {
    const { message, at } = failure('strategy.yaml', (t) => t.replace('metric: gross_margin', 'metric: gross_margn').replace('goal: fast-service', 'goal: fast').replace('metric: tickets_opened', 'metric: tickets'));
    const [goal, hypothesisGoal, hypothesisMetric] = message.split('\n');
    expect(goal).toMatch(new RegExp(`^${escape(at('metric: gross_margn'))} {2}goals\\[1\\]\\.metric: unknown metric "gross_margn"\\. ${escape(METRICS)} .*, resolved_within_48h\\.$`));
    expect(hypothesisGoal).toBe(`${at('goal: fast')}  hypotheses[2].goal: unknown goal "fast". Goals in data/model/strategy.yaml: more-bookings, healthy-margin, fast-service.`);
    expect(hypothesisMetric).toMatch(new RegExp(`^${escape(at('metric: tickets'))} {2}hypotheses\\[2\\]\\.metric: unknown metric "tickets"\\. ${escape(METRICS)}`));
  });

  it('a tree driver that is not a metric: lists the metrics', () => {
    const { message, at } = failure('metrics.yaml', (t) => t.replace('drivers: [new_users, returning_users]', 'drivers: [new_users, returning_user]'));
    expect(message).toMatch(new RegExp(`^${escape(at('returning_user]'))} {2}metrics\\[1\\]\\.tree\\.drivers\\[1\\]: unknown metric "returning_user"\\. ${escape(METRICS)}`));
  });

  it('a goal id given twice: refused (hypotheses name goals by id)', () => {
    const { message, at } = failure('strategy.yaml', (t) => t.replace('- id: healthy-margin', '- id: more-bookings'));
    expect(message).toBe(`${at('- id: more-bookings', 5)}  goals[1].id: "more-bookings" is defined twice; ids must be unique.`);
  });

  it('a source key naming a column the source does not have: lists its columns', () => {
    const { message, at } = failure('sources.yaml', (t) => t.replace('primaryKey: [FY, Week, Business Line]', 'primaryKey: [FY, Weeks, Business Line]'));
    expect(message).toBe(`${at('primaryKey: [FY, Weeks')}  sources[2].primaryKey[1]: unknown column "Weeks". A key is made of the source's columns: FY, Week, Business Line, Revenue (£), Costs (£).`);
  });

  it('a column that cannot come before one the source does not have (or itself): lists the columns it can be compared with', () => {
    const { message, at } = failure('sources.yaml', (t) => t.replace('notBefore: opened', 'notBefore: opened_at'));
    expect(message).toBe(`${at('notBefore: opened_at')}  sources[4].columns[2].notBefore: "opened_at" is not another column of source support_tickets: resolved can only be compared with one of ticket, opened, category, line, requester_email.`);
  });

  it('a cumulative dump whose every delivery is read: refused, since only the latest is read as the whole', () => {
    const { message, at } = failure('sources.yaml', (t) => t.replace('use: latest, cumulative: true', 'cumulative: true'));
    expect(message).toBe(`${at('cumulative: true')}  sources[3].delivery.cumulative: only a source read from its latest delivery (use: latest) can be a cumulative dump; every delivery of this one is read.`);
  });

  it('an encoding no one knows: refused at its line, with the names of the ones Excel writes', () => {
    const { message, at } = failure('sources.yaml', (t) => t.replace('    files: finance/weekly-report.csv\n    format: csv\n', '$&    csv: { encoding: ansi }\n'));
    expect(message).toBe(
      `${at('encoding: ansi')}  sources[2].csv.encoding: not a text encoding this export knows: give one such as windows-1252 (what Excel saves as plain "CSV" in the UK) or utf-16le (its "Unicode text").`,
    );
  });

  it('csv options on a JSON Lines source: refused, as they would be ignored', () => {
    const { message, at } = failure('sources.yaml', (t) => t.replace('    format: json\n', '$&    csv: { encoding: windows-1252 }\n'));
    expect(message).toBe(
      `${at('csv: { encoding: windows-1252 }')}  sources[4].csv: csv options are for a CSV source; support_tickets is JSON Lines (UTF-8 text, one object a line). Remove them, or set format: csv.`,
    );
  });

  it('a metric grain the calendar does not have: one message at the calendar, naming the metrics', () => {
    const { message, at } = failure('calendar.yaml', (t) => t.replace('  - id: week\n    label: ISO week (Monday to Sunday)\n', ''));
    expect(message).toMatch(new RegExp(`^${escape(at('- id: month'))} {2}grains: no week grain, but metrics in data/model/metrics\\.yaml use it: bookings, active_users, .*\\. Add it here, or take week out of those metrics' grains\\.$`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
