/**
 * The `auth` config block: how a caller proves who it is (README, "Authentication"). Only the shape and
 * the cross-field rules live here; key sets are built by jwt.ts, API keys matched by api-keys.ts, and
 * the refusal to listen on a non-loopback address without authentication is exposure.ts.
 *
 * No HMAC algorithm can be configured and no shared secret exists: every key comes from a JWKS, so a
 * public key can never be turned into an HMAC secret (the `alg: HS256` confusion attack), and `none`
 * is not an algorithm here either.
 */
import { z } from 'zod';

/** Asymmetric JWS algorithms only (RFC 7518 §3.1, RFC 8037): never `none`, never `HS*`. */
const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const issuerSchema = z
  .strictObject({
    issuer: z.string().min(1).describe("The token's `iss`, exactly as the identity provider writes it; picks this entry."),
    audiences: z
      .array(z.string().min(1))
      .min(1)
      .describe("Accepted `aud` values: the token's `aud` must name at least one (Tracegate's client id or API identifier at the provider)."),
    jwksUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Where the issuer publishes its JWKS (`jwks_uri` of its OpenID configuration); give this or `jwksFile`.'),
    jwksFile: z.string().min(1).optional().describe('A JWKS file (`{"keys": [...]}`) read at start-up; give this or `jwksUrl`.'),
    algorithms: z
      .array(z.enum(JWT_ALGORITHMS))
      .min(1)
      .describe('Signature algorithms accepted from this issuer (asymmetric only: `none` and `HS*` cannot be configured).'),
    tenantClaim: z
      .string()
      .min(1)
      .default('tenant')
      .describe("Top-level claim holding the caller's tenant, a string or a list of strings; absent: no tenant."),
    adminClaim: z
      .strictObject({
        claim: z.string().min(1).describe('Top-level claim to look at (`roles`, `scope` as a list, `https://example.com/groups`).'),
        value: z.string().min(1).describe('The value that grants admin: the claim equals it or is a list holding it.'),
      })
      .optional()
      .describe('Which claim value makes the caller an admin (may read `Query.backends` and `Query.cache`); absent: nobody from this issuer is.'),
  })
  .refine((issuer) => (issuer.jwksUrl === undefined) !== (issuer.jwksFile === undefined), {
    message: 'give exactly one of jwksUrl and jwksFile',
  });

const jwtSchema = z
  .strictObject({
    issuers: z.array(issuerSchema).default([]).describe("Identity providers whose tokens are accepted, each chosen by the token's `iss`."),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30).describe('Clock difference allowed when checking `exp` and `nbf`.'),
    jwksCooldownSeconds: z
      .number()
      .int()
      .min(0)
      .default(30)
      .describe('Shortest time between two JWKS fetches caused by an unknown `kid`, so forged key ids cannot make Tracegate hammer the provider.'),
    jwksCacheMaxAgeSeconds: z.number().int().positive().default(600).describe('How long a fetched JWKS is used before it is fetched again.'),
  })
  .default({ issuers: [], clockToleranceSeconds: 30, jwksCooldownSeconds: 30, jwksCacheMaxAgeSeconds: 600 });

const apiKeySchema = z.strictObject({
  id: z.string().min(1).describe('Name of the key, shown in logs as `key:<id>`; never the key itself.'),
  // A plain SHA-256 is right here, unlike for passwords: a key is at least 32 random bytes, so no
  // dictionary or brute force can invert its hash, and a slow hash would only slow every request.
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected the 64 hex digits of the SHA-256 of the key')
    .describe('SHA-256 of the key in hex (`printf %s "$KEY" | sha256sum`); the key itself is never configured. Keys are at least 32 random bytes.'),
  tenants: z.array(z.string().min(1)).describe('Tenants the key acts for.'),
  admin: z.boolean().default(false).describe('May read `Query.backends` and `Query.cache`.'),
});

export const authConfigSchema = z
  .strictObject({
    mode: z
      .enum(['none', 'jwt', 'apiKey', 'jwtOrApiKey'])
      .default('none')
      .describe(
        '`none`: every caller is anonymous and sees everything (the demo); `jwt`: `Authorization: Bearer <JWT>`; `apiKey`: `X-API-Key: <key>` or `Authorization: ApiKey <key>`; `jwtOrApiKey`: either.',
      ),
    allowUnauthenticatedRemote: z
      .boolean()
      .default(false)
      .describe('With `mode: none`, allow `server.host` to be a non-loopback address (start-up refuses it otherwise).'),
    jwt: jwtSchema,
    apiKeys: z.array(apiKeySchema).default([]).describe('API keys for service accounts (dashboards, CI), stored hashed.'),
  })
  .superRefine((auth, ctx) => {
    const needsJwt = auth.mode === 'jwt' || auth.mode === 'jwtOrApiKey';
    const needsKeys = auth.mode === 'apiKey' || auth.mode === 'jwtOrApiKey';
    if (needsJwt && auth.jwt.issuers.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['jwt', 'issuers'], message: `mode ${auth.mode} needs at least one issuer` });
    }
    if (needsKeys && auth.apiKeys.length === 0)
      ctx.addIssue({ code: 'custom', path: ['apiKeys'], message: `mode ${auth.mode} needs at least one key` });
    const duplicate = (values: string[]) => values.findIndex((value, i) => values.indexOf(value) !== i);
    const issuer = duplicate(auth.jwt.issuers.map((i) => i.issuer));
    if (issuer >= 0) ctx.addIssue({ code: 'custom', path: ['jwt', 'issuers', issuer, 'issuer'], message: 'duplicate issuer' });
    const id = duplicate(auth.apiKeys.map((k) => k.id));
    if (id >= 0) ctx.addIssue({ code: 'custom', path: ['apiKeys', id, 'id'], message: 'duplicate key id' });
    const hash = duplicate(auth.apiKeys.map((k) => k.sha256.toLowerCase()));
    if (hash >= 0) ctx.addIssue({ code: 'custom', path: ['apiKeys', hash, 'sha256'], message: 'the same key is configured twice' });
  })
  .default({
    mode: 'none',
    allowUnauthenticatedRemote: false,
    jwt: { issuers: [], clockToleranceSeconds: 30, jwksCooldownSeconds: 30, jwksCacheMaxAgeSeconds: 600 },
    apiKeys: [],
  })
  .describe('How callers authenticate (README, "Authentication").');

export type AuthConfig = z.infer<typeof authConfigSchema>;
export type JwtConfig = AuthConfig['jwt'];
export type IssuerConfig = JwtConfig['issuers'][number];
export type ApiKeyConfig = AuthConfig['apiKeys'][number];
