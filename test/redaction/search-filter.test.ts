import { describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, type TraceQuery } from '../../src/backends/backend.js';
import { parseConfig } from '../../src/config/index.js';
import { ErrorCode, TracegateError } from '../../src/errors.js';
import { createDeadline, federatedNames, federatedOperations, federatedRemoteServices, Gateway, searchTraces } from '../../src/federation/index.js';
import type { Operation } from '../../src/backends/backend.js';
import { type RedactionConfig, REDACTED_FILTER, Redactor, redactionConfigSchema } from '../../src/redaction/index.js';
import { checkSearch, redactNames, redactOperations } from '../../src/redaction/search-filter.js';
import { parseTraceId } from '../../src/model/index.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

function redactor(config: Partial<RedactionConfig> = {}): Redactor {
  return new Redactor(redactionConfigSchema.parse({ enabled: true, ...config }));
}

const query = (fields: Partial<TraceQuery>): TraceQuery => ({
  service: null,
  operation: null,
  attributes: [],
  minDurationUs: null,
  maxDurationUs: null,
  window: { startUs: 0, endUs: 1_000 },
  limit: 10,
  ...fields,
});

function refusal(run: () => void): TracegateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TracegateError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkSearch', () => {
  const rules = redactor({ keys: ['db.statement'], keyPatterns: ['^secret\\.'], valuePatterns: ['bearerToken', 'cardNumber'] });

  const refused: Array<{ description: string; q: Partial<TraceQuery>; argument: string }> = [
    { description: 'a redacted key, whatever its case', q: { attributes: [{ key: 'DB.Statement', value: 'select 1' }] }, argument: 'attributes' },
    { description: 'a key a key pattern matches', q: { attributes: [{ key: 'secret.pin', value: '1' }] }, argument: 'attributes' },
    { description: 'a value a value rule matches', q: { attributes: [{ key: 'http.url', value: '/?access_token=abc' }] }, argument: 'attributes' },
    { description: 'a card number as value', q: { attributes: [{ key: 'note', value: '4111 1111 1111 1111' }] }, argument: 'attributes' },
    { description: 'the replacement text as value', q: { attributes: [{ key: 'user', value: '[REDACTED]' }] }, argument: 'attributes' },
    { description: 'an operation a value rule matches', q: { operation: 'GET /x?access_token=abc' }, argument: 'operation' },
    { description: 'the replacement text as operation', q: { operation: '[REDACTED]' }, argument: 'operation' },
  ];
  it.each(refused)('refuses $description with BAD_USER_INPUT, reason REDACTED_FILTER', ({ q, argument }) => {
    const error = refusal(() => checkSearch(query(q), rules));
    expect(error.extensions).toEqual({ code: ErrorCode.BAD_USER_INPUT, reason: REDACTED_FILTER, argument });
  });

  it('never repeats the value in its message', () => {
    const error = refusal(() => checkSearch(query({ attributes: [{ key: 'auth', value: 'Bearer sekrit-value' }] }), rules));
    expect(error.message).not.toContain('sekrit');
    expect(error.message).toContain("'bearerToken'");
  });

  it('refuses the default keys (Authorization and cookie headers) when keys is not configured', () => {
    const defaults = redactor();
    for (const key of ['http.request.header.authorization', 'HTTP.Request.Header.Cookie', 'http.response.header.set-cookie']) {
      expect(refusal(() => checkSearch(query({ attributes: [{ key, value: 'x' }] }), defaults)).extensions.reason).toBe(REDACTED_FILTER);
    }
  });

  it('lets other searches through', () => {
    expect(() => checkSearch(query({ operation: 'GET /x', attributes: [{ key: 'http.status_code', value: '500' }] }), rules)).not.toThrow();
  });
});

describe('redactNames and redactOperations', () => {
  const rules = redactor({ keys: ['db.statement'], valuePatterns: ['email'] });
  const sourced = (items: string[]) => items.map((item) => ({ item, sources: ['b1'] }));

  it('drops redacted keys from the keys answer', () => {
    expect(redactNames('keys', null, sourced(['DB.STATEMENT', 'http.method']), rules).map((n) => n.item)).toEqual(['http.method']);
  });

  it('answers no values for a redacted key and drops values a rule matches', () => {
    expect(redactNames('values', 'db.statement', sourced(['select 1']), rules)).toEqual([]);
    expect(redactNames('values', 'user', sourced(['ann@example.com', 'bob', '[REDACTED]']), rules).map((n) => n.item)).toEqual(['bob']);
  });

  it('folds operations that differ only by a redacted part, sources unioned, sorted again', () => {
    const ops = (entries: Array<[string, string]>) =>
      entries.map(([name, source]) => ({ item: { name, spanKind: 'SERVER' } as Operation, sources: [source] }));
    const input = ops([
      ['mail a@example.com', 'b1'],
      ['mail b@example.com', 'b2'],
      ['health', 'b1'],
    ]);
    expect(redactOperations(input, rules)).toEqual([
      { item: { name: 'health', spanKind: 'SERVER' }, sources: ['b1'] },
      { item: { name: 'mail [REDACTED]', spanKind: 'SERVER' }, sources: ['b1', 'b2'] },
    ]);
    expect(input[0]!.sources).toEqual(['b1']);
    const clean = ops([['health', 'b1']]);
    expect(redactOperations(clean, rules)).toBe(clean);
  });
});

describe('the federation applies the request redaction', () => {
  function setup() {
    const backend = new ScriptedBackend('b1', {}, { ...ALL_CAPABILITIES });
    const withKeys = Object.assign(backend, {
      getAttributeKeys: async () => ['db.statement', 'user'],
      getRemoteServices: async () => ['ann@example.com', 'billing'],
      getAttributeValues: async (key: string) => (key === 'user' ? ['ann@example.com', 'bob'] : ['select 1']),
      getOperations: async () => [
        { name: 'GET /?access_token=one', spanKind: 'SERVER' as const },
        { name: 'GET /?access_token=two', spanKind: 'SERVER' as const },
      ],
    });
    const gateway = new Gateway({
      backends: [withKeys],
      federation: parseConfig({}).federation,
      timeoutsMs: new Map(),
      enabled: new Set(['b1']),
      logger: { info() {}, warn() {}, error() {} },
      redaction: redactor({ keys: ['db.statement'], valuePatterns: ['bearerToken', 'email'] }),
    });
    return { backend, options: gateway.fanOutOptions(createDeadline(1_000)) };
  }

  it('searchTraces refuses before any backend is asked', async () => {
    const { backend, options } = setup();
    await expect(searchTraces(query({ attributes: [{ key: 'db.statement', value: 'x' }] }), [backend], options)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', reason: REDACTED_FILTER },
    });
    expect(backend.calls).toEqual([]);
  });

  it('searchTraces redacts the root operation of the hits', async () => {
    const { backend, options } = setup();
    backend.script.summaries = [
      {
        traceId: parseTraceId('1'),
        rootService: 's',
        rootOperation: 'GET /?access_token=abc',
        startTimeUs: 1,
        durationUs: 1,
        spanCount: 1,
        errorCount: 0,
        services: ['s'],
        sources: ['b1'],
      },
    ];
    const result = await searchTraces(query({}), [backend], options);
    expect(result.hits[0]!.rootOperation).toBe('GET /?access_token=[REDACTED]');
  });

  it('federatedNames, federatedRemoteServices and federatedOperations answer without what redaction hides', async () => {
    const { backend, options } = setup();
    expect((await federatedNames('keys', null, [backend], options)).items.map((n) => n.item)).toEqual(['user']);
    expect((await federatedNames('values', 'user', [backend], options)).items.map((n) => n.item)).toEqual(['bob']);
    expect((await federatedNames('values', 'DB.statement', [backend], options)).items).toEqual([]);
    expect((await federatedRemoteServices('s', [backend], options)).items.map((n) => n.item)).toEqual(['billing']);
    expect((await federatedOperations('s', null, [backend], options)).items).toEqual([
      { item: { name: 'GET /?access_token=[REDACTED]', spanKind: 'SERVER' }, sources: ['b1'] },
    ]);
  });
});
