/**
 * An export stopped part-way (Ctrl-C, SIGTERM, kill -9): what it leaves
 * behind, and what the next run sweeps up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSnapshots } from '../../src/export/export-snapshots.ts';
import { quietEffects, ROOT, scratchCache, writeSources } from './tiny-company.ts';

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
