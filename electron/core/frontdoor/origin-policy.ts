// Which browser requests may reach the gateway through the front door. Pure.
// A web page the user visits can open WebSockets and send requests to 127.0.0.1; the browser says
// where the page came from in `Origin`. Loopback pages (the gateway's own Control UI) and origins the
// user allowed in settings pass; everything else — including `null` (sandboxed frames, file://) — is refused.
// A page can also reach 127.0.0.1 by DNS rebinding: its own name, re-resolved to 127.0.0.1, makes
// its requests same-origin, so a plain GET carries no `Origin` at all — but `Host` still names the
// page's site. So requests must also be addressed to a loopback name or to an allowed origin's host.

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The origin in its canonical form (lower-case host, default port dropped), or undefined if it is not an http(s) origin. */
export function canonicalOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin;
}

/** http(s)://127.0.0.1, localhost or [::1], any port. */
export function isLoopbackOrigin(origin: string): boolean {
  const canonical = canonicalOrigin(origin);
  return canonical !== undefined && LOOPBACK_HOSTNAMES.has(new URL(canonical).hostname);
}

/** True when a request carrying this `Origin` header value may pass. */
export function isOriginAllowed(origin: string, allowedOrigins: readonly string[]): boolean {
  if (isLoopbackOrigin(origin)) return true;
  const canonical = canonicalOrigin(origin);
  if (canonical === undefined) return false;
  return allowedOrigins.some((allowed) => canonicalOrigin(allowed) === canonical);
}

/** `name[:port]` as a Host header carries it: a bracketed IPv6 literal or a DNS name / IPv4 address. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/;

/** True when a request with this `Host` header value may pass (see above). */
export function isHostAllowed(host: string, allowedOrigins: readonly string[]): boolean {
  const match = HOST_HEADER.exec(host.trim().toLowerCase());
  if (!match || Number(match[2] ?? 0) > 65535) return false;
  const name = match[1]!;
  // Browsers resolve *.localhost to loopback themselves (RFC 6761), so it cannot be rebound.
  if (LOOPBACK_HOSTNAMES.has(name) || name.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return true;
  return allowedOrigins.some((allowed) => {
    const canonical = canonicalOrigin(allowed);
    return canonical !== undefined && new URL(canonical).hostname === name;
  });
}
