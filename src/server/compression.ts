/**
 * Response compression (`server.compression`) with @fastify/compress: brotli or gzip, as the
 * client's Accept-Encoding prefers (brotli first when both are equally welcome), for every body of at
 * least `thresholdBytes` and a compressible type (JSON, text, JavaScript and CSS of the explorer and
 * Lens). A 1,000-span trace is about half a megabyte of JSON and compresses about twentyfold
 * (bench/RESULTS.md, "compression").
 *
 * It composes by position: @fastify/compress adds its onSend hook to each route as the route is
 * added, so this is registered before every route (create-server.ts). Its hook then runs after each
 * route's serialization (Apollo's string body, the Jaeger API's preSerialization envelope) and
 * compresses the finished bytes; @fastify/static's file streams (the explorer's assets, Lens) are
 * compressed as streams.
 *
 * Not handled: request bodies are not decompressed (no client of ours sends them compressed, and a
 * decompressing parser is one more way to inflate a small request past the body limit), and zstd is
 * not offered (browsers and curl agree on brotli and gzip).
 */
import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config/index.js';

export async function registerCompression(app: FastifyInstance, config: ServerConfig['compression']): Promise<void> {
  if (!config.enabled) return;
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: config.thresholdBytes,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: config.brotliQuality } },
    globalDecompression: false,
  });
}
