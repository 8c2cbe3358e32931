// Reading and waiting on the dashboard through the hooks it promises (data-testid, data-state).
// Every wait is a condition with a deadline; nothing sleeps.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { GatewayState } from '../../electron/core/status';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS_DIR = path.join(ROOT, 'test-output/e2e');

/** A busy 2-core CI machine: a gateway start normally takes well under a second, but may take many. */
export const STATE_TIMEOUT_MS = 30_000;

export const byTestId = (id: string): string => `[data-testid="${id}"]`;

export async function text(page: Page, id: string): Promise<string> {
  return ((await page.textContent(byTestId(id))) ?? '').trim();
}

export async function waitForState(page: Page, state: GatewayState, timeout = STATE_TIMEOUT_MS): Promise<void> {
  await page.waitForSelector(`${byTestId('state-badge')}[data-state="${state}"]`, { timeout });
}

/** Running with a pid other than `oldPid` (a new gateway process). Returns the new pid. */
export async function waitForRunningWithNewPid(page: Page, oldPid: number, timeout = STATE_TIMEOUT_MS): Promise<number> {
  await page.waitForFunction(
    (old) =>
      document.querySelector('[data-testid="state-badge"]')?.getAttribute('data-state') === 'running' &&
      /^\d+$/.test(document.querySelector('[data-testid="pid"]')?.textContent?.trim() ?? '') &&
      document.querySelector('[data-testid="pid"]')?.textContent?.trim() !== String(old),
    oldPid,
    { timeout },
  );
  return Number(await text(page, 'pid'));
}

/**
 * Records every value the badge's data-state takes from now on, even ones that last a single
 * frame (a MutationObserver sees each attribute write). Read it with badgeStates().
 */
export async function recordBadgeStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const win = window as unknown as { __e2eStates?: string[]; __e2eObserver?: MutationObserver };
    win.__e2eObserver?.disconnect();
    const badge = document.querySelector('[data-testid="state-badge"]')!;
    const states = [badge.getAttribute('data-state') ?? ''];
    win.__e2eStates = states;
    // Each record carries the value before its write, so A→B→A within one callback batch is not lost.
    win.__e2eObserver = new MutationObserver((records) => {
      for (const record of records) {
        const before = record.oldValue ?? '';
        if (states[states.length - 1] !== before) states.push(before);
      }
      const now = badge.getAttribute('data-state') ?? '';
      if (states[states.length - 1] !== now) states.push(now);
    });
    win.__e2eObserver.observe(badge, { attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
  });
}

/** The distinct successive badge states since recordBadgeStates(). */
export function badgeStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __e2eStates?: string[] }).__e2eStates ?? []);
}

/** Saves what the viewport shows: the top of the page, or the element `focus` scrolled into view. */
export async function screenshot(page: Page, name: string, focus?: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  if (focus) await page.locator(focus).scrollIntoViewIfNeeded();
  else await page.evaluate(() => window.scrollTo(0, 0));
  const viewport = page.viewportSize();
  const file = path.join(SHOTS_DIR, `${name}-${viewport?.width}x${viewport?.height}.png`);
  // Caret and running CSS animations (the spinner) made screenshots differ from run to run.
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}
