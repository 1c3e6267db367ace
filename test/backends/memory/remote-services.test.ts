import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../../../src/backends/backend.js';
import { MemoryBackend } from '../../../src/backends/memory/index.js';
import { BackendError } from '../../../src/errors.js';
import { spansToZipkinSpans } from '../../../src/formats/zipkin-v2/index.js';
import { intAttr, stringAttr, type Span } from '../../../src/model/index.js';
import { makeSpan } from '../../support/make-span.js';

const call = (): CallOptions => ({ signal: new AbortController().signal });

/** What Zipkin would list for `service`: remoteEndpoint.serviceName of its spans as from-model writes them. */
function zipkinRemoteServices(spans: readonly Span[], service: string): string[] {
  const names = spansToZipkinSpans(spans)
    .filter((s) => s.localEndpoint?.serviceName === service)
    .flatMap((s) => (s.remoteEndpoint?.serviceName !== undefined ? [s.remoteEndpoint.serviceName] : []));
  return [...new Set(names)].sort();
}

const SPANS: Span[] = [
  makeSpan('1', { service: 'web', kind: 'CLIENT', attributes: [stringAttr('peer.service', 'users')] }),
  makeSpan('2', { service: 'web', kind: 'CLIENT', attributes: [stringAttr('peer.service', 'auth')] }),
  makeSpan('3', { service: 'web', kind: 'CLIENT', attributes: [stringAttr('peer.service', 'users')] }),
  // A resource-level peer.service counts when the span has none of its own; the span's own wins.
  makeSpan('4', { service: 'web', resource: [stringAttr('peer.service', 'cache')] }),
  makeSpan('5', { service: 'web', attributes: [stringAttr('peer.service', 'queue')], resource: [stringAttr('peer.service', 'ignored')] }),
  // Not a remote endpoint in Zipkin's terms: empty, or not text.
  makeSpan('6', { service: 'web', attributes: [stringAttr('peer.service', '')] }),
  makeSpan('7', { service: 'web', attributes: [intAttr('peer.service', 42)] }),
  makeSpan('8', { service: 'users', kind: 'CLIENT', attributes: [stringAttr('peer.service', 'postgres')] }),
  makeSpan('9', { service: 'users', kind: 'SERVER' }),
];

function loaded(spans: readonly Span[] = SPANS): MemoryBackend {
  const backend = new MemoryBackend('mem');
  backend.addSpans(spans);
  return backend;
}

describe('memory getRemoteServices', () => {
  const cases: Array<{ description: string; service: string; expected: string[] }> = [
    { description: "lists each peer.service of the service's spans once, sorted", service: 'web', expected: ['auth', 'cache', 'queue', 'users'] },
    { description: 'lists only the asked service', service: 'users', expected: ['postgres'] },
    { description: 'answers [] for a service that calls nothing named', service: 'auth', expected: [] },
    { description: 'answers [] for a service it does not hold', service: 'nobody', expected: [] },
    { description: 'compares service names as stored (case-sensitively)', service: 'WEB', expected: [] },
  ];

  it.each(cases)('$description', async ({ service, expected }) => {
    expect(await loaded().getRemoteServices(service, call())).toEqual(expected);
  });

  it.each(['web', 'users', 'auth'])('agrees with the remoteEndpoint.serviceName Zipkin would hold for %s', async (service) => {
    expect(await loaded().getRemoteServices(service, call())).toEqual(zipkinRemoteServices(SPANS, service));
  });

  it('forgets a remote service once the only span naming it is replaced', async () => {
    const backend = loaded();
    backend.addSpans([makeSpan('2', { service: 'web', kind: 'CLIENT', attributes: [stringAttr('peer.service', 'billing')] })]);
    expect(await backend.getRemoteServices('web', call())).toEqual(['billing', 'cache', 'queue', 'users']);
  });

  it('returns a list the caller owns', async () => {
    const backend = loaded();
    (await backend.getRemoteServices('web', call())).push('mutated');
    expect(await backend.getRemoteServices('web', call())).not.toContain('mutated');
  });

  it('rejects an aborted call with BACKEND_TIMEOUT', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await loaded()
      .getRemoteServices('web', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('BACKEND_TIMEOUT');
  });
});
