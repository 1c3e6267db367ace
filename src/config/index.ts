export { ConfigError, loadConfig, parseConfig, type BackendConfig, type Config } from './load.js';
export type { FederationConfig, LimitsConfig, ServerConfig } from './schema.js';
