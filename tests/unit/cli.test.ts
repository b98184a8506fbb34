/**
 * The command-line scripts: a mistyped option gets what went wrong and the
 * usage (exit 1), --help gets the usage (exit 0), never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './tiny-company.ts';

const run = (script: string, ...args: string[]) => runWith({}, script, ...args);
const runWith = (env: Record<string, string>, script: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });

const scripts = [
  ['scripts/demo-data.ts', 'npm run demo-data'],
  ['scripts/export.ts', 'npm run export'],
  ['scripts/check.ts', 'npm run check'],
  ['scripts/new-story.ts', 'npm run new'],
  ['scripts/pdf.ts', 'npm run pdf'],
  ['bench/export.ts', 'npm run bench:export'],
  ['bench/run.ts', 'npm run bench'],
  ['bench/loaders.ts', 'npm run bench:loaders'],
] as const;

describe.each(scripts)('%s', (script, command) => {
  it('answers a mistyped option with the usage, not a stack trace', () => {
    const result = run(script, '--perod', '2026-09');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^Unknown option '--perod'[^\\n]*\\n\\nUsage: ${command.replace(':', '\\:')}\\b`));
    expect(result.stderr).not.toMatch(/\n\s+at |node:internal/);
  });

  it('prints its usage and options for --help', () => {
    const result = run(script, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith(`Usage: ${command}`)).toBe(true);
    // Every option the script takes is explained on a line of its own (or it says it takes none).
    expect(result.stdout).toMatch(/\n {2}--\w|Takes no options\./);
    expect(result.stderr).toBe('');
  });
});

it('tells how to give a title that starts with "-"', () => {
  const result = run('scripts/new-story.ts', '-5% bookings');
  expect(result.status).toBe(1);
  expect(result.stderr.split('\n')[0]).toBe(`Unknown option '-5'. A value that starts with "-" goes last, after a "--" of its own: npm run new -- [options] -- "-5…"`);
});

describe('npm run export', () => {
  it.each([['x'], ['0'], ['2.5']])('refuses --history %s and writes nothing', (history) => {
    const snapshots = join(mkdtempSync(join(tmpdir(), 'plotline-cli-')), 'snapshots');
    const result = run('scripts/export.ts', '--history', history, '--snapshots', snapshots);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`--history ${history}: give a whole number of months above 0, for example --history 3.`);
    expect(() => readdirSync(snapshots)).toThrow(/ENOENT/);
  });

  it('says which memory limit DuckDB refused, and writes nothing', () => {
    const snapshots = join(mkdtempSync(join(tmpdir(), 'plotline-cli-')), 'snapshots');
    const result = runWith({ PLOTLINE_EXPORT_MEMORY: 'lots' }, 'scripts/export.ts', '--period', '2026-10', '--snapshots', snapshots);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^PLOTLINE_EXPORT_MEMORY is "lots", which DuckDB does not take as a memory limit \(.*\)\. Give a size such as 4GB\.\n$/);
    expect(() => readdirSync(snapshots)).toThrow(/ENOENT/);
  });
});
