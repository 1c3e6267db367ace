/**
 * The JIT executor (graphql-jit) must answer exactly what graphql-js answers. Two gateways, one per
 * executor, share the same backends: the demo shop, the attribute zoo (test/support/attribute-zoo.ts)
 * and its copy in a second backend, and backends that fail, time out or throw. Every document of
 * test/server/jit-equivalence-documents.ts goes to both, and the answers are compared whole: HTTP
 * status, data, and errors with their messages, locations, paths and extensions. Only `latencyMs`
 * (wall time) is dropped.
 *
 * So that this cannot pass vacuously, each document also states what it must produce (its error
 * codes; non-empty data), every document must be valid, and together they must cover every field,
 * argument, input field and input enum value of schema.graphql, on answers that hold every attribute
 * type, span kind, status code and backend outcome.
 *
 * The bytes are checked too, as they leave (server/stream-response.ts): here every answer longer than
 * 8,192 characters is streamed in chunks of that size, and each body must be exactly JSON.stringify of
 * the result object Apollo handed the serialiser (plus Apollo's newline), and the graphql-jit body
 * byte for byte the graphql-js one (latencyMs aside).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../src/errors.js';
import { MemoryBackend } from '../../src/backends/memory/index.js';
import { generateDemoSpans } from '../../src/demo/index.js';
import { zooSpans } from '../support/attribute-zoo.js';
import { startGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';
import { coordinatesUsed, schemaCoordinates } from '../support/schema-documents.js';
import { ScriptedBackend } from '../support/scripted-backend.js';
import { equivalenceDocuments, readFacts, type EquivalenceDocument } from './jit-equivalence-documents.js';

// graphql-jit imports graphql's CommonJS build (graphql/execution/execute.js), while Vite hands our
// sources graphql's ESM build: two realms, and introspection under graphql-jit then fails with
// "Cannot use GraphQLObjectType from another module or realm". Node loads the CommonJS build for
// both, so this gives the test what production runs.
vi.mock('graphql', () => createRequire(import.meta.url)('graphql'));

// Both gateways must see the same "now", or relative windows (and DependencyGraph.startTime) differ
// by the microseconds between the two requests.
const { NOW_US } = vi.hoisted(() => ({ NOW_US: Date.now() * 1000 }));
vi.mock('../../src/model/time.js', async (importOriginal) => ({ ...(await importOriginal<object>()), nowMicros: () => NOW_US }));

// Every result object the response serialiser was given, as JSON.stringify writes it; chunks of 8,192
// characters, so that every answer past that is streamed (and the small ones still pass the walker).
const { serialised } = vi.hoisted(() => ({ serialised: new Set<string>() }));
vi.mock('../../src/server/stream-json.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/server/stream-json.js')>();
  return {
    ...actual,
    jsonChunks: (value: unknown) => {
      serialised.add(JSON.stringify(value));
      return actual.jsonChunks(value, 8_192);
    },
  };
});

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

const demo = new MemoryBackend('demo');
demo.addSpans(generateDemoSpans({ seed: 42, nowUs: NOW_US }));
const zoo = new MemoryBackend('zoo');
const { primary, copies, malformed } = zooSpans(NOW_US);
zoo.addSpans(primary);
const backends = [
  demo,
  zoo,
  new ScriptedBackend('zoo-copy', { spans: [...copies, ...malformed], services: ['zoo-worker'] }),
  new ScriptedBackend('broken', { fail: new BackendError('BACKEND_UNAVAILABLE', 'broken', 'connection refused') }),
  new ScriptedBackend('slow', { delayMs: 5_000 }),
  // Throws something other than a BackendError: an adapter bug, reported as INTERNAL_SERVER_ERROR.
  new ScriptedBackend('buggy', { fail: new TypeError('adapter bug') as unknown as BackendError }),
];
const config = {
  // The default set is demo and zoo; the others answer only when a query names them.
  backends: [
    { name: 'demo', kind: 'memory' },
    { name: 'zoo', kind: 'memory' },
    { name: 'zoo-copy', kind: 'memory', enabled: false },
    { name: 'broken', kind: 'memory', enabled: false },
    { name: 'slow', kind: 'memory', enabled: false, timeoutMs: 50 },
    { name: 'buggy', kind: 'memory', enabled: false },
  ],
  // Generated documents select everything, with aliases per argument variant: far above the default
  // cost, alias and token limits (the depth limit and the result-value limit stay, and a document
  // checks each). Their planning price (100 spans in every trace) is far above maxCost, hence none.
  limits: { maxCost: Number.MAX_SAFE_INTEGER, maxAliases: 1_000, maxTokens: 100_000 },
  cache: { enabled: false },
};
const jit = await startGateway({ ...config, server: { executor: 'jit' } }, backends);
afterAll(() => jit.close());
const reference = await startGateway({ ...config, server: { executor: 'graphql-js' } }, backends);
afterAll(() => reference.close());

const facts = await readFacts((query, variables) => reference.query(query, variables), NOW_US);
const documents = equivalenceDocuments(schema, facts);

interface Answer extends GraphQLResponse {
  /** The body as sent. */
  text: string;
  /** Sent as a stream (chunked, no Content-Length). */
  isStreamed: boolean;
}

/** Like TestGateway.query, with the operationName that documents of several operations need. */
async function post(gateway: TestGateway, document: EquivalenceDocument): Promise<Answer> {
  const { query, variables, operationName } = document;
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const text = await response.text();
  const isStreamed = response.headers.get('transfer-encoding') === 'chunked' && !response.headers.has('content-length');
  return { ...(JSON.parse(text) as GraphQLResponse), status: response.status, text, isStreamed };
}

/** The body with every latencyMs (wall time) the same. */
const latencyBlind = (text: string) => text.replace(/"latencyMs":[-+.\deE]+/g, '"latencyMs":0');

/** The answer without wall-clock times (BackendOutcome.latencyMs, BackendInfo.latencyMs, extensions). */
function withoutLatency(answer: Answer): unknown {
  const { status, data, errors, extensions } = answer as Answer & { extensions?: unknown };
  return JSON.parse(JSON.stringify({ status, data, errors, extensions }, (key, value) => (key === 'latencyMs' ? undefined : value)));
}

function codesOf(answer: GraphQLResponse): string[] {
  return (answer.errors ?? []).map((e) => String(e.extensions?.code)).sort();
}

/** The main list of each root field; an answer "holds data" when it is non-empty. */
const MAIN_LIST: Record<string, string> = {
  searchTraces: 'edges',
  services: 'services',
  operations: 'operations',
  dependencies: 'edges',
  attributeKeys: 'names',
  attributeValues: 'names',
};

/** Root fields (by response key) whose answer is null or an empty main list. */
function emptyRootFields(document: EquivalenceDocument, data: Record<string, unknown> | null | undefined): string[] {
  if (!data) return ['(no data)'];
  const operation = parse(document.query).definitions.find(
    (d) => d.kind === 'OperationDefinition' && (document.operationName === undefined || d.name?.value === document.operationName),
  );
  const fields = operation?.kind === 'OperationDefinition' ? operation.selectionSet.selections : [];
  return fields.flatMap((selection) => {
    if (selection.kind !== 'Field') return [];
    const key = selection.alias?.value ?? selection.name.value;
    const value = data[key] as Record<string, unknown> | unknown[] | null;
    const list = Array.isArray(value) ? value.filter((v) => v !== null) : value?.[MAIN_LIST[selection.name.value] ?? ''];
    const isEmpty = value === null || (Array.isArray(list) && list.length === 0);
    return isEmpty ? [key] : [];
  });
}

const answers = new Map<string, Answer>();
const streamed = { jit: 0, reference: 0, whole: 0 };

describe('the JIT executor answers exactly as graphql-js', () => {
  it.each(documents.map((d) => [d.name, d] as const))(
    '%s',
    async (_, document) => {
      const [fromJit, fromReference] = await Promise.all([post(jit, document), post(reference, document)]);
      answers.set(document.name, fromReference);
      expect(withoutLatency(fromJit)).toEqual(withoutLatency(fromReference));
      for (const answer of [fromJit, fromReference]) {
        expect(answer.text.endsWith('\n')).toBe(true);
        expect(serialised.has(answer.text.slice(0, -1))).toBe(true);
      }
      expect(latencyBlind(fromJit.text)).toBe(latencyBlind(fromReference.text));
      streamed.jit += fromJit.isStreamed ? 1 : 0;
      streamed.reference += fromReference.isStreamed ? 1 : 0;
      streamed.whole += fromJit.isStreamed ? 0 : 1;
      expect(codesOf(fromReference)).toEqual(document.codes);
      if (document.answers) expect(emptyRootFields(document, fromReference.data)).toEqual([]);
      // The 1,000-span documents (tens of MB, compared three ways) take seconds on a busy machine.
    },
    30_000,
  );
});

describe('the equivalence documents', () => {
  it('were answered both streamed and whole, by both executors', () => {
    expect(streamed.jit).toBeGreaterThanOrEqual(10);
    expect(streamed.reference).toBe(streamed.jit);
    expect(streamed.whole).toBeGreaterThanOrEqual(25);
  });

  it('are valid against the schema, except those meant to fail validation', () => {
    const invalid = documents.flatMap((d) => {
      if (d.isInvalid) return [];
      const errors = validate(schema, parse(d.query));
      return errors.length > 0 ? [`${d.name}: ${errors.map((e) => e.message).join('; ')}`] : [];
    });
    expect(invalid).toEqual([]);
  });

  it('cover every field, argument, input field and input enum value of the schema with answered documents', () => {
    const used = new Set<string>();
    for (const d of documents.filter((d) => d.answers)) for (const c of coordinatesUsed(schema, d.query, d.variables)) used.add(c);
    const all = schemaCoordinates(schema);
    expect([...all].filter((c) => !used.has(c))).toEqual([]);
    // The check itself is live: a lone document leaves most of the schema uncovered.
    const lone = coordinatesUsed(schema, '{ backends { name } }');
    expect([...all].filter((c) => !lone.has(c))).toContain('Query.trace(id:)');
  });

  it('are mostly complete answers, and every error document fails with its code', () => {
    const complete = documents.filter((d) => d.answers && d.codes.length === 0);
    const errors = documents.filter((d) => !d.answers);
    expect(complete.length).toBeGreaterThanOrEqual(25);
    expect(errors.length).toBeGreaterThanOrEqual(25);
    expect(new Set(errors.flatMap((d) => d.codes))).toEqual(
      new Set([
        'INVALID_TRACE_ID',
        'UNKNOWN_BACKEND',
        'BAD_USER_INPUT',
        'BACKEND_UNAVAILABLE',
        'QUERY_TOO_COMPLEX',
        'RESULT_TOO_LARGE',
        'GRAPHQL_VALIDATION_FAILED',
        'GRAPHQL_PARSE_FAILED',
        'OPERATION_RESOLUTION_FAILURE',
        'INTERNAL_SERVER_ERROR',
      ]),
    );
  });

  it('are answered with every attribute type, span kind, status code, warning code and backend outcome', async () => {
    // Output enums, and the response keys their values appear under.
    const keysOf: Record<string, string[]> = {
      AttributeType: ['type'],
      SpanKind: ['kind', 'spanKind'],
      StatusCode: ['code'],
      TraceWarningCode: ['code'],
      OutcomeState: ['state'],
    };
    const seen = new Map<string, Set<unknown>>();
    const collect = (value: unknown, key: string): void => {
      if (Array.isArray(value)) for (const item of value) collect(item, key);
      else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
      else seen.set(key, (seen.get(key) ?? new Set()).add(value));
    };
    for (const d of documents.filter((d) => d.answers)) collect((answers.get(d.name) ?? (await post(reference, d))).data, '');
    const missing = Object.entries(keysOf).flatMap(([name, keys]) => {
      const type = schema.getType(name);
      const values = type && 'getValues' in type ? type.getValues().map((v) => v.name) : [`(${name} is not an enum)`];
      // MAPPING needs a backend that returns spans of another trace, which no test double does.
      return values.filter((v) => !keys.some((k) => seen.get(k)?.has(v)) && `${name}.${v}` !== 'TraceWarningCode.MAPPING').map((v) => `${name}.${v}`);
    });
    expect(missing).toEqual([]);
  });
});
