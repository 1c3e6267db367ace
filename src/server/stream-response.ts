/**
 * The GraphQL route: Apollo Server on Fastify, as @as-integrations/fastify's handler serves it, except
 * that a big answer leaves as a stream of JSON chunks (stream-json.ts) instead of one string. Apollo
 * writes every single result through `stringifyResult` and hands the integration a finished string;
 * for a 100,000-span trace that string (and the Buffer Fastify copies it into) sat in memory next to
 * the execution result, and one JSON.stringify of tens of MB held the event loop for its whole length
 * (bench/RESULTS.md, scenarios 6 and 10).
 *
 * `stringifyResult` here serialises the first chunk. An answer that fits in it is returned as the
 * usual string (every small answer, unchanged: Content-Length and all). A longer one is parked on the
 * request (an AsyncLocalStorage store the route opens around Apollo) and Apollo gets a placeholder;
 * the route then sends the parked chunks as a stream, produced as the socket takes them. Bytes are
 * those of Apollo's own stringifier (JSON.stringify plus a newline): test/server/jit-executor.test.ts
 * checks them for every equivalence document. A streamed answer has no Content-Length (chunked
 * transfer encoding); its length is counted as it is sent, for the audit line (streamedBodyBytes).
 *
 * What it leaves to Apollo: parsing the HTTP request, the plugins, status and headers. Batched HTTP
 * requests are off (Apollo's default), so a placeholder is never joined into a batch's array.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { jsonChunks, STREAM_CHUNK_CHARS } from './stream-json.js';

/** Never the start of a JSON text, so never a real answer. */
const PARKED = '\u0000streamed';

interface Parked {
  first: string;
  rest: Generator<string, void, undefined>;
}

const requestStore = new AsyncLocalStorage<{ parked: Parked | null }>();

/** Apollo's `stringifyResult`: the answer's JSON text, or a placeholder for a parked stream. */
export function stringifyResult(value: unknown): string {
  const store = requestStore.getStore();
  const chunks = jsonChunks(value, STREAM_CHUNK_CHARS);
  const first = chunks.next();
  const text = first.done ? '' : first.value;
  const second = chunks.next();
  // One chunk (or no route to stream through, e.g. executeOperation): the usual string.
  if (second.done) return `${text}\n`;
  if (!store || store.parked) return `${text}${second.value}${[...chunks].join('')}\n`;
  store.parked = { first: text + second.value, rest: chunks };
  return PARKED;
}

/** Bytes of each streamed body so far, for the audit line (audit/hook.ts): no Content-Length tells it. */
const sentBytes = new WeakMap<FastifyRequest, number>();

/** The length of the body streamed for `request`, undefined when it was not streamed. */
export function streamedBodyBytes(request: FastifyRequest): number | undefined {
  return sentBytes.get(request);
}

function* parkedChunks(parked: Parked, request: FastifyRequest): Generator<string, void, undefined> {
  let bytes = 0;
  const counted = (chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    sentBytes.set(request, bytes);
    return chunk;
  };
  yield counted(parked.first);
  for (const chunk of parked.rest) yield counted(chunk);
  yield counted('\n');
}

function toHeaderMap(request: FastifyRequest): HeaderMap {
  const map = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value) map.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return map;
}

/** Registers `path` (GET, POST, OPTIONS) answered by `apollo`, streaming big answers. */
export function registerGraphQLRoute<Context extends BaseContext>(
  app: FastifyInstance,
  apollo: ApolloServer<Context>,
  options: { path: string; context: (request: FastifyRequest, reply: FastifyReply) => Promise<Context> },
): void {
  apollo.assertStarted('registerGraphQLRoute()');
  app.route({
    method: ['GET', 'POST', 'OPTIONS'],
    url: options.path,
    handler: (request, reply) => {
      const store = { parked: null as Parked | null };
      return requestStore.run(store, async () => {
        const { headers, body, status } = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            body: request.body,
            method: request.method.toUpperCase(),
            headers: toHeaderMap(request),
            search: new URL(request.url, `${request.protocol}://${request.hostname}/`).search,
          },
          context: () => options.context(request, reply),
        });
        for (const [key, value] of headers) void reply.header(key, value);
        void reply.code(status ?? 200);
        if (body.kind === 'chunked') return reply.send(Readable.from(body.asyncIterator));
        const parked = store.parked;
        store.parked = null;
        if (body.string === PARKED && parked) return reply.send(Readable.from(parkedChunks(parked, request), { objectMode: false }));
        return body.string;
      });
    },
  });
}
