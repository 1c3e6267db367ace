/**
 * Zipkin Lens served by Tracegate, over HTTP on the demo backend: config.json with Zipkin's keys and
 * defaults (the body a Zipkin 3.6.1 answers at /zipkin/config.json), the Zipkin API a second time
 * under the Lens path, and Lens's files from a folder (a fake index.html built for /zipkin/ as Lens's
 * is), with index.html for Lens's own routes and its base rewritten for another path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebaseIndexHtml } from '../../../src/api/zipkin-lens/routes.js';
import { parseConfig } from '../../../src/config/index.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';

// The shape of Lens 3.6.1's zipkin-lens/index.html: absolute /zipkin/ URLs and <base href="/zipkin/">.
const INDEX_HTML = `<!DOCTYPE html>
<html>
  <head>
    <base href="/zipkin/" >
    <link rel="icon" href="/zipkin/favicon.ico" />
    <script type="module" crossorigin src="/zipkin/static/js/index.abc123.js"></script>
    <link rel="stylesheet" href="/zipkin/static/css/index.def456.css">
  </head>
  <body><div id="root"></div></body>
</html>
`;
const SCRIPT = 'console.log("lens");\n';

// What Zipkin 3.6.1 answers at /zipkin/config.json with its default settings (curl against the harness's server).
const ZIPKIN_DEFAULT_CONFIG = {
  environment: '',
  queryLimit: 10,
  defaultLookback: 900000,
  searchEnabled: true,
  logsUrl: null,
  supportUrl: null,
  archivePostUrl: null,
  archiveUrl: null,
  dependency: { enabled: true, lowErrorRate: 0.5, highErrorRate: 0.75 },
};

let parent: string;
let dir: string;
beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'lens-'));
  dir = join(parent, 'zipkin-lens');
  // Beside Lens's folder, so a request climbing out of it has something to find.
  writeFileSync(join(parent, 'secret.txt'), 'secret');
  mkdirSync(join(dir, 'static', 'js'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(join(dir, 'static', 'js', 'index.abc123.js'), SCRIPT);
  writeFileSync(join(dir, 'favicon.ico'), 'icon');
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const root = (gw: TestGateway): string => gw.url.replace(/\/graphql$/, '');
const get = async (gw: TestGateway, path: string) => {
  const response = await fetch(root(gw) + path, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
};
const lensGateway = (lens: Record<string, unknown>, zipkin: Record<string, unknown> = {}): Promise<TestGateway> =>
  startGateway({ server: { compat: { zipkin: { ...zipkin, lens } } } });
/** Runs `fn` against a gateway of its own, closed afterwards whatever `fn` does. */
async function withLensGateway(
  lens: Record<string, unknown>,
  zipkin: Record<string, unknown>,
  fn: (gw: TestGateway) => Promise<void>,
): Promise<void> {
  const gw = await lensGateway(lens, zipkin);
  try {
    await fn(gw);
  } finally {
    await gw.close();
  }
}

describe('config.json', () => {
  it.each([
    { description: 'Zipkin defaults, Lens files not served', lens: {}, expected: ZIPKIN_DEFAULT_CONFIG },
    {
      description: 'every setting changed',
      lens: {
        environment: 'staging',
        queryLimit: 25,
        defaultLookbackMs: 3_600_000,
        searchEnabled: false,
        logsUrl: 'https://logs.example/{traceId}',
        supportUrl: 'https://help.example',
        archivePostUrl: 'https://archive.example/api/v2/spans',
        archiveUrl: 'https://archive.example/zipkin/traces/{traceId}',
        dependency: { enabled: false, lowErrorRate: 0.1, highErrorRate: 0.2 },
      },
      expected: {
        environment: 'staging',
        queryLimit: 25,
        defaultLookback: 3_600_000,
        searchEnabled: false,
        logsUrl: 'https://logs.example/{traceId}',
        supportUrl: 'https://help.example',
        archivePostUrl: 'https://archive.example/api/v2/spans',
        archiveUrl: 'https://archive.example/zipkin/traces/{traceId}',
        dependency: { enabled: false, lowErrorRate: 0.1, highErrorRate: 0.2 },
      },
    },
  ])('answers /zipkin/config.json with $description, keys in Zipkin order', async ({ lens, expected }) => {
    await withLensGateway(lens, {}, async (gw) => {
      const response = await get(gw, '/zipkin/config.json');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = JSON.parse(response.text);
      expect(body).toEqual(expected);
      expect(Object.keys(body)).toEqual(Object.keys(ZIPKIN_DEFAULT_CONFIG));
    });
  });

  it('is listed at / with its page when Lens’s files are served', async () => {
    await withLensGateway({ dir, path: '/tools/lens' }, {}, async (gw) => {
      expect(JSON.parse((await get(gw, '/')).text)).toMatchObject({ zipkinLens: '/tools/lens/' });
    });
  });

  it('is not served when the Zipkin API is off', async () => {
    await withLensGateway({ dir }, { enabled: false }, async (gw) => {
      expect((await get(gw, '/zipkin/config.json')).status).toBe(404);
      expect((await get(gw, '/zipkin/')).status).toBe(404);
    });
  });
});

describe('the Zipkin API under the Lens path', () => {
  it('answers <lens path>/api/v2/… as the API at its own prefix does', async () => {
    await withLensGateway({ path: '/ui/lens' }, {}, async (gw) => {
      const direct = await get(gw, '/api/v2/services');
      const viaLens = await get(gw, '/ui/lens/api/v2/services');
      expect(viaLens.status).toBe(200);
      expect(JSON.parse(viaLens.text)).toEqual(JSON.parse(direct.text));
      expect(JSON.parse(direct.text).length).toBeGreaterThan(1);
    });
  });

  it('is registered once when the API prefix is the Lens path', async () => {
    await withLensGateway({ dir }, { prefix: '/zipkin' }, async (gw) => {
      expect((await get(gw, '/zipkin/api/v2/services')).status).toBe(200);
      expect((await get(gw, '/api/v2/services')).status).toBe(404);
    });
  });
});

describe("Lens's files from lens.dir", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await lensGateway({ dir });
  });
  afterAll(() => gw.close());

  it.each([
    { description: 'the root', path: '/zipkin/' },
    { description: 'index.html', path: '/zipkin/index.html' },
    { description: 'a trace page', path: '/zipkin/traces/a11ce5b1e7000000000000000000beef' },
    { description: 'the dependency page', path: '/zipkin/dependency' },
  ])('answers index.html unchanged at $description', async ({ path }) => {
    const response = await get(gw, path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.text).toBe(INDEX_HTML);
  });

  it('serves a static file with a year of caching, and 404 for a missing one', async () => {
    const script = await get(gw, '/zipkin/static/js/index.abc123.js');
    expect(script.status).toBe(200);
    expect(script.text).toBe(SCRIPT);
    expect(script.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get(gw, '/zipkin/static/js/missing.js')).status).toBe(404);
    expect((await get(gw, '/zipkin/favicon.ico')).text).toBe('icon');
  });

  it('keeps files outside the folder out of reach', async () => {
    for (const path of ['/zipkin/..%2Fsecret.txt', '/zipkin/static/..%2F..%2Fsecret.txt', '/zipkin/static/%2E%2E/%2E%2E/secret.txt']) {
      const response = await get(gw, path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.text, path).not.toBe('secret');
    }
  });

  it('redirects the bare path to the folder and answers an unknown API path 404, not index.html', async () => {
    const bare = await get(gw, '/zipkin');
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/zipkin/');
    expect((await get(gw, '/zipkin/api/v2/nothing')).status).toBe(404);
  });
});

describe('another Lens path', () => {
  it('serves index.html with relative asset URLs and the path as its base, and the files under it', async () => {
    await withLensGateway({ dir, path: '/tools/lens' }, {}, async (gw) => {
      const index = await get(gw, '/tools/lens/');
      expect(index.text).toBe(rebaseIndexHtml(INDEX_HTML, '/tools/lens'));
      expect((await get(gw, '/tools/lens/static/js/index.abc123.js')).text).toBe(SCRIPT);
      expect((await get(gw, '/zipkin/')).status).toBe(404);
    });
  });

  it.each([
    { description: 'the default path leaves the page as built', base: '/zipkin', expected: INDEX_HTML },
    {
      description: 'a nested path relativizes every /zipkin URL and sets the base',
      base: '/tools/lens',
      expected: INDEX_HTML.replace('<base href="/zipkin/" >', '<base href="/tools/lens/" >')
        .replace('href="/zipkin/favicon.ico"', 'href="./favicon.ico"')
        .replace('src="/zipkin/static/js/', 'src="./static/js/')
        .replace('href="/zipkin/static/css/', 'href="./static/css/'),
    },
  ])('rebaseIndexHtml: $description', ({ base, expected }) => {
    expect(rebaseIndexHtml(INDEX_HTML, base)).toBe(expected);
  });
});

describe('configuration', () => {
  it.each([
    { description: 'a folder without index.html', lens: { dir: `${tmpdir()}/no-such-lens-folder` }, key: 'server.compat.zipkin.lens.dir' },
    { description: 'a path with a trailing slash', lens: { path: '/zipkin/' }, key: 'server.compat.zipkin.lens.path' },
    { description: 'the root as the path', lens: { path: '' }, key: 'server.compat.zipkin.lens.path' },
  ])('refuses $description, naming the key', ({ lens, key }) => {
    expect(() => parseConfig({ server: { compat: { zipkin: { lens } } } })).toThrow(key);
  });
});
