// What a person does in the browser while the in-VS-Code tests run: answers the extension's confirmations of
// destructive cells (a pick titled "Run \"cell\" on <target>?": "Run on …", or Enter — the default, Cancel — for
// the second run of a cell named honest-*), answers "where should this step run?" in a plain runbook with
// "Run as scratch", picks the drill scenario, answers Resolve's questions (summary and root cause typed, impact
// skipped), types a value into a variable prompt should one appear (none should; each one is recorded),
// answers a running cell's input box ("… is waiting for input": the sudo test user's password for its sudo
// prompt, a made-up one for the drill's stand-in sudo), and serves the tests' requests for screenshots (test/e2e/protocol.ts: UiRequest / UiReply). The first time each
// of these questions shows, it is photographed (test-results/confirm.png, guard.png, drill-picker.png, resolve.png).
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { UiReply, UiRequest } from './protocol.js';
import { SUDO_PASSWORD, SUDO_USER } from '../harness/sudoUser.js';

export interface UiWatcherStats {
  /** Title of every confirmation answered with "Run on …". */
  confirmations: string[];
  /** Every confirmation seen: its title and the text of its rows (the lines that triggered it). */
  confirmDetails: { title: string; rows: string[]; answer: 'run' | 'enter' }[];
  /** Titles of the "runbook, not a record" questions answered with "Run as scratch". */
  guards: string[];
  /** Drill scenario picks: the row chosen. */
  drillPicks: string[];
  /** Resolve's questions and what was answered. */
  resolveAnswers: string[];
  /** Title/prompt of every input box answered (variable prompts). */
  inputs: string[];
  /** Input boxes of running cells ("… is waiting for input"): title and prompt, and whether input was hidden. */
  cellInputs: Array<{ text: string; password: boolean }>;
  /** Quick picks that appeared (dismissed with Escape: the tests pass their answers as arguments). */
  quickPicks: string[];
  /** Other modal dialogs seen (left alone). */
  otherDialogs: string[];
  /** "Start an incident from …?" (an alert link): message and detail, answered "Start Incident". */
  alertLinks: { message: string; detail: string }[];
  screenshots: string[];
}

export interface UiWatcher {
  stats: UiWatcherStats;
  /** Stops watching (after the current round). */
  stop(): Promise<UiWatcherStats>;
}

const INPUT_VALUE = 'e2e-value';

// Browser-side code as strings (tsx would wrap functions in helpers the page does not have).
// Rendered markdown (notebook prose, markdown outputs) lives in shadow roots: their text is read too.
const BODY_TEXT_JS = `(() => {
  if (!document.body) return '';
  const parts = [document.body.innerText];
  const walk = (root) => root.querySelectorAll('*').forEach((el) => {
    if (el.shadowRoot) { parts.push(el.shadowRoot.textContent || ''); walk(el.shadowRoot); }
  });
  walk(document);
  return parts.join('\\n');
})()`;

export function startUiWatcher(page: Page, requestDir: string, outDir: string, log: (s: string) => void = () => undefined): UiWatcher {
  const stats: UiWatcherStats = {
    confirmations: [], confirmDetails: [], guards: [], drillPicks: [], resolveAnswers: [], inputs: [], cellInputs: [], quickPicks: [], otherDialogs: [], alertLinks: [],
    screenshots: [],
  };
  const photographed = new Set<string>();
  const photo = async (file: string) => {
    if (photographed.has(file)) return;
    photographed.add(file);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(outDir, file) }).catch(() => undefined);
    stats.screenshots.push(path.join(outDir, file));
  };
  const served = new Set<string>();
  let stopped = false;

  /**
   * Modal dialogs are left alone (the extension asks in picks) and recorded, except an alert link's "Start an
   * incident from …?", answered "Start Incident" after a photo (test-results/alert-link.png).
   */
  async function answerDialog(): Promise<void> {
    const box = page.locator('.monaco-dialog-box').first();
    if (!(await box.isVisible().catch(() => false))) return;
    const text = ((await box.locator('.dialog-message-text').first().textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
    if (text.startsWith('Start an incident from ')) {
      const detail = ((await box.locator('.dialog-message-detail').first().innerText({ timeout: 2000 }).catch(() => '')) ?? '').trim();
      await photo('alert-link.png');
      stats.alertLinks.push({ message: text, detail });
      log(`ui: answered "Start Incident" to: ${text}`);
      await box.locator('.dialog-buttons .monaco-button', { hasText: 'Start Incident' }).first().click({ timeout: 5000 });
      await box.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      return;
    }
    if (!stats.otherDialogs.includes(text)) {
      stats.otherDialogs.push(text);
      log(`ui: modal dialog left alone: ${text.slice(0, 200)}`);
    }
  }

  async function answerQuickInput(): Promise<void> {
    const widget = page.locator('.quick-input-widget').first();
    if (!(await widget.isVisible().catch(() => false))) return;
    const title = ((await widget.locator('.quick-input-title').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
    const message = ((await widget.locator('.quick-input-message').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
    const rowLocator = widget.locator('.quick-input-list .monaco-list-row');
    const rows = await rowLocator.count().catch(() => 0);
    const what = [title, message].filter(Boolean).join(' — ') || '(no title)';
    const rowTexts = rows ? (await rowLocator.allInnerTexts().catch(() => [] as string[])).map((t) => t.replace(/\s+/g, ' ').trim()) : [];
    const click = async (text: string) => {
      await rowLocator.filter({ hasText: text }).first().click({ timeout: 5000 });
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    };
    if (rows > 0 && /^Run ".+"/.test(title)) {
      await photo('confirm.png');
      const again = stats.confirmDetails.some((c) => c.title === title);
      if (/"honest-/.test(title) && again) {
        // The second run of an honest-* cell: Enter takes the default answer, which must be Cancel.
        stats.confirmDetails.push({ title, rows: rowTexts, answer: 'enter' });
        log(`ui: pressed Enter (the default) on: ${title}`);
        await page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
        return;
      }
      stats.confirmDetails.push({ title, rows: rowTexts, answer: 'run' });
      stats.confirmations.push(title);
      log(`ui: answered "Run on …" to: ${title}`);
      await click('Run on');
      return;
    }
    if (rows > 0 && title.includes('is a runbook, not an incident record')) {
      await photo('guard.png');
      stats.guards.push(title);
      log(`ui: answered "Run as scratch" to: ${title}`);
      await click('Run as scratch');
      return;
    }
    if (rows > 0 && title.startsWith('Start tabletop drill')) {
      await photo('drill-picker.png');
      stats.drillPicks.push(rowTexts[0] ?? '');
      log(`ui: picked the first drill scenario: ${rowTexts[0]}`);
      await rowLocator.first().click({ timeout: 5000 });
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      return;
    }
    if (rows > 0 && title.startsWith('Resolve incident: status')) {
      stats.resolveAnswers.push('status: resolved');
      await click('resolved');
      return;
    }
    if (!rows && title.startsWith('Resolve incident: ')) {
      await photo('resolve.png');
      const input = widget.locator('input').first();
      if (title.includes('Impact')) {
        stats.resolveAnswers.push('impact: skipped (Escape)');
        await page.keyboard.press('Escape');
      } else {
        const text = title.includes('Summary') ? 'Restarted the service; typed in the browser.' : 'Worker OOM kill; typed in the browser.';
        stats.resolveAnswers.push(`${title}: ${text}`);
        await input.fill(text, { timeout: 5000 });
        await page.keyboard.press('Enter');
      }
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      await page.waitForTimeout(300);
      return;
    }
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

  let lastText = '';
  /** Whether a text was absent from the page the last time textsShown looked. */
  const missingIn = (t: string) => !lastText.includes(t);

  /** The texts not visible in the workbench or in one of its (webview) frames. */
  async function textsShown(texts: string[]): Promise<string[]> {
    let all = '';
    for (const frame of page.frames()) {
      all += '\n' + (await frame.evaluate(BODY_TEXT_JS).catch(() => '') as string);
    }
    lastText = all;
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
        if (req.kind === 'open-url') await openUrl(req.url ?? '');
        else await takeScreenshot(req, reply);
      } catch (e) {
        reply.ok = false;
        reply.error = e instanceof Error ? e.message : String(e);
      }
      const replyFile = path.join(requestDir, `${req.id}.reply.json`);
      writeFileSync(replyFile + '.tmp', JSON.stringify(reply));
      renameSync(replyFile + '.tmp', replyFile);
    }
  }

  /**
   * As a person clicking a link: the workbench's page opens it in a new tab (a popup of the same browser
   * context, so it shares code-server's origin and local storage, as its /callback page needs).
   */
  async function openUrl(url: string): Promise<void> {
    const [tab] = await Promise.all([
      page.waitForEvent('popup', { timeout: 20_000 }),
      page.evaluate(`void window.open(${JSON.stringify(url)}, '_blank')`),
    ]);
    try {
      await tab.waitForLoadState('load', { timeout: 20_000 });
      await tab.waitForTimeout(1500);
    } finally {
      await tab.close().catch(() => undefined);
    }
    log(`ui: opened ${url}`);
  }

  async function takeScreenshot(req: UiRequest, reply: UiReply): Promise<void> {
    const out = path.join(outDir, req.file);
    let missing: string[];
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
    const rejected = req.rejectText?.length ? (req.rejectText.filter((t) => !missingIn(t)) ) : [];
    if (rejected.length) {
      reply.ok = false;
      reply.error = `${reply.error ? `${reply.error}; ` : ''}shown but must not be: ${rejected.map((m) => JSON.stringify(m)).join(', ')}`;
    }
    log(`ui: screenshot ${out}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
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
