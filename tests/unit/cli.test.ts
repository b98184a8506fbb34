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

const run = (script: string, ...args: string[]) => spawnSync(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

const scripts = [
  ['scripts/demo-data.ts', 'npm run demo-data'],
  ['scripts/export.ts', 'npm run export'],
  ['scripts/check.ts', 'npm run check'],
  ['scripts/new-story.ts', 'npm run new'],
  ['scripts/pdf.ts', 'npm run pdf'],
  ['bench/export.ts', 'npm run bench:export'],
] as const;

describe.each(scripts)('%s', (script, command) => {
  it('answers a mistyped option with the usage, not a stack trace', () => {
    const result = run(script, '--perod', '2026-09');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^Unknown option '--perod'\\.?\\n\\nUsage: ${command.replace(':', '\\:')} `));
    expect(result.stderr).not.toMatch(/\n\s+at |node:internal/);
  });

  it('prints its usage and options for --help', () => {
    const result = run(script, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith(`Usage: ${command}`)).toBe(true);
    // Every option the script takes is explained on a line of its own.
    expect(result.stdout).toMatch(/\n {2}--\w/);
    expect(result.stderr).toBe('');
  });
});

describe('npm run export', () => {
  it.each([['x'], ['0'], ['2.5']])('refuses --history %s and writes nothing', (history) => {
    const snapshots = join(mkdtempSync(join(tmpdir(), 'plotline-cli-')), 'snapshots');
    const result = run('scripts/export.ts', '--history', history, '--snapshots', snapshots);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`--history ${history}: give a whole number of months above 0, for example --history 3.`);
    expect(() => readdirSync(snapshots)).toThrow(/ENOENT/);
  });
});
