/**
 * How cached values are stored: JSON, gzip-compressed above a size threshold, with the absolute
 * expiry inside the envelope so the in-process layer can take the remaining TTL of a Redis hit.
 * One leading byte says which: "j" plain JSON, "z" gzip.
 */
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';

const gzipAsync = promisify(gzip);

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

/**
 * encode, with the compression of a big value done on libuv's thread pool instead of the event loop:
 * gzip of a 10,000-span trace's 5 MB of JSON is tens of milliseconds that every other request would
 * otherwise wait (bench scenario 10). A value that is not compressed is encoded synchronously:
 * `{ bytes }` at once; a compressed one: `{ pending }`.
 */
export function encodeSoon<T>(envelope: Envelope<T>, compressAboveBytes: number): { bytes: Buffer } | { pending: Promise<Buffer> } {
  const json = Buffer.from(JSON.stringify(envelope), 'utf8');
  if (json.length <= compressAboveBytes) return { bytes: Buffer.concat([Buffer.from('j'), json]) };
  return { pending: gzipAsync(json, { level: 1 }).then((zipped) => Buffer.concat([Buffer.from('z'), zipped])) };
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
