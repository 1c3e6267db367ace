// The rest of the gateway reads `request.principal` (typed by plugin.ts's declaration) and needs only this.
export { prepareAuthentication } from './plugin.js';
