export { ConfigError, loadConfig, parseConfig, type Config } from './load.js';
export type { FederationConfig, LimitsConfig, ServerConfig } from './schema.js';
export { idleTimeoutMs, type PersistedQueriesConfig } from './http-server.js';
