// What a person does in the browser while the in-VS-Code tests run: answers the extension's modal
// confirmations of destructive cells ("Run \"cell\" on target?" → Run), types a value into a variable prompt
// should one appear (none should in these tests; each one is recorded), answers a running cell's input box
// ("… is waiting for input": the sudo test user's password for its sudo prompt, a made-up one for the drill's
// stand-in sudo), and serves the tests' requests for screenshots (test/e2e/protocol.ts: UiRequest / UiReply).
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { UiReply, UiRequest } from './protocol.js';
import { SUDO_PASSWORD, SUDO_USER } from '../harness/sudoUser.js';

export interface UiWatcherStats {
  /** Text of every confirmation dialog answered with "Run". */
  confirmations: string[];
  /** Title/prompt of every input box answered (variable prompts). */
  inputs: string[];
  /** Input boxes of running cells ("… is waiting for input"): title and prompt, and whether input was hidden. */
  cellInputs: Array<{ text: string; password: boolean }>;
  /** Quick picks that appeared (dismissed with Escape: the tests pass their answers as arguments). */
  quickPicks: string[];
  /** Other modal dialogs seen (left alone). */
  otherDialogs: string[];
  screenshots: string[];
}

export interface UiWatcher {
  stats: UiWatcherStats;
  /** Stops watching (after the current round). */
  stop(): Promise<UiWatcherStats>;
}

const INPUT_VALUE = 'e2e-value';

// Browser-side code as strings (tsx would wrap functions in helpers the page does not have).
const BODY_TEXT_JS = `(() => document.body ? document.body.innerText : '')()`;

export function startUiWatcher(page: Page, requestDir: string, outDir: string, log: (s: string) => void = () => undefined): UiWatcher {
  const stats: UiWatcherStats = { confirmations: [], inputs: [], cellInputs: [], quickPicks: [], otherDialogs: [], screenshots: [] };
  const served = new Set<string>();
  let stopped = false;

  async function answerDialog(): Promise<void> {
    const box = page.locator('.monaco-dialog-box').first();
    if (!(await box.isVisible().catch(() => false))) return;
    const text = ((await box.locator('.dialog-message-text').first().textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
    if (!text.startsWith('Run "')) {
      if (!stats.otherDialogs.includes(text)) {
        stats.otherDialogs.push(text);
        log(`ui: modal dialog left alone: ${text.slice(0, 200)}`);
      }
      return;
    }
    await box.getByRole('button', { name: 'Run', exact: true }).click({ timeout: 5000 });
    stats.confirmations.push(text);
    log(`ui: answered "Run" to: ${text.slice(0, 200)}`);
    await box.waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
  }

  async function answerQuickInput(): Promise<void> {
    const widget = page.locator('.quick-input-widget').first();
    if (!(await widget.isVisible().catch(() => false))) return;
    const title = ((await widget.locator('.quick-input-title').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
    const message = ((await widget.locator('.quick-input-message').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
    const rows = await widget.locator('.quick-input-list .monaco-list-row').count().catch(() => 0);
    const what = [title, message].filter(Boolean).join(' — ') || '(no title)';
    if (rows > 0) {
      stats.quickPicks.push(what);
      log(`ui: a quick pick appeared (${what}); pressing Escape`);
      await page.keyboard.press('Escape');
      return;
    }
    const input = widget.locator('input').first();
    let value = INPUT_VALUE;
    if (/ is waiting for input/.test(title)) {
      const password = (await input.getAttribute('type', { timeout: 1000 }).catch(() => '')) === 'password';
      stats.cellInputs.push({ text: what, password });
      if (message.includes(`[sudo] password for ${SUDO_USER}:`)) {
        value = SUDO_PASSWORD;
        const shot = path.join(outDir, 'prompt.png'); // the input box as the person sees it, before typing
        if (await page.screenshot({ path: shot }).then(() => true, () => false)) stats.screenshots.push(shot);
      }
      log(`ui: a cell's input box appeared (${what}; ${password ? 'password box' : 'plain'}); typing the answer + Enter`);
    } else {
      stats.inputs.push(what);
      log(`ui: an input box appeared (${what}); typing ${JSON.stringify(INPUT_VALUE)} + Enter`);
    }
    await input.fill(value, { timeout: 5000 });
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }

  /** Whether every text is visible in the workbench or in one of its (webview) frames. */
  async function textsShown(texts: string[]): Promise<string[]> {
    let all = '';
    for (const frame of page.frames()) {
      all += '\n' + (await frame.evaluate(BODY_TEXT_JS).catch(() => '') as string);
    }
    return texts.filter((t) => !all.includes(t));
  }

  async function serveRequests(): Promise<void> {
    if (!existsSync(requestDir)) return;
    for (const f of readdirSync(requestDir).filter((x) => x.endsWith('.request.json'))) {
      if (served.has(f)) continue;
      served.add(f);
      const req = JSON.parse(readFileSync(path.join(requestDir, f), 'utf8')) as UiRequest;
      const reply: UiReply = { id: req.id, ok: true };
      try {
        const out = path.join(outDir, req.file);
        let missing: string[] = [];
        const end = Date.now() + 20_000;
        for (;;) {
          missing = await textsShown(req.expectText ?? []);
          if (!missing.length || Date.now() > end) break;
          await page.waitForTimeout(500);
        }
        // Let the webviews paint what they just got.
        await page.waitForTimeout(1000);
        await page.screenshot({ path: out });
        stats.screenshots.push(out);
        reply.file = out;
        if (missing.length) {
          reply.ok = false;
          reply.error = `not shown in the browser within 20 s: ${missing.map((m) => JSON.stringify(m)).join(', ')}`;
        }
        log(`ui: screenshot ${out}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
      } catch (e) {
        reply.ok = false;
        reply.error = e instanceof Error ? e.message : String(e);
      }
      const replyFile = path.join(requestDir, `${req.id}.reply.json`);
      writeFileSync(replyFile + '.tmp', JSON.stringify(reply));
      renameSync(replyFile + '.tmp', replyFile);
    }
  }

  const loop = (async () => {
    while (!stopped) {
      for (const step of [answerDialog, answerQuickInput, serveRequests]) {
        try {
          await step();
        } catch (e) {
          log(`ui: ${step.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  return {
    stats,
    async stop() {
      stopped = true;
      await loop;
      return stats;
    },
  };
}
