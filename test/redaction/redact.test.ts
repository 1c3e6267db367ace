import { describe, expect, it } from 'vitest';
import { mergeTrace } from '../../src/federation/index.js';
import { type Attribute, type AttributeJson, boolAttr, doubleAttr, intAttr, type MergedTrace, type Span, stringAttr } from '../../src/model/index.js';
import { type RedactionConfig, Redactor, redactionConfigSchema } from '../../src/redaction/index.js';
import { redactSpan, redactTrace } from '../../src/redaction/redact.js';
import { makeSpan, TRACE } from '../support/make-span.js';
import { fixtureTraces } from './fixture-traces.js';

function redactor(config: Partial<RedactionConfig> = {}): Redactor {
  return new Redactor(redactionConfigSchema.parse({ enabled: true, ...config }));
}

const merge = (spans: Span[]): MergedTrace => mergeTrace(TRACE, [spans], { lenientTraceIds: false, raw: false, clockSkew: 'off', maxClockSkewUs: 0 });

/** Every string a value rule reads in a span: names, messages, warnings and string values at any depth. */
function textsOf(span: Span): string[] {
  const out = [span.name, ...span.warnings, ...(span.status.message === null ? [] : [span.status.message])];
  const walk = (value: AttributeJson): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  const attributes = (list: Attribute[]): void => {
    for (const a of list) if (a.type === 'STRING' || a.type === 'ARRAY' || a.type === 'MAP') walk(a.value);
  };
  attributes(span.attributes);
  attributes(span.resource);
  for (const event of span.events) {
    out.push(event.name);
    attributes(event.attributes);
  }
  for (const link of span.links) attributes(link.attributes);
  return out;
}

function allAttributes(span: Span): Attribute[] {
  return [...span.attributes, ...span.resource, ...span.events.flatMap((e) => e.attributes), ...span.links.flatMap((l) => l.attributes)];
}

describe('redactTrace over the wire fixtures', () => {
  const fixtures = fixtureTraces();
  it('reads the fixtures of every format', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    for (const folder of ['public/jaeger/', 'public/zipkin/', 'public/otlp/', 'recorded/jaeger/', 'recorded/zipkin/', 'int64/']) {
      expect(fixtures.some((f) => f.name.startsWith(folder))).toBe(true);
    }
  });

  it.each(fixtures)('returns $name as is when no rule matches', ({ trace }) => {
    const rules = redactor({ keys: ['no.such.key'], valuePatterns: [{ name: 'none', pattern: 'zq-never-qz', ignoreCase: false }] });
    expect(redactTrace(trace, rules)).toBe(trace);
  });

  // The first key of the first span's attributes (or resource), upper-cased: keys match without regard to case.
  it.each(fixtures)('replaces key and value matches in $name and nothing else', ({ trace }) => {
    const first = trace.spans[0]!;
    const key = (first.attributes[0] ?? first.resource[0])?.key ?? 'no.such.key';
    const rules = redactor({ replacement: '#', keys: [key.toUpperCase()], valuePatterns: [{ name: 'letterA', pattern: 'a', ignoreCase: false }] });
    const before = structuredClone(trace.spans);
    const redacted = redactTrace(trace, rules);

    expect(trace.spans).toEqual(before); // the shared merged trace is never changed in place
    expect(redacted.spans.map((s) => s.spanId)).toEqual(trace.spans.map((s) => s.spanId));
    for (const [i, span] of redacted.spans.entries()) {
      const original = trace.spans[i]!;
      for (const text of textsOf(span)) expect(text).not.toContain('a');
      const attributes = allAttributes(span);
      const originals = allAttributes(original);
      for (const [j, attribute] of attributes.entries()) {
        if (attribute.key.toLowerCase() === key.toLowerCase()) expect(attribute).toEqual({ key: attribute.key, type: 'STRING', value: '#' });
        else if (!['STRING', 'ARRAY', 'MAP'].includes(attribute.type)) expect(attribute).toBe(originals[j]); // INT (int64 text too), DOUBLE, BOOL, BYTES
      }
      const touched = textsOf(original).some((t) => t.includes('a')) || originals.some((a) => a.key.toLowerCase() === key.toLowerCase());
      if (!touched) expect(span).toBe(original);
      // The merge's tree answers for the new objects: same parent, same children, by position.
      expect(redacted.tree.holds(span)).toBe(true);
      const parent = trace.tree.parentOf(original);
      expect(redacted.tree.parentOf(span)).toBe(parent === null ? null : redacted.spans[trace.spans.indexOf(parent)]);
      expect(redacted.tree.childrenOf(span)).toEqual(trace.tree.childrenOf(original).map((c) => redacted.spans[trace.spans.indexOf(c)]));
    }
    expect(redacted.tree.roots.map((s) => redacted.spans.indexOf(s))).toEqual(trace.tree.roots.map((s) => trace.spans.indexOf(s)));
  });
});

describe('redactSpan on edge values', () => {
  const rules = redactor({
    keys: ['db.statement', 'authorization', 'http.request.headers.cookie'],
    valuePatterns: ['bearerToken', 'cardNumber', 'email'],
  });

  it('leaves int64 text, doubles and booleans to key rules: a Luhn-valid 19-digit int64 stays', () => {
    // 4111111111111111110 > 2^53: kept as decimal text (type INT); it passes Luhn and starts with 4.
    const big = intAttr('order.id', '4111111111111111110');
    expect(big.value).toBe('4111111111111111110');
    const span = makeSpan('a', { attributes: [big, doubleAttr('ratio', Number.NaN), boolAttr('ok', true)] });
    expect(redactSpan(span, rules)).toBe(span);
    // The same digits as text are a card number.
    expect(redactSpan(makeSpan('a', { attributes: [stringAttr('note', '4111111111111111110')] }), rules).attributes[0]!.value).toBe('[REDACTED]');
  });

  it('replaces the whole value of a redacted key whatever its type, and matches keys without regard to case', () => {
    const span = makeSpan('a', {
      attributes: [intAttr('Authorization', 42), { key: 'DB.Statement', type: 'MAP', value: { sql: 'select 1' } }, stringAttr('other', 'x')],
    });
    const out = redactSpan(span, rules);
    expect(out.attributes).toEqual([stringAttr('Authorization', '[REDACTED]'), stringAttr('DB.Statement', '[REDACTED]'), stringAttr('other', 'x')]);
    expect(out.attributes[2]).toBe(span.attributes[2]);
  });

  it('matches keys inside maps, alone and by dotted path, and value rules at every depth', () => {
    const headers: Attribute = {
      key: 'http.request.headers',
      type: 'MAP',
      value: { cookie: 'sid=1', Authorization: 'Bearer abc', accept: 'text/html', nested: { list: ['mail me@example.com', 7, null] } },
    };
    const list: Attribute = { key: 'contacts', type: 'ARRAY', value: ['ops@example.org', { authorization: 'x' }, true] };
    const out = redactSpan(makeSpan('a', { attributes: [headers, list] }), rules);
    expect(out.attributes[0]!.value).toEqual({
      cookie: '[REDACTED]', // by its dotted path http.request.headers.cookie
      Authorization: '[REDACTED]', // by the nested key alone
      accept: 'text/html',
      nested: { list: ['mail [REDACTED]', 7, null] },
    });
    expect(out.attributes[1]!.value).toEqual(['[REDACTED]', { authorization: '[REDACTED]' }, true]);
    expect((out.attributes[0]!.value as Record<string, AttributeJson>).accept).toBe('text/html');
    expect(headers.value).toEqual(expect.objectContaining({ cookie: 'sid=1', Authorization: 'Bearer abc' }));
  });

  it('keeps unicode around what it replaces (surrogate pairs, accents, right-to-left text)', () => {
    const span = makeSpan('a', {
      name: '🔑 GET /me?access_token=ünï€ode-tøken&x=1 — ✓',
      attributes: [stringAttr('msg', 'مرحبا jane@例え.jp 👩‍💻 bob@example.com ✓'), stringAttr('card', '💳 4111 1111 1111 1111 💳')],
    });
    const out = redactSpan(span, rules);
    expect(out.name).toBe('🔑 GET /me?access_token=[REDACTED]&x=1 — ✓');
    expect(out.attributes[0]!.value).toBe('مرحبا jane@例え.jp 👩‍💻 [REDACTED] ✓');
    expect(out.attributes[1]!.value).toBe('💳 [REDACTED] 💳');
  });

  it('redacts span and event names, event, link and resource attributes, the status message and warnings', () => {
    const span = makeSpan('a', {
      name: 'GET /verify/eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.',
      resource: [stringAttr('owner', 'team@example.com')],
      events: [{ name: 'login bob@example.com', timeUs: 1_000, attributes: [stringAttr('authorization', 'Basic Zm9vOmJhcg==')] }],
      links: [{ traceId: TRACE, spanId: makeSpan('b').spanId, refType: null, attributes: [stringAttr('by', 'Bearer zzz')] }],
      status: { code: 'ERROR', message: 'rejected Bearer abc' },
      warnings: ["tag 'x' has odd value 'Bearer abc'"],
    });
    const out = redactSpan(span, rules);
    expect(out.name).toBe('GET /verify/[REDACTED]');
    expect(out.resource).toEqual([stringAttr('owner', '[REDACTED]')]);
    expect(out.events).toEqual([{ name: 'login [REDACTED]', timeUs: 1_000, attributes: [stringAttr('authorization', '[REDACTED]')] }]);
    expect(out.links[0]!.attributes).toEqual([stringAttr('by', 'Bearer [REDACTED]')]);
    expect(out.status).toEqual({ code: 'ERROR', message: 'rejected Bearer [REDACTED]' });
    expect(out.warnings).toEqual(["tag 'x' has odd value 'Bearer [REDACTED]'"]);
  });

  it('returns an untouched span as is and shares the lists a change did not reach', () => {
    const span = makeSpan('a', {
      attributes: [stringAttr('a', '1'), stringAttr('mail', 'x@example.com')],
      events: [{ name: 'e', timeUs: 1, attributes: [] }],
    });
    expect(redactSpan(makeSpan('b'), rules)).toEqual(makeSpan('b'));
    const clean = makeSpan('c', { attributes: [stringAttr('a', '1')] });
    expect(redactSpan(clean, rules)).toBe(clean);
    const out = redactSpan(span, rules);
    expect(out.attributes[0]).toBe(span.attributes[0]);
    expect(out.events).toBe(span.events);
    expect(out.resource).toBe(span.resource);
    expect(out.status).toBe(span.status);
  });
});

describe('Redactor', () => {
  it('gives every request for one merged trace the same redacted trace', () => {
    const rules = redactor();
    const trace = merge([
      makeSpan('a', { attributes: [stringAttr('http.request.header.authorization', 'Bearer x')] }),
      makeSpan('b', { parent: 'a' }),
    ]);
    const first = rules.trace(trace);
    expect(first).not.toBe(trace);
    expect(rules.trace(trace)).toBe(first);
    // The untouched child keeps its object, and the tree links it to the new parent.
    expect(first.spans[1]).toBe(trace.spans[1]);
    expect(first.tree.parentOf(first.spans[1]!)).toBe(first.spans[0]);
    expect(first.tree.childrenOf(first.spans[0]!)).toEqual([first.spans[1]]);
    expect(first.tree.holds(trace.spans[0]!)).toBe(false);
    expect(first.tree.roots).toEqual([first.spans[0]]);
  });

  it('replaces a string longer than maxScanChars whole rather than scan it, and only when value rules exist', () => {
    const long = `${'x'.repeat(100)} plain`;
    expect(redactor({ maxScanChars: 50 }).redactText(long)).toBe('[REDACTED]');
    expect(redactor({ maxScanChars: 50, valuePatterns: [] }).redactText(long)).toBe(long);
    expect(redactor({ maxScanChars: 200 }).redactText(long)).toBe(long);
  });

  it('is off unless enabled', () => {
    expect(Redactor.fromConfig(redactionConfigSchema.parse({}))).toBeUndefined();
    expect(Redactor.fromConfig(redactionConfigSchema.parse({ enabled: true }))).toBeInstanceOf(Redactor);
  });

  it('matches key patterns without regard to case', () => {
    const rules = redactor({ keys: [], keyPatterns: ['^app\\.secret\\.', 'password'] });
    expect(rules.isRedactedKey('APP.Secret.token')).toBe(true);
    expect(rules.isRedactedKey('user.Password')).toBe(true);
    expect(rules.isRedactedKey('app.public')).toBe(false);
  });
});
