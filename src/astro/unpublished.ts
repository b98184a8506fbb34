/**
 * What the export leaves under `public/` that is not for readers: its own
 * files, all named with a leading dot in the snapshots folder. Those are the
 * snapshots `--replace` kept (`.replaced/`: numbers that were replaced, which
 * no page links to) and the half-written `.tmp-*` snapshot and
 * `.latest-*.json` pointer of an export still running or killed (see
 * src/export/leftovers.ts). Astro copies `public/` whole, so they are removed
 * from the built site; they stay where the export put them.
 */
import { type Dirent, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** Removes them from a built site at `dir`; returns what was removed, relative to it. */
export function removeUnpublished(dir: string): string[] {
  const snapshots = join(dir, 'data', 'snapshots');
  let entries: Dirent[];
  try {
    entries = readdirSync(snapshots, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed = entries.filter((entry) => entry.name.startsWith('.'));
  for (const { name } of removed) rmSync(join(snapshots, name), { recursive: true, force: true });
  return removed.map((entry) => `data/snapshots/${entry.name}${entry.isDirectory() ? '/' : ''}`);
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
