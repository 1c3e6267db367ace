/**
 * The planning price through the HTTP server: an operation priced above `limits.maxCost` is refused
 * as QUERY_TOO_COMPLEX (HTTP 400) before any backend is asked, and a variable is priced as its value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../../src/backends/memory/index.js';
import { generateDemoSpans } from '../../../src/demo/index.js';
import { nowMicros } from '../../../src/model/index.js';
import { CountingBackend } from '../../support/counting-backend.js';
import { startGateway, type GraphQLResponse, type TestGateway } from '../../support/gateway.js';

// Each search hit's trace, with its spans' children's attributes: 20 hits are priced at about 1.3
// million values (100 spans × 10 children × 20 attributes assumed), 200 hits at about 13 million,
// over the default maxCost of 10 million.
const SEARCH = (first: string) =>
  `searchTraces(query: { window: { lookback: "2h" } }, first: ${first}) { edges { node { trace { spans { spanId children { spanId name attributes { key value } } } } } } }`;

const codes = (r: GraphQLResponse) => (r.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.limit]);

describe.each(['jit', 'graphql-js'])('the planning price (%s executor)', (executor) => {
  let gw: TestGateway;
  let demo: CountingBackend;
  beforeAll(async () => {
    const memory = new MemoryBackend('demo');
    memory.addSpans(generateDemoSpans({ seed: 42, nowUs: nowMicros() }));
    demo = new CountingBackend(memory);
    gw = await startGateway({ backends: [{ name: 'demo', kind: 'memory' }], cache: { enabled: false }, server: { executor } }, [demo]);
  });
  afterAll(() => gw.close());

  it.each([
    { description: 'first: 200 as a literal', query: `{ ${SEARCH('200')} }`, variables: undefined },
    { description: 'first: $f with $f = 200', query: `query ($f: Int) { ${SEARCH('$f')} }`, variables: { f: 200 } },
    {
      description: '20 aliases of traces(ids:) with 100 ids',
      query: `query ($ids: [ID!]!) { ${Array.from({ length: 20 }, (_, i) => `a${i}: traces(ids: $ids) { spans { spanId name attributes { key value } } }`).join(' ')} }`,
      variables: { ids: Array.from({ length: 100 }, (_, i) => (i + 1).toString(16).padStart(32, '0')) },
    },
  ])('refuses $description before asking a backend', async ({ query, variables }) => {
    demo.reset();
    const result = await gw.query(query, variables);
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual([['QUERY_TOO_COMPLEX', 'maxCost']]);
    expect(result.data).toBeUndefined();
    expect(demo.calls).toEqual([]);
  });

  it('answers the same search with $f = 20', async () => {
    const result = await gw.query(`query ($f: Int) { ${SEARCH('$f')} }`, { f: 20 });
    expect(result.errors).toBeUndefined();
    expect(result.data.searchTraces.edges).toHaveLength(20);
  });

  it('prices each variable set of one query on its own, however often and in whatever order they come', async () => {
    // Prices are remembered per operation and variables (plugins/query-cost.ts): a price kept for one
    // set must never answer for another.
    const query = `query ($f: Int) { ${SEARCH('$f')} }`;
    for (const f of [200, 20, 200, 20, 200]) {
      const result = await gw.query(query, { f });
      if (f === 20) expect(result.errors, `$f = ${f}`).toBeUndefined();
      else expect(codes(result), `$f = ${f}`).toEqual([['QUERY_TOO_COMPLEX', 'maxCost']]);
    }
    // Variables that do not coerce are left to execution, remembered or not.
    for (let i = 0; i < 2; i++) expect((await gw.query(query, { f: 'many' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
