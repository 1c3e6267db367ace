export { ConfigError, loadConfig, parseConfig, type BackendConfig, type Config } from './load.js';
export type { FederationConfig, LimitsConfig, ServerConfig } from './schema.js';
export { idleTimeoutMs, type HttpTimeoutsConfig, type PersistedQueriesConfig } from './http-server.js';
