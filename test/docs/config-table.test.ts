/**
 * The README's configuration table is what scripts/config-table.ts writes from the zod schemas today:
 * a key added, renamed, re-defaulted or re-described in a schema fails here until `npm run
 * docs:config` is run and the diff committed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PATH, configRows, renderConfigTable, tableInReadme } from '../../scripts/config-table.js';

const LOAD_TS = new URL('../../src/config/load.ts', import.meta.url);

describe("the README's configuration table", () => {
  it('is the table the schemas generate (run `npm run docs:config` when this fails)', () => {
    const inReadme = tableInReadme(readFileSync(README_PATH, 'utf8'));
    expect(inReadme, 'README.md lacks the config-table markers').toBeDefined();
    expect(inReadme).toBe(renderConfigTable());
  });

  it('gives every key a description (add .describe() to the schema)', () => {
    expect(
      configRows()
        .filter((row) => row.description === '')
        .map((row) => row.path),
    ).toEqual([]);
  });

  it('lists the keys the hand-written table missed', () => {
    const paths = configRows().map((row) => row.path);
    expect(paths).toEqual(expect.arrayContaining(['backends[].maxSpanAgeHours', 'backends[].tagDotReplacement', 'cache.redis.connectTimeoutMs']));
  });

  it('names every environment variable that load.ts lets override a key', () => {
    const source = readFileSync(LOAD_TS, 'utf8');
    const body = source.slice(source.indexOf('function applyEnvironment'), source.indexOf('function parseBackends'));
    const variables = [...new Set([...body.matchAll(/env\.([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]))];
    expect(variables.length).toBeGreaterThan(0);
    const table = renderConfigTable();
    expect(variables.filter((name) => !table.includes(`env \`${name}\``))).toEqual([]);
  });

  it('marks a backend key with the kinds that have it, and a key every kind has with none', () => {
    const byPath = (path: string) => configRows().filter((row) => row.path === path);
    expect(byPath('backends[].name').map((row) => row.kinds)).toEqual([[]]);
    expect(byPath('backends[].url').map((row) => row.kinds)).toEqual([['jaeger', 'zipkin']]);
    // Same key, different meaning per kind: one row each.
    expect(byPath('backends[].batchSize').map((row) => row.kinds)).toEqual([['jaeger'], ['zipkin']]);
  });
});
