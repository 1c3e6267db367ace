import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The lock folder lives under the cache folder: a private one keeps this test apart from a running harness.
process.env.TRACEGATE_CACHE = mkdtempSync(join(tmpdir(), 'tg-provision-'));
const { provisionOnce } = await import('../support/harness/provision.js');

describe('provisionOnce', () => {
  it('runs a shared tool install once when several servers ask for it at the same time', async () => {
    let runs = 0;
    let inside = 0;
    let maxInside = 0;
    const install = async (): Promise<string> => {
      runs += 1;
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      await new Promise((r) => setTimeout(r, 50));
      inside -= 1;
      return 'installed';
    };
    // redis and redis-cluster both call ensureRedis() while up() starts them in parallel.
    const results = await Promise.all([provisionOnce('tool-a', install), provisionOnce('tool-a', install), provisionOnce('tool-a', install)]);
    expect(results).toEqual(['installed', 'installed', 'installed']);
    expect(runs).toBe(1);
    expect(maxInside).toBe(1);
  });

  it('tries again after a failure instead of remembering it', async () => {
    let runs = 0;
    const flaky = async (): Promise<number> => {
      runs += 1;
      if (runs === 1) throw new Error('registry timed out');
      return runs;
    };
    await expect(provisionOnce('tool-b', flaky)).rejects.toThrow('registry timed out');
    await expect(provisionOnce('tool-b', flaky)).resolves.toBe(2);
  });

  it('serialises different keys that share a cross-process lock name', async () => {
    // Two Maven artifacts are fetched one at a time (one local repository): the same lock, held in turn.
    const { withLock } = await import('../support/harness/lock.js');
    const order: string[] = [];
    const job = (name: string) => () =>
      withLock('shared', async () => {
        order.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name}:end`);
      });
    await Promise.all([provisionOnce('x', job('x')), provisionOnce('y', job('y'))]);
    expect(order).toEqual(['x:start', 'x:end', 'y:start', 'y:end']);
  });
});
