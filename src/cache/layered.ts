/**
 * Two cache layers, read in order: a bounded in-process layer (memory-store.ts: entries charged at
 * what they really hold) in front of Redis (optional). A Redis hit refills the in-process layer for
 * the rest of its TTL. Redis errors are counted and treated as misses; the in-process layer keeps
 * working without Redis. Which caller scopes may use either layer is scope-registry.ts's decision.
 *
 * Values come back as shared, read-only objects: the federation layer never mutates spans, and
 * decoding a large trace on every hit would cost more than the backend call it saves.
 */
import { decode, encodeSoon, type Envelope } from './codec.js';
import { decodedBytesOf, type CacheConfig } from './config.js';
import type { CacheKind } from './keys.js';
import { MemoryStore } from './memory-store.js';
import type { RedisLogger, RedisStore } from './redis.js';
import { ScopeRegistry } from './scope-registry.js';
import type { CacheStats } from './stats.js';

export class LayeredCache {
  private readonly memory: MemoryStore;
  readonly scopes: ScopeRegistry;

  constructor(
    private readonly config: CacheConfig,
    readonly stats: CacheStats,
    readonly redis: RedisStore | undefined,
    logger?: Pick<RedisLogger, 'warn'>,
  ) {
    this.memory = new MemoryStore({ ...config.memory, maxDecodedBytes: decodedBytesOf(config.memory) });
    this.scopes = new ScopeRegistry(config.scopes, logger);
  }

  async getMany<T>(kind: CacheKind, keys: readonly string[]): Promise<Array<T | undefined>> {
    const results = new Array<T | undefined>(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const value = this.memory.get<T>(key);
      if (value !== undefined) results[i] = value;
      else missing.push(i);
    });
    this.stats.count('memory', kind, 'hit', keys.length - missing.length);
    this.stats.count('memory', kind, 'miss', missing.length);
    if (missing.length === 0 || !this.redis) return results;

    let raw: Array<Buffer | null>;
    try {
      raw = await this.redis.getMany(missing.map((i) => keys[i]!));
    } catch {
      this.stats.count('redis', kind, 'error');
      return results;
    }
    let hits = 0;
    const now = Date.now();
    missing.forEach((index, j) => {
      const bytes = raw[j];
      const envelope = bytes ? decode<T>(bytes) : undefined;
      if (!envelope || envelope.expiresAt <= now) return;
      hits++;
      results[index] = envelope.value;
      this.memory.set(keys[index]!, envelope.value, bytes!, envelope.expiresAt, now);
    });
    this.stats.count('redis', kind, 'hit', hits);
    this.stats.count('redis', kind, 'miss', missing.length - hits);
    return results;
  }

  /**
   * The in-process entry for `key`, read synchronously and not counted: for callers whose own lookup
   * (a Redis round trip) began before a concurrent caller stored the value.
   */
  peek<T>(key: string): T | undefined {
    return this.memory.get<T>(key);
  }

  /**
   * An answer another replica just wrote to Redis (replica-flight.ts read its bytes), or undefined when
   * it is unusable (expired, foreign). An entry (`isEntry`) fills the in-process layer like a Redis
   * hit; a shared answer (not cacheable) is for this call only. Counted by the caller as a lock
   * outcome, not as a hit.
   */
  adopt<T>(key: string, bytes: Buffer, isEntry: boolean): T | undefined {
    const now = Date.now();
    const envelope = decode<T>(bytes);
    if (!envelope || envelope.expiresAt <= now) return undefined;
    if (isEntry) this.memory.set(key, envelope.value, bytes, envelope.expiresAt, now);
    return envelope.value;
  }

  /**
   * An answer that is not cached, encoded for the replicas waiting on this one's call (replica-flight.ts),
   * usable for `ttlMs`; undefined when it is over the size cap.
   */
  async encodeShared<T>(value: T, ttlMs: number): Promise<Buffer | undefined> {
    const encoded = encodeSoon({ value, expiresAt: Date.now() + ttlMs }, this.config.compressAboveBytes);
    const bytes = 'bytes' in encoded ? encoded.bytes : await encoded.pending;
    return bytes.length > this.config.maxEntryBytes ? undefined : bytes;
  }

  /**
   * Stores in both layers; skips (and counts) values over the size cap. Never throws. True when Redis
   * now holds the entry.
   */
  async set<T>(kind: CacheKind, key: string, value: T, ttlSeconds: number): Promise<boolean> {
    if (ttlSeconds <= 0) {
      this.stats.count('memory', kind, 'skip');
      return false;
    }
    const envelope: Envelope<T> = { value, expiresAt: Date.now() + ttlSeconds * 1000 };
    // A value under compressAboveBytes is in the in-process layer before this returns its promise (a
    // concurrent lookup finds it); a compressed one once the thread pool has zipped it (codec.ts).
    const encoded = encodeSoon(envelope, this.config.compressAboveBytes);
    const bytes = 'bytes' in encoded ? encoded.bytes : await encoded.pending;
    if (bytes.length > this.config.maxEntryBytes) {
      this.stats.count('memory', kind, 'skip');
      return false;
    }
    this.memory.set(key, value, bytes, envelope.expiresAt);
    this.stats.count('memory', kind, 'set');
    if (!this.redis) return false;
    try {
      await this.redis.set(key, bytes, ttlSeconds);
      this.stats.count('redis', kind, 'set');
      return true;
    } catch {
      this.stats.count('redis', kind, 'error');
      return false;
    }
  }

  /** Waits (bounded) for Redis to connect; true when there is no Redis or it is ready. */
  async ready(timeoutMs: number): Promise<boolean> {
    return this.redis ? this.redis.waitUntilReady(timeoutMs) : true;
  }

  clearMemory(): void {
    this.memory.clear();
  }

  /** What the in-process layer holds and is charged for (tests and diagnostics). */
  get memoryUsage(): MemoryStore['usage'] {
    return this.memory.usage;
  }

  async close(): Promise<void> {
    await this.redis?.close();
  }
}
