/**
 * Site search: after `astro build`, Pagefind indexes the pages worth finding
 * (stories, metric pages, the dictionary, strategy, decisions; not the lists
 * and dashboards that only repeat them) and writes its index, script and
 * WebAssembly into `<out>/pagefind/`. Everything is served by the site
 * itself; the search page loads it under the base path.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** The built pages search covers, relative to the output folder. */
export const SEARCHED_PAGES = '{stories/*/index.html,kpis/*/index.html,dictionary/index.html,strategy/index.html,decisions/index.html}';

export function searchIndex(): AstroIntegration {
  return {
    name: 'plotline:search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pagefind = await import('pagefind');
        const site = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        const added = await index.addDirectory({ path: site, glob: SEARCHED_PAGES });
        if (added.errors.length > 0) throw new Error(`Pagefind could not index ${site}: ${added.errors.join('; ')}`);
        const written = await index.writeFiles({ outputPath: join(site, 'pagefind') });
        if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
        await pagefind.close();
        logger.info(`Search index: ${added.page_count} pages.`);
      },
    },
  };
}
