/**
 * What the export does to the world besides computing: it logs, reads the
 * clock, makes a scratch folder for its run, and reads and writes the
 * snapshots folder and the build cache. All of it is passed in (the
 * `effects` of exportSnapshots), so a test can run the whole export with
 * the files in memory and assert what it would write (tests/unit/export-effects.test.ts).
 * Only the source extracts and the model are read from disk directly:
 * they are inputs, not effects.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startRun } from './leftovers.ts';

/** The snapshots folder and the build cache, as the export sees them. Paths are absolute. */
export interface ExportFiles {
  exists(path: string): boolean;
  /** A file's bytes; throws when there is none. */
  read(path: string): Buffer;
  /** Writes a file, making its folder. */
  write(path: string, data: string | Uint8Array): void;
  /** Moves a file or folder; throws an error with code EEXIST or ENOTEMPTY when `to` is a folder that is not empty. */
  rename(from: string, to: string): void;
  /** Removes a file or folder with all it holds; nothing when there is none. */
  remove(path: string): void;
  /** The names in a folder; none when there is no folder. */
  list(dir: string): string[];
  makeDir(path: string): void;
}

export interface ExportEffects {
  log: (message: string) => void;
  now: () => Date;
  /** Where snapshots and cache records are read and written. Default: the disk (diskFiles). */
  files?: ExportFiles;
  /**
   * Starts a run: sweeps up what ended runs left, makes the run's scratch
   * folder (the scratch database and UTF-8 copies go there: it must be on
   * disk) and returns it with `finish`, which removes it. Default: a folder
   * in TMPDIR, removed on Ctrl-C too (leftovers.ts).
   */
  startRun?: (snapshotsDir: string) => { scratch: string; finish: () => void };
}

/** The effects with their defaults filled in. */
export type Effects = Required<ExportEffects>;

export function withDefaults(effects: ExportEffects): Effects {
  return { files: diskFiles, startRun, ...effects };
}

export const diskFiles: ExportFiles = {
  exists: existsSync,
  read: (path) => readFileSync(path),
  write: (path, data) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  },
  rename: renameSync,
  remove: (path) => rmSync(path, { recursive: true, force: true }),
  list: (dir) => (existsSync(dir) ? readdirSync(dir) : []),
  makeDir: (path) => mkdirSync(path, { recursive: true }),
};

/** Writes a file atomically: a temporary file beside it, renamed into place. */
export function writeAtomically(files: ExportFiles, path: string, text: string): void {
  const temp = `${path}.${process.pid}`;
  files.write(temp, text);
  files.rename(temp, path);
}
