// The dashboard's Content-Security-Policy, sent by both front ends as a response header: the
// Electron shell's pincer:// protocol handler (electron/app-protocol.ts) and the headless server.
// src/index.html carries META_CONTENT_SECURITY_POLICY in its meta tag (a test keeps them equal), so
// the page is also covered where no header is sent (a file:// copy of dist/renderer).
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** What a meta tag can carry: browsers ignore frame-ancestors there. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
