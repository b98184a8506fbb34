/**
 * What the export leaves under `public/` that is not for readers: the
 * snapshots `--replace` kept (`data/snapshots/.replaced/`: numbers that were
 * replaced, which no page links to) and a half-written `.tmp-*` snapshot of
 * an export still running or killed. Astro copies `public/` whole, so they
 * are removed from the built site; they stay where the export put them.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** Removes them from a built site at `dir`; returns what was removed, relative to it. */
export function removeUnpublished(dir: string): string[] {
  const snapshots = join(dir, 'data', 'snapshots');
  let names: string[];
  try {
    names = readdirSync(snapshots);
  } catch {
    return [];
  }
  const removed = names.filter((name) => name === '.replaced' || name.startsWith('.tmp-'));
  for (const name of removed) rmSync(join(snapshots, name), { recursive: true, force: true });
  return removed.map((name) => `data/snapshots/${name}/`);
}

/** The Astro integration: runs removeUnpublished once the build is done (before the search index and precompression). */
export function unpublished(): AstroIntegration {
  return {
    name: 'plotline:unpublished',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const removed = removeUnpublished(fileURLToPath(dir));
        if (removed.length > 0) logger.info(`Left out of the site (kept by the export, not for readers): ${removed.join(', ')}`);
      },
    },
  };
}
