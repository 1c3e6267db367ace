/**
 * Real Zipkin traces read back exactly: Zipkin's published SmartThings trace (openzipkin/zipkin
 * `zipkin-lens/testdata/smartthings-oauth-authorization.json`, copied byte for byte to
 * test/fixtures/public/zipkin/, see test/fixtures/public/SOURCES.md) and a hand-made asynchronous gap, both sent to a real
 * Zipkin 3.6.1 with their times shifted to now.
 *
 * Before b92ad13 (the numbers are from the SmartThings trace):
 *   - copies of a span were those with the same id and side, so the five SERVER halves that answer the
 *     CLIENT span 9d2d35b746db84f3 (two hosts, five starts) folded into one: 171 spans instead of 175;
 *   - a span without `duration` counted as 0 µs long, so clock-skew correction saw nearly every child
 *     "end after" its parent and shifted it: 161 of the 171 spans moved, the asynchronous gap included
 *     (its server half was pulled 400 ms back onto its client).
 * Now a span's identity includes kind, service and start (src/federation/dedupe.ts), an unknown duration
 * is unknown (Span.isDurationKnown), and only provably impossible times are shifted
 * (src/federation/clock-skew.ts).
 *
 * A private Zipkin (test/support/private-servers.ts): the shared one must keep holding exactly the
 * integration dataset (its services are listed exactly elsewhere).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSmartThings, shiftedTo, SMARTTHINGS as SMARTTHINGS_IDS, type WireSpan } from '../../support/exactness/index.js';
import { startGateway, type TestGateway } from '../../support/gateway.js';
import { sleep } from '../../support/harness/process.js';
import { PRIVATE, startPrivateServers } from '../../support/private-servers.js';

const { trace: SMARTTHINGS, sharedId: SHARED_ID } = SMARTTHINGS_IDS;
const GAP = 'e7ac0000000000000000000000000e01';

/** A CLIENT call recorded without duration and the shared SERVER half that took it 400 ms later on another service, also without duration. */
function asyncGap(startUs: number): WireSpan[] {
  return [
    { traceId: GAP, id: '00000000000e0101', kind: 'CLIENT', name: 'send job', timestamp: startUs, localEndpoint: { serviceName: 'exact-scheduler' } },
    {
      traceId: GAP,
      id: '00000000000e0101',
      kind: 'SERVER',
      name: 'run job',
      timestamp: startUs + 400_000,
      localEndpoint: { serviceName: 'exact-worker' },
      shared: true,
    },
  ];
}

async function post(spans: readonly WireSpan[]): Promise<void> {
  const response = await fetch(`${PRIVATE.zipkin.url}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spans),
  });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`POST /api/v2/spans → ${response.status}: ${text.slice(0, 300)}`);
}

/** Zipkin's own answer for a trace, once it holds `count` spans. */
async function zipkinTrace(traceId: string, count: number): Promise<WireSpan[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${PRIVATE.zipkin.url}/api/v2/trace/${traceId}`);
    const spans = response.ok ? ((await response.json()) as WireSpan[]) : await response.arrayBuffer().then((): WireSpan[] => []);
    if (spans.length >= count) return spans;
    if (Date.now() > deadline) throw new Error(`Zipkin holds ${spans.length} of ${count} spans of ${traceId} after 30 s`);
    await sleep(200);
  }
}

let sent: WireSpan[];
let stopServers: () => Promise<void>;
let gateway: TestGateway;
beforeAll(async () => {
  stopServers = await startPrivateServers(['zipkin']);
  const nowUs = Math.floor(Date.now() / 1000) * 1_000_000;
  // The trace lasts about 100 s: it ends well before now.
  sent = shiftedTo(readSmartThings(), nowUs - 600_000_000);
  await post(sent);
  await post(asyncGap(nowUs - 300_000_000));
  await zipkinTrace(SMARTTHINGS, sent.length);
  await zipkinTrace(GAP, 2);
  gateway = await startGateway({ backends: [{ kind: 'zipkin', name: 'zipkin', url: PRIVATE.zipkin.url }], cache: { enabled: false } });
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await stopServers?.();
});

const TRACE = /* GraphQL */ `
  query ($id: ID!, $raw: Boolean) {
    trace(id: $id, raw: $raw) {
      spanCount
      warnings { code spanId }
      spans {
        spanId
        isSharedServer
        kind
        service
        startTimeUs
        durationUs
        isDurationKnown
        clockSkewAdjustmentUs
        attribute(key: "net.host.ip") { value }
        parent { spanId kind isSharedServer }
      }
    }
  }
`;

async function trace(id: string, raw = false) {
  const response = await gateway.query(TRACE, { id, raw });
  expect(response.errors).toBeUndefined();
  return response.data.trace;
}

/**
 * The SmartThings spans Tracegate must shift, worked out from the raw spans alone: a span is shifted
 * when its times are impossible beside its parent's, or when it runs on its parent's host (in Zipkin
 * data, its service) and that parent is shifted. Impossible: on another service than its parent, and
 * starting before the parent starts, or, on a synchronous call (a SERVER under its CLIENT) where both
 * durations are known, ending after the parent ends. Parents as Zipkin links them (zipkin2
 * `SpanNode.Builder`): a shared SERVER half under the CLIENT span with its id; a child of an id that
 * has server halves under the half on its own endpoint, else its own service, else the earliest.
 */
function expectedShifts(spans: readonly WireSpan[]): { direct: WireSpan[]; shifted: WireSpan[] } {
  const clients = new Map<string, WireSpan>();
  const halves = new Map<string, WireSpan[]>();
  for (const s of spans) {
    if (s.shared)
      halves.set(
        s.id,
        [...(halves.get(s.id) ?? []), s].sort((a, b) => a.timestamp - b.timestamp),
      );
    else clients.set(s.id, s);
  }
  const service = (s: WireSpan) => s.localEndpoint.serviceName;
  const endpoint = (s: WireSpan) => `${service(s)} ${s.localEndpoint.ipv4 ?? ''}`;
  const parentOf = (s: WireSpan): WireSpan | undefined => {
    if (s.shared && clients.has(s.id)) return clients.get(s.id);
    if (s.parentId === undefined) return undefined;
    const candidates = halves.get(s.parentId);
    if (candidates) return candidates.find((h) => endpoint(h) === endpoint(s)) ?? candidates.find((h) => service(h) === service(s)) ?? candidates[0];
    return clients.get(s.parentId);
  };
  const isImpossible = (s: WireSpan): boolean => {
    const p = parentOf(s);
    if (p === undefined || service(p) === service(s)) return false;
    if (s.timestamp < p.timestamp) return true;
    const synchronous = p.kind === 'CLIENT' && s.kind === 'SERVER';
    return synchronous && s.duration !== undefined && p.duration !== undefined && s.timestamp + s.duration > p.timestamp + p.duration;
  };
  const isShifted = (s: WireSpan): boolean => {
    if (isImpossible(s)) return true;
    const p = parentOf(s);
    return p !== undefined && service(p) === service(s) && isShifted(p);
  };
  return { direct: spans.filter(isImpossible), shifted: spans.filter(isShifted) };
}

const identity = (s: { spanId: string; isSharedServer: boolean; startTimeUs: number }) =>
  `${s.spanId}${s.isSharedServer ? ':shared' : ''}@${s.startTimeUs}`;
const wireIdentity = (s: WireSpan) => identity({ spanId: s.id, isSharedServer: s.shared === true, startTimeUs: s.timestamp });

describe("Zipkin's published SmartThings trace", () => {
  it('comes back from Zipkin itself with all 175 spans', async () => {
    expect(sent).toHaveLength(175);
    expect(await zipkinTrace(SMARTTHINGS, 175)).toHaveLength(175);
  });

  it('comes back from trace(id) with all 175 spans: the five server halves of one client span each under that client', async () => {
    const t = await trace(SMARTTHINGS);
    expect(t.spanCount).toBe(175);
    const halves = t.spans.filter((s: { spanId: string; isSharedServer: boolean }) => s.spanId === SHARED_ID && s.isSharedServer);
    expect(halves).toHaveLength(5);
    for (const half of halves) expect(half.parent).toEqual({ spanId: SHARED_ID, kind: 'CLIENT', isSharedServer: false });
    // Two hosts, five starts, exactly as sent (none of them is shifted: the client has no duration).
    const sentHalves = sent.filter((s) => s.id === SHARED_ID && s.shared);
    const where = (ip: unknown, startUs: number) => `${String(ip)}@${startUs}`;
    expect(halves.map((h: { attribute: { value: unknown }; startTimeUs: number }) => where(h.attribute?.value, h.startTimeUs)).sort()).toEqual(
      sentHalves.map((s) => where(s.localEndpoint.ipv4, s.timestamp)).sort(),
    );
    expect(new Set(sentHalves.map((s) => s.localEndpoint.ipv4)).size).toBe(2);
  });

  it('shifts only the spans whose reported times are impossible, and the spans on their hosts below them', async () => {
    const { direct, shifted } = expectedShifts(sent);
    // Not vacuous, and small: before b92ad13, 161 of the 171 spans it returned moved.
    expect(direct.length).toBeGreaterThan(0);
    expect(shifted.length).toBeLessThan(10);
    const t = await trace(SMARTTHINGS);
    const moved = t.spans.filter((s: { clockSkewAdjustmentUs: number }) => s.clockSkewAdjustmentUs !== 0);
    expect(moved).toHaveLength(shifted.length);
    // A moved span's identity holds its corrected start; take the reported one back.
    const reported = (s: { spanId: string; isSharedServer: boolean; startTimeUs: number; clockSkewAdjustmentUs: number }) =>
      identity({ ...s, startTimeUs: s.startTimeUs - s.clockSkewAdjustmentUs });
    expect(moved.map(reported).sort()).toEqual(shifted.map(wireIdentity).sort());
    const flagged = t.warnings.filter((w: { code: string }) => w.code === 'CLOCK_SKEW_ADJUSTED').map((w: { spanId: string }) => w.spanId);
    expect(flagged.sort()).toEqual(direct.map((s) => s.id).sort());
  });

  it('returns every span at the time Zipkin holds when asked for raw', async () => {
    const t = await trace(SMARTTHINGS, true);
    expect(t.spans.map(identity).sort()).toEqual(sent.map(wireIdentity).sort());
    expect(t.spans.every((s: { clockSkewAdjustmentUs: number }) => s.clockSkewAdjustmentUs === 0)).toBe(true);
  });

  it('knows the duration of exactly the spans Zipkin holds one for', async () => {
    const t = await trace(SMARTTHINGS, true);
    const unknown = t.spans.filter((s: { isDurationKnown: boolean }) => !s.isDurationKnown);
    expect(unknown.map(identity).sort()).toEqual(
      sent
        .filter((s) => s.duration === undefined)
        .map(wireIdentity)
        .sort(),
    );
    expect(unknown.length).toBe(19);
  });
});

describe('an asynchronous gap: a client without duration, its server half 400 ms later on another service', () => {
  it('leaves the server half where it was reported, and both durations unknown', async () => {
    const t = await trace(GAP);
    const [client, server] = asyncGap(0);
    const got = (wire: WireSpan) =>
      t.spans.find((s: { spanId: string; isSharedServer: boolean }) => s.spanId === wire.id && s.isSharedServer === (wire.shared === true));
    const sentGap = await zipkinTrace(GAP, 2);
    const clientStart = sentGap.find((s) => !s.shared)!.timestamp;
    expect(got(server!)).toMatchObject({ kind: 'SERVER', startTimeUs: clientStart + 400_000, clockSkewAdjustmentUs: 0 });
    expect(got(client!)).toMatchObject({ kind: 'CLIENT', startTimeUs: clientStart, clockSkewAdjustmentUs: 0 });
    expect([got(client!).isDurationKnown, got(server!).isDurationKnown]).toEqual([false, false]);
    expect(got(server!).parent).toEqual({ spanId: '00000000000e0101', kind: 'CLIENT', isSharedServer: false });
    expect(t.warnings).toEqual([]);
  });
});
