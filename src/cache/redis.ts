/**
 * The shared cache layer: ioredis against a standalone server or a Redis Cluster. Redis is an
 * optimisation, never a dependency: every command has a timeout, commands fail at once while the
 * connection is down (no offline queue), ioredis reconnects by itself, and an outage is logged once
 * when it starts and once when it ends. Callers treat any failure as a miss. It also runs the
 * cross-replica lock's commands (replica-flight.ts decides when): small Lua scripts, each on one
 * entry and its lock, which share a hash slot (keys.ts), so they run on a Cluster as on one server.
 *
 * A stalled Redis (SIGSTOP, a long fork: connected, answering nothing) costs each command its timeout;
 * so every command also goes through a circuit breaker (resilience/circuit.ts, `redis.breaker`): after
 * `consecutiveFailures` failed or timed-out commands in a row none is sent for `halfOpenAfterMs`
 * (lookups are misses, nothing is written, the in-process layer serves what it holds), then one
 * command probes Redis and its answer turns it back on.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { Circuit, describeOpenCircuit } from '../resilience/index.js';
import type { CacheConfig } from './config.js';
import type { Peeked } from './replica-flight.js';

export interface RedisLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

type RedisConfig = NonNullable<CacheConfig['redis']>;

/**
 * Takes the lock unless the entry is already there: {1, entry}, else {0, 1} when SET NX PX took the
 * lock, else {0, 0}. Atomic, so an entry stored between this replica's lookup and its lock is seen.
 */
const ACQUIRE = `local v = redis.call('GET', KEYS[1]) if v then return {1, v} end
if redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {0, 1} end return {0, 0}`;
/** Deletes the lock only while it holds the caller's token: a lock that expired and was taken by another replica stays theirs. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Swaps the caller's token for an answer to share with waiting replicas, for ARGV[3] ms. */
const SHARE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return 0`;
/**
 * One round trip for a waiting replica, atomic so an answer stored just before its lock was released
 * is never missed: {1, entry}, else {2, shared answer} when the lock holds one (SHARED_MARK first),
 * else {0, 1} while the lock is held, else {0, 0}.
 */
const PEEK = `local v = redis.call('GET', KEYS[1]) if v then return {1, v} end
local l = redis.call('GET', KEYS[2]) if not l then return {0, 0} end
if string.sub(l, 1, 1) == ARGV[1] then return {2, l} end return {0, 1}`;
/** First byte of a shared answer in a lock; tokens are UUIDs, so never start with it. */
const SHARED_MARK = '=';

interface LockCommands {
  tgAcquireBuffer(entryKey: string, lockKey: string, token: string, ttlMs: number): Promise<[number, Buffer | number]>;
  tgUnlock(lockKey: string, token: string): Promise<number>;
  tgShare(lockKey: string, token: string, answer: Buffer, ttlMs: number): Promise<unknown>;
  tgPeekBuffer(entryKey: string, lockKey: string, mark: string): Promise<[number, Buffer | number]>;
}

export class RedisStore {
  private readonly client: Redis | Cluster;
  private readonly isCluster: boolean;
  private isDown = false;
  /** The last command that ended timed out: Redis is connected but slow (see isUsableForLocks). */
  private hasTimedOut = false;
  private readonly commandTimeoutMs: number;
  /** Undefined with `redis.breaker.enabled: false`. */
  readonly circuit: Circuit | undefined;
  /** The breaker opened and has not closed since (for logging the outage once). */
  private isSkipping = false;

  constructor(
    config: RedisConfig,
    private readonly logger: RedisLogger,
  ) {
    this.commandTimeoutMs = config.commandTimeoutMs;
    if (config.breaker.enabled) {
      this.circuit = new Circuit(
        'redis',
        config.breaker,
        {
          // Any failed command counts: a timeout, a refused connection, a server error.
          isFailure: () => true,
          describe: (failure) => (failure instanceof Error ? failure.message : 'failed'),
        },
        (status) => new Error(`redis not asked: ${describeOpenCircuit(status)}`),
        {
          // Once when it opens and once when it closes: a failed probe reopening it is the same outage.
          onState: (circuit, state) => {
            if (state === 'open' && !this.isSkipping) {
              this.isSkipping = true;
              this.logger.warn({ cache: 'redis', circuit: describeOpenCircuit(circuit.status()) }, 'redis stalled; skipping it');
            }
            if (state === 'closed') {
              this.isSkipping = false;
              this.logger.info({ cache: 'redis' }, 'redis answers again; shared cache enabled again');
            }
          },
        },
      );
    }
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
    this.client.defineCommand('tgAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    this.client.defineCommand('tgUnlock', { numberOfKeys: 1, lua: UNLOCK });
    this.client.defineCommand('tgShare', { numberOfKeys: 1, lua: SHARE });
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

  /**
   * Connected, and the last command did not time out. While Redis is slow the lookup before a lock
   * already waited one timeout; skipping the lock then keeps a miss as fast as it is without locks.
   * The next command that answers in time (every miss looks up first) turns locks back on.
   */
  get isUsableForLocks(): boolean {
    return this.client.status === 'ready' && !this.hasTimedOut && (this.circuit?.status().state ?? 'closed') === 'closed';
  }

  /**
   * One command (or one pipelined round), sent only if Redis is ready and the breaker lets it through;
   * `send` is not called otherwise. Throws when Redis is unusable.
   */
  private command<T>(send: () => Promise<T>): Promise<T> {
    const run = () => {
      if (this.client.status !== 'ready') return Promise.reject(new Error(`redis not ready (${this.client.status})`));
      return this.withTimeout(send());
    };
    return this.circuit ? this.circuit.run(run) : run();
  }

  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis command timed out after ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs);
    });
    try {
      const result = await Promise.race([work, timeout]);
      this.hasTimedOut = false;
      return result;
    } catch (error) {
      // Ours or ioredis's own commandTimeout ("Command timed out"), whichever fired first.
      if (error instanceof Error && /timed out/i.test(error.message)) this.hasTimedOut = true;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One MGET (standalone) or one pipelined round per node (cluster). Throws when Redis is unusable. */
  async getMany(keys: readonly string[]): Promise<Array<Buffer | null>> {
    if (keys.length === 0) return [];
    // Cluster mode sends one GET per key; auto-pipelining turns them into one round trip per node.
    if (this.isCluster) return this.command(() => Promise.all(keys.map((key) => this.client.getBuffer(key))));
    return this.command(() => this.client.mgetBuffer(...keys));
  }

  async set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    await this.command(() => this.client.set(key, value, 'EX', Math.max(1, Math.round(ttlSeconds))));
  }

  /** The entry if Redis holds it, else whether the caller now holds `lockKey`. Throws when Redis is unusable. */
  async tryLock(entryKey: string, lockKey: string, token: string, ttlMs: number): Promise<{ entry: Buffer } | boolean> {
    const [tag, value] = await this.command(() => (this.client as unknown as LockCommands).tgAcquireBuffer(entryKey, lockKey, token, ttlMs));
    if (tag === 1 && Buffer.isBuffer(value)) return { entry: value };
    return value === 1;
  }

  async unlock(lockKey: string, token: string): Promise<void> {
    await this.command(() => (this.client as unknown as LockCommands).tgUnlock(lockKey, token));
  }

  async share(lockKey: string, token: string, answer: Buffer, ttlMs: number): Promise<void> {
    const marked = Buffer.concat([Buffer.from(SHARED_MARK), answer]);
    await this.command(() => (this.client as unknown as LockCommands).tgShare(lockKey, token, marked, ttlMs));
  }

  /** The entry's bytes, else an answer shared in the lock, else whether the lock is held. Throws when Redis is unusable. */
  async peek(entryKey: string, lockKey: string): Promise<Peeked> {
    const [tag, value] = await this.command(() => (this.client as unknown as LockCommands).tgPeekBuffer(entryKey, lockKey, SHARED_MARK));
    if (tag === 1 && Buffer.isBuffer(value)) return { entry: value };
    if (tag === 2 && Buffer.isBuffer(value)) return { shared: value.subarray(1) };
    return value === 1 ? 'locked' : 'free';
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
