// What the VS Code bench does in the workbench (code-server + Chromium): open a notebook and wait until its
// first and last cells are rendered, edit and save it, run the `echo hi` cell, and read the extension host's
// memory. Every step is timed from the key press that starts it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { ECHO_CELL, FIRST_MARK, LAST_MARK } from './fixtures.js';

// Polling costs CPU the measured VS Code needs (2 cores): not faster than this.
const POLL_MS = 50;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Rendered cell content lives in the notebook's webview (markdown and outputs); the breadcrumbs are not. */
async function inWebview(page: Page, test: (frame: Frame) => Promise<boolean>): Promise<boolean> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    if (await test(frame).catch(() => false)) return true;
  }
  return false;
}

// Markdown cells render into shadow roots: locators pierce them.
const hasText = (text: string) => async (frame: Frame) => (await frame.getByText(text).count()) > 0;

export interface OpenTimes {
  first: number;
  last: number;
}

/** Quick Open → Enter; first: the first cell rendered; last: after Ctrl+End, the last cell rendered. */
export async function openNotebook(page: Page, fileName: string, timeoutMs = 180_000): Promise<OpenTimes> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(fileName);
  const escaped = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) }).first().waitFor({ timeout: 20_000 });
  const t0 = Date.now();
  await page.keyboard.press('Enter');
  await until('the first cell', timeoutMs, () => inWebview(page, hasText(FIRST_MARK)));
  const first = Date.now() - t0;
  // The opened notebook has the focus (on its first cell): to its last cell. The key can arrive before the
  // notebook list has the focus (then VS Code renders the last cell only in the background, minutes later):
  // pressed again every 250 ms until the last cell shows, for every format alike (every 3 s made the figure
  // jump by 3 s whenever the first press was lost; pressing it again at the end changes nothing).
  await page.keyboard.press('Control+End');
  let pressed = Date.now();
  await until('the last cell', timeoutMs, async () => {
    if (await inWebview(page, hasText(LAST_MARK))) return true;
    if (Date.now() - pressed > 250) {
      pressed = Date.now();
      await page.keyboard.press('Control+End');
    }
    return false;
  });
  return { first, last: Date.now() - t0 };
}

const row = (page: Page, index: number) => page.locator(`.notebook-editor .monaco-list-row[data-index="${index}"]`).first();

/** Back to the top, into the `echo hi` cell's editor (cell 1), cursor at its end. */
async function focusEchoCell(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Home');
  const editor = row(page, 1).locator('.cell-editor-container .view-lines');
  await editor.waitFor({ timeout: 30_000 });
  // Typing in command mode would run notebook commands (insert cells...): make sure the editor has the focus.
  await until('the echo cell editor to take the focus', 30_000, async () => {
    await editor.click();
    return page.evaluate(() => !!(globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }).document.activeElement?.closest('.cell-editor-container'));
  });
  await page.keyboard.press('End');
}

/** Types ` # edited` into the echo cell, then Ctrl+S: until the tab is clean and the file was written. */
export async function editAndSave(page: Page, file: string, timeoutMs = 180_000): Promise<number> {
  await focusEchoCell(page);
  await page.keyboard.type(' # edited');
  const tab = page.locator('.tabs-container .tab.active');
  await until('the dirty mark', 10_000, async () => /\bdirty\b/.test((await tab.getAttribute('class')) ?? ''));
  const before = statSync(file).mtimeMs;
  const t0 = Date.now();
  await page.keyboard.press('Control+S');
  await until('the save', timeoutMs, async () =>
    statSync(file).mtimeMs !== before && !/\bdirty\b/.test((await tab.getAttribute('class')) ?? ''));
  if (!readFileSync(file, 'utf8').includes('echo hi # edited')) throw new Error('the saved file lacks the edit');
  return Date.now() - t0;
}

export interface RunTimes {
  /** Key press → the cell's output shows the word. */
  output: number;
  /** Key press → the cell shows as done (✓). */
  done: number;
  /** Key press → the cell's spinner appeared (VS Code keeps it at least 500 ms: MIN_SPINNER_TIME in its
   * executionStatusBarItemController, so a ✓ never shows earlier than this + 500 ms). */
  running: number;
  /** Key press → the record on disk holds the output (the background save; runbooks only). */
  saved?: number;
  /** When the key was pressed (ms since the epoch): places the perf log's lines of the run. */
  at: number;
}

/** VS Code shows a cell's spinner for at least this long (ExecutionStateCellStatusBarItem.MIN_SPINNER_TIME). */
export const VSCODE_MIN_SPINNER_MS = 500;

// Output shown, spinner and cell done are stamped in the page by MutationObservers (the browser's clock is
// this machine's): polling from here would add its own interval and probe time (~100 ms under load) to the
// gap. Done counts only after the spinner was seen, so a ✓ left by an earlier run of the cell is not taken.
const STAMP_DONE = `(() => {
  const w = globalThis;
  w.__benchDone = 0;
  w.__benchRunning = 0;
  const row = () => document.querySelector('.notebook-editor .monaco-list-row[data-index="1"]');
  const obs = new MutationObserver(() => {
    const r = row();
    if (!r) return;
    if (!w.__benchRunning && r.querySelector(':is(.codicon-notebook-state-executing, .codicon-notebook-state-pending)')) w.__benchRunning = Date.now();
    if (w.__benchRunning && !w.__benchDone && !r.querySelector('.codicon-notebook-state-executing')
      && r.querySelector(':is(.codicon-notebook-state-success, .codicon-notebook-state-error)')) { w.__benchDone = Date.now(); obs.disconnect(); }
  });
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
})()`;
const stampOutput = (word: string) => `(() => {
  const w = globalThis;
  w.__benchOutput = 0;
  if (!document.body) return;
  const shown = () => [...document.querySelectorAll('.output')].some((o) => /^\\s*${word}\\s*$/.test(o.textContent ?? ''));
  const obs = new MutationObserver(() => { if (!w.__benchOutput && shown()) { w.__benchOutput = Date.now(); obs.disconnect(); } });
  obs.observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

/**
 * Clicks the echo cell's run button; output, done and (`record`: a runbook, saved after its runs) the
 * autosave of the record.
 */
export function runEcho(page: Page, file: string, timeoutMs = 180_000, record = true): Promise<RunTimes> {
  return runTimed(page, file, 'hi', timeoutMs, record);
}

/**
 * The echo cell rewritten to `sleep 1; echo slow` and run: a command longer than VS Code's minimum spinner
 * time, so its ✓ is not held back by VS Code and done − output is the extension's own gap.
 */
export async function runSlow(page: Page, file: string, timeoutMs = 180_000, record = true): Promise<RunTimes> {
  await focusEchoCell(page);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('sleep 1; echo slow');
  return runTimed(page, file, 'slow', timeoutMs, record);
}

async function runTimed(page: Page, file: string, word: string, timeoutMs: number, record: boolean): Promise<RunTimes> {
  await focusEchoCell(page);
  const status = row(page, 1);
  const button = status.locator('.run-button-container .codicon-notebook-execute');
  await button.waitFor({ state: 'attached', timeout: 10_000 });
  let seen = diskKey(file);
  const frames = page.frames().filter((f) => f !== page.mainFrame());
  await page.evaluate(STAMP_DONE);
  await Promise.all(frames.map((f) => f.evaluate(stampOutput(word)).catch(() => undefined)));
  const t0 = Date.now();
  await button.click({ force: true });
  let output = 0;
  let done = 0;
  let running = 0;
  await until('the output and the done state', timeoutMs, async () => {
    if (!output) {
      for (const f of page.frames()) {
        const at = await f.evaluate('globalThis.__benchOutput').catch(() => 0) as number | undefined;
        if (at) output = output ? Math.min(output, at - t0) : at - t0;
      }
    }
    if (!done) {
      const at = await page.evaluate('[globalThis.__benchDone, globalThis.__benchRunning]') as [number, number];
      if (at[0]) [done, running] = [at[0] - t0, at[1] - t0];
    }
    return output > 0 && done > 0;
  });
  if (!record) return { output, done, running, at: t0 };
  await until('the record saved with the output', timeoutMs, async () => {
    const now = diskKey(file);
    if (now === seen) return false;
    seen = now;
    const text = readFileSync(file, 'utf8');
    return text.includes(`"cell":"${ECHO_CELL}"`) && new RegExp(`^${word}$`, 'm').test(text);
  });
  return { output, done, running, saved: Date.now() - t0, at: t0 };
}

/**
 * What says a file was written again: its mtime and its size. A read can land in the middle of a save (VS Code
 * writes a big record in chunks) and the rest of the write within the same mtime tick (the kernel's clock for
 * mtimes is coarse): the size still differs then, so the complete file is read next time.
 */
function diskKey(file: string): string {
  const st = statSync(file);
  return `${st.mtimeMs}:${st.size}`;
}

/** Resident memory (MB) of the extension host in code-server's process group. */
export function extensionHostRssMb(group: number): number | undefined {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('extensionHost')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== group) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) return Math.round(Number(rss[1]) / 1024);
    } catch {
      /* gone */
    }
  }
  return undefined;
}
