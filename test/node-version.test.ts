import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR, unsupportedNodeReason } from '../src/node-version.js';

describe('unsupportedNodeReason', () => {
  it.each([
    { description: 'Node 20, which rounds 64-bit integers', version: '20.20.2', supported: false },
    { description: 'Node 18', version: '18.19.1', supported: false },
    { description: 'Node 21', version: '21.7.3', supported: false },
    { description: 'the oldest supported, Node 22.0.0', version: '22.0.0', supported: true },
    { description: 'Node 24 LTS', version: '24.9.0', supported: true },
    { description: 'a future Node', version: '30.1.0', supported: true },
    { description: 'a version it cannot read', version: 'v?', supported: false },
  ])('judges $description', ({ version, supported }) => {
    const reason = unsupportedNodeReason(version);
    if (supported) expect(reason).toBeNull();
    else expect(reason).toContain(`Node.js ${MIN_NODE_MAJOR} or newer is required, this is ${version}`);
  });

  it("agrees with package.json's engines", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
  });
});
