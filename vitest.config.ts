import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // Dates are formatted in UTC on purpose; pin the zone so a test machine's
    // locale cannot hide a slip.
    env: { TZ: 'Europe/London' },
    testTimeout: 30_000,
  },
});
