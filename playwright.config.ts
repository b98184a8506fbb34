/**
 * Browser tests: Debian's Chromium (never a downloaded browser) against the
 * site built for the base path /insights/ (`npm run build:e2e`) and served
 * statically by tests/e2e/serve.ts.
 */
import { defineConfig } from '@playwright/test';

export const BASE_PATH = '/insights/';
const port = Number(process.env.PLOTLINE_E2E_PORT ?? 4322);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e-artifacts',
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Chromium's own background traffic is off, so every request a test sees is the page's.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    // The Node running the tests (the project's own, via npm scripts) also serves the site.
    command: `"${process.execPath}" tests/e2e/serve.ts tests/e2e/.dist --base ${BASE_PATH} --port ${port}`,
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    reuseExistingServer: false,
    stdout: 'ignore',
  },
});
