import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` talks to real Jaeger, Zipkin,
// Elasticsearch and Redis that test/support/global-setup.ts starts (or reuses) on 127.0.0.1.
export default defineConfig({
  test: {
    // Our code reaches graphql through Vite; these reach it through Node unless inlined, and two copies
    // of graphql refuse each other's types ("from another module or realm").
    server: { deps: { inline: [/@graphql-tools\//, /graphql-jit/, /@apollo\/server/] } },
    // The json report feeds scripts/summarise-test-reports.mjs (CI's closing line); the npm scripts
    // name its file per project.
    reporters: ['default', 'json'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          // Global setup may fetch and build the servers on a fresh machine (Jaeger's Go build: minutes).
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
