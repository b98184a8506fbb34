/**
 * `npm run dev` follows the data as well as the stories: when a model file
 * (data/model/*.yaml) or a source extract (data/sources/) changes, the export
 * re-runs, the build-side caches (model, snapshot databases, query results)
 * are dropped, and the browser reloads. Stories themselves reload through
 * Astro's content collection.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { AstroIntegration } from 'astro';
import { resetSiteModel } from '../site/site-model.ts';
import { resetSnapshotCaches } from '../site/snapshots.ts';

export function devReload(): AstroIntegration {
  return {
    name: 'plotline:dev-reload',
    hooks: {
      'astro:server:setup': ({ server, logger }) => {
        const watched = [resolve('data/model'), resolve('data/sources')];
        server.watcher.add(watched);
        let running: Promise<void> | undefined;
        const rerun = (file: string) => {
          if (!watched.some((dir) => file.startsWith(dir)) || running) return;
          logger.info(`${file} changed: re-running the export…`);
          running = new Promise<void>((done) => {
            const child = spawn(process.execPath, ['scripts/export.ts', '--replace'], { stdio: 'inherit' });
            child.on('exit', (code) => {
              running = undefined;
              if (code !== 0) logger.error('The export failed (see above); the page keeps the last good snapshot.');
              resetSiteModel();
              resetSnapshotCaches();
              server.ws.send({ type: 'full-reload' });
              done();
            });
          });
        };
        server.watcher.on('change', rerun);
        server.watcher.on('add', rerun);
      },
    },
  };
}
