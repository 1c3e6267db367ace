import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { apiLabel, OperationNames, routeLabel } from '../../src/server/metric-labels.js';

describe('OperationNames', () => {
  it('gives the first maxOperationNames distinct names a label each and folds later ones into other', () => {
    const names = new OperationNames({ maxOperationNames: 2, operationNames: null });
    expect(['A', 'B', 'A', 'C', 'B', 'D'].map((n) => names.label(n))).toEqual(['A', 'B', 'A', 'other', 'B', 'other']);
  });

  it('with a configured list, labels only the listed names, however many others come first', () => {
    const names = new OperationNames({ maxOperationNames: 100, operationNames: ['Trace', 'Search'] });
    expect(['Junk1', 'Junk2', 'Search', 'Trace', 'Junk3'].map((n) => names.label(n))).toEqual(['other', 'other', 'Search', 'Trace', 'other']);
  });

  it('labels a request without an operation name anonymous, without using up a place', () => {
    const names = new OperationNames({ maxOperationNames: 1, operationNames: null });
    expect([null, 'A', null, 'B'].map((n) => names.label(n))).toEqual(['anonymous', 'A', 'anonymous', 'other']);
  });

  it('keeps the number of labels bounded under a flood of fresh names', () => {
    const names = new OperationNames({ maxOperationNames: 100, operationNames: null });
    const labels = new Set(Array.from({ length: 10_000 }, (_, i) => names.label(`Op${i}`)));
    expect(labels.size).toBe(101);
    expect(labels.has('other')).toBe(true);
    expect(labels.has('Op99')).toBe(true);
    expect(labels.has('Op100')).toBe(false);
  });

  it('with maxOperationNames 0, folds every name', () => {
    const names = new OperationNames({ maxOperationNames: 0, operationNames: null });
    expect(names.label('A')).toBe('other');
  });
});

describe('routeLabel', () => {
  it('is the method and the route pattern, never the URL', () => {
    expect(routeLabel({ method: 'GET', routeOptions: { url: '/api/traces/:traceID' } as never })).toBe('GET /api/traces/:traceID');
  });

  it('is unmatched for a path no route serves', () => {
    expect(routeLabel({ method: 'GET', routeOptions: { url: undefined } as never })).toBe('unmatched');
  });
});

describe('apiLabel', () => {
  const config = parseConfig({});
  it.each([
    ['/graphql', 'graphql'],
    ['/graphql?query=%7Bx%7D', 'graphql'],
    ['/api/traces/abc', 'jaeger'],
    ['/api/v3/traces/abc', 'jaeger-v3'],
    ['/api/v2/trace/abc', 'zipkin'],
    ['/', 'other'],
    ['/favicon.ico', 'other'],
    ['/graphqlx', 'other'],
  ])('%s is %s', (url, api) => {
    expect(apiLabel(url, config)).toBe(api);
  });

  it('follows the mount prefixes', () => {
    const mounted = parseConfig({ server: { graphqlPath: '/gql', compat: { jaeger: { prefix: '/jaeger' }, zipkin: { prefix: '/zipkin' } } } });
    expect(['/gql', '/jaeger/api/services', '/zipkin/api/v2/services', '/api/services'].map((u) => apiLabel(u, mounted))).toEqual([
      'graphql',
      'jaeger',
      'zipkin',
      'other',
    ]);
  });
});
