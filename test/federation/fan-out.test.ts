import { describe, expect, it } from 'vitest';
import { createDeadline, fanOut, type FanOutOptions } from '../../src/federation/index.js';
import { BackendError } from '../../src/errors.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

function options(deadlineMs: number, timeoutMs = 1_000, skip?: FanOutOptions['skipReason']): FanOutOptions {
  return { deadline: createDeadline(deadlineMs), timeoutMs: () => timeoutMs, ...(skip ? { skipReason: skip } : {}) };
}

describe('fanOut', () => {
  it('reports one outcome per backend, in backend order', async () => {
    const backends = [
      new ScriptedBackend('ok', { services: ['a'] }),
      new ScriptedBackend('down', { fail: new BackendError('BACKEND_UNAVAILABLE', 'down', 'connect ECONNREFUSED') }),
      new ScriptedBackend('garbled', { fail: new BackendError('BACKEND_BAD_RESPONSE', 'garbled', 'body is not JSON') }),
    ];
    const entries = await fanOut(backends, (b, call) => b.getServices(call), options(1_000));
    expect(entries.map((e) => [e.outcome.backend, e.outcome.state, e.outcome.code])).toEqual([
      ['ok', 'OK', null],
      ['down', 'FAILED', 'BACKEND_UNAVAILABLE'],
      ['garbled', 'FAILED', 'BACKEND_BAD_RESPONSE'],
    ]);
    expect(entries[0]!.value).toEqual(['a']);
  });

  it('times out a backend past its own timeout while the others answer', async () => {
    const backends = [new ScriptedBackend('fast', { services: ['a'] }), new ScriptedBackend('slow', { delayMs: 5_000 })];
    const entries = await fanOut(backends, (b, call) => b.getServices(call), options(2_000, 50));
    expect(entries.map((e) => e.outcome.state)).toEqual(['OK', 'TIMEOUT']);
    expect(entries[1]!.outcome.code).toBe('BACKEND_TIMEOUT');
    expect(entries[1]!.outcome.reason).toContain('50 ms');
  });

  it('abandons a backend that ignores its signal when the deadline passes', async () => {
    const backends = [new ScriptedBackend('stubborn', { delayMs: 5_000, ignoreSignal: true })];
    const entries = await fanOut(backends, (b, call) => b.getServices(call), options(50, 10_000));
    expect(entries[0]!.outcome.state).toBe('TIMEOUT');
    expect(entries[0]!.outcome.reason).toContain('deadline');
  });

  it('skips a backend that cannot serve the query and never calls it', async () => {
    const backend = new ScriptedBackend('limited');
    const entries = await fanOut(
      [backend],
      (b, call) => b.getServices(call),
      options(1_000, 1_000, () => 'cannot filter'),
    );
    expect(entries[0]!.outcome).toMatchObject({ state: 'SKIPPED', code: 'BACKEND_UNSUPPORTED', reason: 'cannot filter' });
    expect(backend.calls).toEqual([]);
  });

  it('masks an adapter bug as a failed outcome, not a crash', async () => {
    const backend = new ScriptedBackend('buggy');
    const seen: unknown[] = [];
    const entries = await fanOut(
      [backend],
      async () => {
        throw new TypeError('x is undefined');
      },
      { ...options(1_000), onUnexpected: (_, e) => seen.push(e) },
    );
    expect(entries[0]!.outcome).toMatchObject({ state: 'FAILED', code: 'INTERNAL_SERVER_ERROR' });
    expect(seen).toHaveLength(1);
  });
});
