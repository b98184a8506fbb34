/**
 * Before the unit tests: the demo snapshots the story checks run against
 * (public/data/snapshots). On a fresh clone nothing has been exported yet, so
 * this makes the demo extracts (if missing) and exports, as `npm run build`
 * would; an up-to-date export is left as it is.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '../..');
  if (existsSync(join(root, 'public/data/snapshots/latest.json'))) return;
  for (const args of [['scripts/demo-data.ts', '--if-missing'], ['scripts/export.ts']]) {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed before the unit tests (exit ${result.status}).`);
  }
}
