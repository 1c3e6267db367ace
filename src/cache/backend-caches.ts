/**
 * The cache in front of every configured backend, as the Gateway hands it to each request: `forScope`
 * gives the request's view (federation/fan-out.ts, RequestCache), so every call a request makes reads
 * and writes only its own tenant scope. The backends themselves are not wrapped: the Gateway holds
 * them as they are, and a call reaches one through the cache only by way of a scope.
 */
import type { Backend } from '../backends/backend.js';
import type { RequestCache } from '../federation/index.js';
import type { CachingBackend } from './caching-backend.js';

export class BackendCaches {
  constructor(private readonly byBackend: ReadonlyMap<Backend, CachingBackend>) {}

  /** `scope`: the request's tenant; undefined: the whole gateway's public scope. */
  forScope(scope: string | undefined): RequestCache {
    return { viewOf: (backend) => this.byBackend.get(backend)?.view(scope) };
  }
}
