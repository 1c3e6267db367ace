/**
 * Golden files: the canonical output a mapping must give for a fixture, committed beside it as
 * `<case>.expected.json`. Compared through vitest's toMatchFileSnapshot, so a difference fails the test
 * and never rewrites the file. A golden file changes only through the fixture recorders or a reviewed
 * update, `npm run fixtures:update`, which rewrites them and prints the diff to commit with the change.
 * With `CI=true` vitest does not even write a missing one.
 *
 * The text is the recorders' (scripts/record-es-fixtures.ts): two-space JSON with a trailing newline,
 * int64 values beyond 2^53 kept exact, keys in the order the mapping writes them.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { stringifyJsonExact } from '../../src/formats/shared/exact-json.js';

export async function expectGolden(actual: unknown, goldenFile: URL): Promise<void> {
  await expect(`${stringifyJsonExact(actual, 2)}\n`).toMatchFileSnapshot(fileURLToPath(goldenFile));
}
