/**
 * `authenticate(headers) → Principal`: reads the credentials a request carries and checks them the way
 * `auth.mode` allows. Credentials are `Authorization: Bearer <JWT>`, `Authorization: ApiKey <key>` or
 * `X-API-Key: <key>` (schemes case-insensitive, RFC 9110 §11.1). A request carrying two kinds at once
 * (an Authorization header and X-API-Key) is refused rather than guessed at. What the principal may
 * see is not decided here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { UnauthenticatedError } from '../errors.js';
import { createApiKeyMatcher } from './api-keys.js';
import type { AuthConfig } from './config.js';
import { createJwtVerifier } from './jwt.js';
import { ANONYMOUS_ADMIN, type Principal } from './principal.js';

export type Authenticate = (headers: IncomingHttpHeaders) => Promise<Principal>;

type Credentials = { kind: 'bearer'; token: string } | { kind: 'apiKey'; key: string };

/** `<scheme> <credentials>`: one token68-like word after the scheme, nothing else. */
const AUTHORIZATION = /^([A-Za-z][A-Za-z0-9-]*) +([^\s,]+) *$/;

function credentialsOf(headers: IncomingHttpHeaders): Credentials {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization !== undefined && apiKey !== undefined) throw new UnauthenticatedError('both Authorization and X-API-Key were sent');
  if (typeof apiKey === 'string') {
    if (apiKey === '') throw new UnauthenticatedError('X-API-Key is empty');
    return { kind: 'apiKey', key: apiKey };
  }
  if (apiKey !== undefined) throw new UnauthenticatedError('X-API-Key was sent more than once');
  if (authorization === undefined) throw new UnauthenticatedError('no credentials were sent');
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) throw new UnauthenticatedError('the Authorization header is malformed');
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'bearer') return { kind: 'bearer', token: match[2]! };
  if (scheme === 'apikey') return { kind: 'apiKey', key: match[2]! };
  throw new UnauthenticatedError(`the Authorization scheme '${match[1]!.slice(0, 20)}' is not accepted`);
}

export function createAuthenticator(auth: AuthConfig): Authenticate {
  if (auth.mode === 'none') return async () => ANONYMOUS_ADMIN;
  const verifyJwt = auth.mode === 'apiKey' ? null : createJwtVerifier(auth.jwt);
  const matchApiKey = auth.mode === 'jwt' ? null : createApiKeyMatcher(auth.apiKeys);
  return async (headers) => {
    const credentials = credentialsOf(headers);
    if (credentials.kind === 'bearer') {
      if (verifyJwt === null) throw new UnauthenticatedError(`a bearer token was sent, but auth.mode is ${auth.mode}`);
      return verifyJwt(credentials.token);
    }
    if (matchApiKey === null) throw new UnauthenticatedError(`an API key was sent, but auth.mode is ${auth.mode}`);
    return matchApiKey(credentials.key);
  };
}
