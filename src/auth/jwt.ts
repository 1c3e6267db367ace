/**
 * Verifies a bearer JWT with `jose` and turns it into a Principal. The issuer entry is chosen by the
 * token's unverified `iss` (nothing else of the unverified token is trusted); the signature is then
 * checked with that issuer's own key set, audiences, algorithms and clock tolerance, so a token from
 * one issuer can never be checked against another's keys. `exp` and `sub` are required: a token that
 * never expires is refused, and `sub` names the principal (`jwt:<iss>|<sub>`).
 *
 * Key sets: a JWKS URL through jose's createRemoteJWKSet, which caches the set for
 * `jwksCacheMaxAgeSeconds` and fetches it again on an unknown `kid` (key rotation) at most once per
 * `jwksCooldownSeconds`; or a JWKS file read once at start-up. Every failure is an
 * UnauthenticatedError whose reason is jose's error code and message, which never quote the token.
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ConfigError } from '../config/index.js';
import { UnauthenticatedError } from '../errors.js';
import type { IssuerConfig, JwtConfig } from './config.js';
import type { Principal } from './principal.js';

/** jose errors that say the issuer's key set could not be had: the operator's problem, not the caller's. */
const KEY_SET_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/** Longest part of a claim a log line repeats: claims are the caller's input. */
const MAX_ECHO_CHARS = 100;

function keySetOf(issuer: IssuerConfig, jwt: JwtConfig): JWTVerifyGetKey {
  if (issuer.jwksUrl !== undefined) {
    return createRemoteJWKSet(new URL(issuer.jwksUrl), {
      cooldownDuration: jwt.jwksCooldownSeconds * 1000,
      cacheMaxAge: jwt.jwksCacheMaxAgeSeconds * 1000,
    });
  }
  const file = issuer.jwksFile ?? '';
  try {
    return createLocalJWKSet(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError(`auth.jwt.issuers: the JWKS file '${file}' of issuer '${issuer.issuer}' cannot be used: ${(error as Error).message}`);
  }
}

function tenantsOf(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (value === undefined) return [];
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value.filter((item) => item !== '');
  throw new UnauthenticatedError(`claim '${claim}' is neither a string nor a list of strings`);
}

function isAdmin(payload: JWTPayload, admin: IssuerConfig['adminClaim']): boolean {
  if (admin === undefined) return false;
  const value = payload[admin.claim];
  return value === admin.value || (Array.isArray(value) && value.includes(admin.value));
}

function rejection(error: unknown, issuer: string): UnauthenticatedError {
  if (error instanceof UnauthenticatedError) return error;
  if (error instanceof errors.JOSEError) {
    // Everything jose says about a bad token has a specific code; a plain JOSEError is the JWKS response.
    const keySetFailed = KEY_SET_FAILURES.has(error.code) || error.constructor === errors.JOSEError;
    return new UnauthenticatedError(`${error.code}: ${error.message} (issuer '${issuer}')`, keySetFailed);
  }
  // Not jose's: the JWKS fetch itself failed (connection refused, DNS).
  return new UnauthenticatedError(`the JWKS of issuer '${issuer}' could not be fetched: ${(error as Error).message}`, true);
}

export function createJwtVerifier(jwt: JwtConfig): (token: string) => Promise<Principal> {
  const issuers = new Map(jwt.issuers.map((issuer) => [issuer.issuer, { config: issuer, keys: keySetOf(issuer, jwt) }]));
  return async (token) => {
    let claimedIssuer: unknown;
    try {
      claimedIssuer = decodeJwt(token).iss;
    } catch (error) {
      throw new UnauthenticatedError(`the bearer token is not a JWT (${(error as errors.JOSEError).code ?? 'unreadable'})`);
    }
    const entry = typeof claimedIssuer === 'string' ? issuers.get(claimedIssuer) : undefined;
    if (entry === undefined)
      throw new UnauthenticatedError(`issuer ${JSON.stringify(claimedIssuer ?? null).slice(0, MAX_ECHO_CHARS)} is not configured`);
    const { config } = entry;
    try {
      const { payload } = await jwtVerify(token, entry.keys, {
        issuer: config.issuer,
        audience: config.audiences,
        algorithms: config.algorithms,
        clockTolerance: jwt.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      return {
        id: `jwt:${config.issuer}|${payload.sub}`,
        kind: 'jwt',
        tenants: tenantsOf(payload, config.tenantClaim),
        admin: isAdmin(payload, config.adminClaim),
        bearerToken: token,
      };
    } catch (error) {
      throw rejection(error, config.issuer);
    }
  };
}
