/**
 * Security headers on every response (@fastify/helmet): one Content-Security-Policy that the explorer
 * page (server/explorer.ts) works under and that forbids framing by other origins (`frame-ancestors
 * 'self'`, plus X-Frame-Options: SAMEORIGIN for browsers without CSP 3), nosniff, no referrer, and
 * same-origin resource and opener policies. The JSON API is unaffected by any of it.
 *
 * The policy allows exactly what the explorer loads: its scripts and stylesheet from /explorer/assets
 * ('self', no inline script), inline <style> (the page's own, and the ones react-remove-scroll inserts
 * for GraphiQL's dialogs), fonts and images that graphiql.css embeds as data: URIs, and fetches to
 * the GraphQL endpoint ('self'). GraphiQL 3's bundle needs no eval (its one `new Function` is
 * webpack's fallback for engines without globalThis).
 *
 * Left out on purpose: Strict-Transport-Security, because Tracegate speaks plain HTTP and TLS ends in
 * front of it (HSTS belongs to whatever holds the certificate, and a stray one pins a host to HTTPS
 * for a year); and CSP's upgrade-insecure-requests, which would send the explorer's asset requests to
 * an https:// URL that a plain-HTTP gateway does not serve.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
};

/** The options @fastify/helmet would be registered with (test/server/security-headers.test.ts compares). */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  strictTransportSecurity: false,
  xFrameOptions: { action: 'sameorigin' },
} as const;

/**
 * What helmet 8 sends under HELMET_OPTIONS, in its order and spelling. @fastify/helmet builds every
 * middleware again on every request (re-parsing the policy each time: ~3% of a cached query's CPU),
 * for headers that never change here; the policy itself is still written by helmet's own serializer.
 * Helmet's other step, removing X-Powered-By, is left out: neither Node nor Fastify sets it.
 */
function securityHeaders(): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const capture = { setHeader: (name: string, value: string) => void headers.push([name, value]) };
  // @fastify/helmet's types declare contentSecurityPolicy on `fastifyHelmet`; its code puts it on the default export.
  const { contentSecurityPolicy } = helmet as unknown as typeof helmet.fastifyHelmet;
  contentSecurityPolicy(HELMET_OPTIONS.contentSecurityPolicy)(undefined as never, capture as never, (error?: Error) => {
    if (error) throw error;
  });
  headers.push(
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['Origin-Agent-Cluster', '?1'],
    ['Referrer-Policy', 'no-referrer'],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-DNS-Prefetch-Control', 'off'],
    ['X-Download-Options', 'noopen'],
    ['X-Frame-Options', 'SAMEORIGIN'],
    ['X-Permitted-Cross-Domain-Policies', 'none'],
    ['X-XSS-Protection', '0'],
  );
  return headers;
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  const headers = securityHeaders();
  // On the raw response, as helmet sets them: same names, same case, ahead of Fastify's own headers.
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
