/**
 * Two cache layers, read in order: a bounded in-process LRU (entries counted by their encoded size)
 * in front of Redis (optional). A Redis hit refills the LRU for the rest of its TTL. Redis errors
 * are counted and treated as misses; the in-process layer keeps working without Redis.
 *
 * Values come back as shared, read-only objects: the federation layer never mutates spans, and
 * decoding a large trace on every hit would cost more than the backend call it saves.
 */
import { LRUCache } from 'lru-cache';
import { decode, encode, type Envelope } from './codec.js';
import type { CacheConfig } from './config.js';
import type { CacheKind } from './keys.js';
import type { RedisStore } from './redis.js';
import type { CacheStats } from './stats.js';

interface MemoryEntry {
  value: unknown;
  size: number;
}

export class LayeredCache {
  private readonly memory: LRUCache<string, MemoryEntry>;

  constructor(
    private readonly config: CacheConfig,
    readonly stats: CacheStats,
    readonly redis: RedisStore | undefined,
  ) {
    this.memory = new LRUCache<string, MemoryEntry>({
      max: config.memory.maxEntries,
      maxSize: config.memory.maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.size),
      ttlAutopurge: false,
    });
  }

  async getMany<T>(kind: CacheKind, keys: readonly string[]): Promise<Array<T | undefined>> {
    const results = new Array<T | undefined>(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const entry = this.memory.get(key);
      if (entry) results[i] = entry.value as T;
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
      this.memory.set(keys[index]!, { value: envelope.value, size: bytes!.length }, { ttl: envelope.expiresAt - now });
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
    return this.memory.get(key)?.value as T | undefined;
  }

  /** Stores in both layers; skips (and counts) values over the size cap. Never throws. */
  async set<T>(kind: CacheKind, key: string, value: T, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) {
      this.stats.count('memory', kind, 'skip');
      return;
    }
    const envelope: Envelope<T> = { value, expiresAt: Date.now() + ttlSeconds * 1000 };
    const bytes = encode(envelope, this.config.compressAboveBytes);
    if (bytes.length > this.config.maxEntryBytes) {
      this.stats.count('memory', kind, 'skip');
      return;
    }
    this.memory.set(key, { value, size: bytes.length }, { ttl: ttlSeconds * 1000 });
    this.stats.count('memory', kind, 'set');
    if (!this.redis) return;
    try {
      await this.redis.set(key, bytes, ttlSeconds);
      this.stats.count('redis', kind, 'set');
    } catch {
      this.stats.count('redis', kind, 'error');
    }
  }

  /** Waits (bounded) for Redis to connect; true when there is no Redis or it is ready. */
  async ready(timeoutMs: number): Promise<boolean> {
    return this.redis ? this.redis.waitUntilReady(timeoutMs) : true;
  }

  clearMemory(): void {
    this.memory.clear();
  }

  async close(): Promise<void> {
    await this.redis?.close();
  }
}
