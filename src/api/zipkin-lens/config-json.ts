/**
 * Lens's `config.json`: the UI settings Lens reads at start-up, written with the keys, order and
 * defaults of the Zipkin server (openzipkin/zipkin `ZipkinUiConfiguration.writeConfig`, defaults from
 * `zipkin-server-shared.yml`; a running Zipkin 3.6.1 answers the same at /zipkin/config.json). The
 * values come from `server.compat.zipkin.lens` (config/schema.ts); this file only lays them out.
 */
import type { ServerConfig } from '../../config/index.js';

export type LensConfig = ServerConfig['compat']['zipkin']['lens'];

/** The body of `<lens path>/config.json`. */
export function lensConfigJson(lens: LensConfig): Record<string, unknown> {
  return {
    environment: lens.environment,
    queryLimit: lens.queryLimit,
    defaultLookback: lens.defaultLookbackMs,
    searchEnabled: lens.searchEnabled,
    logsUrl: lens.logsUrl,
    supportUrl: lens.supportUrl,
    archivePostUrl: lens.archivePostUrl,
    archiveUrl: lens.archiveUrl,
    dependency: { enabled: lens.dependency.enabled, lowErrorRate: lens.dependency.lowErrorRate, highErrorRate: lens.dependency.highErrorRate },
  };
}
