// @ts-check
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import remarkGfm from 'remark-gfm';

/**
 * The site can live under any path of an internal server, e.g. /insights/.
 * Set PLOTLINE_BASE at build time; every link, script, wasm, worker and
 * Parquet URL follows it.
 */
const base = process.env.PLOTLINE_BASE ?? '/';

export default defineConfig({
  base,
  outDir: process.env.PLOTLINE_OUT_DIR ?? './dist',
  trailingSlash: 'always',
  integrations: [mdx()],
  markdown: {
    // remark's pipeline with GitHub-flavoured Markdown (tables, footnotes, task lists).
    processor: unified({ gfm: false, remarkPlugins: [remarkGfm] }),
  },
  security: {
    // A Content-Security-Policy <meta> on every page: only the site itself,
    // plus WebAssembly for DuckDB-WASM. Astro hashes its own scripts and styles.
    csp: {
      directives: [
        "default-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "worker-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
    },
  },
  vite: {
    // Native bindings stay in Node; the browser bundle never sees them.
    ssr: { external: ['@duckdb/node-api'] },
    optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  },
});
