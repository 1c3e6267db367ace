import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES, type DependencyLink } from '../../src/backends/backend.js';
import { createDeadline, federatedDependencies } from '../../src/federation/index.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const withDeps = (name: string, dependencies: DependencyLink[]) =>
  new ScriptedBackend(name, { dependencies }, { ...NO_CAPABILITIES, dependencies: true });
const options = { deadline: createDeadline(1_000), timeoutMs: () => 1_000 };
const window = { startUs: 0, endUs: 1 };

describe('federatedDependencies', () => {
  const a = withDeps('a', [
    { parent: 'web', child: 'api', callCount: 10, errorCount: 1 },
    { parent: 'api', child: 'db', callCount: 4, errorCount: null },
  ]);
  const b = withDeps('b', [{ parent: 'web', child: 'api', callCount: 7, errorCount: 3 }]);

  it.each([
    ['sum', 17, 4],
    ['max', 10, 3],
  ] as const)('combines an edge several backends report by %s', async (counts, calls, errors) => {
    const result = await federatedDependencies(window, [a, b], options, counts);
    const edge = result.items.find((i) => i.item.parent === 'web')!;
    expect(edge.item).toEqual({ parent: 'web', child: 'api', callCount: calls, errorCount: errors });
    expect(edge.sources).toEqual(['a', 'b']);
  });

  it('keeps an edge one backend reports as it is, sorted by parent then child', async () => {
    const result = await federatedDependencies(window, [a, b], options, 'max');
    expect(result.items.map((i) => [i.item.parent, i.item.child, i.item.callCount, i.item.errorCount])).toEqual([
      ['api', 'db', 4, null],
      ['web', 'api', 10, 3],
    ]);
  });

  it('skips a backend without dependency data instead of failing the query', async () => {
    const none = new ScriptedBackend('none', {}, NO_CAPABILITIES);
    const result = await federatedDependencies(window, [a, none], options);
    expect(result.outcomes.map((o) => [o.backend, o.state])).toEqual([
      ['a', 'OK'],
      ['none', 'SKIPPED'],
    ]);
  });
});
