/**
 * Where code runs decides where it lives (STYLE.md), and this test makes the
 * rule real: shared code (src/lib) imports neither Node nor browser-only
 * code; browser code (src/client) never imports the build side or Node;
 * build-side code (src/export, src/node, src/site, src/astro, src/demo) never
 * imports browser code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { beforeAll, describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '../../src');
const NODE_ONLY = /^(node:|@duckdb\/node-api$|linkedom$)/;
const BROWSER_ONLY = /^@duckdb\/duckdb-wasm$/;
/** The build side: the export, Node-only shared code, what pages use at build, Astro's plugins, the demo generator. */
const BUILD_FOLDERS = ['export', 'node', 'site', 'astro', 'demo'];
const BUILD_SIDE = new RegExp(`^(${BUILD_FOLDERS.join('|')})/`);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of a file: packages by name, project files as paths under src/. */
function importsOf(file: string): string[] {
  const [imports] = parse(readFileSync(file, 'utf8'));
  return imports
    .map((i) => i.n)
    .filter((n): n is string => Boolean(n))
    .map((n) => (n.startsWith('.') ? relative(src, resolve(dirname(file), n.replace(/\?.*$/, ''))) : n));
}

function violations(folder: string, forbidden: (specifier: string) => boolean): string[] {
  return tsFiles(join(src, folder)).flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((specifier) => `${relative(src, file)} imports ${specifier}`),
  );
}

beforeAll(async () => {
  await init;
});

describe('code boundaries', () => {
  it('shared code (src/lib) imports neither Node, the browser runtime, nor either side', () => {
    expect(violations('lib', (s) => NODE_ONLY.test(s) || BROWSER_ONLY.test(s) || BUILD_SIDE.test(s) || s.startsWith('client/'))).toEqual([]);
  });

  it('browser code (src/client) never imports Node or the build side', () => {
    expect(violations('client', (s) => NODE_ONLY.test(s) || BUILD_SIDE.test(s))).toEqual([]);
  });

  it('build-side code never imports browser code', () => {
    for (const folder of BUILD_FOLDERS) expect(violations(folder, (s) => BROWSER_ONLY.test(s) || s.startsWith('client/'))).toEqual([]);
  });

  it('sees the imports it checks (a sanity check on the parser)', () => {
    expect(importsOf(join(src, 'client/duckdb.ts'))).toContain('client/parquet-to-arrow.ts');
    expect(importsOf(join(src, 'node/duckdb.ts'))).toContain('@duckdb/node-api');
  });
});
