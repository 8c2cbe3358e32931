// The dashboard's Content-Security-Policy, sent by both front ends (Electron's session headers
// and the headless server); src/index.html carries the same policy in its meta tag.
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
