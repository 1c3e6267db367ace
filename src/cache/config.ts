/**
 * Cache configuration: what is cached, where, and for how long. Every TTL is documented in the
 * README's configuration table. Redis is optional; without it the in-process layer still works.
 */
import { z } from 'zod';
import { redisBreakerConfigSchema } from '../resilience/config.js';

const redisSchema = z
  .strictObject({
    url: z.string().optional().describe('`redis://host:port/db` of a standalone server (env `TRACEGATE_REDIS_URL`).'),
    cluster: z
      .array(
        z.strictObject({ host: z.string().describe('Host of a seed node.'), port: z.number().int().positive().describe('Port of a seed node.') }),
      )
      .optional()
      .describe('Seed nodes of a Redis Cluster (the rest is discovered); when set, `url` is ignored.'),
    keyPrefix: z.string().default('tg:').describe('Prefix of every key Tracegate writes.'),
    commandTimeoutMs: z.number().int().positive().default(150).describe('Every Redis command gives up after this long and counts as a miss.'),
    connectTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(1_000)
      .describe('How long start-up waits for Redis (it serves without it after that) and how long one connection attempt may take.'),
    breaker: redisBreakerConfigSchema,
  })
  .refine((r) => r.url !== undefined || (r.cluster !== undefined && r.cluster.length > 0), {
    message: 'redis needs either url or cluster',
  });

const ttlSchema = z
  .strictObject({
    traceSettleSeconds: z
      .number()
      .int()
      .min(0)
      .default(300)
      .describe('A trace whose newest span ended longer ago than this is settled: it will not change.'),
    settledTraceSeconds: z.number().int().min(0).default(86_400).describe('How long a settled trace is kept.'),
    freshTraceSeconds: z.number().int().min(0).default(5).describe('How long a fresh trace (spans may still arrive) is kept; 0: not cached.'),
    searchSeconds: z.number().int().min(0).default(30).describe('How long search results are kept.'),
    searchBucketSeconds: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe('Relative windows (`lookback: "15m"`) are rounded down to this, so refreshes share a key.'),
    metadataSeconds: z.number().int().min(0).default(300).describe('How long services, operations, dependencies and autocomplete answers are kept.'),
  })
  .default({
    traceSettleSeconds: 300,
    settledTraceSeconds: 86_400,
    freshTraceSeconds: 5,
    searchSeconds: 30,
    searchBucketSeconds: 30,
    metadataSeconds: 300,
  });

/** See cache/replica-flight.ts and README "Several replicas". */
const crossReplicaSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('With Redis configured, replicas share one backend call per missed answer (a short Redis lock per key); no effect without Redis.'),
    lockTtlMs: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe("A lock expires after this long whatever happens to its holder; keep it above the backends' `timeoutMs`."),
    maxWaitMs: z
      .number()
      .int()
      .min(0)
      .default(5_000)
      .describe("How long a replica that did not get the lock waits for the holder's answer in Redis before it asks the backend itself."),
    pollMs: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe('First interval at which a waiting replica looks for the answer; it doubles up to four times this.'),
  })
  .default({ enabled: true, lockTtlMs: 10_000, maxWaitMs: 5_000, pollMs: 20 });

export const cacheConfigSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('`false` turns both layers (in-process and Redis) off.'),
  memory: z
    .strictObject({
      maxEntries: z.number().int().positive().default(10_000).describe('Most entries the in-process layer holds.'),
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(256 * 1024 * 1024)
        .describe('Everything the in-process layer holds, encoded and decoded, charged at its real size; least recently used evicted beyond it.'),
      maxDecodedBytes: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('The part of `maxBytes` kept as decoded answers, charged at their estimated heap size. Unset: half of `maxBytes`.'),
    })
    .refine((m) => m.maxDecodedBytes === undefined || m.maxDecodedBytes < m.maxBytes, {
      message: 'maxDecodedBytes must be less than maxBytes (it is a part of it)',
      path: ['maxDecodedBytes'],
    })
    .default({ maxEntries: 10_000, maxBytes: 256 * 1024 * 1024 }),
  /** See cache/scope-registry.ts. */
  scopes: z
    .strictObject({
      max: z
        .number()
        .int()
        .positive()
        .default(100)
        .describe(
          'Distinct tenants (cache scopes, README "Tenants and grants") that may hold entries at a time; a request beyond them is answered without the cache.',
        ),
      idleSeconds: z.number().int().positive().default(3_600).describe("A scope's slot is freed after this long without a request."),
    })
    .default({ max: 100, idleSeconds: 3_600 }),
  redis: redisSchema.optional().describe('The shared layer; unset: in-process only.'),
  crossReplica: crossReplicaSchema,
  ttl: ttlSchema,
  compressAboveBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024)
    .describe('Values larger than this are gzip-compressed before they go to Redis.'),
  maxEntryBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024)
    .describe('Values larger than this (after compression) are not cached at all.'),
});

export type CacheConfig = z.infer<typeof cacheConfigSchema>;

export function decodedBytesOf(memory: CacheConfig['memory']): number {
  return memory.maxDecodedBytes ?? Math.floor(memory.maxBytes / 2);
}

/** Throws ZodError; config/load.ts turns it into a ConfigError naming the key. */
export function parseCacheConfig(raw: unknown): CacheConfig {
  return cacheConfigSchema.parse(raw ?? {});
}
