/**
 * What an export run leaves on disk while it works, removed however it ends.
 *
 * - Its scratch DuckDB database, in TMPDIR: it holds the extracts' personal
 *   data. Removed when the run ends, and when the process is stopped by
 *   Ctrl-C, SIGTERM or SIGHUP (unless something else in the process handles
 *   the signal: then that decides, and the next run sweeps up).
 * - Its half-written snapshot folder and pointer file in the snapshots
 *   folder, named `.tmp-<period>-<pid>` and `.latest-<pid>.json` by
 *   snapshot-folder.ts (a build leaves every such dot-named entry out of the site,
 *   see unpublished.ts, but they would be served in development).
 *
 * A run killed outright (out of memory, `kill -9`) cannot clean up, so each
 * run first removes what runs whose process has ended left behind. The
 * scratch folder is named with the process id for that. Removal is best
 * effort: what cannot be removed (another user's folder, say) is left.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRATCH = 'plotline-export-';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface Run {
  scratch: string;
  snapshotsDir: string;
}

/** Runs of this process not yet finished. */
const running = new Set<Run>();

/** Sweeps up after ended runs, then makes this run's scratch folder; `finish` removes it. */
export function startRun(snapshotsDir: string): { scratch: string; finish: () => void } {
  removeLeftovers(snapshotsDir);
  const run = { scratch: mkdtempSync(join(tmpdir(), `${SCRATCH}${process.pid}-`)), snapshotsDir };
  if (running.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  running.add(run);
  return {
    scratch: run.scratch,
    finish: () => {
      remove(run.scratch);
      running.delete(run);
      if (running.size === 0) for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}

function onSignal(signal: NodeJS.Signals): void {
  // A host program listens too: it decides whether the process stops (and the next run sweeps up).
  if (process.listenerCount(signal) > 1) return;
  for (const run of running) {
    remove(run.scratch);
    removeLeftovers(run.snapshotsDir, process.pid);
  }
  running.clear();
  for (const other of SIGNALS) process.off(other, onSignal);
  // No listener is left, so the signal now stops the process as it would have without us.
  process.kill(process.pid, signal);
}

/**
 * Removes the scratch folders (of this user) and half-written snapshot files
 * of runs whose process has ended, or with `pid`, those of that process.
 */
function removeLeftovers(snapshotsDir: string, pid?: number): void {
  const uid = process.getuid?.();
  const sweep = (dir: string, pattern: RegExp, mine: (path: string) => boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // no such folder yet
    }
    for (const name of names) {
      const id = pattern.exec(name)?.[1];
      if (id === undefined || !(pid === undefined ? ended(Number(id)) : Number(id) === pid)) continue;
      try {
        if (mine(join(dir, name))) remove(join(dir, name));
      } catch {
        // gone meanwhile
      }
    }
  };
  sweep(tmpdir(), new RegExp(`^${SCRATCH}(\\d+)-`), (path) => uid === undefined || lstatSync(path).uid === uid);
  sweep(snapshotsDir, /^\.(?:tmp-\d{4}-\d{2}|latest)-(\d+)(?:\.json)?$/, () => true);
}

/** Whether no process has this id (one we may not signal still runs). */
function ended(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function remove(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // best effort: what is left is swept up by a later run, or is not ours to remove
  }
}
