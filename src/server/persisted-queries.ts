/**
 * Automatic persisted queries (APQ, Apollo's protocol): a client sends the sha256 of its query, and
 * the text only when the gateway answers PERSISTED_QUERY_NOT_FOUND. Apollo Server does the protocol;
 * this module gives it a store bounded in bytes (LRU), so registering new queries can never grow the
 * heap past `maxBytes`: the least recently used queries are dropped and their clients send the text
 * again. Apollo registers a query only after it parsed and validated, so the store holds only valid
 * documents, each at most the request body limit. Turned off, every persisted-query request gets
 * PERSISTED_QUERY_NOT_SUPPORTED, on which Apollo Client's link falls back to sending the text.
 */
import type { PersistedQueryOptions } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import type { PersistedQueriesConfig } from '../config/index.js';

/** Heap cost of one entry beyond its two strings (LRU node, map slot); a guess on the safe side. */
const ENTRY_OVERHEAD_BYTES = 200;

/** Apollo's KeyValueCache, in bytes: V8 keeps a string at 1 or 2 bytes per UTF-16 unit; charge 2. */
export class BoundedQueryStore {
  private readonly entries: LRUCache<string, string>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, string>({
      maxSize: maxBytes,
      sizeCalculation: (value, key) => Math.max(1, 2 * (key.length + value.length) + ENTRY_OVERHEAD_BYTES),
    });
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  /** Apollo's `ttl` is ignored: a hash names one text forever, so only space decides what stays. */
  async set(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.calculatedSize;
  }
}

export function persistedQueryOptions(config: PersistedQueriesConfig): PersistedQueryOptions | false {
  return config.enabled ? { cache: new BoundedQueryStore(config.maxBytes), ttl: null } : false;
}
