/**
 * Custom scalars. DateTime keeps microseconds (RFC 3339 with up to 6 fractional digits), Micros is
 * a JSON number of microseconds, AttributeValue is any JSON value.
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { BadUserInputError } from '../errors.js';
import { isoToMicros } from '../model/index.js';

// A TracegateError, so a bad literal in the document is reported as BAD_USER_INPUT, not as a
// generic validation failure (format-error.ts looks through graphql-js's wrapping).
function badInput(message: string): BadUserInputError {
  return new BadUserInputError(message);
}

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || isoToMicros(value) === undefined) {
    throw badInput(`DateTime must be an RFC 3339 timestamp like 2026-11-22T10:00:00Z, got ${JSON.stringify(value)}`);
  }
  return value;
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => value,
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseMicros(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw badInput(`Micros must be a finite number of microseconds, got ${JSON.stringify(value)}`);
  return value;
}

export const MicrosScalar = new GraphQLScalarType({
  name: 'Micros',
  serialize: (value) => value,
  parseValue: parseMicros,
  parseLiteral: (ast) => parseMicros(ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? Number(ast.value) : undefined),
});

function literalToJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return ast.value;
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    default:
      throw badInput('AttributeValue cannot hold variables inside literals');
  }
}

export const AttributeValueScalar = new GraphQLScalarType({
  name: 'AttributeValue',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalToJson,
});
