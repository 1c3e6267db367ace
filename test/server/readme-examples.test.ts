/**
 * The README's example queries, and the other entry points it names, answer on the demo data under
 * the default limits (README, "Limits"): the limits refuse amplification, never the documented use.
 * Trace queries run on the 1,000-span trace as well as on ordinary ones.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';

const BIG = 'fc399502bce824169cf1ea00b42069cf';
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const EXAMPLES = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('the README examples on the demo data, under the default limits', () => {
  let gw: TestGateway;
  let ids: string[];
  beforeAll(async () => {
    gw = await startGateway();
    const search = await gw.query('{ searchTraces(query: { window: { lookback: "2h" }, limit: 1000 }, first: 200) { edges { node { traceId } } } }');
    ids = search.data.searchTraces.edges.map((e: { node: { traceId: string } }) => e.node.traceId);
  });
  afterAll(() => gw.close());

  it('has example queries to run', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(2);
  });

  it.each(EXAMPLES.map((query, i) => [i + 1, query] as const))('answers example %i', async (_, query) => {
    const traceIds = query.includes('$id') ? [BIG, ...ids.slice(0, 20)] : [undefined];
    for (const id of traceIds) {
      const result = await gw.query(query, id === undefined ? {} : { id });
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
    }
  });

  it.each([
    {
      description: 'traces(ids:) with the 100 most recent traces and the 1,000-span one, every span and its events',
      query:
        'query ($ids: [ID!]!) { traces(ids: $ids) { traceId spanCount spans { spanId parentSpanId name service kind startTimeUs durationUs status { code message } attributes { key type value } events { name timeUs attributes { key value } } } } }',
      variables: () => ({ ids: [BIG, ...ids.filter((id) => id !== BIG).slice(0, 99)] }),
    },
    {
      description: 'the 1,000-span trace as a tree, with parents and children',
      query: `{ trace(id: "${BIG}") { rootSpan { spanId children { spanId children { spanId } } } topLevelSpans { spanId } spans { spanId parent { spanId } children { spanId } } } }`,
      variables: () => ({}),
    },
    {
      description: 'a search page of 200 with each trace summarised',
      query:
        '{ searchTraces(query: { window: { lookback: "2h" }, limit: 1000 }, first: 200) { totalCount edges { cursor node { traceId rootService rootOperation spanCount errorCount services trace { spanCount errorSpans { spanId name } } } } } }',
      variables: () => ({}),
    },
    {
      description: 'services, operations, dependencies, attribute keys and backends',
      query:
        '{ services { services { name sources } } operations(service: "checkout-service", spanKind: SERVER) { operations { name spanKind } } dependencies(window: { lookback: "2h" }) { edges { parent child callCount } services } attributeKeys { names { name } } backends { name kind healthy capabilities { batchGetTraces } } }',
      variables: () => ({}),
    },
  ])('answers $description', async ({ query, variables }) => {
    const result = await gw.query(query, variables());
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });
});
