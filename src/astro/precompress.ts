/**
 * After `astro build`, writes `.br` and `.gz` copies of the hashed assets
 * (DuckDB-WASM's 34 MB wasm above all) so a static server can send them
 * compressed without compressing on every request (nginx `gzip_static`,
 * `brotli_static`). Brotli quality 9: ~5.9 MB for the wasm in ~1.5 s; quality
 * 11 saves another 0.7 MB but takes ~40 s per build.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';

const COMPRESSIBLE = /\.(wasm|js|css|svg|json)$/;
const MIN_BYTES = 1024;

export function precompressAssets(dir: string): { files: number; bytes: number; brotliBytes: number } {
  let files = 0;
  let bytes = 0;
  let brotliBytes = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!COMPRESSIBLE.test(name) || statSync(path).size < MIN_BYTES) continue;
    const content = readFileSync(path);
    const brotli = brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    });
    writeFileSync(`${path}.br`, brotli);
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    files += 1;
    bytes += content.length;
    brotliBytes += brotli.length;
  }
  return { files, bytes, brotliBytes };
}

/** The Astro integration: precompresses `_astro/` once the build is done. */
export function precompress(): AstroIntegration {
  return {
    name: 'plotline:precompress',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const result = precompressAssets(join(fileURLToPath(dir), '_astro'));
        const mb = (n: number) => (n / 1e6).toFixed(1);
        logger.info(`Precompressed ${result.files} assets: ${mb(result.bytes)} MB → ${mb(result.brotliBytes)} MB with brotli.`);
      },
    },
  };
}
