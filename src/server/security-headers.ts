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

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'sameorigin' },
  });
}
