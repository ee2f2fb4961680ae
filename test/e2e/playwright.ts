// playwright-core lives in the e2e tool cache (.cache/e2e/<versions>/), not in package.json: it
// is a heavy test tool that only `npm run test:e2e` installs. So `tsc` never sees its types;
// these are the few parts of its API the suite uses, written out, and the module is loaded at
// run time from the folder scripts/e2e.sh names in E2E_TOOLS_DIR.
import { createRequire } from 'node:module';
import path from 'node:path';

export interface WaitOptions {
  timeout?: number;
}

export interface Locator {
  locator(selector: string): Locator;
  filter(options: { hasText?: string | RegExp; has?: Locator }): Locator;
  getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  waitFor(
    options?: WaitOptions & { state?: 'attached' | 'detached' | 'visible' | 'hidden' },
  ): Promise<void>;
  fill(value: string, options?: WaitOptions): Promise<void>;
  click(options?: WaitOptions): Promise<void>;
  press(key: string, options?: WaitOptions): Promise<void>;
  textContent(options?: WaitOptions): Promise<string | null>;
  innerText(options?: WaitOptions): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  allTextContents(): Promise<string[]>;
  hover(options?: WaitOptions): Promise<void>;
  isHidden(): Promise<boolean>;
  getAttribute(name: string, options?: WaitOptions): Promise<string | null>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  /** A DOM event on the element itself, whatever overlays it (the chat's sticky headers). */
  dispatchEvent(type: string): Promise<void>;
}

export interface FrameLocator {
  frameLocator(selector: string): FrameLocator;
  locator(selector: string): Locator;
}

export interface Keyboard {
  press(key: string): Promise<void>;
  type(text: string, options?: { delay?: number }): Promise<void>;
}

export interface Mouse {
  move(x: number, y: number): Promise<void>;
}

export interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Page {
  goto(
    url: string,
    options?: WaitOptions & { waitUntil?: 'load' | 'domcontentloaded' },
  ): Promise<unknown>;
  locator(selector: string): Locator;
  frameLocator(selector: string): FrameLocator;
  keyboard: Keyboard;
  mouse: Mouse;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  /** A string expression: the suite type-checks without the DOM library. */
  evaluate(expression: string): Promise<unknown>;
  bringToFront(): Promise<void>;
  close(options?: { runBeforeUnload?: boolean }): Promise<void>;
  isClosed(): boolean;
  url(): string;
  waitForTimeout(ms: number): Promise<void>;
  on(event: 'console', listener: (message: ConsoleMessage) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  pages(): Page[];
  grantPermissions(permissions: string[], options?: { origin?: string }): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchPersistentOptions {
  executablePath: string;
  headless: boolean;
  args: string[];
  env?: Record<string, string | undefined>;
  viewport?: { width: number; height: number };
  timeout?: number;
}

interface ChromiumType {
  launchPersistentContext(
    userDataDir: string,
    options: LaunchPersistentOptions,
  ): Promise<BrowserContext>;
}

interface PlaywrightCore {
  chromium: ChromiumType;
}

function isPlaywrightCore(value: unknown): value is PlaywrightCore {
  return typeof value === 'object' && value !== null && 'chromium' in value;
}

/** Loads playwright-core from the tool cache scripts/e2e.sh prepared. */
export function loadPlaywright(toolsDir: string): PlaywrightCore {
  const requireFromTools = createRequire(path.join(toolsDir, 'package.json'));
  const loaded: unknown = requireFromTools('playwright-core');
  if (!isPlaywrightCore(loaded)) throw new Error(`no playwright-core in ${toolsDir}`);
  return loaded;
}
