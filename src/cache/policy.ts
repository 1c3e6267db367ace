/**
 * How long each kind of answer may be reused. Traces stop changing once their spans have all
 * arrived: a trace whose newest span ended longer ago than the settle time gets the long TTL, a
 * fresh one the short TTL (0 = not cached). "No such trace" is never cached: its spans may be on
 * their way.
 */
import { endTimeUs, type Span } from '../model/index.js';
import type { CacheConfig } from './config.js';

export function traceTtlSeconds(spans: readonly Span[], nowMs: number, ttl: CacheConfig['ttl']): number {
  if (spans.length === 0) return 0;
  let newestEndUs = 0;
  for (const span of spans) newestEndUs = Math.max(newestEndUs, endTimeUs(span));
  const ageSeconds = (nowMs * 1000 - newestEndUs) / 1_000_000;
  return ageSeconds >= ttl.traceSettleSeconds ? ttl.settledTraceSeconds : ttl.freshTraceSeconds;
}
