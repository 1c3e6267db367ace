import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES, type Backend, type CallOptions } from '../../src/backends/backend.js';
import { BackendCaches } from '../../src/cache/backend-caches.js';
import { CachingBackend } from '../../src/cache/caching-backend.js';
import { parseCacheConfig } from '../../src/cache/config.js';
import { LayeredCache } from '../../src/cache/layered.js';
import { CacheStats } from '../../src/cache/stats.js';
import { BackendError } from '../../src/errors.js';
import { createDeadline, federatedRemoteServices, type FanOutOptions } from '../../src/federation/index.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

/** A scripted backend that keeps remote services: `remote` maps a service to what it answers. */
class RemoteBackend extends ScriptedBackend {
  constructor(
    name: string,
    private readonly remote: Record<string, string[]>,
    private readonly failWith?: BackendError,
  ) {
    super(name, {}, NO_CAPABILITIES);
  }

  async getRemoteServices(service: string, _call: CallOptions): Promise<string[]> {
    this.calls.push({ method: 'getRemoteServices', args: service });
    if (this.failWith) throw this.failWith;
    return [...(this.remote[service] ?? [])];
  }
}

const options = (): FanOutOptions => ({ deadline: createDeadline(1_000), timeoutMs: () => 1_000 });
const remoteCalls = (b: ScriptedBackend) => b.calls.filter((c) => c.method === 'getRemoteServices').map((c) => c.args);

describe('federatedRemoteServices', () => {
  it('unions the names every backend lists, sorted, each with the backends that listed it', async () => {
    const a = new RemoteBackend('a', { web: ['users', 'auth'] });
    const b = new RemoteBackend('b', { web: ['cache', 'users'] });
    const result = await federatedRemoteServices('web', [a, b], options());
    expect(result.items).toEqual([
      { item: 'auth', sources: ['a'] },
      { item: 'cache', sources: ['b'] },
      { item: 'users', sources: ['a', 'b'] },
    ]);
    expect(result.outcomes.map((o) => [o.backend, o.state])).toEqual([
      ['a', 'OK'],
      ['b', 'OK'],
    ]);
  });

  it('asks each backend once, for the service asked', async () => {
    const a = new RemoteBackend('a', {});
    const b = new RemoteBackend('b', {});
    await federatedRemoteServices('Web', [a, b], options());
    expect([remoteCalls(a), remoteCalls(b)]).toEqual([['Web'], ['Web']]);
  });

  it('skips a backend that keeps no remote services, without calling it', async () => {
    const a = new RemoteBackend('a', { web: ['users'] });
    const jaeger = new ScriptedBackend('jaeger', {}, NO_CAPABILITIES, 'jaeger');
    const result = await federatedRemoteServices('web', [a, jaeger], options());
    expect(result.items).toEqual([{ item: 'users', sources: ['a'] }]);
    expect(result.outcomes.map((o) => [o.backend, o.state, o.code])).toEqual([
      ['a', 'OK', null],
      ['jaeger', 'SKIPPED', 'BACKEND_UNSUPPORTED'],
    ]);
    expect(jaeger.calls).toEqual([]);
  });

  it('keeps what the other backends listed when one fails', async () => {
    const a = new RemoteBackend('a', { web: ['users'] });
    const broken = new RemoteBackend('broken', {}, new BackendError('BACKEND_UNAVAILABLE', 'broken', 'connection refused'));
    const result = await federatedRemoteServices('web', [broken, a], options());
    expect(result.items).toEqual([{ item: 'users', sources: ['a'] }]);
    expect(result.outcomes.map((o) => [o.backend, o.state, o.code])).toEqual([
      ['broken', 'FAILED', 'BACKEND_UNAVAILABLE'],
      ['a', 'OK', null],
    ]);
  });
});

describe('federatedRemoteServices through the cache', () => {
  function cached(backends: Backend[], metadataSeconds = 300) {
    const config = parseCacheConfig({ ttl: { metadataSeconds } });
    const layered = new LayeredCache(config, new CacheStats(), undefined);
    const caches = new BackendCaches(
      new Map(backends.map((b) => [b, new CachingBackend(b, { name: b.name, fingerprint: 'f' }, layered, config.ttl)])),
    );
    return { ...options(), cache: caches.forScope(undefined) };
  }

  it('answers the same service from the cache the second time, and another service from the backend', async () => {
    const a = new RemoteBackend('a', { web: ['users'], users: ['postgres'] });
    const withCache = cached([a]);
    const first = await federatedRemoteServices('web', [a], withCache);
    const second = await federatedRemoteServices('web', [a], withCache);
    const other = await federatedRemoteServices('users', [a], withCache);
    expect([first, second, other].map((r) => [r.items.map((i) => i.item), r.outcomes[0]!.cached])).toEqual([
      [['users'], false],
      [['users'], true],
      [['postgres'], false],
    ]);
    expect(remoteCalls(a)).toEqual(['web', 'users']);
  });

  it('is not kept when metadata answers are not cached (metadataSeconds 0)', async () => {
    const a = new RemoteBackend('a', { web: ['users'] });
    const withCache = cached([a], 0);
    await federatedRemoteServices('web', [a], withCache);
    await federatedRemoteServices('web', [a], withCache);
    expect(remoteCalls(a)).toEqual(['web', 'web']);
  });

  it('still skips a backend without remote services behind the cache', async () => {
    const jaeger = new ScriptedBackend('jaeger', {}, NO_CAPABILITIES, 'jaeger');
    const result = await federatedRemoteServices('web', [jaeger], cached([jaeger]));
    expect(result.outcomes.map((o) => o.state)).toEqual(['SKIPPED']);
  });

  it('does not store a failed answer', async () => {
    const broken = new RemoteBackend('broken', {}, new BackendError('BACKEND_UNAVAILABLE', 'broken', 'down'));
    const withCache = cached([broken]);
    await federatedRemoteServices('web', [broken], withCache);
    const again = await federatedRemoteServices('web', [broken], withCache);
    expect(again.outcomes.map((o) => o.state)).toEqual(['FAILED']);
    expect(remoteCalls(broken)).toEqual(['web', 'web']);
  });
});
