/**
 * The Jaeger, Zipkin and OTLP mappers on real wire data: answers recorded from the real Jaeger v2.13
 * and Zipkin 3.6.1 holding the integration dataset (scripts/record-fixtures.ts →
 * test/fixtures/recorded/). Each mapped trace must equal what the servers were sent, rebuilt from the
 * recorded base time, up to the losses each wire format is declared to have — no servers needed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JaegerApiV3TracesResponse } from '../../src/formats/otlp-json/wire.js';
import { otlpToSpans } from '../../src/formats/otlp-json/to-model.js';
import { jaegerTraceToSpans } from '../../src/formats/jaeger-json/to-model.js';
import { zipkinSpansToSpans } from '../../src/formats/zipkin-v2/to-model.js';
import type { ZipkinSpan } from '../../src/formats/zipkin-v2/wire.js';
import type { Span } from '../../src/model/index.js';
import { buildDataset, TRACE_IDS } from '../support/dataset/dataset.js';
import { normaliseTrace, type ContractTolerances } from '../backends/contract-normalise.js';

const dir = new URL('../fixtures/recorded/', import.meta.url);
const read = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, dir), 'utf8')) as T;
const meta = read<{ datasetBaseUs: number }>('meta.json');
const dataset = buildDataset(meta.datasetBaseUs);

const V1: ContractTolerances = { ignoresLinkRefType: true, dropsLinkAttributes: true };
const ZIPKIN: ContractTolerances = {
  attributeValuesAsText: true,
  lowerCasesNames: true,
  dropsLinks: true,
  dropsEventAttributes: true,
  dropsResource: true,
};

function byTrace(spans: readonly Span[]): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const s of spans) out.set(s.traceId, [...(out.get(s.traceId) ?? []), s]);
  return out;
}
const sent = (share: Span[], id: string) => share.filter((s) => s.traceId === id);

describe('recorded Jaeger answers', () => {
  it.each([
    ['v3-trace-checkout', TRACE_IDS.CHECKOUT],
    ['v3-trace-fulfil', TRACE_IDS.FULFIL],
  ])('api_v3 %s maps to exactly the spans sent, links and typed attributes included', (file, id) => {
    const spans = otlpToSpans(read<JaegerApiV3TracesResponse>(`jaeger/${file}.json`).result ?? {}, 'jaeger');
    expect(normaliseTrace(spans, {})).toEqual(normaliseTrace(sent(dataset.jaeger, id), {}));
  });

  it('v1 multi-get maps every trace to the spans sent (references carry no link attributes)', () => {
    const body = read<{ data: unknown[] }>('jaeger/v1-traces-many.json');
    const traces = byTrace(body.data.flatMap((t) => jaegerTraceToSpans(t as never, 'jaeger')));
    expect([...traces.keys()].sort()).toEqual(
      [TRACE_IDS.CHECKOUT, TRACE_IDS.FULFIL, TRACE_IDS.LEGACY64, TRACE_IDS.BOTH, TRACE_IDS.SPLIT, TRACE_IDS.SKEWED].sort(),
    );
    for (const [id, spans] of traces) expect(normaliseTrace(spans, V1), id).toEqual(normaliseTrace(sent(dataset.jaeger, id), V1));
  });

  it('search answers hold the traces of the service, whole', () => {
    const v3 = byTrace(otlpToSpans(read<JaegerApiV3TracesResponse>('jaeger/v3-search-frontend.json').result ?? {}, 'jaeger'));
    expect([...v3.keys()].sort()).toEqual([...new Set(dataset.jaeger.filter((s) => s.service === 'frontend').map((s) => s.traceId))].sort());
    for (const [id, spans] of v3) expect(spans).toHaveLength(sent(dataset.jaeger, id).length);
  });

  it('services lists are the services sent', () => {
    const services = [...new Set(dataset.jaeger.map((s) => s.service))].sort();
    expect(read<{ services: string[] }>('jaeger/v3-services.json').services.sort()).toEqual(services);
    expect(read<{ data: string[] }>('jaeger/v1-services.json').data.sort()).toEqual(services);
  });
});

describe('recorded Zipkin answers', () => {
  it('traceMany maps every trace to the spans sent, shared server halves included', () => {
    const traces = byTrace(read<ZipkinSpan[][]>('zipkin/trace-many.json').flatMap((t) => zipkinSpansToSpans(t, 'zipkin')));
    expect(traces.size).toBe(5);
    for (const [id, spans] of traces) expect(normaliseTrace(spans, ZIPKIN), id).toEqual(normaliseTrace(sent(dataset.zipkin, id), ZIPKIN));
    expect(traces.get(TRACE_IDS.HOME)!.filter((s) => s.isSharedServer)).toHaveLength(1);
  });

  it('a 64-bit trace comes back under its 16-digit id and maps to the padded canonical id', () => {
    const spans = zipkinSpansToSpans(read<ZipkinSpan[]>('zipkin/trace-home.json'), 'zipkin');
    expect(read<ZipkinSpan[]>('zipkin/trace-home.json')[0]!.traceId).toHaveLength(16);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([TRACE_IDS.HOME]));
  });

  it('services are the services sent', () => {
    expect(read<string[]>('zipkin/services.json')).toEqual([...new Set(dataset.zipkin.map((s) => s.service))].sort());
  });
});
