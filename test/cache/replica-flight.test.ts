import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCacheConfig } from '../../src/cache/config.js';
import { lockKeyOf } from '../../src/cache/keys.js';
import { type FlightWork, type LockStore, type Peeked, ReplicaFlight } from '../../src/cache/replica-flight.js';
import { CacheStats } from '../../src/cache/stats.js';

/** Redis as the lock sees it, on vitest's fake clock: entries, and locks that expire after their TTL. */
class FakeRedis implements LockStore {
  isUsableForLocks = true;
  failLocks = false;
  readonly entries = new Map<string, string>();
  readonly locks = new Map<string, { token: string; expiresAt: number; shared?: Buffer }>();
  readonly commands: string[] = [];

  private held(lockKey: string) {
    const lock = this.locks.get(lockKey);
    return lock && lock.expiresAt > Date.now() ? lock : undefined;
  }
  async tryLock(entryKey: string, lockKey: string, token: string, ttlMs: number): Promise<{ entry: Buffer } | boolean> {
    this.commands.push(`lock ${lockKey}`);
    if (this.failLocks) throw new Error('redis command timed out');
    const entry = this.entries.get(entryKey);
    if (entry !== undefined) return { entry: Buffer.from(entry) };
    if (this.held(lockKey)) return false;
    this.locks.set(lockKey, { token, expiresAt: Date.now() + ttlMs });
    return true;
  }
  async unlock(lockKey: string, token: string): Promise<void> {
    this.commands.push(`unlock ${lockKey}`);
    if (this.held(lockKey)?.token === token) this.locks.delete(lockKey);
  }
  async share(lockKey: string, token: string, answer: Buffer, ttlMs: number): Promise<void> {
    this.commands.push(`share ${lockKey}`);
    if (this.held(lockKey)?.token === token) this.locks.set(lockKey, { token: '', expiresAt: Date.now() + ttlMs, shared: answer });
  }
  async peek(entryKey: string, lockKey: string): Promise<Peeked> {
    const entry = this.entries.get(entryKey);
    if (entry !== undefined) return { entry: Buffer.from(entry) };
    const lock = this.held(lockKey);
    if (lock?.shared) return { shared: lock.shared };
    return lock ? 'locked' : 'free';
  }
}

const CONFIG = parseCacheConfig({ crossReplica: { lockTtlMs: 1_000, maxWaitMs: 500, pollMs: 10 } }).crossReplica;

/** One gateway process: its own flight and stats, a backend whose answers the test releases. */
/** `stores` false: answers are not cacheable; `shares`: such answers are handed to waiting replicas. */
function replica(redis: FakeRedis, options: { stores?: boolean; shares?: boolean } = {}) {
  const stats = new CacheStats();
  const flight = new ReplicaFlight(stats, { store: redis, config: CONFIG });
  const calls: string[][] = [];
  const pending: Array<{ resolve(answers: string[]): void; reject(error: Error): void }> = [];
  const work = (keys: readonly string[]): FlightWork<string> => ({
    fetch: (indexes) => {
      calls.push(indexes.map((i) => keys[i]!));
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
    store: async (index, answer) => {
      if (options.stores !== false) redis.entries.set(keys[index]!, answer);
      else if (options.shares) return Buffer.from(`shared ${answer}`);
      return undefined;
    },
    adopt: (_, bytes) => bytes.toString(),
  });
  return {
    stats,
    calls,
    ask: (keys: string[]) => flight.many('trace', keys, work(keys)),
    answer: (...answers: string[]) => pending.shift()!.resolve(answers),
    fail: () => pending.shift()!.reject(new Error('backend down')),
  };
}

/** Lets the lock commands (microtasks) run without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('ReplicaFlight', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes one backend call for three replicas missing the same key; the others read its entry', async () => {
    const redis = new FakeRedis();
    const [a, b, c] = [replica(redis), replica(redis), replica(redis)];
    const answers = [a, b, c].map((r) => r.ask(['k1'])[0]!);
    await settle();
    expect([a.calls, b.calls, c.calls]).toEqual([[['k1']], [], []]);
    await vi.advanceTimersByTimeAsync(30);
    a.answer('trace-1');
    // The waiters' next look (backoff: 10, 30, 70 ms) finds the entry.
    await vi.advanceTimersByTimeAsync(40);
    expect(await Promise.all(answers)).toEqual(['trace-1', 'trace-1', 'trace-1']);
    expect([b.calls, c.calls]).toEqual([[], []]);
    expect(a.stats.lockSnapshot()).toEqual({ trace: { acquired: 1 } });
    expect(b.stats.lockSnapshot()).toEqual({ trace: { waitedHit: 1 } });
    // Released after the entry was stored, and only by its holder.
    expect(redis.locks.size).toBe(0);
    expect(redis.commands.filter((c) => c.startsWith('unlock'))).toEqual([`unlock ${lockKeyOf('k1')}`]);
  });

  it('takes the locks of a batch at once and calls only for the keys it holds', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis), replica(redis)];
    const first = a.ask(['k1']);
    await settle();
    const second = b.ask(['k1', 'k2']);
    await settle();
    expect(b.calls).toEqual([['k2']]);
    b.answer('trace-2');
    a.answer('trace-1');
    await vi.advanceTimersByTimeAsync(100);
    expect(await Promise.all([...first, ...second])).toEqual(['trace-1', 'trace-1', 'trace-2']);
    expect(b.stats.lockSnapshot()).toEqual({ trace: { acquired: 1, waitedHit: 1 } });
  });

  it('lets a waiter call the backend itself once the holder failed (lock gone, no entry)', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis), replica(redis)];
    const failed = a.ask(['k1'])[0]!;
    const waiting = b.ask(['k1'])[0]!;
    await settle();
    a.fail();
    await expect(failed).rejects.toThrow('backend down');
    await vi.advanceTimersByTimeAsync(10);
    expect(b.calls).toEqual([['k1']]);
    b.answer('trace-1');
    expect(await waiting).toBe('trace-1');
    expect(b.stats.lockSnapshot()).toEqual({ trace: { holderFailed: 1 } });
  });

  it('treats an answer the holder did not store (partial, "no such trace") as a failed holder', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis, { stores: false }), replica(redis)];
    const holder = a.ask(['k1'])[0]!;
    const waiting = b.ask(['k1'])[0]!;
    await settle();
    a.answer('partial');
    expect(await holder).toBe('partial');
    await vi.advanceTimersByTimeAsync(10);
    expect(b.calls).toEqual([['k1']]);
    b.answer('complete');
    expect(await waiting).toBe('complete');
  });

  it('hands an answer the holder did not store but may share ("no such trace") to the waiters, briefly', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis, { stores: false, shares: true }), replica(redis)];
    const holder = a.ask(['k1'])[0]!;
    const waiting = b.ask(['k1'])[0]!;
    await settle();
    a.answer('not found');
    expect(await holder).toBe('not found');
    await vi.advanceTimersByTimeAsync(10);
    expect(await waiting).toBe('shared not found');
    expect(b.calls).toEqual([]);
    expect(b.stats.lockSnapshot()).toEqual({ trace: { waitedHit: 1 } });
    // Gone after 8 poll intervals: a later miss asks the backend again.
    await vi.advanceTimersByTimeAsync(CONFIG.pollMs * 8);
    expect(await redis.peek('k1', lockKeyOf('k1'))).toBe('free');
    b.ask(['k1']);
    await settle();
    expect(b.calls).toEqual([['k1']]);
  });

  it('takes the entry instead of the lock when another replica stored it since this one looked', async () => {
    const redis = new FakeRedis();
    redis.entries.set('k1', 'trace-1');
    const a = replica(redis);
    const answer = a.ask(['k1'])[0]!;
    await settle();
    expect(await answer).toBe('trace-1');
    expect(a.calls).toEqual([]);
    expect(redis.locks.size).toBe(0);
  });

  it('waits no longer than maxWaitMs for a slow holder, then calls the backend itself', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis), replica(redis)];
    a.ask(['k1']);
    const waiting = b.ask(['k1'])[0]!;
    await settle();
    await vi.advanceTimersByTimeAsync(CONFIG.maxWaitMs - 1);
    expect(b.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.calls).toEqual([['k1']]);
    b.answer('trace-1');
    expect(await waiting).toBe('trace-1');
    expect(b.stats.lockSnapshot()).toEqual({ trace: { waitedTimeout: 1 } });
  });

  it('polls with backoff: a waiter looks at 10, 30, 70 ms, then every 40 ms', async () => {
    const redis = new FakeRedis();
    const peeks: number[] = [];
    const start = Date.now();
    const peek = redis.peek.bind(redis);
    redis.peek = (entryKey, lockKey) => {
      peeks.push(Date.now() - start);
      return peek(entryKey, lockKey);
    };
    const [a, b] = [replica(redis), replica(redis)];
    a.ask(['k1']);
    b.ask(['k1']);
    await vi.advanceTimersByTimeAsync(150);
    expect(peeks).toEqual([10, 30, 70, 110, 150]);
  });

  it('a lock whose holder never releases it expires after lockTtlMs, and the next miss takes it', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis), replica(redis)];
    a.ask(['k1']); // never answered
    await settle();
    await vi.advanceTimersByTimeAsync(CONFIG.lockTtlMs);
    b.ask(['k1']);
    await settle();
    expect(b.calls).toEqual([['k1']]);
    expect(b.stats.lockSnapshot()).toEqual({ trace: { acquired: 1 } });
  });

  it.each([
    {
      description: 'Redis is disconnected or slow: no lock command at all',
      breakRedis: (r: FakeRedis) => (r.isUsableForLocks = false),
      commands: 0,
    },
    { description: 'a lock command fails or times out', breakRedis: (r: FakeRedis) => (r.failLocks = true), commands: 1 },
  ])('calls the backend at once when $description', async ({ breakRedis, commands }) => {
    const redis = new FakeRedis();
    breakRedis(redis);
    const a = replica(redis);
    const answer = a.ask(['k1'])[0]!;
    await settle();
    expect(a.calls).toEqual([['k1']]);
    expect(redis.commands).toHaveLength(commands);
    a.answer('trace-1');
    expect(await answer).toBe('trace-1');
    expect(a.stats.lockSnapshot()).toEqual({ trace: { redisDown: 1 } });
  });

  it('without a lock (no Redis, or crossReplica off) calls the backend synchronously and counts nothing', () => {
    const stats = new CacheStats();
    const fetched: number[][] = [];
    new ReplicaFlight(stats).many<string>('search', ['k1', 'k2'], {
      fetch: (indexes) => {
        fetched.push([...indexes]);
        return Promise.resolve(['x', 'y']);
      },
      store: () => Promise.resolve(undefined),
      adopt: () => undefined,
    });
    expect(fetched).toEqual([[0, 1]]);
    expect(stats.lockSnapshot()).toEqual({});
  });
});
