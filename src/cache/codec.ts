/**
 * How cached values are stored: JSON, gzip-compressed above a size threshold, with the absolute
 * expiry inside the envelope so the in-process layer can take the remaining TTL of a Redis hit.
 * One leading byte says which: "j" plain JSON, "z" gzip.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export interface Envelope<T> {
  value: T;
  /** Epoch ms after which the entry is stale. */
  expiresAt: number;
}

export function encode<T>(envelope: Envelope<T>, compressAboveBytes: number): Buffer {
  const json = Buffer.from(JSON.stringify(envelope), 'utf8');
  if (json.length <= compressAboveBytes) return Buffer.concat([Buffer.from('j'), json]);
  return Buffer.concat([Buffer.from('z'), gzipSync(json, { level: 1 })]);
}

/** Undefined for anything not written by encode(): a foreign or corrupt entry is a miss. */
export function decode<T>(bytes: Buffer): Envelope<T> | undefined {
  try {
    const tag = bytes[0];
    const body = bytes.subarray(1);
    const json = tag === 0x6a /* j */ ? body : tag === 0x7a /* z */ ? gunzipSync(body) : undefined;
    if (json === undefined) return undefined;
    const parsed = JSON.parse(json.toString('utf8')) as Envelope<T>;
    return typeof parsed?.expiresAt === 'number' && 'value' in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}
