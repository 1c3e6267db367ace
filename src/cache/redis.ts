/**
 * The shared cache layer: ioredis against a standalone server or a Redis Cluster. Redis is an
 * optimisation, never a dependency: every command has a timeout, commands fail at once while the
 * connection is down (no offline queue), ioredis reconnects by itself, and an outage is logged once
 * when it starts and once when it ends. Callers treat any failure as a miss.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { CacheConfig } from './config.js';

export interface RedisLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

type RedisConfig = NonNullable<CacheConfig['redis']>;

/** Deletes the lock only while it holds the caller's token: a lock that expired and was taken by another replica stays theirs. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/**
 * One round trip for a waiting replica, atomic so an answer stored just before its lock was released
 * is never missed: the entry's bytes, else 1 while the lock is held, else 0.
 */
const PEEK = `local v = redis.call('GET', KEYS[1]) if v then return v end return redis.call('EXISTS', KEYS[2])`;

interface LockCommands {
  tgUnlock(lockKey: string, token: string): Promise<number>;
  tgPeekBuffer(entryKey: string, lockKey: string): Promise<Buffer | number>;
}

export class RedisStore {
  private readonly client: Redis | Cluster;
  private readonly isCluster: boolean;
  private isDown = false;
  private readonly commandTimeoutMs: number;

  constructor(
    config: RedisConfig,
    private readonly logger: RedisLogger,
  ) {
    this.commandTimeoutMs = config.commandTimeoutMs;
    const common: RedisOptions = {
      keyPrefix: config.keyPrefix,
      connectTimeout: config.connectTimeoutMs,
      commandTimeout: config.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Reconnect forever, backing off to 2 s: Redis coming back must need no restart of ours.
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    };
    if (config.cluster && config.cluster.length > 0) {
      this.isCluster = true;
      const options: ClusterOptions = {
        redisOptions: common,
        keyPrefix: config.keyPrefix,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
        slotsRefreshTimeout: config.connectTimeoutMs,
      };
      this.client = new Cluster(config.cluster, options);
    } else {
      this.isCluster = false;
      this.client = new Redis(config.url!, common);
    }
    // Scripts go by EVALSHA (EVAL once per node when it lacks them); their KEYS get the key prefix.
    this.client.defineCommand('tgUnlock', { numberOfKeys: 1, lua: UNLOCK });
    this.client.defineCommand('tgPeek', { numberOfKeys: 2, lua: PEEK });
    this.client.on('error', (error: Error) => this.markDown(error));
    this.client.on('end', () => this.markDown(new Error('connection closed')));
    this.client.on('ready', () => {
      if (this.isDown) this.logger.info({ cache: 'redis' }, 'redis is back; shared cache enabled again');
      this.isDown = false;
    });
  }

  private markDown(error: Error): void {
    if (this.isDown) return;
    this.isDown = true;
    this.logger.warn({ cache: 'redis', err: error.message }, 'redis unavailable; serving without the shared cache until it returns');
  }

  get mode(): 'standalone' | 'cluster' {
    return this.isCluster ? 'cluster' : 'standalone';
  }

  /**
   * Resolves once connected (true) or after `timeoutMs` (false), never rejects: start-up waits this
   * long so the first requests can use the shared cache, and goes on without it otherwise (commands
   * are never queued while disconnected, so without this every lookup before `ready` is an error).
   */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.on('ready', onReady);
    });
  }

  get isReady(): boolean {
    return this.client.status === 'ready';
  }

  /** Cluster mode sends one GET per key; auto-pipelining turns them into one round trip per node. */
  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis command timed out after ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One MGET (standalone) or one pipelined round per node (cluster). Throws when Redis is unusable. */
  async getMany(keys: readonly string[]): Promise<Array<Buffer | null>> {
    if (keys.length === 0) return [];
    if (this.client.status !== 'ready') throw new Error(`redis not ready (${this.client.status})`);
    if (this.isCluster) return this.withTimeout(Promise.all(keys.map((key) => this.client.getBuffer(key))));
    return this.withTimeout(this.client.mgetBuffer(...keys));
  }

  async set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    if (this.client.status !== 'ready') throw new Error(`redis not ready (${this.client.status})`);
    await this.withTimeout(this.client.set(key, value, 'EX', Math.max(1, Math.round(ttlSeconds))));
  }

  /** SET NX PX: true when the caller now holds `lockKey`. Throws when Redis is unusable. */
  async tryLock(lockKey: string, token: string, ttlMs: number): Promise<boolean> {
    if (this.client.status !== 'ready') throw new Error(`redis not ready (${this.client.status})`);
    return (await this.withTimeout(this.client.set(lockKey, token, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async unlock(lockKey: string, token: string): Promise<void> {
    if (this.client.status !== 'ready') throw new Error(`redis not ready (${this.client.status})`);
    await this.withTimeout((this.client as unknown as LockCommands).tgUnlock(lockKey, token));
  }

  /** The entry's bytes, else whether its lock is still held. Throws when Redis is unusable. */
  async peek(entryKey: string, lockKey: string): Promise<Buffer | 'locked' | 'free'> {
    if (this.client.status !== 'ready') throw new Error(`redis not ready (${this.client.status})`);
    const seen = await this.withTimeout((this.client as unknown as LockCommands).tgPeekBuffer(entryKey, lockKey));
    if (Buffer.isBuffer(seen)) return seen;
    return seen === 1 ? 'locked' : 'free';
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
