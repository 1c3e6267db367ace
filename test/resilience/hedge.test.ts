import { describe, expect, it } from 'vitest';
import type { Backend, BackendTrace, CallOptions } from '../../src/backends/backend.js';
import { BackendError } from '../../src/errors.js';
import { parseTraceId } from '../../src/model/index.js';
import { hedged } from '../../src/resilience/hedge.js';
import { CircuitBoard, withResilience } from '../../src/resilience/index.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

/** An attempt that answers `value` after `ms`, or rejects when aborted; records what happened to it. */
function scripted(plan: Array<{ ms: number; value?: string; error?: Error }>) {
  const log: string[] = [];
  let n = 0;
  const attempt = (signal: AbortSignal) => {
    const i = n++;
    const step = plan[i]!;
    log.push(`start ${i}`);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => (step.error ? reject(step.error) : resolve(step.value!)), step.ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        log.push(`abort ${i}`);
        reject(new Error('aborted'));
      });
    });
  };
  return { attempt, log };
}

describe('a hedged call', () => {
  it('sends a second attempt after the delay, takes the first answer and aborts the other', async () => {
    const { attempt, log } = scripted([
      { ms: 500, value: 'slow' },
      { ms: 10, value: 'fast' },
    ]);
    let hedges = 0;
    expect(await hedged(attempt, 20, new AbortController().signal, () => hedges++)).toBe('fast');
    expect(hedges).toBe(1);
    expect(log).toEqual(['start 0', 'start 1', 'abort 0']);
  });

  it('sends no second attempt when the first answers before the delay', async () => {
    const { attempt, log } = scripted([{ ms: 5, value: 'first' }]);
    expect(await hedged(attempt, 100, new AbortController().signal)).toBe('first');
    await new Promise((r) => setTimeout(r, 120));
    expect(log).toEqual(['start 0']);
  });

  it('fails at once, without a second attempt, when the first fails before the delay', async () => {
    const { attempt, log } = scripted([{ ms: 5, error: new Error('down') }]);
    await expect(hedged(attempt, 100, new AbortController().signal)).rejects.toThrow('down');
    expect(log).toEqual(['start 0']);
  });

  it('waits for the second attempt when the first fails after the delay', async () => {
    const { attempt } = scripted([
      { ms: 40, error: new Error('first failed') },
      { ms: 60, value: 'second' },
    ]);
    expect(await hedged(attempt, 20, new AbortController().signal)).toBe('second');
  });

  it("throws the first attempt's error when both fail", async () => {
    const { attempt } = scripted([
      { ms: 40, error: new Error('first failed') },
      { ms: 10, error: new Error('second failed') },
    ]);
    await expect(hedged(attempt, 20, new AbortController().signal)).rejects.toThrow('first failed');
  });

  it("aborts both attempts with the caller's signal", async () => {
    const { attempt, log } = scripted([
      { ms: 500, value: 'a' },
      { ms: 500, value: 'b' },
    ]);
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 40);
    await expect(hedged(attempt, 10, caller.signal)).rejects.toThrow('aborted');
    expect(log.sort()).toEqual(['abort 0', 'abort 1', 'start 0', 'start 1']);
  });
});

describe('hedged trace fetches of a backend', () => {
  const ID = parseTraceId('abc');
  const call = (): CallOptions => ({ signal: new AbortController().signal });

  it('hedge only getTraces, after the p95 of its recent answers, once they are known', async () => {
    const inner = new ScriptedBackend('b');
    let slowNext = false;
    const delays: number[] = [];
    (inner as Backend).getTraces = (ids, options) => {
      const ms = slowNext ? 1_000 : 5;
      slowNext = false;
      delays.push(ms);
      return new Promise<Array<BackendTrace | BackendError>>((resolve, reject) => {
        const timer = setTimeout(() => resolve(ids.map(() => ({ spans: [], warnings: [] }))), ms);
        options.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new BackendError('BACKEND_TIMEOUT', 'b', 'aborted'));
        });
      });
    };
    const backend = withResilience(
      inner,
      { circuitBreaker: { enabled: true, consecutiveFailures: 5, halfOpenAfterMs: 5_000 }, hedge: { enabled: true, minDelayMs: 20 } },
      'b',
      new CircuitBoard(),
    );
    // Cold: ten plain calls, no hedge (no estimate yet).
    for (let i = 0; i < 10; i++) await backend.getTraces([ID], call());
    expect(delays).toHaveLength(10);
    // Now a slow first attempt: a second one after max(minDelayMs, p95 ≈ 5 ms) = 20 ms answers it.
    slowNext = true;
    const started = Date.now();
    expect(await backend.getTraces([ID], call())).toEqual([{ spans: [], warnings: [] }]);
    expect(delays.slice(10)).toEqual([1_000, 5]);
    expect(Date.now() - started).toBeLessThan(900);
  });
});
