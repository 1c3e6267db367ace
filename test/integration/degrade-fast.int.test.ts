/**
 * Degrading fast (issue 18), against real servers: a private Zipkin holding its half of the split trace
 * (the shared Jaeger, read only, holds the other half) and a private Redis, each frozen with SIGSTOP
 * (connected, answering nothing) under a bounded load of 8 clients, then thawed with SIGCONT.
 *
 * Zipkin frozen: once its circuit opens, throughput stays at least half of the baseline and p99 under
 * the backend's 1 s timeout; every answer is Jaeger's half with Zipkin's BACKEND_TIMEOUT (the calls that
 * open the circuit) or BACKEND_UNAVAILABLE "circuit open"; within a few seconds of SIGCONT answers are
 * complete again, and the partial answer was not cached. Redis frozen: in-process hits still served,
 * misses go straight to the backends at baseline speed once the Redis breaker opens, and Redis is
 * written again after SIGCONT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS } from '../support/dataset/dataset.js';
import { sendSpans, waitUntilHeld, type ZipkinTarget } from '../support/dataset/load.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { sleep } from '../support/harness/process.js';
import { down, redisServer, up, zipkinServer } from '../support/harness/servers.js';
import { BACKEND_CONFIG, loadedDataset } from '../support/real-backends.js';
import { askTrace, judgeTrace, quantile, rateBetween, signalServer, startLoad, type Verdict } from '../resilience/freeze-load.js';
import { keysUnder, redisClient, uniquePrefix } from './cache/cache-setup.js';

const ZIPKIN = { name: 'zipkin-freeze', port: 19771 };
const REDIS = { name: 'redis-freeze', port: 6396 };
const zipkinTarget: ZipkinTarget = { kind: 'zipkin', url: `http://127.0.0.1:${ZIPKIN.port}` };
const redisUrl = `redis://127.0.0.1:${REDIS.port}`;
const BACKEND_TIMEOUT_MS = 1_000;
const HALF = 4;
const CLIENTS = 8;

const backends = [
  { ...BACKEND_CONFIG.jaeger, timeoutMs: BACKEND_TIMEOUT_MS },
  {
    kind: 'zipkin',
    name: 'zipkin',
    url: zipkinTarget.url,
    timeoutMs: BACKEND_TIMEOUT_MS,
    circuitBreaker: { consecutiveFailures: 5, halfOpenAfterMs: 2_000 },
  },
];
const federation = { requestTimeoutMs: 1_500 };
const prefix = uniquePrefix('degrade-fast');

let direct: TestGateway;
let cached: TestGateway;

beforeAll(async () => {
  await up([zipkinServer(ZIPKIN.name, ZIPKIN.port), redisServer(REDIS.name, REDIS.port)]);
  const spans = loadedDataset().zipkin;
  await sendSpans(zipkinTarget, spans);
  await waitUntilHeld(zipkinTarget, spans);
  direct = await startGateway({ backends, federation, cache: { enabled: false } });
  cached = await startGateway({
    backends,
    federation,
    cache: { redis: { url: redisUrl, keyPrefix: prefix, commandTimeoutMs: 150, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1_500 } } },
  });
}, 300_000);

afterAll(async () => {
  // Thawed whatever happened, before anything else: a stopped process outlives the test run.
  for (const name of [ZIPKIN.name, REDIS.name]) {
    try {
      signalServer(name, 'SIGCONT');
    } catch {
      /* never started */
    }
  }
  await direct?.close();
  await cached?.close();
  await down([ZIPKIN.name, REDIS.name]);
});

const metric = async (gateway: TestGateway, line: RegExp): Promise<number | undefined> => {
  const text = await (await fetch(`${new URL(gateway.url).origin}/metrics`)).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? undefined : Number(found.split(' ').at(-1));
};

describe('a frozen backend', () => {
  it('costs one timeout, then answers partial at baseline speed until it thaws, and nothing partial is cached', async () => {
    const id = TRACE_IDS.SPLIT;
    expect(judgeTrace(await askTrace(direct, id), HALF)).toBe('complete');
    const load = startLoad(CLIENTS, async () => judgeTrace(await askTrace(direct, id), HALF));
    const t0 = performance.now();
    let frozenAt = 0;
    let thawedAt = 0;
    let during: {
      backends: Array<{ name: string; healthy: boolean; detail: string | null; circuit: string | null }>;
      circuitState: number | undefined;
      cachedAnswer: Verdict;
    };
    try {
      await sleep(3_000);
      frozenAt = performance.now();
      signalServer(ZIPKIN.name, 'SIGSTOP');
      // Looked at as soon as an answer says the circuit opened: open for the next 2 s whatever the timing.
      while (performance.now() - frozenAt < 3_000 && !load.answers.some((a) => a.value === 'circuitOpen')) await sleep(20);
      during = {
        backends: (await direct.query('{ backends { name healthy detail circuit } }')).data.backends,
        circuitState: await metric(direct, /^tracegate_circuit_state\{circuit="zipkin"\}/),
        cachedAnswer: judgeTrace(await askTrace(cached, id), HALF),
      };
      await sleep(Math.max(0, frozenAt + 4_500 - performance.now()));
    } finally {
      thawedAt = performance.now();
      signalServer(ZIPKIN.name, 'SIGCONT');
    }
    // Recovered: a complete answer that started after SIGCONT, within a few seconds.
    while (performance.now() - thawedAt < 8_000 && !load.answers.some((a) => a.startedAt > thawedAt && a.value === 'complete')) await sleep(100);
    const answers = await load.stop();

    expect(answers.filter((a) => a.value === 'wrong')).toEqual([]);
    const recovered = answers.find((a) => a.startedAt > thawedAt && a.value === 'complete');
    expect(recovered, 'a complete answer within 8 s of SIGCONT').toBeDefined();
    expect(recovered!.endedAt - thawedAt).toBeLessThan(5_000);

    const baseline = answers.filter((a) => a.startedAt >= t0 + 500 && a.endedAt <= frozenAt);
    expect(baseline.every((a) => a.value === 'complete')).toBe(true);
    // During the freeze: partial only; timeouts first (the calls that open the circuit), then refusals.
    const frozen = answers.filter((a) => a.startedAt > frozenAt + 50 && a.endedAt < thawedAt);
    expect(new Set(frozen.map((a) => a.value))).toEqual(new Set(['partial', 'circuitOpen']));
    const openedAt = frozen.find((a) => a.value === 'circuitOpen')!.startedAt;
    expect(openedAt - frozenAt).toBeLessThan(2 * BACKEND_TIMEOUT_MS + 500);
    const afterOpen = frozen.filter((a) => a.startedAt >= openedAt);
    const ratio = rateBetween(answers, openedAt, thawedAt) / rateBetween(answers, t0 + 500, frozenAt);
    expect(ratio, `throughput during the freeze / baseline (${afterOpen.length} answers after the circuit opened)`).toBeGreaterThanOrEqual(0.5);
    expect(
      quantile(
        afterOpen.map((a) => a.ms),
        0.99,
      ),
    ).toBeLessThan(BACKEND_TIMEOUT_MS);

    // Seen while frozen: the circuit in Query.backends and the metrics; the cached gateway answered partial.
    expect(during!.backends.find((b) => b.name === 'zipkin')).toMatchObject({
      healthy: false,
      detail: expect.stringMatching(/^circuit open since /),
      circuit: 'OPEN',
    });
    expect(during!.backends.find((b) => b.name === 'jaeger')).toMatchObject({ healthy: true, circuit: 'CLOSED' });
    expect(during!.circuitState).toBe(1);
    expect(['partial', 'circuitOpen']).toContain(during!.cachedAnswer);
    expect(await metric(direct, /^tracegate_circuit_refused_total\{circuit="zipkin",reason="circuitOpen"\}/)).toBeGreaterThan(0);
    expect(await metric(direct, /^tracegate_circuit_state\{circuit="zipkin"\}/)).toBe(0);

    // The cached gateway's partial answer was not stored: Zipkin's half is asked again, Jaeger's comes from the cache.
    const after = await askTrace(cached, id);
    expect(judgeTrace(after, HALF)).toBe('complete');
    expect(after.data.trace.backendStatus).toEqual([
      expect.objectContaining({ backend: 'jaeger', state: 'OK', cached: true }),
      expect.objectContaining({ backend: 'zipkin', state: 'OK', cached: false }),
    ]);
  }, 60_000);
});

describe('a frozen Redis', () => {
  it('costs a few command timeouts, then misses go straight to the backends, hits stay in process, and Redis is written again after it thaws', async () => {
    const hitId = TRACE_IDS.SPLIT;
    expect(judgeTrace(await askTrace(cached, hitId), HALF)).toBe('complete');
    // Each client alternates an in-process hit and a miss (an id nobody holds: a Redis lookup, then both backends).
    let n = 0;
    const load = startLoad(CLIENTS, async (client) => {
      const hit = await askTrace(cached, hitId);
      const missId = `${(client + 1).toString(16).padStart(2, '0')}${(n++).toString(16).padStart(30, '0')}`;
      const miss = await cached.query('query ($id: ID!) { trace(id: $id) { spanCount } }', { id: missId });
      const isHitRight = judgeTrace(hit, HALF) === 'complete' && hit.data.trace.backendStatus.every((s: { cached: boolean }) => s.cached);
      const isMissRight = miss.status === 200 && miss.data?.trace === null && miss.errors === undefined;
      return isHitRight && isMissRight ? 'ok' : JSON.stringify({ hit: isHitRight ? 'ok' : hit, miss: isMissRight ? 'ok' : miss });
    });
    const t0 = performance.now();
    let frozenAt = 0;
    let thawedAt = 0;
    let redisState: number | undefined;
    try {
      await sleep(2_500);
      frozenAt = performance.now();
      signalServer(REDIS.name, 'SIGSTOP');
      await sleep(3_500);
      redisState = await metric(cached, /^tracegate_circuit_state\{circuit="redis"\}/);
    } finally {
      thawedAt = performance.now();
      signalServer(REDIS.name, 'SIGCONT');
    }
    await sleep(500);
    const answers = await load.stop();
    expect(answers.map((a) => a.value).filter((v) => v !== 'ok')).toEqual([]);
    // Open, or half-open once a cool-off has passed (its probe timing out opens it again).
    expect([1, 2]).toContain(redisState);
    // The breaker opens within a few 150 ms timeouts; judged from a second into the freeze.
    const ratio = rateBetween(answers, frozenAt + 1_000, thawedAt) / rateBetween(answers, t0 + 500, frozenAt);
    expect(ratio, 'throughput with Redis frozen / baseline').toBeGreaterThanOrEqual(0.5);
    const frozen = answers.filter((a) => a.startedAt >= frozenAt + 1_000 && a.endedAt <= thawedAt);
    expect(
      quantile(
        frozen.map((a) => a.ms),
        0.99,
      ),
    ).toBeLessThan(BACKEND_TIMEOUT_MS);

    // Thawed: the first lookup after the cool-off probes Redis, and a trace not asked before is written there.
    const redis = redisClient({ url: redisUrl });
    try {
      const keysBefore = (await keysUnder(redis, prefix)).length;
      let keysAfter = keysBefore;
      for (const id of [TRACE_IDS.CHECKOUT, TRACE_IDS.FULFIL, TRACE_IDS.HOME, TRACE_IDS.SEARCH, TRACE_IDS.BOTH, TRACE_IDS.SKEWED]) {
        await sleep(600);
        await askTrace(cached, id);
        keysAfter = (await keysUnder(redis, prefix)).length;
        if (keysAfter > keysBefore) break;
      }
      expect(keysAfter).toBeGreaterThan(keysBefore);
      expect(await metric(cached, /^tracegate_circuit_state\{circuit="redis"\}/)).toBe(0);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
