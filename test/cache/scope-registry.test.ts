import { describe, expect, it } from 'vitest';
import { MAX_SCOPE_LENGTH, ScopeRegistry } from '../../src/cache/scope-registry.js';

function setup(max = 3, idleSeconds = 60) {
  let nowMs = 0;
  const warnings: string[] = [];
  const registry = new ScopeRegistry({ max, idleSeconds }, { warn: (_, msg) => warnings.push(msg ?? '') }, () => nowMs);
  return { registry, warnings, advance: (ms: number) => (nowMs += ms) };
}

describe('ScopeRegistry', () => {
  it('admits up to max scopes and then no new one, warning once', () => {
    const { registry, warnings } = setup(3);
    expect(['a', 'b', 'c'].map((s) => registry.admit(s))).toEqual([true, true, true]);
    expect(Array.from({ length: 1_000 }, (_, i) => registry.admit(`flood-${i}`)).some(Boolean)).toBe(false);
    expect(registry.size).toBe(3);
    expect(warnings).toHaveLength(1);
  });

  it('keeps admitting scopes it already holds while new ones are refused', () => {
    const { registry, advance } = setup(2, 60);
    registry.admit('team-a');
    registry.admit('team-b');
    for (let i = 0; i < 100; i++) {
      advance(10_000); // a request every 10 s keeps each slot: never idle for 60 s
      expect(registry.admit(`flood-${i}`)).toBe(false);
      expect(registry.admit('team-a')).toBe(true);
      expect(registry.admit('team-b')).toBe(true);
    }
  });

  it('frees the slot of a scope idle for idleSeconds', () => {
    const { registry, advance, warnings } = setup(2, 60);
    registry.admit('team-a');
    advance(30_000);
    registry.admit('team-b');
    expect(registry.admit('team-c')).toBe(false);
    advance(30_000); // team-a idle for 60 s, team-b for 30 s
    expect(registry.admit('team-c')).toBe(true);
    expect(registry.admit('team-b')).toBe(true);
    expect(registry.admit('team-a')).toBe(false);
    expect(warnings).toHaveLength(2); // full, room again, full again
  });

  it('always admits the public scope, and never a scope longer than MAX_SCOPE_LENGTH', () => {
    const { registry } = setup(1);
    expect(registry.admit(undefined)).toBe(true);
    expect(registry.admit('')).toBe(true);
    expect(registry.admit('t'.repeat(MAX_SCOPE_LENGTH + 1))).toBe(false);
    expect(registry.admit('t'.repeat(MAX_SCOPE_LENGTH))).toBe(true);
    expect(registry.admit(undefined)).toBe(true);
    expect(registry.size).toBe(1);
  });
});
