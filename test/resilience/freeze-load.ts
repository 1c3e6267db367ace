/**
 * What the freeze test (test/integration/degrade-fast.int.test.ts) and the freeze benchmark
 * (bench/scenarios/freeze.ts) share: a bounded closed-loop load (N clients, each asking again as soon as
 * it has an answer), freezing a server process like an operator's SIGSTOP (connected, answering
 * nothing), and judging each answer of a trace held half by Jaeger and half by the frozen Zipkin.
 */
import type { GraphQLResponse, TestGateway } from '../support/gateway.js';
import { readPid } from '../support/harness/process.js';

export interface Timed<T> {
  startedAt: number;
  endedAt: number;
  ms: number;
  value: T;
}

export interface Load<T> {
  /** Answers so far (the load goes on). */
  readonly answers: ReadonlyArray<Timed<T>>;
  /** Stops asking, waits for the answers in flight, returns them all. */
  stop(): Promise<Array<Timed<T>>>;
}

/** `clients` loops of `ask`, each asking again at once, until `stop()` (or `maxMs`, a safety bound). */
export function startLoad<T>(clients: number, ask: (client: number) => Promise<T>, maxMs = 60_000): Load<T> {
  const answers: Array<Timed<T>> = [];
  let isStopped = false;
  const until = performance.now() + maxMs;
  const loops = Array.from({ length: clients }, async (_, client) => {
    while (!isStopped && performance.now() < until) {
      const startedAt = performance.now();
      const value = await ask(client);
      const endedAt = performance.now();
      answers.push({ startedAt, endedAt, ms: endedAt - startedAt, value });
    }
  });
  return {
    answers,
    async stop() {
      isStopped = true;
      await Promise.all(loops);
      return answers;
    },
  };
}

/** SIGSTOP / SIGCONT to a server the harness started (its whole process group, as `kill -STOP -pid`). */
export function signalServer(name: string, signal: 'SIGSTOP' | 'SIGCONT'): void {
  const pid = readPid(name);
  if (pid === null) throw new Error(`no pid file for ${name}`);
  try {
    process.kill(-pid, signal);
  } catch {
    process.kill(pid, signal);
  }
}

export const TRACE_QUERY = `query ($id: ID!) { trace(id: $id) { spanCount isComplete backendStatus { backend state code reason cached } } }`;

export type Verdict = 'complete' | 'partial' | 'circuitOpen' | 'wrong';

/**
 * A trace held half by Jaeger (`half` spans) and half by the frozen Zipkin: complete (both halves, no
 * error), partial (Jaeger's half, Zipkin FAILED or TIMEOUT with BACKEND_UNAVAILABLE or BACKEND_TIMEOUT
 * and the matching error), `circuitOpen` (partial, refused by Zipkin's open circuit), anything else wrong.
 */
export function judgeTrace(response: GraphQLResponse, half: number): Verdict {
  const trace = response.data?.trace;
  if (response.status !== 200 || !trace) return 'wrong';
  const zipkin = trace.backendStatus.find((s: { backend: string }) => s.backend === 'zipkin');
  const jaeger = trace.backendStatus.find((s: { backend: string }) => s.backend === 'jaeger');
  if (jaeger?.state !== 'OK') return 'wrong';
  if (trace.spanCount === 2 * half && trace.isComplete && zipkin?.state === 'OK' && !response.errors) return 'complete';
  const codes = (response.errors ?? []).map((e) => `${e.extensions?.code}/${e.extensions?.backend}`);
  const isPartial =
    trace.spanCount === half &&
    !trace.isComplete &&
    ((zipkin?.state === 'FAILED' && zipkin.code === 'BACKEND_UNAVAILABLE') || (zipkin?.state === 'TIMEOUT' && zipkin.code === 'BACKEND_TIMEOUT')) &&
    codes.length === 1 &&
    codes[0] === `${zipkin.code}/zipkin`;
  if (!isPartial) return 'wrong';
  return String(zipkin.reason).startsWith('circuit open') ? 'circuitOpen' : 'partial';
}

export const askTrace = (gateway: TestGateway, id: string) => gateway.query(TRACE_QUERY, { id });

/** The q-quantile of `ms` (nearest rank). */
export function quantile(ms: readonly number[], q: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Answers per second of those that started at or after `from` and ended before `to` (performance.now ms). */
export function rateBetween<T>(answers: ReadonlyArray<Timed<T>>, from: number, to: number): number {
  return answers.filter((a) => a.startedAt >= from && a.endedAt <= to).length / ((to - from) / 1000);
}
