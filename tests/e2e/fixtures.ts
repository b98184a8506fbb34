/**
 * Shared browser-test fixtures: every request the page and its workers make
 * (the context's `request` event sees worker fetches; `response` events miss
 * some), and every console error or uncaught exception.
 */
import { test as base, expect } from '@playwright/test';

export const STORY = '/insights/stories/2026-10-revenue/';

interface Watch {
  requests: string[];
  errors: string[];
}

export const test = base.extend<{ watch: Watch }>({
  watch: async ({ context, page }, use) => {
    const watch: Watch = { requests: [], errors: [] };
    context.on('request', (request) => watch.requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') watch.errors.push(message.text());
    });
    page.on('pageerror', (error) => watch.errors.push(error.message));
    await use(watch);
  },
});

export { expect };
