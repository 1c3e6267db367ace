/**
 * Zipkin's published SmartThings trace (openzipkin/zipkin `zipkin-lens/testdata/smartthings-oauth-authorization.json`,
 * copied byte for byte to test/fixtures/public/zipkin/, see test/fixtures/public/SOURCES.md): 175 spans, 19 without
 * duration, five SERVER halves answering the one CLIENT span 9d2d35b746db84f3 from two hosts. Sent to a
 * real Zipkin with its times shifted to now (a Zipkin keeps only recent traces searchable). Used by
 * test/integration/exactness/zipkin.int.test.ts and, recorded, by test/formats/recorded-exactness.test.ts.
 */
import { readFileSync } from 'node:fs';
import type { ZipkinSpan } from '../../../src/formats/zipkin-v2/wire.js';

export const SMARTTHINGS = {
  /** As Zipkin stores and answers it: a 64-bit id, 16 hex. */
  trace: '8ce82b2e9ed820ba',
  /** The CLIENT span whose five shared SERVER halves run on two hosts. */
  sharedId: '9d2d35b746db84f3',
} as const;

export type WireSpan = ZipkinSpan & { id: string; timestamp: number; localEndpoint: { serviceName: string; ipv4?: string } };

export const readSmartThings = (): WireSpan[] =>
  JSON.parse(readFileSync(new URL('../../fixtures/public/zipkin/smartthings-oauth-authorization.json', import.meta.url), 'utf8')) as WireSpan[];

/** The spans with every time moved by the same amount, so the earliest starts at `startUs`. */
export function shiftedTo(spans: WireSpan[], startUs: number): WireSpan[] {
  const delta = startUs - Math.min(...spans.map((s) => s.timestamp));
  return spans.map((s) => ({
    ...s,
    timestamp: s.timestamp + delta,
    ...(s.annotations ? { annotations: s.annotations.map((a) => ({ ...a, timestamp: a.timestamp + delta })) } : {}),
  }));
}
