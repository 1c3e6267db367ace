/**
 * Remote services of one service across backends (Zipkin's `/api/v2/remoteServices`): the union of
 * names, sorted, each listing the backends that reported it. Only backends that keep remote services
 * apart from other tags are asked (backends/backend.ts `getRemoteServices`: Zipkin, Zipkin's
 * Elasticsearch schema, the memory store); the others are SKIPPED, so an empty list from a Jaeger-only
 * setup reads as "not known", not "calls nothing".
 */
import type { Backend } from '../backends/backend.js';
import { ENDPOINT_ATTRIBUTES } from '../formats/otel/index.js';
import { compareText } from '../model/index.js';
import { redactNames } from '../redaction/index.js';
import { fanOut, type FanOutOptions } from './fan-out.js';
import { collect, type Federated, type Sourced } from './metadata.js';

export async function federatedRemoteServices(
  service: string,
  backends: readonly Backend[],
  options: FanOutOptions,
): Promise<Federated<Sourced<string>>> {
  if (options.services !== undefined && !options.services.sees(service)) return { items: [], outcomes: [] };
  const entries = await fanOut(backends, (b, call) => b.getRemoteServices!(service, call), {
    ...options,
    skipReason: (b) => (b.getRemoteServices ? null : `${b.kind} backend keeps no remote services`),
  });
  const items = collect(entries, (s) => s)
    .filter((s) => options.services === undefined || options.services.sees(s.item))
    .sort((a, b) => compareText(a.item, b.item));
  // Remote services are peer.service values: redacted as that attribute's values are.
  return {
    items: options.redaction === undefined ? items : redactNames('values', ENDPOINT_ATTRIBUTES.remoteService, items, options.redaction),
    outcomes: entries.map((e) => e.outcome),
  };
}
