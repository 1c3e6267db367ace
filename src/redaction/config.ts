/**
 * The `redaction` config block (README, "Redaction"): which attribute keys have their whole value
 * replaced, and which patterns have the substrings they match replaced, in every answer Tracegate
 * gives. Configured regular expressions are checked here, at start-up (checkPattern in patterns.ts),
 * so a pattern that does not compile or can backtrack catastrophically stops the gateway with a
 * config error naming it instead of stalling requests later.
 */
import { z } from 'zod';
import { BUILTIN_PATTERN_NAMES, checkPattern, MAX_PATTERN_CHARS } from './patterns.js';

/** A configured regular expression: JavaScript syntax, checked by checkPattern. */
const patternSchema = z
  .string()
  .min(1)
  .max(MAX_PATTERN_CHARS)
  .superRefine((pattern, ctx) => {
    const problem = checkPattern(pattern);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const customValuePatternSchema = z.strictObject({
  name: z.string().min(1).describe('Name of the rule, shown in the message that refuses a search by a value it matches.'),
  pattern: patternSchema.describe(
    'JavaScript regular expression; every substring it matches is replaced. At most 256 characters; one that can backtrack catastrophically is refused at start-up.',
  ),
  ignoreCase: z.boolean().default(false).describe('Match regardless of case (the `i` flag).'),
});

export const redactionConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Replace configured secrets in every answer, on every API (README, "Redaction").'),
    replacement: z.string().min(1).default('[REDACTED]').describe('Text that stands in for a redacted value or substring.'),
    keys: z
      .array(z.string().min(1))
      .default(['http.request.header.authorization', 'http.request.header.cookie', 'http.response.header.set-cookie'])
      .describe(
        'Attribute keys whose whole value is replaced, compared without regard to case, at every level (the dotted path of a key inside a map too); searching by them is refused.',
      ),
    keyPatterns: z
      .array(patternSchema)
      .default([])
      .describe('Regular expressions on attribute keys (case-insensitive): a key any of them matches is redacted as if listed in `keys`.'),
    valuePatterns: z
      .array(
        z.union([z.enum(BUILTIN_PATTERN_NAMES), customValuePatternSchema], {
          error: `expected a built-in rule (${BUILTIN_PATTERN_NAMES.join(', ')}) or {name, pattern, ignoreCase}`,
        }),
      )
      .default(['bearerToken', 'awsAccessKey'])
      .describe(
        'Built-in rules by name (`bearerToken`, `cardNumber`, `email`, `awsAccessKey`) or `{name, pattern, ignoreCase}`: matched substrings of string values, span and event names, status messages and warnings are replaced; a search by a matching value is refused.',
      ),
    maxScanChars: z
      .number()
      .int()
      .positive()
      .default(16_384)
      .describe(
        'A string longer than this is replaced whole instead of scanned by `valuePatterns`: bounds the time a pattern may take on a long value (an unanchored search can cost the square of the length).',
      ),
  })
  .default({
    enabled: false,
    replacement: '[REDACTED]',
    keys: ['http.request.header.authorization', 'http.request.header.cookie', 'http.response.header.set-cookie'],
    keyPatterns: [],
    valuePatterns: ['bearerToken', 'awsAccessKey'],
    maxScanChars: 16_384,
  });

export type RedactionConfig = z.infer<typeof redactionConfigSchema>;
