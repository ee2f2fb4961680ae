// What a person does in a VS Code window, in Playwright terms: open the command palette, run a
// command by its title, answer an input box or a quick pick, read the status bar.

import type { FrameLocator, Locator, Page } from './playwright';
import { eventually } from './processes';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} input`;
const QUICK_INPUT_ROW = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const STATUS_BAR = '#workbench\\.parts\\.statusbar';

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator(STATUS_BAR).waitFor({ state: 'visible', timeout: 30_000 });
}

/** F1, type `>Title`, wait for exactly that row, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape'); // close whatever quick input is still open
  await page.keyboard.press('F1');
  const box = page.locator(QUICK_INPUT_BOX);
  await box.waitFor({ state: 'visible', timeout: 10_000 });
  await box.fill(`>${title}`);
  // Commands register when the extension activates; until then the row is missing.
  const row = page.locator(QUICK_INPUT_ROW).filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await selectActiveRow(page, title);
}

/** The palette filters fuzzily: press Enter only once the highlighted row is our command. */
async function selectActiveRow(page: Page, text: string): Promise<void> {
  const focused = page.locator(`${QUICK_INPUT_ROW}.focused`).first();
  await eventually(
    async () => ((await focused.textContent().catch(() => ''))?.includes(text) ? true : undefined),
    10_000,
    () => `the highlighted row never became "${text}"`,
  );
  await page.keyboard.press('Enter');
}

/** Types into the open input box (showInputBox, password or not) and presses Enter. */
export async function answerInputBox(page: Page, value: string): Promise<void> {
  const box = page.locator(QUICK_INPUT_BOX);
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  await box.fill(value);
  await box.press('Enter');
}

/** True when a quick input titled `title` is (or becomes, within `timeoutMs`) visible. */
export async function quickInputShown(
  page: Page,
  title: string,
  timeoutMs: number,
): Promise<boolean> {
  const titled = page
    .locator(`${QUICK_INPUT} .quick-input-title`)
    .filter({ hasText: title })
    .first();
  return titled
    .waitFor({ state: 'visible', timeout: timeoutMs })
    .then(() => true)
    .catch(() => false);
}

/** Filters the open quick pick by `label` and picks the matching row. */
export async function pickQuickPickItem(page: Page, label: string): Promise<void> {
  const box = page.locator(QUICK_INPUT_BOX);
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  const row = page.locator(QUICK_INPUT_ROW).filter({ hasText: label }).first();
  // Items may load from the network after the picker opens: wait for them before filtering.
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await box.fill(label);
  await selectActiveRow(page, label);
}

/** The status bar item whose text starts with "CustomGPT:" (codicon glyphs carry no text). */
export function customGptStatusItem(page: Page): Locator {
  return page.locator(`${STATUS_BAR} .statusbar-item`).filter({ hasText: 'CustomGPT:' }).first();
}

export async function statusText(page: Page): Promise<string> {
  const item = customGptStatusItem(page);
  if ((await item.count()) === 0) return '(no CustomGPT status bar item)';
  return ((await item.textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until the CustomGPT status bar item matches; the error names what it showed instead. */
export async function waitForStatus(
  page: Page,
  expected: RegExp,
  timeoutMs = 30_000,
): Promise<string> {
  let last = '';
  return eventually(
    async () => {
      last = await statusText(page);
      return expected.test(last) ? last : undefined;
    },
    timeoutMs,
    () => `status bar never showed ${expected}; last seen: "${last}"`,
  );
}

/**
 * Waits until the status bar has matched `expected` continuously for `steadyMs`: state changes
 * (a restart after a settings change, a probe at start-up) can flash the text we wait for.
 */
export async function waitForSteadyStatus(
  page: Page,
  expected: RegExp,
  timeoutMs = 30_000,
  steadyMs = 1500,
): Promise<string> {
  let last = '';
  let since = 0;
  return eventually(
    async () => {
      last = await statusText(page);
      if (!expected.test(last)) {
        since = 0;
        return undefined;
      }
      since ||= Date.now();
      return Date.now() - since >= steadyMs ? last : undefined;
    },
    timeoutMs,
    () => `status bar never showed ${expected} steadily for ${steadyMs} ms; last seen: "${last}"`,
  );
}

/** Waits for a notification toast whose message contains `text`. */
export async function waitForNotification(
  page: Page,
  text: string,
  timeoutMs = 15_000,
): Promise<void> {
  await page
    .locator('.notifications-toasts .notification-list-item-message')
    .filter({ hasText: text })
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The chat webview's document: an outer iframe.webview hosting the inner active-frame. */
export function chatWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Reads the system clipboard through the page, as the browser's paste would. */
export async function readClipboard(page: Page): Promise<string> {
  const text = await page.evaluate('navigator.clipboard.readText()');
  return typeof text === 'string' ? text : '';
}

export async function writeClipboard(page: Page, text: string): Promise<void> {
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
}

/** Visible notification toasts' text, for failure messages. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}
