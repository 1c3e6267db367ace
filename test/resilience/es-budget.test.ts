import { describe, expect, it } from 'vitest';
import { searchBudget } from '../../src/backends/elasticsearch/client.js';

const signal = new AbortController().signal;

describe("an Elasticsearch search's time budget", () => {
  it.each([
    { description: 'no deadline: no timeout sent', call: { signal }, expected: {} },
    { description: 'the backend timeout first', call: { signal, timeoutAt: 1_800, deadlineAt: 2_500 }, expected: { timeout: '800ms' } },
    { description: 'the request deadline first', call: { signal, timeoutAt: 6_000, deadlineAt: 1_250 }, expected: { timeout: '250ms' } },
    { description: 'already spent: the smallest timeout, the abort ends the call', call: { signal, deadlineAt: 900 }, expected: { timeout: '1ms' } },
  ])('$description', ({ call, expected }) => {
    expect(searchBudget(call, 1_000)).toEqual(expected);
  });
});
