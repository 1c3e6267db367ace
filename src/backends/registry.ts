/**
 * Backend kinds Tracegate knows: one line per kind. Adding a backend means adding its folder and one
 * line here; nothing in federation/, resolvers/ or cache/ changes.
 */
import type { BackendKind } from './backend.js';
import type { BackendFactory } from './factory.js';
import { elasticsearchBackendFactory } from './elasticsearch/index.js';
import { jaegerBackendFactory } from './jaeger/index.js';
import { memoryBackendFactory } from './memory/index.js';
import { zipkinBackendFactory } from './zipkin/index.js';

// biome-ignore lint/suspicious/noExplicitAny: the list holds factories of every backend's config type; each checks its own block with its schema
type AnyFactory = BackendFactory<any>;

export const backendFactories: ReadonlyMap<BackendKind, AnyFactory> = new Map<BackendKind, AnyFactory>([
  ['memory', memoryBackendFactory],
  ['jaeger', jaegerBackendFactory],
  ['zipkin', zipkinBackendFactory],
  ['elasticsearch', elasticsearchBackendFactory],
]);
