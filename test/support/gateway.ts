/**
 * Starts a real Tracegate HTTP server on 127.0.0.1 (random port) for end-to-end tests and gives a
 * `query()` that POSTs GraphQL over HTTP like any client would.
 */
import { pino, type Logger } from 'pino';
import type { Backend } from '../../src/backends/backend.js';
import { parseConfig } from '../../src/config/index.js';
import { createServer, type TracegateServer } from '../../src/server/create-server.js';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export interface TestGateway {
  url: string;
  server: TracegateServer;
  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startGateway(
  rawConfig: Record<string, unknown> = {},
  backends?: Backend[],
  options: { logger?: Logger } = {},
): Promise<TestGateway> {
  const config = parseConfig({ ...rawConfig, server: { ...(rawConfig.server as object), port: 0, host: '127.0.0.1' } });
  const server = await createServer(config, options.logger ?? pino({ level: 'silent' }), backends);
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `${address}${config.server.graphqlPath}`;
  return {
    url,
    server,
    async query(query, variables, headers) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse;
      return { ...body, status: response.status };
    },
    close: () => server.close(),
  };
}
