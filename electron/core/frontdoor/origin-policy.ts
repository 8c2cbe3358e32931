// Which browser origins may reach the gateway through the front door. Pure.
// A web page the user visits can open WebSockets and send requests to 127.0.0.1; the browser says
// where the page came from in `Origin`. Loopback pages (the gateway's own Control UI) and origins the
// user allowed in settings pass; everything else — including `null` (sandboxed frames, file://) — is refused.

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
