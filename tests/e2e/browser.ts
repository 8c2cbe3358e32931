// Debian's Chromium driven by playwright-core, and a recorder of everything a page does wrong
// (console errors, uncaught page errors, CSP violations) and of every URL it requests.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A fresh browser with its own throwaway profile (playwright makes and removes a temp user-data dir per launch). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}

export interface Problem {
  kind: 'console' | 'pageerror' | 'csp';
  text: string;
  /** Where it came from (for a failed request: the request's URL). */
  url: string;
  /** Set while the test said this kind of error was expected (see expectErrors). */
  expected: boolean;
}

export interface PageWatch {
  problems: Problem[];
  requestUrls: string[];
  /** Marks errors that match `pattern` as expected while `during` runs (e.g. a 400 the test provokes). */
  expectErrors<T>(pattern: RegExp, during: () => Promise<T>): Promise<T>;
  unexpected(): Problem[];
}

const CSP_REPORT = '__pincerE2eCspViolation';

/** Call before the first navigation: the CSP listener must be in place before the page's scripts run. */
export async function watchContext(context: BrowserContext): Promise<PageWatch> {
  const problems: Problem[] = [];
  const requestUrls: string[] = [];
  let expectedPattern: RegExp | undefined;
  const add = (kind: Problem['kind'], text: string, url: string): void => {
    problems.push({ kind, text, url, expected: expectedPattern !== undefined && expectedPattern.test(`${text} ${url}`) });
  };

  await context.exposeBinding(CSP_REPORT, (_source, text: string, url: string) => add('csp', text, url));
  // Runs through the DevTools protocol, so the page's own CSP does not block it.
  await context.addInitScript((report: string) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const send = (window as unknown as Record<string, (text: string, url: string) => void>)[report];
      send?.(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`, event.sourceFile || document.location.href);
    });
  }, CSP_REPORT);

  const watchPage = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() === 'error') add('console', message.text(), message.location().url);
    });
    page.on('pageerror', (error) => add('pageerror', error.stack ?? error.message, page.url()));
  };
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  context.on('request', (request) => requestUrls.push(request.url()));

  return {
    problems,
    requestUrls,
    async expectErrors(pattern, during) {
      expectedPattern = pattern;
      try {
        return await during();
      } finally {
        expectedPattern = undefined;
      }
    },
    unexpected: () => problems.filter((problem) => !problem.expected),
  };
}
