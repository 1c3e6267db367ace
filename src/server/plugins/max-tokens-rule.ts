/**
 * Rejects documents with more than `maxTokens` lexical tokens as QUERY_TOO_COMPLEX. A validation
 * rule rather than graphql-armor's parser plugin: armor's Apollo plugin re-parses in a hook, so a
 * plain syntax error came back as GRAPHQL_VALIDATION_FAILED instead of GRAPHQL_PARSE_FAILED. The
 * parse itself is bounded by the request body limit; counting walks the token list it produced.
 */
import type { ValidationRule } from 'graphql';
import { ErrorCode, TracegateError } from '../../errors.js';

export function maxTokensRule(maxTokens: number): ValidationRule {
  return (context) => {
    let count = 0;
    for (let token = context.getDocument().loc?.startToken ?? null; token; token = token.next) {
      if (token.kind !== '<SOF>' && token.kind !== '<EOF>') count++;
      if (count > maxTokens) {
        context.reportError(new TracegateError(ErrorCode.QUERY_TOO_COMPLEX, `document has more than ${maxTokens} tokens`));
        break;
      }
    }
    return {};
  };
}
