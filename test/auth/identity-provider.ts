/**
 * A stand-in identity provider for the authentication tests: signing keys with key ids, a JWKS served
 * over HTTP on 127.0.0.1 by a tiny node:http server (which counts its fetches, and whose key set a
 * test rotates), and tokens signed the way a provider signs them, plus the forgeries the tests refuse.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyPair['privateKey'];
  publicKey: KeyPair['publicKey'];
  publicJwk: JWK;
}

export async function signingKey(kid: string, alg: SigningKey['alg'] = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface JwksServer {
  url: string;
  /** GETs of the key set so far. */
  fetches(): number;
  /** Serve these keys from now on (a provider rotating its keys). */
  serve(keys: readonly SigningKey[]): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly SigningKey[]): Promise<JwksServer> {
  let current = keys;
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches++;
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: current.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    fetches: () => fetches,
    serve: (next) => {
      current = next;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export interface TokenOptions {
  iss: string;
  aud?: string | string[];
  sub?: string;
  /** Seconds from now; negative for the past. */
  expiresIn?: number | null;
  notBeforeIn?: number;
  claims?: JWTPayload;
  /** Header kid; defaults to the key's. */
  kid?: string;
}

const now = (): number => Math.floor(Date.now() / 1000);

export async function signToken(key: SigningKey, options: TokenOptions): Promise<string> {
  const jwt = new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(options.iss)
    .setAudience(options.aud ?? 'tracegate')
    .setSubject(options.sub ?? 'alice')
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(now() + (options.expiresIn ?? 3600));
  if (options.notBeforeIn !== undefined) jwt.setNotBefore(now() + options.notBeforeIn);
  return jwt.sign(key.privateKey);
}

/** `alg: none`, no signature: what a forger sends hoping the verifier skips the check. */
export function unsignedToken(options: TokenOptions): string {
  return new UnsecuredJWT({ sub: 'alice', aud: 'tracegate', exp: now() + 3600, ...options.claims }).setIssuer(options.iss).encode();
}

/**
 * The algorithm-confusion forgery: HS256 with the RSA public key's PEM text as the HMAC secret, which a
 * verifier that lets the token pick the algorithm would check against that same "key".
 */
export async function hmacWithPublicKey(key: SigningKey, options: TokenOptions): Promise<string> {
  const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
  return new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(options.iss)
    .setAudience(options.aud ?? 'tracegate')
    .setSubject('alice')
    .setExpirationTime(now() + 3600)
    .sign(secret);
}

/** The same token with its payload replaced (signature kept). */
export function withPayload(token: string, payload: JWTPayload): string {
  const [header, , signature] = token.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

/** The same token with one signature character changed in the middle (the last one may only hold padding bits). */
export function withFlippedSignature(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const at = Math.floor(signature.length / 2);
  const flipped = signature[at] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, at)}${flipped}${signature.slice(at + 1)}`;
}

export function payloadOf(token: string): JWTPayload {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as JWTPayload;
}
