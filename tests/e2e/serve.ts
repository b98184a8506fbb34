/**
 * A static server for browser tests: serves a built site under a base path
 * (default /insights/), the way an internal web server would, with the
 * Content-Security-Policy header as the backstop for workers (a <meta> CSP
 * does not reach them) and compression for wasm, as the README's hosting
 * notes recommend.
 *
 * Usage: node tests/e2e/serve.ts <dir> [--base /insights/] [--port 4322]
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import sirv from 'sirv';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "worker-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { base: { type: 'string', default: '/insights/' }, port: { type: 'string', default: '4322' } },
});
const dir = positionals[0] ?? 'dist';
const base = values.base!;
// Serves the build's precompressed .br/.gz copies when the browser accepts them.
const files = sirv(dir, { dev: false, etag: true, gzip: true, brotli: true, extensions: ['html'] });

createServer((request, response) => {
  const url = request.url ?? '/';
  if (!url.startsWith(base)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end(`Not under ${base}`);
    return;
  }
  request.url = url.slice(base.length - 1);
  response.setHeader('content-security-policy', CSP);
  files(request, response, () => {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
}).listen(Number(values.port), '127.0.0.1', () => {
  console.log(`Serving ${dir} at http://127.0.0.1:${values.port}${base}`);
});
