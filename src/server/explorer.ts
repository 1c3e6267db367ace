/**
 * The offline GraphQL explorer: GraphiQL served from our own node_modules (React 18 and GraphiQL 3
 * UMD bundles), so it works on machines with no internet access, where Apollo's CDN-hosted landing
 * page would be blank. Every script is a file (no inline script), which the Content-Security-Policy
 * of server/security-headers.ts relies on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

// Each asset as (package, file inside it): React's `exports` map hides its umd/ folder from
// require.resolve, so files are located from the package's own package.json.
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'application/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'application/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'application/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

const DEFAULT_QUERY = `# Recent traces with errors, then open one.
query RecentErrors {
  searchTraces(query: { attributes: [{ key: "error", value: "true" }], window: { lookback: "1h" }, limit: 20 }, first: 5) {
    edges { node { traceId rootService rootOperation durationUs spanCount errorCount } }
    backendStatus { backend state latencyMs reason }
  }
}
`;

function page(base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Tracegate explorer</title>
<link rel="stylesheet" href="${base}/assets/graphiql.css" />
<style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="explorer">Loading the explorer…</div>
<script src="${base}/assets/react.js"></script>
<script src="${base}/assets/react-dom.js"></script>
<script src="${base}/assets/graphiql.js"></script>
<script src="${base}/assets/explorer.js"></script>
</body>
</html>`;
}

/**
 * The script that mounts GraphiQL: an asset, not inline, so the Content-Security-Policy
 * (server/security-headers.ts) can allow scripts from this origin only.
 */
function startScript(graphqlPath: string): string {
  return `const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(graphqlPath)} });
ReactDOM.createRoot(document.getElementById('explorer')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(DEFAULT_QUERY)} })
);
`;
}

export function registerExplorer(app: FastifyInstance, base: string, graphqlPath: string): void {
  const cache = new Map<string, Buffer>();
  const start = startScript(graphqlPath);
  app.get(base, async (_, reply) => reply.type('text/html; charset=utf-8').send(page(base)));
  app.get(`${base}/assets/explorer.js`, async (_, reply) => reply.type('application/javascript').send(start));
  app.get<{ Params: { name: string } }>(`${base}/assets/:name`, async (request, reply) => {
    const asset = ASSETS[request.params.name];
    if (!asset) return reply.code(404).send({ error: 'not found' });
    let body = cache.get(request.params.name);
    if (!body) {
      body = readFileSync(join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file));
      cache.set(request.params.name, body);
    }
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(body);
  });
}
