/**
 * The Redis breaker against a stand-in Redis that can be frozen like a SIGSTOPped one: connected,
 * reading commands, answering none until it is thawed (then it answers the backlog). The real server
 * frozen with SIGSTOP is in test/integration/degrade-fast.int.test.ts.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCacheConfig } from '../../src/cache/config.js';
import { LayeredCache } from '../../src/cache/layered.js';
import { RedisStore } from '../../src/cache/redis.js';
import { CacheStats } from '../../src/cache/stats.js';

/** A RESP server holding strings in memory; `frozen` holds every command unanswered. */
class FreezableRedis {
  readonly received: string[] = [];
  private readonly data = new Map<string, Buffer>();
  private readonly held: Array<() => void> = [];
  private server: Server | undefined;
  isFrozen = false;

  async start(): Promise<number> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  thaw(): void {
    this.isFrozen = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const parsed = parseCommand(buffer);
        if (parsed === undefined) return;
        buffer = buffer.subarray(parsed.length);
        const answer = () => socket.write(this.answer(parsed.args));
        this.received.push(parsed.args[0]!.toString().toUpperCase());
        if (this.isFrozen) this.held.push(answer);
        else answer();
      }
    });
    socket.on('error', () => undefined);
  }

  private answer(args: Buffer[]): Buffer {
    const name = args[0]!.toString().toUpperCase();
    if (name === 'INFO') return bulk(Buffer.from('# Server\r\nredis_version:7.2.0\r\nloading:0\r\n'));
    if (name === 'MGET')
      return Buffer.concat([Buffer.from(`*${args.length - 1}\r\n`), ...args.slice(1).map((k) => bulk(this.data.get(k.toString())))]);
    if (name === 'SET') this.data.set(args[1]!.toString(), args[2]!);
    return Buffer.from('+OK\r\n');
  }
}

function bulk(value: Buffer | undefined): Buffer {
  return value === undefined ? Buffer.from('$-1\r\n') : Buffer.concat([Buffer.from(`$${value.length}\r\n`), value, Buffer.from('\r\n')]);
}

/** One RESP array of bulk strings from the start of `buffer`, or undefined when it is not all there yet. */
function parseCommand(buffer: Buffer): { args: Buffer[]; length: number } | undefined {
  let at = 0;
  const line = (): string | undefined => {
    const end = buffer.indexOf('\r\n', at);
    if (end < 0) return undefined;
    const text = buffer.subarray(at, end).toString();
    at = end + 2;
    return text;
  };
  const head = line();
  if (head === undefined || !head.startsWith('*')) return undefined;
  const args: Buffer[] = [];
  for (let i = 0; i < Number(head.slice(1)); i++) {
    const size = line();
    if (size === undefined) return undefined;
    const n = Number(size.slice(1));
    if (buffer.length < at + n + 2) return undefined;
    args.push(buffer.subarray(at, at + n));
    at += n + 2;
  }
  return { args, length: at };
}

const silent = { info: () => undefined, warn: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const COOL_OFF_MS = 150;

let fake: FreezableRedis | undefined;
let cache: LayeredCache | undefined;
afterEach(async () => {
  fake?.thaw();
  await cache?.close();
  await fake?.close();
  fake = undefined;
  cache = undefined;
});

async function setup() {
  fake = new FreezableRedis();
  const port = await fake.start();
  const config = parseCacheConfig({
    redis: { url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 50, breaker: { consecutiveFailures: 2, halfOpenAfterMs: COOL_OFF_MS } },
  });
  const redis = new RedisStore(config.redis!, silent);
  cache = new LayeredCache(config, new CacheStats(), redis);
  expect(await cache.ready(2_000)).toBe(true);
  const sent = (name: string) => fake!.received.filter((n) => n === name).length;
  return { fake, cache, redis, sent };
}

describe('the Redis breaker', () => {
  it('stops sending commands after consecutiveFailures timeouts; the in-process layer still serves', async () => {
    const { fake, cache, redis, sent } = await setup();
    expect(await cache.set('trace', 'held', { v: 1 }, 60)).toBe(true);
    fake.isFrozen = true;
    // Two lookups time out (50 ms each): the breaker opens.
    expect(await cache.getMany('trace', ['a'])).toEqual([undefined]);
    expect(await cache.getMany('trace', ['b'])).toEqual([undefined]);
    expect(redis.circuit?.status().state).toBe('open');
    const mgets = sent('MGET');
    const sets = sent('SET');
    // Open: misses go without a lookup, writes stay in process, hits come from the in-process layer.
    expect(await cache.getMany('trace', ['c', 'held'])).toEqual([undefined, { v: 1 }]);
    expect(await cache.set('trace', 'written-while-open', { v: 2 }, 60)).toBe(false);
    expect(await cache.getMany('trace', ['written-while-open'])).toEqual([{ v: 2 }]);
    expect([sent('MGET'), sent('SET')]).toEqual([mgets, sets]);
    expect(redis.isUsableForLocks).toBe(false);
  });

  it('probes with one command after the cool-off, and writes again once Redis answers', async () => {
    const { fake, cache, redis, sent } = await setup();
    fake.isFrozen = true;
    await cache.getMany('trace', ['a']);
    await cache.getMany('trace', ['b']);
    expect(redis.circuit?.status().state).toBe('open');
    // Still frozen at the probe: it times out and the breaker opens again.
    await sleep(COOL_OFF_MS + 20);
    const before = sent('MGET');
    await cache.getMany('trace', ['c']);
    expect(sent('MGET')).toBe(before + 1);
    expect(redis.circuit?.status().state).toBe('open');
    fake.thaw();
    await sleep(COOL_OFF_MS + 20);
    expect(await cache.getMany('trace', ['d'])).toEqual([undefined]);
    expect(redis.circuit?.status().state).toBe('closed');
    const sets = sent('SET');
    expect(await cache.set('trace', 'after', { v: 3 }, 60)).toBe(true);
    expect(sent('SET')).toBe(sets + 1);
    expect(redis.isUsableForLocks).toBe(true);
  });
});
