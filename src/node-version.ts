/**
 * The oldest Node.js Tracegate runs on, checked by index.ts before any other module loads. Node 22
 * because exact 64-bit integers need JSON.parse to hand revivers the source text and JSON.rawJSON
 * (formats/shared/exact-json.ts; Node 20 has neither, and Elasticsearch's and Jaeger's int64 values
 * would be rounded past 2^53 without a word). package.json's `engines` says the same (a test keeps
 * them in step). This module imports nothing, so it runs on any Node.
 */
export const MIN_NODE_MAJOR = 22;

/** Why `version` (process.versions.node, e.g. "20.20.2") cannot run Tracegate, or null if it can. */
export function unsupportedNodeReason(version: string): string | null {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (Number.isInteger(major) && major >= MIN_NODE_MAJOR) return null;
  return (
    `Node.js ${MIN_NODE_MAJOR} or newer is required, this is ${version}: older versions round 64-bit integers ` +
    'from the backends (JSON.parse gives revivers no source text). Install Node.js 22 or 24 LTS.'
  );
}
