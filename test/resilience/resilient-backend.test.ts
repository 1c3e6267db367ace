import { describe, expect, it } from 'vitest';
import type { Backend, CallOptions } from '../../src/backends/backend.js';
import { BackendError } from '../../src/errors.js';
import { CircuitBoard, circuitStatusOf, withResilience } from '../../src/resilience/index.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const COOL_OFF_MS = 60;
const settings = (overrides: { consecutiveFailures?: number } = {}) => ({
  circuitBreaker: { enabled: true, consecutiveFailures: overrides.consecutiveFailures ?? 3, halfOpenAfterMs: COOL_OFF_MS },
  hedge: { enabled: false, minDelayMs: 50 },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unavailable = () => new BackendError('BACKEND_UNAVAILABLE', 'b', 'connect ECONNREFUSED 127.0.0.1:1');
const call = (): CallOptions => ({ signal: new AbortController().signal });

function setup(consecutiveFailures = 3) {
  const inner = new ScriptedBackend('b', { services: ['web'] });
  const board = new CircuitBoard();
  const refused: string[] = [];
  const states: string[] = [];
  board.watch({ refused: (label, reason) => refused.push(`${label}:${reason}`), stateChanged: (label, state) => states.push(`${label}:${state}`) });
  const backend = withResilience(inner, settings({ consecutiveFailures }), 'b@team', board);
  const services = () => backend.getServices(call());
  const outcome = () =>
    services().then(
      () => 'ok',
      (e: BackendError) => `${e.code}${e.publicReason.startsWith('circuit open') ? ' (circuit open)' : ''}`,
    );
  return { inner, backend, board, refused, states, services, outcome };
}

describe('the circuit breaker in front of a backend', () => {
  it('opens after consecutiveFailures failures in a row and then refuses at once, without calling the backend', async () => {
    const { inner, backend, outcome, refused, states } = setup();
    inner.script.fail = unavailable();
    expect([await outcome(), await outcome(), await outcome()]).toEqual(['BACKEND_UNAVAILABLE', 'BACKEND_UNAVAILABLE', 'BACKEND_UNAVAILABLE']);
    expect(circuitStatusOf(backend)?.state).toBe('open');
    const callsWhenOpened = inner.calls.length;
    expect([await outcome(), await outcome()]).toEqual(['BACKEND_UNAVAILABLE (circuit open)', 'BACKEND_UNAVAILABLE (circuit open)']);
    expect(inner.calls.length).toBe(callsWhenOpened);
    expect(refused).toEqual(['b@team:circuitOpen', 'b@team:circuitOpen']);
    expect(states).toEqual(['b@team:open']);
  });

  it('hands every call it refuses during one opening the same error, so the log gets it once', async () => {
    const { inner, services } = setup(1);
    inner.script.fail = unavailable();
    await services().catch(() => undefined);
    const [a, b] = await Promise.all([services().catch((e) => e), services().catch((e) => e)]);
    expect(a).toBeInstanceOf(BackendError);
    expect(a).toBe(b);
    expect((a as BackendError).publicReason).toMatch(
      /^circuit open since \d{4}-.*\(BACKEND_UNAVAILABLE: unavailable\); the first call after .* probes it$/,
    );
  });

  it('counts failures in a row only: a success in between starts the count again', async () => {
    const { inner, backend, outcome } = setup();
    inner.script.fail = unavailable();
    await outcome();
    await outcome();
    delete inner.script.fail;
    expect(await outcome()).toBe('ok');
    inner.script.fail = unavailable();
    await outcome();
    await outcome();
    expect(circuitStatusOf(backend)?.state).toBe('closed');
  });

  it.each([
    { description: 'BACKEND_REJECTED (the backend answered: the query was wrong)', code: 'BACKEND_REJECTED' as const },
    { description: 'BACKEND_UNSUPPORTED (the query cannot be served here)', code: 'BACKEND_UNSUPPORTED' as const },
  ])('never opens for $description', async ({ code }) => {
    const { inner, backend, outcome } = setup();
    inner.script.fail = new BackendError(code, 'b', 'no');
    for (let i = 0; i < 5; i++) expect(await outcome()).toBe(code);
    expect(circuitStatusOf(backend)?.state).toBe('closed');
  });

  it('counts a timeout of the backend itself, not a request deadline that passed first', async () => {
    const { inner, backend } = setup();
    inner.script.delayMs = 1_000;
    const abortedAt = (kind: 'own' | 'deadline') => {
      const controller = new AbortController();
      const now = Date.now();
      // Own timeout: fires first at timeoutAt. Deadline: fires before the backend's timeout would.
      const options: CallOptions =
        kind === 'own'
          ? { signal: controller.signal, timeoutAt: now + 20, deadlineAt: now + 500 }
          : { signal: controller.signal, timeoutAt: now + 500, deadlineAt: now + 20 };
      setTimeout(() => controller.abort(), 20);
      return backend.getServices(options).catch((e: BackendError) => e.code);
    };
    for (let i = 0; i < 5; i++) expect(await abortedAt('deadline')).toBe('BACKEND_TIMEOUT');
    expect(circuitStatusOf(backend)?.state).toBe('closed');
    for (let i = 0; i < 3; i++) await abortedAt('own');
    expect(circuitStatusOf(backend)?.state).toBe('open');
  });

  it('counts a trace batch whose every trace failed as a failure', async () => {
    const inner = new ScriptedBackend('b');
    (inner as Backend).getTraces = async (ids) => ids.map(() => unavailable());
    const backend = withResilience(inner, settings({ consecutiveFailures: 2 }), 'b', new CircuitBoard());
    await backend.getTraces(['a'.repeat(32) as never], call());
    await backend.getTraces(['a'.repeat(32) as never], call());
    expect(circuitStatusOf(backend)?.state).toBe('open');
  });

  it('lets one probe through after the cool-off, refuses the others meanwhile, and closes when it succeeds', async () => {
    const { inner, backend, outcome, states } = setup(1);
    inner.script.fail = unavailable();
    await outcome();
    expect(circuitStatusOf(backend)?.state).toBe('open');
    await sleep(COOL_OFF_MS + 10);
    expect(circuitStatusOf(backend)?.state).toBe('halfOpen');
    inner.script = { services: ['web'], delayMs: 30 };
    const callsBefore = inner.calls.length;
    const [probe, other] = await Promise.all([outcome(), outcome()]);
    expect([probe, other]).toEqual(['ok', 'BACKEND_UNAVAILABLE (circuit open)']);
    expect(inner.calls.length - callsBefore).toBe(1);
    expect(circuitStatusOf(backend)?.state).toBe('closed');
    expect(await outcome()).toBe('ok');
    expect(states).toEqual(['b@team:open', 'b@team:halfOpen', 'b@team:closed']);
  });

  it('opens again for another cool-off when the probe fails', async () => {
    const { inner, backend, outcome } = setup(1);
    inner.script.fail = unavailable();
    await outcome();
    await sleep(COOL_OFF_MS + 10);
    expect(await outcome()).toBe('BACKEND_UNAVAILABLE');
    expect(circuitStatusOf(backend)?.state).toBe('open');
    expect(await outcome()).toBe('BACKEND_UNAVAILABLE (circuit open)');
  });

  it('passes health probes through while open', async () => {
    const { inner, backend, outcome } = setup(1);
    inner.script.fail = unavailable();
    await outcome();
    expect(circuitStatusOf(backend)?.state).toBe('open');
    expect(await backend.health(call())).toMatchObject({ healthy: true });
  });

  it('has no circuit with circuitBreaker.enabled false', async () => {
    const inner = new ScriptedBackend('b', { fail: unavailable() });
    const backend = withResilience(
      inner,
      { ...settings(), circuitBreaker: { ...settings().circuitBreaker, enabled: false } },
      'b',
      new CircuitBoard(),
    );
    for (let i = 0; i < 5; i++) await backend.getServices(call()).catch(() => undefined);
    expect(inner.calls).toHaveLength(5);
    expect(circuitStatusOf(backend)).toBeUndefined();
  });
});

describe('the deadline check in front of a backend', () => {
  it('does not start a call whose remaining deadline is shorter than what the backend usually needs', async () => {
    const { inner, backend, refused } = setup();
    inner.script.delayMs = 40;
    for (let i = 0; i < 10; i++) await backend.getServices(call());
    const calls = inner.calls.length;
    const now = Date.now();
    const error = (await backend
      .getServices({ signal: new AbortController().signal, timeoutAt: now + 1_000, deadlineAt: now + 10 })
      .catch((e) => e)) as BackendError;
    expect(error.code).toBe('BACKEND_TIMEOUT');
    expect(error.publicReason).toMatch(/^remaining deadline \d+ ms is shorter than the \d+ ms this backend usually needs$/);
    expect(inner.calls.length).toBe(calls);
    expect(refused).toEqual(['b@team:deadline']);
    // Enough time left: called.
    await backend.getServices({ signal: new AbortController().signal, timeoutAt: Date.now() + 1_000, deadlineAt: Date.now() + 1_000 });
    expect(inner.calls.length).toBe(calls + 1);
  });

  it('starts every call while it has fewer than ten answers to judge by', async () => {
    const { inner, backend } = setup();
    inner.script.delayMs = 40;
    for (let i = 0; i < 9; i++) await backend.getServices(call());
    await backend
      .getServices({ signal: new AbortController().signal, timeoutAt: Date.now() + 1_000, deadlineAt: Date.now() + 10 })
      .catch(() => undefined);
    expect(inner.calls).toHaveLength(10);
  });

  it('does not count a refusal for the deadline against the circuit', async () => {
    const { inner, backend } = setup(1);
    inner.script.delayMs = 20;
    for (let i = 0; i < 10; i++) await backend.getServices(call());
    for (let i = 0; i < 3; i++)
      await backend.getServices({ signal: new AbortController().signal, deadlineAt: Date.now() + 1 }).catch(() => undefined);
    expect(circuitStatusOf(backend)?.state).toBe('closed');
  });
});

describe('a backend that ignores its abort signal', () => {
  it('still ends the half-open probe at the abort, so its circuit does not stay half-open', async () => {
    const { inner, backend } = setup(1);
    inner.script.fail = unavailable();
    await backend.getServices(call()).catch(() => undefined);
    await sleep(COOL_OFF_MS + 10);
    inner.script = { delayMs: 60_000, ignoreSignal: true };
    const controller = new AbortController();
    const now = Date.now();
    setTimeout(() => controller.abort(), 20);
    const error = (await backend
      .getServices({ signal: controller.signal, timeoutAt: now + 20, deadlineAt: now + 1_000 })
      .catch((e) => e)) as BackendError;
    expect(error.code).toBe('BACKEND_TIMEOUT');
    // The probe failed (the backend's own timeout): open again, not stuck half-open.
    expect(circuitStatusOf(backend)?.state).toBe('open');
  });
});
