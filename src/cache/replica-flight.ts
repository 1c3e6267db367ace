/**
 * Single flight across replicas: when several gateway processes miss the same answer at once, one of
 * them asks the backend and the others wait for its answer in Redis. In-process single flight
 * (single-flight.ts) already folds concurrent misses of one process into one call; this folds the
 * processes' calls into one.
 *
 * On a miss a replica takes a short lock next to the entry (`SET <entry>:lock <token> NX PX lockTtlMs`,
 * keys.ts `lockKeyOf`: the entry's hash tag, so the same Cluster slot), in one script with a last look
 * at the entry, so an answer stored since this replica's lookup is served instead. The holder calls the backend,
 * hands the answer to its callers at once, stores it (only a complete answer; the caller's `store`
 * decides) and then deletes the lock if it still holds its token. An answer that is not stored but
 * is no failure ("no such trace", a trace too fresh to keep) is handed to the waiters instead: the
 * holder swaps its token in the lock for the answer, for a few poll intervals only, as in-process
 * single flight hands it to every caller that joined the call. A replica that did not get the lock
 * polls Redis (pollMs, doubling to 4 × pollMs) for the entry, and asks the backend itself when the
 * entry does not come within maxWaitMs, or when the lock is gone without an entry (the holder failed,
 * its answer was partial, or its lock expired). Polling, not keyspace notifications:
 * those need `notify-keyspace-events` set on every node and a subscriber connection per node, and a
 * notification is lost when the subscriber reconnects; a poll is one EVALSHA on the entry's node.
 *
 * Redis is never a dependency: when it is not connected, or its last command timed out, the lock is
 * skipped at once, and a lock command that fails or times out (redis.ts, commandTimeoutMs) means this
 * replica calls the backend as it would without Redis, so an outage costs a miss at most one command
 * timeout more than it cost without locks. Each outcome is
 * counted (stats.ts LockOutcome).
 */
import { randomUUID } from 'node:crypto';
import type { CacheConfig } from './config.js';
import { lockKeyOf, type CacheKind } from './keys.js';
import type { CacheStats } from './stats.js';

/** What a waiting replica sees: the stored entry, an answer the holder shared, or the lock's state. */
export type Peeked = { entry: Buffer } | { shared: Buffer } | 'locked' | 'free';

/** What the lock needs from Redis (redis.ts RedisStore). Every method throws when Redis is unusable. */
export interface LockStore {
  /** False while Redis is disconnected or slow: no lock command is tried. */
  readonly isUsableForLocks: boolean;
  /** The entry if it is there already, else true when the caller now holds the lock (SET NX PX). */
  tryLock(entryKey: string, lockKey: string, token: string, ttlMs: number): Promise<{ entry: Buffer } | boolean>;
  unlock(lockKey: string, token: string): Promise<void>;
  /** Replaces the lock's token with `answer` for `ttlMs`, only while it still holds `token`. */
  share(lockKey: string, token: string, answer: Buffer, ttlMs: number): Promise<void>;
  peek(entryKey: string, lockKey: string): Promise<Peeked>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a flight does with the answers, from caching-backend.ts. Indexes are into the flight's keys. */
export interface FlightWork<T> {
  /** Calls the backend for these keys' questions; one answer per index, in order. */
  fetch(indexes: readonly number[]): Promise<T[]>;
  /**
   * Stores an answer if it is complete (the in-process layer as soon as it is encoded: at once unless
   * it is compressed, layered.ts); never rejects. When `isAwaited` (this call holds the cross-replica
   * lock, so other replicas may be waiting for it), resolves to the answer's bytes for them when it was
   * not stored but is no failure; else undefined (nobody would read the bytes: none are made).
   */
  store(index: number, answer: T, isAwaited: boolean): Promise<Buffer | undefined>;
  /**
   * The answer in bytes another replica stored (`isEntry`: kept in the in-process layer too) or shared
   * (`isEntry` false: for this call only), or undefined when unusable.
   */
  adopt(index: number, bytes: Buffer, isEntry: boolean): T | undefined;
  /** The backend call for this index failed (counted by the caller); nothing is stored. */
  onFailure?(index: number): void;
}

type CrossReplicaConfig = CacheConfig['crossReplica'];

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class ReplicaFlight {
  /** `lock` undefined: no Redis or crossReplica disabled; every miss goes to the backend at once. */
  constructor(
    private readonly stats: CacheStats,
    private readonly lock?: { store: LockStore; config: CrossReplicaConfig },
  ) {}

  /**
   * One promise per key, made synchronously so the caller can register them for in-process single
   * flight before anything is awaited. Rejects where the backend call failed.
   */
  many<T>(kind: CacheKind, keys: readonly string[], work: FlightWork<T>): Array<Promise<T>> {
    const out = keys.map(() => deferred<T>());
    if (!this.lock)
      this.call(
        keys,
        keys.map((_, i) => i),
        [],
        work,
        out,
      );
    // Rejecting a settled promise does nothing: this only reaches callers left waiting by a bug of ours.
    else
      this.coordinate(kind, keys, work, out, this.lock).catch((error: unknown) => {
        for (const d of out) d.reject(error);
      });
    return out.map((d) => d.promise);
  }

  private async coordinate<T>(
    kind: CacheKind,
    keys: readonly string[],
    work: FlightWork<T>,
    out: Array<Deferred<T>>,
    lock: NonNullable<ReplicaFlight['lock']>,
  ): Promise<void> {
    const token = randomUUID();
    // undefined: Redis could not say; this replica calls the backend as it would without Redis.
    let held: Array<{ entry: Buffer } | boolean | undefined>;
    if (!lock.store.isUsableForLocks) held = keys.map(() => undefined);
    else held = await Promise.all(keys.map((key) => lock.store.tryLock(key, lockKeyOf(key), token, lock.config.lockTtlMs).catch(() => undefined)));
    const now: number[] = [];
    const tokens: Array<string | undefined> = [];
    held.forEach((isHeld, i) => {
      // Stored by another replica since this one looked: its answer, as if this one had waited for it.
      const stored = typeof isHeld === 'object' ? work.adopt(i, isHeld.entry, true) : undefined;
      if (stored !== undefined) {
        this.stats.countLock(kind, 'waitedHit');
        out[i]!.resolve(stored);
        return;
      }
      if (isHeld === false) {
        this.wait(kind, keys, i, work, out, lock).catch((error: unknown) => out[i]!.reject(error));
        return;
      }
      // An unusable entry (expired as it was read) leaves the lock free: ask without it.
      this.stats.countLock(kind, isHeld === true ? 'acquired' : 'redisDown');
      now.push(i);
      tokens[i] = isHeld === true ? token : undefined;
    });
    if (now.length > 0) this.call(keys, now, tokens, work, out, lock);
  }

  /** Asks the backend for `indexes`, answers their callers, stores, then releases the locks held. */
  private call<T>(
    keys: readonly string[],
    indexes: readonly number[],
    tokens: ReadonlyArray<string | undefined>,
    work: FlightWork<T>,
    out: Array<Deferred<T>>,
    lock?: NonNullable<ReplicaFlight['lock']>,
  ): void {
    const release = (index: number, shared?: Buffer): void => {
      const token = tokens[index];
      if (token === undefined || !lock) return;
      const lockKey = lockKeyOf(keys[index]!);
      // Long enough for every waiter's next look (at most 4 × pollMs away), never past the lock's TTL.
      const shareMs = Math.min(lock.config.lockTtlMs, lock.config.pollMs * 8);
      // Best effort: a lock not released expires after lockTtlMs, and waiters then call the backend.
      const done = shared ? lock.store.share(lockKey, token, shared, shareMs) : lock.store.unlock(lockKey, token);
      done.catch(() => undefined);
    };
    let answers: Promise<T[]>;
    try {
      answers = work.fetch(indexes);
    } catch (error) {
      answers = Promise.reject(error);
    }
    answers.then(
      (results) => {
        indexes.forEach((index, j) => {
          if (j >= results.length) {
            work.onFailure?.(index);
            out[index]!.reject(new Error(`backend answered ${results.length} results for ${indexes.length} questions`));
            release(index);
            return;
          }
          const answer = results[j] as T;
          // Stored before the callers hear of it: store() fills the in-process layer synchronously, so a
          // concurrent lookup that finds no flight any more finds the entry instead.
          const stored = work.store(index, answer, tokens[index] !== undefined && lock !== undefined);
          out[index]!.resolve(answer);
          void stored.then((shared) => release(index, shared));
        });
      },
      (error: unknown) => {
        for (const index of indexes) {
          work.onFailure?.(index);
          out[index]!.reject(error);
          release(index);
        }
      },
    );
  }

  /** Another replica holds the lock: poll for its answer, or call the backend when it does not come. */
  private async wait<T>(
    kind: CacheKind,
    keys: readonly string[],
    index: number,
    work: FlightWork<T>,
    out: Array<Deferred<T>>,
    lock: NonNullable<ReplicaFlight['lock']>,
  ): Promise<void> {
    const { store, config } = lock;
    const key = keys[index]!;
    const deadline = Date.now() + config.maxWaitMs;
    let intervalMs = config.pollMs;
    const giveUp = (outcome: 'waitedTimeout' | 'holderFailed' | 'redisDown'): void => {
      this.stats.countLock(kind, outcome);
      this.call(keys, [index], [], work, out);
    };
    for (;;) {
      const leftMs = deadline - Date.now();
      if (leftMs <= 0) return giveUp('waitedTimeout');
      await sleep(Math.min(intervalMs, leftMs));
      intervalMs = Math.min(intervalMs * 2, config.pollMs * 4);
      let seen: Peeked;
      try {
        seen = await store.peek(key, lockKeyOf(key));
      } catch {
        return giveUp('redisDown');
      }
      if (seen === 'free') return giveUp('holderFailed');
      if (seen === 'locked') continue;
      const value = 'entry' in seen ? work.adopt(index, seen.entry, true) : work.adopt(index, seen.shared, false);
      // An entry this process cannot use (expired as it was read, another version's) is no answer.
      if (value === undefined) return giveUp('holderFailed');
      this.stats.countLock(kind, 'waitedHit');
      return out[index]!.resolve(value);
    }
  }
}
