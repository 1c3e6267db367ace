/**
 * Scenario 11 — degrade fast (issue 18): a private Zipkin holding half of the split trace (the shared
 * Jaeger, read only, holds the other half), then a private Redis, frozen with SIGSTOP under 8 clients,
 * with the circuit breaker on and off side by side in one run. Each row: throughput while frozen (from
 * 1.5 s into the freeze, once the breaker has opened) against the baseline just before it, the
 * latency of those answers, and how long after SIGCONT answers were complete again. Backend timeout
 * 1 s, request deadline 1.5 s, as in the issue's report. Needs only the shared servers (it starts its
 * own Zipkin and Redis): `npm run bench -- 11`.
 */
import { createServer, type Server } from 'node:http';
import { buildDataset, TRACE_IDS } from '../../test/support/dataset/dataset.js';
import { heldBase, sendSpans, waitUntilHeld, type ZipkinTarget } from '../../test/support/dataset/load.js';
import { startGateway, type TestGateway } from '../../test/support/gateway.js';
import { sleep } from '../../test/support/harness/process.js';
import { down, ENDPOINTS, redisServer, up, zipkinServer } from '../../test/support/harness/servers.js';
import { askTrace, judgeTrace, quantile, rateBetween, signalServer, startLoad } from '../../test/resilience/freeze-load.js';
import type { Row, ScenarioResult } from '../lib/report.js';
import { fmt, interleaved } from '../lib/stats.js';

const ZIPKIN = { name: 'bench-zipkin-freeze', port: 19781 };
const REDIS = { name: 'bench-redis-freeze', port: 6397 };
const zipkinTarget: ZipkinTarget = { kind: 'zipkin', url: `http://127.0.0.1:${ZIPKIN.port}` };
const CLIENTS = 8;
const HALF = 4;
const BASELINE_MS = 3_000;
const FROZEN_MS = 4_500;
/** Throughput is judged from here into the freeze: after the first timeouts opened the breaker. */
const SETTLE_MS = 1_500;

interface Figures {
  baselineRate: number;
  frozenRate: number;
  baselineMedian: number;
  frozenMedian: number;
  frozenP99: number;
  recoveryMs: number | null;
  wrong: number;
}

/** Baseline, freeze, thaw under a closed loop of CLIENTS; `isGood` says an answer was complete and right. */
async function freezeRun(server: string, ask: (client: number) => Promise<'good' | 'degraded' | 'wrong'>): Promise<Figures> {
  const load = startLoad(CLIENTS, ask);
  const t0 = performance.now();
  await sleep(BASELINE_MS);
  const frozenAt = performance.now();
  signalServer(server, 'SIGSTOP');
  let thawedAt: number;
  try {
    await sleep(FROZEN_MS);
  } finally {
    thawedAt = performance.now();
    signalServer(server, 'SIGCONT');
  }
  const recovered = () => load.answers.find((a) => a.startedAt > thawedAt && a.value === 'good');
  while (performance.now() - thawedAt < 10_000 && !recovered()) await sleep(50);
  const answers = await load.stop();
  const baseline = answers.filter((a) => a.startedAt >= t0 + 500 && a.endedAt <= frozenAt);
  const frozen = answers.filter((a) => a.startedAt >= frozenAt + SETTLE_MS && a.endedAt <= thawedAt);
  const end = recovered()?.endedAt;
  return {
    baselineRate: rateBetween(answers, t0 + 500, frozenAt),
    frozenRate: rateBetween(answers, frozenAt + SETTLE_MS, thawedAt),
    baselineMedian: quantile(
      baseline.map((a) => a.ms),
      0.5,
    ),
    frozenMedian: quantile(
      frozen.map((a) => a.ms),
      0.5,
    ),
    frozenP99: quantile(
      frozen.map((a) => a.ms),
      0.99,
    ),
    recoveryMs: end === undefined ? null : end - thawedAt,
    wrong: answers.filter((a) => a.value === 'wrong').length,
  };
}

function row(what: string, f: Figures, goal: string, isMet: boolean): Row {
  const ratio = f.frozenRate / f.baselineRate;
  return {
    case: `${what}: ${f.frozenRate.toFixed(0)} vs ${f.baselineRate.toFixed(0)} answers/s; complete again ${f.recoveryMs === null ? 'not within 10 s' : `${fmt(f.recoveryMs)} ms`} after SIGCONT; wrong answers ${f.wrong}`,
    median: fmt(f.frozenMedian),
    p99: fmt(f.frozenP99),
    baseline: fmt(f.baselineMedian),
    ratio: `${ratio.toFixed(2)}× (throughput)`,
    goal,
    met: isMet ? 'yes' : 'no',
  };
}

async function backendFreeze(isBreakerOn: boolean): Promise<Figures> {
  const gateway = await startGateway({
    backends: [
      { kind: 'jaeger', name: 'jaeger', url: ENDPOINTS.jaeger.query, timeoutMs: 1_000 },
      {
        kind: 'zipkin',
        name: 'zipkin',
        url: zipkinTarget.url,
        timeoutMs: 1_000,
        circuitBreaker: { enabled: isBreakerOn, consecutiveFailures: 5, halfOpenAfterMs: 2_000 },
      },
    ],
    federation: { requestTimeoutMs: 1_500 },
    cache: { enabled: false },
  });
  try {
    return await freezeRun(ZIPKIN.name, async () => {
      const verdict = judgeTrace(await askTrace(gateway, TRACE_IDS.SPLIT), HALF);
      return verdict === 'complete' ? 'good' : verdict === 'wrong' ? 'wrong' : 'degraded';
    });
  } finally {
    await gateway.close();
  }
}

async function redisFreeze(isBreakerOn: boolean): Promise<Figures> {
  const gateway: TestGateway = await startGateway({
    backends: [
      { kind: 'jaeger', name: 'jaeger', url: ENDPOINTS.jaeger.query, timeoutMs: 1_000 },
      { kind: 'zipkin', name: 'zipkin', url: zipkinTarget.url, timeoutMs: 1_000 },
    ],
    federation: { requestTimeoutMs: 1_500 },
    cache: {
      redis: {
        url: `redis://127.0.0.1:${REDIS.port}`,
        keyPrefix: `bench-freeze-${Date.now()}:`,
        commandTimeoutMs: 150,
        breaker: { enabled: isBreakerOn, consecutiveFailures: 3, halfOpenAfterMs: 1_500 },
      },
    },
  });
  let n = 0;
  try {
    await askTrace(gateway, TRACE_IDS.SPLIT);
    // A hit from the in-process layer and a miss (an id nobody holds: a Redis lookup, then both backends).
    return await freezeRun(REDIS.name, async (client) => {
      const hit = judgeTrace(await askTrace(gateway, TRACE_IDS.SPLIT), HALF);
      const miss = await gateway.query('query ($id: ID!) { trace(id: $id) { spanCount } }', {
        id: `${(client + 1).toString(16).padStart(2, '0')}${(n++).toString(16).padStart(30, '0')}`,
      });
      return hit === 'complete' && miss.data?.trace === null && miss.errors === undefined ? 'good' : 'wrong';
    });
  } finally {
    await gateway.close();
  }
}

/** An HTTP proxy to Zipkin that holds every `nth` request `delayMs` before passing it on: one slow replica of several. */
async function slowEveryNth(nth: number, delayMs: number): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer(async (req, res) => {
    requests++;
    if (requests % nth === 0) await sleep(delayMs);
    try {
      const upstream = await fetch(`${zipkinTarget.url}${req.url}`, { headers: { accept: 'application/json' } });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const HEDGE_NTH = 25;
const HEDGE_SLOW_MS = 300;

/** Trace by id from Zipkin alone, one replica in HEDGE_NTH answering HEDGE_SLOW_MS late, hedge off and on, interleaved. */
async function hedgeRows(): Promise<Row[]> {
  const proxies = [await slowEveryNth(HEDGE_NTH, HEDGE_SLOW_MS), await slowEveryNth(HEDGE_NTH, HEDGE_SLOW_MS)];
  const gateways = await Promise.all(
    proxies.map((proxy, i) =>
      startGateway({
        backends: [{ kind: 'zipkin', name: 'zipkin', url: proxy.url, timeoutMs: 1_000, hedge: { enabled: i === 1, minDelayMs: 20 } }],
        cache: { enabled: false },
      }),
    ),
  );
  try {
    const ask = (g: TestGateway) => async () => {
      const r = await askTrace(g, TRACE_IDS.SPLIT);
      if (r.data?.trace?.spanCount !== HALF) throw new Error(`hedge run: unexpected answer ${JSON.stringify(r).slice(0, 300)}`);
    };
    // Warm-up past the ten answers the p95 needs; then the measured rounds.
    for (let i = 0; i < 12; i++) for (const g of gateways) await ask(g)();
    const counted = proxies.map((p) => p.requests());
    const rounds = 400;
    const s = await interleaved({ off: ask(gateways[0]!), on: ask(gateways[1]!) }, rounds, 60_000, 0);
    const extra = (proxies[1]!.requests() - counted[1]!) / (proxies[0]!.requests() - counted[0]!) - 1;
    return [
      {
        case: `hedged trace fetch (Zipkin alone, 1 request in ${HEDGE_NTH} held ${HEDGE_SLOW_MS} ms): hedge on; ${(extra * 100).toFixed(1)} % more requests to the backend`,
        median: fmt(s.on!.median),
        p99: fmt(s.on!.p99),
        baseline: `${fmt(s.off!.median)} (p99 ${fmt(s.off!.p99)}, hedge off)`,
        ratio: `${(s.on!.p99 / s.off!.p99).toFixed(2)}× (p99)`,
        goal: 'measured, off by default',
        met: 'n/a',
      },
    ];
  } finally {
    await Promise.all(gateways.map((g) => g.close()));
    await Promise.all(proxies.map((p) => p.close()));
  }
}

export async function freezeScenario(): Promise<ScenarioResult> {
  await down([ZIPKIN.name, REDIS.name]);
  await up([zipkinServer(ZIPKIN.name, ZIPKIN.port), redisServer(REDIS.name, REDIS.port)]);
  try {
    // Zipkin's half at the base time the shared Jaeger holds the dataset at, so the halves are one trace.
    const base = await heldBase({ kind: 'jaeger', query: ENDPOINTS.jaeger.query, otlp: ENDPOINTS.jaeger.otlp });
    if (base === null) throw new Error('the shared Jaeger holds no dataset: run the integration setup (npm run backends:up) first');
    const spans = buildDataset(base).zipkin;
    await sendSpans(zipkinTarget, spans);
    await waitUntilHeld(zipkinTarget, spans);
    const on = await backendFreeze(true);
    const off = await backendFreeze(false);
    const redisOn = await redisFreeze(true);
    const redisOff = await redisFreeze(false);
    const hedge = await hedgeRows();
    return {
      title: '11. Degrade fast: Zipkin, then Redis, frozen with SIGSTOP under 8 clients (backend timeout 1 s, deadline 1.5 s)',
      baselineName: 'before the freeze',
      rows: [
        row(
          'Zipkin frozen, breaker on (partial answers)',
          on,
          '≥ 0.5×, p99 < 1,000 ms',
          on.frozenRate / on.baselineRate >= 0.5 && on.frozenP99 < 1_000 && on.wrong === 0,
        ),
        row('Zipkin frozen, breaker off (partial answers)', off, 'for comparison', true),
        row(
          'Redis frozen, breaker on (a hit and a miss per round)',
          redisOn,
          '≥ 0.5×, p99 < 1,000 ms',
          redisOn.frozenRate / redisOn.baselineRate >= 0.5 && redisOn.frozenP99 < 1_000 && redisOn.wrong === 0,
        ),
        row('Redis frozen, breaker off (a hit and a miss per round)', redisOff, 'for comparison', true),
        ...hedge,
      ],
      notes: [
        `Throughput counts answers that started ${SETTLE_MS / 1000} s or more into the ${FROZEN_MS / 1000} s freeze, against the ${BASELINE_MS / 1000} s before it (its first 0.5 s left out).`,
        'With the breaker on, the first calls to the frozen Zipkin wait its 1 s timeout; five of them open the circuit, then calls are refused at once (BACKEND_UNAVAILABLE, circuit open) and one probe every 2 s waits a timeout.',
      ],
    };
  } finally {
    for (const name of [ZIPKIN.name, REDIS.name]) {
      try {
        signalServer(name, 'SIGCONT');
      } catch {
        /* not started */
      }
    }
    await down([ZIPKIN.name, REDIS.name]);
  }
}
