/**
 * Cache configuration: what is cached, where, and for how long. Every TTL is documented in the
 * README's configuration table. Redis is optional; without it the in-process layer still works.
 */
import { z } from 'zod';

const redisSchema = z
  .strictObject({
    /** redis://host:port/db for a standalone server. */
    url: z.string().optional(),
    /** Seed nodes of a Redis Cluster; when set, `url` is ignored. */
    cluster: z.array(z.strictObject({ host: z.string(), port: z.number().int().positive() })).optional(),
    keyPrefix: z.string().default('tg:'),
    /** Every Redis command gives up after this long and counts as a miss. */
    commandTimeoutMs: z.number().int().positive().default(150),
    connectTimeoutMs: z.number().int().positive().default(1_000),
  })
  .refine((r) => r.url !== undefined || (r.cluster !== undefined && r.cluster.length > 0), {
    message: 'redis needs either url or cluster',
  });

const ttlSchema = z
  .strictObject({
    /** A trace whose newest span ended longer ago than this is settled: it will not change. */
    traceSettleSeconds: z.number().int().min(0).default(300),
    settledTraceSeconds: z.number().int().min(0).default(86_400),
    /** Fresh traces may still be growing; 0 disables caching them. */
    freshTraceSeconds: z.number().int().min(0).default(5),
    searchSeconds: z.number().int().min(0).default(30),
    /** Relative windows ("last 15m") are rounded down to this, so refreshes share a key. */
    searchBucketSeconds: z.number().int().positive().default(30),
    metadataSeconds: z.number().int().min(0).default(300),
  })
  .default({
    traceSettleSeconds: 300,
    settledTraceSeconds: 86_400,
    freshTraceSeconds: 5,
    searchSeconds: 30,
    searchBucketSeconds: 30,
    metadataSeconds: 300,
  });

export const cacheConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  memory: z
    .strictObject({
      maxEntries: z.number().int().positive().default(10_000),
      /** Everything the in-process layer holds, encoded and decoded (cache/memory-store.ts). */
      maxBytes: z.number().int().positive().default(256 * 1024 * 1024),
      /** The part of maxBytes for decoded answers, charged at their heap size; default half. */
      maxDecodedBytes: z.number().int().positive().optional(),
    })
    .refine((m) => m.maxDecodedBytes === undefined || m.maxDecodedBytes < m.maxBytes, {
      message: 'maxDecodedBytes must be less than maxBytes (it is a part of it)',
      path: ['maxDecodedBytes'],
    })
    .default({ maxEntries: 10_000, maxBytes: 256 * 1024 * 1024 }),
  /** Caller scopes (X-Tenant) that may hold entries at a time; see cache/scope-registry.ts. */
  scopes: z
    .strictObject({
      max: z.number().int().positive().default(100),
      idleSeconds: z.number().int().positive().default(3_600),
    })
    .default({ max: 100, idleSeconds: 3_600 }),
  redis: redisSchema.optional(),
  ttl: ttlSchema,
  /** Values larger than this are gzip-compressed before they go to Redis. */
  compressAboveBytes: z.number().int().positive().default(16 * 1024),
  /** Values larger than this (after compression) are not cached at all. */
  maxEntryBytes: z.number().int().positive().default(16 * 1024 * 1024),
});

export type CacheConfig = z.infer<typeof cacheConfigSchema>;

export function decodedBytesOf(memory: CacheConfig['memory']): number {
  return memory.maxDecodedBytes ?? Math.floor(memory.maxBytes / 2);
}

/** Throws ZodError; config/load.ts turns it into a ConfigError naming the key. */
export function parseCacheConfig(raw: unknown): CacheConfig {
  return cacheConfigSchema.parse(raw ?? {});
}
