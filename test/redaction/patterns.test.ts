import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES, checkPattern, customRule } from '../../src/redaction/patterns.js';

const R = '[REDACTED]';

describe('built-in value rules', () => {
  const cases: Array<{ description: string; rule: keyof typeof BUILTIN_RULES; text: string; expected: string }> = [
    { description: 'keeps the scheme of a Bearer credential', rule: 'bearerToken', text: 'Bearer abc.DEF-123_~+/=', expected: `Bearer ${R}` },
    {
      description: 'replaces a Basic credential',
      rule: 'bearerToken',
      text: 'authorization: Basic dXNlcjpwYXNz',
      expected: `authorization: Basic ${R}`,
    },
    {
      description: 'replaces a lower-case bearer inside text',
      rule: 'bearerToken',
      text: 'sent bearer t0k3n twice',
      expected: `sent bearer ${R} twice`,
    },
    {
      description: 'replaces the access_token query parameter (RFC 6750 §2.3) and keeps the rest of the URL',
      rule: 'bearerToken',
      text: 'GET /api/items?access_token=s3cr3t&page=2',
      expected: `GET /api/items?access_token=${R}&page=2`,
    },
    {
      description: 'replaces a JWT in a URL path',
      rule: 'bearerToken',
      text: '/verify/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl/ok',
      expected: `/verify/${R}/ok`,
    },
    { description: 'leaves a word that merely starts like a JWT', rule: 'bearerToken', text: 'eyJust a word', expected: 'eyJust a word' },
    { description: 'leaves text without a credential', rule: 'bearerToken', text: 'Bearer', expected: 'Bearer' },
    { description: 'replaces an AKIA access key id', rule: 'awsAccessKey', text: 'key=AKIAIOSFODNN7EXAMPLE;', expected: `key=${R};` },
    { description: 'replaces an ASIA (temporary) access key id', rule: 'awsAccessKey', text: 'ASIAY34FZKBOKMUTVV7A', expected: R },
    { description: 'leaves an AKIA id inside a longer word', rule: 'awsAccessKey', text: 'XAKIAIOSFODNN7EXAMPLE', expected: 'XAKIAIOSFODNN7EXAMPLE' },
    {
      description: 'replaces an e-mail address',
      rule: 'email',
      text: 'user jane.doe+tag@mail.example.co.uk signed in',
      expected: `user ${R} signed in`,
    },
    { description: 'leaves an @ handle without a domain', rule: 'email', text: 'ping @ops or me@localhost', expected: 'ping @ops or me@localhost' },
    { description: 'replaces a 16-digit Visa test number', rule: 'cardNumber', text: 'pan 4111111111111111 ok', expected: `pan ${R} ok` },
    { description: 'replaces a card number written in groups of four', rule: 'cardNumber', text: '4111 1111 1111 1111', expected: R },
    { description: 'replaces a card number written with hyphens', rule: 'cardNumber', text: 'card=5500-0000-0000-0004', expected: `card=${R}` },
    { description: 'replaces a 15-digit American Express number', rule: 'cardNumber', text: '3782 822463 10005', expected: R },
    {
      description: 'finds the card among groups that run on into a year',
      rule: 'cardNumber',
      text: '4111 1111 1111 1111 2030',
      expected: `${R} 2030`,
    },
    { description: 'finds the card after a shorter number', rule: 'cardNumber', text: 'qty 12 4111111111111111', expected: `qty 12 ${R}` },
    { description: 'leaves a number that fails the Luhn check', rule: 'cardNumber', text: '4111111111111112', expected: '4111111111111112' },
    {
      description: 'leaves a Luhn-valid number outside the issuer ranges',
      rule: 'cardNumber',
      text: '9111111111111119',
      expected: '9111111111111119',
    },
    { description: 'leaves digits that are part of a hex id', rule: 'cardNumber', text: 'a4111111111111111', expected: 'a4111111111111111' },
    { description: 'leaves a 20-digit number', rule: 'cardNumber', text: '41111111111111111113', expected: '41111111111111111113' },
    { description: 'leaves a 12-digit number', rule: 'cardNumber', text: '411111111116', expected: '411111111116' },
    { description: 'replaces two cards in one text', rule: 'cardNumber', text: '4111111111111111,5500000000000004', expected: `${R},${R}` },
  ];

  it.each(cases)('$rule: $description', ({ rule, text, expected }) => {
    expect(BUILTIN_RULES[rule].redact(text, R)).toBe(expected);
  });

  it('returns the very string it was given when nothing matched', () => {
    const text = 'nothing secret here 1234';
    for (const rule of Object.values(BUILTIN_RULES)) expect(rule.redact(text, R)).toBe(text);
  });

  it('applies a configured pattern to every match, case-sensitive unless asked', () => {
    expect(customRule('ssn', '\\d{3}-\\d{2}-\\d{4}', false).redact('a 123-45-6789 b 987-65-4321', '#')).toBe('a # b #');
    expect(customRule('pw', 'password=\\S+', false).redact('PASSWORD=x password=y', '#')).toBe('PASSWORD=x #');
    expect(customRule('pw', 'password=\\S+', true).redact('PASSWORD=x password=y', '#')).toBe('# #');
  });
});

describe('checkPattern', () => {
  const accepted = [
    '\\u0000secret',
    '^http\\.request\\.header\\.',
    'password|passwd|secret',
    '(?:api[_-]?key|token)=[^&\\s]+',
    'x[a-z]{16}',
    '.*secret.*',
  ];
  it.each(accepted)('accepts %s', (pattern) => expect(checkPattern(pattern)).toBeNull());

  const refused: Array<{ pattern: string; problem: RegExp }> = [
    { pattern: '(a+)+$', problem: /catastrophically/ },
    { pattern: '\\d+\\d+$', problem: /catastrophically/ },
    { pattern: '(\\w+\\s?)+$', problem: /catastrophically/ },
    { pattern: '[unclosed', problem: /not a valid JavaScript regular expression/ },
    { pattern: '(?<name', problem: /not a valid JavaScript regular expression/ },
  ];
  it.each(refused)('refuses $pattern', ({ pattern, problem }) => expect(checkPattern(pattern)).toMatch(problem));
});
