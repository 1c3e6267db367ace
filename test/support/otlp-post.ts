/**
 * Hand-written OTLP/JSON sent to a real Jaeger collector, for traces the canonical dataset writer
 * (dataset/to-otlp.ts) cannot express: arrays, maps, empty bytes, NaN doubles, nameless events, links
 * with attributes. Waits through Jaeger's api_v3, which answers every trace it holds (its v1 API fails
 * a trace holding a NaN double with HTTP 500).
 */
import type { OtlpKeyValue, OtlpTracesData } from '../../src/formats/otlp-json/wire.js';
import { sleep } from './harness/process.js';

/** POST /v1/traces, failing on anything but 200 and on a partial success that rejected spans. */
export async function postOtlp(otlpBaseUrl: string, body: OtlpTracesData): Promise<void> {
  const response = await fetch(`${otlpBaseUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${otlpBaseUrl}/v1/traces → ${response.status}: ${text.slice(0, 300)}`);
  const partial = (JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number } }).partialSuccess;
  if (Number(partial?.rejectedSpans ?? 0) > 0) throw new Error(`POST ${otlpBaseUrl}/v1/traces rejected spans: ${text.slice(0, 300)}`);
}

/** Spans Jaeger's api_v3 returns for `traceId` (0 while it holds none). */
async function jaegerV3SpanCount(queryBaseUrl: string, traceId: string): Promise<number> {
  const response = await fetch(`${queryBaseUrl}/api/v3/traces/${traceId}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    await response.arrayBuffer();
    return 0;
  }
  const body = (await response.json()) as OtlpTracesData & { result?: OtlpTracesData };
  let count = 0;
  for (const rs of body.result?.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) count += ss.spans?.length ?? 0;
  return count;
}

/** Polls until Jaeger returns at least `spanCount` spans for every trace in `expected` (writes land asynchronously). */
export async function waitForJaegerTraces(queryBaseUrl: string, expected: Readonly<Record<string, number>>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [traceId, spanCount] of Object.entries(expected)) {
    for (;;) {
      const held = await jaegerV3SpanCount(queryBaseUrl, traceId);
      if (held >= spanCount) break;
      if (Date.now() > deadline)
        throw new Error(`Jaeger at ${queryBaseUrl} holds ${held} of ${spanCount} spans of trace ${traceId} after ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }
}

/** OTLP's nanosecond time text for a time in µs. */
export const nanos = (us: number): string => `${BigInt(us) * 1000n}`;

/** An OTLP string attribute. */
export const otlpString = (key: string, value: string): OtlpKeyValue => ({ key, value: { stringValue: value } });
