/**
 * CORS for browser callers on other origins (a portal, a dashboard), on every API this server answers:
 * GraphQL, the Jaeger and Zipkin APIs and Lens's copy of the Zipkin API (`server.cors`). Only the listed
 * origins, exactly as a browser sends `Origin`, get CORS headers; any other origin gets none at all, not
 * even on a preflight, so its browser refuses to hand the answer to the script.
 *
 * Registered before authentication (create-server.ts): @fastify/cors answers a
 * preflight in its `onRequest` hook, and browsers send preflights without the Authorization header, so
 * the authentication hook after it would refuse every preflight with 401. Real requests then carry their
 * credentials and are authenticated as any other; their 401 and 429 answers keep the CORS headers, so a
 * browser script can read why it was refused.
 *
 * Apollo Server's CSRF prevention stays on: a "simple" request (no preflight: text/plain or a form
 * without `apollo-require-preflight` or `x-apollo-operation-name`) is refused by Apollo before it
 * executes, whatever its origin; CORS only decides who may read answers and send preflighted requests.
 */
import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config/index.js';

export async function registerCors(app: FastifyInstance, cors: ServerConfig['cors']): Promise<void> {
  if (!cors.enabled) return;
  const anyOrigin = cors.origins.includes('*');
  const allowed = new Set(cors.origins);
  await app.register(fastifyCors, {
    // A function rather than the list: for a listed origin @fastify/cors reflects it, and for any other
    // `false` leaves out every CORS header (given the list, it would still send Allow-Credentials,
    // Expose-Headers and a 204 preflight with Allow-Methods to an origin it refuses).
    origin: (origin, callback) => {
      if (origin === undefined || !(anyOrigin || allowed.has(origin))) return callback(null, false);
      callback(null, anyOrigin ? '*' : origin);
    },
    credentials: cors.credentials,
    methods: cors.methods,
    allowedHeaders: cors.allowedHeaders,
    exposedHeaders: cors.exposedHeaders,
    maxAge: cors.maxAgeSeconds,
  });
}
