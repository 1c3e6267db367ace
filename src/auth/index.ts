export { prepareAuthentication } from './plugin.js';
export type { Principal } from './principal.js';
