/**
 * Value rules: the built-in ones (`bearerToken`, `cardNumber`, `email`, `awsAccessKey`) and the check
 * every configured regular expression passes before the gateway starts.
 *
 * Why the check: patterns run over strings that whoever can write spans chooses, on every answer, in
 * V8's backtracking engine. A pattern that can match one input in exponentially (or polynomially)
 * many ways stalls the event loop. Each configured pattern is limited to 256 characters and must pass
 * redos-detector (a static analysis of every path through the pattern, pinned in package.json) on its
 * anchored form `^(?:…)`: it refuses nested and overlapping quantifiers, `(a|a)*`, `\d+\d+$` and the
 * like, which a star-height heuristic (safe-regex2) lets through. What that check cannot see is the
 * retry of an unanchored search at every position (`.*secret.*` costs the square of the length): the
 * redactor bounds it by replacing strings longer than `maxScanChars` whole (redactor.ts).
 *
 * The built-in rules are written so that search stays linear: each starts with a literal or behind a
 * lookbehind that lets a match start only at the first character of a run, and card numbers are
 * found by a scanner (card-number.ts), not a regular expression.
 */
import { isSafePattern } from 'redos-detector';
import { redactCardNumbers } from './card-number.js';

export const MAX_PATTERN_CHARS = 256;

/** How long the analysis of one configured pattern may take at start-up before it counts as unsafe. */
const CHECK_TIMEOUT_MS = 1_000;

export interface ValueRule {
  readonly name: string;
  /** `text` with every match replaced, or `text` itself (the same string) when nothing matched. */
  redact(text: string, replacement: string): string;
}

/**
 * A rule made of regular expressions (each global). A named group `keep` is kept in front of the
 * replacement, so `Bearer abc` becomes `Bearer [REDACTED]` and a reader still sees what was there.
 */
function regexRule(name: string, regexes: readonly RegExp[]): ValueRule {
  return {
    name,
    redact(text, replacement) {
      let out = text;
      for (const regex of regexes) {
        regex.lastIndex = 0;
        out = out.replace(regex, (...args: unknown[]) => {
          const groups = args.at(-1);
          const keep = typeof groups === 'object' && groups !== null ? (groups as { keep?: string }).keep : undefined;
          return keep === undefined ? replacement : keep + replacement;
        });
      }
      return out;
    },
  };
}

/**
 * RFC 6750 §2 sends a bearer token in the Authorization header (`Bearer <b64token>`, RFC 7235's
 * `Basic` beside it) or as the `access_token` URI query parameter; OAuth adds `id_token` and
 * `refresh_token`. A JWT (RFC 7519: base64url of `{"` is `eyJ`, header and payload) is a credential
 * wherever it appears, a URL path or a span name included.
 */
const bearerToken = regexRule('bearerToken', [
  /(?<keep>\b[Bb](?:earer|asic)\s+)[A-Za-z0-9._~+/-]+=*/g,
  /(?<keep>[?&#;](?:access_token|id_token|refresh_token)=)[^&#;\s"']+/g,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
]);

/** Access key ids: AKIA (long-term) and ASIA (temporary), 20 characters (AWS IAM "unique identifiers"). */
const awsAccessKey = regexRule('awsAccessKey', [/(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g]);

/** A practical address (local@domain.tld), not RFC 5322's grammar: what logs and spans hold. */
const email = regexRule('email', [/(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g]);

const cardNumber: ValueRule = { name: 'cardNumber', redact: redactCardNumbers };

export const BUILTIN_PATTERN_NAMES = ['bearerToken', 'cardNumber', 'email', 'awsAccessKey'] as const;
export type BuiltinPatternName = (typeof BUILTIN_PATTERN_NAMES)[number];

export const BUILTIN_RULES: Readonly<Record<BuiltinPatternName, ValueRule>> = { bearerToken, cardNumber, email, awsAccessKey };

/** A configured value pattern as a rule (its pattern already passed checkPattern). */
export function customRule(name: string, pattern: string, ignoreCase: boolean): ValueRule {
  return regexRule(name, [new RegExp(pattern, ignoreCase ? 'gi' : 'g')]);
}

const analyse = (pattern: string, caseInsensitive: boolean) => isSafePattern(`^(?:${pattern})`, { caseInsensitive, timeout: CHECK_TIMEOUT_MS });

/**
 * Why a configured pattern is refused, or null when it is accepted. The pattern is analysed anchored
 * (see the module comment) and case-insensitive, which matches at least every way the pattern can
 * match with either setting of the flag.
 */
export function checkPattern(pattern: string): string | null {
  // Longer ones are refused by the schema's max; analysing them would only cost start-up time.
  if (pattern.length > MAX_PATTERN_CHARS) return null;
  try {
    new RegExp(pattern, 'gi');
  } catch (error) {
    return `not a valid JavaScript regular expression: ${(error as Error).message}`;
  }
  let result: ReturnType<typeof isSafePattern>;
  try {
    result = analyse(pattern, true);
  } catch {
    // redos-detector 6.1.4 cannot case-fold some escapes (`\u0000`): analysed as written then, which
    // misses only overlaps that case folding alone creates.
    try {
      result = analyse(pattern, false);
    } catch (error) {
      return `cannot be checked for catastrophic backtracking (${(error as Error).message}); write it without that construct`;
    }
  }
  if (result.safe) return null;
  const why =
    result.error === 'timedOut' ? `it has too many ways to match to analyse within ${CHECK_TIMEOUT_MS} ms` : 'some input matches it in too many ways';
  return `can backtrack catastrophically (${why}); avoid quantifiers inside quantified groups and alternatives that overlap`;
}
