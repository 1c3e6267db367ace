/**
 * Amplification against the real entry point (src/index.ts) in a process of its own, with a capped
 * V8 heap and the default configuration (the embedded demo data, default limits). Before the limits
 * of README "Limits", the first query below grew the heap until V8 aborted the process, and repeated
 * or aliased `traces(ids:)` answered tens of megabytes. Now each is refused with its code, the heap
 * stays bounded, and the process goes on answering — including the largest answer the default
 * `maxResultValues` allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntryProcess, type EntryProcess } from '../support/entry-process.js';

const BIG = 'fc399502bce824169cf1ea00b42069cf';
const CAP_MIB = 384;
/** Every span field a trace view shows, with attributes and events. */
const SPAN_FIELDS =
  'spanId parentSpanId name service kind startTimeUs durationUs status { code message } attributes { key type value } events { name timeUs attributes { key value } }';
const TRACES = `traces(ids: $ids) { spans { ${SPAN_FIELDS} } }`;

interface Answer {
  status: number;
  codes: unknown[];
  data?: unknown;
}

describe(`a gateway process with a ${CAP_MIB} MiB heap, under amplifying queries`, () => {
  let gateway: EntryProcess;
  beforeAll(async () => {
    gateway = await startEntryProcess({ maxOldSpaceMiB: CAP_MIB });
  }, 30_000);
  afterAll(() => gateway?.stop());

  async function ask(query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string; limit?: string } }> };
    return { status: response.status, codes: (body.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.limit]), data: body.data };
  }

  it.each([
    {
      description: "the issue's 150-byte query: every span's parent's children, three hops",
      query: `{ trace(id: "${BIG}") { spans { parent { children { parent { children { parent { children { spanId } } } } } } } } }`,
      status: 400,
      codes: [['RESULT_TOO_LARGE', 'maxResultValues']],
    },
    {
      description: 'two hops',
      query: `{ trace(id: "${BIG}") { spans { parent { children { parent { children { spanId } } } } } } }`,
      status: 400,
      codes: [['RESULT_TOO_LARGE', 'maxResultValues']],
    },
    {
      description: 'one 1,000-span trace id repeated 100 times',
      query: `query ($ids: [ID!]!) { ${TRACES} }`,
      variables: { ids: Array(100).fill(BIG) },
      status: 200,
      codes: [['BAD_USER_INPUT', undefined]],
    },
    {
      description: '20 aliases of traces(ids:) with 100 ids',
      query: `query ($ids: [ID!]!) { ${Array.from({ length: 20 }, (_, i) => `a${i}: ${TRACES}`).join(' ')} }`,
      variables: { ids: [BIG, ...Array.from({ length: 99 }, (_, i) => (i + 1).toString(16).padStart(32, '0'))] },
      status: 400,
      codes: [['QUERY_TOO_COMPLEX', 'maxCost']],
    },
  ])('refuses $description, and stays up', async ({ query, variables, status, codes }) => {
    const answer = await ask(query, variables);
    expect(gateway.exit()).toBeNull();
    expect({ status: answer.status, codes: answer.codes }).toEqual({ status, codes });
    // The attacks together cost the heap less than half the cap (it idles at about 80 MiB).
    expect(gateway.peakHeapMiB()).toBeLessThan(CAP_MIB / 2);
  });

  it('still answers the largest result the default maxResultValues allows, and the README trace query', async () => {
    // 1,000 spans, each with its parent's children (112,220 of them) and seven fields each: 900,763 values, 20 MB.
    const largest = await ask(
      `{ trace(id: "${BIG}") { spans { parent { children { spanId parentSpanId name service kind startTimeUs durationUs } } } } }`,
    );
    expect({ status: largest.status, codes: largest.codes }).toEqual({ status: 200, codes: [] });
    const readme = await ask(`query ($id: ID!) { trace(id: $id) { traceId spanCount spans { ${SPAN_FIELDS} } } }`, { id: BIG });
    expect(readme.codes).toEqual([]);
    expect(readme.data).toMatchObject({ trace: { traceId: BIG, spanCount: 1_000 } });
    expect(gateway.exit()).toBeNull();
  });
});
