// Prints one closing line, "tests: N passed, N failed", from vitest's JSON reports, because CI reads
// that plain line (vitest's own summary is not one it knows). Exits 1 when a report is missing or
// counts no test at all, so "ran no test" can never pass silently.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`summary: ${file} is missing (that test run did not finish)`);
    ok = false;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if ((report.numTotalTests ?? 0) === 0) {
    console.error(`summary: ${file} ran no test`);
    ok = false;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok && failed === 0 ? 0 : 1);
