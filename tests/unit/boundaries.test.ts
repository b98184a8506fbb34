/**
 * Where code runs decides where it lives (STYLE.md), and this test makes the
 * rule real, over every .ts file and every .astro file (its frontmatter,
 * which runs at build, and its <script>s, which ship to the browser):
 *
 * - shared code (src/lib) imports neither Node, the browser runtime, the
 *   build side, the browser side, nor pages, components or layouts;
 * - browser code (src/client, and every <script> of a component) imports
 *   only browser and shared code;
 * - build-side code (src/export, src/node, src/site, src/astro, src/demo)
 *   never imports browser code, and the export never imports the site;
 * - no module imports itself round a circle (type imports included: a
 *   circle of types is a seam drawn in the wrong place).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCycle } from '../../src/lib/find-cycle.ts';

const src = resolve(import.meta.dirname, '../../src');
const NODE_ONLY = /^(node:|@duckdb\/node-api$|linkedom$)/;
const BROWSER_ONLY = /^@duckdb\/duckdb-wasm$/;
/** The build side: the export, Node-only shared code, what pages use at build, Astro's plugins, the demo generator. */
const BUILD_FOLDERS = ['export', 'node', 'site', 'astro', 'demo'];
const BUILD_SIDE = new RegExp(`^(${BUILD_FOLDERS.join('|')})/`);
const PAGE_SIDE = /^(pages|components|layouts|gallery)\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|astro)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A file's code, by where it runs: an .astro file's frontmatter at build, its <script>s in the browser; a .ts file as a whole. */
function partsOf(file: string): { code: string; browser: boolean }[] {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.astro')) return [{ code: text, browser: false }];
  const frontmatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  const scripts = [...text.matchAll(/<script(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g)].map((m) => ({ code: m[1]!, browser: true }));
  return [{ code: frontmatter, browser: false }, ...scripts];
}

/** The imports of some code: packages by name, project files as paths under src/. */
function importsIn(file: string, code: string): string[] {
  const [imports] = parse(code);
  return imports
    .map((i) => i.n)
    .filter((n): n is string => Boolean(n))
    .map((n) => (n.startsWith('.') ? relative(src, resolve(dirname(file), n.replace(/\?.*$/, ''))) : n));
}

const files = () => sourceFiles(src);
const importsOf = (file: string, browser?: boolean) => partsOf(file).filter((p) => browser === undefined || p.browser === browser).flatMap((p) => importsIn(file, p.code));

function violations(folder: string, forbidden: (specifier: string) => boolean, browser?: boolean): string[] {
  return files()
    .filter((file) => relative(src, file).startsWith(`${folder}/`))
    .flatMap((file) => importsOf(file, browser).filter(forbidden).map((specifier) => `${relative(src, file)} imports ${specifier}`));
}

/** The first circle of imports among project files, as a path that returns to its start, or null. */
function findCircle(): string[] | null {
  const graph = new Map(files().map((file) => [relative(src, file), importsOf(file).filter((s) => /\.(ts|astro)$/.test(s) && !s.startsWith('..'))] as [string, string[]]).sort(([a], [b]) => a.localeCompare(b)));
  return findCycle(graph);
}

beforeAll(async () => {
  await init;
});

describe('code boundaries', () => {
  it('shared code (src/lib) imports neither Node, the browser runtime, the build or browser side, nor pages and components', () => {
    expect(violations('lib', (s) => NODE_ONLY.test(s) || BROWSER_ONLY.test(s) || BUILD_SIDE.test(s) || s.startsWith('client/') || PAGE_SIDE.test(s))).toEqual([]);
  });

  it('browser code (src/client) never imports Node or the build side', () => {
    expect(violations('client', (s) => NODE_ONLY.test(s) || BUILD_SIDE.test(s) || PAGE_SIDE.test(s))).toEqual([]);
  });

  it("a component's or page's <script> (it ships to the browser) imports only browser and shared code", () => {
    const shipped = ['components', 'pages', 'layouts', 'gallery'].flatMap((folder) => violations(folder, (s) => NODE_ONLY.test(s) || BUILD_SIDE.test(s), true));
    expect(shipped).toEqual([]);
  });

  it('build-side code never imports browser code', () => {
    for (const folder of BUILD_FOLDERS) expect(violations(folder, (s) => BROWSER_ONLY.test(s) || s.startsWith('client/'))).toEqual([]);
  });

  it('the export never imports the site, its plugins, pages or components', () => {
    expect(violations('export', (s) => /^(site|astro)\//.test(s) || PAGE_SIDE.test(s))).toEqual([]);
  });

  it('no module imports itself round a circle', () => {
    expect(findCircle()).toBeNull();
  });

  it('sees the imports it checks (a sanity check on the parser), in .ts and .astro files alike', () => {
    expect(importsOf(join(src, 'client/duckdb.ts'))).toContain('client/parquet-to-arrow.ts');
    expect(importsOf(join(src, 'node/duckdb.ts'))).toContain('@duckdb/node-api');
    expect(importsOf(join(src, 'components/Chart.astro'), false)).toContain('site/story-query.ts');
    expect(importsOf(join(src, 'components/Chart.astro'), true)).toEqual(['client/enhance.ts']);
    expect(files().filter((f) => f.endsWith('.astro')).length).toBeGreaterThan(30);
  });
});
