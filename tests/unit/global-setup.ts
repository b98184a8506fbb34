/**
 * Before the unit tests: the demo snapshots the story checks run against
 * (public/data/snapshots). On a fresh clone nothing has been exported yet, so
 * this makes the demo extracts (if missing) and exports, as `npm run build`
 * would; an up-to-date export is left as it is. Temporary folders made by
 * the tests go into one folder, removed when the run ends.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  // The tests make a hundred temporary folders (sources, snapshots, caches): all go under one, removed after the run.
  const scratch = mkdtempSync(join(tmpdir(), 'plotline-tests-'));
  process.env.TMPDIR = scratch;
  const root = join(import.meta.dirname, '../..');
  if (!existsSync(join(root, 'public/data/snapshots/latest.json'))) {
    for (const args of [['scripts/demo-data.ts', '--if-missing'], ['scripts/export.ts']]) {
      const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
      if (result.status !== 0) throw new Error(`${args.join(' ')} failed before the unit tests (exit ${result.status}).`);
    }
  }
  return () => rmSync(scratch, { recursive: true, force: true });
}
