/**
 * Start-up refuses to serve every trace without authentication to anything but this machine: with
 * `auth.mode: none`, `server.host` must be a loopback address (127.0.0.0/8, ::1, `localhost`) unless
 * `auth.allowUnauthenticatedRemote` says the operator means it (a private network behind an
 * authenticating proxy). The zero-config demo listens on 127.0.0.1 and is unaffected. Any other name
 * counts as remote: it may resolve to anything.
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../config/index.js';
import type { AuthConfig } from './config.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export function isLoopbackHost(host: string): boolean {
  const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (address.toLowerCase() === 'localhost') return true;
  const family = isIP(address);
  // BlockList also matches the IPv4-mapped form (::ffff:127.0.0.1) against the IPv4 subnet.
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export function refuseUnauthenticatedRemote(host: string, auth: AuthConfig): void {
  if (auth.mode !== 'none' || auth.allowUnauthenticatedRemote || isLoopbackHost(host)) return;
  throw new ConfigError(
    `server.host is '${host}', not a loopback address, and auth.mode is none: anyone who can reach it would read every trace. ` +
      'Turn on authentication (auth.mode: jwt, apiKey or jwtOrApiKey), listen on 127.0.0.1, or set auth.allowUnauthenticatedRemote: true if that is intended',
  );
}
