// UI checks of running cells: "Run All" in a trusted workspace runs a bash cell on the local machine; in
// Restricted Mode (untrusted workspace) nothing runs.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

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

/** Ctrl+Enter with the cursor in a code cell's editor must run that cell (creates the marker). */
export async function ctrlEnterRuns(page: Page, fileName: string, marker: string, out: string): Promise<void> {
  await openFromQuickOpen(page, fileName);
  // Click into the visible notebook's first code cell editor (other notebook editors keep hidden, pooled
  // cell editors, and Playwright's own checks see the notebook's scroll container as out of view).
  const box = async () => page.evaluate(`(() => {
    const lines = [...document.querySelectorAll('.monaco-list-row.code-cell-row .view-lines')]
      .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0 && r.top >= 0 && r.top < window.innerHeight);
    return lines[0] ? { x: lines[0].x + 40, y: lines[0].y + lines[0].height / 2 } : null;
  })()`) as Promise<{ x: number; y: number } | null>;
  // Let the notebook settle (kernel selected, no hover over the tab) before clicking into the cell.
  await page.mouse.move(700, 600);
  await page.waitForTimeout(4000);
  await page.keyboard.press('Escape');
  const end = Date.now() + 30_000;
  let at = await box();
  while (!at && Date.now() < end) {
    await page.waitForTimeout(500);
    at = await box();
  }
  if (!at) throw new Error('no visible code cell editor');
  // The click must leave the keyboard focus in the code cell's editor (on a loaded machine the notebook may
  // still move focus to its first cell after the click): check, and click again, up to three times.
  const focusedInCodeCell = async () => page.evaluate(`(() => {
    const a = document.activeElement;
    return !!a && !!a.closest('.monaco-list-row.code-cell-row') && !!a.closest('.monaco-editor');
  })()`) as Promise<boolean>;
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.mouse.click(at.x, at.y);
    await page.waitForTimeout(500);
    if (await focusedInCodeCell()) break;
    // The notebook kept its first (markdown) cell selected: move to the code cell with the keyboard, as a
    // person would (Down selects the next cell, Enter puts the cursor in its editor).
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    if (await focusedInCodeCell()) break;
    await page.waitForTimeout(1500);
    at = (await box()) ?? at;
  }
  if (!(await focusedInCodeCell())) throw new Error('could not put the cursor in the code cell editor (focus stayed elsewhere)');
  await page.keyboard.press('Control+Enter');
  const ran = await waitUntil(() => existsSync(marker), 20_000);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: out });
  if (!ran) throw new Error('Ctrl+Enter in the cell editor did not run the cell (no marker file after 20 s)');
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
