/**
 * A real UI on the federation: Zipkin Lens 3.6.1 (extracted from the harness's Zipkin jar) served by
 * Tracegate in front of the real Jaeger and the real Zipkin, driven by Debian's chromium through
 * playwright-core (which downloads no browser). The split trace, half of it in each backend, must show
 * in Lens with every span and service of the dataset; the search page must offer the dataset's
 * services (Lens asks /zipkin/api/v2/services) and Tracegate's config.json settings. The trace page's
 * screenshot is kept in test-results/ (CI's artifact folder).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_IDS } from '../../support/dataset/dataset.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { REPO_DIR } from '../../support/harness/paths.js';
import { ensureChromium, ensureZipkinLens } from '../../support/harness/provision.js';
import { BACKEND_CONFIG, loadedDataset } from '../../support/real-backends.js';

const SCREENSHOT = join(REPO_DIR, 'test-results', 'zipkin-lens-split-trace.png');
/** Every wait on the page; Lens renders a trace in well under a second here. */
const PAGE_TIMEOUT_MS = 20_000;
/** Settings Lens shows on its search page, unlike Zipkin's defaults (10, 15 minutes), so the page proves it read our config.json. */
const QUERY_LIMIT = 17;
const LOOKBACK = { ms: 3_600_000, label: 'Last 1 hour' };

let gateway: TestGateway;
let lensDir: string;
let browser: Browser;
let page: Page;
let base: string;
const pageErrors: string[] = [];

/** What the dataset puts in the split trace: its distinct spans and services, across both backends. */
function splitTrace(): { spanCount: number; services: string[] } {
  const dataset = loadedDataset();
  const spans = [...dataset.jaeger, ...dataset.zipkin].filter((s) => s.traceId === TRACE_IDS.SPLIT);
  return { spanCount: new Set(spans.map((s) => s.spanId)).size, services: [...new Set(spans.map((s) => s.service))].sort() };
}

/** The page's main area as rendered, one line per block: Lens's header fields and timeline rows are separate blocks. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered line breaks are what separate Lens's fields; textContent runs them together.
const mainText = (): Promise<string> => page.locator('main').innerText();

beforeAll(async () => {
  // ensureChromium installs Debian's chromium as root; otherwise it throws saying how to install it.
  const [executablePath, extracted] = await Promise.all([ensureChromium(), ensureZipkinLens()]);
  lensDir = extracted;
  gateway = await startGateway({
    backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin],
    cache: { enabled: false },
    server: { compat: { zipkin: { lens: { dir: lensDir, queryLimit: QUERY_LIMIT, defaultLookbackMs: LOOKBACK.ms } } } },
  });
  base = `${gateway.url.replace(/\/graphql$/, '')}/zipkin`;
  browser = await chromium.launch({ executablePath, headless: true, timeout: 60_000 });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('Zipkin Lens on Tracegate, fronting the real Jaeger and Zipkin', () => {
  it('shows the split trace whole: every span and service of the dataset, from both backends', async () => {
    const dataset = loadedDataset();
    const { spanCount: expectedSpanCount, services: expectedServices } = splitTrace();
    // The split is real: each backend holds part of the trace.
    expect(dataset.jaeger.some((s) => s.traceId === TRACE_IDS.SPLIT) && dataset.zipkin.some((s) => s.traceId === TRACE_IDS.SPLIT)).toBe(true);

    await page.goto(`${base}/traces/${TRACE_IDS.SPLIT}`);
    await page.getByText('Total Spans').waitFor();
    const header = await mainText();
    expect(header).toMatch(new RegExp(`Trace ID\\s+${TRACE_IDS.SPLIT}`));
    expect(Number(/Total Spans\s+(\d+)/.exec(header)?.[1])).toBe(expectedSpanCount);
    expect(Number(/Services\s+(\d+)/.exec(header)?.[1])).toBe(expectedServices.length);

    // Each row of Lens's timeline, below the header that ends with the trace id, reads "<service>: <span name>".
    const timeline = header.slice(header.indexOf(TRACE_IDS.SPLIT) + TRACE_IDS.SPLIT.length);
    const rows = timeline.split('\n').filter((line) => /^[a-z0-9._-]+: \S/.test(line));
    expect(rows).toHaveLength(expectedSpanCount);
    expect([...new Set(rows.map((row) => row.slice(0, row.indexOf(':'))))].sort()).toEqual(expectedServices);

    // A span only Zipkin holds shows where it came from (the tracegate.backend tag).
    await page.getByText('payments: payments server 4', { exact: true }).click();
    await expect.poll(mainText, { timeout: PAGE_TIMEOUT_MS }).toMatch(/tracegate\.backend\s+zipkin/);

    mkdirSync(join(REPO_DIR, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it("offers the dataset's services on the search page, with Tracegate's config.json settings", async () => {
    const dataset = loadedDataset();
    const datasetServices = [...new Set([...dataset.jaeger, ...dataset.zipkin].map((s) => s.service))].sort();
    // What Lens asks for. The servers may list more than the dataset: Jaeger v2 traces its own OTLP
    // receiver under the service `jaeger`, which appears once anything is exported to it.
    const served = (await (await fetch(`${base}/api/v2/services`)).json()) as string[];
    expect(served).toEqual(expect.arrayContaining(datasetServices));

    await page.goto(`${base}/`);
    await expect.poll(async () => page.getByTestId('query-limit').inputValue(), { timeout: PAGE_TIMEOUT_MS }).toBe(String(QUERY_LIMIT));
    // The lookback button sits in the collapsed settings panel: present, not visible.
    expect(await page.locator('main').textContent()).toContain(LOOKBACK.label);
    await page.getByTestId('add-button').click();
    await page.getByTestId('criterion-input').waitFor();
    await page.keyboard.type('serviceName=');
    // The value suggestions are the list Lens got from /zipkin/api/v2/services.
    const options = page.locator('main li');
    await expect.poll(async () => (await options.allInnerTexts()).sort(), { timeout: PAGE_TIMEOUT_MS }).toEqual(served);
    expect(pageErrors).toEqual([]);
  });

  it('works under another lens.path: index.html rebased, config.json and the API asked under that path', async () => {
    const moved = await startGateway({
      backends: [BACKEND_CONFIG.jaeger, BACKEND_CONFIG.zipkin],
      cache: { enabled: false },
      server: { compat: { zipkin: { lens: { dir: lensDir, path: '/tools/lens' } } } },
    });
    const asked: string[] = [];
    const other = await browser.newPage();
    try {
      other.setDefaultTimeout(PAGE_TIMEOUT_MS);
      other.on('request', (request) => asked.push(new URL(request.url()).pathname));
      await other.goto(`${moved.url.replace(/\/graphql$/, '')}/tools/lens/traces/${TRACE_IDS.SPLIT}`, { timeout: PAGE_TIMEOUT_MS });
      await other.getByText('Total Spans').waitFor();
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered line breaks separate Lens's fields.
      expect(await other.locator('main').innerText()).toMatch(new RegExp(`Total Spans\\s+${splitTrace().spanCount}\\n`));
      expect(asked).toEqual(expect.arrayContaining(['/tools/lens/config.json', `/tools/lens/api/v2/trace/${TRACE_IDS.SPLIT}`]));
      expect(asked.filter((path) => !path.startsWith('/tools/lens/'))).toEqual([]);
    } finally {
      await other.close();
      await moved.close();
    }
  });
});
