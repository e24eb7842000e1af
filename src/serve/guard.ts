import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Which Host headers the server answers: the address it is bound to, by the names
 * that address has. A page on another site that gets a browser to resolve its own
 * name to 127.0.0.1 (DNS rebinding) still sends its own name as Host, and is refused.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set<string>();
  const add = (h: string) => names.add(`${isIP(h) === 6 ? `[${h}]` : h.toLowerCase()}:${port}`);
  add(host);
  if (isLoopback(host) || isWildcard(host)) for (const h of ['127.0.0.1', 'localhost', '::1']) add(h);
  if (isWildcard(host)) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) add(a.address.replace(/%.*$/, ''));
  }
  return names;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

export function hostAllowed(header: string | undefined, allowed: Set<string>): boolean {
  return header !== undefined && allowed.has(header.toLowerCase());
}

/**
 * Uploads come from this page only: a browser always sends Origin on a
 * cross-site POST, and it must be this server's own origin (by an allowed Host).
 * A request without Origin (curl, scripts on this machine) is refused too: the
 * page's fetch always sends it.
 */
export function originAllowed(origin: string | undefined, allowed: Set<string>): boolean {
  if (!origin) return false;
  const m = /^http:\/\/([^/]+)$/i.exec(origin);
  return m !== null && allowed.has(m[1].toLowerCase());
}
