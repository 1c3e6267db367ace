/**
 * The in-process cache layer, in two tiers that share one byte budget (`cache.memory.maxBytes`):
 *
 * - encoded: every entry as the bytes Redis holds (codec.ts: JSON, gzip above a threshold),
 *   charged at their exact length plus the entry's bookkeeping. Dense: the 1,000-span demo trace is
 *   50 kB here.
 * - decoded: the most recently used entries as ready objects, charged at their estimated heap size
 *   (heap-size.ts), within `maxDecodedBytes` of the budget. The same 1,000-span trace is 1.8–2.5 MB
 *   here, and decoding it again costs ~8 ms, ~4 times its merge.
 *
 * A hit in the decoded tier returns the same shared, read-only object every time, which is what lets
 * federation/merge-memo.ts skip the merge for a dashboard refreshing a cached trace; a hit in the
 * encoded tier decodes once and moves the value into the decoded tier. An entry too large for the
 * decoded tier is only ever held encoded. Both tiers expire an entry at the envelope's `expiresAt`.
 *
 * Charging the decoded size is what bounds memory: charging decoded objects at their encoded size
 * admitted ~12 GB of heap under a 256 MB cap. Whatever else lives as long as a decoded value (the
 * merged trace merge-memo.ts keeps for it, its tree) is not charged here; see the README's "Caching".
 */
import { LRUCache } from 'lru-cache';
import { decode } from './codec.js';
import { estimateHeapBytes, stringHeapBytes } from './heap-size.js';

/**
 * Heap and native bytes an entry costs besides its value and key: the entry record, a Buffer and
 * its ArrayBuffer (encoded tier), the LRU's slot in its key, value, link, TTL and size arrays and
 * its Map entry. Checked against measured heap in test/cache/layered.test.ts (20,000 small entries:
 * ~630 bytes each held, both tiers, against ~1,260 charged).
 */
export const ENTRY_OVERHEAD_BYTES = 512;

export interface MemoryLimits {
  maxEntries: number;
  /** Both tiers together. */
  maxBytes: number;
  /** The decoded tier's share of maxBytes. */
  maxDecodedBytes: number;
}

interface EncodedEntry {
  bytes: Buffer;
  /** Epoch ms, from the envelope: a promoted value keeps its remaining TTL. */
  expiresAt: number;
  size: number;
  /** What the value costs decoded, estimated once when it is stored. */
  decodedSize: number;
}

interface DecodedEntry {
  value: unknown;
  size: number;
}

/**
 * A Buffer that owns its memory exactly. Small Buffers are slices of Node's shared 8 kB pool, and
 * ioredis hands out slices of a whole reply: keeping a slice keeps all of it alive, uncharged.
 */
function ownBytes(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  const owned = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(owned);
  return owned;
}

export class MemoryStore {
  private readonly encoded: LRUCache<string, EncodedEntry>;
  private readonly decoded: LRUCache<string, DecodedEntry>;
  private readonly maxDecodedBytes: number;

  constructor(limits: MemoryLimits) {
    const common = { max: limits.maxEntries, ttlAutopurge: false, sizeCalculation: (entry: { size: number }) => entry.size };
    // lru-cache wants sizes of at least 1; only a nonsensical maxBytes of 1 is rounded up.
    this.encoded = new LRUCache<string, EncodedEntry>({ ...common, maxSize: Math.max(1, limits.maxBytes - limits.maxDecodedBytes) });
    this.maxDecodedBytes = Math.max(1, limits.maxDecodedBytes);
    this.decoded = new LRUCache<string, DecodedEntry>({ ...common, maxSize: this.maxDecodedBytes });
  }

  /** The value for `key`, decoding it from the encoded tier when it is not held decoded. */
  get<T>(key: string, nowMs = Date.now()): T | undefined {
    const hot = this.decoded.get(key);
    if (hot !== undefined) return hot.value as T;
    const cold = this.encoded.get(key);
    if (cold === undefined) return undefined;
    const envelope = decode<T>(cold.bytes);
    if (envelope === undefined || cold.expiresAt <= nowMs) {
      this.encoded.delete(key);
      return undefined;
    }
    this.keepDecoded(key, envelope.value, cold.decodedSize, cold.expiresAt - nowMs);
    return envelope.value;
  }

  /** Holds `value` (decoded) and `bytes` (its encoding) until `expiresAt`. */
  set(key: string, value: unknown, bytes: Buffer, expiresAt: number, nowMs = Date.now()): void {
    const ttl = expiresAt - nowMs;
    if (ttl <= 0) return;
    const owned = ownBytes(bytes);
    const keyBytes = stringHeapBytes(key) + ENTRY_OVERHEAD_BYTES;
    const decodedSize = estimateHeapBytes(value) + keyBytes;
    this.encoded.set(key, { bytes: owned, expiresAt, size: owned.length + keyBytes, decodedSize }, { ttl });
    this.keepDecoded(key, value, decodedSize, ttl);
  }

  private keepDecoded(key: string, value: unknown, size: number, ttl: number): void {
    // Too large for the tier: served from the encoded tier only, decoded per hit. An older, smaller
    // value under the same key must not outlive the new one here.
    if (size > this.maxDecodedBytes) this.decoded.delete(key);
    else this.decoded.set(key, { value, size }, { ttl });
  }

  clear(): void {
    this.encoded.clear();
    this.decoded.clear();
  }

  /** Bytes charged per tier, and entries held. */
  get usage(): { encodedBytes: number; decodedBytes: number; entries: number; decodedEntries: number } {
    return {
      encodedBytes: this.encoded.calculatedSize,
      decodedBytes: this.decoded.calculatedSize,
      entries: this.encoded.size,
      decodedEntries: this.decoded.size,
    };
  }
}
