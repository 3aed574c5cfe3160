// UI checks of running cells: "Run All" in a trusted workspace runs a bash cell on the local machine; in
// Restricted Mode (untrusted workspace) nothing runs.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { runCleanups } from './codeServer.js';

/** A runbook whose only code cell creates `marker`. */
export function runCheckRunbook(marker: string): string {
  return `# Run check\n\nThis prose must render as markdown.\n\n\`\`\`bash\ntouch '${marker}'\n\`\`\`\n`;
}

export async function openFromQuickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.click('.monaco-workbench .part.statusbar').catch(() => undefined);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(fileName);
  const escaped = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) })
    .first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
  await page
    .locator('.tabs-container .tab.active', { hasText: fileName })
    .first()
    .waitFor({ state: 'attached', timeout: 30_000 });
}

/** Waits until `probe` holds, asking every `everyMs`; throws after `ms`. */
export async function until(what: string, ms: number, probe: () => boolean | Promise<boolean>, everyMs = 200): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs a standalone e2e check: PASS or FAIL with `name`, its code-servers and browsers stopped, exit code 0/1. */
export function runE2eCheck(name: string, passed: string, main: () => Promise<void>): void {
  main().then(async () => {
    console.log(`PASS ${name}: ${passed}`);
    await runCleanups();
    process.exit(0);
  }, async (e: unknown) => {
    console.error(`FAIL ${name}: ${e instanceof Error ? e.stack : String(e)}`);
    await runCleanups();
    process.exit(1);
  });
}

/** Runs code cell `index` (notebook index) with its run button; resolves when it shows as done. */
export async function runCell(page: Page, index: number): Promise<void> {
  const row = page.locator(`.notebook-editor .monaco-list-row[data-index="${index}"]`).first();
  await row.locator('.cell-editor-container .view-lines').click();
  const button = row.locator('.run-button-container .codicon-notebook-execute');
  await button.waitFor({ state: 'attached', timeout: 15_000 });
  await button.click({ force: true });
  await row.locator('.codicon-notebook-state-success').waitFor({ timeout: 60_000 });
}

async function clickRunAll(page: Page): Promise<void> {
  const runAll = page.locator('.notebook-toolbar-container').getByText('Run All', { exact: true }).last();
  await runAll.waitFor({ timeout: 30_000 });
  // Let the kernel (controller) get selected for the notebook before running.
  await page.waitForTimeout(1500);
  await runAll.click();
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/** Trusted workspace: Run All must run the bash cell (creates the marker). */
export async function runAllRuns(page: Page, fileName: string, marker: string, out: string): Promise<void> {
  await openFromQuickOpen(page, fileName);
  await clickRunAll(page);
  const ran = await waitUntil(() => existsSync(marker), 30_000);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: out });
  if (!ran) throw new Error('Run All in a trusted workspace did not run the bash cell (no marker file after 30 s)');
}

/** Dismisses the "Do you trust the authors" start-up dialog with "No": the window enters Restricted Mode. */
export async function chooseRestrictedMode(page: Page): Promise<void> {
  await page.getByRole('button', { name: "No, I don't trust the authors" }).click({ timeout: 30_000 });
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'attached', timeout: 15_000 });
}

/** Restricted Mode: the runbook opens and renders, and Run All runs nothing (declining to trust). */
export async function runAllRefusedWhenUntrusted(page: Page, fileName: string, marker: string, out: string): Promise<void> {
  await openFromQuickOpen(page, fileName);
  await clickRunAll(page);
  // VS Code asks to trust the folder before a notebook cell runs; answer Cancel.
  const cancel = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Cancel' });
  const asked = await cancel.waitFor({ timeout: 10_000 }).then(() => true, () => false);
  if (asked) await cancel.click();
  await page.waitForTimeout(5000);
  // (The prose cell is blank in this screenshot: code-server 4.100.3's markdown notebook renderer throws
  // "(void 0) is not a function" in untrusted workspaces, where it sanitizes HTML; ipynb shows the same.)
  await page.screenshot({ path: out });
  if (existsSync(marker)) throw new Error('a cell ran in Restricted Mode (the marker file exists)');
}

/** Where the keyboard focus is, in words, and whether it is in the editor of the code cell showing `probe`. */
const focusJs = (probe: string) => `(() => {
  const a = document.activeElement;
  if (!a) return { inCell: false, where: 'nothing' };
  const page = document.hasFocus() ? '' : ' (the page has no focus)';
  const row = a.closest('.monaco-list-row');
  const editor = a.closest('.monaco-editor');
  const inCell = !!row && row.classList.contains('code-cell-row') && !!editor && editor.classList.contains('focused')
    && (row.querySelector('.view-lines')?.textContent || '').includes(${JSON.stringify(probe)});
  const where = a.tagName.toLowerCase() + (a.className && typeof a.className === 'string' ? '.' + a.className.trim().split(/\\s+/).join('.') : '')
    + (row ? ' in ' + (row.classList.contains('code-cell-row') ? 'a code' : 'a markdown') + ' cell row' : '')
    + (editor ? ' in an editor' + (editor.classList.contains('focused') ? ' (focused)' : '') : '') + page;
  return { inCell, where };
})()`;

/**
 * A point on the text of the code cell showing `probe` that is on screen and not covered (what
 * elementFromPoint finds there is inside that cell's editor), or why there is none. Other notebooks' cells
 * (hidden editors, pooled cell editors) never count.
 */
const clickPointJs = (probe: string) => `(() => {
  const rows = [...document.querySelectorAll('.monaco-list-row.code-cell-row')]
    .filter((r) => (r.querySelector('.view-lines')?.textContent || '').includes(${JSON.stringify(probe)}));
  for (const row of rows) {
    const lines = row.querySelector('.view-lines');
    const r = lines.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight)) continue;
    const x = r.x + Math.min(60, r.width / 2), y = r.y + Math.min(8, r.height / 2);
    const hit = document.elementFromPoint(x, y);
    if (hit && lines.contains(hit)) return { x, y };
    return { why: 'the cell text is covered by ' + (hit ? hit.tagName.toLowerCase() + '.' + String(hit.className).trim().split(/\\s+/).join('.') : 'nothing') };
  }
  return { why: rows.length + ' cell(s) showing the text, none on screen' };
})()`;

/**
 * Ctrl+Enter with the cursor in a code cell's editor must run that cell (creates the marker). The cursor is put
 * there as a person does, with a click into the cell's text; the notebook may still move the focus (to its first
 * cell) while it settles, so the focus is checked, held for a second and checked again right before the keys.
 */
export async function ctrlEnterRuns(page: Page, fileName: string, marker: string, out: string): Promise<void> {
  await openFromQuickOpen(page, fileName);
  // The cell is told apart by its marker's name: other open notebooks have `touch` cells too.
  const probe = path.basename(marker);
  await page.locator('.notebook-editor .monaco-list-row.code-cell-row:visible').filter({ hasText: probe }).first().waitFor({ timeout: 30_000 });
  // Let the notebook settle (kernel selected, first cell focused) with the mouse away from the tabs.
  await page.mouse.move(700, 600);
  await page.waitForTimeout(3000);
  const focus = async () => page.evaluate(focusJs(probe)) as Promise<{ inCell: boolean; where: string }>;
  const seen: string[] = [];
  let ready = false;
  for (let attempt = 0; attempt < 6 && !ready; attempt++) {
    const at = (await page.evaluate(clickPointJs(probe))) as { x: number; y: number } | { why: string };
    if ('why' in at) seen.push(at.why);
    else {
      await page.mouse.click(at.x, at.y);
      await page.waitForTimeout(700);
      let f = await focus();
      if (f.inCell) {
        await page.waitForTimeout(1000);
        f = await focus();
        ready = f.inCell;
      }
      if (!ready) seen.push(`focus on ${f.where}`);
    }
    if (!ready) {
      // A page that lost the browser's focus takes clicks without focusing anything.
      if (attempt >= 1) await page.bringToFront();
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000 * (attempt + 1));
    }
  }
  if (!ready) {
    await page.screenshot({ path: out });
    throw new Error(`could not put the cursor in the code cell editor: ${seen.join(' | ')}`);
  }
  if (seen.length) console.log(`  (Ctrl+Enter: the cursor reached the cell editor after ${seen.length + 1} clicks; before: ${seen.join(' | ')})`);
  await page.keyboard.press('Control+Enter');
  const ran = await waitUntil(() => existsSync(marker), 20_000);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: out });
  if (!ran) throw new Error(`Ctrl+Enter with the cursor in the code cell editor did not run the cell (no marker file after 20 s; focus now: ${(await focus()).where})`);
}

/**
 * Runs a palette command that answers with a notification from the extension, then reads the source the
 * notification names (VS Code shows it when the notification is expanded).
 */
export async function notificationSources(page: Page, out: string): Promise<string[]> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill('>Runbook: Resolve Incident');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Resolve Incident' }).first().click({ timeout: 15_000 });
  const toast = page.locator('.notification-toast').first();
  await toast.waitFor({ timeout: 15_000 });
  await toast.hover();
  const expand = toast.locator('.codicon-notifications-expand');
  if (await expand.count()) await expand.first().click().catch(() => undefined);
  await page.waitForTimeout(800);
  await page.screenshot({ path: out });
  return page.locator('.notification-list-item-source').allTextContents();
}

/**
 * A drill scenario for `run-check.runbook.md` (folder `drills/run-check/refusal-check` of the workspace)
 * whose setup.sh creates `marker`: Start Tabletop Drill runs setup.sh without going through VS Code's
 * notebook kernel, so only the extension's own trust check stands between it and Restricted Mode.
 */
export function refusalDrillFiles(marker: string): Record<string, string> {
  const manifest = {
    id: 'run-check/refusal-check', title: 'Restricted Mode refusal check', runbook: 'run-check.runbook.md', severity: 'P1',
    briefing: 'Nothing may run: the workspace is not trusted.', summary: 'setup.sh creates a marker file.', remediation: 'none',
    steps: [{ cell: 'step-1', phase: 'check' }], symptom: { cell: 'step-1', expect: '' },
  };
  return {
    'drills/_common/lib.sh': '# shared drill helpers (none needed here)\n',
    'drills/run-check/refusal-check/manifest.json': JSON.stringify(manifest, null, 2),
    'drills/run-check/refusal-check/setup.sh': `#!/usr/bin/env bash\ntouch '${marker}'\n`,
    'drills/run-check/refusal-check/teardown.sh': '#!/usr/bin/env bash\nexit 0\n',
  };
}

/** The text of the extension's own refusal (src/providers/workspaceTrust.ts) for Start Tabletop Drill. */
export const DRILL_REFUSAL = 'Start Tabletop Drill was refused: this workspace is in Restricted Mode';

/**
 * Restricted Mode, a path VS Code does not gate: "Runbook: Start Tabletop Drill" from the palette on the open
 * runbook. The extension must refuse with its own notification, and setup.sh must not run (no marker). If a
 * scenario pick appears instead (the extension's check is gone), it is answered like a person would, so the
 * drill's setup.sh gets its chance to run and the marker shows it.
 */
export async function startDrillRefusedWhenUntrusted(page: Page, fileName: string, marker: string, out: string): Promise<void> {
  await openFromQuickOpen(page, fileName);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill('>Runbook: Start Tabletop Drill');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Tabletop Drill' }).first().click({ timeout: 15_000 });
  const refusal = page.locator('.notification-toast', { hasText: DRILL_REFUSAL }).first();
  const scenarioPick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Restricted Mode refusal check' }).first();
  const seen = await Promise.race([
    refusal.waitFor({ timeout: 20_000 }).then(() => 'refusal' as const),
    scenarioPick.waitFor({ timeout: 20_000 }).then(() => 'pick' as const),
  ]).catch(() => 'nothing' as const);
  if (seen === 'pick') await scenarioPick.click().catch(() => undefined);
  // setup.sh would run within a few seconds of the pick.
  const ran = await waitUntil(() => existsSync(marker), 8000);
  await page.screenshot({ path: out });
  if (ran) throw new Error('Start Tabletop Drill ran the scenario\'s setup.sh in Restricted Mode (the marker file exists)');
  if (seen !== 'refusal') {
    const toasts = await page.locator('.notification-toast').allTextContents();
    throw new Error(`no refusal from the extension ("${DRILL_REFUSAL}…"): ${seen === 'pick' ? 'it offered the drill scenarios' : 'nothing appeared'}; notifications: ${JSON.stringify(toasts)}`);
  }
}
