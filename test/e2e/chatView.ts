// VS Code's own Chat view in Playwright terms (workbench DOM, not a webview): the input, the
// model picker, the responses, their references, follow-ups, buttons and votes.
import type { Locator, Page } from './playwright';
import { eventually } from './processes';

const INPUT = '.interactive-input-part .interactive-input-editor';
/** The chat's rows (requests and responses, alternating); the list renders only what is in view. */
const ROW = '.interactive-session .interactive-list .monaco-list-row';

/** The row after the last one: where the next request goes (its response is one further). */
async function nextRowIndex(page: Page): Promise<number> {
  const rows = page.locator(ROW);
  let max = -1;
  for (let i = 0; i < (await rows.count()); i++) {
    max = Math.max(max, Number((await rows.nth(i).getAttribute('data-index')) ?? -1));
  }
  return max + 1;
}

/** The response in row `index` of the chat (stable, unlike positions in the rendered list). */
export function responseAt(page: Page, index: number): Locator {
  return page.locator(`${ROW}[data-index="${index}"] .interactive-response`).first();
}

/**
 * Clears the chat input (a sticky participant leaves "@customgpt " in it), types, sends.
 * Returns the row index its response will have.
 */
export async function askInChat(page: Page, text: string): Promise<number> {
  const next = await nextRowIndex(page);
  // No Escape first: in an editor it would drop the selection /selection is about to ask about.
  const input = page.locator(INPUT).first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text, { delay: 5 });
  // The suggest widget (participants, slash commands) may be open: Escape would clear it only.
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  return next + 1;
}

export interface Answer {
  text: string;
  /** Lengths of the response text as it was seen growing. */
  lengths: number[];
}

/**
 * Waits for the response in row `index` to match `done`, recording how its text grew on the
 * way (a streamed answer is seen partially before it is complete).
 */
export async function waitForResponse(
  page: Page,
  index: number,
  done: RegExp,
  timeoutMs = 60_000,
  onGrow?: (lengths: number[]) => Promise<void>,
): Promise<Answer> {
  const response = responseAt(page, index);
  const lengths: number[] = [];
  const text = await eventually(
    async () => {
      // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees, as laid out
      const now = ((await response.innerText({ timeout: 1000 }).catch(() => '')) ?? '').trim();
      if (now && lengths.at(-1) !== now.length) {
        lengths.push(now.length);
        await onGrow?.(lengths);
      }
      return done.test(now) ? now : undefined;
    },
    timeoutMs,
    () => `response ${index} never matched ${done}; lengths seen: ${lengths.join(', ')}`,
  );
  return { text, lengths };
}

/** Expands "Completed N steps" and "Used N references"; returns the listed references' text. */
export async function referencesOf(response: Locator): Promise<{ label: string; items: string[] }> {
  const summary = response.locator('summary.completed-response-summary').first();
  // The chat's sticky header (the request above) may cover these: click them as DOM events.
  if ((await summary.count()) > 0 && (await summary.getAttribute('aria-expanded')) !== 'true') {
    await summary.dispatchEvent('click');
  }
  const used = response.locator('.chat-used-context-label .monaco-button').filter({
    hasText: /Used \d+ references?/,
  });
  await used.first().waitFor({ state: 'visible', timeout: 10_000 });
  // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees, as laid out
  const label = (await used.first().innerText()).trim();
  if ((await used.first().getAttribute('aria-expanded')) !== 'true') {
    await used.first().dispatchEvent('click');
  }
  const list = response.locator('.chat-used-context-list .monaco-list-row');
  await list.first().waitFor({ state: 'visible', timeout: 10_000 });
  const items = (await list.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  // A row's aria-label names the reference fully (the URL or the file and its lines).
  const labels: string[] = [];
  for (let i = 0; i < (await list.count()); i++) {
    labels.push((await list.nth(i).getAttribute('aria-label')) ?? '');
  }
  return { label, items: items.map((t, i) => `${t} ${labels[i] ?? ''}`.trim()) };
}

/** A button the response rendered with stream.button (title as shown). */
export function responseButton(response: Locator, title: string): Locator {
  return response.locator('.chat-command-button .monaco-button').filter({ hasText: title }).first();
}

/** The follow-up link under the input, by its text. */
export function followup(page: Page, text: string): Locator {
  return page.locator('.interactive-followup-reply').filter({ hasText: text }).first();
}

/** Opens a workspace file through quick open (F1, the file name, Enter). */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const box = page.locator('.quick-input-widget input');
  await box.waitFor({ state: 'visible', timeout: 10_000 });
  await box.fill(name);
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ hasText: name })
    .first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page
    .locator('.tabs-container .tab')
    .filter({ hasText: name })
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
}

/** Hovers the response and clicks its thumbs-down ("Unhelpful") action. */
export async function voteUnhelpful(response: Locator): Promise<void> {
  await response.hover();
  const thumbsDown = response.locator('.action-label.codicon-thumbsdown').first();
  await thumbsDown.waitFor({ state: 'visible', timeout: 10_000 });
  await thumbsDown.click();
}
