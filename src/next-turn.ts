/**
 * One turn of the event loop: timers, sockets and other requests' callbacks run before the caller goes
 * on. A big miss (a 10,000-span trace from three backends) is hundreds of milliseconds of parsing,
 * mapping and merging; awaited promises alone never let anything else in, so the pipeline awaits this
 * between its big stages (after parsing a big body, before mapping a big trace, between merge steps),
 * and cache hits and probes wait one stage, not the whole miss (bench scenario 10).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
