// @ts-check
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import remarkGfm from 'remark-gfm';
import { deckFiles } from './src/astro/deck-files.ts';
import { devReload } from './src/astro/dev-reload.ts';
import { precompress } from './src/astro/precompress.ts';
import { rehypeTables } from './src/astro/rehype-tables.ts';
import { remarkExamples } from './src/astro/remark-examples.ts';
import { remarkSlides } from './src/astro/remark-slides.ts';
import { remarkStoryIndex } from './src/astro/remark-story-index.ts';
import { searchIndex } from './src/astro/search-index.ts';
import { unpublished } from './src/astro/unpublished.ts';

/**
 * The site can live under any path of an internal server, e.g. /insights/.
 * Set PLOTLINE_BASE at build time; every link, script, wasm, worker and
 * Parquet URL follows it.
 */
const base = process.env.PLOTLINE_BASE ?? '/';

export default defineConfig({
  base,
  // The server's origin (e.g. https://intranet.example), for the feed's absolute links.
  site: process.env.PLOTLINE_SITE,
  outDir: process.env.PLOTLINE_OUT_DIR ?? './dist',
  trailingSlash: 'always',
  // unpublished drops what the export keeps under public/ but is not for readers (replaced snapshots);
  // searchIndex runs Pagefind over the built pages (site search); deckFiles makes decks work from
  // file:// and offline; both before precompress.
  integrations: [mdx(), unpublished(), searchIndex(), deckFiles(), precompress(), devReload()],
  markdown: {
    syntaxHighlight: 'prism',
    // remark's pipeline with GitHub-flavoured Markdown (tables, footnotes, task lists);
    // Prism marks code with classes (Shiki's inline styles break the CSP).
    // MDX inherits it. remarkStoryIndex records each story's decisions and cited metrics for the site's registers;
    // remarkSlides splits stories into slides for the present view; remarkExamples gives the gallery's
    // <Example>s their own source.
    processor: unified({ gfm: false, remarkPlugins: [remarkGfm, remarkStoryIndex, remarkSlides, remarkExamples], rehypePlugins: [rehypeTables] }),
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
    // The live runtime (DuckDB-WASM's JS, Arrow, Plot) is one lazy chunk of
    // ~0.5 MB that only readers who use an input download.
    // assetsInlineLimit 0: every script is a file of the site's own, never inlined
    // into the HTML, so the server's CSP header ('self', no hashes) allows it.
    build: {
      chunkSizeWarningLimit: 1024,
      assetsInlineLimit: 0,
      rolldownOptions: {
        // Astro 7's MDX marks each page "use astro:head-inject", and Rolldown warns
        // that it may drop the directive: harmless, four boxed warnings a build
        // (withastro/astro#18087, open). Every other warning still shows.
        onLog(level, log, handler) {
          if (level === 'warn' && log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('astro:head-inject')) return;
          handler(level, log);
        },
      },
    },
  },
});
