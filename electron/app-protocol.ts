// The dashboard's own origin: pincer://app/, served from dist/renderer by a protocol handler.
// Not file://: a file:// page gets no response headers (so no CSP header could reach it) and
// shares its origin with every other local file. Every response carries the CSP header. Pure (no
// Electron import): window.ts registers the handler with session.protocol.handle, and the
// scheme's privileges are registered before 'ready' (run-app.ts).
import { contentTypeOf } from './core/content-types';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './core/csp';

export const APP_SCHEME = 'pincer';
const APP_HOST = 'app';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged: a standard scheme (so relative URLs and 'self' work)
 * that counts as secure. No fetch, CORS or service-worker privileges: the page talks to main over
 * the preload bridge only.
 */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }];

const SECURITY_HEADERS = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };

function refuse(status: 400 | 404 | 405, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The file under rootDir a pincer://app/ URL names, or undefined when it names anything else. */
export function appFileFor(rootDir: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (relative.includes('\0')) return undefined;
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${relative === '/' ? '/index.html' : relative}`);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** The handler for protocol.handle(APP_SCHEME, …): GET of files under rootDir, nothing else. */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    const file = appFileFor(rootDir, request.url);
    if (!file) return refuse(400, 'not a pincer://app/ URL');
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return refuse(404, 'not found');
    }
    const type = contentTypeOf(file);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': type },
    });
  };
}
