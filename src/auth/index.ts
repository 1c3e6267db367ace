// The rest of the gateway reads `request.principal` (typed by plugin.ts's declaration) and needs only this.
export { prepareAuthentication } from './plugin.js';
// The shape of a refusal before any route runs, shared with the rate limit (server/rate-limit.ts).
export { apiOf, sendRefusal } from './refusal.js';
