/**
 * Zipkin Lens served by Tracegate the way the Zipkin server serves it (openzipkin/zipkin
 * `ZipkinUiConfiguration`), so Lens shows merged cross-backend traces with no proxy in front:
 *
 * - `<path>/config.json` (config-json.ts), whenever the Zipkin API is on;
 * - the Zipkin API a second time under `<path>/api/v2/…`: Lens 3.x takes its API base from the page's
 *   `<base href>` (the bundle reads it at run time, `${base}/api/v2`, src/constants/api.ts), and
 *   Zipkin answers `/zipkin/api/v2/…` beside `/api/v2/…` for it;
 * - when `lens.dir` names the extracted `zipkin-lens/` folder, its files under `<path>/`, with
 *   index.html for `<path>/` and for every extension-less path (Lens's own routes: `traces/{id}`,
 *   `dependency`, `traceViewer`, …) except `api/…`, and `<path>` redirected to `<path>/`.
 *
 * Lens's index.html is built for `/zipkin/` (absolute asset URLs and `<base href="/zipkin/">`). For
 * another path it is rewritten as Zipkin rewrites it for `zipkin.ui.basepath`: asset URLs made
 * relative, then the base set to the path. Lens's own files are never committed here; the harness
 * extracts them from the Zipkin jar (test/support/harness/provision.ts).
 */
import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../../config/index.js';
import type { SharedState } from '../../server/context.js';
import { registerZipkinApi } from '../zipkin/routes.js';
import { lensConfigJson } from './config-json.js';

/** The path Lens's index.html is built for. */
const BUILT_FOR = '/zipkin';

/** Registers Lens's routes for an enabled Zipkin API (`zipkin.prefix` is where the API already is). */
export async function registerZipkinLens(app: FastifyInstance, shared: SharedState, zipkin: ServerConfig['compat']['zipkin']): Promise<void> {
  const { lens } = zipkin;
  const base = lens.path;
  // Zipkin pretty-prints it and lets caches keep it 10 minutes.
  const config = JSON.stringify(lensConfigJson(lens), null, 2);
  app.get(`${base}/config.json`, async (_, reply) =>
    reply.type('application/json; charset=utf-8').header('cache-control', 'max-age=600').send(config),
  );
  if (base !== zipkin.prefix) registerZipkinApi(app, shared, base);
  if (lens.dir === null) return;

  const root = resolve(lens.dir);
  const index = rebaseIndexHtml(readFileSync(join(root, 'index.html'), 'utf8'), base);
  await app.register(async (scope) => {
    // serve: false: only reply.sendFile (root-confined, ETag, Last-Modified), inside this scope; the routes are ours.
    await scope.register(fastifyStatic, { root, serve: false });
    scope.get(base, async (_, reply) => reply.redirect(`${base}/`));
    scope.get(`${base}/*`, async (request, reply) => {
      const rest = (request.params as { '*': string })['*'];
      if (rest === '' || rest === 'index.html' || (extname(rest) === '' && !rest.startsWith('api/'))) {
        return reply.type('text/html; charset=utf-8').header('cache-control', 'max-age=60').send(index);
      }
      // Files under static/ carry a content hash in their names: cacheable for a year, as Zipkin does.
      return reply.sendFile(rest, rest.startsWith('static/') ? { maxAge: '365d', immutable: true } : {});
    });
  });
}

/**
 * Lens's index.html for `base` instead of `/zipkin`, as Zipkin's `ZipkinUiConfiguration.maybeResource`
 * does it: every `="/zipkin…` attribute becomes relative (`="./…`), then `<base href=".` gets the path.
 */
export function rebaseIndexHtml(html: string, base: string): string {
  if (base === BUILT_FOR) return html;
  return html.replaceAll(`="${BUILT_FOR}`, '=".').replace('<base href=".', `<base href="${base}`);
}
