import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';

// The README's error table is the public contract; it must list exactly the codes the code emits.
function readmeCodes(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
}

describe('error catalog', () => {
  it('has a README row for every ErrorCode and no row for a code that does not exist', () => {
    expect(readmeCodes().sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('uses the code as its own value, so the enum can be compared to wire data', () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });
});
