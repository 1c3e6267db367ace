/**
 * Property-based fuzzing of the whole HTTP surface on the default configuration (the embedded demo):
 * random documents drawn from schema.graphql (valid and mangled, with variables, wrong types, extreme
 * sizes, mutations and subscriptions), sent as JSON, GET, batches, persisted-query hashes, non-JSON
 * bodies and odd headers. Whatever arrives, the gateway must answer a client error or data: never a
 * 5xx, never INTERNAL_SERVER_ERROR, every error with a code, no error-level log line, bounded heap.
 *
 * Fixed seed and a bounded count in `npm test`; `npm run test:fuzz` runs many more
 * (FUZZ_RUNS, FUZZ_SEED override both; a failure prints the seed and path to replay it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import fc from 'fast-check';
import { buildSchema } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { createServer, type TracegateServer } from '../../src/server/create-server.js';
import { generateRequest, type KnownValues } from '../support/fuzz/document-generator.js';
import { send, type FuzzResponse } from '../support/fuzz/send.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const LONG = RUNS > 500;
const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** What makes a response acceptable, whatever was sent; the reason when it is not. */
function problemWith(response: FuzzResponse): string | null {
  if (response.status >= 500) return `HTTP ${response.status}`;
  const body = response.body;
  if (typeof body !== 'object' || body === null) {
    // Fastify answers some transport errors (bad content type) itself, still as JSON.
    return response.status >= 400 ? null : `a ${response.status} whose body is not JSON`;
  }
  const bodies = Array.isArray(body) ? body : [body];
  for (const one of bodies as Array<{ errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> }>) {
    for (const error of one?.errors ?? []) {
      if (typeof error.message !== 'string') return 'an error without a message';
      const code = error.extensions?.code;
      if (typeof code !== 'string') return `an error without extensions.code: ${error.message.slice(0, 200)}`;
      if (code === 'INTERNAL_SERVER_ERROR') return `INTERNAL_SERVER_ERROR: ${error.message.slice(0, 200)}`;
    }
  }
  return null;
}

describe(`fuzzing the HTTP surface (${RUNS} runs, seed ${SEED})`, () => {
  let server: TracegateServer;
  let url: string;
  const logLines: LogLine[] = [];
  const known: KnownValues = { traceIds: [], services: [], operations: [], attributeKeys: [] };
  let peakHeapBytes = 0;

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as LogLine) });
    server = await createServer(parseConfig({ server: { port: 0, host: '127.0.0.1' } }), logger);
    url = `${await server.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
    const ask = async (query: string) =>
      (
        (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
          data: any;
        }
      ).data;
    const data = await ask(
      '{ services { services { name } } searchTraces(query: { window: { lookback: "2h" }, limit: 30 }, first: 30) { edges { node { traceId } } } attributeKeys { names { name } } }',
    );
    known.services = data.services.services.map((s: { name: string }) => s.name);
    known.traceIds = data.searchTraces.edges.map((e: { node: { traceId: string } }) => e.node.traceId);
    known.attributeKeys = data.attributeKeys.names.map((n: { name: string }) => n.name);
    known.operations = (await ask(`{ operations(service: ${JSON.stringify(known.services[0])}) { operations { name } } }`)).operations.operations.map(
      (o: { name: string }) => o.name,
    );
    logLines.length = 0;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('learned real values from the demo to aim with', () => {
    expect(known.traceIds.length).toBeGreaterThan(5);
    expect(known.services.length).toBeGreaterThan(2);
    expect(known.operations.length).toBeGreaterThan(0);
  });

  it(
    'answers every request with data or a coded client error, logs no error, and keeps its heap bounded',
    async () => {
      const seen = { ok: 0, clientErrors: 0, statuses: new Map<number, number>() };
      await fc.assert(
        fc.asyncProperty(fc.gen(), async (g) => {
          const request = generateRequest(g, schema, known, { maxDepth: LONG ? 7 : 5, maxListsPerPath: LONG ? 3 : 2 });
          const response = await send(g, url, request);
          seen.statuses.set(response.status, (seen.statuses.get(response.status) ?? 0) + 1);
          if (response.status === 200) seen.ok++;
          else seen.clientErrors++;
          peakHeapBytes = Math.max(peakHeapBytes, getHeapStatistics().used_heap_size);
          const problem = problemWith(response);
          if (problem !== null) {
            // The whole request, for replaying by hand (the message shows only its start).
            mkdirSync('test-results', { recursive: true });
            writeFileSync('test-results/fuzz-failure.json', JSON.stringify({ transport: response.transport, request, response }, null, 2));
            throw new Error(
              `${problem}\nrequest (${response.transport}, whole in test-results/fuzz-failure.json): ${JSON.stringify(request).slice(0, 2_000)}`,
            );
          }
          const errorLines = logLines.filter((l) => l.level >= 50);
          if (errorLines.length > 0)
            throw new Error(
              `error-level log line: ${JSON.stringify(errorLines[0]).slice(0, 1_000)}\nrequest: ${JSON.stringify(request).slice(0, 2_000)}`,
            );
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      // The property ran on real answers, not only on rejections.
      expect(seen.ok).toBeGreaterThan(RUNS / 20);
      expect(seen.clientErrors).toBeGreaterThan(RUNS / 20);
      // The demo trace of 1,000 spans and a bounded response size keep one request's heap far below this.
      expect(peakHeapBytes).toBeLessThan(1_500 * 2 ** 20);
    },
    LONG ? 3_600_000 : 240_000,
  );
});
