/**
 * The export's files effect held in memory (src/export/effects.ts): what a
 * run writes, renames and removes in the snapshots folder and the cache is
 * recorded here and never reaches the disk.
 */
import { join } from 'node:path';
import type { ExportFiles } from '../../src/export/effects.ts';

export interface MemoryFiles extends ExportFiles {
  /** Every file now held, by path. */
  readonly contents: Map<string, Buffer>;
  /** Every write, rename and removal, in order. */
  readonly operations: string[];
}

export function memoryFiles(): MemoryFiles {
  const contents = new Map<string, Buffer>();
  const dirs = new Set<string>();
  const operations: string[] = [];
  const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
  const isDir = (path: string) => dirs.has(path) || [...contents.keys()].some((f) => f.startsWith(`${path}/`));
  const makeDir = (path: string) => {
    for (let p = path; p !== '/' && p !== '.'; p = join(p, '..')) dirs.add(p);
  };
  return {
    contents,
    operations,
    exists: (path) => contents.has(path) || isDir(path),
    read(path) {
      const data = contents.get(path);
      if (!data) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return data;
    },
    write(path, data) {
      makeDir(join(path, '..'));
      contents.set(path, Buffer.from(data));
      operations.push(`write ${path}`);
    },
    rename(from, to) {
      if ([...contents.keys()].some((f) => f.startsWith(`${to}/`))) throw Object.assign(new Error(`ENOTEMPTY: directory not empty, rename '${from}' -> '${to}'`), { code: 'ENOTEMPTY' });
      const moved = [...contents].filter(([f]) => under(f, from));
      if (moved.length === 0 && !dirs.has(from)) throw Object.assign(new Error(`ENOENT: no such file or directory, rename '${from}'`), { code: 'ENOENT' });
      for (const [f, data] of moved) {
        contents.delete(f);
        contents.set(to + f.slice(from.length), data);
      }
      for (const d of [...dirs].filter((d) => under(d, from))) {
        dirs.delete(d);
        dirs.add(to + d.slice(from.length));
      }
      makeDir(join(to, '..'));
      operations.push(`rename ${from} ${to}`);
    },
    remove(path) {
      const gone = [...contents.keys()].filter((f) => under(f, path));
      for (const f of gone) contents.delete(f);
      for (const d of [...dirs].filter((d) => under(d, path))) dirs.delete(d);
      if (gone.length > 0) operations.push(`remove ${path}`);
    },
    list(dir) {
      const names = new Set<string>();
      for (const p of [...contents.keys(), ...dirs]) if (p.startsWith(`${dir}/`)) names.add(p.slice(dir.length + 1).split('/')[0]!);
      return [...names].sort();
    },
    makeDir,
  };
}
