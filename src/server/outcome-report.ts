/**
 * Collects non-OK backend outcomes during execution, with the GraphQL path of the field that needed
 * them, and turns them into `errors[]` entries at the end (plugins/backend-errors.ts). Resolvers
 * return the partial data as usual: a failed backend nulls nothing.
 */
import { GraphQLError } from 'graphql';
import type { BackendOutcome } from '../model/index.js';

export class OutcomeReport {
  private readonly errors = new Map<string, GraphQLError>();

  record(path: ReadonlyArray<string | number>, outcomes: readonly BackendOutcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.state === 'OK') continue;
      const key = `${path.join('.')}\u0000${outcome.backend}`;
      if (this.errors.has(key)) continue;
      const verb = outcome.state === 'SKIPPED' ? 'skipped' : outcome.state === 'TIMEOUT' ? 'timed out' : 'failed';
      this.errors.set(
        key,
        new GraphQLError(`backend '${outcome.backend}' ${verb}: ${outcome.reason ?? 'no reason given'}`, {
          path,
          extensions: {
            code: outcome.code ?? 'INTERNAL_SERVER_ERROR',
            backend: outcome.backend,
            backendKind: outcome.kind,
            state: outcome.state,
            latencyMs: outcome.latencyMs,
          },
        }),
      );
    }
  }

  get list(): GraphQLError[] {
    return [...this.errors.values()];
  }
}
