import { describe, expect, it } from 'vitest';
import { findNightlyReindexTrace, generateDemoSpans, NIGHTLY_REINDEX_OPERATION } from '../../src/demo/index.js';
import { buildTraceTree, findAttribute, spanKey, type Span } from '../../src/model/index.js';

const NOW_US = 1_750_000_000_000_000;
const HOUR_US = 3_600_000_000;
const spans = generateDemoSpans({ seed: 42, nowUs: NOW_US });

function byTrace(list: readonly Span[]): Map<string, Span[]> {
  const traces = new Map<string, Span[]>();
  for (const span of list) {
    const trace = traces.get(span.traceId) ?? [];
    trace.push(span);
    traces.set(span.traceId, trace);
  }
  return traces;
}
const traces = byTrace(spans);

function depthOf(trace: readonly Span[]): number {
  const tree = buildTraceTree(trace);
  let deepest = 0;
  for (const span of trace) {
    let depth = 1;
    for (let parent = tree.parentOf(span); parent !== null; parent = tree.parentOf(parent)) depth++;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

describe('generateDemoSpans', () => {
  it('gives identical spans for the same seed and now', () => {
    expect(generateDemoSpans({ seed: 42, nowUs: NOW_US })).toEqual(spans);
  });

  it('moves only the times when now moves', () => {
    const later = generateDemoSpans({ seed: 42, nowUs: NOW_US + 5_000_000 });
    const shift = (s: Span): Span => ({
      ...s,
      startTimeUs: s.startTimeUs - 5_000_000,
      events: s.events.map((e) => ({ ...e, timeUs: e.timeUs - 5_000_000 })),
    });
    expect(later.map(shift)).toEqual(spans);
  });

  it('gives other trace ids for another seed', () => {
    const other = new Set(generateDemoSpans({ seed: 7, nowUs: NOW_US }).map((s) => s.traceId));
    expect([...traces.keys()].filter((id) => other.has(id as never))).toEqual([]);
  });

  it('makes 300 traces, 4,732 spans, for seed 42', () => {
    expect(traces.size).toBe(300);
    expect(spans.length).toBe(4_732);
  });

  it('honours traceCount, counting the large trace, which keeps its id', () => {
    const small = generateDemoSpans({ seed: 42, nowUs: NOW_US, traceCount: 50 });
    expect(byTrace(small).size).toBe(50);
    expect(findNightlyReindexTrace(small)).toBe('fc399502bce824169cf1ea00b42069cf');
    expect(generateDemoSpans({ seed: 42, nowUs: NOW_US, traceCount: 0 })).toEqual([]);
  });

  it('uses the ten shop services', () => {
    expect([...new Set(spans.map((s) => s.service))].sort()).toEqual([
      'api-gateway',
      'auth-service',
      'cart-service',
      'catalog-service',
      'checkout-service',
      'email-service',
      'inventory-service',
      'payment-service',
      'shipping-service',
      'web-frontend',
    ]);
  });

  it('holds exactly one large trace: nightly-reindex, 1,000 spans, id fc3995…69cf for seed 42', () => {
    const large = [...traces].filter(([, t]) => t.length > 100);
    expect(large.map(([id, t]) => [id, t.length])).toEqual([['fc399502bce824169cf1ea00b42069cf', 1_000]]);
    const root = large[0]![1].find((s) => s.parentSpanId === null)!;
    expect([root.name, root.service, root.kind]).toEqual([NIGHTLY_REINDEX_OPERATION, 'catalog-service', 'INTERNAL']);
    expect(findNightlyReindexTrace(spans)).toBe('fc399502bce824169cf1ea00b42069cf');
  });

  it('puts errors with status messages in 24 of the 300 traces', () => {
    const failed = [...traces.values()].filter((t) => t.some((s) => s.status.code === 'ERROR'));
    expect(failed.length).toBe(24);
    for (const span of spans.filter((s) => s.status.code === 'ERROR')) expect(span.status.message, span.name).toMatch(/\S/);
    const messages = new Set(spans.map((s) => s.status.message));
    for (const message of [
      'payment declined: insufficient_funds',
      'DEADLINE_EXCEEDED: payment provider timed out after 2 attempts',
      'UNAVAILABLE: catalog database unavailable',
    ]) {
      expect(messages).toContain(message);
    }
  });

  it('records exceptions, cache misses and retries as events, inside their spans', () => {
    const names = new Set(spans.flatMap((s) => s.events.map((e) => e.name)));
    expect(names).toEqual(new Set(['exception', 'cache.miss', 'retry', 'fraud.check.completed', 'inventory.reserved']));
    for (const span of spans) {
      for (const event of span.events) {
        expect(event.timeUs).toBeGreaterThanOrEqual(span.startTimeUs);
        expect(event.timeUs).toBeLessThanOrEqual(span.startTimeUs + span.durationUs);
        if (event.name === 'exception') {
          expect(event.attributes.map((a) => a.key)).toEqual(['exception.type', 'exception.message', 'exception.stacktrace', 'exception.escaped']);
          expect(span.status.code).toBe('ERROR');
        }
      }
    }
  });

  it('links each shipping consumer root to a Kafka publish of an earlier trace', () => {
    const byId = new Map(spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
    const linked = spans.filter((s) => s.links.length > 0);
    expect(linked.length).toBe(22);
    for (const consumer of linked) {
      expect([consumer.kind, consumer.service, consumer.parentSpanId, consumer.links.length]).toEqual(['CONSUMER', 'shipping-service', null, 1]);
      const producer = byId.get(`${consumer.links[0]!.traceId}/${consumer.links[0]!.spanId}`);
      expect(producer?.kind).toBe('PRODUCER');
      expect(producer!.traceId).not.toBe(consumer.traceId);
      expect(consumer.startTimeUs).toBeGreaterThan(producer!.startTimeUs + producer!.durationUs);
    }
  });

  it('mixes 64-bit and 128-bit trace ids', () => {
    const short = [...traces.keys()].filter((id) => id.startsWith('0000000000000000'));
    expect(short.length).toBe(91);
    expect(traces.size - short.length).toBe(209);
  });

  it('starts and ends every child inside its parent, one root per trace, no repeated span id', () => {
    for (const [id, trace] of traces) {
      const tree = buildTraceTree(trace);
      expect(tree.roots.length, id).toBe(1);
      expect(tree.orphans, id).toEqual([]);
      expect(new Set(trace.map(spanKey)).size, id).toBe(trace.length);
      for (const span of trace) {
        const parent = tree.parentOf(span);
        if (parent === null) continue;
        expect(span.startTimeUs, `${id} ${span.name}`).toBeGreaterThanOrEqual(parent.startTimeUs);
        expect(span.startTimeUs + span.durationUs, `${id} ${span.name}`).toBeLessThanOrEqual(parent.startTimeUs + parent.durationUs);
      }
    }
  });

  it('nests 3 to 8 levels deep', () => {
    const depths = new Set([...traces.values()].map(depthOf));
    expect([...depths].sort()).toEqual([3, 4, 6, 8]);
  });

  it('places every trace in the hour before now', () => {
    for (const span of spans) {
      expect(span.startTimeUs).toBeGreaterThanOrEqual(NOW_US - HOUR_US);
      expect(span.startTimeUs + span.durationUs).toBeLessThanOrEqual(NOW_US);
    }
  });

  it('ranges durations from microseconds to seconds', () => {
    const durations = spans.map((s) => s.durationUs).sort((a, b) => a - b);
    expect(durations[0]).toBeLessThan(1_000);
    expect(durations.at(-1)).toBeGreaterThan(2_000_000);
    const slowTraces = [...traces.values()].filter(
      (t) => Math.max(...t.map((s) => s.startTimeUs + s.durationUs)) - Math.min(...t.map((s) => s.startTimeUs)) > 1_000_000,
    );
    expect(slowTraces.length).toBeGreaterThan(3);
  });

  it('speaks the HTTP, RPC, database and messaging semantic conventions', () => {
    const keys = new Set(spans.flatMap((s) => s.attributes.map((a) => a.key)));
    for (const key of [
      'http.request.method',
      'http.route',
      'http.response.status_code',
      'url.full',
      'rpc.system',
      'rpc.service',
      'rpc.method',
      'db.system',
      'db.statement',
      'db.operation',
      'messaging.system',
      'messaging.destination.name',
      'messaging.operation',
      'peer.service',
    ]) {
      expect(keys, key).toContain(key);
    }
    const status = spans.flatMap((s) => s.attributes).find((a) => a.key === 'http.response.status_code');
    expect(status?.type).toBe('INT');
    expect(new Set(spans.flatMap((s) => s.attributes.filter((a) => a.key === 'db.system').map((a) => a.value)))).toEqual(
      new Set(['postgresql', 'redis', 'elasticsearch']),
    );
  });

  it('gives every span host.name, service.version and deployment.environment resource attributes', () => {
    for (const span of spans) {
      expect(findAttribute(span.resource, 'host.name')?.value).toMatch(new RegExp(`^${span.service}-`));
      expect(findAttribute(span.resource, 'service.version')?.type).toBe('STRING');
      expect(findAttribute(span.resource, 'deployment.environment')?.value).toBe('production');
    }
  });
});
