/**
 * `npm run check [-- --strict] [--dir DIR] [name …]`: runs every story's queries and
 * checks every prop and frontmatter field against its pinned snapshot, in
 * seconds, without building the site. Exits 1 with one line per problem
 * (file, component, what to do). --strict turns warnings (a query with no
 * rows) into errors, as CI does.
 */
import { resolve } from 'node:path';
import { getViteConfig } from 'astro/config';
import { createServer } from 'vite';
import { parseCommandLine } from '../src/node/cli.ts';

const { values, positionals } = parseCommandLine(
  `npm run check [-- --strict] [--dir DIR] [name …]

Runs every story's queries and checks its props against its pinned snapshot, without building the site.
  --strict    treat warnings (a query with no rows) as errors, as CI does
  --dir DIR   the stories folder (default src/stories)
  name …      check only these stories (file names without .mdx)`,
  { allowPositionals: true, options: { strict: { type: 'boolean', default: false }, dir: { type: 'string' } } },
);
if (values.strict) process.env.PLOTLINE_STRICT = '1';
process.env.ASTRO_TELEMETRY_DISABLED = '1';

const started = performance.now();
const config = await getViteConfig({ logLevel: 'error', server: { middlewareMode: true, hmr: false, watch: null }, appType: 'custom' })({ command: 'serve', mode: 'development' });
const vite = await createServer({ ...config, configFile: false });
let failed = false;
try {
  const { checkStories } = (await vite.ssrLoadModule('/src/site/check-stories.ts')) as typeof import('../src/site/check-stories.ts');
  const { checked, problems } = await checkStories(process.cwd(), values.dir ? resolve(values.dir) : undefined, positionals.length > 0 ? positionals : undefined);
  for (const problem of problems) console.error(`✗ ${problem.message}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    failed = true;
    console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${checked.length} stor${checked.length === 1 ? 'y' : 'ies'} (${seconds} s).`);
  } else {
    console.log(`✓ ${checked.length} stor${checked.length === 1 ? 'y' : 'ies'} checked: every query ran against its snapshot, every prop is valid (${seconds} s).`);
  }
} finally {
  await vite.close();
}
process.exit(failed ? 1 : 0);
