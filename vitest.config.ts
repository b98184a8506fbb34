/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Astro's Vite config, so component tests can render .astro files (Container API).
export default getViteConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // The story checks read the demo snapshots: export them first on a fresh clone.
    globalSetup: ['tests/unit/global-setup.ts'],
    // Dates are formatted in UTC on purpose; a pinned non-UTC zone makes a slip show.
    env: { TZ: 'Europe/London' },
    testTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/unit.json' },
  },
});
