/** The spans of each getTraces answer, for tests that expect no per-trace error; an error answer is thrown. */
import type { BackendTrace } from '../../src/backends/backend.js';
import type { Span } from '../../src/model/index.js';

export function spansOf(answers: ReadonlyArray<BackendTrace | Error>): Span[][] {
  return answers.map((answer) => {
    if (answer instanceof Error) throw answer;
    return answer.spans;
  });
}
