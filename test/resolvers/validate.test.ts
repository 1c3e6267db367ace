import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { ErrorCode, TracegateError } from '../../src/errors.js';
import { cursorFor, pageArgs, traceIdArg, traceIdListArg, traceQueryArg, windowArg } from '../../src/resolvers/validate.js';

const limits = parseConfig({}).limits;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof TracegateError ? error.code : 'not a TracegateError';
  }
  return undefined;
}

describe('argument validation', () => {
  it.each([
    { description: 'malformed trace id', fn: () => traceIdArg('zz12'), code: ErrorCode.INVALID_TRACE_ID },
    {
      description: 'too many trace ids',
      fn: () =>
        traceIdListArg(
          Array.from({ length: 101 }, (_, i) => String(i + 1)),
          limits,
        ),
      code: ErrorCode.BAD_USER_INPUT,
    },
    { description: 'one trace id twice', fn: () => traceIdListArg(['a1', 'b2', 'a1'], limits), code: ErrorCode.BAD_USER_INPUT },
    {
      description: 'one trace id in two spellings',
      fn: () => traceIdListArg(['A1', '000000000000000000000000000000a1'], limits),
      code: ErrorCode.BAD_USER_INPUT,
    },
    { description: 'limit 0', fn: () => traceQueryArg({ limit: 0 }, limits), code: ErrorCode.BAD_USER_INPUT },
    { description: 'limit above the maximum', fn: () => traceQueryArg({ limit: 1_001 }, limits), code: ErrorCode.BAD_USER_INPUT },
    {
      description: 'inverted time window',
      fn: () => traceQueryArg({ window: { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' } }, limits),
      code: ErrorCode.BAD_USER_INPUT,
    },
    {
      description: 'lookback and start together',
      fn: () => windowArg({ lookback: '1h', start: '2026-01-01T00:00:00Z' }, 1, limits),
      code: ErrorCode.BAD_USER_INPUT,
    },
    { description: 'malformed lookback', fn: () => windowArg({ lookback: 'yesterday' }, 1, limits), code: ErrorCode.BAD_USER_INPUT },
    { description: 'window longer than allowed', fn: () => windowArg({ lookback: '365d' }, 1, limits), code: ErrorCode.BAD_USER_INPUT },
    {
      description: 'min duration above max',
      fn: () => traceQueryArg({ minDurationUs: 10, maxDurationUs: 5 }, limits),
      code: ErrorCode.BAD_USER_INPUT,
    },
    { description: 'negative duration', fn: () => traceQueryArg({ minDurationUs: -1 }, limits), code: ErrorCode.BAD_USER_INPUT },
    { description: 'empty service', fn: () => traceQueryArg({ service: ' ' }, limits), code: ErrorCode.BAD_USER_INPUT },
    { description: 'forged cursor', fn: () => pageArgs(10, 'bm90LWEtY3Vyc29y', limits), code: ErrorCode.BAD_USER_INPUT },
    { description: 'page size above the maximum', fn: () => pageArgs(10_000, null, limits), code: ErrorCode.BAD_USER_INPUT },
  ])('rejects $description with $code', ({ fn, code }) => {
    expect(codeOf(fn)).toBe(code);
  });

  it('says what was expected and what arrived for an inverted window', () => {
    expect(() => windowArg({ start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' }, 1, limits, 0, 'window')).toThrow(
      'window.start must be before window.end, got start 2026-01-02T00:00:00Z and end 2026-01-01T00:00:00Z',
    );
  });

  it('builds a canonical query with defaults', () => {
    const query = traceQueryArg({ service: 'api', attributes: [{ key: 'http.route', value: '/x' }] }, limits);
    expect(query).toMatchObject({
      service: 'api',
      operation: null,
      limit: 100,
      minDurationUs: null,
      attributes: [{ key: 'http.route', value: '/x' }],
    });
    expect(query.window.endUs - query.window.startUs).toBe(3_600_000_000);
  });

  it('rounds a lookback window to the bucket so refreshes share it', () => {
    const bucket = 30_000_000;
    const a = windowArg({ lookback: '15m' }, 1, limits, bucket);
    expect(a.endUs % bucket).toBe(0);
    expect(a.endUs - a.startUs).toBe(900_000_000);
  });

  it('continues after the cursor it handed out', () => {
    expect(pageArgs(5, cursorFor(9), limits)).toEqual({ first: 5, offset: 10 });
  });
});
